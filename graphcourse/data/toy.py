"""Toy data for the GANs of chapter 08: a ring of 2-D Gaussians and two unpaired digit domains.

- :func:`gaussian_mixture_2d`: ``modes`` Gaussians of standard deviation ``std`` whose centres
  (:func:`mode_centres`) sit evenly on a circle of radius ``radius``, equally likely. The ring of 8
  modes of radius 2 is the mixture on which mode collapse is usually shown (Metz et al.,
  "Unrolled GANs", ICLR 2017, use std 0.02); the default std here is 0.05, with which a small
  MLP GAN covers all 8 modes within about 1,000 steps on a CPU.
- :func:`digit_domains`: two sets of scikit-learn's 8x8 digits for unpaired translation
  (CycleGAN, mnist-svhn-transfer): the digits as they are, and a disjoint set of other digits
  changed by :func:`domain_transform` (colour-inverted or rotated by 90 degrees). Images are
  [M, 1, 8, 8] in [-1, 1], as GANs with a Tanh output want them.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import torch
from torch import Tensor

from .._validate import (
    check_choice,
    check_instance,
    check_number,
    check_positive_int,
    check_tensor,
)
from .images import digits

DOMAIN_KINDS = ("inverted", "rotated")


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
    """Two unpaired digit domains (built by :func:`digit_domains`).

    ``first`` [M1, 1, 8, 8] the digits as they are, ``second`` [M2, 1, 8, 8] other digits
    changed by :func:`domain_transform`; both in [-1, 1]. ``first_labels`` [M1] and
    ``second_labels`` [M2] are the digits' classes, kept for evaluation only. ``kind`` names
    the change.
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
