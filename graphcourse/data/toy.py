"""Data for the GANs of chapter 08: a ring of 2-D Gaussians and two unpaired digit domains
(offline), and MNIST / SVHN at 32x32 for the full profile when their files are on disk.

- :func:`gaussian_mixture_2d`: ``modes`` Gaussians of standard deviation ``std`` whose centres
  (:func:`mode_centres`) sit evenly on a circle of radius ``radius``, equally likely. The ring of 8
  modes of radius 2 is the mixture on which mode collapse is usually shown (Metz et al.,
  "Unrolled GANs", ICLR 2017, use std 0.02); the default std here is 0.05, with which a small
  MLP GAN covers all 8 modes within about 1,000 steps on a CPU.
- :func:`digit_domains`: two sets of scikit-learn's 8x8 digits for unpaired translation
  (CycleGAN, mnist-svhn-transfer): the digits as they are, and a disjoint set of other digits
  changed by :func:`domain_transform` (colour-inverted or rotated by 90 degrees). Images are
  [M, 1, 8, 8] in [-1, 1], as GANs with a Tanh output want them.
- :func:`image_domain`, :func:`mnist_svhn_domains`: MNIST (resized from 28x28 to 32x32,
  1 channel) and SVHN (32x32, 3 channels), both in [-1, 1], as mnist-svhn-transfer feeds its
  networks; read from ``mnist_folder(root)`` and ``svhn_folder(root)``, nothing downloaded.
  :func:`missing_domain_files` says which of their files are not there.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from .._validate import (
    check_bool,
    check_choice,
    check_instance,
    check_number,
    check_positive_int,
    check_tensor,
)
from .images import MNIST_FILES, digits, mnist, mnist_folder
from .svhn import SVHN_FILES, SVHN_SIDE, svhn, svhn_folder

DOMAIN_KINDS = ("inverted", "rotated")
REAL_DOMAINS = ("mnist", "svhn")  # the two domains of mnist-svhn-transfer, 32x32 each


def mode_centres(modes: int = 8, radius: float = 2.0) -> Tensor:
    """The centres of the mixture's modes: ``c_k = radius (cos 2πk/K, sin 2πk/K)``, k = 0..K-1.

    Returns [K, 2] float32 (K = ``modes`` >= 1, ``radius`` > 0).
    """
    modes = check_positive_int(modes, "modes")
    radius = check_number(radius, "radius", low=0, low_inclusive=False, finite=True)
    angles = 2 * math.pi * torch.arange(modes, dtype=torch.float64) / modes  # [K]
    return (radius * torch.stack([angles.cos(), angles.sin()], 1)).float()  # [K, 2]


def _check_generator(generator: Any) -> torch.Generator | None:
    if generator is not None:
        check_instance(generator, "generator", torch.Generator, "a torch.Generator or None",
                       "make one with torch.Generator().manual_seed(0)")
    return generator


def gaussian_mixture_2d(count: int, modes: int = 8, radius: float = 2.0, std: float = 0.05,
                        generator: torch.Generator | None = None) -> tuple[Tensor, Tensor]:
    """``count`` points of the ring of Gaussians: pick a mode k uniformly, then
    ``x = c_k + std * ε`` with ε ~ N(0, I) and c_k from :func:`mode_centres`.

    Returns ``(points [count, 2] float32, mode ids [count] long)``; the ids say which mode
    drew each point (for checking, not for training an unconditional GAN).
    """
    count = check_positive_int(count, "count")
    centres = mode_centres(modes, radius)
    std = check_number(std, "std", low=0, low_inclusive=False, finite=True)
    generator = _check_generator(generator)
    ids = torch.randint(0, centres.size(0), (count,), generator=generator)  # [count]
    noise = torch.randn((count, 2), generator=generator)  # [count, 2]
    return centres[ids] + std * noise, ids


def domain_transform(images: Tensor, kind: str) -> Tensor:
    """The change that turns the first digit domain into the second, for images in [-1, 1]:
    ``"inverted"`` maps x to -x (dark and light swap), ``"rotated"`` turns each image by 90
    degrees counter-clockwise. Shapes: images [M, C, side, side] -> the same shape. The known
    answer for a translator trained without pairs."""
    check_tensor(images, "images", ndim=4, floating=True)
    check_choice(kind, "kind", DOMAIN_KINDS)
    if images.size(-1) != images.size(-2):
        raise ValueError(f"images: expected square images [M, C, side, side], got "
                         f"{list(images.shape)}")
    if kind == "inverted":
        return -images
    return torch.rot90(images, 1, dims=(2, 3))


class DigitDomains(NamedTuple):
    """Two unpaired digit domains (built by :func:`digit_domains` or :func:`mnist_svhn_domains`).

    :func:`digit_domains`: ``first`` [M1, 1, 8, 8] the digits as they are, ``second``
    [M2, 1, 8, 8] other digits changed by :func:`domain_transform`. :func:`mnist_svhn_domains`:
    ``first`` MNIST [M1, 1, 32, 32], ``second`` SVHN [M2, 3, 32, 32]. All in [-1, 1].
    ``first_labels`` [M1] and ``second_labels`` [M2] are the digits' classes, kept for
    evaluation only. ``kind`` names the change (``"inverted"``, ``"rotated"``) or the pair
    (``"mnist-svhn"``).
    """

    first: Tensor
    first_labels: Tensor
    second: Tensor
    second_labels: Tensor
    kind: str


def digit_domains(kind: str = "inverted", split: str | None = None,
                  seed: int = 0) -> DigitDomains:
    """Two unpaired domains of 8x8 digits for CycleGAN-style translation.

    The digits of :func:`graphcourse.data.digits` (``split`` None, ``"train"`` or ``"test"``)
    are scaled from [0, 1] to [-1, 1] and shuffled with ``seed``; the first half is the
    first domain as it is, the second half goes through :func:`domain_transform` with
    ``kind`` (``"inverted"`` or ``"rotated"``) and is the second domain. No image appears in
    both domains, so no pair (x, its transformed self) is ever seen in training.
    """
    check_choice(kind, "kind", DOMAIN_KINDS)
    seed = check_positive_int(seed, "seed", minimum=0)
    images, labels = digits(split=split, seed=seed)
    images = (images * 2 - 1).reshape(-1, 1, 8, 8)  # [M, 64] in [0, 1] -> [M, 1, 8, 8]
    order = torch.from_numpy(np.random.default_rng(seed + 1).permutation(len(labels)))
    half = len(labels) // 2
    a, b = order[:half], order[half:]
    return DigitDomains(images[a], labels[a], domain_transform(images[b], kind), labels[b],
                        kind)


def _domain_names(names: Any) -> tuple[str, ...]:
    if isinstance(names, str):
        names = (names,)
    if not isinstance(names, (tuple, list)) or not names:
        raise TypeError(f"names: expected a non-empty list of domain names from {REAL_DOMAINS}, "
                        f"such as ['mnist'], got {type(names).__name__}")
    return tuple(check_choice(name, "names", REAL_DOMAINS) for name in names)


def missing_domain_files(names: Any = REAL_DOMAINS, root: str | os.PathLike | None = None,
                         train: bool = True) -> list[Path]:
    """The files of the domains ``names`` (``"mnist"``, ``"svhn"`` or both) that are not on
    disk: MNIST's two IDX files in ``mnist_folder(root)`` (gzipped or not), SVHN's
    ``train_32x32.mat`` / ``test_32x32.mat`` in ``svhn_folder(root)``; ``train`` picks the
    training or the test files. An empty list when everything is there."""
    names = _domain_names(names)
    train = check_bool(train, "train")
    missing: list[Path] = []
    if "mnist" in names:
        folder = mnist_folder(root)
        missing += [folder / stem for stem in MNIST_FILES[train]
                    if not any((folder / (stem + end)).is_file() for end in ("", ".gz"))]
    if "svhn" in names and not (svhn_folder(root) / SVHN_FILES[train]).is_file():
        missing.append(svhn_folder(root) / SVHN_FILES[train])
    return missing


def image_domain(name: str, root: str | os.PathLike | None = None, train: bool = True,
                 limit: int | None = None) -> tuple[Tensor, Tensor]:
    """One 32x32 domain of mnist-svhn-transfer, from the files on disk.

    ``"mnist"``: :func:`~graphcourse.data.mnist`'s 28x28 images resized to 32x32 (bilinear,
    as its data loader's ``Scale(32)``), 1 channel; ``"svhn"``: :func:`~graphcourse.data.svhn`
    as it is, 3 channels. Pixels x in [0, 1] become 2x - 1 in [-1, 1]. ``limit`` keeps the
    first ``limit`` images. Returns ``(images [M, C, 32, 32] float32, labels [M] long)``.
    """
    name = check_choice(name, "name", REAL_DOMAINS)
    if name == "svhn":
        images, labels = svhn(root, train=train, limit=limit)  # [M, 3, 32, 32] in [0, 1]
    else:
        flat, labels = mnist(root, train=train, limit=limit)  # [M, 784] in [0, 1]
        images = F.interpolate(flat.view(-1, 1, 28, 28), size=(SVHN_SIDE, SVHN_SIDE),
                               mode="bilinear", align_corners=False)  # -> [M, 1, 32, 32]
    return (images * 2 - 1).clamp(-1, 1), labels


def mnist_svhn_domains(root: str | os.PathLike | None = None, train: bool = True,
                       limit: int | None = None) -> DigitDomains:
    """MNIST -> SVHN as in mnist-svhn-transfer: ``first`` MNIST [M1, 1, 32, 32], ``second``
    SVHN [M2, 3, 32, 32], both in [-1, 1] (:func:`image_domain`), labels kept for evaluation,
    ``kind`` ``"mnist-svhn"``. Two different datasets, so no pair is ever given. ``limit``
    caps each domain's images. Without the files a ``FileNotFoundError`` lists every missing
    one (:func:`missing_domain_files`) before anything is read."""
    missing = missing_domain_files(REAL_DOMAINS, root, train)
    if missing:
        raise FileNotFoundError(
            f"root: missing {', '.join(map(str, missing))} (MNIST's raw IDX files, gzipped or "
            f"not, and SVHN's .mat); put them there, or set root / $GRAPHCOURSE_DATA to the "
            f"folder that holds MNIST/raw and SVHN/")
    first, first_labels = image_domain("mnist", root, train, limit)
    second, second_labels = image_domain("svhn", root, train, limit)
    return DigitDomains(first, first_labels, second, second_labels, "mnist-svhn")
