"""Where a Structure-Aware Transformer looks, and which nodes look alike (chapter 06).

SAT (Chen, O'Bray, Borgwardt, ICML 2022) computes queries and keys from a structure
extractor's output ``s`` and values from the raw node features ``x`` (see
:mod:`graphcourse.nn.sat`)::

    alpha^h_ij = softmax_j( (s_i W_Q^h)(s_j W_K^h)^T / sqrt(d_h) )   over the nodes j of the graph

With a k-subgraph extractor, ``s_v`` is a GNN summary of the k-hop subgraph rooted at v, so
two nodes whose rooted k-hop subgraphs are isomorphic (and whose node features agree) get the
same query and key. With k = 0 the model is a plain Transformer with positional encodings,
and ``s = x + PE``. The functions here read these things off a model and a graph:

- :func:`attention_row`: one node's attention row per head in one layer, [H, N], from
  ``SAT.encode(data, return_attention=True)``.
- :func:`alike_nodes`: the nodes whose rooted k-hop subgraph is isomorphic to the node's, [N].
- :func:`alike_attention`: how much of a node's attention goes to those alike nodes, against
  their share of the graph (:class:`AlikeAttention`).

The chapter 06 explorer (:func:`graphcourse.widgets.sat_explorer`) shows them.
Notation: N nodes, H heads, L layers.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import networkx as nx
import torch
from torch import Tensor
from torch_geometric.utils import k_hop_subgraph

from .._validate import (
    _as_int,
    check_bool_mask,
    check_edge_index,
    check_instance,
    check_node,
    check_positive_int,
    check_tensor,
)
from ._checks import evaluating
from .sat import SAT, check_sat_data

MODEL_HINT = "build one with graphcourse.nn.SAT(SATConfig(...))"


def _check_model(model: Any, name: str = "model") -> SAT:
    return check_instance(model, name, SAT, "a SAT", MODEL_HINT)


def _structure_k(model: SAT) -> int:
    """The k of the model's structure extractor: 0 for a plain Transformer (k = 0 or
    ``extractor=None``), else ``config.k``."""
    c = model.config
    return 0 if c.extractor is None else int(c.k)


def _check_layer(layer: Any, layers: int, name: str = "layer") -> int:
    """A layer index in [-L, L) (negative counts from the end, -1 the last) as one in [0, L)."""
    value = _as_int(layer, name, "a layer index (an int)")
    if not -layers <= value < layers:
        raise ValueError(f"{name}: expected a layer index in [-{layers}, {layers}) (-1 is the "
                         f"last layer), got {value}")
    return value % layers


def _check_data(model: SAT, data: Any, name: str = "data") -> int:
    """Check that ``model`` can encode the single graph ``data`` (as :func:`check_sat_data`;
    a batch of several graphs is refused); return its number of nodes."""
    x, _, batch, _ = check_sat_data(model.config, data, name)
    if batch.numel() and int(batch.max()) > 0:
        raise ValueError(f"{name}: expected one graph, got a batch of {int(batch.max()) + 1} "
                         f"graphs; pass one of them (batch[i] or your list of graphs)")
    return x.size(0)


def attention_row(model: SAT, data: Any, node: int, layer: int = -1) -> Tensor:
    """One node's attention row per head in one layer of ``model`` on the graph ``data``.

    ``out[h, j] = alpha^h_{node, j}``, [H, N] float on the CPU; every row sums to 1 (one
    softmax over the graph's N nodes; with the CLS readout the token is left out, so a row
    sums to one minus the weight on it). Runs ``model.encode(data, return_attention=True)`` in
    evaluation mode without gradients (the model's mode is restored afterwards) and takes
    ``attention[layer][0, :, node, :N]`` ([B, H, N, N] -> [H, N]). ``layer`` counts from 0;
    negative values count from the end (-1, the default, is the last layer). ``data`` is one
    PyG graph with ``x``, ``edge_index`` and the positional encoding the model reads
    (``rwpe`` or ``lappe``).
    """
    model = _check_model(model)
    num_nodes = _check_data(model, data)
    node = check_node(node, num_nodes)
    layer = _check_layer(layer, model.config.layers)
    device = next(model.parameters()).device
    if data.x.device != device:
        data = data.clone().to(device)
    with evaluating(model):
        out = model.encode(data, return_attention=True)
    weights = out.attention[layer]  # [B, H, N', N'], N' >= N (padding)
    return weights[0, :, node, :num_nodes].float().cpu()  # [H, N]


def _balls(edge_index: Tensor, num_nodes: int, k: int) -> tuple[Tensor, Tensor]:
    """Dense adjacency ``adj[i, j]`` (edge i -> j) and ``ball[:, v]``, the nodes within k hops
    of v along the edges (i reaches v in at most k steps), both [N, N] float 0/1."""
    adj = torch.zeros(num_nodes, num_nodes)
    adj[edge_index[0], edge_index[1]] = 1.0
    ball = torch.eye(num_nodes)
    for _ in range(k):
        ball = ((ball + adj @ ball) > 0).float()  # one more step towards v
    return adj, ball


class _Invariants:
    """Isomorphism invariants of every node's rooted k-hop subgraph: its size, its number of
    edges, the root's in- and out-degree in it, and (computed only when those agree) the
    sorted (in, out) degrees of its nodes."""

    def __init__(self, adj: Tensor, ball: Tensor) -> None:
        self.ball = ball
        self.inside_in = (adj.t() @ ball) * ball  # [N, N]: u's in-degree in v's ball, at [u, v]
        self.inside_out = (adj @ ball) * ball  # u's out-degree inside v's ball
        edges = (ball * (adj @ ball)).sum(0)  # [N]: edges with both ends in v's ball
        diagonal_in, diagonal_out = self.inside_in.diagonal(), self.inside_out.diagonal()
        self.cheap = torch.stack([ball.sum(0), edges, diagonal_in, diagonal_out], 1)  # [N, 4]

    def degrees(self, v: int) -> list[tuple[float, float]]:
        members = self.ball[:, v].bool()
        return sorted(zip(self.inside_in[members, v].tolist(),
                          self.inside_out[members, v].tolist()))

    def candidates(self, node: int) -> list[int]:
        """The other nodes whose invariants equal ``node``'s."""
        same = (self.cheap == self.cheap[node]).all(1)  # [N]
        same[node] = False
        target = self.degrees(node)
        return [v for v in same.nonzero().flatten().tolist() if self.degrees(v) == target]


def _rooted_subgraph(edge_index: Tensor, num_nodes: int, root: int, k: int) -> nx.DiGraph:
    """The k-hop subgraph of ``root`` (as PyG's ``k_hop_subgraph``) with the root marked."""
    subset, sub_edges, _, _ = k_hop_subgraph(root, k, edge_index, num_nodes=num_nodes)
    graph = nx.DiGraph()
    graph.add_nodes_from((int(v), {"root": int(v) == root}) for v in subset)
    graph.add_edges_from(sub_edges.t().tolist())
    return graph


def _refined_colours(graph: nx.DiGraph, rounds: int) -> tuple:
    """Colour refinement with the root coloured apart: the sorted final colours and the
    root's. Equal for isomorphic rooted graphs (a colour collision only lets a pair through
    to the exact test)."""
    colour = {v: int(is_root) for v, is_root in graph.nodes(data="root")}
    for _ in range(rounds):
        colour = {v: hash((colour[v], tuple(sorted(colour[u] for u in graph.predecessors(v))),
                           tuple(sorted(colour[u] for u in graph.successors(v)))))
                  for v in graph}
    root = next(v for v, is_root in graph.nodes(data="root") if is_root)
    return tuple(sorted(colour.values())), colour[root]


def _root_match(a: dict, b: dict) -> bool:
    return a["root"] == b["root"]


def alike_nodes(edge_index: Tensor, num_nodes: int, node: int, k: int) -> Tensor:
    """The nodes whose k-hop subgraph, rooted at them, is isomorphic to ``node``'s: [N] bool.

    The k-hop subgraph of v holds the nodes within k hops of v and the edges among them (what
    ``torch_geometric.utils.k_hop_subgraph(v, k, edge_index)`` returns, and what SAT's
    k-subgraph extractor encodes). ``out[v]`` is True when there is an isomorphism between
    the subgraphs of v and of ``node`` that maps v to ``node`` (networkx's VF2 with the root
    matched; sizes, degrees and colour refinement rule most pairs out first). ``out[node]``
    is always True. Only the structure counts, not node features: two alike nodes get the
    same structure-extractor output when their features agree too. Edges are followed in
    their direction (an undirected PyG graph lists both); repeated edges count once.
    """
    num_nodes = check_positive_int(num_nodes, "num_nodes")
    edge_index = check_edge_index(edge_index, num_nodes).cpu()
    node = check_node(node, num_nodes)
    k = check_positive_int(k, "k", minimum=0)
    invariants = _Invariants(*_balls(edge_index, num_nodes, k))
    target = _rooted_subgraph(edge_index, num_nodes, node, k)
    colours = _refined_colours(target, k + 1)
    out = torch.zeros(num_nodes, dtype=torch.bool)
    out[node] = True
    for v in invariants.candidates(node):
        graph = _rooted_subgraph(edge_index, num_nodes, v, k)
        if _refined_colours(graph, k + 1) == colours:
            out[v] = nx.is_isomorphic(graph, target, node_match=_root_match)
    return out


class AlikeAttention(NamedTuple):
    """How much of a node's attention goes to the nodes that look like it.

    Attributes:
        alike: the number of alike nodes other than the node itself.
        others: N - 1, the number of other nodes.
        share: ``alike / others``, the alike nodes' share of the other nodes (what uniform
            attention would give them); NaN when the graph has one node.
        mass: of the attention the node gives to other nodes (mean over heads), the fraction
            that goes to alike nodes; NaN when no attention goes to other nodes.
        self_weight: the weight the node gives itself (mean over heads).
    ``mass > share`` means the attention prefers nodes whose neighbourhoods look alike.
    """

    alike: int
    others: int
    share: float
    mass: float
    self_weight: float


def alike_attention(row: Tensor, alike: Tensor, node: int) -> AlikeAttention:
    """Compare the attention on alike nodes with their share of the graph.

    ``row`` [H, N] is :func:`attention_row`'s output, ``alike`` [N] bool
    :func:`alike_nodes`' for the same ``node``. With the mean over heads
    ``a_j = mean_h alpha^h_{node, j}`` and O the other nodes (all but ``node``)::

        mass  = sum_{j in O, alike} a_j / sum_{j in O} a_j
        share = |{j in O : alike}| / |O|

    The node itself is left out of both (it is always alike to itself). Returns an
    :class:`AlikeAttention`.
    """
    check_tensor(row, "row", ndim=2, floating=True)
    heads, num_nodes = row.shape
    if heads == 0 or num_nodes == 0:
        raise ValueError(f"row: expected weights of shape [H, N] with H, N >= 1, got "
                         f"{list(row.shape)}")
    alike = check_bool_mask(alike, num_nodes, "alike")
    node = check_node(node, num_nodes)
    if not bool(alike[node]):
        raise ValueError(f"alike: expected True at the node itself ({node}); make it with "
                         f"alike_nodes(edge_index, num_nodes, {node}, k)")
    mean = row.detach().float().cpu().mean(0)  # [H, N] -> [N]
    others = torch.ones(num_nodes, dtype=torch.bool)
    others[node] = False
    alike_others = alike.cpu() & others
    count, total = int(alike_others.sum()), num_nodes - 1
    to_others = float(mean[others].sum())
    share = count / total if total else float("nan")
    mass = float(mean[alike_others].sum()) / to_others if to_others > 0 else float("nan")
    return AlikeAttention(count, total, share, mass, float(mean[node]))
