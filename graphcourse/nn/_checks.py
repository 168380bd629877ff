"""Checks shared by the layers of ``graphcourse.nn`` (private; see ``graphcourse/_validate.py``
for the policy: wrong type -> ``TypeError``, wrong value -> ``ValueError``, message naming the
argument).

Checked once, used many times: a layer's public ``forward`` checks its inputs and calls its
unchecked ``_forward``; a model checks its inputs once and calls its layers' ``_forward``
through :func:`run_layer`, so the O(E) node-id range check of ``edge_index`` runs once per
model call, not once per layer.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor, nn

from .._validate import check_edge_index, check_graph_input, check_number, check_tensor


def check_finite_number(value: Any, name: str) -> float:
    """Return a real scalar as a float; ``ValueError`` for NaN and infinity."""
    value = check_number(value, name)
    if not math.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value:g}")
    return value


def param_dtype(module: nn.Module) -> torch.dtype | None:
    """The dtype of ``module``'s first floating-point parameter (None without parameters)."""
    for parameter in module.parameters():
        if isinstance(parameter, nn.parameter.UninitializedParameter):
            continue  # a lazy layer (PyG's in_channels=-1) learns its shape on the first call
        if parameter.is_floating_point():
            return parameter.dtype
    return None


def check_layer_input(layer: nn.Module, x: Any, edge_index: Any) -> None:
    """Check ``x`` [N, F_in] and ``edge_index`` [2, E] once for ``layer`` (the first layer of a
    model): the feature count against ``layer.in_channels`` when it has one, the dtype against
    its weights, the node ids against N."""
    in_channels = getattr(layer, "in_channels", None)
    if not isinstance(in_channels, int) or in_channels < 1:
        in_channels = None  # a layer of unknown width, or a lazy one (in_channels=-1)
    check_graph_input(x, edge_index, in_channels, dtype=param_dtype(layer))


def run_layer(layer: nn.Module, x: Tensor, edge_index: Tensor) -> Tensor:
    """``layer(x, edge_index)`` on inputs the caller has already checked: the course's layers
    skip their own checks through ``_forward``; any other module (or a subclass that overrides
    ``forward``) is simply called."""
    owner = _defined_in(type(layer), "_forward")
    if owner is not None and _defined_in(type(layer), "forward") is owner:
        return layer._forward(x, edge_index)
    return layer(x, edge_index)


def _defined_in(cls: type, attribute: str) -> type | None:
    """The first class in ``cls``'s MRO that defines ``attribute`` itself (None if none)."""
    return next((base for base in cls.__mro__ if attribute in vars(base)), None)


def check_graph_shapes(x: Any, edge_index: Any, in_channels: int | None = None, *,
                       dtype: torch.dtype | None = None, x_ndim: tuple[int, ...] = (2,)) -> None:
    """What :func:`~graphcourse._validate.check_graph_input` checks, except the O(E) node-id
    range: for layers whose next step (a Laplacian built by ``graphcourse.graphs``, rebuilt
    only when the graph changes) checks the ids itself, with the same message."""
    check_tensor(edge_index, "edge_index", floating=False)
    if edge_index.dim() != 2 or edge_index.size(0) != 2:
        raise ValueError(f"edge_index: expected shape [2, E], got {list(edge_index.shape)}")
    if x_ndim == (2,):
        # An empty edge list has no ids to check: the rest of check_graph_input applies as is.
        check_graph_input(x, edge_index[:, :0], in_channels, dtype=dtype)
        return
    check_tensor(x, "x", floating=True)
    if x.dim() not in x_ndim:
        raise ValueError(f"x: expected shape [N] or [N, F], got {list(x.shape)}")
    check_edge_index(edge_index[:, :0])
