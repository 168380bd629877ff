"""Graphormer's three structural encodings: centrality, spatial and edge (chapter 05).

Ying et al., "Do Transformers Really Perform Bad for Graph Representation?" (NeurIPS 2021),
with the conventions of the official code (v1.0, REFERENCE.md section 5). For node i with
features x_i, shortest-path distance phi(i, j) and the edges e_1, ..., e_phi of one shortest
path from i to j::

    centrality:  h_i = x_i + z^-[deg^-(i)] + z^+[deg^+(i)]
    spatial:     A_ij += b[phi(i, j)]                          (one scalar per head)
    edge:        A_ij += (1 / phi(i, j)) sum_n  x_{e_n} . w^E_n   (per head)

where A_ij is the attention logit. Pairs 20 or more hops apart (``max_distance``), and pairs
with no path (distance 510), are masked out of the attention rather than given a clipped
distance, as the official collator does with a -inf bias. The edge term keeps the first
``max_hops`` hops of a path (``multi_hop_max_dist``) and divides by min(phi, max_hops).

Notation: B graphs, N nodes (padded), H heads, D model width, E edges, L hops, K feature
columns of categorical features.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from .._validate import check_module, check_positive_int, check_tensor


def _check_ids(value: Tensor, name: str, size: int, what: str, hint: str = "") -> Tensor:
    """An integer tensor with entries in [0, size), or a clear error (a long tensor back)."""
    check_tensor(value, name, floating=False)
    if value.numel() and (int(value.min()) < 0 or int(value.max()) >= size):
        low, high = int(value.min()), int(value.max())
        bad = low if low < 0 else high
        raise ValueError(f"{name}: expected {what} in [0, {size - 1}], found {bad}"
                         + (f"; {hint}" if hint else ""))
    return value.long()


class CentralityEncoding(nn.Module):
    """Degree embeddings added to the node input: ``z^-[deg^-(i)] + z^+[deg^+(i)]``.

    Args:
        max_degree: the largest degree the tables hold (the official tables have 64 entries
            for ZINC, index 0 being padding, so degrees up to 62; here padding needs no entry
            and a table has ``max_degree + 1`` rows, degrees 0..max_degree).
        d_model: width D.
    Shapes: ``in_degree``, ``out_degree`` [...] long (for an undirected graph both are the
    degree, as the official code has it) -> [..., D].
    """

    def __init__(self, max_degree: int, d_model: int) -> None:
        super().__init__()
        self.max_degree = check_positive_int(max_degree, "max_degree")
        self.d_model = check_positive_int(d_model, "d_model")
        self.in_degree = nn.Embedding(self.max_degree + 1, self.d_model)  # z^-
        self.out_degree = nn.Embedding(self.max_degree + 1, self.d_model)  # z^+
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """N(0, 0.02) entries, as the official initialisation."""
        nn.init.normal_(self.in_degree.weight, std=0.02)
        nn.init.normal_(self.out_degree.weight, std=0.02)

    def forward(self, in_degree: Tensor, out_degree: Tensor) -> Tensor:
        hint = "the graph is larger than the degree table; raise max_degree"
        in_degree = _check_ids(in_degree, "in_degree", self.max_degree + 1, "degrees", hint)
        out_degree = _check_ids(out_degree, "out_degree", self.max_degree + 1, "degrees", hint)
        if in_degree.shape != out_degree.shape:
            raise ValueError(f"out_degree: expected shape {list(in_degree.shape)} like "
                             f"in_degree, got {list(out_degree.shape)}")
        return self.in_degree(in_degree) + self.out_degree(out_degree)  # [..., D]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(max_degree={self.max_degree}, d_model={self.d_model})"


class SpatialEncoding(nn.Module):
    """A learnable scalar per head and distance, ``b[phi(i, j)]``, and the mask of far pairs.

    Args:
        max_distance: pairs with phi >= ``max_distance`` (``spatial_pos_max``, 20 in the
            official code) are masked out; the table has one row per distance 0..max_distance-1.
        heads: H.
    Shapes: ``distance`` [B, N, N] long -> ``(bias [B, H, N, N], near [B, N, N] bool)``, with
    ``near`` True where phi < max_distance (unreachable pairs, 510, are never near).

    Indexing: the official code looks up ``spatial_pos_encoder(phi + 1)``, its row 0 being
    the padding entry of padded pairs. Here row ``phi`` holds b[phi] and padding needs no row:
    padded pairs are removed by the attention mask, so whatever they would look up never
    reaches the softmax, and the two tables are the same numbers shifted by one row.
    """

    def __init__(self, max_distance: int, heads: int) -> None:
        super().__init__()
        self.max_distance = check_positive_int(max_distance, "max_distance")
        self.heads = check_positive_int(heads, "heads")
        self.bias = nn.Embedding(self.max_distance, self.heads)  # b, [max_distance, H]
        self.reset_parameters()

    def reset_parameters(self) -> None:
        nn.init.normal_(self.bias.weight, std=0.02)

    def forward(self, distance: Tensor) -> tuple[Tensor, Tensor]:
        check_tensor(distance, "distance", ndim=3, floating=False)
        near = distance < self.max_distance  # [B, N, N]
        index = distance.clamp(max=self.max_distance - 1)  # far pairs are masked anyway
        return self.bias(index).permute(0, 3, 1, 2), near  # [B, H, N, N], [B, N, N]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(max_distance={self.max_distance}, heads={self.heads})"


class EdgeEncoding(nn.Module):
    """The edge features along a shortest path, one H x H matrix per hop, averaged over hops.

    ``c_ij = (1 / min(phi, L)) sum_{n < L} w^E_n-transformed embedding of the n-th edge``,
    where an edge's embedding [H] is the mean of its feature columns' embeddings (official
    ``edge_encoder(...).mean(-2)``) and hop n multiplies it by the learnable H x H matrix
    ``hop_weights[n]`` (``edge_dis_encoder``).

    Args:
        num_edge_types: vocabulary of the categorical edge features.
        heads: H.
        max_hops: L, the hops kept per path (``multi_hop_max_dist``, 20 for ZINC).
    Shapes: ``edge_attr`` [E] or [E, K] long, ``path_edges`` [B, N, N, L'] long (columns of
    ``edge_attr``, -1 past a path's end, see :func:`graphcourse.structure.shortest_paths`),
    ``distance`` [B, N, N] -> [B, H, N, N].
    """

    def __init__(self, num_edge_types: int, heads: int, max_hops: int) -> None:
        super().__init__()
        self.num_edge_types = check_positive_int(num_edge_types, "num_edge_types")
        self.heads = check_positive_int(heads, "heads")
        self.max_hops = check_positive_int(max_hops, "max_hops")
        self.embedding = nn.Embedding(self.num_edge_types, self.heads)  # x_e, [types, H]
        self.hop_weights = nn.Parameter(torch.empty(self.max_hops, self.heads, self.heads))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        nn.init.normal_(self.embedding.weight, std=0.02)
        # the official edge_dis_encoder is an Embedding (N(0, 0.02)) reshaped to [L, H, H]
        nn.init.normal_(self.hop_weights, std=0.02)

    def forward(self, edge_attr: Tensor, path_edges: Tensor, distance: Tensor) -> Tensor:
        edge_attr = _check_ids(edge_attr, "edge_attr", self.num_edge_types, "edge types")
        if edge_attr.dim() not in (1, 2):
            raise ValueError(f"edge_attr: expected shape [E] or [E, K], got "
                             f"{list(edge_attr.shape)}")
        check_tensor(path_edges, "path_edges", ndim=4, floating=False)
        check_tensor(distance, "distance", ndim=3, floating=False)
        if path_edges.shape[:3] != distance.shape:
            raise ValueError(f"path_edges: expected shape [B, N, N, L] with [B, N, N] = "
                             f"{list(distance.shape)}, got {list(path_edges.shape)}")
        if path_edges.numel() and int(path_edges.max()) >= edge_attr.size(0):
            raise ValueError(f"path_edges: edge id {int(path_edges.max())} is out of range "
                             f"for {edge_attr.size(0)} edges")
        feature = self.embedding(edge_attr)  # [E, H] or [E, K, H]
        if feature.dim() == 3:
            feature = feature.mean(dim=1)  # [E, H], mean over feature columns
        feature = torch.cat([feature, feature.new_zeros(1, self.heads)])  # row E: no edge
        hops = path_edges[..., :self.max_hops]  # [B, N, N, L]
        index = torch.where(hops >= 0, hops, torch.full_like(hops, feature.size(0) - 1))
        along = feature[index]  # [B, N, N, L, H]
        weights = self.hop_weights[:along.size(3)]  # [L, H, H]
        total = torch.einsum("bijlh,lhg->bijg", along, weights)  # [B, N, N, H]
        length = distance.clamp(min=1, max=self.max_hops).to(total.dtype)  # [B, N, N]
        return (total / length[..., None]).permute(0, 3, 1, 2)  # [B, H, N, N]

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(num_edge_types={self.num_edge_types}, "
                f"heads={self.heads}, max_hops={self.max_hops})")


def graphormer_init(module: nn.Module, layers: int) -> None:
    """The official initialisation: Linear weights N(0, 0.02 / sqrt(layers)) with zero biases,
    embeddings N(0, 0.02), and so the edge encoding's per-hop matrices ``hop_weights`` too
    (the official ``edge_dis_encoder`` is an embedding table reshaped to [L, H, H])."""
    check_module(module, "module")
    layers = check_positive_int(layers, "layers")
    std = 0.02 / math.sqrt(layers)
    for child in module.modules():
        if isinstance(child, nn.Linear):
            nn.init.normal_(child.weight, std=std)
            if child.bias is not None:
                nn.init.zeros_(child.bias)
        elif isinstance(child, nn.Embedding):
            nn.init.normal_(child.weight, std=0.02)
        elif isinstance(child, EdgeEncoding):  # a Parameter, not an Embedding: named here
            nn.init.normal_(child.hop_weights, std=0.02)
