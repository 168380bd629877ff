"""SVHN's 32x32 colour digits from the official ``train_32x32.mat`` / ``test_32x32.mat`` files,
for chapter 08's MNIST <-> SVHN translation in the full profile (as in mnist-svhn-transfer).

Nothing is downloaded: the files are read with ``scipy.io.loadmat`` from
``data_root(root)/SVHN``. The official files hold ``X`` [32, 32, 3, M] uint8 (height, width,
channel, image) and ``y`` [M, 1] with the labels 1..10, where 10 stands for the digit 0.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from torch import Tensor

from .._validate import check_bool, optional_int
from .citations import data_root

SVHN_FILES = {True: "train_32x32.mat", False: "test_32x32.mat"}
SVHN_SIDE = 32


class SVHNImages(NamedTuple):
    """SVHN images and labels: ``images`` [M, 3, 32, 32] float32 in [0, 1] (RGB), ``labels``
    [M] long, the digit shown (0-9; the files' label 10 is mapped to 0)."""

    images: Tensor
    labels: Tensor


def svhn_folder(root: str | os.PathLike | None = None) -> Path:
    """Where :func:`svhn` looks for the ``.mat`` files: ``data_root(root)/SVHN``."""
    return data_root(root) / "SVHN"


def svhn(root: str | os.PathLike | None = None, train: bool = True,
         limit: int | None = None) -> SVHNImages:
    """SVHN's cropped digits from ``data_root(root)/SVHN/train_32x32.mat`` (``train=True``,
    73,257 images) or ``test_32x32.mat`` (26,032). ``limit`` keeps the first ``limit`` images.
    Without the file a ``FileNotFoundError`` names the folder and the file to put there.

    Returns :class:`SVHNImages`: images [M, 3, 32, 32] (0-255 scaled to [0, 1]; the files'
    [32, 32, 3, M] moved to [M, 3, 32, 32]) and labels [M] in 0..9.
    """
    from scipy.io import loadmat

    train = check_bool(train, "train")
    limit = optional_int(limit, "limit")
    if limit is not None and limit < 1:
        raise ValueError(f"limit: expected an int >= 1 or None, got {limit}")
    path = svhn_folder(root) / SVHN_FILES[train]
    if not path.is_file():
        raise FileNotFoundError(
            f"root: SVHN's {SVHN_FILES[train]} is not in {path.parent}; put it there, or set "
            f"root / $GRAPHCOURSE_DATA to the folder that holds SVHN/")
    content = loadmat(path)
    if "X" not in content or "y" not in content:
        raise ValueError(f"root: {path} holds no 'X' and 'y' arrays; expected SVHN's "
                         f"cropped-digits format")
    pixels, labels = np.asarray(content["X"]), np.asarray(content["y"]).reshape(-1)
    if pixels.ndim != 4 or pixels.shape[:3] != (SVHN_SIDE, SVHN_SIDE, 3):
        raise ValueError(f"root: {path} has X of shape {list(pixels.shape)}; expected "
                         f"[32, 32, 3, M]")
    if pixels.shape[3] != len(labels):
        raise ValueError(f"root: {path} holds {pixels.shape[3]} images but {len(labels)} labels")
    if len(labels) and (labels.min() < 1 or labels.max() > 10):
        raise ValueError(f"root: {path} has labels in [{labels.min()}, {labels.max()}]; "
                         f"expected 1..10 (10 = the digit 0)")
    if limit is not None:
        pixels, labels = pixels[..., :limit], labels[:limit]
    pixels = np.ascontiguousarray(pixels.transpose(3, 2, 0, 1))  # [32, 32, 3, M] -> [M, 3, 32, 32]
    images = torch.from_numpy(pixels.astype(np.float32) / 255.0)
    return SVHNImages(images, torch.from_numpy((labels % 10).astype(np.int64)))
