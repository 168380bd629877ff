"""Scaled dot-product and multi-head attention (chapter 04; later chapters reuse it).

Vaswani et al., "Attention Is All You Need" (NeurIPS 2017). With queries Q [T_q, d_k], keys
K [T_k, d_k] and values V [T_k, d_v]::

    Attention(Q, K, V) = softmax( Q K^T / sqrt(d_k)  +  bias ) V

Multi-head attention runs h heads in parallel on learned projections of width d_k = D / h and
concatenates them::

    MultiHead(Q, K, V) = Concat(head_1, ..., head_h) W^O,
    head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V)

Masks are boolean and mean **True = may attend** (the convention of
``torch.nn.functional.scaled_dot_product_attention``; ``torch.nn.MultiheadAttention``'s
``attn_mask`` and ``key_padding_mask`` use the opposite, True = blocked). A large negative
number is added to a masked logit before the softmax, so its weight is exactly 0; a query whose
keys are all masked gets all-zero weights (and a zero output) instead of NaN. ``bias`` is a
float tensor added to the logits, one value per (query, key) pair and optionally per head, which
is how graph transformers such as Graphormer inject graph structure; ``-inf`` entries act like a
mask as long as every query keeps one finite logit.

Notation: B batch, H heads, T tokens (T_q queries, T_k keys), D model width, F = D / H.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import Tensor, nn

from .._validate import check_bool, check_positive_int, check_probability, check_tensor
from ._checks import inputs_checked


# --------------------------------------------------------------------------- checks
def _check_broadcast(value: Tensor | None, name: str, target: Sequence[int], letters: str,
                     *, boolean: bool, dtype: torch.dtype | None = None) -> None:
    """``value`` must be bool (or floating, of ``dtype``) and broadcast to ``target``."""
    if value is None:
        return
    check_tensor(value, name)
    if boolean and value.dtype != torch.bool:
        hint = " (for an additive float mask, pass it as bias)" if value.is_floating_point() else ""
        raise TypeError(f"{name}: expected a bool tensor (True = may attend), got dtype "
                        f"{value.dtype}{hint}")
    if not boolean:
        if not value.is_floating_point():
            raise TypeError(f"{name}: expected a floating-point tensor, got dtype {value.dtype}")
        if dtype is not None and value.dtype != dtype:
            raise TypeError(f"{name}: expected dtype {dtype} (the queries'), got {value.dtype}")
    target = list(target)
    shape = list(value.shape)
    fits = len(shape) <= len(target) and all(
        s in (1, t) for s, t in zip(reversed(shape), reversed(target)))
    if not fits:
        raise ValueError(f"{name}: expected a tensor broadcastable to {letters} = {target}, "
                         f"got shape {shape}")


def _check_width(x: Tensor, name: str, d_model: int, dtype: torch.dtype,
                 ndim: int | None = 3) -> None:
    """``x`` must be a floating tensor [B, T, D] (any rank >= 1 with ``ndim=None``) of the
    layer's dtype."""
    check_tensor(x, name, floating=True)
    if (ndim is not None and x.dim() != ndim) or x.dim() == 0 or x.size(-1) != d_model:
        shape = "[B, T, " if ndim == 3 else "[..., "
        raise ValueError(f"{name}: expected shape {shape}{d_model}], got {list(x.shape)}")
    if x.dtype != dtype:
        raise TypeError(f"{name}: expected dtype {dtype} (the layer's), got {x.dtype}")


def _check_head_mask(value: Tensor | None, name: str, target: Sequence[int],
                     dtype: torch.dtype | None = None) -> None:
    """A mask (bool; ``dtype=None``) or bias (float of ``dtype``) for multi-head attention:
    2-D [T_q, T_k] or 4-D, broadcastable to ``target`` = [B, H, T_q, T_k]. A 3-D one is
    refused: its first dimension could mean the batch or the heads."""
    if isinstance(value, Tensor) and value.dim() not in (2, 4):
        raise ValueError(
            f"{name}: expected [T_q, T_k] or [B, H, T_q, T_k] (sizes may be 1), got shape "
            f"{list(value.shape)}; a {value.dim()}-D {name} is ambiguous (batch or heads?): for "
            f"one per batch item pass {name}[:, None] ([B, 1, T_q, T_k])")
    _check_broadcast(value, name, target, "[B, H, T_q, T_k]", boolean=dtype is None,
                     dtype=dtype)


def _check_qkv(query: Tensor, key: Tensor, value: Tensor) -> None:
    check_tensor(query, "query", floating=True)
    check_tensor(key, "key", floating=True)
    check_tensor(value, "value", floating=True)
    for name, tensor in (("key", key), ("value", value)):
        if tensor.dtype != query.dtype:
            raise TypeError(f"{name}: expected dtype {query.dtype} (the queries'), "
                            f"got {tensor.dtype}")
        if tensor.dim() != query.dim() or tensor.dim() < 2:
            raise ValueError(f"{name}: expected {query.dim()} dimensions like query "
                             f"[..., T_q, d_k], got shape {list(tensor.shape)}")
        if tensor.shape[:-2] != query.shape[:-2]:
            raise ValueError(f"{name}: leading (batch/head) dimensions {list(tensor.shape[:-2])} "
                             f"differ from query's {list(query.shape[:-2])}")
    if key.size(-1) != query.size(-1):
        raise ValueError(f"key: expected last dimension d_k = {query.size(-1)} like query, "
                         f"got shape {list(key.shape)}")
    if value.size(-2) != key.size(-2):
        raise ValueError(f"value: expected T_k = {key.size(-2)} rows like key, "
                         f"got shape {list(value.shape)}")


# --------------------------------------------------------------------------- functions
def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor,
                                 mask: Tensor | None = None, bias: Tensor | None = None,
                                 dropout: float = 0.0,
                                 training: bool = False) -> tuple[Tensor, Tensor]:
    """``softmax(Q K^T / sqrt(d_k) + bias)`` with masked logits removed, times ``V``.

    Args:
        query: [..., T_q, d_k].
        key: [..., T_k, d_k] (same leading dimensions as ``query``).
        value: [..., T_k, d_v].
        mask: optional bool tensor broadcastable to [..., T_q, T_k]; True = may attend.
        bias: optional float tensor broadcastable to [..., T_q, T_k], added to the logits.
        dropout: probability of dropping attention weights while ``training`` (default 0).
    Returns:
        ``(output [..., T_q, d_v], weights [..., T_q, T_k])``; each weight row sums to 1, or
        to 0 for a query whose keys are all masked.
    """
    _check_qkv(query, key, value)
    target = [*query.shape[:-1], key.size(-2)]
    _check_broadcast(mask, "mask", target, "[..., T_q, T_k]", boolean=True)
    _check_broadcast(bias, "bias", target, "[..., T_q, T_k]", boolean=False, dtype=query.dtype)
    dropout = check_probability(dropout, "dropout")
    training = check_bool(training, "training")
    return _attend(query, key, value, mask, bias, dropout, training)


def _attend(query: Tensor, key: Tensor, value: Tensor, mask: Tensor | None,
            bias: Tensor | None, dropout: float, training: bool) -> tuple[Tensor, Tensor]:
    """The unchecked computation behind :func:`scaled_dot_product_attention`."""
    query = query * (1.0 / math.sqrt(query.size(-1)))  # scale the smaller tensor: [..., T_q, d_k]
    logits = query @ key.transpose(-2, -1)  # [..., T_q, T_k]
    if bias is not None:
        logits = logits + bias
    if mask is not None:
        # Add a large negative number (not -inf, which would turn a row with no allowed key
        # into NaN) to blocked logits. Adding a small [.., T_q, T_k]-broadcastable tensor costs
        # one pass and nothing in the backward pass, unlike masked_fill.
        blocked = ~mask
        penalty = torch.zeros(mask.shape, dtype=logits.dtype, device=logits.device)
        logits = logits + penalty.masked_fill_(blocked, torch.finfo(logits.dtype).min / 2)
    weights = torch.softmax(logits, dim=-1)  # [..., T_q, T_k]
    if mask is not None and not bool(mask.any(dim=-1).all()):
        weights = weights.masked_fill(blocked, 0.0)  # rows with no allowed key -> all zero
    if dropout > 0.0 and training:
        weights = nn.functional.dropout(weights, dropout, training=True)
    return weights @ value, weights  # [..., T_q, d_v], [..., T_q, T_k]


def split_heads(x: Tensor, heads: int) -> Tensor:
    """[B, T, D] -> [B, H, T, D / H]: head i gets features i*F .. (i+1)*F - 1."""
    check_tensor(x, "x", ndim=3)
    heads = check_positive_int(heads, "heads")
    batch, tokens, width = x.shape
    if width % heads != 0:
        raise ValueError(f"x: width D = {width} is not divisible by heads = {heads}")
    return x.reshape(batch, tokens, heads, width // heads).transpose(1, 2)  # [B, H, T, F]


def merge_heads(x: Tensor) -> Tensor:
    """[B, H, T, F] -> [B, T, H * F], the inverse of :func:`split_heads` (concatenation)."""
    check_tensor(x, "x", ndim=4)
    batch, heads, tokens, features = x.shape
    return x.transpose(1, 2).reshape(batch, tokens, heads * features)  # [B, T, H*F]


def causal_mask(tokens: int, device: torch.device | str | None = None) -> Tensor:
    """[T, T] bool, True on and below the diagonal: token t may attend to tokens 0..t only."""
    tokens = check_positive_int(tokens, "tokens")
    if device is not None and not isinstance(device, (str, torch.device)):
        raise TypeError(f"device: expected a torch.device, a string such as 'cpu' or None, "
                        f"got {type(device).__name__}")
    return torch.ones(tokens, tokens, dtype=torch.bool, device=device).tril()


def padding_mask(tokens: Tensor, pad_id: int) -> Tensor:
    """[B, T] token ids -> [B, 1, 1, T] bool, True for real tokens (keys that may be attended).

    Broadcasts against [B, H, T_q, T_k] and combines with :func:`causal_mask` by ``&``.
    """
    check_tensor(tokens, "tokens", ndim=2, floating=False)
    pad_id = check_positive_int(pad_id, "pad_id", minimum=0)  # a float would match no token
    return (tokens != pad_id)[:, None, None, :]


# --------------------------------------------------------------------------- module
class MultiHeadAttention(nn.Module):
    """Multi-head attention with separate projections ``W^Q, W^K, W^V`` and ``W^O``.

    Args:
        d_model: model width D.
        heads: number of heads H; D must be divisible by H (d_k = d_v = D / H).
        dropout: dropout on the attention weights while training (default 0).
        bias: whether the four projections have biases (default True, like torch).
    Shapes (batch first): query [B, T_q, D], key and value [B, T_k, D] (default: the query,
    i.e. self-attention); mask bool and bias float, each 2-D [T_q, T_k] or 4-D and
    broadcastable to [B, H, T_q, T_k] (e.g. a causal mask [T_q, T_k], a padding mask
    [B, 1, 1, T_k], a per-head bias [B, H, T_q, T_k] or a shared one [B, 1, T_q, T_k]; a 3-D
    one is refused, since its first dimension could mean the batch or the heads). Returns
    ``(output [B, T_q, D], weights [B, H, T_q, T_k])`` with one weight matrix per head.

    With ``q_proj, k_proj, v_proj`` set to the three row blocks of ``torch.nn.MultiheadAttention``'s
    ``in_proj_weight`` / ``in_proj_bias`` and ``out_proj`` copied, the outputs match it.
    """

    def __init__(self, d_model: int, heads: int, dropout: float = 0.0, bias: bool = True) -> None:
        super().__init__()
        self.d_model = check_positive_int(d_model, "d_model")
        self.heads = check_positive_int(heads, "heads")
        if self.d_model % self.heads != 0:
            raise ValueError(f"d_model: {self.d_model} is not divisible by heads = {self.heads}; "
                             f"each head needs d_k = d_model / heads features")
        self.dropout = check_probability(dropout, "dropout")
        self.d_k = self.d_model // self.heads
        bias = check_bool(bias, "bias")
        D = self.d_model
        self.q_proj = nn.Linear(D, D, bias=bias)  # W^Q for all heads side by side
        self.k_proj = nn.Linear(D, D, bias=bias)  # W^K
        self.v_proj = nn.Linear(D, D, bias=bias)  # W^V
        self.out_proj = nn.Linear(D, D, bias=bias)  # W^O
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Xavier-uniform weights and zero biases."""
        for lin in (self.q_proj, self.k_proj, self.v_proj, self.out_proj):
            nn.init.xavier_uniform_(lin.weight)
            if lin.bias is not None:
                nn.init.zeros_(lin.bias)

    def _check_input(self, x: Tensor, name: str, batch: int | None) -> None:
        _check_width(x, name, self.d_model, self.q_proj.weight.dtype)
        if batch is not None and x.size(0) != batch:
            raise ValueError(f"{name}: expected batch size {batch} like query, got {x.size(0)}")

    def forward(self, query: Tensor, key: Tensor | None = None, value: Tensor | None = None,
                mask: Tensor | None = None,
                bias: Tensor | None = None) -> tuple[Tensor, Tensor]:
        key = query if key is None else key
        value = key if value is None else value
        if not inputs_checked():
            self._check_inputs(query, key, value, mask, bias)
        return self._forward(query, key, value, mask, bias)

    def _check_inputs(self, query: Tensor, key: Tensor, value: Tensor, mask: Tensor | None,
                      bias: Tensor | None) -> None:
        self._check_input(query, "query", None)
        if key is not query:
            self._check_input(key, "key", query.size(0))
        if value is not key:
            self._check_input(value, "value", query.size(0))
            if value.size(1) != key.size(1):
                raise ValueError(f"value: expected T_k = {key.size(1)} tokens like key, "
                                 f"got {value.size(1)}")
        batch, t_q, _ = query.shape
        target = [batch, self.heads, t_q, key.size(1)]
        _check_head_mask(mask, "mask", target)
        _check_head_mask(bias, "bias", target, dtype=query.dtype)

    def _forward(self, query: Tensor, key: Tensor, value: Tensor, mask: Tensor | None,
                 bias: Tensor | None) -> tuple[Tensor, Tensor]:
        """The layer on checked inputs (a model that checked them calls this directly)."""
        q = split_heads(self.q_proj(query), self.heads)  # [B, H, T_q, F]
        k = split_heads(self.k_proj(key), self.heads)  # [B, H, T_k, F]
        v = split_heads(self.v_proj(value), self.heads)  # [B, H, T_k, F]
        out, weights = _attend(q, k, v, mask, bias, self.dropout, self.training)
        return self.out_proj(merge_heads(out)), weights  # [B, T_q, D], [B, H, T_q, T_k]

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(d_model={self.d_model}, heads={self.heads}, "
                f"d_k={self.d_k}, dropout={self.dropout})")
