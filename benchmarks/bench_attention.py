"""Time our MultiHeadAttention against torch.nn.MultiheadAttention, forward + backward.

Usage:
    python benchmarks/bench_attention.py [--batch 32] [--tokens 128] [--d-model 256] [--heads 8]

Both layers get identical weights (torch's ``in_proj_weight`` split into our W^Q, W^K, W^V),
run in training mode with dropout 0, on the same random inputs. Our layer always computes the
attention weights explicitly (softmax of the scaled logits, per head); torch's is called with
``need_weights=False`` (its fused fast path) unless the case says otherwise. Masks are
translated between the conventions (ours: True = may attend; torch's: True = blocked). Each
case runs with one torch thread, after warm-up rounds, and reports the median of the timed
repeats, alternating the two layers so that machine noise hits both alike. One JSON line per
case::

    {"name": ..., "ours_ms": ..., "reference_ms": ..., "ratio": ours / reference, ...}
"""

from __future__ import annotations

import argparse
import json

import torch
from _timing import compare
from torch import nn


def copy_weights(ours: nn.Module, reference: nn.MultiheadAttention) -> None:
    with torch.no_grad():
        for lin, weight, bias in zip((ours.q_proj, ours.k_proj, ours.v_proj),
                                     reference.in_proj_weight.chunk(3),
                                     reference.in_proj_bias.chunk(3)):
            lin.weight.copy_(weight)
            lin.bias.copy_(bias)
        ours.out_proj.weight.copy_(reference.out_proj.weight)
        ours.out_proj.bias.copy_(reference.out_proj.bias)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--d-model", type=int, default=256)
    parser.add_argument("--heads", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    from graphcourse.nn import MultiHeadAttention, causal_mask

    torch.set_num_threads(1)
    torch.manual_seed(0)
    batch, tokens, d_model, heads = args.batch, args.tokens, args.d_model, args.heads
    reference = nn.MultiheadAttention(d_model, heads, batch_first=True).train()
    ours = MultiHeadAttention(d_model, heads).train()
    copy_weights(ours, reference)
    x = torch.randn(batch, tokens, d_model, requires_grad=True)
    memory = torch.randn(batch, tokens, d_model, requires_grad=True)
    causal = causal_mask(tokens)
    lengths = torch.randint(tokens // 2, tokens + 1, (batch,))
    real = torch.arange(tokens)[None, :] < lengths[:, None]  # [B, T_k], True = real token

    cases = [
        ("self-attention, no mask",
         lambda: ours(x)[0],
         lambda: reference(x, x, x, need_weights=False)[0]),
        ("self-attention, causal mask",
         lambda: ours(x, mask=causal)[0],
         lambda: reference(x, x, x, attn_mask=~causal, need_weights=False)[0]),
        ("cross-attention, key padding mask",
         lambda: ours(x, memory, memory, mask=real[:, None, None, :])[0],
         lambda: reference(x, memory, memory, key_padding_mask=~real, need_weights=False)[0]),
        ("self-attention, per-head weights returned by both",
         lambda: ours(x)[0],
         lambda: reference(x, x, x, need_weights=True, average_attn_weights=False)[0]),
    ]
    for name, ours_step, reference_step in cases:
        result = compare(name, ours_step, reference_step, (ours, reference), args.warmup,
                         args.repeats)
        result.update(batch=batch, tokens=tokens, d_model=d_model, heads=heads, threads=1)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
