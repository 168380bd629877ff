"""The Transformer paper's training recipe: the warmup schedule and label smoothing (chapter 04).

Vaswani et al., "Attention Is All You Need" (NeurIPS 2017), section 5: Adam with
beta = (0.9, 0.98), eps = 1e-9, the learning rate

    lr(step) = D^-0.5 * min(step^-0.5, step * warmup^-1.5)        (:func:`noam_lambda`)

(a linear warmup, then a decay like 1 / sqrt(step)) and label smoothing eps = 0.1
(:func:`label_smoothing_loss`). The model itself lives in :mod:`graphcourse.nn.transformer`.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor

from .._validate import (
    check_number,
    check_positive_int,
    check_probability,
    check_tensor,
    optional_int,
)


def noam_lambda(d_model: int, warmup: int = 4000, scale: float = 1.0) -> Callable[[int], float]:
    """The paper's learning-rate schedule as a ``LambdaLR`` factor (use base lr 1.0)::

        lr(step) = scale * d_model^-0.5 * min(step^-0.5, step * warmup^-1.5)

    ``LambdaLR`` calls the function with 0, 1, 2, ... (0 before the first update), so the
    factor for call ``s`` uses ``step = s + 1``. The peak, ``scale * (d_model * warmup)^-0.5``,
    is reached at ``step = warmup``; afterwards it decays like ``1 / sqrt(step)``.
    """
    d_model = check_positive_int(d_model, "d_model")
    warmup = check_positive_int(warmup, "warmup")
    scale = check_number(scale, "scale", low=0, low_inclusive=False, finite=True)

    def factor(calls: int) -> float:
        step = calls + 1
        return scale * d_model ** -0.5 * min(step ** -0.5, step * warmup ** -1.5)

    return factor


def label_smoothing_loss(logits: Tensor, target: Tensor, smoothing: float = 0.1,
                         ignore_index: int | None = None) -> Tensor:
    """Cross-entropy against a smoothed target: 1 - eps on the right class plus eps / C
    spread over all C classes (the paper's eps = 0.1), averaged over non-ignored tokens::

        loss = (1 - eps) * (-log p[y]) + eps * mean_c(-log p[c])

    The same as ``torch.nn.functional.cross_entropy(..., label_smoothing=eps)``.
    Shapes: logits [..., C], target [...] (integer class ids in [0, C), or ``ignore_index``)
    -> scalar. With every target ignored the loss is 0 (``cross_entropy`` gives NaN).
    """
    check_tensor(logits, "logits", floating=True)
    if logits.dim() == 0:
        raise ValueError("logits: expected shape [..., C], got a 0-D tensor")
    check_tensor(target, "target", floating=False)
    if target.shape != logits.shape[:-1]:
        raise ValueError(f"target: expected shape {list(logits.shape[:-1])}, "
                         f"got {list(target.shape)}")
    smoothing = check_probability(smoothing, "smoothing")
    ignore_index = optional_int(ignore_index, "ignore_index")
    classes = logits.size(-1)
    log_p = torch.log_softmax(logits, dim=-1).reshape(-1, classes)  # [M, C]
    target = target.reshape(-1)  # [M]
    keep = torch.ones_like(target, dtype=torch.bool) if ignore_index is None \
        else target != ignore_index
    kept = target[keep]
    if kept.numel():
        low, high = (int(v) for v in torch.aminmax(kept))
        if low < 0 or high >= classes:
            raise ValueError(f"target: class ids must lie in [0, {classes}) (or equal "
                             f"ignore_index={ignore_index}), found {low}..{high}")
    safe = target.masked_fill(~keep, 0)
    nll = -log_p.gather(1, safe[:, None]).squeeze(1)  # [M]
    uniform = -log_p.mean(dim=-1)  # [M]
    loss = (1.0 - smoothing) * nll + smoothing * uniform
    return (loss * keep).sum() / keep.sum().clamp(min=1)
