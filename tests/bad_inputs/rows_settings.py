import os

import numpy as np

from graphcourse import settings

from . import Bad


def with_env(name, value, call):
    """``call`` run with the environment variable ``name`` set to ``value``, then restored."""
    def run():
        before = os.environ.get(name)
        os.environ[name] = value
        try:
            return call()
        finally:
            if before is None:
                del os.environ[name]
            else:
                os.environ[name] = before
    return run


ROWS = [
    Bad("graphcourse.settings:profile", "an unknown profile name",
        with_env("GRAPHCOURSE_PROFILE", "quick", settings.profile), ValueError,
        r"GRAPHCOURSE_PROFILE: unknown profile 'quick'; expected one of fast, full"),
    Bad("graphcourse.settings:pick", "fast and full of different types",
        lambda: settings.pick(14, "30"), TypeError,
        r"full: expected the same type as fast \(int\), got str"),
    Bad("graphcourse.settings:pick", "a bad profile in the environment",
        with_env("GRAPHCOURSE_PROFILE", "slow", lambda: settings.pick(1, 2)), ValueError,
        r"GRAPHCOURSE_PROFILE: unknown profile 'slow'"),
    Bad("graphcourse.settings:quiet", "a word that is neither on nor off",
        with_env("GRAPHCOURSE_QUIET", "maybe", settings.quiet), ValueError,
        r"GRAPHCOURSE_QUIET: expected one of 1, true, yes, on .* got 'maybe'"),
    Bad("graphcourse.settings:chapter", "a chapter without a table",
        lambda: settings.chapter("42"), ValueError,
        r"number: expected one of '01', '02', '03', '04'.*got '42'"),
    Bad("graphcourse.settings:chapter", "an int instead of '03'",
        lambda: settings.chapter(3), TypeError,
        r"number: expected a chapter number as a string such as '03', got int"),
    Bad("graphcourse.settings:chapter", "a bad profile in the environment",
        with_env("GRAPHCOURSE_PROFILE", "paper", lambda: settings.chapter("01")), ValueError,
        r"GRAPHCOURSE_PROFILE: unknown profile 'paper'"),
    Bad("graphcourse.settings:ChapterSettings", "a settings class that is not in CHAPTERS",
        lambda: settings.ChapterSettings().describe(), ValueError,
        r"ChapterSettings: not a chapter of settings.CHAPTERS"),
    Bad("graphcourse.settings:Chapter01", "zero epochs",
        lambda: settings.Chapter01(karate_epochs=0, digits_epochs=100), ValueError,
        r"Chapter01.karate_epochs: expected an int >= 1, got 0"),
    Bad("graphcourse.settings:Chapter02", "float epochs",
        lambda: settings.Chapter02(digits_epochs=150.0, cora_epochs=100), TypeError,
        r"Chapter02.digits_epochs: expected an int, got float"),
    Bad("graphcourse.settings:Chapter03", "a negative learning rate",
        lambda: settings.Chapter03(gnn_epochs=100, gat_lr=-0.01, cora=False, cora_epochs=200,
                                   noisy_epochs=60), ValueError,
        r"Chapter03.gat_lr: expected a positive number, got -0.01"),
    Bad("graphcourse.settings:Chapter03", "the string 'no' for a switch",
        lambda: settings.Chapter03(gnn_epochs=100, gat_lr=0.01, cora="no", cora_epochs=200,
                                   noisy_epochs=60), TypeError,
        r"Chapter03.cora: expected True or False, got str"),
    Bad("graphcourse.settings:Chapter04", "a size given as a float",
        lambda: settings.Chapter04(examples=np.float64(2000), epochs=14), TypeError,
        r"Chapter04.examples: expected an int, got float64"),
    Bad("graphcourse.settings:Chapter05", "an infinite learning rate",
        lambda: settings.Chapter05(csl_folds=1, csl_epochs=40, csl_lr=float("inf"), gin_epochs=20,
                                   molecules=300, molecule_epochs=10), ValueError,
        r"Chapter05.csl_lr: expected a finite number, got inf"),
    Bad("graphcourse.settings:Chapter05", "no fold",
        lambda: settings.Chapter05(csl_folds=0, csl_epochs=40, csl_lr=0.002, gin_epochs=20,
                                   molecules=300, molecule_epochs=10), ValueError,
        r"Chapter05.csl_folds: expected an int >= 1, got 0"),
    Bad("graphcourse.settings:Chapter06", "no PATTERN graphs",
        lambda: settings.Chapter06(csl_epochs=40, csl_lr=0.01, gin_epochs=10, ablation_epochs=15,
                                   pattern_graphs=0, pattern_epochs=10, molecules=300,
                                   molecule_epochs=12), ValueError,
        r"Chapter06.pattern_graphs: expected an int >= 1, got 0"),
    Bad("graphcourse.settings:Chapter06", "a learning rate given as a string",
        lambda: settings.Chapter06(csl_epochs=40, csl_lr="0.01", gin_epochs=10,
                                   ablation_epochs=15, pattern_graphs=150, pattern_epochs=10,
                                   molecules=300, molecule_epochs=12),
        TypeError, r"Chapter06.csl_lr: expected a number, got str"),
    Bad("graphcourse.settings:Chapter07", "a learning rate given as a string",
        lambda: settings.Chapter07(ae_epochs=50, linear_epochs=150, linear_lr="0.02",
                                   vae_epochs=60, lr=0.005, tsne_points=600, gae_epochs=200,
                                   mnist=False),
        TypeError, r"Chapter07.linear_lr: expected a number, got str"),
    Bad("graphcourse.settings:Chapter07", "no points for t-SNE",
        lambda: settings.Chapter07(ae_epochs=50, linear_epochs=150, linear_lr=0.02, vae_epochs=60,
                                   lr=0.005, tsne_points=0, gae_epochs=200, mnist=False),
        ValueError, r"Chapter07.tsne_points: expected an int >= 1, got 0"),
    Bad("graphcourse.settings:Chapter07", "the MNIST switch given as the string 'yes'",
        lambda: settings.Chapter07(ae_epochs=50, linear_epochs=150, linear_lr=0.02, vae_epochs=60,
                                   lr=0.005, tsne_points=600, gae_epochs=200, mnist="yes"),
        TypeError, r"Chapter07.mnist: expected True or False, got str"),
    Bad("graphcourse.settings:Chapter08", "a number of steps given as a float",
        lambda: settings.Chapter08(ring_steps=2000.0, ring_batch=256, ring_samples=2000,
                                   ring_lr=1e-3, compare_steps=1000, collapse_steps=200,
                                   dcgan_steps=300, dcgan_channels=16, sgan_steps=200,
                                   sgan_labels=10, acgan_steps=200, cycle_steps=300,
                                   image_lr=1e-3, real_images=False, real_steps=5000,
                                   real_channels=64),
        TypeError, r"Chapter08.ring_steps: expected an int"),
    Bad("graphcourse.settings:Chapter08", "the real-images switch given as a string",
        lambda: settings.Chapter08(ring_steps=2000, ring_batch=256, ring_samples=2000,
                                   ring_lr=1e-3, compare_steps=1000, collapse_steps=200,
                                   dcgan_steps=300, dcgan_channels=16, sgan_steps=200,
                                   sgan_labels=10, acgan_steps=200, cycle_steps=300,
                                   image_lr=1e-3, real_images="yes", real_steps=5000,
                                   real_channels=64),
        TypeError, r"Chapter08.real_images: expected True or False, got str"),
    Bad("graphcourse.settings:Chapter09", "no key-value memories per example",
        lambda: settings.Chapter09(train_dialogues=800, test_dialogues=300, dim=64, epochs=5,
                                   lr=0.02, batch_size=64, memory_size=0),
        ValueError, r"Chapter09.memory_size: expected an int >= 1, got 0"),
]
