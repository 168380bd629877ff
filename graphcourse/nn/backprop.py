"""Backpropagation by hand for a two-layer network of sigmoid units (chapter 07).

Convention (the notes' one, layer by layer): ``z^l = W^l a^{l-1} + b^l`` and
``a^l = σ(z^l)``, with ``a^0 = x``; ``W^l`` has shape [units of layer l, units of layer l-1]
(as ``nn.Linear.weight``). A batch holds examples as rows, so in code ``z = a @ W.T + b``.

``params`` is a dict ``{"W1": [H, F], "b1": [H], "W2": [O, H], "b2": [O]}``.

The cost is the batch mean of a per-example cost C_x summed over the O outputs:

- ``loss="mse"``: C_x = ½ ||a^2 - y||²;
- ``loss="bce"``: C_x = -Σ_k [y_k log a^2_k + (1 - y_k) log(1 - a^2_k)].

The four equations (Nielsen, "Neural Networks and Deep Learning", chapter 2)::

    δ^L = ∇_a C ⊙ σ'(z^L)                    (BP1; BCE with a sigmoid: δ^L = a^L - y)
    δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ σ'(z^l)    (BP2)
    ∂C/∂b^l = δ^l                            (BP3)
    ∂C/∂W^l = δ^l (a^{l-1})^T                (BP4)

with σ'(z) = σ(z)(1 - σ(z)); over a batch the per-example gradients are averaged.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor

from .._validate import check_choice, check_finite, check_instance, check_tensor

PARAM_NAMES = ("W1", "b1", "W2", "b2")
LOSSES = ("mse", "bce")


class TwoLayerForward(NamedTuple):
    """What :func:`two_layer` computes: z1, a1 [B, H] and z2, a2 [B, O] (a2 is the output)."""

    z1: Tensor
    a1: Tensor
    z2: Tensor
    a2: Tensor


def _check_params(params: Any) -> dict[str, Tensor]:
    check_instance(params, "params", dict, "a dict with W1 [H, F], b1 [H], W2 [O, H], b2 [O]")
    for key in PARAM_NAMES:
        if key not in params:
            raise ValueError(f"params: missing {key!r} (expected keys W1, b1, W2, b2)")
        check_tensor(params[key], f"params[{key!r}]", ndim=2 if key[0] == "W" else 1,
                     floating=True)
    hidden, out = params["W1"].size(0), params["W2"].size(0)
    if params["b1"].size(0) != hidden:
        raise ValueError(f"params['b1']: expected shape [{hidden}] (one per row of W1), got "
                         f"{list(params['b1'].shape)}")
    if params["W2"].size(1) != hidden:
        raise ValueError(f"params['W2']: expected shape [O, {hidden}] (W1 has {hidden} rows), "
                         f"got {list(params['W2'].shape)}")
    if params["b2"].size(0) != out:
        raise ValueError(f"params['b2']: expected shape [{out}] (one per row of W2), got "
                         f"{list(params['b2'].shape)}")
    return params


def _check_x(x: Any, params: dict[str, Tensor]) -> Tensor:
    check_tensor(x, "x", ndim=2, floating=True)
    features = params["W1"].size(1)
    if x.size(1) != features:
        raise ValueError(f"x: expected shape [B, {features}] (W1 is [H, {features}]), got "
                         f"{list(x.shape)}")
    return check_finite(x, "x")


def _check_target(y: Any, shape: tuple[int, ...], loss: str, name: str = "y") -> Tensor:
    check_tensor(y, name, floating=True)
    if tuple(y.shape) != tuple(shape):
        raise ValueError(f"{name}: expected shape {list(shape)} (as the output), got "
                         f"{list(y.shape)}")
    check_finite(y, name)
    if loss == "bce" and bool(((y < 0) | (y > 1)).any()):
        raise ValueError(f"{name}: cross-entropy needs targets in [0, 1], found values in "
                         f"[{float(y.min()):g}, {float(y.max()):g}]")
    return y


def sigmoid_prime(z: Tensor) -> Tensor:
    """σ'(z) = σ(z)(1 - σ(z)), elementwise; at most 1/4 (at z = 0), near 0 for large |z|."""
    check_tensor(z, "z", floating=True)
    s = torch.sigmoid(z)
    return s * (1 - s)


def two_layer(x: Tensor, params: dict[str, Tensor]) -> TwoLayerForward:
    """The forward pass: ``z1 = x W1^T + b1``, ``a1 = σ(z1)``, ``z2 = a1 W2^T + b2``,
    ``a2 = σ(z2)``.

    Shapes: x [B, F], params as in the module's docstring -> :class:`TwoLayerForward` with
    z1, a1 [B, H] and z2, a2 [B, O].
    """
    params = _check_params(params)
    x = _check_x(x, params)
    return _forward(x, params)


def _forward(x: Tensor, params: dict[str, Tensor]) -> TwoLayerForward:
    z1 = x @ params["W1"].T + params["b1"]  # [B, H]
    a1 = torch.sigmoid(z1)
    z2 = a1 @ params["W2"].T + params["b2"]  # [B, O]
    return TwoLayerForward(z1, a1, z2, torch.sigmoid(z2))


def _cost(a: Tensor, z: Tensor, y: Tensor, loss: str) -> Tensor:
    """From the output a = σ(z); the cross-entropy is taken from the logits z, which stays
    exact where a saturates (a log of a clamped probability would not)."""
    if loss == "mse":
        return 0.5 * ((a - y) ** 2).sum(1).mean()
    return F.binary_cross_entropy_with_logits(z, y, reduction="sum") / a.size(0)


def two_layer_loss(x: Tensor, y: Tensor, params: dict[str, Tensor],
                   loss: str = "mse") -> Tensor:
    """The cost C of the network on a batch: the batch mean of ½||a2 - y||² (``"mse"``) or of
    the cross-entropy summed over the outputs (``"bce"``). x [B, F], y [B, O] -> a scalar.
    Autograd through it gives what :func:`two_layer_gradients` computes by hand."""
    check_choice(loss, "loss", LOSSES)
    params = _check_params(params)
    x = _check_x(x, params)
    out = _forward(x, params)
    return _cost(out.a2, out.z2, _check_target(y, tuple(out.a2.shape), loss), loss)


def output_delta(a: Tensor, y: Tensor, z: Tensor, loss: str = "mse") -> Tensor:
    """δ^L of one batch, per example (BP1): ``∇_a C ⊙ σ'(z)``.

    - ``"mse"``: ∇_a C = a - y, so δ^L = (a - y) ⊙ σ'(z): a saturated wrong output (a near 0
      or 1, σ'(z) near 0) learns slowly.
    - ``"bce"``: ∇_a C = (a - y) / (a (1 - a)) and σ'(z) = a (1 - a) cancel: δ^L = a - y.

    Shapes: a, y, z [B, O] (a = σ(z)) -> [B, O].
    """
    check_choice(loss, "loss", LOSSES)
    check_tensor(z, "z", floating=True)
    check_tensor(a, "a", floating=True)
    if a.shape != z.shape:
        raise ValueError(f"a: expected the shape of z {list(z.shape)}, got {list(a.shape)}")
    _check_target(y, tuple(a.shape), loss)
    if loss == "bce":
        return a - y
    s = torch.sigmoid(z)
    return (a - y) * s * (1 - s)


def two_layer_gradients(x: Tensor, y: Tensor, params: dict[str, Tensor],
                        loss: str = "mse") -> dict[str, Tensor]:
    """The gradients of :func:`two_layer_loss` by the backpropagation equations, no autograd.

    Steps (B examples as rows; the 1/B of the batch mean enters δ^2)::

        δ2 = output_delta(a2, y, z2) / B          [B, O]   (BP1)
        dW2 = δ2^T a1,  db2 = Σ_rows δ2           [O, H], [O]   (BP4, BP3)
        δ1 = (δ2 W2) ⊙ σ'(z1)                     [B, H]   (BP2: row form of (W2)^T δ2)
        dW1 = δ1^T x,   db1 = Σ_rows δ1           [H, F], [H]

    Returns ``{"dW1", "db1", "dW2", "db2"}`` with the shapes of W1, b1, W2, b2.
    """
    check_choice(loss, "loss", LOSSES)
    params = _check_params(params)
    x = _check_x(x, params)
    z1, a1, z2, a2 = _forward(x, params)
    y = _check_target(y, tuple(a2.shape), loss)
    batch = x.size(0)
    delta2 = output_delta(a2, y, z2, loss) / batch  # [B, O]
    s1 = torch.sigmoid(z1)
    delta1 = (delta2 @ params["W2"]) * s1 * (1 - s1)  # [B, H]
    return {"dW1": delta1.T @ x, "db1": delta1.sum(0),
            "dW2": delta2.T @ a1, "db2": delta2.sum(0)}
