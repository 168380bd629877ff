"""Where tensors live: the device choice and the one device path of the training helpers.

- ``get_device``: the device to compute on (``GRAPHCOURSE_DEVICE``, else cuda, then mps, then
  cpu); naming a device the machine lacks is an error, not a silent fallback.
- ``set_default`` / ``default_device``: the device ``train.setup`` chose for this notebook.
- ``as_device``: a name or ``torch.device`` checked and returned as a ``torch.device``.
- ``to_device`` / ``model_device``: move tensors, graphs and containers of them without
  changing the caller's objects; where a model's weights live.
"""

from __future__ import annotations

import os
from typing import Any, TypeVar

import torch
from torch import Tensor, nn

from ._validate import check_instance, check_module

T = TypeVar("T")


DEVICES = ("cpu", "cuda", "mps")
_default: torch.device | None = None  # set by ``set_default`` (``train.setup``)


def _available(name: str) -> bool:
    if name == "cuda":
        return torch.cuda.is_available()
    if name == "mps":
        mps = getattr(torch.backends, "mps", None)
        return mps is not None and mps.is_available()
    return True


def get_device(prefer: str | None = None) -> torch.device:
    """The device to compute on: ``prefer`` if given, else ``GRAPHCOURSE_DEVICE`` (``cpu``,
    ``cuda`` or ``mps``) if set, else the best available one (cuda, then mps, then cpu).

    A named device that this machine does not have is an error, not a silent fallback.
    """
    source = "prefer"
    if prefer is None and os.environ.get("GRAPHCOURSE_DEVICE", "").strip():
        prefer, source = os.environ["GRAPHCOURSE_DEVICE"].strip().lower(), "GRAPHCOURSE_DEVICE"
    if prefer is not None:
        prefer = str(as_device(prefer, source)) if isinstance(prefer, torch.device) else prefer
        check_instance(prefer, source, str, "a device name like 'cpu'")
        kind = prefer.split(":")[0]
        if kind not in DEVICES:
            raise ValueError(f"{source}: expected one of {', '.join(DEVICES)}, got {prefer!r}")
        device = as_device(prefer, source)
        if not _available(kind):
            raise ValueError(f"{source}: {prefer!r} is not available on this machine")
        return device
    for kind in ("cuda", "mps"):
        if _available(kind):
            return torch.device(kind)
    return torch.device("cpu")


def as_device(device: Any, name: str = "device") -> torch.device:
    """``device`` (a ``torch.device`` or a name such as ``'cpu'`` or ``'cuda:0'``) as a
    ``torch.device``; ``TypeError`` for another type, ``ValueError`` for an unknown name.
    Whether the machine has it is left to the caller (``get_device`` checks)."""
    if isinstance(device, torch.device):
        return device
    if not isinstance(device, str):
        raise TypeError(f"{name}: expected a device such as 'cpu' or 'cuda' (a str or "
                        f"torch.device), got {type(device).__name__}")
    try:
        return torch.device(device)
    except (RuntimeError, ValueError):
        raise ValueError(f"{name}: expected a device such as 'cpu', 'cuda' or 'cuda:0', got "
                         f"{device!r}") from None


def set_default(device: torch.device | str) -> torch.device:
    """Make ``device`` the default of the training helpers (``train.setup`` calls this with
    the device it chose); returns it as a ``torch.device``."""
    global _default
    _default = as_device(device)
    return _default


def default_device() -> torch.device:
    """The device ``setup`` chose for this notebook (``get_device()`` if setup was not run)."""
    return _default if _default is not None else get_device()


def _same_device(tensor_device: torch.device, device: torch.device) -> bool:
    return tensor_device.type == device.type and device.index in (None, tensor_device.index)


def to_device(obj: T, device: torch.device | str) -> T:
    """``obj`` on ``device``: a tensor, a PyG ``Data``/``Batch`` (anything with ``.to``), or a
    tuple, list or dict of those (recursively). Other values are returned unchanged.

    The caller's object is never changed: PyG's ``Data.to`` moves in place, so a graph that
    must move is cloned first; one already on ``device`` is returned as it is.
    """
    device = as_device(device)
    if isinstance(obj, Tensor):
        return obj.to(device)
    if isinstance(obj, (tuple, list)):
        return type(obj)(to_device(item, device) for item in obj)
    if isinstance(obj, dict):
        return {key: to_device(value, device) for key, value in obj.items()}
    if hasattr(obj, "to") and callable(obj.to):
        tensors = [value for value in getattr(obj, "to_dict", dict)().values()
                   if isinstance(value, Tensor)]
        if tensors and all(_same_device(t.device, device) for t in tensors):
            return obj
        return (obj.clone() if hasattr(obj, "clone") else obj).to(device)
    return obj


def model_device(model: nn.Module) -> torch.device:
    """The device of ``model``'s first parameter or buffer (the CPU for a module with none)."""
    check_module(model)
    for tensor in (*model.parameters(), *model.buffers()):
        return tensor.device
    return torch.device("cpu")
