"""Checks shared by the layers of ``graphcourse.nn`` (private; see ``graphcourse/_validate.py``
for the policy: wrong type -> ``TypeError``, wrong value -> ``ValueError``, message naming the
argument).

Checked once, used many times: a layer's ``forward`` checks its inputs unless its caller
already did (:func:`inputs_checked`), then runs its computation inside
:func:`checked_inputs`; a model checks its inputs once and calls its layers, as modules (so
forward hooks and pre-hooks run), inside :func:`checked_inputs`. The O(E) node-id range check
of ``edge_index`` thus runs once per model call, not once per layer.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

import torch
from torch import nn

from .._validate import check_edge_index, check_graph_input, check_tensor


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


_CHECKED = contextvars.ContextVar("graphcourse_nn_inputs_checked", default=False)


@contextlib.contextmanager
def checked_inputs() -> Iterator[None]:
    """Within this block the course's layers trust their inputs: the caller has checked them
    (a model, once for all its layers). Layers are still called as modules, so hooks run."""
    token = _CHECKED.set(True)
    try:
        yield
    finally:
        _CHECKED.reset(token)


@contextlib.contextmanager
def evaluating(model: nn.Module) -> Iterator[None]:
    """Run the block with ``model`` in evaluation mode (no dropout, BatchNorm's running
    statistics) and without gradients; the model's training flag is restored afterwards, also
    when the block fails."""
    training = model.training
    model.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        model.train(training)


def inputs_checked() -> bool:
    """True inside :func:`checked_inputs`: a layer's ``forward`` then skips its input checks."""
    return _CHECKED.get()


def is_course_layer(layer: nn.Module) -> bool:
    """Whether ``layer`` is one of the course's graph layers (they take ``x`` [N, F] and an
    ``edge_index`` [2, E], which a model may check for them); a PyG layer may take other
    inputs (a sparse adjacency, say) and checks them itself."""
    return type(layer).__module__.startswith("graphcourse.")


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
