"""Images as signals on their pixel grid: filters, kernels and spectra (chapter 02).

An image [H, W] is a signal on the 4-neighbour grid graph with N = H W nodes (pixel (r, c)
is node ``r W + c``, see :func:`graphcourse.data.grid_graph`). This module computes what the
chapter's playground and spectral explorer show (:mod:`graphcourse.widgets.filters` wires
them to controls, :mod:`graphcourse.viz.spectral` draws them):

- :func:`apply_filter` / :func:`filter_kernel`: ``sum_i w_i M^i x`` with ``M`` one of
  ``D - A``, ``L_sym`` or ChebNet's ``T_i(L~)``, and its kernel at one pixel (row v of the
  filter matrix); :func:`playground` gathers both for one setting of the controls;
- :func:`grid_eigenvector`, :func:`grid_multiplicity`: eigenvectors of the grid's ``D - A``
  as images, and whether their eigenvalue is repeated;
- :func:`spectral_reconstruction`: an image rebuilt from its first m graph Fourier
  components ``U_m U_m^T x``; :func:`spectral_view` gathers what the explorer shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import torch
from torch import Tensor

from .._validate import (
    _as_int,
    check_choice,
    check_finite,
    check_index,
    check_instance,
    check_positive_int,
    check_tensor,
)
from ..data import grid_graph, karate_club
from .filters import _check_weights, chebyshev_filter, polynomial_filter
from .operators import laplacian, largest_eigenvalue, scaled_laplacian
from .spectrum import eigenvector, gft, igft, laplacian_eigs, multiplicity

OPERATORS = {"L": "L = D - A", "sym": "normalised L_sym",
             "cheb": "Chebyshev T_i(L~) of D - A"}
INPUTS = ("pixel", "digit", "noise")


def _check_size(height: Any, width: Any) -> tuple[int, int]:
    return check_positive_int(height, "height"), check_positive_int(width, "width")


def _check_image(image: Any, name: str = "image") -> Tensor:
    check_tensor(image, name, ndim=2, floating=True)
    if image.numel() == 0:
        raise ValueError(f"{name}: expected at least one pixel, got shape {list(image.shape)}")
    return check_finite(image, name)


def _check_pixel(pixel: Any, height: int, width: int) -> tuple[int, int]:
    if not isinstance(pixel, (tuple, list)) or len(pixel) != 2:
        raise TypeError(f"pixel: expected a (row, column) pair of ints, got {pixel!r}")
    row = _as_int(pixel[0], "pixel", "a (row, column) pair of ints")
    col = _as_int(pixel[1], "pixel", "a (row, column) pair of ints")
    if not (0 <= row < height and 0 <= col < width):
        raise ValueError(f"pixel: {(row, col)} is outside the {height} x {width} grid "
                         f"(rows 0..{height - 1}, columns 0..{width - 1})")
    return row, col


# --------------------------------------------------------------------------- filters
def grid_operator(height: int, width: int, operator: str = "L") -> Tensor:
    """The operator the playground applies on a ``height`` x ``width`` 4-neighbour grid, as a
    torch sparse [N, N] matrix (N = H W): ``D - A`` (``'L'``), ``L_sym`` (``'sym'``) or, for
    ``'cheb'``, ``L~ = 2 L / lambda_max - I`` of ``D - A`` with its exact lambda_max."""
    height, width = _check_size(height, width)
    check_choice(operator, "operator", OPERATORS)
    return _grid_operator(height, width, operator)


@lru_cache(maxsize=16)
def _grid_operator(height: int, width: int, operator: str) -> Tensor:
    edge_index = grid_graph(height, width)
    n = height * width
    if operator == "sym":
        return laplacian(edge_index, n, normalization="sym")
    L = laplacian(edge_index, n)
    if operator == "L":
        return L
    top = largest_eigenvalue(L) if n > 1 else 1.0
    return scaled_laplacian(edge_index, n, normalization=None, lambda_max=top or 1.0)


def apply_filter(image: Tensor, weights: Any, operator: str = "L") -> Tensor:
    """Filter an image [H, W] seen as a signal on its pixel grid; returns [H, W].

    ``'L'`` and ``'sym'`` apply ``sum_i w_i M^i x`` (repeated sparse products), ``'cheb'``
    applies ``sum_i w_i T_i(L~) x`` by the Chebyshev recurrence.
    """
    _check_image(image)
    check_choice(operator, "operator", OPERATORS)
    height, width = image.shape
    M = _grid_operator(int(height), int(width), operator)
    x = image.reshape(-1)  # [H, W] -> [N]
    if operator == "cheb":
        out = chebyshev_filter(M, x, weights)
    else:
        out = polynomial_filter(M, x, weights)
    return out.reshape(height, width)  # [N] -> [H, W]


def filter_kernel(height: int, width: int, weights: Any, pixel: tuple[int, int],
                  operator: str = "L") -> Tensor:
    """The kernel of the filter at ``pixel``: row v of the filter matrix, as an image [H, W].

    Entry u is the weight pixel u gets in the output at v. The matrices are symmetric, so row
    v is the filter applied to the one-hot image of v. Kernels are zero beyond d hops and
    differ near the borders, where pixels have fewer neighbours.
    """
    height, width = _check_size(height, width)
    row, col = _check_pixel(pixel, height, width)
    one_hot = torch.zeros(height, width)
    one_hot[row, col] = 1.0
    return apply_filter(one_hot, weights, operator)


def make_input(kind: str, height: int = 16, width: int = 16, pixel: tuple[int, int] | None = None,
               digit: int = 0, seed: int = 0) -> Tensor:
    """An input image [H, W] for the playground.

    ``'pixel'``: one bright pixel (the centre by default); ``'digit'``: scikit-learn digit
    number ``digit`` (8x8, one of 1797), enlarged to the grid by repeating pixels;
    ``'noise'``: standard Gaussian noise from ``seed``.
    """
    height, width = _check_size(height, width)
    check_choice(kind, "kind", INPUTS)
    digit = _as_int(digit, "digit")
    seed = _as_int(seed, "seed")
    if kind == "pixel":
        row, col = _check_pixel(pixel if pixel is not None else (height // 2, width // 2),
                                height, width)
        image = torch.zeros(height, width)
        image[row, col] = 1.0
        return image
    if kind == "noise":
        generator = torch.Generator().manual_seed(seed)
        return torch.randn(height, width, generator=generator)
    images = _digit_images()
    digit = check_index(digit, len(images), "digit")
    small = images[digit]  # [8, 8]
    rows = np.minimum(np.arange(height) * 8 // height, 7)
    cols = np.minimum(np.arange(width) * 8 // width, 7)
    return torch.from_numpy(small[np.ix_(rows, cols)].copy())  # [H, W]


@lru_cache(maxsize=1)
def _digit_images() -> np.ndarray:
    from sklearn.datasets import load_digits

    return (load_digits().images / 16.0).astype(np.float32)  # [1797, 8, 8]


def sample_image(height: int = 30, width: int = 40) -> Tensor:
    """A grey-scale photograph shipped with scikit-learn (``china.jpg``, 427 x 640), reduced
    to ``height`` x ``width`` by block averages, in [0, 1]. [H, W]"""
    from sklearn.datasets import load_sample_image

    height, width = _check_size(height, width)
    if height > 427 or width > 640:
        raise ValueError(f"height, width: expected at most 427 x 640 (the photograph's size), "
                         f"got {height} x {width}")
    photo = load_sample_image("china.jpg").mean(axis=2) / 255.0  # [427, 640]
    bh, bw = photo.shape[0] // height, photo.shape[1] // width
    cropped = photo[:bh * height, :bw * width]
    blocks = cropped.reshape(height, bh, width, bw).mean(axis=(1, 3))  # [H, W]
    return torch.from_numpy(blocks.astype(np.float32))


@dataclass
class PlaygroundView:
    """What the playground draws (built by :func:`playground`): the input [H, W], the
    filtered output [H, W] and the kernel [H, W] at ``pixel``; ``degree`` is the highest
    power i with ``w_i != 0``, so the kernel reaches at most ``degree`` hops."""

    image: Tensor
    output: Tensor
    kernel: Tensor
    pixel: tuple[int, int]
    degree: int

    def __post_init__(self) -> None:
        for name in ("image", "output", "kernel"):
            check_tensor(getattr(self, name), name, ndim=2)
        if not self.image.shape == self.output.shape == self.kernel.shape:
            raise ValueError(f"image, output, kernel: expected one shape, got "
                             f"{list(self.image.shape)}, {list(self.output.shape)}, "
                             f"{list(self.kernel.shape)}")
        self.pixel = _check_pixel(self.pixel, *self.image.shape)
        self.degree = check_positive_int(self.degree, "degree", minimum=0)

    @property
    def support(self) -> int:
        """Number of pixels the kernel touches (non-zero entries)."""
        return int((self.kernel.abs() > 1e-12).sum())


def playground(kind: str, weights: Any, operator: str = "L", pixel: tuple[int, int] | None = None,
               height: int = 16, width: int = 16, digit: int = 0, seed: int = 0) -> PlaygroundView:
    """Everything the playground shows for one setting of its controls: the input of ``kind``
    (see :func:`make_input`), its filtered version and the kernel at ``pixel`` (the centre by
    default)."""
    height, width = _check_size(height, width)
    weights = _check_weights(weights)
    image = make_input(kind, height, width, pixel if kind == "pixel" else None, digit, seed)
    pixel = _check_pixel(pixel if pixel is not None else (height // 2, width // 2),
                         height, width)
    coefficients = weights.tolist() if isinstance(weights, Tensor) else weights
    degree = max((i for i, w in enumerate(coefficients) if float(w) != 0.0), default=0)
    return PlaygroundView(image, apply_filter(image, weights, operator),
                          filter_kernel(height, width, weights, pixel, operator), pixel, degree)


def slider_limit(operator: str, power: int, height: int = 16, width: int = 16) -> float:
    """The slider range ±limit for w_i: ``(2 / lambda_max)^i`` for ``'L'`` (so that
    ``w_i L^i`` stays of order 1, the Distill figure's restriction) and 1 otherwise."""
    check_choice(operator, "operator", OPERATORS)
    power = check_positive_int(power, "power", minimum=0)
    height, width = _check_size(height, width)
    if operator != "L":
        return 1.0
    top = _grid_lambda_max(height, width)
    return float((2.0 / top) ** power) if top > 0 else 1.0


@lru_cache(maxsize=8)
def _grid_lambda_max(height: int, width: int) -> float:
    return largest_eigenvalue(_grid_operator(height, width, "L"))


# --------------------------------------------------------------------------- spectra
@lru_cache(maxsize=8)
def _grid_eigs(height: int, width: int) -> tuple[Tensor, Tensor]:
    L = laplacian(grid_graph(height, width), height * width, dtype=torch.float64)
    return laplacian_eigs(L, dtype=torch.float64)  # [N], [N, N]


def grid_eigenvector(height: int, width: int, k: int) -> tuple[Tensor, float]:
    """Eigenvector k of ``D - A`` on the grid as an image [H, W], and its eigenvalue.

    Many grid eigenvalues are repeated (on a square grid the horizontal and vertical waves
    of the same frequency tie). For those, the image is whichever orthonormal basis vector
    of the eigenspace the solver returned, often a diagonal mixture, and it can differ
    between machines; :func:`grid_multiplicity` tells which k are affected.
    """
    height, width = _check_size(height, width)
    k = check_index(k, height * width, "k", "an eigenvector index")
    values, vectors = _grid_eigs(height, width)
    return vectors[:, k].reshape(height, width), float(values[k])  # [N] -> [H, W]


def grid_multiplicity(height: int, width: int, k: int) -> int:
    """Multiplicity of eigenvalue k of ``D - A`` on the ``height`` x ``width`` grid."""
    height, width = _check_size(height, width)
    values, _ = _grid_eigs(height, width)
    return multiplicity(values, k)


def spectral_reconstruction(image: Tensor, m: int) -> tuple[Tensor, float]:
    """Rebuild an image [H, W] from its first m graph Fourier components on its pixel grid.

    ``x_m = U_m U_m^T x``; returns ``(x_m [H, W], relative error ||x - x_m|| / ||x||)``.
    m = N gives the image back exactly; small m keeps only smooth, blurry structure. The
    result is well defined when the cut keeps whole eigenspaces (``lambda_{m-1} !=
    lambda_m``); a cut through a repeated eigenvalue keeps an arbitrary part of it.
    """
    _check_image(image)
    height, width = (int(s) for s in image.shape)
    n = height * width
    m = check_positive_int(m, "m")
    if m > n:
        raise ValueError(f"m: expected at most {n} components (one per pixel), got {m}")
    _, vectors = _grid_eigs(height, width)
    U = vectors[:, :m]  # [N, m]
    x = image.reshape(-1).double()  # [H, W] -> [N]
    rebuilt = igft(gft(x, U), U)
    norm = float(x.norm())
    error = float((x - rebuilt).norm()) / norm if norm > 0 else 0.0
    return rebuilt.reshape(height, width).to(image.dtype), error


@dataclass
class SpectralView:
    """What the spectral explorer shows for eigenvector ``k`` and ``m`` kept components
    (built by :func:`spectral_view`)."""

    k: int
    m: int
    grid_vector: Tensor      # [H, W], eigenvector k of D - A on the image's grid
    grid_value: float
    grid_multiplicity: int
    club_vector: Tensor      # [34], eigenvector k of D - A on the karate club
    club_value: float
    club_rayleigh: float
    club_multiplicity: int
    rebuilt: Tensor          # [H, W], the image from its first m components
    error: float             # ||x - x_m|| / ||x||

    def __post_init__(self) -> None:
        for name in ("k", "m", "grid_multiplicity", "club_multiplicity"):
            check_positive_int(getattr(self, name), name, minimum=0)
        check_tensor(self.grid_vector, "grid_vector", ndim=2)
        check_tensor(self.club_vector, "club_vector", ndim=1)
        check_tensor(self.rebuilt, "rebuilt", ndim=2)
        for name in ("grid_value", "club_value", "club_rayleigh", "error"):
            check_instance(getattr(self, name), name, float, "a float")


def spectral_view(image: Tensor, k: int, m: int) -> SpectralView:
    """Everything the spectral explorer shows for eigenvector ``k`` (of the image's grid and
    of the karate club, so k < min(H W, 34)) and ``m`` kept components of ``image`` [H, W]."""
    _check_image(image)
    height, width = (int(s) for s in image.shape)
    karate = karate_club()
    k = check_index(k, min(height * width, karate.num_nodes), "k", "an eigenvector index")
    grid_vec, grid_val = grid_eigenvector(height, width, k)
    club_vec, club_val, club_rq = eigenvector(karate.edge_index, karate.num_nodes, k)
    club_values, _ = _club_eigs()
    rebuilt, error = spectral_reconstruction(image, m)
    return SpectralView(k, m, grid_vec, grid_val, grid_multiplicity(height, width, k), club_vec,
                        club_val, club_rq, multiplicity(club_values, k), rebuilt, error)


@lru_cache(maxsize=1)
def _club_eigs() -> tuple[Tensor, Tensor]:
    karate = karate_club()
    L = laplacian(karate.edge_index, karate.num_nodes, dtype=torch.float64)
    return laplacian_eigs(L, dtype=torch.float64)
