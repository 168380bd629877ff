"""The Transformer encoder-decoder (chapter 04).

Vaswani et al., "Attention Is All You Need" (NeurIPS 2017). The pieces, in the notebook's
notation (x [B, T, D]):

- sinusoidal positional encoding, added to the embeddings (which are scaled by sqrt(D))::

      PE[pos, 2i] = sin(pos / 10000^(2i / D)),   PE[pos, 2i + 1] = cos(pos / 10000^(2i / D))

- position-wise feed-forward network, the same two-layer MLP at every position (a 1x1
  convolution)::  FFN(x) = max(0, x W_1 + b_1) W_2 + b_2
- encoder layer: self-attention, then the FFN; each sub-layer wrapped as
  ``LayerNorm(x + Dropout(Sublayer(x)))`` (post-LN, the paper's choice) or, with
  ``norm_first=True``, ``x + Dropout(Sublayer(LayerNorm(x)))`` (pre-LN, plus one final
  LayerNorm per stack), which trains more easily without warmup;
- decoder layer: masked (causal) self-attention, encoder-decoder ("cross") attention whose keys
  and values are the encoder's output, then the FFN;
- a final linear layer to vocabulary logits (the softmax sits in the loss);
- training: Adam(0.9, 0.98, eps 1e-9) with
  ``lr = D^-0.5 * min(step^-0.5, step * warmup^-1.5)`` (:func:`noam_lambda`) and label
  smoothing 0.1 (:func:`label_smoothing_loss`); decoding: greedy here (the paper used beam 4).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields

import torch
from torch import Tensor, nn

from .. import checkpoints
from .._validate import check_number, check_positive_int, check_probability, check_tensor
from .attention import MultiHeadAttention, causal_mask, padding_mask


# --------------------------------------------------------------------------- positions
def sinusoidal_encoding(length: int, d_model: int, base: float = 10000.0) -> Tensor:
    """The paper's positional encodings: [length, d_model], row ``pos`` encodes position pos.

    Column 2i holds ``sin(pos / base^(2i / D))`` and column 2i+1 the matching cosine, so each
    pair of columns is a clock turning at its own speed, from one turn per 2 pi positions
    (i = 0) up to nearly 2 pi * base positions per turn: the last pair (2i = D - 2 for an even
    D) turns once every ``2 pi * base^((D - 2) / D)`` positions, which approaches 2 pi * base
    as D grows. An odd ``d_model`` drops the last cosine.

    Each (sin, cos) pair has length 1, so ``|PE_i| = sqrt(D / 2)`` for every position and
    ``|PE_i - PE_j|^2 = sum_m 2 - 2 cos((i - j) w_m)``, with ``w_m = base^(-2m / D)``, depends
    only on the offset ``|i - j|``.
    It grows overall with the offset but not monotonically: for D = 64, position 30 is closer
    to position 0 (5.464) than position 29 is (5.698).
    """
    check_positive_int(length, "length")
    check_positive_int(d_model, "d_model")
    base = check_number(base, "base", low=1.0, low_inclusive=False)
    position = torch.arange(length, dtype=torch.float64)[:, None]  # [T, 1]
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)  # [ceil(D/2)]
    angle = position / base ** (two_i / d_model)  # [T, ceil(D/2)]
    pe = torch.zeros(length, 2 * two_i.numel(), dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle)
    return pe[:, :d_model].float()  # [T, D]


class PositionalEncoding(nn.Module):
    """Add :func:`sinusoidal_encoding` to x [B, T, D] (then dropout); ``T <= max_len``."""

    def __init__(self, d_model: int, max_len: int = 512, dropout: float = 0.0) -> None:
        super().__init__()
        self.d_model = check_positive_int(d_model, "d_model")
        self.max_len = check_positive_int(max_len, "max_len")
        self.dropout = nn.Dropout(check_probability(dropout, "dropout"))
        self.register_buffer("pe", sinusoidal_encoding(max_len, d_model), persistent=False)

    def forward(self, x: Tensor) -> Tensor:
        check_tensor(x, "x", ndim=3, floating=True)
        if x.size(1) > self.max_len or x.size(2) != self.d_model:
            raise ValueError(f"x: expected shape [B, T <= {self.max_len}, {self.d_model}], "
                             f"got {list(x.shape)}")
        return self.dropout(x + self.pe[: x.size(1)].to(x.dtype))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(d_model={self.d_model}, max_len={self.max_len})"


# --------------------------------------------------------------------------- layers
class PositionwiseFeedForward(nn.Module):
    """``FFN(x) = W_2 ReLU(W_1 x + b_1) + b_2`` applied to every position alone.

    Shapes: [B, T, D] -> [B, T, D] with a hidden width ``d_ff`` (the paper: 4 D).
    """

    def __init__(self, d_model: int, d_ff: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.d_model = check_positive_int(d_model, "d_model")
        self.d_ff = check_positive_int(d_ff, "d_ff")
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(check_probability(dropout, "dropout"))

    def reset_parameters(self) -> None:
        self.linear1.reset_parameters()
        self.linear2.reset_parameters()

    def forward(self, x: Tensor) -> Tensor:
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
        self.self_attn = MultiHeadAttention(d_model, heads, dropout=dropout)
        self.ffn = PositionwiseFeedForward(d_model, d_ff, dropout=dropout)
        self.sub_attn = _Residual(d_model, dropout, norm_first)
        self.sub_ffn = _Residual(d_model, dropout, norm_first)
        self.norm_first = norm_first

    def reset_parameters(self) -> None:
        self.self_attn.reset_parameters()
        self.ffn.reset_parameters()
        for sub in (self.sub_attn, self.sub_ffn):
            sub.norm.reset_parameters()

    def forward(self, x: Tensor, mask: Tensor | None = None,
                return_attention: bool = False) -> Tensor | tuple[Tensor, Tensor]:
        kept: list[Tensor] = []

        def attend(h: Tensor) -> Tensor:
            out, weights = self.self_attn(h, mask=mask)
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
        self.self_attn = MultiHeadAttention(d_model, heads, dropout=dropout)
        self.cross_attn = MultiHeadAttention(d_model, heads, dropout=dropout)
        self.ffn = PositionwiseFeedForward(d_model, d_ff, dropout=dropout)
        self.sub_self = _Residual(d_model, dropout, norm_first)
        self.sub_cross = _Residual(d_model, dropout, norm_first)
        self.sub_ffn = _Residual(d_model, dropout, norm_first)
        self.norm_first = norm_first

    def reset_parameters(self) -> None:
        self.self_attn.reset_parameters()
        self.cross_attn.reset_parameters()
        self.ffn.reset_parameters()
        for sub in (self.sub_self, self.sub_cross, self.sub_ffn):
            sub.norm.reset_parameters()

    def forward(self, y: Tensor, memory: Tensor, self_mask: Tensor | None = None,
                memory_mask: Tensor | None = None, return_attention: bool = False
                ) -> Tensor | tuple[Tensor, tuple[Tensor, Tensor]]:
        kept: list[Tensor] = []

        def attend_self(h: Tensor) -> Tensor:
            out, weights = self.self_attn(h, mask=self_mask)
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


# --------------------------------------------------------------------------- model
@dataclass
class TransformerConfig:
    """Settings of :class:`Seq2SeqTransformer`, saved with its checkpoints.

    The defaults are a tiny model for the course's digit tasks; the paper's base model is
    ``d_model=512, heads=8, d_ff=2048, encoder_layers=decoder_layers=6, dropout=0.1``.
    """

    src_vocab: int = 13        # source vocabulary size (graphcourse.sequences: PAD, BOS, EOS, 0-9)
    tgt_vocab: int = 13        # target vocabulary size
    d_model: int = 64          # model width D
    heads: int = 4             # attention heads H (d_k = D / H)
    d_ff: int = 128            # hidden width of the position-wise FFN (paper: 4 D)
    encoder_layers: int = 2    # N in the paper (6 there)
    decoder_layers: int = 2
    dropout: float = 0.0       # paper: 0.1; the tiny synthetic task trains faster without
    max_len: int = 64          # longest sequence the positional table covers
    norm_first: bool = False   # False = post-LN (paper), True = pre-LN
    positional: bool = True    # add sinusoidal positional encodings (False: the ablation)
    pad_id: int = 0            # padding token (ignored by attention and the loss)
    bos_id: int = 1            # begin-of-sequence token that starts decoding
    eos_id: int = 2            # end-of-sequence token that stops decoding

    def __post_init__(self) -> None:
        for name in ("src_vocab", "tgt_vocab", "d_model", "heads", "d_ff", "encoder_layers",
                     "decoder_layers", "max_len"):
            check_positive_int(getattr(self, name), name)
        if self.d_model % self.heads != 0:
            raise ValueError(f"d_model: {self.d_model} is not divisible by heads = {self.heads}")
        check_probability(self.dropout, "dropout")
        for name in ("pad_id", "bos_id", "eos_id"):
            value = check_positive_int(getattr(self, name), name, minimum=0)
            if value >= self.tgt_vocab:
                raise ValueError(f"{name}: {value} is outside the target vocabulary "
                                 f"(tgt_vocab = {self.tgt_vocab})")
        # pad_id also masks the source (padding_mask(src, pad_id)), so it must be a source id;
        # BOS and EOS only ever enter the decoder.
        if self.pad_id >= self.src_vocab:
            raise ValueError(f"pad_id: {self.pad_id} is outside the source vocabulary "
                             f"(src_vocab = {self.src_vocab}); padding masks the source too")

    def to_dict(self) -> dict:
        """Plain dict for checkpoint metadata."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> TransformerConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"values: unknown config fields {unknown}")
        return cls(**values)


class Seq2SeqTransformer(nn.Module):
    """An encoder-decoder Transformer for token sequences (Vaswani et al., Figure 1).

    ``forward(src [B, T_s], tgt_in [B, T_t]) -> logits [B, T_t, tgt_vocab]``, where ``tgt_in``
    is the target shifted right (it starts with BOS): position t predicts target token t + 1.
    Embeddings are multiplied by sqrt(D) before the positional encoding is added, as in the
    paper (which gives no reason). :meth:`reset_parameters` draws embedding entries from
    N(0, 1/D), so after the factor they have standard deviation 1, the scale of the positional
    entries (root mean square 1/sqrt(2)); that balance is a property of this initialisation,
    not of the factor alone. Padding tokens are masked as keys everywhere, and the decoder's
    self-attention is causal.
    """

    def __init__(self, config: TransformerConfig | None = None) -> None:
        super().__init__()
        config = TransformerConfig() if config is None else config
        if not isinstance(config, TransformerConfig):
            raise TypeError(f"config: expected a TransformerConfig, got {type(config).__name__}")
        self.config = config
        c = config
        self.src_embed = nn.Embedding(c.src_vocab, c.d_model)
        self.tgt_embed = nn.Embedding(c.tgt_vocab, c.d_model)
        self.positions = PositionalEncoding(c.d_model, c.max_len, c.dropout)
        self.encoder = nn.ModuleList(EncoderLayer(c.d_model, c.heads, c.d_ff, c.dropout,
                                                  c.norm_first) for _ in range(c.encoder_layers))
        self.decoder = nn.ModuleList(DecoderLayer(c.d_model, c.heads, c.d_ff, c.dropout,
                                                  c.norm_first) for _ in range(c.decoder_layers))
        # Pre-LN stacks end with a LayerNorm (post-LN layers already end with one).
        self.encoder_norm = nn.LayerNorm(c.d_model) if c.norm_first else nn.Identity()
        self.decoder_norm = nn.LayerNorm(c.d_model) if c.norm_first else nn.Identity()
        self.generator = nn.Linear(c.d_model, c.tgt_vocab)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Embeddings from N(0, 1/D) (times sqrt(D) in use: unit scale); layers as their own."""
        nn.init.normal_(self.src_embed.weight, std=self.config.d_model ** -0.5)
        nn.init.normal_(self.tgt_embed.weight, std=self.config.d_model ** -0.5)
        for layer in (*self.encoder, *self.decoder):
            layer.reset_parameters()
        for norm in (self.encoder_norm, self.decoder_norm):
            if isinstance(norm, nn.LayerNorm):
                norm.reset_parameters()
        self.generator.reset_parameters()

    # ----------------------------------------------------------------- pieces
    def _check_tokens(self, tokens: Tensor, name: str, vocab: int) -> None:
        check_tensor(tokens, name, ndim=2, floating=False)
        if tokens.dtype == torch.bool:
            raise TypeError(f"{name}: expected integer token ids, got dtype torch.bool")
        if tokens.size(1) > self.config.max_len:
            raise ValueError(f"{name}: {tokens.size(1)} tokens exceed max_len = "
                             f"{self.config.max_len}")
        if tokens.numel() and (int(tokens.min()) < 0 or int(tokens.max()) >= vocab):
            raise ValueError(f"{name}: token ids must lie in [0, {vocab}), found "
                             f"{int(tokens.min())}..{int(tokens.max())}")

    def _embed(self, tokens: Tensor, table: nn.Embedding) -> Tensor:
        x = table(tokens) * math.sqrt(self.config.d_model)  # [B, T, D]
        return self.positions(x) if self.config.positional else self.positions.dropout(x)

    def encode(self, src: Tensor, return_attention: bool = False):
        """src [B, T_s] -> memory [B, T_s, D] (and the list of per-layer weights)."""
        self._check_tokens(src, "src", self.config.src_vocab)
        mask = padding_mask(src, self.config.pad_id)  # [B, 1, 1, T_s]
        x = self._embed(src, self.src_embed)
        maps = []
        for layer in self.encoder:
            if return_attention:
                x, weights = layer(x, mask, return_attention=True)
                maps.append(weights)
            else:
                x = layer(x, mask)
        x = self.encoder_norm(x)
        return (x, maps) if return_attention else x

    def decode(self, tgt_in: Tensor, memory: Tensor, src: Tensor,
               return_attention: bool = False):
        """tgt_in [B, T_t], memory [B, T_s, D], src [B, T_s] (for its padding) -> logits
        [B, T_t, tgt_vocab] (and lists of per-layer self and cross weights)."""
        self._check_tokens(tgt_in, "tgt_in", self.config.tgt_vocab)
        t_t = tgt_in.size(1)
        self_mask = causal_mask(t_t, tgt_in.device) & padding_mask(tgt_in, self.config.pad_id)
        memory_mask = padding_mask(src, self.config.pad_id)  # [B, 1, 1, T_s]
        y = self._embed(tgt_in, self.tgt_embed)
        self_maps, cross_maps = [], []
        for layer in self.decoder:
            if return_attention:
                y, (w_self, w_cross) = layer(y, memory, self_mask, memory_mask, True)
                self_maps.append(w_self)
                cross_maps.append(w_cross)
            else:
                y = layer(y, memory, self_mask, memory_mask)
        logits = self.generator(self.decoder_norm(y))  # [B, T_t, V]
        return (logits, self_maps, cross_maps) if return_attention else logits

    def forward(self, src: Tensor, tgt_in: Tensor) -> Tensor:
        return self.decode(tgt_in, self.encode(src), src)

    def attention_maps(self, src: Tensor, tgt_in: Tensor) -> dict[str, list[Tensor]]:
        """Every attention matrix for one forward pass, detached.

        Returns ``{'encoder': [...], 'decoder': [...], 'cross': [...]}``, one [B, H, T_q, T_k]
        tensor per layer (encoder self [T_s, T_s], decoder self [T_t, T_t], cross [T_t, T_s]).
        """
        with torch.no_grad():
            memory, enc = self.encode(src, return_attention=True)
            _, dec, cross = self.decode(tgt_in, memory, src, return_attention=True)
        return {"encoder": enc, "decoder": dec, "cross": cross}

    @torch.no_grad()
    def greedy_decode(self, src: Tensor, max_len: int | None = None) -> Tensor:
        """Decode by taking the most likely next token until EOS (or ``max_len`` tokens).

        Returns [B, L] token ids starting with BOS; after a sequence's EOS the rest is PAD.
        ``max_len`` defaults to T_s + 2 (enough for BOS, T_s tokens and EOS).
        """
        c = self.config
        self._check_tokens(src, "src", c.src_vocab)
        max_len = src.size(1) + 2 if max_len is None else check_positive_int(max_len, "max_len")
        max_len = min(max_len, c.max_len)
        was_training = self.training
        self.eval()
        try:  # restore the training flag even if decoding fails
            memory = self.encode(src)
            out = torch.full((src.size(0), 1), c.bos_id, dtype=torch.long, device=src.device)
            done = torch.zeros(src.size(0), dtype=torch.bool, device=src.device)
            while out.size(1) < max_len and not bool(done.all()):
                logits = self.decode(out, memory, src)[:, -1]  # [B, V]
                nxt = logits.argmax(dim=-1).masked_fill(done, c.pad_id)  # [B]
                out = torch.cat([out, nxt[:, None]], dim=1)
                done = done | (nxt == c.eos_id)
        finally:
            self.train(was_training)
        return out

    def __repr__(self) -> str:
        c = self.config
        pe = "sinusoidal" if c.positional else "none"
        ln = "pre-LN" if c.norm_first else "post-LN"
        return (f"{type(self).__name__}(d_model={c.d_model}, heads={c.heads}, d_ff={c.d_ff}, "
                f"layers={c.encoder_layers}+{c.decoder_layers}, {ln}, positions={pe}, "
                f"vocab={c.src_vocab}->{c.tgt_vocab})")


def save_transformer(model: Seq2SeqTransformer, path: str | os.PathLike) -> str:
    """Save weights and config (as checkpoint metadata) with a checksum; returns it."""
    if not isinstance(model, Seq2SeqTransformer):
        raise TypeError(f"model: expected a Seq2SeqTransformer, got {type(model).__name__}")
    return checkpoints.save(model, path, meta={"config": model.config.to_dict()})


def load_transformer(path: str | os.PathLike) -> Seq2SeqTransformer:
    """Rebuild a :class:`Seq2SeqTransformer` from :func:`save_transformer`'s file."""
    state = checkpoints.read(path)
    meta = state.get("meta", {})
    if "config" not in meta:
        raise ValueError(f"path: {path} holds no TransformerConfig in its metadata")
    model = Seq2SeqTransformer(TransformerConfig.from_dict(meta["config"]))
    model.load_state_dict(state["state_dict"])
    model.eval()
    return model


# --------------------------------------------------------------------------- training
def noam_lambda(d_model: int, warmup: int = 4000, scale: float = 1.0) -> Callable[[int], float]:
    """The paper's learning-rate schedule as a ``LambdaLR`` factor (use base lr 1.0)::

        lr(step) = scale * d_model^-0.5 * min(step^-0.5, step * warmup^-1.5)

    ``LambdaLR`` calls the function with 0, 1, 2, ... (0 before the first update), so the
    factor for call ``s`` uses ``step = s + 1``. The peak, ``scale * (d_model * warmup)^-0.5``,
    is reached at ``step = warmup``; afterwards it decays like ``1 / sqrt(step)``.
    """
    check_positive_int(d_model, "d_model")
    check_positive_int(warmup, "warmup")
    scale = check_number(scale, "scale", low=0, low_inclusive=False)

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
    Shapes: logits [..., C], target [...] (long) -> scalar.
    """
    check_tensor(logits, "logits", floating=True)
    check_tensor(target, "target", floating=False)
    if target.shape != logits.shape[:-1]:
        raise ValueError(f"target: expected shape {list(logits.shape[:-1])}, "
                         f"got {list(target.shape)}")
    smoothing = check_probability(smoothing, "smoothing")
    log_p = torch.log_softmax(logits, dim=-1).reshape(-1, logits.size(-1))  # [M, C]
    target = target.reshape(-1)  # [M]
    keep = torch.ones_like(target, dtype=torch.bool) if ignore_index is None \
        else target != ignore_index
    safe = target.masked_fill(~keep, 0)
    nll = -log_p.gather(1, safe[:, None]).squeeze(1)  # [M]
    uniform = -log_p.mean(dim=-1)  # [M]
    loss = (1.0 - smoothing) * nll + smoothing * uniform
    return (loss * keep).sum() / keep.sum().clamp(min=1)
