"""Argument checks shared by the package: clear errors that name the argument.

Every public function validates what it is given with these helpers, so a student who passes
the wrong thing reads ``edge_index: expected shape [2, E], got [3, 5]`` instead of a traceback
from deep inside PyTorch.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor


def check_tensor(value: Any, name: str, *, ndim: int | None = None,
                 floating: bool | None = None) -> Tensor:
    """Raise ``TypeError``/``ValueError`` unless ``value`` is a tensor of the given rank/kind."""
    if not isinstance(value, Tensor):
        raise TypeError(f"{name}: expected a torch.Tensor, got {type(value).__name__}")
    if ndim is not None and value.dim() != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D tensor, got shape {list(value.shape)}")
    if floating is True and not value.is_floating_point():
        raise TypeError(f"{name}: expected a floating-point tensor, got dtype {value.dtype}")
    if floating is False and (value.is_floating_point() or value.is_complex()):
        raise TypeError(f"{name}: expected an integer tensor, got dtype {value.dtype}")
    return value


def check_edge_index(edge_index: Any, num_nodes: int | None = None,
                     name: str = "edge_index") -> Tensor:
    """Check a COO edge list: an integer tensor of shape [2, E] with ids in [0, num_nodes)."""
    check_tensor(edge_index, name, floating=False)
    if edge_index.dim() != 2 or edge_index.size(0) != 2:
        raise ValueError(f"{name}: expected shape [2, E], got {list(edge_index.shape)}")
    if edge_index.dtype == torch.bool:
        raise TypeError(f"{name}: expected an integer tensor, got dtype torch.bool")
    if edge_index.numel() > 0:
        low, high = int(edge_index.min()), int(edge_index.max())
        if low < 0:
            raise ValueError(f"{name}: node ids must be >= 0, found {low}")
        if num_nodes is not None and high >= num_nodes:
            raise ValueError(
                f"{name}: node id {high} is out of range for num_nodes={num_nodes} "
                f"(valid ids are 0..{num_nodes - 1})")
    return edge_index


def check_positive_int(value: Any, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name}: expected an int >= {minimum}, got {value}")
    return value


def check_node(node: Any, num_nodes: int, name: str = "node") -> int:
    """Return ``node`` as an int, or raise if it is not a valid node id."""
    if isinstance(node, Tensor) and node.numel() == 1:
        node = int(node)
    if isinstance(node, bool) or not isinstance(node, int):
        raise TypeError(f"{name}: expected an int node id, got {type(node).__name__}")
    if not 0 <= node < num_nodes:
        raise ValueError(f"{name}: {node} is out of range for a graph with {num_nodes} nodes")
    return node
