"""Attention statistics: what a trained GAT or Transformer attends to (chapters 03 and 04).

Graph attention (chapter 03). A GAT layer's coefficients come as ``(edge_index [2, E],
alpha [E, H])`` (what ``GATLayer(..., return_attention=True)`` and ``GAT.attention`` return;
the edges include the self-loops): ``alpha[e, h]`` is head h's weight alpha_ij on the edge
e = (j -> i), and for every node i that receives edges, ``sum_{j in N(i)} alpha_ij = 1`` per
head (a softmax over the in-neighbours). Every function here checks that: logits (before the
softmax) would give plausible but wrong statistics, such as a negative entropy.

- :func:`node_attention`: one node's neighbours and the weight each head gives them.
- :func:`attention_entropy` / :func:`uniform_entropy`: how peaked each node's attention is,
  ``H_i = -sum_j alpha_ij log alpha_ij``, against ``log(deg(i))`` for uniform attention.
- :func:`head_agreement`: ``1 - TV`` between two heads' distributions, averaged over nodes.
- :func:`entropy_summary`, :func:`attention_by_label`: one number per layer.

Transformer attention (chapter 04): :func:`attention_view` decodes a digit string and returns
one attention matrix [T_q, T_k]; :func:`positional_view` slices the sinusoidal encoding.
Drawings are in :mod:`graphcourse.viz`, explorers in :mod:`graphcourse.widgets`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor
from torch_geometric.utils import degree, scatter

from .. import sequences as seq
from .._validate import (
    _as_int,
    check_choice,
    check_edge_index,
    check_finite,
    check_index,
    check_instance,
    check_node,
    check_positive_int,
    check_tensor,
)
from .transformer import Seq2SeqTransformer, sinusoidal_encoding

LOGITS_HINT = "pass attention weights (after softmax), not logits"


def _sum_tolerance(alpha: Tensor) -> float:
    """How far from 1 a node's summed weights may be: float32 and float64 round little,
    half precision more."""
    return 1e-3 if alpha.dtype in (torch.float32, torch.float64) else 2e-2


def check_attention(edge_index: Any, alpha: Any, num_nodes: Any) -> Tensor:
    """Check one layer's attention and return ``alpha`` as [E, H] (a 1-D ``alpha`` [E] is one
    head), detached.

    ``num_nodes`` is an int >= 1, ``edge_index`` [2, E] has ids below it, and ``alpha`` holds
    finite weights in [0, 1] whose sum over each node's incoming edges is 1 per head (nodes
    without incoming edges sum to 0): ``ValueError`` with the hint to pass weights, not
    logits, otherwise.
    """
    num_nodes = check_positive_int(num_nodes, "num_nodes")
    check_edge_index(edge_index, num_nodes)
    check_tensor(alpha, "alpha", floating=True)
    if alpha.dim() == 1:
        alpha = alpha.view(-1, 1)  # one head: [E] -> [E, 1]
    if alpha.dim() != 2 or alpha.size(0) != edge_index.size(1):
        raise ValueError(f"alpha: expected shape [E, H] with E = {edge_index.size(1)} edges, "
                         f"got {list(alpha.shape)}")
    alpha = check_finite(alpha.detach(), "alpha")
    if alpha.numel() == 0:
        return alpha
    low, high = float(alpha.min()), float(alpha.max())
    if low < -1e-6 or high > 1 + 1e-6:
        raise ValueError(f"alpha: expected attention weights in [0, 1], found values from "
                         f"{low:.3g} to {high:.3g}; {LOGITS_HINT}")
    totals = scatter(alpha.double(), edge_index[1], dim=0, dim_size=num_nodes,
                     reduce="sum")  # [N, H]
    receives = degree(edge_index[1], num_nodes) > 0  # [N]
    gap = (totals[receives] - 1.0).abs()  # [N', H]
    if gap.numel() and float(gap.max()) > _sum_tolerance(alpha):
        row, head = divmod(int(gap.argmax()), gap.size(1))
        node = int(torch.nonzero(receives).view(-1)[row])
        raise ValueError(f"alpha: expected each node's incoming weights to sum to 1 per head, "
                         f"but node {node}'s sum to {float(totals[node, head]):.4g} under head "
                         f"{head}; {LOGITS_HINT}")
    return alpha


@dataclass
class NodeAttention:
    """Where one node looks: its in-neighbours (itself included, if the self-loop is among the
    edges) and each head's weight on them, sorted by the heads' mean weight, largest first
    (built by :func:`node_attention`).

    Attributes:
        node: the receiving node i.
        neighbours: the senders j, one per edge j -> i (a repeated edge appears twice), so
            ``len(neighbours)`` is deg(i), the in-degree (with the self-loop, which GAT's
            attention always includes).
        weights: alpha_ij per neighbour and head, [deg(i), H]; each column sums to 1.
    """

    node: int
    neighbours: list[int]
    weights: Tensor

    def __post_init__(self) -> None:
        self.node = check_positive_int(self.node, "node", minimum=0)
        check_instance(self.neighbours, "neighbours", list, "a list of node ids")
        check_tensor(self.weights, "weights", ndim=2, floating=True)
        if self.weights.size(0) != len(self.neighbours):
            raise ValueError(f"weights: expected one row per neighbour ({len(self.neighbours)})"
                             f", got shape {list(self.weights.shape)}")

    @property
    def heads(self) -> int:
        return int(self.weights.size(1))

    def entropy(self) -> Tensor:
        """Entropy of each head's distribution over the neighbours, in nats: [H].

        The same formula as :func:`attention_entropy` (which computes it here, in float64),
        for the deg(i) edges into this one node.
        """
        weights = self.weights.detach().double()  # [deg(i), H]
        into_node = torch.zeros(2, weights.size(0), dtype=torch.long,
                                device=weights.device)  # deg(i) edges, all into node 0
        return attention_entropy(into_node, weights, 1)[0].float()  # [H]


def node_attention(edge_index: Tensor, alpha: Tensor, node: int, num_nodes: int) -> NodeAttention:
    """The attention of ``node`` over its in-neighbours: see :class:`NodeAttention`.

    edge_index [2, E], alpha [E, H] (weights, see :func:`check_attention`)."""
    alpha = check_attention(edge_index, alpha, num_nodes)
    node = check_node(node, int(num_nodes))
    incoming = torch.nonzero(edge_index[1] == node).view(-1)  # edge ids j -> node
    weights = alpha[incoming]  # [deg(i), H]
    order = torch.argsort(weights.mean(dim=1), descending=True, stable=True)
    return NodeAttention(node, edge_index[0, incoming[order]].tolist(), weights[order].clone())


def attention_entropy(edge_index: Tensor, alpha: Tensor, num_nodes: int) -> Tensor:
    """Entropy ``H_i = -sum_{j in N(i)} alpha_ij log alpha_ij`` of every node's attention, per
    head: edge_index [2, E], alpha [E, H] -> [N, H], in nats.

    0 means the node attends to a single neighbour; ``log(deg(i))`` (see
    :func:`uniform_entropy`) means it weighs all its neighbours equally, as a GCN-like mean.
    Nodes with no incoming edge get 0. ``alpha`` must hold weights (after the softmax): each
    node's incoming weights sum to 1, which keeps ``0 <= H_i <= log(deg(i))``.
    """
    alpha = check_attention(edge_index, alpha, num_nodes)
    terms = -(alpha * torch.log(alpha.clamp_min(1e-30)))  # [E, H]
    return scatter(terms, edge_index[1], dim=0, dim_size=int(num_nodes), reduce="sum")  # [N, H]


def uniform_entropy(edge_index: Tensor, num_nodes: int) -> Tensor:
    """Entropy of uniform attention over each node's in-neighbours, ``log(deg(i))``: [N]
    (0 for a node without incoming edges)."""
    num_nodes = check_positive_int(num_nodes, "num_nodes")
    check_edge_index(edge_index, num_nodes)
    deg = degree(edge_index[1], num_nodes)  # [N]
    return torch.log(deg.clamp_min(1.0))


def head_agreement(edge_index: Tensor, alpha: Tensor, num_nodes: int) -> Tensor:
    """How alike the heads attend: ``1 - TV(alpha_h(i), alpha_g(i))`` averaged over the nodes
    that receive edges, for every pair of heads (h, g): alpha [E, H] -> [H, H], with 1 on the
    diagonal.

    TV is the total-variation distance ``1/2 sum_j |alpha_h,ij - alpha_g,ij|``: 1 means the two
    heads weigh every neighbour identically, 0 that they put their weight on disjoint sets.
    """
    alpha = check_attention(edge_index, alpha, num_nodes)
    num_nodes = int(num_nodes)
    heads = alpha.size(1)
    receives = degree(edge_index[1], num_nodes) > 0  # [N]
    out = torch.ones(heads, heads)
    for h in range(heads):
        for g in range(h + 1, heads):
            gap = scatter((alpha[:, h] - alpha[:, g]).abs(), edge_index[1], dim=0,
                          dim_size=num_nodes, reduce="sum")  # [N]
            out[h, g] = out[g, h] = 1.0 - 0.5 * float(gap[receives].mean())
    return out


def entropy_summary(edge_index: Tensor, alpha: Tensor, num_nodes: int) -> dict[str, float]:
    """Mean attention entropy over nodes and heads, the mean uniform entropy, and their ratio
    ``sum_i mean_h H_i / sum_i log(deg(i))`` (1.0: attention is as flat as a mean over the
    neighbours). alpha [E, H]."""
    entropy = attention_entropy(edge_index, alpha, num_nodes).mean(dim=1)  # [N]
    uniform = uniform_entropy(edge_index, num_nodes)  # [N]
    ratio = float(entropy.sum() / uniform.sum()) if float(uniform.sum()) > 0 else 1.0
    return {"entropy": float(entropy.mean()), "uniform": float(uniform.mean()), "ratio": ratio}


def attention_by_label(edge_index: Tensor, alpha: Tensor, y: Tensor,
                       num_nodes: int) -> dict[str, float]:
    """Mean attention relative to uniform, ``alpha_ij * deg(i)``, on three kinds of edge:
    ``'same'`` (j -> i with y[j] == y[i], j != i), ``'other'`` (y[j] != y[i]) and ``'self'``
    (the self-loops), averaged over edges and heads. 1.0 is what uniform attention gives; a
    layer that listens more to neighbours of its own class has ``same > 1 > other``. A kind
    with no edge gets ``nan``. alpha [E, H], y [N] integer labels.
    """
    alpha = check_attention(edge_index, alpha, num_nodes)
    num_nodes = int(num_nodes)
    check_tensor(y, "y", ndim=1, floating=False)
    if y.numel() != num_nodes:
        raise ValueError(f"y: expected one label per node ({num_nodes}), got {y.numel()}")
    source, target = edge_index
    relative = alpha * degree(target, num_nodes)[target].view(-1, 1)  # [E, H]
    loop = source == target
    agree = y[source] == y[target]
    kinds = {"same": agree & ~loop, "other": ~agree & ~loop, "self": loop}
    return {name: float(relative[mask].mean()) if bool(mask.any()) else float("nan")
            for name, mask in kinds.items()}


# --------------------------------------------------------------------------- Transformer
KINDS = ("encoder", "decoder", "cross")


@dataclass
class AttentionView:
    """One attention matrix of a decoded example (built by :func:`attention_view`).

    Attributes:
        weights: [T_q, T_k]; row i is how query i spreads its attention over the keys.
        rows, cols: labels of the queries and keys. Encoder tokens are the source digits;
            decoder rows are labelled by the token each position predicts.
        source, output, expected: the input digits, the greedy output, and the right answer
            (empty when no task is given).
    """

    weights: Tensor
    rows: list[str]
    cols: list[str]
    kind: str
    layer: int
    head: int
    source: str
    output: str
    expected: str

    def __post_init__(self) -> None:
        check_tensor(self.weights, "weights", ndim=2, floating=True)
        if list(self.weights.shape) != [len(self.rows), len(self.cols)]:
            raise ValueError(f"weights: expected shape [len(rows), len(cols)] = "
                             f"[{len(self.rows)}, {len(self.cols)}], got "
                             f"{list(self.weights.shape)}")
        check_choice(self.kind, "kind", KINDS)
        for name in ("source", "output", "expected"):
            check_instance(getattr(self, name), name, str, "a string")

    @property
    def correct(self) -> bool:
        return self.output == self.expected


def attention_view(model: Seq2SeqTransformer, digits: str | Sequence[int], layer: int = 0,
                   head: int = 0, kind: str = "cross", task: str | None = None) -> AttentionView:
    """Decode ``digits`` with ``model`` and return the attention of ``(layer, head, kind)``.

    ``kind`` is ``'encoder'`` (source x source, [T_s, T_s]), ``'decoder'`` (output x output,
    causal) or ``'cross'`` (output x source, [T_out, T_s]). The decoder maps come from running
    the decoder on its own greedy output, i.e. exactly what it attended to while producing each
    token. ``task`` (``'reverse'``, ``'sort'``, ``'copy'`` or None) fills ``expected``.
    """
    check_instance(model, "model", Seq2SeqTransformer, "a Seq2SeqTransformer")
    check_choice(kind, "kind", KINDS)
    if task is not None:
        check_choice(task, "task", seq.TASKS)
    if not isinstance(digits, (str, Sequence)):
        raise TypeError(f"digits: expected a string of digits or a list of ints 0-9, got "
                        f"{type(digits).__name__}")
    tokens = seq.encode(digits)
    config = model.config
    if not tokens:
        raise ValueError("digits: expected at least one digit")
    if len(tokens) > config.max_len - 2:
        raise ValueError(f"digits: expected at most {config.max_len - 2} digits (the model's "
                         f"max_len = {config.max_len} also holds BOS and EOS), got {len(tokens)}")
    layers = config.encoder_layers if kind == "encoder" else config.decoder_layers
    layer = _as_int(layer, "layer")
    if not 0 <= layer < layers:
        raise ValueError(f"layer: the {kind} stack has {layers} layers (0..{layers - 1}), "
                         f"got {layer}")
    head = _as_int(head, "head")
    if not 0 <= head < config.heads:
        raise ValueError(f"head: the model has {config.heads} heads (0..{config.heads - 1}), "
                         f"got {head}")
    src = torch.tensor([tokens])  # [1, T_s]
    out = model.greedy_decode(src)  # [1, L]: BOS, ..., (EOS)
    tgt_in, predicted = out[:, :-1], out[0, 1:]
    if tgt_in.size(1) == 0:  # cannot happen with max_len >= 2, but stay safe
        tgt_in, predicted = out, out[0]
    maps = model.attention_maps(src, tgt_in)
    weights = maps[kind][layer][0, head]  # [T_q, T_k]
    source_labels = seq.token_labels(tokens)
    output_labels = seq.token_labels(predicted)
    rows = source_labels if kind == "encoder" else output_labels
    cols = {"encoder": source_labels, "decoder": seq.token_labels(tgt_in[0]),
            "cross": source_labels}[kind]
    digits_list = [t - seq.DIGIT_OFFSET for t in tokens]
    expected = "" if task is None else "".join(map(str, seq.apply_task(task, digits_list)))
    return AttentionView(weights.clone(), rows, cols, kind, layer, head,
                         "".join(map(str, digits_list)), seq.decode(out[0]), expected)


@dataclass
class PositionalView:
    """A slice of the sinusoidal positional encoding (built by :func:`positional_view`).

    Attributes:
        encoding: [length, d_model] sinusoidal table.
        column: [length] dimension ``dimension`` across positions (one sine/cosine wave).
        row: [d_model] the encoding of ``position``.
        similarity: [length] dot product of ``position``'s encoding with every position's.
        wavelength: period of that dimension's wave, ``2 pi * 10000^(2i / d_model)``.
    """

    position: int
    dimension: int
    encoding: Tensor
    column: Tensor
    row: Tensor
    similarity: Tensor
    wavelength: float

    def __post_init__(self) -> None:
        check_tensor(self.encoding, "encoding", ndim=2, floating=True)
        length, d_model = self.encoding.shape
        self.position = check_index(self.position, length, "position", "a position")
        self.dimension = check_index(self.dimension, d_model, "dimension", "a dimension")
        for name, size in (("column", length), ("row", d_model), ("similarity", length)):
            value = check_tensor(getattr(self, name), name, ndim=1)
            if value.numel() != size:
                raise ValueError(f"{name}: expected {size} entries, got {value.numel()}")


def positional_view(position: int = 0, dimension: int = 0, d_model: int = 64,
                    length: int = 50) -> PositionalView:
    """Slice the encoding ``PE[p, 2i] = sin(p / 10000^(2i/D))``, ``PE[p, 2i+1] = cos(...)``
    [length, D] at ``position`` and ``dimension``, and compare positions by dot product."""
    length = check_positive_int(length, "length")
    d_model = check_positive_int(d_model, "d_model")
    position = _as_int(position, "position")
    dimension = _as_int(dimension, "dimension")
    if not 0 <= position < length:
        raise ValueError(f"position: expected 0..{length - 1}, got {position}")
    if not 0 <= dimension < d_model:
        raise ValueError(f"dimension: expected 0..{d_model - 1}, got {dimension}")
    pe = sinusoidal_encoding(length, d_model)  # [T, D]
    pair = dimension - dimension % 2  # 2i, shared by the sine and the cosine
    wavelength = 2 * math.pi * 10000.0 ** (pair / d_model)
    return PositionalView(position, dimension, pe, pe[:, dimension].clone(), pe[position].clone(),
                          pe @ pe[position], wavelength)
