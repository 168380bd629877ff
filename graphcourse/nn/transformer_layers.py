"""The layers of the Transformer: feed-forward network, encoder layer, decoder layer (chapter 04).

Vaswani et al., "Attention Is All You Need" (NeurIPS 2017), in the notebook's notation
(x [B, T, D]):

- position-wise feed-forward network, the same two-layer MLP at every position (a 1x1
  convolution)::  FFN(x) = max(0, x W_1 + b_1) W_2 + b_2
- encoder layer: self-attention, then the FFN; each sub-layer wrapped as
  ``LayerNorm(x + Dropout(Sublayer(x)))`` (post-LN, the paper's choice) or, with
  ``norm_first=True``, ``x + Dropout(Sublayer(LayerNorm(x)))`` (pre-LN, plus one final
  LayerNorm per stack), which trains more easily without warmup;
- decoder layer: masked (causal) self-attention, encoder-decoder ("cross") attention whose keys
  and values are the encoder's output, then the FFN.

Each layer checks its inputs in ``forward`` unless its caller has (a model such as
:class:`graphcourse.nn.transformer.Seq2SeqTransformer` checks once and calls its layers inside
``checked_inputs``).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor, nn

from .._validate import check_bool, check_positive_int, check_probability
from ._checks import checked_inputs, inputs_checked
from .attention import MultiHeadAttention, _check_head_mask, _check_width


class PositionwiseFeedForward(nn.Module):
    """``FFN(x) = W_2 ReLU(W_1 x + b_1) + b_2`` applied to every position alone.

    Shapes: [B, T, D] -> [B, T, D] with a hidden width ``d_ff`` (the paper: 4 D).
    """

    def __init__(self, d_model: int, d_ff: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.d_model = check_positive_int(d_model, "d_model")
        self.d_ff = check_positive_int(d_ff, "d_ff")
        self.linear1 = nn.Linear(self.d_model, self.d_ff)
        self.linear2 = nn.Linear(self.d_ff, self.d_model)
        self.dropout = nn.Dropout(check_probability(dropout, "dropout"))

    def reset_parameters(self) -> None:
        self.linear1.reset_parameters()
        self.linear2.reset_parameters()

    def forward(self, x: Tensor) -> Tensor:
        if not inputs_checked():
            _check_width(x, "x", self.d_model, self.linear1.weight.dtype, ndim=None)
        return self._forward(x)

    def _forward(self, x: Tensor) -> Tensor:
        return self.linear2(self.dropout(torch.relu(self.linear1(x))))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(d_model={self.d_model}, d_ff={self.d_ff})"


class _Residual(nn.Module):
    """One sub-layer connection: post-LN ``LN(x + drop(f(x)))`` or pre-LN ``x + drop(f(LN x))``."""

    def __init__(self, d_model: int, dropout: float, norm_first: bool) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)
        self.norm_first = norm_first

    def forward(self, x: Tensor, sublayer: Callable[[Tensor], Tensor]) -> Tensor:
        if self.norm_first:
            return x + self.dropout(sublayer(self.norm(x)))
        return self.norm(x + self.dropout(sublayer(x)))


class EncoderLayer(nn.Module):
    """Self-attention then the feed-forward network, each in a residual + LayerNorm wrapper.

    Args:
        d_model, heads, d_ff: widths (D, H, hidden width of the FFN).
        dropout: on each sub-layer's output (and the attention weights).
        norm_first: False (default) = post-LN as in the paper; True = pre-LN.
    Shapes: x [B, T, D], mask bool broadcastable to [B, H, T, T] (True = may attend) ->
    [B, T, D]; with ``return_attention=True`` also the weights [B, H, T, T].
    """

    def __init__(self, d_model: int, heads: int, d_ff: int, dropout: float = 0.1,
                 norm_first: bool = False) -> None:
        super().__init__()
        dropout = check_probability(dropout, "dropout")
        self.norm_first = check_bool(norm_first, "norm_first")
        self.self_attn = MultiHeadAttention(d_model, heads, dropout=dropout)
        d_model = self.self_attn.d_model
        self.ffn = PositionwiseFeedForward(d_model, d_ff, dropout=dropout)
        self.sub_attn = _Residual(d_model, dropout, self.norm_first)
        self.sub_ffn = _Residual(d_model, dropout, self.norm_first)

    def reset_parameters(self) -> None:
        self.self_attn.reset_parameters()
        self.ffn.reset_parameters()
        for sub in (self.sub_attn, self.sub_ffn):
            sub.norm.reset_parameters()

    def forward(self, x: Tensor, mask: Tensor | None = None,
                return_attention: bool = False) -> Tensor | tuple[Tensor, Tensor]:
        return_attention = check_bool(return_attention, "return_attention")
        if not inputs_checked():
            attn = self.self_attn
            _check_width(x, "x", attn.d_model, attn.q_proj.weight.dtype)
            _check_head_mask(mask, "mask", [x.size(0), attn.heads, x.size(1), x.size(1)])
        with checked_inputs():
            return self._forward(x, mask, return_attention)

    def _forward(self, x: Tensor, mask: Tensor | None = None,
                 return_attention: bool = False) -> Tensor | tuple[Tensor, Tensor]:
        kept: list[Tensor] = []

        def attend(h: Tensor) -> Tensor:
            out, weights = self.self_attn(h, h, h, mask=mask)
            kept.append(weights)
            return out

        x = self.sub_ffn(self.sub_attn(x, attend), self.ffn)  # [B, T, D]
        return (x, kept[0]) if return_attention else x

    def __repr__(self) -> str:
        attn = self.self_attn
        return (f"{type(self).__name__}(d_model={attn.d_model}, heads={attn.heads}, "
                f"d_ff={self.ffn.d_ff}, norm_first={self.norm_first})")


class DecoderLayer(nn.Module):
    """Masked self-attention, encoder-decoder attention, then the feed-forward network.

    Shapes: y [B, T_t, D] (the shifted target so far), memory [B, T_s, D] (the encoder
    output), self_mask broadcastable to [B, H, T_t, T_t] (causal and target padding),
    memory_mask broadcastable to [B, H, T_t, T_s] (source padding) -> [B, T_t, D]; with
    ``return_attention=True`` also ``(self weights [B, H, T_t, T_t], cross weights
    [B, H, T_t, T_s])``.
    """

    def __init__(self, d_model: int, heads: int, d_ff: int, dropout: float = 0.1,
                 norm_first: bool = False) -> None:
        super().__init__()
        dropout = check_probability(dropout, "dropout")
        self.norm_first = check_bool(norm_first, "norm_first")
        self.self_attn = MultiHeadAttention(d_model, heads, dropout=dropout)
        d_model = self.self_attn.d_model
        self.cross_attn = MultiHeadAttention(d_model, heads, dropout=dropout)
        self.ffn = PositionwiseFeedForward(d_model, d_ff, dropout=dropout)
        self.sub_self = _Residual(d_model, dropout, self.norm_first)
        self.sub_cross = _Residual(d_model, dropout, self.norm_first)
        self.sub_ffn = _Residual(d_model, dropout, self.norm_first)

    def reset_parameters(self) -> None:
        self.self_attn.reset_parameters()
        self.cross_attn.reset_parameters()
        self.ffn.reset_parameters()
        for sub in (self.sub_self, self.sub_cross, self.sub_ffn):
            sub.norm.reset_parameters()

    def forward(self, y: Tensor, memory: Tensor, self_mask: Tensor | None = None,
                memory_mask: Tensor | None = None, return_attention: bool = False
                ) -> Tensor | tuple[Tensor, tuple[Tensor, Tensor]]:
        return_attention = check_bool(return_attention, "return_attention")
        if not inputs_checked():
            self._check_inputs(y, memory, self_mask, memory_mask)
        with checked_inputs():
            return self._forward(y, memory, self_mask, memory_mask, return_attention)

    def _check_inputs(self, y: Tensor, memory: Tensor, self_mask: Tensor | None,
                      memory_mask: Tensor | None) -> None:
        attn = self.self_attn
        _check_width(y, "y", attn.d_model, attn.q_proj.weight.dtype)
        _check_width(memory, "memory", attn.d_model, attn.q_proj.weight.dtype)
        if memory.size(0) != y.size(0):
            raise ValueError(f"memory: expected batch size {y.size(0)} like y, got "
                             f"{memory.size(0)}")
        batch, t_t, t_s = y.size(0), y.size(1), memory.size(1)
        _check_head_mask(self_mask, "self_mask", [batch, attn.heads, t_t, t_t])
        _check_head_mask(memory_mask, "memory_mask", [batch, attn.heads, t_t, t_s])

    def _forward(self, y: Tensor, memory: Tensor, self_mask: Tensor | None = None,
                 memory_mask: Tensor | None = None, return_attention: bool = False
                 ) -> Tensor | tuple[Tensor, tuple[Tensor, Tensor]]:
        kept: list[Tensor] = []

        def attend_self(h: Tensor) -> Tensor:
            out, weights = self.self_attn(h, h, h, mask=self_mask)
            kept.append(weights)
            return out

        def attend_memory(h: Tensor) -> Tensor:
            out, weights = self.cross_attn(h, memory, memory, mask=memory_mask)
            kept.append(weights)
            return out

        y = self.sub_self(y, attend_self)
        y = self.sub_cross(y, attend_memory)
        y = self.sub_ffn(y, self.ffn)  # [B, T_t, D]
        return (y, (kept[0], kept[1])) if return_attention else y

    def __repr__(self) -> str:
        attn = self.self_attn
        return (f"{type(self).__name__}(d_model={attn.d_model}, heads={attn.heads}, "
                f"d_ff={self.ffn.d_ff}, norm_first={self.norm_first})")
