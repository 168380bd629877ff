"""Eigenpairs of a Laplacian, the graph Fourier transform and spectral filtering (chapter 02).

- :func:`laplacian_eigs`: eigenpairs (dense ``eigh``, or SciPy ``eigsh`` for the first m) of a
  symmetric operator, and :func:`eigenspaces` / :func:`multiplicity` for repeated eigenvalues,
  whose eigenvectors are not unique;
- the graph Fourier transform ``x^ = U^T x`` (:func:`gft`) and its inverse ``x = U x^``;
- the Rayleigh quotient ``x^T L x / x^T x`` and spectral filtering ``U g(Lambda) U^T x``.

Shapes: N nodes, m eigenpairs kept, F features; ``U`` is [N, m] with orthonormal columns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import Tensor

from .._validate import (
    check_choice,
    check_finite,
    check_index,
    check_number,
    check_positive_int,
    check_tensor,
)
from .operators import (
    Operator,
    _check_dtype,
    _check_normalization,
    _check_signal,
    _check_symmetric,
    _dense64,
    laplacian,
    matmul,
    operator_size,
    to_scipy,
)


def _fix_signs(vectors: Tensor) -> Tensor:
    """Flip each eigenvector so that its largest-magnitude entry is positive.

    The sign of an eigenvector is arbitrary; this makes it repeatable for a simple eigenvalue
    whose largest entry is not tied in magnitude with another entry. It cannot make the
    basis of a repeated eigenvalue repeatable (see :func:`laplacian_eigs`)."""
    index = vectors.abs().argmax(dim=0)  # [m]
    signs = torch.sign(vectors[index, torch.arange(vectors.size(1))])
    signs[signs == 0] = 1.0
    return vectors * signs


def laplacian_eigs(L: Operator, m: int | None = None, method: str = "auto",
                   dtype: torch.dtype = torch.float32) -> tuple[Tensor, Tensor]:
    """The m smallest eigenpairs of a symmetric Laplacian: ``(Lambda [m], U [N, m])``.

    Eigenvalues ascend (low to high frequency); columns of U are orthonormal, each with its
    largest-magnitude entry positive. ``method='dense'`` runs ``torch.linalg.eigh`` on the
    dense matrix (O(N^3) time, O(N^2) memory); ``'sparse'`` runs SciPy's ``eigsh`` in
    shift-invert mode for the first m pairs only; ``'auto'`` picks dense when N <= 2000 or
    m is None. Both solvers read one triangle of ``L`` only, so ``L`` must be symmetric (a
    ``ValueError`` says so otherwise: a directed edge list, or the random-walk Laplacian).

    Repeated eigenvalues: the eigenvectors of an eigenvalue of multiplicity r > 1 are not
    unique. Any orthonormal basis of its r-dimensional eigenspace is a valid answer, and
    which one the solver returns depends on the LAPACK build, the CPU and the order of the
    nodes. Only the eigenspace (the projection ``U_E U_E^T``) is well defined; see
    :func:`eigenspaces`. The same holds when m cuts through a repeated eigenvalue.
    """
    n = operator_size(L)
    if m is None:
        m = n
    m = check_positive_int(m, "m")
    if m > n:
        raise ValueError(f"m: asked for {m} eigenpairs of a graph with only {n} nodes")
    check_choice(method, "method", ("auto", "dense", "sparse"))
    _check_dtype(dtype)
    _check_symmetric(L)
    if method == "auto":
        method = "dense" if (n <= 2000 or m == n) else "sparse"
    if method == "sparse" and m >= n - 1:
        raise ValueError(f"m: the sparse solver needs m < N - 1 (N={n}); use method='dense'")
    if method == "dense":
        values, vectors = torch.linalg.eigh(_dense64(L))
        values, vectors = values[:m], vectors[:, :m]
    else:
        from scipy.sparse.linalg import eigsh

        matrix = to_scipy(L).astype(np.float64)
        start = np.random.default_rng(0).standard_normal(n)  # repeatable start vector
        vals, vecs = eigsh(matrix, k=m, sigma=-1e-3, which="LM", v0=start)
        order = np.argsort(vals)
        values = torch.from_numpy(vals[order])
        vectors = torch.from_numpy(np.ascontiguousarray(vecs[:, order]))
    return values.to(dtype), _fix_signs(vectors).to(dtype)


def eigenspaces(eigenvalues: Tensor, tol: float = 1e-6) -> list[range]:
    """Group ascending eigenvalues [m] into eigenspaces: ``[range(0, 1), range(1, 3), ...]``.

    Consecutive eigenvalues closer than ``tol`` share a group; a group of length r > 1 is an
    eigenvalue of multiplicity r, whose eigenvectors are defined only up to a rotation
    within the group. A cut ``U[:, :m]`` is well defined only if m is the end of a group.

    Example: the 4-cycle has eigenvalues (0, 2, 2, 4) of ``D - A``, so
    ``eigenspaces(tensor([0., 2., 2., 4.]))`` is ``[range(0, 1), range(1, 3), range(3, 4)]``.
    """
    check_tensor(eigenvalues, "eigenvalues", ndim=1, floating=True)
    check_finite(eigenvalues, "eigenvalues")
    tol = check_number(tol, "tol", low=0)
    values = eigenvalues.detach().cpu().double().tolist()
    if any(b < a - tol for a, b in zip(values, values[1:])):
        raise ValueError("eigenvalues: expected them in ascending order")
    groups, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] - values[i - 1] > tol:
            groups.append(range(start, i))
            start = i
    return groups


def multiplicity(eigenvalues: Tensor, k: int, tol: float = 1e-6) -> int:
    """How many of the ascending ``eigenvalues`` [m] equal eigenvalue k (within ``tol``): 1
    for a simple eigenvalue, whose eigenvector is unique up to sign; r > 1 for an eigenspace
    of dimension r, whose basis the solver picks arbitrarily."""
    check_tensor(eigenvalues, "eigenvalues", ndim=1, floating=True)
    k = check_index(k, eigenvalues.numel(), "k", "an eigenvalue index")
    return next(len(group) for group in eigenspaces(eigenvalues, tol) if k in group)


def eigenvector(edge_index: Tensor, num_nodes: int, k: int,
                normalization: str | None = None) -> tuple[Tensor, float, float]:
    """Eigenvector k (0 = lowest frequency) of the graph's Laplacian (``D - A``, or ``L_sym``
    with ``normalization='sym'``), with its eigenvalue and its Rayleigh quotient
    ``x^T L x / x^T x`` (the two agree). Returns ``(u_k [N], lambda_k, R(u_k))`` in float64.
    """
    _check_normalization(normalization)
    if normalization == "rw":
        raise ValueError("normalization: expected None or 'sym' (the random-walk Laplacian is "
                         "not symmetric, so its eigenvectors are not orthonormal), got 'rw'")
    L = laplacian(edge_index, num_nodes, normalization=normalization, dtype=torch.float64)
    k = check_index(k, operator_size(L), "k", "an eigenvector index")
    values, vectors = laplacian_eigs(L, dtype=torch.float64)
    vector = vectors[:, k]
    return vector, float(values[k]), float(rayleigh_quotient(L, vector))


def gft(x: Tensor, U: Tensor) -> Tensor:
    """Graph Fourier transform ``x^ = U^T x``: x [N] or [N, F], U [N, m] -> [m] or [m, F].

    Entry k measures how much of x lies along eigenvector k (frequency lambda_k).
    """
    check_tensor(U, "U", ndim=2, floating=True)
    _check_signal(x, U.size(0))
    return U.t().to(x.dtype) @ x


def igft(x_hat: Tensor, U: Tensor) -> Tensor:
    """Inverse transform ``x = U x^``: x_hat [m] or [m, F], U [N, m] -> [N] or [N, F].

    With m < N this rebuilds the projection of x on the first m (smoothest) eigenvectors.
    """
    check_tensor(U, "U", ndim=2, floating=True)
    check_tensor(x_hat, "x_hat", floating=True)
    if x_hat.dim() not in (1, 2) or x_hat.size(0) != U.size(1):
        raise ValueError(f"x_hat: expected shape [{U.size(1)}] or [{U.size(1)}, F] to match U "
                         f"with {U.size(1)} columns, got {list(x_hat.shape)}")
    return U.to(x_hat.dtype) @ x_hat


def rayleigh_quotient(L: Operator, x: Tensor) -> Tensor:
    """``R_L(x) = x^T L x / x^T x``: 0-d for x [N], [F] (one per column) for x [N, F].

    For ``L = D - A`` it equals ``sum_{(u, v) in E} (x_u - x_v)^2 / sum_v x_v^2`` (each
    undirected edge once): small for smooth signals; for an eigenvector it is the eigenvalue.
    """
    n = operator_size(L)
    _check_signal(x, n)
    energy = (x * matmul(L, x)).sum(dim=0)
    norm = (x * x).sum(dim=0)
    if bool((norm == 0).any()):
        raise ValueError("x: the Rayleigh quotient is undefined for a zero signal")
    return energy / norm


def spectral_filter(x: Tensor, eigenvalues: Tensor, eigenvectors: Tensor,
                    response: Callable[[Tensor], Tensor] | Tensor) -> Tensor:
    """``U g(Lambda) U^T x``: filter x [N] or [N, F] in the spectral domain.

    ``response`` is either a function g applied to the eigenvalues [m] or the values g(lambda_k)
    themselves, as a tensor [m] (one per eigenvector, shared by all features) or [m, F].
    With m < N, components beyond the first m are dropped (treated as g = 0).
    """
    check_tensor(eigenvalues, "eigenvalues", ndim=1, floating=True)
    check_tensor(eigenvectors, "eigenvectors", ndim=2, floating=True)
    if eigenvectors.size(1) != eigenvalues.numel():
        raise ValueError(f"eigenvectors: expected {eigenvalues.numel()} columns (one per "
                         f"eigenvalue), got {eigenvectors.size(1)}")
    gains = _response(response, eigenvalues)
    if gains.dim() not in (1, 2) or gains.size(0) != eigenvalues.numel():
        raise ValueError(f"response: expected {eigenvalues.numel()} values (one per "
                         f"eigenvalue), as shape [m] or [m, F], got shape {list(gains.shape)}")
    x_hat = gft(x, eigenvectors)  # [m] or [m, F]
    if gains.dim() == 1 and x_hat.dim() == 2:
        gains = gains.unsqueeze(-1)  # [m, 1]
    return igft(gains.to(x_hat.dtype) * x_hat, eigenvectors)


def _response(response: Any, eigenvalues: Tensor) -> Tensor:
    """g(lambda) [m] or [m, F] from a function or a tensor of gains."""
    if isinstance(response, Tensor):
        gains = response
    elif callable(response):
        gains = response(eigenvalues)
        if not isinstance(gains, Tensor):
            raise TypeError(f"response: the function returned {type(gains).__name__}, expected "
                            "a tensor of gains g(lambda) [m]")
    else:
        raise TypeError(f"response: expected a function of the eigenvalues or a tensor of "
                        f"gains [m], got {type(response).__name__}")
    return check_tensor(gains, "response", floating=True)
