"""Run profiles and one settings table per chapter.

``GRAPHCOURSE_PROFILE=fast`` (the default) keeps every notebook within its CPU budget;
``GRAPHCOURSE_PROFILE=full`` trains longer for the papers' numbers. Each chapter keeps every
knob it trains with (epochs, sizes, learning rates) in one small frozen dataclass, with a fast
and a full value per knob in :data:`CHAPTERS`; a notebook reads its own once, right after the
setup cell::

    from graphcourse import settings
    knobs = settings.chapter("03")   # the values for this run's profile
    print(knobs)                     # every knob, fast and full side by side

- ``profile()``: the run profile, ``'fast'`` or ``'full'``.
- ``pick(fast, full)``: one of two values by profile (the chapters use their table instead).
- ``quiet()``: whether progress bars stay silent (``GRAPHCOURSE_QUIET``).
- ``chapter(number)``: the chapter's settings for this run's profile.

Chapters 07-09 add their dataclass and their row of :data:`CHAPTERS` here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from ._validate import check_bool, check_choice, check_number, check_positive_int

PROFILES = ("fast", "full")
T = TypeVar("T")

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def profile() -> str:
    """The run profile from ``GRAPHCOURSE_PROFILE``: ``'fast'`` (default) or ``'full'``
    (case and surrounding spaces do not matter; anything else is a ``ValueError``)."""
    name = os.environ.get("GRAPHCOURSE_PROFILE", "fast").strip().lower() or "fast"
    if name not in PROFILES:
        raise ValueError(
            f"GRAPHCOURSE_PROFILE: unknown profile {name!r}; expected one of {', '.join(PROFILES)}")
    return name


def pick(fast: T, full: T) -> T:
    """Return ``fast`` or ``full`` according to the run profile.

    Both must be of the same type (``pick(100, 200)``, ``pick(0.01, 0.005)``): a mix such as
    ``pick(14, "30")`` is a ``TypeError``, since one of the two profiles would break later.
    """
    if type(fast) is not type(full):
        raise TypeError(f"full: expected the same type as fast ({type(fast).__name__}), "
                        f"got {type(full).__name__}")
    return full if profile() == "full" else fast


def quiet() -> bool:
    """True when progress bars should stay silent (tests set ``GRAPHCOURSE_QUIET=1``).

    ``GRAPHCOURSE_QUIET`` accepts 1/true/yes/on (quiet) and 0/false/no/off or nothing (not
    quiet), in any case; anything else is a ``ValueError``.
    """
    text = os.environ.get("GRAPHCOURSE_QUIET", "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"GRAPHCOURSE_QUIET: expected one of 1, true, yes, on (quiet) or 0, false, "
                     f"no, off (not quiet), got {text!r}")


# --------------------------------------------------------------------------- chapter tables
def _knob(meaning: str) -> Any:
    """A settings field with no default and a one-line meaning, shown by ``describe``."""
    return field(metadata={"meaning": meaning})


@dataclass(frozen=True)
class ChapterSettings:
    """Base of the chapters' settings: printing shows every knob, fast and full side by side.

    Knobs are checked when a table is built: ``int`` knobs (epochs, sizes) are ints >= 1,
    ``float`` knobs (learning rates) positive numbers, ``bool`` knobs bools.
    """

    def __post_init__(self) -> None:
        for f in fields(self):
            value, name = getattr(self, f.name), f"{type(self).__name__}.{f.name}"
            if f.type == "int":
                value = check_positive_int(value, name)
            elif f.type == "float":
                value = check_number(value, name, low=0, low_inclusive=False, finite=True)
            elif f.type == "bool":
                value = check_bool(value, name)
            object.__setattr__(self, f.name, value)  # frozen: store the checked value

    def describe(self) -> str:
        """One line per knob: its name, fast and full values, and what it sets. A header says
        which profile these values are (``custom`` for a hand-edited copy, with its own
        column)."""
        number = next((key for key, pair in CHAPTERS.items() if type(pair[0]) is type(self)),
                      None)
        if number is None:
            raise ValueError(f"{type(self).__name__}: not a chapter of settings.CHAPTERS")
        fast, full = CHAPTERS[number]
        which = "fast" if self == fast else "full" if self == full else "custom"
        columns = [("fast", fast), ("full", full)] + ([("in use", self)] if which == "custom"
                                                      else [])
        names = [f.name for f in fields(self)]
        width = max(len(name) for name in names)
        cells = {title: [_show(getattr(values, name)) for name in names]
                 for title, values in columns}
        sizes = {title: max(len(title), *map(len, cells[title])) for title, _ in columns}
        other = {"fast": "full", "full": "fast"}.get(which)
        header = (f"chapter {number} settings, in use: {which} (GRAPHCOURSE_PROFILE={other} "
                  f"for the {other} column)" if other else
                  f"chapter {number} settings, in use: the last column (edited)")
        lines = [header,
                 "  " + "knob".ljust(width) + "".join(f"  {title:>{sizes[title]}}"
                                                       for title, _ in columns)]
        for row, f in enumerate(fields(self)):
            values = "".join(f"  {cells[title][row]:>{sizes[title]}}" for title, _ in columns)
            lines.append(f"  {f.name.ljust(width)}{values}  {f.metadata.get('meaning', '')}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


def _show(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Chapter01(ChapterSettings):
    """Chapter 01, graphs and PyG: the two-layer GNNs of section 9."""

    karate_epochs: int = _knob("epochs of the karate-club model (and of its five seeds)")
    digits_epochs: int = _knob("epochs of GraphSAGE on the digits graph")


@dataclass(frozen=True)
class Chapter02(ChapterSettings):
    """Chapter 02, graph convolutions: the filter comparison of section 11."""

    digits_epochs: int = _knob("epochs of each filter's model on the digits graph")
    cora_epochs: int = _knob("epochs of each filter's model on Cora (if its files exist)")


@dataclass(frozen=True)
class Chapter03(ChapterSettings):
    """Chapter 03, message passing and GAT: GCN, GAT, GraphSAGE and GIN on the digits graph,
    Cora, and the noisy graph."""

    gnn_epochs: int = _knob("epochs of GCN, GAT, GraphSAGE and GIN on the digits graph")
    gat_lr: float = _knob("GAT's learning rate on the digits graph (the paper's 0.005)")
    cora: bool = _knob("train GCN and GAT on Cora (when its files exist)")
    cora_epochs: int = _knob("epochs on Cora (the papers' at most 200)")
    noisy_epochs: int = _knob("epochs of each model on the noisy digits graph")


@dataclass(frozen=True)
class Chapter04(ChapterSettings):
    """Chapter 04, the Transformer: the string-reversal model of sections 6-7."""

    examples: int = _knob("training strings of the reversal task")
    epochs: int = _knob("epochs of the Transformer on them")


@dataclass(frozen=True)
class Chapter05(ChapterSettings):
    """Chapter 05, Graphormer: CSL (GIN against Graphormer) and the molecule ablation."""

    csl_folds: int = _knob("CSL folds trained (of the 5 stratified folds)")
    csl_epochs: int = _knob("epochs of Graphormer on each CSL fold (batches of 10 graphs)")
    csl_lr: float = _knob("Graphormer's peak learning rate on CSL (linear decay to 0)")
    gin_epochs: int = _knob("epochs of GIN on each CSL fold")
    molecules: int = _knob("NCI molecules of the ablation (80% train, 20% test)")
    molecule_epochs: int = _knob("epochs of each ablation model on the molecules")


@dataclass(frozen=True)
class Chapter06(ChapterSettings):
    """Chapter 06, the Structure-Aware Transformer: CSL (GIN, Transformer+RWPE, Transformer+LapPE,
    SAT), a small PATTERN comparison, and the k and readout ablations."""

    csl_epochs: int = _knob("epochs of each Transformer/SAT model on the CSL fold")
    csl_lr: float = _knob("learning rate of the Transformer/SAT models on CSL (AdamW)")
    gin_epochs: int = _knob("epochs of GIN on the CSL fold")
    ablation_epochs: int = _knob("epochs of each model of the readout ablation on CSL")
    pattern_graphs: int = _knob("PATTERN graphs generated (80% train, 20% test)")
    pattern_epochs: int = _knob("epochs of each model on PATTERN")
    molecules: int = _knob("NCI molecules of the k ablation (80% train, 20% test)")
    molecule_epochs: int = _knob("epochs of each SAT of the k ablation on molecules")


@dataclass(frozen=True)
class Chapter07(ChapterSettings):
    """Chapter 07, autoencoders: the digit autoencoders (linear, plain, denoising), the VAEs with
    Bernoulli and Gaussian decoders, and the graph autoencoders' link prediction."""

    ae_epochs: int = _knob("epochs of the plain and the denoising autoencoder on the digits")
    linear_epochs: int = _knob("epochs of the linear autoencoder compared with PCA")
    linear_lr: float = _knob("Adam's learning rate for the linear autoencoder")
    vae_epochs: int = _knob("epochs of each VAE (Bernoulli and Gaussian decoders)")
    lr: float = _knob("Adam's learning rate for the digit models (batches of 100)")
    tsne_points: int = _knob("digits embedded by t-SNE (the slowest method of the taxonomy)")
    gae_epochs: int = _knob("epochs of our graph autoencoder and of PyG's GAE")
    mnist: bool = _knob("the digit models on MNIST (6,000 training, 1,000 test images) when its "
                        "files are in the data folder, else on the 8x8 digits")


@dataclass(frozen=True)
class Chapter08(ChapterSettings):
    """Chapter 08, GANs: the MLP GANs on the ring of 8 Gaussians (the correct loop, the notes'
    loop, a run built to collapse, LSGAN), DCGAN, SGAN and ACGAN on the 8x8 digits, and the
    unpaired digit translation."""

    ring_steps: int = _knob("steps of the correct MLP GAN on the 8 Gaussians (section 4)")
    ring_batch: int = _knob("batch size of that run")
    ring_samples: int = _knob("generator samples on which mode coverage is measured")
    ring_lr: float = _knob("Adam's learning rate for the MLP GANs on the 8 Gaussians")
    compare_steps: int = _knob("steps of the notes' loop and the LSGAN run (batches of 128)")
    collapse_steps: int = _knob("discriminator steps of the run built to collapse (batches "
                                "of 128, 10 generator steps each)")
    dcgan_steps: int = _knob("steps of the DCGAN on the digits (batches of 64)")
    dcgan_channels: int = _knob("channel width c of the DCGAN, ACGAN and translation networks")
    sgan_steps: int = _knob("steps of the semi-supervised GAN on the digits")
    sgan_labels: int = _knob("labelled training digits per class for the semi-supervised GAN")
    acgan_steps: int = _knob("steps of the ACGAN on the digits (batches of 64)")
    cycle_steps: int = _knob("steps of the unpaired translation (batches of 64 per domain)")
    image_lr: float = _knob("Adam's learning rate for the image GANs (DCGAN's is 2e-4)")
    real_images: bool = _knob("the DCGAN on MNIST and the translation MNIST <-> SVHN, 32x32, when "
                              "their files are on disk (else the 8x8 digits)")
    real_steps: int = _knob("steps of each of those two runs (batches of 64)")
    real_channels: int = _knob("channel width c of their networks (mnist-svhn-transfer's "
                               "conv_dim: 64)")


@dataclass(frozen=True)
class Chapter09(ChapterSettings):
    """Chapter 09, persona dialogue: the Starspace, profile memory and key-value profile memory
    rankers on the generated persona dialogues, each with no persona and with its own persona
    (original and revised)."""

    train_dialogues: int = _knob("generated training dialogues (about 5 ranking examples each)")
    test_dialogues: int = _knob("generated test dialogues the rankers are evaluated on")
    dim: int = _knob("embedding size D of the bag-of-words rankers (ParlAI's recipe: 500)")
    epochs: int = _knob("training epochs of each neural ranker")
    lr: float = _knob("Adam's learning rate for the neural rankers")
    batch_size: int = _knob("examples per batch (the negatives are other labels of the batch)")
    memory_size: int = _knob("key-value memories M retrieved for each example")


CHAPTERS: dict[str, tuple[ChapterSettings, ChapterSettings]] = {
    # chapter: (fast, full)
    "01": (Chapter01(karate_epochs=100, digits_epochs=100),
           Chapter01(karate_epochs=200, digits_epochs=200)),
    "02": (Chapter02(digits_epochs=150, cora_epochs=100),
           Chapter02(digits_epochs=200, cora_epochs=200)),
    "03": (Chapter03(gnn_epochs=100, gat_lr=0.01, cora=False, cora_epochs=200, noisy_epochs=60),
           Chapter03(gnn_epochs=200, gat_lr=0.005, cora=True, cora_epochs=200,
                     noisy_epochs=150)),
    "04": (Chapter04(examples=2000, epochs=14),
           Chapter04(examples=6000, epochs=30)),
    "05": (Chapter05(csl_folds=1, csl_epochs=80, csl_lr=0.002, gin_epochs=20, molecules=300,
                     molecule_epochs=10),
           Chapter05(csl_folds=5, csl_epochs=100, csl_lr=0.002, gin_epochs=100, molecules=4000,
                     molecule_epochs=60)),
    "06": (Chapter06(csl_epochs=40, csl_lr=0.01, gin_epochs=10, ablation_epochs=15,
                     pattern_graphs=150, pattern_epochs=10, molecules=300, molecule_epochs=12),
           Chapter06(csl_epochs=100, csl_lr=0.005, gin_epochs=100, ablation_epochs=100,
                     pattern_graphs=12500, pattern_epochs=60, molecules=4000,
                     molecule_epochs=60)),
    "07": (Chapter07(ae_epochs=50, linear_epochs=150, linear_lr=0.02, vae_epochs=60, lr=0.005,
                     tsne_points=600, gae_epochs=200, mnist=False),
           Chapter07(ae_epochs=200, linear_epochs=500, linear_lr=0.02, vae_epochs=300, lr=0.002,
                     tsne_points=1797, gae_epochs=400, mnist=True)),
    "08": (Chapter08(ring_steps=2000, ring_batch=256, ring_samples=2000, ring_lr=1e-3,
                     compare_steps=1000, collapse_steps=200, dcgan_steps=300, dcgan_channels=16,
                     sgan_steps=200, sgan_labels=10, acgan_steps=200, cycle_steps=300,
                     image_lr=1e-3, real_images=False, real_steps=5000, real_channels=64),
           Chapter08(ring_steps=4000, ring_batch=256, ring_samples=2000, ring_lr=1e-3,
                     compare_steps=3000, collapse_steps=200, dcgan_steps=3000, dcgan_channels=32,
                     sgan_steps=2000, sgan_labels=10, acgan_steps=2000, cycle_steps=2000,
                     image_lr=2e-4, real_images=True, real_steps=5000, real_channels=64)),
    "09": (Chapter09(train_dialogues=800, test_dialogues=300, dim=64, epochs=5, lr=0.02,
                     batch_size=64, memory_size=3),
           Chapter09(train_dialogues=2000, test_dialogues=1000, dim=128, epochs=10, lr=0.02,
                     batch_size=64, memory_size=5)),
}


def chapter(number: str) -> ChapterSettings:
    """The settings of chapter ``number`` (``"01"``...) for this run's profile.

    ``TypeError`` for a number that is not a string (``chapter(3)``: write ``"03"``);
    ``ValueError`` naming the known chapters for one that has no table.
    """
    if not isinstance(number, str):
        raise TypeError(f"number: expected a chapter number as a string such as '03', got "
                        f"{type(number).__name__}")
    check_choice(number, "number", CHAPTERS)
    fast, full = CHAPTERS[number]
    return full if profile() == "full" else fast
