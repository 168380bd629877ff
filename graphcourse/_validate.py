"""Argument checks shared by the package: clear errors that name the argument.

The validation policy, followed by every public function and class of ``graphcourse``:

1. **Wrong type -> ``TypeError``, wrong value -> ``ValueError``**, and the message starts with
   the argument's name, then what was expected and what came: ``edge_index: expected shape
   [2, E], got [3, 5]``. A hint follows where the mistake is common.
2. **Integers**: Python ints, NumPy integers and one-element integer tensors are accepted
   wherever an int is; bools, floats (even ``3.0``) and strings are a ``TypeError``. Nothing is
   truncated silently.
3. **Numbers**: ints, floats, NumPy scalars and one-element real tensors; NaN is a
   ``ValueError``, and so is infinity wherever a finite value is meant.
4. **Where**: at the public entry, once per call (``forward`` of a model checks its inputs once
   and hands checked tensors to unchecked internals). Preconditions whose violation would give
   a plausible wrong answer (symmetric operators for ``eigh``, boolean masks, finite losses)
   are checked too.
5. **Lookups by name** of something that is not there (a metric a history did not record)
   raise ``KeyError``, as a dict does.
6. **Tests**: every public function has rows in ``tests/bad_inputs/``, which assert the
   exception type and a fragment of the message.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor


def check_tensor(value: Any, name: str, *, ndim: int | None = None,
                 floating: bool | None = None) -> Tensor:
    """Raise ``TypeError``/``ValueError`` unless ``value`` is a tensor of the given rank/kind
    (``floating=False``: an integer tensor; bool tensors are masks, not ids, and refused)."""
    if not isinstance(value, Tensor):
        raise TypeError(f"{name}: expected a torch.Tensor, got {type(value).__name__}")
    if ndim is not None and value.dim() != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D tensor, got shape {list(value.shape)}")
    if floating is True and not value.is_floating_point():
        raise TypeError(f"{name}: expected a floating-point tensor, got dtype {value.dtype}")
    if floating is False and (value.is_floating_point() or value.is_complex()
                              or value.dtype == torch.bool):
        raise TypeError(f"{name}: expected an integer tensor, got dtype {value.dtype}")
    return value


def check_edge_index(edge_index: Any, num_nodes: int | None = None,
                     name: str = "edge_index") -> Tensor:
    """Check a COO edge list: an integer tensor of shape [2, E] with ids in [0, num_nodes).

    ``num_nodes``, when given, must itself be an int >= 0 (checked first, so that a wrong
    ``num_nodes`` is reported as such and not as a bad edge list).
    """
    if num_nodes is not None:
        num_nodes = _as_int(num_nodes, "num_nodes")
        if num_nodes < 0:
            raise ValueError(f"num_nodes: expected an int >= 0, got {num_nodes}")
    check_tensor(edge_index, name, floating=False)
    if edge_index.dim() != 2 or edge_index.size(0) != 2:
        raise ValueError(f"{name}: expected shape [2, E], got {list(edge_index.shape)}")
    if edge_index.dtype != torch.long:
        raise TypeError(f"{name}: expected dtype torch.long (int64), got {edge_index.dtype}; "
                        f"convert with {name}.long()")
    if edge_index.numel() > 0:
        low, high = int(edge_index.min()), int(edge_index.max())
        if low < 0:
            raise ValueError(f"{name}: node ids must be >= 0, found {low}")
        if num_nodes is not None and high >= num_nodes:
            raise ValueError(
                f"{name}: node id {high} is out of range for num_nodes={num_nodes} "
                f"(valid ids are 0..{num_nodes - 1})")
    return edge_index


def _as_int(value: Any, name: str, what: str = "an int") -> int:
    """``value`` as a Python int: ints, NumPy integers and one-element integer tensors pass;
    bools, floats and everything else raise ``TypeError``."""
    if isinstance(value, Tensor) and value.numel() == 1 and not (
            value.is_floating_point() or value.is_complex() or value.dtype == torch.bool):
        return int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected {what}, got {type(value).__name__}")
    return int(value)


def check_graph_input(x: Any, edge_index: Any, in_channels: int | None = None,
                      name_x: str = "x", *, dtype: torch.dtype | None = None) -> None:
    """Check node features ``x`` [N, F_in] and an ``edge_index`` [2, E] with ids below N.

    ``x`` must be a 2-D floating-point tensor; with ``in_channels`` its feature count must
    equal it, and with ``dtype`` (a layer passes its weights' dtype) so must its dtype. The
    dtype check is skipped under ``torch.autocast``, which casts inputs itself.
    """
    check_tensor(x, name_x, ndim=2, floating=True)
    if in_channels is not None and x.size(1) != in_channels:
        raise ValueError(f"{name_x}: expected {in_channels} features per node (shape "
                         f"[N, {in_channels}]), got {x.size(1)} (shape {list(x.shape)})")
    if dtype is not None and x.dtype != dtype and not _autocast_enabled(x.device.type):
        raise TypeError(f"{name_x}: expected dtype {dtype} (the layer's weights), got "
                        f"{x.dtype}; convert with {name_x}.to({dtype}) or the layer with "
                        f".to({x.dtype})")
    check_edge_index(edge_index, x.size(0))


def _autocast_enabled(device_type: str) -> bool:
    try:
        return bool(torch.is_autocast_enabled(device_type))
    except TypeError:  # torch < 2.4: no device argument
        return bool(torch.is_autocast_enabled() or torch.is_autocast_cpu_enabled())


def check_positive_int(value: Any, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``."""
    value = _as_int(value, name)
    if value < minimum:
        raise ValueError(f"{name}: expected an int >= {minimum}, got {value}")
    return value


def optional_int(value: Any, name: str) -> int | None:
    """``None``, or ``value`` as an int (see :func:`_as_int`)."""
    return None if value is None else _as_int(value, name, "an int or None")


def check_node(node: Any, num_nodes: int, name: str = "node") -> int:
    """Return ``node`` as an int, or raise if it is not a valid node id."""
    node = _as_int(node, name, "an int node id")
    if not 0 <= node < num_nodes:
        raise ValueError(f"{name}: {node} is out of range for a graph with {num_nodes} nodes "
                         f"(valid ids are 0..{num_nodes - 1})")
    return node


def check_index(value: Any, size: int, name: str, what: str = "an index") -> int:
    """Return ``value`` as an int in [0, size), or raise ``TypeError`` (not an int) or
    ``ValueError`` (out of range); ``what`` names the kind of index in the message, as in
    ``k: expected an eigenvector index in [0, 34), got 34``."""
    value = _as_int(value, name, f"{what} (an int)")
    if not 0 <= value < size:
        raise ValueError(f"{name}: expected {what} in [0, {size}), got {value}")
    return value


def _interval(low: float | None, high: float | None, low_inclusive: bool,
              high_inclusive: bool) -> str:
    """Words for the allowed range: ``'in [0, 1)'``, ``'> 0'``..."""
    if low is not None and high is not None:
        return (f"in {'[' if low_inclusive else '('}{low:g}, {high:g}"
                f"{']' if high_inclusive else ')'}")
    if low is not None:
        return f"{'>=' if low_inclusive else '>'} {low:g}"
    return f"{'<=' if high_inclusive else '<'} {high:g}"


def check_number(value: Any, name: str, low: float | None = None, high: float | None = None,
                 *, low_inclusive: bool = True, high_inclusive: bool = True,
                 finite: bool = False) -> float:
    """Return a real scalar argument as a float, or raise.

    ``TypeError`` unless ``value`` is a real number (int, float, NumPy scalar or a
    one-element real tensor; not a bool or a string); ``ValueError`` if it is NaN or lies
    outside [low, high] (each bound optional; ``low_inclusive=False`` / ``high_inclusive=False``
    make it strict), or, with ``finite=True``, if it is infinite.
    """
    if isinstance(value, Tensor) and value.numel() == 1 and not (
            value.is_complex() or value.dtype == torch.bool):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__}")
    value = float(value)
    if math.isnan(value):
        raise ValueError(f"{name}: expected a number, got nan")
    if finite and math.isinf(value):
        raise ValueError(f"{name}: expected a finite number, got {value:g}")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        if low == 0 and high is None:
            kind = "a non-negative number" if low_inclusive else "a positive number"
        else:
            kind = f"a number {_interval(low, high, low_inclusive, high_inclusive)}"
        raise ValueError(f"{name}: expected {kind}, got {value:g}")
    return value


def check_probability(value: Any, name: str, *, inclusive_high: bool = False) -> float:
    """Return a probability (a dropout rate, a smoothing weight) as a float, or raise.

    ``TypeError`` for anything but a real number (bools and strings included); ``ValueError``
    outside [0, 1), or [0, 1] with ``inclusive_high=True``.
    """
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Tensor)):
        raise TypeError(f"{name}: expected a probability (a float), got {type(value).__name__}")
    value = check_number(value, name)
    if not (0.0 <= value <= 1.0 if inclusive_high else 0.0 <= value < 1.0):
        raise ValueError(f"{name}: expected a probability in [0, 1{']' if inclusive_high else ')'}"
                         f", got {value:g}")
    return value


def check_attributes(value: Any, name: str, attributes: Iterable[str]) -> None:
    """Raise ``ValueError`` naming the first of ``attributes`` that ``value`` lacks (or holds
    as ``None``): ``data: missing attribute 'train_mask' (expected data.x, ...)``."""
    attributes = list(attributes)
    for attribute in attributes:
        if getattr(value, attribute, None) is None:
            needed = ", ".join(f"{name}.{a}" for a in attributes)
            raise ValueError(f"{name}: missing attribute {attribute!r} (expected {needed})")


def check_bool(value: Any, name: str) -> bool:
    """Return a yes/no argument as a bool; ``TypeError`` for anything but True or False (a
    NumPy bool passes; ``1``, ``'yes'`` and ``None`` do not)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__}")
    return bool(value)


def check_finite(value: Tensor, name: str) -> Tensor:
    """Raise ``ValueError`` if the floating-point tensor ``value`` holds NaN or infinity."""
    if value.is_floating_point() and not bool(torch.isfinite(value).all()):
        bad = int((~torch.isfinite(value)).sum())
        raise ValueError(f"{name}: expected finite values, found {bad} NaN or infinite "
                         f"entr{'y' if bad == 1 else 'ies'}")
    return value


def check_bool_mask(mask: Any, size: int, name: str = "mask") -> Tensor:
    """Check a boolean node mask of shape [size]. Node ids are refused with a hint: indexing
    with ids instead of a mask silently counts the wrong nodes."""
    check_tensor(mask, name)
    if mask.dtype != torch.bool:
        raise TypeError(f"{name}: expected a bool tensor of shape [{size}] (True for the nodes "
                        f"to use), got dtype {mask.dtype}; from node ids build one with "
                        f"torch.zeros({size}, dtype=torch.bool) and mask[ids] = True")
    if mask.shape != (size,):
        raise ValueError(f"{name}: expected a bool tensor of shape [{size}], got "
                         f"{list(mask.shape)}")
    return mask


def check_choice(value: Any, name: str, choices: Iterable[Any]) -> Any:
    """Raise unless ``value`` is one of ``choices`` (strings compare exactly)."""
    choices = tuple(choices)
    if not isinstance(value, str) and all(isinstance(c, str) for c in choices):
        raise TypeError(f"{name}: expected one of {', '.join(map(repr, choices))}, got "
                        f"{type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name}: expected one of {', '.join(map(repr, choices))}, got "
                         f"{value!r}")
    return value


def check_instance(value: Any, name: str, kind: type | tuple[type, ...], what: str,
                   hint: str = "") -> Any:
    """Raise ``TypeError`` unless ``value`` is an instance of ``kind``; ``what`` says what was
    expected in words (``"a torch.nn.Module"``) and ``hint`` may suggest the fix."""
    if not isinstance(value, kind):
        raise TypeError(f"{name}: expected {what}, got {type(value).__name__}"
                        + (f"; {hint}" if hint else ""))
    return value


def check_module(model: Any, name: str = "model") -> Any:
    """Raise ``TypeError`` unless ``model`` is a ``torch.nn.Module``."""
    from torch import nn

    return check_instance(model, name, nn.Module, "a torch.nn.Module")


def check_path(path: Any, name: str = "path") -> Path:
    """Return ``path`` (a ``str`` or ``os.PathLike``) as a ``Path``, or raise ``TypeError``."""
    import os

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name}: expected a file path (str or pathlib.Path), got "
                        f"{type(path).__name__}")
    if isinstance(path, str) and not path.strip():
        raise ValueError(f"{name}: expected a file path, got an empty string")
    return Path(path)
