"""Evaluation metrics shared by the chapters, as plain Python floats.

- ``accuracy``: node classification, arg-max of logits [N, C] against labels [N], optionally
  over a boolean mask [N].
- ``balanced_accuracy``: the mean per-class recall over the classes present in the labels, for
  unbalanced node classes (CLUSTER, PATTERN).
- ``token_accuracy``: sequence models, predicted ids [B, T] (or logits [B, T, C]) against
  targets [B, T], skipping padding.
- ``gold_rank`` / ``hits_at_k``: next-utterance ranking (chapter 09), the rank of the gold
  among C scored candidates (ties count against the gold) and the fraction ranked in the top k.
"""

from __future__ import annotations

import torch
from torch import Tensor

from ._validate import (
    check_bool_mask,
    check_finite,
    check_positive_int,
    check_tensor,
    optional_int,
)


def _check_logits_labels(logits: Tensor, y: Tensor) -> None:
    """logits [N, C] finite floats (NaN would make the arg-max arbitrary), y [N] labels."""
    check_tensor(logits, "logits", ndim=2, floating=True)
    check_tensor(y, "y", ndim=1, floating=False)
    if y.size(0) != logits.size(0):
        raise ValueError(f"y: expected shape [{logits.size(0)}] (one label per row of logits), "
                         f"got {list(y.shape)}")
    check_finite(logits, "logits")


def accuracy(logits: Tensor, y: Tensor, mask: Tensor | None = None) -> float:
    """Fraction of nodes (in ``mask``, if given) whose arg-max logit is the label.

    Shapes: logits [N, C] (finite), y [N], mask [N] (bool; node ids are refused, since indexing with
    them would count a node once per mention). NaN when the mask selects no node.
    """
    _check_logits_labels(logits, y)
    correct = logits.argmax(dim=-1) == y  # [N]
    if mask is not None:
        check_bool_mask(mask, logits.size(0), "mask")
        correct = correct[mask]
    return float(correct.float().mean()) if correct.numel() else float("nan")


def balanced_accuracy(logits: Tensor, y: Tensor, mask: Tensor | None = None) -> float:
    """Balanced accuracy: the mean, over the classes c present in ``y``, of the recall
    ``#{v : y_v = c and argmax logits_v = c} / #{v : y_v = c}``, a fraction in [0, 1].

    Benchmarking-GNNs' ``accuracy_SBM`` for CLUSTER and PATTERN (there times 100). A model that
    predicts the majority class everywhere scores 1 / C, however unbalanced the classes are
    (on PATTERN plain accuracy would give it about 0.83). Equal to scikit-learn's
    ``balanced_accuracy_score(y, logits.argmax(-1))``: classes absent from ``y`` (within
    ``mask``) are left out of the mean. (``accuracy_SBM`` divides the summed recalls by the
    number of classes in the labels and the predictions together, the size of its confusion
    matrix: the same on CLUSTER and PATTERN batches, where every class occurs, lower when a
    class is predicted but absent from the labels.)

    Shapes: logits [N, C] (finite), y [N] class ids in [0, C), mask [N] bool. NaN when the
    mask selects no node.
    """
    _check_logits_labels(logits, y)
    classes = logits.size(1)
    if y.numel() and not (0 <= int(y.min()) and int(y.max()) < classes):
        raise ValueError(f"y: expected class ids in [0, {classes}) (one per column of logits), "
                         f"found {int(y.min())}..{int(y.max())}")
    predicted = logits.argmax(dim=-1)  # [N]
    if mask is not None:
        check_bool_mask(mask, logits.size(0), "mask")
        predicted, y = predicted[mask], y[mask]
    if not y.numel():
        return float("nan")
    y = y.to(predicted.device)
    per_class = torch.bincount(y, minlength=classes).double()  # [C] nodes per class
    hits = torch.bincount(y[predicted == y], minlength=classes).double()  # [C] correct
    present = per_class > 0
    return float((hits[present] / per_class[present]).mean())


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


def _check_ranking(scores: Tensor, gold: Tensor) -> None:
    """scores [B, C] floats without NaN (-inf is allowed: a padded candidate), gold [B] ids in
    [0, C)."""
    check_tensor(scores, "scores", ndim=2, floating=True)
    if bool(torch.isnan(scores).any()):
        raise ValueError(f"scores: expected no NaN (a NaN compares false with everything and "
                         f"would rank arbitrarily), found {int(torch.isnan(scores).sum())}")
    check_tensor(gold, "gold", ndim=1, floating=False)
    if gold.size(0) != scores.size(0):
        raise ValueError(f"gold: expected shape [{scores.size(0)}] (one gold index per row of "
                         f"scores), got {list(gold.shape)}")
    count = scores.size(1)
    if gold.numel() and not (0 <= int(gold.min()) and int(gold.max()) < count):
        raise ValueError(f"gold: expected candidate indices in [0, {count}), found "
                         f"{int(gold.min())}..{int(gold.max())}")


def gold_rank(scores: Tensor, gold: Tensor) -> Tensor:
    """The rank of the gold candidate in each row, 1 for the best:
    ``rank_b = 1 + #{j != gold_b : scores[b, j] >= scores[b, gold_b]}``.

    Ties count against the gold, so a model that gives every candidate the same score ranks
    the gold last, never first by its position (in the Persona-Chat files it is always the
    last candidate). Shapes: scores [B, C] (no NaN), gold [B] indices in [0, C) -> [B] long.
    """
    _check_ranking(scores, gold)
    gold = gold.to(scores.device)
    gold_score = scores.gather(1, gold.view(-1, 1))  # [B, 1]
    at_least = (scores >= gold_score).sum(dim=1)  # [B], the gold itself included
    return at_least.long()


def hits_at_k(scores: Tensor, gold: Tensor, k: int = 1) -> float:
    """hits@k: the fraction of rows whose gold ranks in the top k (``gold_rank <= k``), ties
    counting against the gold. hits@1 of 20 candidates is the Persona-Chat metric.

    Shapes: scores [B, C], gold [B]; ``k`` an int in [1, C]. NaN when B = 0.
    """
    _check_ranking(scores, gold)
    k = check_positive_int(k, "k")
    if k > scores.size(1):
        raise ValueError(f"k: expected an int in [1, {scores.size(1)}] (the number of "
                         f"candidates), got {k}")
    ranks = gold_rank(scores, gold)
    return float((ranks <= k).double().mean()) if ranks.numel() else float("nan")
