"""Structure extractors of the Structure-Aware Transformer (chapter 06): k-hop subgraphs.

Chen, O'Bray, Borgwardt, "Structure-Aware Transformer for Graph Representation Learning"
(ICML 2022), following the official code (REFERENCE.md section 6). SAT's attention compares
nodes through a summary ``s_v = phi(v, G)`` of the structure around each node, computed by a
structure extractor:

- k-subtree (:class:`KSubtreeExtractor`): k GNN layers on the whole graph, so that ``h^k_v``
  describes the depth-k computation tree rooted at v (with GIN or SAGE a function of v's
  k-hop subgraph alone; GCN's normalisation also reads the degrees of the nodes at the
  subgraph's border, which reach one hop further)::

      h^0 = x,   h^l = ReLU(GNN_l(h^{l-1}, A)),   s = W BN([h^0 || h^1 || ... || h^k])

- k-subgraph (:class:`KSubgraphExtractor`): a k-layer GNN run on the k-hop subgraph
  ``G_k(v)`` of each node separately (stacked block-diagonally), its node states summed::

      s_v = W BN([x_v || sum_{u in G_k(v)} GNN^(k)(x, G_k(v))_u])

:func:`khop_subgraphs` builds the stacked subgraphs of all nodes at once. For each node v,
``G_k(v)`` holds the nodes within k hops of v (following edges ``j -> i`` backwards, as PyG's
``k_hop_subgraph`` with its default ``flow``) and every edge among them. Its size is what the
k-subgraph extractor pays: M = sum_v |G_k(v)| nodes instead of N.

Notation: N nodes, E edges, M stacked subgraph nodes, E' stacked subgraph edges, D width.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor, nn

from .._validate import (
    check_choice,
    check_edge_index,
    check_graph_input,
    check_instance,
    check_positive_int,
)
from ._checks import checked_inputs, inputs_checked, param_dtype
from .gcn import GCNLayer
from .gin import GINLayer
from .sage import SAGELayer

GNNS = ("gin", "gcn", "sage")


class KHopSubgraphs(NamedTuple):
    """The k-hop subgraphs of all nodes, stacked block-diagonally (see :func:`khop_subgraphs`).

    Attributes:
        node_index: [M] long, the original node each subgraph node is (gather ``x[node_index]``).
        center: [M] long, the centre node whose subgraph it belongs to (non-decreasing).
        edge_index: [2, E'] long, the subgraphs' edges, as ids into 0..M-1.
        edge_id: [E'] long, the original edge (column of ``edge_index``) of each, to gather
            edge attributes.
        k: the hops they were built for.
        num_edges: E, the number of edges of the graph they were built from.
    """

    node_index: Tensor
    center: Tensor
    edge_index: Tensor
    edge_id: Tensor
    k: int
    num_edges: int


def _in_edges(edge_index: Tensor, num_nodes: int) -> tuple[Tensor, Tensor, Tensor]:
    """Edges sorted by target: ``(order [E], start [N], count [N])``; the edges into node i
    are ``order[start[i] : start[i] + count[i]]``."""
    order = torch.argsort(edge_index[1], stable=True)  # [E]
    count = torch.bincount(edge_index[1], minlength=num_nodes)  # [N] in-degree
    start = torch.cumsum(count, 0) - count  # [N]
    return order, start, count


def _expand(targets: Tensor, order: Tensor, start: Tensor, count: Tensor) -> tuple[Tensor, Tensor]:
    """For each entry t of ``targets`` [P], the edges into t: ``(which [Q], edge [Q])`` with
    ``which`` the entry (into ``targets``) and ``edge`` the column of ``edge_index``."""
    counts = count[targets]  # [P]
    which = torch.repeat_interleave(torch.arange(targets.numel(), device=targets.device),
                                    counts)  # [Q]
    offset = torch.arange(which.numel(), device=targets.device) - (
        torch.cumsum(counts, 0) - counts)[which]  # position inside each node's edge list
    return which, order[start[targets][which] + offset]


def khop_subgraphs(edge_index: Tensor, num_nodes: int, k: int) -> KHopSubgraphs:
    """The k-hop subgraph of every node, stacked, computed for all nodes at once.

    Node v's block holds ``{u : u reaches v in at most k hops}`` (v included) in increasing
    id, and every edge (column of ``edge_index``, in its original order) whose two ends are in
    it: what ``torch_geometric.utils.k_hop_subgraph(v, k, edge_index, relabel_nodes=True)``
    returns, with the blocks in order of v and ids offset by the block's start. Reachable
    pairs are found hop by hop as sorted keys ``v * N + u`` (no [N, N] matrix). On a PyG
    batch the graphs stay separate, since no edge joins two of them. ``k = 0``: each block
    is its centre alone, with its self-loops.

    Args:
        edge_index: [2, E] long, edges j -> i (directed input is allowed).
        num_nodes: N (nodes without edges get a block of their own).
        k: hops, >= 0.
    Returns:
        :class:`KHopSubgraphs` with node_index, center [M], edge_index [2, E'], edge_id [E'].
    """
    num_nodes = check_positive_int(num_nodes, "num_nodes", minimum=0)
    k = check_positive_int(k, "k", minimum=0)
    check_edge_index(edge_index, num_nodes)
    device = edge_index.device
    n = num_nodes
    order, start, count = _in_edges(edge_index, n)
    keys = torch.arange(n, device=device) * (n + 1)  # [N] the pairs (v, v)
    for _ in range(k):
        which, edge = _expand(keys % max(n, 1), order, start, count)  # edges into each u
        new = (keys[which] // max(n, 1)) * n + edge_index[0, edge]  # (v, source of the edge)
        grown = torch.unique(torch.cat([keys, new]))  # sorted: by centre, then by node
        if grown.numel() == keys.numel():
            break  # nothing new within one more hop: the same for all further hops
        keys = grown
    center, node_index = keys // max(n, 1), keys % max(n, 1)  # [M], [M]
    # Edges of each block: the edges into each of its nodes whose source is in it too.
    which, edge = _expand(node_index, order, start, count)
    source_key = center[which] * n + edge_index[0, edge]  # [Q]
    position = torch.searchsorted(keys, source_key).clamp_(max=max(keys.numel() - 1, 0))
    inside = keys[position] == source_key if keys.numel() else source_key.bool()
    which, edge, position = which[inside], edge[inside], position[inside]
    # Order as PyG has it: block by block, inside a block by original edge id.
    rank = torch.argsort(center[which] * max(edge_index.size(1), 1) + edge)
    stacked = torch.stack([position[rank], which[rank]])  # [2, E'] ids into 0..M-1
    return KHopSubgraphs(node_index, center, stacked, edge[rank], k, edge_index.size(1))


def _gnn(kind: str, dim: int) -> nn.Module:
    if kind == "gin":
        return GINLayer(dim, dim, train_eps=True)
    if kind == "gcn":
        return GCNLayer(dim, dim)
    return SAGELayer(dim, dim)


def _check_subgraphs(subgraphs: object, num_nodes: int, num_edges: int,
                     k: int) -> KHopSubgraphs:
    """Refuse subgraphs built for another k, or for a graph with other sizes than x's."""
    check_instance(subgraphs, "subgraphs", KHopSubgraphs,
                   "the KHopSubgraphs of khop_subgraphs(edge_index, N, k)")
    if subgraphs.k != k:
        raise ValueError(f"subgraphs: built for k={subgraphs.k}, the extractor has k={k}")
    if subgraphs.num_edges != num_edges:
        raise ValueError(f"subgraphs: built from a graph with {subgraphs.num_edges} edges, "
                         f"edge_index has {num_edges}")
    center, nodes = subgraphs.center, subgraphs.node_index
    if (center.numel() == 0 or int(center.max()) != num_nodes - 1
            or int(nodes.max()) >= num_nodes
            or bool((torch.bincount(center, minlength=num_nodes) == 0).any())):
        raise ValueError(f"subgraphs: they were built for another graph than x with "
                         f"{num_nodes} nodes (every node must be the centre of one subgraph)")
    return subgraphs


class _Extractor(nn.Module):
    def __init__(self, dim: int, k: int, gnn: str, concat: bool) -> None:
        super().__init__()
        self.dim = check_positive_int(dim, "dim")
        self.k = check_positive_int(k, "k", minimum=0)
        self.gnn = check_choice(gnn, "gnn", GNNS)
        width = self.k + 1 if concat else 2
        self.layers = nn.ModuleList(_gnn(self.gnn, self.dim) for _ in range(self.k))
        self.norm = nn.BatchNorm1d(width * self.dim) if self.k else None
        self.out_proj = nn.Linear(width * self.dim, self.dim) if self.k else None

    def _check(self, x: Tensor, edge_index: Tensor) -> None:
        if not inputs_checked():
            check_graph_input(x, edge_index, self.dim, dtype=param_dtype(self))

    def _run(self, h: Tensor, edge_index: Tensor) -> list[Tensor]:
        """``[h^1, ..., h^k]`` with ``h^l = ReLU(GNN_l(h^{l-1}))``, each [*, D]."""
        states = []
        with checked_inputs():
            for layer in self.layers:
                h = torch.relu(layer(h, edge_index))
                states.append(h)
        return states

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dim={self.dim}, k={self.k}, gnn={self.gnn!r})"


class KSubtreeExtractor(_Extractor):
    """k-subtree extractor: ``s = W BN([x || h^1 || ... || h^k])``, ``h^l = ReLU(GNN_l(h^{l-1}))``
    on the whole graph (BatchNorm over (k+1)·D features, Linear((k+1)·D -> D)).

    Args:
        dim: D, the width of x and s.
        k: GNN layers (depth of the subtrees); 0 is the identity ``s = x``.
        gnn: "gin" (GIN with a learned eps and an MLP Linear-ReLU-Linear, the official
            choice among the simple ones), "gcn" or "sage".
    Shapes: x [N, D], edge_index [2, E] -> s [N, D].
    """

    def __init__(self, dim: int, k: int, gnn: str = "gin") -> None:
        super().__init__(dim, k, gnn, concat=True)

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        self._check(x, edge_index)
        if not self.k:
            return x
        h = torch.cat([x, *self._run(x, edge_index)], dim=-1)  # [N, (k+1) D]
        return self.out_proj(self.norm(h))  # [N, D]


class KSubgraphExtractor(_Extractor):
    """k-subgraph extractor: a k-layer GNN (ReLU after each layer) on the stacked k-hop
    subgraphs, sum-pooled to the centre node, concatenated with x::

        g_v = sum_{u in G_k(v)} GNN^(k)(x[G_k(v)], G_k(v))_u,   s_v = W BN([x_v || g_v])

    Args:
        dim: D, the width of x and s.
        k: hops (and GNN layers); 0 is the identity ``s = x``.
        gnn: "gin", "gcn" or "sage" (see :class:`KSubtreeExtractor`).
    Shapes: x [N, D], edge_index [2, E], subgraphs the :class:`KHopSubgraphs` of this graph
    and this k (computed here when None) -> s [N, D].
    """

    def __init__(self, dim: int, k: int, gnn: str = "gin") -> None:
        super().__init__(dim, k, gnn, concat=False)

    def forward(self, x: Tensor, edge_index: Tensor,
                subgraphs: KHopSubgraphs | None = None) -> Tensor:
        self._check(x, edge_index)
        if not self.k:
            return x
        if subgraphs is None:
            with torch.no_grad():
                subgraphs = khop_subgraphs(edge_index, x.size(0), self.k)
        else:
            subgraphs = _check_subgraphs(subgraphs, x.size(0), edge_index.size(1), self.k)
        states = self._run(x[subgraphs.node_index], subgraphs.edge_index)  # k x [M, D]
        pooled = x.new_zeros(x.shape).index_add_(0, subgraphs.center, states[-1])  # [N, D]
        return self.out_proj(self.norm(torch.cat([x, pooled], dim=-1)))  # [N, D]

