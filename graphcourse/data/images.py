"""Images as flat vectors for the autoencoders of chapter 07: scikit-learn's 8x8 digits
(offline) and, when its files are on disk, MNIST.

Both come as :class:`DigitImages`: ``images`` [M, P] float32 in [0, 1] (P = 64 or 784 pixels,
row by row) and ``labels`` [M] long (the digit). MNIST is read from its raw IDX files with
NumPy, so torchvision is not needed.
"""

from __future__ import annotations

import gzip
import math
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from torch import Tensor

from .._validate import check_bool, check_choice, check_positive_int, optional_int
from .citations import data_root

TRAIN_FRACTION = 0.8  # digits(split="train") keeps 80% of the images, "test" the rest
MNIST_FILES = {
    True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


class DigitImages(NamedTuple):
    """Flat images and their labels: ``images`` [M, P] float32 in [0, 1], ``labels`` [M] long.

    ``side`` is the side of the square image (8 for the digits, 28 for MNIST), so that
    ``images.view(-1, side, side)`` shows them.
    """

    images: Tensor
    labels: Tensor

    @property
    def side(self) -> int:
        return math.isqrt(self.images.size(1))


def digits(split: str | None = None, seed: int = 0) -> DigitImages:
    """scikit-learn's 1,797 handwritten digits (8x8 pixels, 0-16 scaled to [0, 1]).

    ``split=None`` returns all of them in the dataset's order; ``"train"`` or ``"test"``
    return the two disjoint parts of one random permutation drawn with ``seed`` (80% / 20%,
    1,438 / 359 images), so that a model can be judged on digits it did not see.

    Returns :class:`DigitImages` with ``images`` [M, 64] and ``labels`` [M].
    """
    from sklearn.datasets import load_digits

    if split is not None:
        check_choice(split, "split", ("train", "test"))
    seed = check_positive_int(seed, "seed", minimum=0)
    pixels, labels = load_digits(return_X_y=True)
    images = torch.from_numpy(pixels.astype(np.float32) / 16.0)  # [1797, 64]
    labels = torch.from_numpy(labels.astype(np.int64))
    if split is None:
        return DigitImages(images, labels)
    order = torch.from_numpy(np.random.default_rng(seed).permutation(len(labels)))
    cut = int(round(TRAIN_FRACTION * len(labels)))
    chosen = order[:cut] if split == "train" else order[cut:]
    return DigitImages(images[chosen], labels[chosen])


def mnist_folder(root: str | os.PathLike | None = None) -> Path:
    """Where :func:`mnist` looks for MNIST's raw files: ``data_root(root)/MNIST/raw``."""
    return data_root(root) / "MNIST" / "raw"


def _read_idx(path: Path, dims: int) -> np.ndarray:
    """An IDX file of unsigned bytes with ``dims`` dimensions (gzipped or not) as an array."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        raw = handle.read()
    magic = int.from_bytes(raw[:4], "big")
    if magic != 0x0800 + dims:  # 0x08: unsigned bytes, then the number of dimensions
        raise ValueError(f"root: {path} is not an IDX file of {dims}-D unsigned bytes "
                         f"(magic number {magic:#x})")
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    values = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims)
    if values.size != int(np.prod(shape)):
        raise ValueError(f"root: {path} holds {values.size} values, its header says {shape}")
    return values.reshape(shape)


def _find(folder: Path, stem: str) -> Path | None:
    for name in (stem, stem + ".gz"):
        if (folder / name).is_file():
            return folder / name
    return None


def mnist(root: str | os.PathLike | None = None, train: bool = True,
          limit: int | None = None) -> DigitImages:
    """MNIST's 28x28 digits from the raw IDX files in ``data_root(root)/MNIST/raw``.

    ``train=True`` reads the 60,000 training images (``train-images-idx3-ubyte`` and
    ``train-labels-idx1-ubyte``, each optionally ``.gz``), ``False`` the 10,000 test images
    (``t10k-...``). ``limit`` keeps the first ``limit`` images. Nothing is downloaded: without
    the files a ``FileNotFoundError`` names the folder and the files to put there.

    Returns :class:`DigitImages` with ``images`` [M, 784] (0-255 scaled to [0, 1]) and
    ``labels`` [M].
    """
    train = check_bool(train, "train")
    limit = optional_int(limit, "limit")
    if limit is not None and limit < 1:
        raise ValueError(f"limit: expected an int >= 1 or None, got {limit}")
    folder = mnist_folder(root)
    stems = MNIST_FILES[train]
    paths = [_find(folder, stem) for stem in stems]
    if any(path is None for path in paths):
        missing = [stem for stem, path in zip(stems, paths) if path is None]
        raise FileNotFoundError(
            f"root: MNIST's raw files are not in {folder} (missing {', '.join(missing)}, "
            f"gzipped or not); put them there, or set root / $GRAPHCOURSE_DATA to the folder "
            f"that holds MNIST/raw")
    pixels = _read_idx(paths[0], 3)  # [M, 28, 28]
    labels = _read_idx(paths[1], 1)  # [M]
    if len(pixels) != len(labels):
        raise ValueError(f"root: {len(pixels)} images but {len(labels)} labels in {folder}")
    if limit is not None:
        pixels, labels = pixels[:limit], labels[:limit]
    images = torch.from_numpy(pixels.reshape(len(pixels), -1).astype(np.float32) / 255.0)
    return DigitImages(images, torch.from_numpy(labels.astype(np.int64)))

