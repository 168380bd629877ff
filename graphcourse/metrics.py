"""Evaluation metrics shared by the chapters, as plain Python floats.

- ``accuracy``: node classification, arg-max of logits [N, C] against labels [N], optionally
  over a boolean mask [N].
- ``token_accuracy``: sequence models, predicted ids [B, T] (or logits [B, T, C]) against
  targets [B, T], skipping padding.
"""

from __future__ import annotations

import torch
from torch import Tensor

from ._validate import check_bool_mask, check_tensor, optional_int


def accuracy(logits: Tensor, y: Tensor, mask: Tensor | None = None) -> float:
    """Fraction of nodes (in ``mask``, if given) whose arg-max logit is the label.

    Shapes: logits [N, C], y [N], mask [N] (bool; node ids are refused, since indexing with
    them would count a node once per mention). NaN when the mask selects no node.
    """
    check_tensor(logits, "logits", ndim=2, floating=True)
    check_tensor(y, "y", ndim=1, floating=False)
    if y.size(0) != logits.size(0):
        raise ValueError(f"y: expected shape [{logits.size(0)}] (one label per row of logits), "
                         f"got {list(y.shape)}")
    correct = logits.argmax(dim=-1) == y  # [N]
    if mask is not None:
        check_bool_mask(mask, logits.size(0), "mask")
        correct = correct[mask]
    return float(correct.float().mean()) if correct.numel() else float("nan")


def token_accuracy(predicted: Tensor, target: Tensor, ignore_index: int | None = None) -> float:
    """Fraction of positions where ``predicted`` (ids [B, T] or logits [B, T, C]) equals
    ``target`` [B, T], not counting positions where the target is ``ignore_index``."""
    check_tensor(target, "target", floating=False)
    check_tensor(predicted, "predicted")
    ignore_index = optional_int(ignore_index, "ignore_index")
    if predicted.is_floating_point():
        predicted = predicted.argmax(dim=-1)
    if predicted.shape != target.shape:
        raise ValueError(f"predicted: expected shape {list(target.shape)}, "
                         f"got {list(predicted.shape)}")
    keep = torch.ones_like(target, dtype=torch.bool) if ignore_index is None \
        else target != ignore_index
    total = int(keep.sum())
    return float(((predicted == target) & keep).sum()) / total if total else float("nan")
