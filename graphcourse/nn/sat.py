"""The Structure-Aware Transformer, SAT (chapter 06).

Chen, O'Bray, Borgwardt, "Structure-Aware Transformer for Graph Representation Learning"
(ICML 2022), following the official code's conventions (REFERENCE.md section 6). Every node
attends to every node of its graph, but queries and keys come from a structure extractor's
summary ``s = phi(x, G)`` of each node's neighbourhood (:mod:`.sat_extractors`) while values
come from the node states themselves::

    Attn(x, s)_v = sum_u softmax_u( (W_Q s_v)·(W_K s_u) / sqrt(d_h) ) W_V x_u   (per head)
    SA(x, s)     = W_O [Attn_1 || ... || Attn_H]          (no biases in W_Q, W_K, W_V, W_O)

Each layer is post-norm, with a degree-scaled skip connection:

    x = norm_1(x + Drop(SA(x, s) / sqrt(1 + deg)))
    x = norm_2(x + Drop(FFN(x))),    FFN(u) = W_2 Drop(ReLU(W_1 u + b_1)) + b_2  (width 2·D)

``deg`` is the number of edges leaving a node (``edge_index[0]``, as the official
``GraphDataset(degree=True)``). The input is ``h^0 = embed(x) + W_pe pe`` with an absolute
positional encoding ``pe`` (random-walk or Laplacian, ``data.rwpe`` / ``data.lappe``). With
k = 0 the extractor is the identity: a plain Transformer with positional encodings.

Structure enters only through the attention weights, since the values are ``W_V x``: where all
nodes of a graph have the same state (no features, no PE, a vertex-transitive graph such as
CSL's), every weighting averages equal values and the extractor cannot change the output.

Notation: B graphs, N nodes (the largest graph; smaller ones are padded), N_total nodes of the
batch, H heads, D model width.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import torch
from torch import Tensor, nn
from torch_geometric.utils import degree, scatter, to_dense_batch

from .._validate import (
    check_attributes,
    check_bool,
    check_choice,
    check_edge_index,
    check_finite,
    check_graph_input,
    check_instance,
    check_positive_int,
    check_probability,
    check_tensor,
    optional_int,
)
from ..structure import _check_graph
from ._checks import checked_inputs, inputs_checked
from .attention import MultiHeadAttention
from .graphormer_encodings import _check_ids
from .sat_extractors import (
    GNNS,
    KHopSubgraphs,
    KSubgraphExtractor,
    KSubtreeExtractor,
    khop_subgraphs,
)

EXTRACTORS = ("subgraph", "subtree", None)
READOUTS = ("mean", "sum", "cls", None)
PE_ATTRIBUTES = {"rw": "rwpe", "lap": "lappe"}


def _check_option(value: Any, name: str, choices: tuple) -> Any:
    """``check_choice`` for options that may be None: a non-string is a ``TypeError``."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name}: expected one of {', '.join(map(repr, choices))}, got "
                        f"{type(value).__name__}")
    return check_choice(value, name, choices)


def _check_batch(batch: Any, num_nodes: int) -> Tensor:
    """``batch`` [N_total] sorted graph ids (zeros when None)."""
    empty = torch.empty(2, 0, dtype=torch.long)
    return _check_graph(empty, num_nodes, batch)[2]


class SATAttention(nn.Module):
    """Structure-aware self-attention: Q, K from the structure ``s``, V from the states ``x``.

    Dense per graph: the nodes of each graph become a row of a padded [B, N, D] batch
    (``to_dense_batch``) and padding keys are masked, so a node attends exactly to the nodes
    of its own graph. Equal to ``torch.nn.MultiheadAttention(dim, heads, bias=False)`` called
    per graph with ``query = key = s`` and ``value = x``.

    Args:
        dim: D.
        heads: H; D must be divisible by it.
        dropout: dropout on the attention weights while training.
    Shapes: x, s [N_total, D], batch [N_total] (None: one graph) -> ``(out [N_total, D],
    weights [B, H, N, N] or None)``: the weights when ``return_attention`` (after dropout
    while training).
    """

    def __init__(self, dim: int, heads: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.attention = MultiHeadAttention(dim, heads, dropout, bias=False)
        self.dim, self.heads = self.attention.d_model, self.attention.heads

    def reset_parameters(self) -> None:
        self.attention.reset_parameters()

    def forward(self, x: Tensor, s: Tensor, batch: Tensor | None = None,
                return_attention: bool = False) -> tuple[Tensor, Tensor | None]:
        if not inputs_checked():
            dtype = self.attention.q_proj.weight.dtype
            check_graph_input(x, torch.empty(2, 0, dtype=torch.long), self.dim, dtype=dtype)
            check_graph_input(s, torch.empty(2, 0, dtype=torch.long), self.dim, "s",
                              dtype=dtype)
            if s.size(0) != x.size(0):
                raise ValueError(f"s: expected one row per node of x ({x.size(0)}), got "
                                 f"{s.size(0)}")
            batch = _check_batch(batch, x.size(0))
            return_attention = check_bool(return_attention, "return_attention")
        elif batch is None:
            batch = x.new_zeros(x.size(0), dtype=torch.long)
        values, mask = to_dense_batch(x, batch)  # [B, N, D], [B, N] True for real nodes
        structure, _ = to_dense_batch(s, batch)  # [B, N, D]
        keys = mask[:, None, None, :]  # [B, 1, 1, N]: padding is never attended to
        with checked_inputs():
            out, weights = self.attention(structure, structure, values, mask=keys)
        return out[mask], (weights if return_attention else None)  # [N_total, D]


class SATLayer(nn.Module):
    """One SAT layer (post-norm, the official order)::

        s = phi(x, G);  x = norm_1(x + Drop(SA(x, s) / sqrt(1 + deg)));
        x = norm_2(x + Drop(FFN(x)))

    Args:
        dim: D.
        heads: H.
        k: hops of the structure extractor; 0 (or ``extractor=None``) gives ``s = x``.
        extractor: "subgraph" (:class:`~.sat_extractors.KSubgraphExtractor`), "subtree"
            (:class:`~.sat_extractors.KSubtreeExtractor`) or None.
        gnn: the extractor's GNN ("gin", "gcn", "sage").
        degree_scale: multiply the attention output by ``1/sqrt(1 + deg)``.
        norm: "batch" (BatchNorm1d over the nodes, the official default) or "layer".
        dropout: after attention and FFN, inside the FFN and on the attention weights.
    Shapes: x [N_total, D], edge_index [2, E], batch [N_total] or None, subgraphs the
    :class:`~.sat_extractors.KHopSubgraphs` of this graph and k (None: computed when needed)
    -> ``(x [N_total, D], weights [B, H, N, N] or None)``.
    """

    def __init__(self, dim: int, heads: int, k: int, extractor: str | None = "subgraph",
                 gnn: str = "gin", degree_scale: bool = True, norm: str = "batch",
                 dropout: float = 0.0) -> None:
        super().__init__()
        dim = check_positive_int(dim, "dim")
        self.k = check_positive_int(k, "k", minimum=0)
        self.extractor_kind = _check_option(extractor, "extractor", EXTRACTORS)
        gnn = check_choice(gnn, "gnn", GNNS)
        self.degree_scale = check_bool(degree_scale, "degree_scale")
        self.norm_kind = check_choice(norm, "norm", ("batch", "layer"))
        dropout = check_probability(dropout, "dropout")
        if self.extractor_kind is None or self.k == 0:
            self.extractor = None
        elif self.extractor_kind == "subgraph":
            self.extractor = KSubgraphExtractor(dim, self.k, gnn)
        else:
            self.extractor = KSubtreeExtractor(dim, self.k, gnn)
        self.attention = SATAttention(dim, heads, dropout)
        make_norm = nn.BatchNorm1d if self.norm_kind == "batch" else nn.LayerNorm
        self.norm1, self.norm2 = make_norm(dim), make_norm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Dropout(dropout),
                                 nn.Linear(2 * dim, dim))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: Tensor, edge_index: Tensor, batch: Tensor | None = None,
                subgraphs: KHopSubgraphs | None = None,
                return_attention: bool = False) -> tuple[Tensor, Tensor | None]:
        if not inputs_checked():
            check_graph_input(x, edge_index, self.attention.dim,
                              dtype=self.attention.attention.q_proj.weight.dtype)
            batch = _check_graph(edge_index, x.size(0), batch)[2]
            return_attention = check_bool(return_attention, "return_attention")
            if subgraphs is not None:
                check_instance(subgraphs, "subgraphs", KHopSubgraphs,
                               "the KHopSubgraphs of khop_subgraphs(edge_index, N, k)")
        with checked_inputs():
            if self.extractor is None:
                s = x
            elif isinstance(self.extractor, KSubgraphExtractor):
                if subgraphs is None:
                    with torch.no_grad():
                        subgraphs = khop_subgraphs(edge_index, x.size(0), self.k)
                s = self.extractor(x, edge_index, subgraphs)  # [N_total, D]
            else:
                s = self.extractor(x, edge_index)
            attended, weights = self.attention(x, s, batch, return_attention)
        if self.degree_scale:
            deg = degree(edge_index[0], x.size(0), dtype=x.dtype)  # [N_total] out-degree
            attended = attended * (1.0 + deg).rsqrt()[:, None]
        x = self.norm1(x + self.dropout(attended))
        x = self.norm2(x + self.dropout(self.ffn(x)))
        return x, weights


@dataclass(frozen=True)
class SATConfig:
    """Sizes of a :class:`SAT`. Exactly one of ``num_node_types`` (categorical x, long [N] or
    [N, K], embedded and summed over columns) and ``in_features`` (float x [N, F], a Linear)
    is set. The official ZINC model: 6 layers, dim 64, 8 heads, k = 3, dropout 0.2-0.3."""

    num_node_types: int | None = None  # vocabulary of categorical x (long)
    in_features: int | None = None     # or F, the width of float x
    dim: int = 32                      # D
    heads: int = 4                     # H; dim must be divisible by it
    layers: int = 2
    k: int = 2                         # hops of the structure extractor; 0: Transformer + PE
    extractor: str | None = "subgraph"  # "subgraph", "subtree" or None (same as k = 0)
    gnn: str = "gin"                   # the extractor's GNN: "gin", "gcn", "sage"
    pe: str | None = "rw"              # absolute PE read from data: "rw" (rwpe), "lap" (lappe)
    pe_dim: int = 8                    # its width
    readout: str | None = "mean"       # "mean", "sum", "cls" or None (node-level outputs)
    out_channels: int = 1              # outputs per graph (or per node)
    dropout: float = 0.0
    degree_scale: bool = True          # 1/sqrt(1 + deg) on the attention (off with "cls")
    norm: str = "batch"                # "batch" or "layer"

    def __post_init__(self) -> None:
        types = optional_int(self.num_node_types, "num_node_types")
        features = optional_int(self.in_features, "in_features")
        if (types is None) == (features is None):
            raise ValueError("num_node_types: set exactly one of num_node_types (categorical "
                             "x) and in_features (float x)")
        for name, value in (("num_node_types", types), ("in_features", features)):
            if value is not None:
                object.__setattr__(self, name, check_positive_int(value, name))
        for name in ("dim", "heads", "layers", "pe_dim", "out_channels"):
            object.__setattr__(self, name, check_positive_int(getattr(self, name), name))
        object.__setattr__(self, "k", check_positive_int(self.k, "k", minimum=0))
        if self.dim % self.heads:
            raise ValueError(f"dim: {self.dim} is not divisible by heads = {self.heads}")
        _check_option(self.extractor, "extractor", EXTRACTORS)
        check_choice(self.gnn, "gnn", GNNS)
        _check_option(self.pe, "pe", (*PE_ATTRIBUTES, None))
        _check_option(self.readout, "readout", READOUTS)
        check_choice(self.norm, "norm", ("batch", "layer"))
        object.__setattr__(self, "dropout", check_probability(self.dropout, "dropout"))
        object.__setattr__(self, "degree_scale", check_bool(self.degree_scale, "degree_scale"))


class SATOutput(NamedTuple):
    """What :meth:`SAT.encode` returns.

    nodes [N_total, D] (final node states), graph [B, D] (the readout before the head, or
    None when ``readout`` is None), attention: one [B, H, N, N] weight tensor per layer or
    None (with the CLS readout the token is left out, so a row sums to one minus the weight
    on the token), mask [B, N] (True for real nodes; the layout of the attention).
    """

    nodes: Tensor
    graph: Tensor | None
    attention: list[Tensor] | None
    mask: Tensor


def check_sat_data(config: SATConfig, data: Any,
                   name: str = "data") -> tuple[Tensor, Tensor, Tensor, Tensor | None]:
    """Check that a SAT with ``config`` can read ``data`` (a PyG ``Data`` or ``Batch``):
    ``x`` (node types [N] or [N, K] long below ``num_node_types``, or finite features
    [N, in_features]), ``edge_index`` [2, E], an optional ``batch``, and the positional
    encoding the model reads (``rwpe`` or ``lappe`` [N, pe_dim], finite). Returns
    ``(x, edge_index, batch, pe or None)``; errors name ``name`` and the attribute."""
    from torch_geometric.data import Data

    c = config
    check_instance(data, name, Data, "a PyG Data or Batch",
                   "pass the graph (model(data)), not its tensors")
    check_attributes(data, name, ("x", "edge_index"))
    x = data.x
    if c.num_node_types is not None:
        x = _check_ids(x, f"{name}.x", c.num_node_types, "node types",
                       "x holds categorical node types (long); for float features set "
                       "in_features instead of num_node_types")
        if x.dim() not in (1, 2) or x.size(0) == 0:
            raise ValueError(f"{name}.x: expected node types of shape [N] or [N, K] with "
                             f"N >= 1, got {list(x.shape)}")
    else:
        check_tensor(x, f"{name}.x", ndim=2, floating=True)
        if x.size(1) != c.in_features or x.size(0) == 0:
            raise ValueError(f"{name}.x: expected shape [N, {c.in_features}] with N >= 1, "
                             f"got {list(x.shape)}")
        check_finite(x, f"{name}.x")
    check_edge_index(data.edge_index, x.size(0), f"{name}.edge_index")
    edge_index, n, batch = _check_graph(data.edge_index, x.size(0),
                                        getattr(data, "batch", None))
    pe = None
    if c.pe is not None:
        attribute = PE_ATTRIBUTES[c.pe]
        pe = getattr(data, attribute, None)
        if pe is None:
            raise ValueError(f"{name}.{attribute}: pe={c.pe!r} needs it; add it with "
                             f"graphcourse.graphs.AddPositionalEncodings or set pe=None")
        check_tensor(pe, f"{name}.{attribute}", ndim=2, floating=True)
        if tuple(pe.shape) != (n, c.pe_dim):
            raise ValueError(f"{name}.{attribute}: expected shape [{n}, {c.pe_dim}] (N, "
                             f"pe_dim), got {list(pe.shape)}")
        check_finite(pe, f"{name}.{attribute}")
    return x, edge_index, batch, pe


class SAT(nn.Module):
    """Structure-Aware Transformer: input embedding + PE, ``layers`` :class:`SATLayer`, a
    readout and an MLP head ``Linear(D, D) -> ReLU -> Linear(D, out)``.

    Args:
        config: a :class:`SATConfig` (or its fields as keyword arguments).
    Inputs: ``data``, a PyG ``Data`` or ``Batch`` with ``x`` (long [N_total] or [N_total, K]
    node types, or float [N_total, F]), ``edge_index`` [2, E], optional ``batch``, and
    ``rwpe`` / ``lappe`` [N_total, pe_dim] when ``pe`` is set (see
    ``graphcourse.graphs.AddPositionalEncodings``). The k-hop subgraphs are computed in each
    call, once for all layers. ``forward`` returns [B, out_channels] (graph-level) or
    [N_total, out_channels] (``readout=None``); :meth:`encode` returns a :class:`SATOutput`.

    The CLS readout adds one learned token per graph, as the first node of the graph and
    without edges (its k-hop subgraph is itself): it attends to and is attended by all nodes
    of its graph, the degree factor is off, and its final state is the graph's. Node outputs
    are permutation-equivariant and graph outputs invariant.
    """

    def __init__(self, config: SATConfig | None = None, **fields: Any) -> None:
        super().__init__()
        if config is None:
            config = SATConfig(**fields)
        elif fields:
            raise TypeError("config: pass either a SATConfig or keyword fields, not both")
        check_instance(config, "config", SATConfig, "a SATConfig")
        self.config = c = config
        if c.num_node_types is not None:
            self.embedding = nn.Embedding(c.num_node_types, c.dim)
        else:
            self.embedding = nn.Linear(c.in_features, c.dim)
        self.pe_embedding = nn.Linear(c.pe_dim, c.dim) if c.pe else None
        self.cls_token = nn.Parameter(torch.randn(1, c.dim)) if c.readout == "cls" else None
        self.k = 0 if c.extractor is None else c.k
        self.layers = nn.ModuleList(
            SATLayer(c.dim, c.heads, self.k, c.extractor, c.gnn,
                     c.degree_scale and c.readout != "cls", c.norm, c.dropout)
            for _ in range(c.layers))
        self.head = nn.Sequential(nn.Linear(c.dim, c.dim), nn.ReLU(),
                                  nn.Linear(c.dim, c.out_channels))

    # ------------------------------------------------------------------ checks
    def _inputs(self, data: Any) -> tuple[Tensor, Tensor, Tensor]:
        """Checked ``(h^0 [N_total, D], edge_index, batch)``."""
        x, edge_index, batch, pe = check_sat_data(self.config, data)
        h = self.embedding(x)  # [N, D] or [N, K, D]
        if h.dim() == 3:
            h = h.sum(dim=1)  # one embedding per column, summed
        if pe is not None:
            h = h + self.pe_embedding(pe.to(h.dtype))
        return h, edge_index, batch

    # ------------------------------------------------------------------ forward
    def encode(self, data: Any, return_attention: bool = False) -> SATOutput:
        """Run the encoder; see the class docstring for ``data``."""
        return_attention = check_bool(return_attention, "return_attention")
        h, edge_index, batch = self._inputs(data)
        mask = to_dense_batch(batch, batch)[1]  # [B, N]
        num_graphs = mask.size(0)
        nodes = torch.arange(h.size(0), device=h.device)  # where each node sits
        if self.cls_token is not None:  # graph g's token goes first: node i moves by g + 1
            nodes = nodes + batch + 1
            first = torch.cumsum(mask.sum(1), 0) - mask.sum(1)  # [B] first node of each graph
            tokens = first + torch.arange(num_graphs, device=h.device)  # [B] token positions
            full = h.new_empty(h.size(0) + num_graphs, h.size(1))
            full[nodes], full[tokens] = h, self.cls_token.expand(num_graphs, -1)
            h, edge_index = full, nodes[edge_index]
            batch = torch.cat([batch, torch.arange(num_graphs, device=h.device)])
            batch = batch.sort(stable=True).values  # [N_total + B]
        subgraphs = None
        if self.k and self.config.extractor == "subgraph":
            with torch.no_grad():
                subgraphs = khop_subgraphs(edge_index, h.size(0), self.k)
        attention = [] if return_attention else None
        with checked_inputs():
            for layer in self.layers:
                h, weights = layer(h, edge_index, batch, subgraphs, return_attention)
                if attention is not None:
                    attention.append(weights if self.cls_token is None
                                     else weights[:, :, 1:, 1:])  # [B, H, N, N]
        graph = None
        if self.cls_token is not None:
            graph = h[tokens]  # [B, D]
        elif self.config.readout is not None:
            graph = scatter(h, batch, 0, num_graphs, reduce=self.config.readout)  # [B, D]
        return SATOutput(h[nodes], graph, attention, mask)

    def forward(self, data: Any) -> Tensor:
        out = self.encode(data)
        return self.head(out.nodes if out.graph is None else out.graph)  # [B or N_total, out]

    def __repr__(self) -> str:
        fields = ", ".join(f"{key}={value!r}" for key, value in asdict(self.config).items())
        return f"{type(self).__name__}({fields})"
