"""Chapter 08: data.toy, data.svhn, nn.gan_losses, nn.gans, nn.gan_training, viz.gan,
widgets.gan."""

import tempfile

import torch

from graphcourse import viz, widgets
from graphcourse.data import svhn, toy
from graphcourse.nn import gan_losses as L
from graphcourse.nn import gan_training as T
from graphcourse.nn import gans as N

from . import Bad

D = "graphcourse.data.toy"
SV = "graphcourse.data.svhn"
LM = "graphcourse.nn.gan_losses"
NM = "graphcourse.nn.gans"
TM = "graphcourse.nn.gan_training"
V = "graphcourse.viz.gan"
W = "graphcourse.widgets.gan:gan_explorer"
R = torch.zeros(4)
P = torch.full((10,), 0.1)  # a density on a grid with dx = 1
NAN = torch.tensor([0.0, float("nan")])


def _nets():
    torch.manual_seed(0)
    g, d = N.MLPGenerator(2, 4, 2), N.MLPDiscriminator(2, 4)
    return g, d, torch.optim.SGD(g.parameters(), lr=0.1), torch.optim.SGD(d.parameters(), lr=0.1)


def _history():
    g, d, _, _ = _nets()
    return T.train_gan(g, d, torch.randn(20, 2), 2, snapshot_every=1, snapshot_count=4,
                       grid_size=4, progress=False)


def _view():
    return T.gan_view(_history())


EXEMPT = {
    f"{D}:DigitDomains": "a result container that digit_domains builds",
    f"{NM}:ModeCoverage": "a result container that mode_coverage builds",
    f"{TM}:StepLosses": "a result container that gan_step builds",
    f"{TM}:GANView": "a result container that gan_view builds",
}

ROWS = [
    # ------------------------------------------------------------------ data.svhn
    Bad(f"{SV}:svhn", "no SVHN file in the folder",
        lambda: svhn.svhn(tempfile.mkdtemp()), FileNotFoundError,
        r"root: SVHN's train_32x32.mat is not in"),
    Bad(f"{SV}:svhn", "train given as a string", lambda: svhn.svhn(tempfile.mkdtemp(), "yes"),
        TypeError, r"train: expected"),
    Bad(f"{SV}:svhn", "limit 0", lambda: svhn.svhn(tempfile.mkdtemp(), limit=0), ValueError,
        r"limit: expected an int >= 1"),
    Bad(f"{SV}:svhn_folder", "root given as a number", lambda: svhn.svhn_folder(3), TypeError,
        r"root"),
    Bad(f"{SV}:SVHNImages", "a missing field", lambda: svhn.SVHNImages(torch.zeros(1)),
        TypeError, r"labels"),
    # ------------------------------------------------------------------ data.toy
    Bad(f"{D}:mode_centres", "zero modes", lambda: toy.mode_centres(0), ValueError,
        r"modes: expected an int >= 1"),
    Bad(f"{D}:mode_centres", "a negative radius", lambda: toy.mode_centres(8, -1.0),
        ValueError, r"radius: expected a positive number"),
    Bad(f"{D}:gaussian_mixture_2d", "a float count", lambda: toy.gaussian_mixture_2d(10.0),
        TypeError, r"count: expected an int"),
    Bad(f"{D}:gaussian_mixture_2d", "std 0", lambda: toy.gaussian_mixture_2d(10, std=0),
        ValueError, r"std: expected a positive number"),
    Bad(f"{D}:gaussian_mixture_2d", "a seed as generator",
        lambda: toy.gaussian_mixture_2d(10, generator=0), TypeError,
        r"generator: expected a torch.Generator or None"),
    Bad(f"{D}:domain_transform", "flat images",
        lambda: toy.domain_transform(torch.rand(3, 64), "inverted"), ValueError,
        r"images: expected a 4-D tensor"),
    Bad(f"{D}:domain_transform", "an unknown kind",
        lambda: toy.domain_transform(torch.rand(3, 1, 8, 8), "flipped"), ValueError,
        r"kind: expected one of 'inverted', 'rotated'"),
    Bad(f"{D}:digit_domains", "an unknown kind", lambda: toy.digit_domains("colour"),
        ValueError, r"kind: expected one of"),
    Bad(f"{D}:digit_domains", "an unknown split", lambda: toy.digit_domains(split="val"),
        ValueError, r"split: expected one of 'train', 'test'"),
    # ------------------------------------------------------------------ losses
    Bad(f"{LM}:discriminator_loss", "probabilities as a list",
        lambda: L.discriminator_loss([0.9], R), TypeError, r"real_logits: expected a torch"),
    Bad(f"{LM}:discriminator_loss", "NaN logits", lambda: L.discriminator_loss(R, NAN),
        ValueError, r"fake_logits: expected finite values"),
    Bad(f"{LM}:discriminator_loss", "no logits",
        lambda: L.discriminator_loss(torch.zeros(0), R), ValueError,
        r"real_logits: expected at least one logit"),
    Bad(f"{LM}:generator_loss", "saturating as a string",
        lambda: L.generator_loss(R, saturating="yes"), TypeError,
        r"saturating: expected True or False"),
    Bad(f"{LM}:generator_loss", "integer logits", lambda: L.generator_loss(R.long()),
        TypeError, r"fake_logits: expected a floating-point tensor"),
    Bad(f"{LM}:lsgan_discriminator_loss", "a = b",
        lambda: L.lsgan_discriminator_loss(R, R, a=1.0, b=1.0), ValueError,
        r"b: expected a target for real samples that differs from a"),
    Bad(f"{LM}:lsgan_discriminator_loss", "NaN outputs",
        lambda: L.lsgan_discriminator_loss(NAN, R), ValueError, r"real: expected finite"),
    Bad(f"{LM}:lsgan_generator_loss", "c as a string",
        lambda: L.lsgan_generator_loss(R, c="1"), TypeError, r"c: expected a number"),
    Bad(f"{LM}:auxiliary_loss", "labels out of range",
        lambda: L.auxiliary_loss(torch.zeros(2, 3), torch.tensor([0, 3])), ValueError,
        r"labels: expected classes in \[0, 3\)"),
    Bad(f"{LM}:auxiliary_loss", "float labels",
        lambda: L.auxiliary_loss(torch.zeros(2, 3), torch.tensor([0.0, 1.0])), TypeError,
        r"labels: expected an integer tensor"),
    Bad(f"{LM}:auxiliary_loss", "one label too few",
        lambda: L.auxiliary_loss(torch.zeros(2, 3), torch.tensor([0])), ValueError,
        r"labels: expected one label per row"),
    Bad(f"{LM}:acgan_discriminator_loss", "fake labels out of range",
        lambda: L.acgan_discriminator_loss(R[:2], torch.zeros(2, 3), torch.tensor([0, 1]),
                                           R[:2], torch.zeros(2, 3), torch.tensor([0, 5])),
        ValueError, r"labels: expected classes in \[0, 3\)"),
    Bad(f"{LM}:acgan_generator_loss", "class logits as [B]",
        lambda: L.acgan_generator_loss(R, R, torch.tensor([0, 1, 0, 1])), ValueError,
        r"class_logits: expected a 2-D tensor"),
    Bad(f"{LM}:sgan_discriminator_loss", "the fake class as a real label",
        lambda: L.sgan_discriminator_loss(torch.zeros(2, 4), torch.tensor([0, 3]),
                                          torch.zeros(2, 4)), ValueError,
        r"labels: expected real classes in \[0, 3\) or -1.*class 3 means fake"),
    Bad(f"{LM}:sgan_discriminator_loss", "fake logits with K columns",
        lambda: L.sgan_discriminator_loss(torch.zeros(2, 4), torch.tensor([0, 1]),
                                          torch.zeros(2, 3)), ValueError,
        r"fake_logits: expected \[B, 4\]"),
    Bad(f"{LM}:sgan_generator_loss", "one column", lambda: L.sgan_generator_loss(
        torch.zeros(2, 1)), ValueError, r"fake_logits: expected \[B, K \+ 1\]"),
    Bad(f"{LM}:cycle_loss", "shapes differ",
        lambda: L.cycle_loss(torch.zeros(2, 1, 8, 8), torch.zeros(2, 64)), ValueError,
        r"reconstructed: expected the shape of x"),
    Bad(f"{LM}:cycle_loss", "an unknown norm", lambda: L.cycle_loss(R, R, norm="l3"),
        ValueError, r"norm: expected one of 'l1', 'l2'"),
    Bad(f"{LM}:optimal_discriminator", "negative density",
        lambda: L.optimal_discriminator(-P, P), ValueError,
        r"p_data: expected non-negative density values"),
    Bad(f"{LM}:optimal_discriminator", "grids differ",
        lambda: L.optimal_discriminator(P, P[:5]), ValueError, r"p_g: expected the shape"),
    Bad(f"{LM}:jensen_shannon", "probabilities per point with a small dx",
        lambda: L.jensen_shannon(P, P, 0.01), ValueError,
        r"p: expected a density that integrates to 1 over the grid"),
    Bad(f"{LM}:jensen_shannon", "dx 0", lambda: L.jensen_shannon(P, P, 0), ValueError,
        r"dx: expected a positive number"),
    Bad(f"{LM}:kl_divergence", "NaN density",
        lambda: L.kl_divergence(P, torch.full((10,), float("nan")), 1.0), ValueError,
        r"q: expected finite values"),
    Bad(f"{LM}:kl_divergence", "a 2-D density",
        lambda: L.kl_divergence(P[None], P[None], 1.0), ValueError, r"p: expected a 1-D"),
    Bad(f"{LM}:gan_value", "logits instead of probabilities",
        lambda: L.gan_value(P, P, torch.full((10,), 3.0), 1.0), ValueError,
        r"discriminator: expected probabilities in \[0, 1\]"),
    Bad(f"{LM}:value_at_optimum", "grids differ",
        lambda: L.value_at_optimum(P, torch.full((5,), 0.2), 1.0), ValueError,
        r"p_g: expected the shape of p_data"),
    # ------------------------------------------------------------------ networks
    Bad(f"{NM}:MLPGenerator", "zero noise", lambda: N.MLPGenerator(0, 8, 2), ValueError,
        r"noise: expected an int >= 1"),
    Bad(f"{NM}:MLPGenerator", "noise of the wrong size",
        lambda: N.MLPGenerator(4, 8, 2)(torch.zeros(3, 2)), ValueError,
        r"z: expected shape \[B, 4\]"),
    Bad(f"{NM}:MLPDiscriminator", "a float width", lambda: N.MLPDiscriminator(2, 8.0),
        TypeError, r"hidden: expected an int"),
    Bad(f"{NM}:MLPDiscriminator", "3-D points",
        lambda: N.MLPDiscriminator(2, 8)(torch.zeros(3, 3)), ValueError,
        r"x: expected shape \[B, 2\]"),
    Bad(f"{NM}:DCGenerator", "negative classes", lambda: N.DCGenerator(8, 4, classes=-1),
        ValueError, r"classes: expected an int >= 0"),
    Bad(f"{NM}:DCGenerator", "labels for an unconditional generator",
        lambda: N.DCGenerator(8, 4)(torch.zeros(2, 8), torch.tensor([0, 1])), ValueError,
        r"labels: this generator is unconditional"),
    Bad(f"{NM}:DCGenerator", "labels out of range",
        lambda: N.DCGenerator(8, 4, classes=10)(torch.zeros(2, 8), torch.tensor([0, 10])),
        ValueError, r"labels: expected classes in \[0, 10\)"),
    Bad(f"{NM}:DCDiscriminator", "flat images",
        lambda: N.DCDiscriminator(4)(torch.zeros(2, 64)), ValueError,
        r"x: expected images of shape \[B, 1, 8, 8\].*view\(-1, 1, 8, 8\)"),
    Bad(f"{NM}:DCDiscriminator", "zero outputs", lambda: N.DCDiscriminator(4, outputs=0),
        ValueError, r"outputs: expected an int >= 1"),
    Bad(f"{NM}:Translator", "28x28 images",
        lambda: N.Translator(4)(torch.zeros(2, 1, 28, 28)), ValueError,
        r"x: expected images of shape \[B, 1, 8, 8\]"),
    Bad(f"{NM}:Translator", "a string width", lambda: N.Translator("32"), TypeError,
        r"channels: expected an int"),
    Bad(f"{NM}:PatchDiscriminator", "RGB images for a grey discriminator",
        lambda: N.PatchDiscriminator(4)(torch.zeros(2, 3, 8, 8)), ValueError,
        r"x: expected images of shape \[B, 1, 8, 8\]"),
    Bad(f"{NM}:dcgan_init", "a list of layers", lambda: N.dcgan_init([torch.nn.Linear(2, 2)]),
        TypeError, r"module: expected a torch.nn.Module"),
    Bad(f"{NM}:mode_coverage", "std 0",
        lambda: N.mode_coverage(torch.zeros(3, 2), torch.zeros(8, 2), 0.0), ValueError,
        r"std: expected a positive number"),
    Bad(f"{NM}:mode_coverage", "centres in 3-D",
        lambda: N.mode_coverage(torch.zeros(3, 2), torch.zeros(8, 3), 0.05), ValueError,
        r"centres: expected \[K, 2\]"),
    Bad(f"{NM}:mode_coverage", "NaN samples",
        lambda: N.mode_coverage(torch.full((3, 2), float("nan")), torch.zeros(8, 2), 0.05),
        ValueError, r"samples: expected finite values"),
    Bad(f"{NM}:mode_coverage", "min_fraction 1.5",
        lambda: N.mode_coverage(torch.zeros(3, 2), torch.zeros(8, 2), 0.05, min_fraction=1.5),
        ValueError, r"min_fraction: expected a probability"),
    # ------------------------------------------------------------------ training
    Bad(f"{TM}:gan_step", "the optimizers swapped",
        lambda: (lambda g, d, go, do: T.gan_step(g, d, do, go, torch.zeros(4, 2),
                                                  lambda n: torch.zeros(n, 2)))(*_nets()),
        ValueError, r"g_opt: it holds none of the generator's parameters.*swapped"),
    Bad(f"{TM}:gan_step", "noise as a tensor, not a function",
        lambda: (lambda g, d, go, do: T.gan_step(g, d, go, do, torch.zeros(4, 2),
                                                  torch.zeros(4, 2)))(*_nets()),
        TypeError, r"noise_fn: expected a function noise_fn\(B\)"),
    Bad(f"{TM}:gan_step", "NaN real data",
        lambda: (lambda g, d, go, do: T.gan_step(g, d, go, do, torch.full((4, 2), float("nan")),
                                                  lambda n: torch.zeros(n, 2)))(*_nets()),
        ValueError, r"real: expected finite values"),
    Bad(f"{TM}:discriminator_step", "one optimizer for both networks",
        lambda: (lambda g, d, go, do: T.discriminator_step(
            g, d, torch.optim.SGD([*g.parameters(), *d.parameters()], lr=0.1),
            torch.zeros(4, 2), torch.zeros(4, 2)))(*_nets()),
        ValueError, r"d_opt: it also holds the generator's parameters"),
    Bad(f"{TM}:discriminator_step", "an unknown loss",
        lambda: (lambda g, d, go, do: T.discriminator_step(
            g, d, do, torch.zeros(4, 2), torch.zeros(4, 2), "wgan"))(*_nets()),
        ValueError, r"losses: expected one of 'bce', 'saturating', 'lsgan'"),
    Bad(f"{TM}:generator_step", "the same network twice",
        lambda: (lambda g, d, go, do: T.generator_step(g, g, go, torch.zeros(4, 2)))(*_nets()),
        ValueError, r"discriminator: expected a network other than the generator"),
    Bad(f"{TM}:generator_step", "noise as [Z]",
        lambda: (lambda g, d, go, do: T.generator_step(g, d, go, torch.zeros(2)))(*_nets()),
        ValueError, r"noise: expected a 2-D tensor"),
    Bad(f"{TM}:train_gan", "a generator without a noise size",
        lambda: T.train_gan(torch.nn.Linear(2, 2), _nets()[1], torch.zeros(4, 2), 1),
        TypeError, r"generator: expected a generator with an int attribute `noise`"),
    Bad(f"{TM}:train_gan", "a conditional generator",
        lambda: T.train_gan(N.DCGenerator(4, 4, classes=10), N.DCDiscriminator(4),
                            torch.zeros(4, 1, 8, 8), 1), ValueError,
        r"generator: expected an unconditional generator"),
    Bad(f"{TM}:train_gan", "NaN data",
        lambda: T.train_gan(*_nets()[:2], torch.full((4, 2), float("nan")), 1), ValueError,
        r"data: expected finite values"),
    Bad(f"{TM}:train_gan", "zero steps", lambda: T.train_gan(*_nets()[:2], torch.zeros(4, 2), 0),
        ValueError, r"steps: expected an int >= 1"),
    Bad(f"{TM}:train_gan", "beta1 of 1", lambda: T.train_gan(
        *_nets()[:2], torch.zeros(4, 2), 1, betas=(1.0, 0.999)), ValueError,
        r"betas\[0\]: expected a number in \[0, 1\)"),
    Bad(f"{TM}:train_gan", "a negative seed", lambda: T.train_gan(
        *_nets()[:2], torch.zeros(4, 2), 1, seed=-1), ValueError, r"seed: expected an int >= 0"),
    Bad(f"{TM}:GANHistory", "a history without snapshots",
        lambda: T.gan_view(T.GANHistory()), ValueError, r"history: expected at least one"),
    Bad(f"{TM}:gan_view", "a train.History", lambda: T.gan_view(
        __import__("graphcourse.train", fromlist=["History"]).History()), TypeError,
        r"history: expected a GANHistory"),
    Bad(f"{TM}:gan_view", "a snapshot it does not have", lambda: T.gan_view(_history(), 7),
        ValueError, r"index: expected a snapshot index in \[0, 3\), got 7"),
    Bad(f"{TM}:gan_view", "centres without std",
        lambda: T.gan_view(_history(), 0, torch.zeros(8, 2)), ValueError,
        r"std: expected both centres and std"),
    # ------------------------------------------------------------------ viz and widget
    Bad(f"{V}:draw_samples_2d", "3-D samples", lambda: viz.draw_samples_2d(torch.zeros(3, 3)),
        ValueError, r"samples: expected points \[B, 2\]"),
    Bad(f"{V}:draw_surface", "an extent of two numbers",
        lambda: viz.draw_surface(torch.zeros(3, 3), 2.0), TypeError,
        r"extent: expected \(x_min, x_max, y_min, y_max\)"),
    Bad(f"{V}:draw_image_grid", "flat images", lambda: viz.draw_image_grid(torch.zeros(3, 64)),
        ValueError, r"images: expected a 4-D tensor"),
    Bad(f"{V}:draw_gan_losses", "curves of different lengths",
        lambda: viz.draw_gan_losses(torch.zeros(3), torch.zeros(4)), ValueError,
        r"g_loss: expected the shape of d_loss"),
    Bad(f"{V}:render_gan", "a history instead of a view", lambda: viz.render_gan(_history()),
        TypeError, r"view: expected a GANView.*gan_view"),
    Bad(f"{V}:gan_summary", "a dict", lambda: viz.gan_summary({}), TypeError,
        r"view: expected a GANView"),
    Bad(W, "a list of losses", lambda: widgets.gan_explorer([0.1, 0.2]), TypeError,
        r"history: expected a GANHistory"),
    Bad(W, "a step index it does not have", lambda: widgets.gan_explorer(_history(), index=5),
        ValueError, r"index: expected a snapshot index in \[0, 3\), got 5"),
    Bad(W, "std 0", lambda: widgets.gan_explorer(_history(), torch.zeros(8, 2), 0.0),
        ValueError, r"std: expected a positive number"),
]
