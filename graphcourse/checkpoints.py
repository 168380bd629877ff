"""Checkpoints with a SHA-256 sidecar: save weights, load them only if the file is intact.

A checkpoint is two files: ``path`` (``torch.save`` of ``{"state_dict": ..., "meta": ...}``)
and ``path.sha256`` (the hex digest of ``path``'s bytes). Reading checks the digest before
``torch.load`` (``weights_only=True``), so a truncated or edited file is refused, never
half-loaded.

- ``save(model, path, meta)``: write both files; returns the digest.
- ``read(path)``: the verified ``{"state_dict", "meta"}`` dict.
- ``load(model, path)``: ``read`` into ``model``; returns ``meta``.
- ``load_or_train(model, train_fn, path, meta)``: reuse a checkpoint saved with the same
  ``meta``, otherwise train and save.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from ._validate import check_module, check_path


def _digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def _sidecar(path: Path) -> Path:
    return Path(str(path) + ".sha256")


def _check_meta(meta: Any) -> dict:
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise TypeError(f"meta: expected a dict (or None), got {type(meta).__name__}")
    return meta


def save(model: nn.Module, path: str | os.PathLike, meta: dict | None = None) -> str:
    """Save ``model``'s weights (and ``meta``, e.g. its config) with a SHA-256 sidecar file.

    Returns the checksum; ``path.sha256`` holds it next to the checkpoint.
    """
    check_module(model, "model")
    path = check_path(path, "path")
    meta = _check_meta(meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    torch.save({"state_dict": model.state_dict(), "meta": meta}, buffer)
    payload = buffer.getvalue()
    checksum = _digest(payload)
    path.write_bytes(payload)
    _sidecar(path).write_text(checksum + "\n")
    return checksum


def read(path: str | os.PathLike) -> dict:
    """The ``{"state_dict", "meta"}`` saved by :func:`save`, after verifying its checksum.

    ``FileNotFoundError`` when there is no checkpoint at ``path``; ``ValueError`` when the
    checksum file is missing or does not match (a damaged, edited or hand-copied file).
    """
    path = check_path(path, "path")
    if not path.exists():
        raise FileNotFoundError(f"path: no checkpoint at {path}")
    sidecar = _sidecar(path)
    if not sidecar.exists():
        raise ValueError(f"path: checkpoint {path} has no checksum file {sidecar.name}; "
                         "save it with graphcourse.checkpoints.save")
    payload = path.read_bytes()
    if _digest(payload) != sidecar.read_text().strip():
        raise ValueError(f"path: checksum mismatch for {path}; the file is damaged or was edited")
    state = torch.load(io.BytesIO(payload), map_location="cpu", weights_only=True)
    if not isinstance(state, dict) or "state_dict" not in state:
        raise ValueError(f"path: {path} is not a checkpoint saved by graphcourse.checkpoints.save")
    state.setdefault("meta", {})
    return state


def load(model: nn.Module, path: str | os.PathLike) -> dict:
    """Load weights saved by :func:`save` into ``model`` after verifying the checksum.

    Raises ``FileNotFoundError`` if there is no checkpoint and ``ValueError`` if it cannot be
    trusted (see :func:`read`) or holds the weights of another architecture (``model`` is
    then left as it was). Returns the saved ``meta``.
    """
    check_module(model, "model")
    state = read(path)
    initial = {key: value.clone() for key, value in model.state_dict().items()}
    try:
        model.load_state_dict(state["state_dict"])
    except RuntimeError as error:
        model.load_state_dict(initial)  # undo a partial load
        reason = " ".join(str(error).split())
        raise ValueError(f"path: checkpoint {path} does not fit model: "
                         f"{reason[:300]}") from None
    return state["meta"]


def load_or_train(model: nn.Module, train_fn: Callable[[nn.Module], Any],
                  path: str | os.PathLike, meta: dict | None = None) -> tuple[nn.Module, bool]:
    """Load ``model`` from ``path`` if a valid checkpoint with the same ``meta`` exists.

    Otherwise call ``train_fn(model)``, save the result and return it. Returns
    ``(model, loaded)`` where ``loaded`` tells whether training was skipped. A damaged
    checkpoint, or one saved with another ``meta`` (say another config) or for another
    architecture, is retrained with a warning rather than trusted.
    """
    check_module(model, "model")
    if not callable(train_fn):
        raise TypeError(f"train_fn: expected a function train_fn(model), got "
                        f"{type(train_fn).__name__}")
    path = check_path(path, "path")
    meta = _check_meta(meta)
    initial = {key: value.clone() for key, value in model.state_dict().items()}
    try:
        state = read(path)
        if state["meta"] != meta:
            raise ValueError("it was saved with other settings")
        try:
            model.load_state_dict(state["state_dict"])
        except RuntimeError:
            model.load_state_dict(initial)  # undo a partial load before training afresh
            raise
        return model, True
    except FileNotFoundError:
        pass
    except (ValueError, RuntimeError, KeyError) as error:
        warnings.warn(f"path: ignoring checkpoint {path} ({error}); retraining", stacklevel=2)
    train_fn(model)
    save(model, path, meta)
    return model, False
