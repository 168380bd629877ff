"""The Transformer encoder-decoder: positions, config, model, checkpoints (chapter 04).

Vaswani et al., "Attention Is All You Need" (NeurIPS 2017), in the notebook's notation
(x [B, T, D]):

- sinusoidal positional encoding, added to the embeddings (which are scaled by sqrt(D))::

      PE[pos, 2i] = sin(pos / 10000^(2i / D)),   PE[pos, 2i + 1] = cos(pos / 10000^(2i / D))

- stacks of encoder and decoder layers (:mod:`graphcourse.nn.transformer_layers`);
- a final linear layer to vocabulary logits (``to_logits``; the softmax sits in the loss);
- decoding: greedy here (the paper used beam 4). The training recipe (warmup schedule, label
  smoothing) is in :mod:`graphcourse.nn.recipe`.

Checks: :class:`Seq2SeqTransformer` checks its token ids once per call and runs its layers
inside ``checked_inputs`` (they skip their own checks; hooks still run); each layer called on
its own checks its inputs.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, fields

import torch
from torch import Tensor, nn

from .. import checkpoints
from .._validate import (
    check_bool,
    check_instance,
    check_number,
    check_positive_int,
    check_probability,
    check_tensor,
)
from ._checks import checked_inputs, evaluating, inputs_checked
from .attention import causal_mask, padding_mask
from .transformer_layers import DecoderLayer, EncoderLayer


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
    length = check_positive_int(length, "length")
    d_model = check_positive_int(d_model, "d_model")
    base = check_number(base, "base", low=1.0, low_inclusive=False)
    if math.isinf(base):
        raise ValueError("base: expected a finite number > 1, got inf (every column pair but "
                         "the first would be constant)")
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
        self.register_buffer("pe", sinusoidal_encoding(self.max_len, self.d_model),
                             persistent=False)

    def forward(self, x: Tensor) -> Tensor:
        if not inputs_checked():
            check_tensor(x, "x", ndim=3, floating=True)
            if x.size(1) > self.max_len or x.size(2) != self.d_model:
                raise ValueError(f"x: expected shape [B, T <= {self.max_len}, {self.d_model}], "
                                 f"got {list(x.shape)}")
        return self._forward(x)

    def _forward(self, x: Tensor) -> Tensor:
        return self.dropout(x + self.pe[: x.size(1)].to(x.dtype))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(d_model={self.d_model}, max_len={self.max_len})"


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
        # Each field is stored as checked (a NumPy int becomes an int, so configs compare).
        for name in ("src_vocab", "tgt_vocab", "d_model", "heads", "d_ff", "encoder_layers",
                     "decoder_layers", "max_len"):
            setattr(self, name, check_positive_int(getattr(self, name), name))
        if self.d_model % self.heads != 0:
            raise ValueError(f"d_model: {self.d_model} is not divisible by heads = {self.heads}")
        self.dropout = check_probability(self.dropout, "dropout")
        self.norm_first = check_bool(self.norm_first, "norm_first")
        self.positional = check_bool(self.positional, "positional")
        for name in ("pad_id", "bos_id", "eos_id"):
            value = check_positive_int(getattr(self, name), name, minimum=0)
            setattr(self, name, value)
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
        """The config saved by :meth:`to_dict`; unknown fields are refused."""
        check_instance(values, "values", dict, "a dict of config fields")
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
        self.config = check_instance(config, "config", TransformerConfig, "a TransformerConfig",
                                     "build one with TransformerConfig(d_model=..., ...)")
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
        self.to_logits = nn.Linear(c.d_model, c.tgt_vocab)  # output projection D -> V
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
        self.to_logits.reset_parameters()

    # ----------------------------------------------------------------- checks
    def _check_tokens(self, tokens: Tensor, name: str, vocab: int) -> None:
        """[B, T] integer ids in [0, vocab), T <= max_len."""
        check_tensor(tokens, name, ndim=2, floating=False)
        if tokens.size(1) > self.config.max_len:
            raise ValueError(f"{name}: {tokens.size(1)} tokens exceed max_len = "
                             f"{self.config.max_len}")
        if tokens.numel():
            low, high = (int(v) for v in torch.aminmax(tokens))
            if low < 0 or high >= vocab:
                raise ValueError(f"{name}: token ids must lie in [0, {vocab}), found "
                                 f"{low}..{high}")

    def _check_pair(self, src: Tensor, tgt_in: Tensor) -> None:
        self._check_tokens(src, "src", self.config.src_vocab)
        self._check_tokens(tgt_in, "tgt_in", self.config.tgt_vocab)
        if tgt_in.size(0) != src.size(0):
            raise ValueError(f"tgt_in: expected batch size {src.size(0)} like src, got "
                             f"{tgt_in.size(0)}")

    # ----------------------------------------------------------------- pieces
    def _embed(self, tokens: Tensor, table: nn.Embedding) -> Tensor:
        x = table(tokens) * math.sqrt(self.config.d_model)  # [B, T, D]
        return self.positions(x) if self.config.positional else self.positions.dropout(x)

    def encode(self, src: Tensor, return_attention: bool = False):
        """src [B, T_s] -> memory [B, T_s, D] (and the list of per-layer weights)."""
        self._check_tokens(src, "src", self.config.src_vocab)
        return self._encode(src, check_bool(return_attention, "return_attention"))

    def _encode(self, src: Tensor, return_attention: bool = False):
        with checked_inputs():
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
        self._check_pair(src, tgt_in)
        check_tensor(memory, "memory", floating=True)
        expected = [src.size(0), src.size(1), self.config.d_model]
        if list(memory.shape) != expected:
            raise ValueError(f"memory: expected shape {expected} (encode(src)), got "
                             f"{list(memory.shape)}")
        return self._decode(tgt_in, memory, src, check_bool(return_attention, "return_attention"))

    def _decode(self, tgt_in: Tensor, memory: Tensor, src: Tensor,
                return_attention: bool = False):
        with checked_inputs():
            t_t = tgt_in.size(1)
            self_mask = causal_mask(t_t, tgt_in.device) & padding_mask(tgt_in, self.config.pad_id)
            memory_mask = padding_mask(src, self.config.pad_id)  # [B, 1, 1, T_s]
            y = self._embed(tgt_in, self.tgt_embed)
            self_maps, cross_maps = [], []
            for layer in self.decoder:
                if return_attention:
                    y, (w_self, w_cross) = layer(y, memory, self_mask, memory_mask,
                                                 return_attention=True)
                    self_maps.append(w_self)
                    cross_maps.append(w_cross)
                else:
                    y = layer(y, memory, self_mask, memory_mask)
            logits = self.to_logits(self.decoder_norm(y))  # [B, T_t, V]
            return (logits, self_maps, cross_maps) if return_attention else logits

    def forward(self, src: Tensor, tgt_in: Tensor) -> Tensor:
        self._check_pair(src, tgt_in)  # once: the layers trust it
        return self._decode(tgt_in, self._encode(src), src)

    def attention_maps(self, src: Tensor, tgt_in: Tensor) -> dict[str, list[Tensor]]:
        """Every attention matrix for one forward pass, detached.

        Returns ``{'encoder': [...], 'decoder': [...], 'cross': [...]}``, one [B, H, T_q, T_k]
        tensor per layer (encoder self [T_s, T_s], decoder self [T_t, T_t], cross [T_t, T_s]).
        """
        self._check_pair(src, tgt_in)
        with torch.no_grad():
            memory, enc = self._encode(src, return_attention=True)
            _, dec, cross = self._decode(tgt_in, memory, src, return_attention=True)
        return {"encoder": enc, "decoder": dec, "cross": cross}

    @torch.no_grad()
    def greedy_decode(self, src: Tensor, max_len: int | None = None) -> Tensor:
        """Decode by taking the most likely next token until EOS (or ``max_len`` tokens).

        Returns [B, L] token ids starting with BOS; after a sequence's EOS the rest is PAD.
        ``max_len`` defaults to T_s + 2 (enough for BOS, T_s tokens and EOS), at most
        ``config.max_len``; a larger explicit ``max_len`` is refused.
        """
        c = self.config
        self._check_tokens(src, "src", c.src_vocab)
        if max_len is None:
            max_len = min(src.size(1) + 2, c.max_len)
        else:
            max_len = check_positive_int(max_len, "max_len")
            if max_len > c.max_len:
                raise ValueError(f"max_len: expected at most config.max_len = {c.max_len} "
                                 f"tokens, got {max_len}")
        with evaluating(self):  # the training flag comes back even if decoding fails
            memory = self._encode(src)
            out = torch.full((src.size(0), 1), c.bos_id, dtype=torch.long, device=src.device)
            done = torch.zeros(src.size(0), dtype=torch.bool, device=src.device)
            while out.size(1) < max_len and not bool(done.all()):
                logits = self._decode(out, memory, src)[:, -1]  # [B, V]
                nxt = logits.argmax(dim=-1).masked_fill(done, c.pad_id)  # [B]
                out = torch.cat([out, nxt[:, None]], dim=1)
                done = done | (nxt == c.eos_id)
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
    check_instance(model, "model", Seq2SeqTransformer, "a Seq2SeqTransformer",
                   "other models save with graphcourse.checkpoints.save")
    return checkpoints.save(model, path, meta={"config": model.config.to_dict()})


def load_transformer(path: str | os.PathLike) -> Seq2SeqTransformer:
    """Rebuild a :class:`Seq2SeqTransformer` from :func:`save_transformer`'s file."""
    state = checkpoints.read(path)  # checks path, the checksum and the layout
    config = state["meta"].get("config")
    if not isinstance(config, dict):
        raise ValueError(f"path: {path} holds no TransformerConfig in its metadata; save the "
                         "model with save_transformer")
    model = Seq2SeqTransformer(TransformerConfig.from_dict(config))
    model.load_state_dict(state["state_dict"])
    model.eval()
    return model
