"""Graphormer: a Transformer over the nodes of a graph with structural encodings (chapter 05).

Ying et al., "Do Transformers Really Perform Bad for Graph Representation?" (NeurIPS 2021),
following the official code's conventions (v1.0; REFERENCE.md section 5). A graph of N nodes
becomes N + 1 tokens: a virtual node (the graph token) followed by the nodes, with

    h^(0)_i = x_i + z^-[deg^-(i)] + z^+[deg^+(i)]                    (centrality encoding)
    A_ij    = (h_i W_Q)(h_j W_K)^T / sqrt(d) + b[phi(i, j)] + c_ij    (spatial, edge encoding)
    A_0j, A_i0 += t      (one learnable scalar per head for the virtual node, not a distance)

Each layer is pre-LN: ``h = h + Drop(MHA(LN(h)))``, then ``h = h + Drop(FFN(LN(h)))`` with
``FFN(u) = W_2 Drop(GELU(W_1 u + b_1)) + b_2``; the graph's representation is the virtual
node's final state after a last LayerNorm, and a linear head maps it to the outputs. The
dropout inside the FFN (on its hidden activations) is this package's addition: the v1.0 FFN
has none. With ``dropout=0`` (the default) or in eval mode every Drop is the identity, and
the two FFNs compute the same. Attention is chapter 04's
:class:`~graphcourse.nn.attention.MultiHeadAttention` with an additive ``bias`` and a boolean
``mask`` that removes padding and pairs ``max_distance`` or more hops apart.

Notation: B graphs, N nodes (the largest graph; smaller ones are padded), T = N + 1 tokens,
H heads, D model width.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple

import torch
from torch import Tensor, nn
from torch_geometric.utils import degree, to_dense_batch

from .._validate import check_bool, check_positive_int, check_probability
from ..structure import ShortestPaths, _check_graph, _solve
from .attention import MultiHeadAttention
from .graphormer_encodings import (
    CentralityEncoding,
    EdgeEncoding,
    SpatialEncoding,
    _check_ids,
    graphormer_init,
)


@dataclass
class GraphormerConfig:
    """Sizes of a :class:`Graphormer`. The paper's ZINC model (Graphormer-Slim) has 12 layers,
    d_model 80, ffn 80, 8 heads, dropout 0.1; the defaults here are small enough for a CPU."""

    num_node_types: int = 1      # vocabulary of the categorical node features x (long)
    num_edge_types: int = 0      # vocabulary of edge_attr (long); 0: no edge encoding
    out_channels: int = 1        # outputs per graph (1 for a regression target)
    d_model: int = 64            # width D
    heads: int = 4               # H; d_model must be divisible by it
    layers: int = 4              # pre-LN Transformer layers
    ffn: int = 64                # hidden width of the feed-forward block
    dropout: float = 0.0         # after attention and FFN (0.1 for ZINC)
    attention_dropout: float = 0.0  # on the attention weights (0.1 for ZINC)
    max_degree: int = 63         # degree table: degrees 0..63 (official ZINC table: 64)
    max_distance: int = 20       # pairs this many hops apart or more are masked
    max_hops: int = 20           # hops of a path the edge encoding keeps
    centrality: bool = True      # ablations: turn each encoding off
    spatial: bool = True         # (off: no distance bias and no masking of far pairs)
    edge: bool = True            # (needs num_edge_types > 0 and edge_attr)

    def __post_init__(self) -> None:
        for name in ("num_node_types", "out_channels", "d_model", "heads", "layers", "ffn",
                     "max_degree", "max_distance", "max_hops"):
            setattr(self, name, check_positive_int(getattr(self, name), name))
        self.num_edge_types = check_positive_int(self.num_edge_types, "num_edge_types",
                                                 minimum=0)
        if self.d_model % self.heads:
            raise ValueError(f"d_model: {self.d_model} is not divisible by heads = {self.heads}")
        self.dropout = check_probability(self.dropout, "dropout")
        self.attention_dropout = check_probability(self.attention_dropout, "attention_dropout")
        for name in ("centrality", "spatial", "edge"):
            setattr(self, name, check_bool(getattr(self, name), name))


class GraphormerOutput(NamedTuple):
    """What :meth:`Graphormer.encode` returns.

    graph [B, D] (the virtual node after the final LayerNorm), nodes [B, N, D] (padded),
    mask [B, N] (True for real nodes), attention: one [B, H, T, T] weight tensor per layer
    (token 0 is the virtual node), or ``None`` unless asked for.
    """

    graph: Tensor
    nodes: Tensor
    mask: Tensor
    attention: list[Tensor] | None


class GraphormerLayer(nn.Module):
    """One pre-LN layer: ``h += Drop(MHA(LN(h), bias, mask))``; ``h += Drop(FFN(LN(h)))``,
    ``FFN(u) = W_2 Drop(GELU(W_1 u + b_1)) + b_2`` (``ffn`` = Linear, GELU, Dropout, Linear).

    Shapes: h [B, T, D], bias [B, H, T, T] float, mask bool broadcastable to [B, H, T, T]
    (True = may attend) -> ``(h [B, T, D], weights [B, H, T, T])``.
    """

    def __init__(self, d_model: int, heads: int, ffn: int, dropout: float = 0.0,
                 attention_dropout: float = 0.0) -> None:
        super().__init__()
        self.attention_norm = nn.LayerNorm(d_model)
        self.attention = MultiHeadAttention(d_model, heads, attention_dropout)
        self.ffn_norm = nn.LayerNorm(d_model)
        self.ffn = nn.Sequential(nn.Linear(d_model, check_positive_int(ffn, "ffn")), nn.GELU(),
                                 nn.Dropout(dropout), nn.Linear(ffn, d_model))
        self.dropout = nn.Dropout(check_probability(dropout, "dropout"))

    def reset_parameters(self) -> None:
        for child in (self.attention_norm, self.attention, self.ffn_norm, *self.ffn):
            if hasattr(child, "reset_parameters"):
                child.reset_parameters()

    def forward(self, h: Tensor, bias: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        attended, weights = self.attention(self.attention_norm(h), mask=mask, bias=bias)
        h = h + self.dropout(attended)  # [B, T, D]
        return h + self.dropout(self.ffn(self.ffn_norm(h))), weights


class Graphormer(nn.Module):
    """Graph-level Graphormer with centrality, spatial and edge encodings and a virtual node.

    Args:
        config: a :class:`GraphormerConfig` (or its fields as keyword arguments).
    Inputs (PyG batch layout): ``x`` [N_total] or [N_total, K] long node types in
    [0, num_node_types) (columns are embedded and summed, as the official atom encoder does);
    ``edge_index`` [2, E]; ``edge_attr`` [E] or [E, K] long edge types (needed when the edge
    encoding is on); ``batch`` [N_total] graph ids (None: one graph); ``paths`` optional
    precomputed :func:`~graphcourse.structure.shortest_paths` of this batch.
    ``forward`` returns [B, out_channels]; :meth:`encode` returns a :class:`GraphormerOutput`.

    Node outputs are permutation-equivariant and the graph output invariant, except that when
    several shortest paths join two nodes the edge encoding follows one of them (the lowest
    node ids, like the official Floyd-Warshall it depends on the numbering).
    """

    def __init__(self, config: GraphormerConfig | None = None, **fields) -> None:
        super().__init__()
        if config is None:
            config = GraphormerConfig(**fields)
        elif fields:
            raise TypeError("config: pass either a GraphormerConfig or keyword fields, not both")
        if not isinstance(config, GraphormerConfig):
            raise TypeError(f"config: expected a GraphormerConfig, got {type(config).__name__}")
        self.config = c = config
        self.node_embedding = nn.Embedding(c.num_node_types, c.d_model)
        self.centrality = CentralityEncoding(c.max_degree, c.d_model) if c.centrality else None
        self.spatial = SpatialEncoding(c.max_distance, c.heads) if c.spatial else None
        use_edge = c.edge and c.num_edge_types > 0
        self.edge = EdgeEncoding(c.num_edge_types, c.heads, c.max_hops) if use_edge else None
        self.graph_token = nn.Embedding(1, c.d_model)  # the virtual node's input
        self.virtual_distance = nn.Embedding(1, c.heads)  # t, its own bias per head
        self.layers = nn.ModuleList(
            GraphormerLayer(c.d_model, c.heads, c.ffn, c.dropout, c.attention_dropout)
            for _ in range(c.layers))
        self.final_norm = nn.LayerNorm(c.d_model)
        self.head = nn.Linear(c.d_model, c.out_channels)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Official initialisation (see :func:`graphormer_init`: linear layers, embeddings and
        the edge encoding's ``hop_weights``); LayerNorms to (1, 0)."""
        for layer in self.layers:
            layer.reset_parameters()
        self.final_norm.reset_parameters()
        graphormer_init(self, self.config.layers)

    # ------------------------------------------------------------------ checks
    def _check(self, x: Tensor, edge_index: Tensor, edge_attr: Tensor | None,
               batch: Tensor | None, paths: ShortestPaths | None) -> Tensor:
        c = self.config
        x = _check_ids(x, "x", c.num_node_types, "node types",
                       "x holds categorical node types (long); set num_node_types")
        if x.dim() not in (1, 2) or x.size(0) == 0:
            raise ValueError(f"x: expected node types of shape [N] or [N, K] with N >= 1, got "
                             f"{list(x.shape)}")
        edge_index, _, batch = _check_graph(edge_index, x.size(0), batch)
        if self.edge is not None:
            if edge_attr is None:
                raise ValueError("edge_attr: the edge encoding is on (num_edge_types > 0) but "
                                 "no edge_attr was given; pass it or set edge=False")
            _check_ids(edge_attr, "edge_attr", c.num_edge_types, "edge types")
            if edge_attr.size(0) != edge_index.size(1):
                raise ValueError(f"edge_attr: expected one row per edge "
                                 f"({edge_index.size(1)}), got {edge_attr.size(0)}")
        if paths is not None and not isinstance(paths, ShortestPaths):
            raise TypeError(f"paths: expected the ShortestPaths of shortest_paths(...), got "
                            f"{type(paths).__name__}")
        if self.centrality is not None and edge_index.numel():
            top = int(degree(edge_index[1], x.size(0)).max())
            top = max(top, int(degree(edge_index[0], x.size(0)).max()))
            if top > c.max_degree:
                raise ValueError(f"edge_index: a node has degree {top}, larger than the degree "
                                 f"table (max_degree={c.max_degree}); raise max_degree")
        return batch

    # ------------------------------------------------------------------ forward
    def encode(self, x: Tensor, edge_index: Tensor, edge_attr: Tensor | None = None,
               batch: Tensor | None = None, paths: ShortestPaths | None = None,
               return_attention: bool = False) -> GraphormerOutput:
        """Run the encoder; see the class docstring for the inputs."""
        c = self.config
        batch = self._check(x, edge_index, edge_attr, batch, paths)
        return_attention = check_bool(return_attention, "return_attention")
        x, edge_index = x.long(), edge_index.long()
        h = self.node_embedding(x)  # [N_total, D] or [N_total, K, D]
        if h.dim() == 3:
            h = h.sum(dim=1)  # [N_total, D], one embedding per feature column, summed
        if self.centrality is not None:
            n_total = x.size(0)
            deg_in = degree(edge_index[1], n_total, dtype=torch.long)  # [N_total]
            deg_out = degree(edge_index[0], n_total, dtype=torch.long)
            h = h + self.centrality(deg_in, deg_out)
        nodes, mask = to_dense_batch(h, batch)  # [B, N, D], [B, N]
        size = nodes.size(1)
        num_graphs = nodes.size(0)
        tokens = torch.cat([self.graph_token.weight.expand(num_graphs, 1, -1), nodes], dim=1)
        bias = tokens.new_zeros(num_graphs, c.heads, size + 1, size + 1)  # [B, H, T, T]
        allowed = torch.cat([mask.new_ones(num_graphs, 1), mask], dim=1)  # [B, T] real keys
        allowed = allowed[:, None, None, :].expand(num_graphs, 1, size + 1, size + 1).clone()
        if self.spatial is not None or self.edge is not None:
            if paths is None:  # edge ids along paths only when the edge encoding needs them
                paths = _solve(edge_index, batch, self.edge is not None, c.max_hops)
            elif paths.distance.shape != (num_graphs, size, size):
                raise ValueError(f"paths: distances of shape {list(paths.distance.shape)} do "
                                 f"not match this batch ([{num_graphs}, {size}, {size}])")
            if self.spatial is not None:
                spatial, near = self.spatial(paths.distance)  # [B, H, N, N], [B, N, N]
                bias[:, :, 1:, 1:] += spatial
                allowed[:, 0, 1:, 1:] &= near  # far and unreachable pairs are masked
            if self.edge is not None:
                bias[:, :, 1:, 1:] += self.edge(edge_attr, paths.path_edges, paths.distance)
        t = self.virtual_distance.weight.view(1, c.heads, 1)  # [1, H, 1]
        bias[:, :, 0, :] += t  # the virtual node's row, itself included
        bias[:, :, 1:, 0] += t  # and its column
        attention = [] if return_attention else None
        for layer in self.layers:
            tokens, weights = layer(tokens, bias, allowed)  # [B, T, D]
            if attention is not None:
                attention.append(weights)
        tokens = self.final_norm(tokens)
        return GraphormerOutput(tokens[:, 0], tokens[:, 1:], mask, attention)

    def forward(self, x: Tensor, edge_index: Tensor, edge_attr: Tensor | None = None,
                batch: Tensor | None = None, paths: ShortestPaths | None = None) -> Tensor:
        return self.head(self.encode(x, edge_index, edge_attr, batch, paths).graph)  # [B, out]

    def __repr__(self) -> str:
        c = asdict(self.config)
        fields = ", ".join(f"{key}={value}" for key, value in c.items())
        return f"{type(self).__name__}({fields})"
