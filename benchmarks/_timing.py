"""Timing shared by the speed benchmarks: forward + backward, ours against a reference.

Each case runs after warm-up rounds and reports the median of the timed repeats, alternating
the two implementations so that machine noise hits both alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import torch
from torch import nn


def forward_backward_ms(step: Callable[[], torch.Tensor], module: nn.Module) -> float:
    """Milliseconds for ``step()`` (a forward pass) plus the backward pass of a scalar loss."""
    start = time.perf_counter()
    step().square().mean().backward()
    elapsed = time.perf_counter() - start
    module.zero_grad(set_to_none=True)
    return 1e3 * elapsed


def compare(name: str, ours: Callable[[], torch.Tensor], reference: Callable[[], torch.Tensor],
            modules: tuple[nn.Module, nn.Module], warmup: int, repeats: int) -> dict:
    """``{"name", "ours_ms", "reference_ms", "ratio"}`` with medians over ``repeats``."""
    for _ in range(warmup):
        forward_backward_ms(ours, modules[0])
        forward_backward_ms(reference, modules[1])
    ours_ms, reference_ms = [], []
    for _ in range(repeats):
        ours_ms.append(forward_backward_ms(ours, modules[0]))
        reference_ms.append(forward_backward_ms(reference, modules[1]))
    ours_median, reference_median = statistics.median(ours_ms), statistics.median(reference_ms)
    return {"name": name, "ours_ms": round(ours_median, 3),
            "reference_ms": round(reference_median, 3),
            "ratio": round(ours_median / reference_median, 3)}
