"""Polynomial and Chebyshev filters on a graph (chapter 02).

Source: Daigavane, Ravindran, Aggarwal, "Understanding Convolutions on Graphs", Distill 2021;
ChebNet (Defferrard, Bresson, Vandergheynst, NIPS 2016).

- ``p_w(L) x = sum_i w_i L^i x`` by repeated products (``L^i`` is never formed);
- Chebyshev filters ``sum_k w_k T_k(L~) x`` by ``T_k = 2 L~ T_{k-1} - T_{k-2}``, and the
  change of basis between the two (:func:`polynomial_to_chebyshev`);
- the low-pass filter ``(1 - alpha L)^steps`` of "one filter, three ways".

Operators ``L`` [N, N] are dense, torch sparse or SciPy; signals ``x`` are [N] or [N, F].
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import Tensor

from .._validate import _as_int, check_finite, check_number, check_positive_int, check_tensor
from .operators import Operator, _check_lambda_max, _check_signal, _dense64, matmul, operator_size


def _check_weights(weights: Any, name: str = "weights") -> list[float] | Tensor:
    """Coefficients w_0..w_d as a 1-D tensor (kept, so gradients flow) or a list of floats;
    every coefficient a finite real number."""
    if isinstance(weights, Tensor):
        if weights.dim() != 1 or weights.numel() == 0:
            raise ValueError(f"{name}: expected a non-empty 1-D tensor [d + 1], "
                             f"got shape {list(weights.shape)}")
        if not weights.is_floating_point():
            raise TypeError(f"{name}: expected a floating-point tensor, got dtype {weights.dtype}")
        return check_finite(weights, name)
    if isinstance(weights, np.ndarray):
        weights = weights.tolist()
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
        raise TypeError(f"{name}: expected a sequence of numbers or a 1-D tensor, "
                        f"got {type(weights).__name__}")
    if len(weights) == 0:
        raise ValueError(f"{name}: expected at least one coefficient (w_0), got none")
    out = []
    for i, w in enumerate(weights):
        try:
            value = check_number(w, f"{name}[{i}]", finite=True)
        except TypeError:
            raise TypeError(f"{name}: expected numbers, got {list(weights)!r}") from None
        out.append(value)
    return out


def polynomial_filter(L: Operator, x: Tensor, weights: Sequence[float] | Tensor) -> Tensor:
    """``p_w(L) x = sum_{i=0}^{d} w_i L^i x`` by d products with ``L``.

    ``L^i`` is never formed: ``z_0 = x``, ``z_i = L z_{i-1}``, ``out = sum_i w_i z_i``, so a
    sparse ``L`` costs O(d E F) time and O(N F) extra memory. Degree d means the output at v
    only depends on nodes at most d hops away.

    Args:
        L: [N, N] operator (dense, torch sparse or SciPy).
        x: [N] or [N, F] signal.
        weights: w_0..w_d (a sequence or a 1-D tensor; a tensor keeps gradients).
    Returns:
        same shape as x. Use a torch operator when gradients must flow through ``x``: SciPy
        products run in NumPy and are not recorded by autograd.
    """
    n = operator_size(L)
    _check_signal(x, n)
    weights = _check_weights(weights)
    z = x
    out = weights[0] * x
    for w in weights[1:]:
        z = matmul(L, z)  # z_i = L z_{i-1}
        out = out + w * z
    return out


def chebyshev_basis(L_scaled: Operator, x: Tensor, degree: int) -> list[Tensor]:
    """``[T_0(L~) x, ..., T_d(L~) x]`` by the recurrence (d products with ``L~``).

    ``T_0 x = x``, ``T_1 x = L~ x``, ``T_k x = 2 L~ T_{k-1} x - T_{k-2} x``. ``degree`` is the
    polynomial degree d >= 0, so the list holds d + 1 terms, each shaped like x ([N] or
    [N, F]). (PyG's ``ChebConv(..., K)`` and :class:`graphcourse.nn.ChebLayer` count terms
    instead: ``K = d + 1``.)
    """
    n = operator_size(L_scaled, "L_scaled")
    _check_signal(x, n)
    degree = _as_int(degree, "degree")
    if degree < 0:
        raise ValueError(f"degree: expected a polynomial degree >= 0, got {degree}")
    terms = [x]
    if degree >= 1:
        terms.append(matmul(L_scaled, x))
    for _ in range(2, degree + 1):
        terms.append(2.0 * matmul(L_scaled, terms[-1]) - terms[-2])
    return terms


def chebyshev_filter(L_scaled: Operator, x: Tensor, weights: Sequence[float] | Tensor) -> Tensor:
    """``sum_{k=0}^{d} w_k T_k(L~) x`` with Chebyshev polynomials T_k of the scaled Laplacian.

    ``weights`` holds the d + 1 coefficients w_0..w_d (degree d). ``L_scaled`` [N, N] should
    have its spectrum in [-1, 1] (see :func:`scaled_laplacian`); then every ``T_k(L~)`` has
    norm at most 1 and high orders stay stable. x [N] or [N, F] -> same shape.
    """
    weights = _check_weights(weights)
    terms = chebyshev_basis(L_scaled, x, len(weights) - 1)
    out = weights[0] * terms[0]
    for w, term in zip(weights[1:], terms[1:]):
        out = out + w * term
    return out


def polynomial_to_chebyshev(weights: Sequence[float], lambda_max: float = 2.0) -> list[float]:
    """Rewrite ``p_w(L) = sum_i w_i L^i`` as ``sum_k c_k T_k(L~)`` with ``L~ = 2L/lambda_max - I``.

    Both bases span the polynomials of degree d, so any polynomial filter is a ChebNet filter
    with the returned coefficients c_0..c_d (and the other way round). ``lambda_max`` must be
    a finite number > 0.
    """
    from numpy.polynomial import Chebyshev, Polynomial

    weights = _check_weights(weights)
    if isinstance(weights, Tensor):
        weights = [float(w) for w in weights.detach().cpu().tolist()]
    lambda_max = _check_lambda_max(lambda_max)
    half = lambda_max / 2.0
    in_mu = Polynomial(weights)(Polynomial([half, half]))  # L = (lambda_max / 2)(L~ + I)
    coef = in_mu.convert(kind=Chebyshev).coef
    out = [float(c) for c in coef] + [0.0] * (len(weights) - len(coef))
    return out[:len(weights)]


def filter_matrix(L: Operator, weights: Sequence[float] | Tensor) -> Tensor:
    """The dense matrix ``p_w(L)`` [N, N] in float64 (small graphs only: row v is the kernel
    at v)."""
    n = operator_size(L)
    eye = torch.eye(n, dtype=torch.float64)
    return polynomial_filter(_dense64(L), eye, weights)


def low_pass_response(eigenvalues: Tensor, steps: int, alpha: float = 0.5) -> Tensor:
    """The low-pass response ``g(lambda) = (1 - alpha lambda)^steps`` used in "one filter,
    three ways": ``steps`` rounds of ``x <- x - alpha L x``. eigenvalues [m] -> [m]."""
    check_tensor(eigenvalues, "eigenvalues", floating=True)
    steps = check_positive_int(steps, "steps", minimum=0)
    alpha = _check_alpha(alpha)
    return (1.0 - alpha * eigenvalues) ** steps


def low_pass_polynomial(steps: int, alpha: float = 0.5) -> list[float]:
    """Monomial coefficients w_0..w_steps of ``(1 - alpha L)^steps`` (binomial expansion), so
    that ``polynomial_filter(L, x, low_pass_polynomial(k, a))`` applies the low-pass filter."""
    from math import comb

    steps = check_positive_int(steps, "steps", minimum=0)
    alpha = _check_alpha(alpha)
    return [comb(steps, i) * (-alpha) ** i for i in range(steps + 1)]


def _check_alpha(alpha: Any) -> float:
    return check_number(alpha, "alpha", finite=True)
