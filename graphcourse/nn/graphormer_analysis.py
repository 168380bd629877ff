"""What a Graphormer learned about distance, and where one node looks (chapter 05).

Graphormer (Ying et al., NeurIPS 2021) adds to the attention logit between nodes i and j a
learnable scalar per head indexed by their shortest-path distance, and gives the virtual node
(token 0) a scalar of its own (see :mod:`graphcourse.nn.graphormer`)::

    A^h_ij = (h_i W_Q^h)(h_j W_K^h)^T / sqrt(d) + b^h[phi(i, j)] (+ c^h_ij, edge encoding)
    A^h_0j, A^h_i0 += t^h                        (the virtual node: not a distance)
    alpha^h_ij = softmax_j(A^h_ij)                over the virtual node and the real nodes

Pairs ``max_distance`` or more hops apart, and pairs with no path (distance 510,
:data:`graphcourse.structure.UNREACHABLE`), are masked out of the softmax: their weight is 0,
as if their bias were -inf. The functions here read these numbers off a model:

- :func:`distance_from`: phi(node, j) for every j, [N].
- :func:`spatial_bias_table`: b^h[d] per head and distance (with the masked column) and t^h.
- :func:`node_attention_rows`: one node's attention row per head in one layer, from
  ``Graphormer.encode(..., return_attention=True)``.
- :func:`attention_by_distance`: that row summed over the nodes at each distance.

The chapter 05 explorer (:func:`graphcourse.widgets.graphormer_explorer`) shows them.
Notation: N nodes, H heads, M = ``max_distance``, T = N + 1 tokens.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import torch
from torch import Tensor
from torch_geometric.utils import degree

from .._validate import (
    check_attributes,
    check_edge_index,
    check_index,
    check_instance,
    check_node,
    check_positive_int,
    check_tensor,
)
from ..structure import UNREACHABLE, shortest_path_distances
from ._checks import evaluating
from .graphormer import Graphormer

MODEL_HINT = "build one with graphcourse.nn.Graphormer(GraphormerConfig(...))"


def _check_model(model: Any) -> Graphormer:
    return check_instance(model, "model", Graphormer, "a Graphormer", MODEL_HINT)


def _check_ids(value: Any, name: str, size: int, what: str, owner: str) -> Tensor:
    """An integer tensor with entries in [0, size), or an error naming the model's setting."""
    check_tensor(value, name, floating=False)
    if value.numel() and (int(value.min()) < 0 or int(value.max()) >= size):
        bad = int(value.min()) if int(value.min()) < 0 else int(value.max())
        raise ValueError(f"{name}: expected {what} in [0, {size - 1}], found {bad} (the model "
                         f"has {owner}={size})")
    return value


def _check_data(model: Graphormer, data: Any, name: str = "data") -> int:
    """Check that ``model`` can encode the graph ``data``; return its number of nodes.

    ``data`` needs ``x`` (node types [N] or [N, K], long, below ``num_node_types``),
    ``edge_index`` [2, E], and ``edge_attr`` [E] or [E, K] when the edge encoding is on; no
    degree may exceed the model's degree table.
    """
    c = model.config
    check_attributes(data, name, ("x", "edge_index"))
    x = _check_ids(data.x, f"{name}.x", c.num_node_types, "node types", "num_node_types")
    if x.dim() not in (1, 2) or x.size(0) == 0:
        raise ValueError(f"{name}.x: expected node types of shape [N] or [N, K] with N >= 1, "
                         f"got {list(x.shape)}")
    num_nodes = x.size(0)
    edge_index = check_edge_index(data.edge_index, num_nodes, f"{name}.edge_index")
    if model.edge is not None:
        attr = getattr(data, "edge_attr", None)
        if attr is None:
            raise ValueError(f"{name}: missing attribute 'edge_attr' (the model's edge "
                             f"encoding is on: num_edge_types={c.num_edge_types})")
        _check_ids(attr, f"{name}.edge_attr", c.num_edge_types, "edge types", "num_edge_types")
        if attr.dim() not in (1, 2) or attr.size(0) != edge_index.size(1):
            raise ValueError(f"{name}.edge_attr: expected one row per edge "
                             f"({edge_index.size(1)}), got shape {list(attr.shape)}")
    if model.centrality is not None and edge_index.numel():
        top = max(int(degree(edge_index[k], num_nodes).max()) for k in (0, 1))
        if top > c.max_degree:
            raise ValueError(f"{name}.edge_index: a node has degree {top}, larger than the "
                             f"model's degree table (max_degree={c.max_degree})")
    return num_nodes


def distance_from(data: Any, node: int) -> Tensor:
    """Shortest-path distances from ``node`` to every node: ``phi(node, j)``, [N] long.

    ``data`` is a graph with ``edge_index`` [2, E] and ``num_nodes`` (a PyG ``Data``); edges
    are followed in their direction (an undirected PyG graph lists both). Nodes with no path
    from ``node`` get :data:`~graphcourse.structure.UNREACHABLE` (510), the value the model's
    spatial encoding receives for them.
    """
    check_attributes(data, "data", ("edge_index", "num_nodes"))
    num_nodes = check_positive_int(data.num_nodes, "data.num_nodes")
    edge_index = check_edge_index(data.edge_index, num_nodes, "data.edge_index")
    node = check_node(node, num_nodes)
    return shortest_path_distances(edge_index.cpu(), num_nodes)[node]  # [N]


class SpatialBiasTable(NamedTuple):
    """The spatial encoding's learned numbers, as the model adds them to attention logits.

    Attributes:
        bias: [H, M + 1] float, or ``None`` when the model's spatial encoding is off (then
            nothing depends on distance and no pair is masked). ``bias[h, d]`` is b^h[d] for
            d = 0..M-1; the last column, -inf, stands for every pair M or more hops apart and
            every pair with no path (510): those pairs are masked out of the softmax.
        virtual: [H] float, t^h, the virtual node's bias (its row and column), not a distance.
        max_distance: M, or ``None`` when the spatial encoding is off.
    """

    bias: Tensor | None
    virtual: Tensor
    max_distance: int | None

    def lookup(self, distance: Tensor) -> Tensor:
        """The bias each pair gets, indexed as the model indexes its table:
        ``bias[:, min(phi, M)]`` (-inf for far and unreachable pairs). distance [...] long ->
        [H, ...]; zeros when the spatial encoding is off."""
        check_tensor(distance, "distance", floating=False)
        if distance.numel() and int(distance.min()) < 0:
            raise ValueError(f"distance: expected hop counts >= 0, found {int(distance.min())}")
        distance = distance.cpu()
        if self.bias is None:
            return torch.zeros(self.virtual.numel(), *distance.shape)
        index = distance.clamp(max=self.max_distance)  # every far or unreachable pair -> M
        return self.bias[:, index]  # [H, ...]


def spatial_bias_table(model: Graphormer) -> SpatialBiasTable:
    """Read the spatial bias b^h[d] and the virtual-node bias t^h off a Graphormer.

    ``bias`` [H, M + 1] is ``model.spatial.bias.weight`` [M, H] transposed, with a last column
    of -inf for the pairs the model masks (M = ``config.max_distance`` or more hops apart, or
    no path); ``virtual`` [H] is ``model.virtual_distance.weight[0]``. Detached copies on the
    CPU; see :class:`SpatialBiasTable`.
    """
    model = _check_model(model)
    virtual = model.virtual_distance.weight.detach()[0].cpu().clone()  # [H]
    if model.spatial is None:
        return SpatialBiasTable(None, virtual, None)
    weight = model.spatial.bias.weight.detach().cpu().t()  # [M, H] -> [H, M]
    far = torch.full((weight.size(0), 1), float("-inf"), dtype=weight.dtype)
    return SpatialBiasTable(torch.cat([weight, far], dim=1), virtual,  # [H, M + 1]
                            model.config.max_distance)


class AttentionRow(NamedTuple):
    """Where one node looks in one layer: its attention weights per head.

    Attributes:
        nodes: [H, N] float, alpha^h_{node, j} on each real node j.
        virtual: [H] float, alpha^h_{node, 0}, its weight on the virtual node.
        node: the node (an id of the graph, 0-based; token ``node + 1`` of the model).
        layer: the layer, 0-based.
    For every head ``nodes[h].sum() + virtual[h] == 1`` (one softmax over the T = N + 1
    tokens).
    """

    nodes: Tensor
    virtual: Tensor
    node: int
    layer: int


def node_attention_rows(model: Graphormer, data: Any, node: int, layer: int) -> AttentionRow:
    """One node's attention row per head in one layer of ``model`` on the graph ``data``.

    Runs ``model.encode(data.x, data.edge_index, data.edge_attr, return_attention=True)`` in
    evaluation mode without gradients (the model's mode is restored afterwards) and takes
    ``attention[layer][0, :, node + 1, :]`` [H, T]: column 0 is the virtual node, columns
    1..N the graph's nodes. ``data`` needs ``x`` and ``edge_index`` (and ``edge_attr`` when
    the model's edge encoding is on). Returns an :class:`AttentionRow` on the CPU.
    """
    model = _check_model(model)
    num_nodes = _check_data(model, data)
    node = check_node(node, num_nodes)
    layer = check_index(layer, model.config.layers, "layer", "a layer index")
    device = next(model.parameters()).device
    edge_attr = data.edge_attr.to(device) if model.edge is not None else None
    with evaluating(model):
        out = model.encode(data.x.to(device), data.edge_index.to(device), edge_attr,
                           return_attention=True)
    row = out.attention[layer][0, :, node + 1, :].float().cpu()  # [B, H, T, T] -> [H, T]
    return AttentionRow(row[:, 1:], row[:, 0], node, layer)


def _check_row(row: Any) -> AttentionRow:
    """An :class:`AttentionRow` with ``nodes`` [H, N] and ``virtual`` [H] float tensors."""
    check_instance(row, "row", AttentionRow, "an AttentionRow",
                   "make one with node_attention_rows(model, data, node, layer)")
    check_tensor(row.nodes, "row.nodes", ndim=2, floating=True)
    check_tensor(row.virtual, "row.virtual", ndim=1, floating=True)
    if row.virtual.numel() != row.nodes.size(0):
        raise ValueError(f"row.virtual: expected one weight per head ({row.nodes.size(0)}), "
                         f"got {row.virtual.numel()}")
    return row


def attention_by_distance(row: AttentionRow, distance: Tensor) -> Tensor:
    """A node's attention summed over the nodes at each distance from it, per head.

    ``out[h, d] = sum_{j : phi(node, j) = d} alpha^h_{node, j}`` for d = 0..K, K the largest
    finite distance in ``distance`` [N] (what :func:`distance_from` returns for the same
    node), and a last column for the nodes with no path (0 unless the spatial encoding is
    off). Shapes: ``row.nodes`` [H, N] -> [H, K + 2]; ``out.sum(1) + row.virtual == 1``.
    """
    row = _check_row(row)
    check_tensor(distance, "distance", ndim=1, floating=False)
    heads, num_nodes = row.nodes.shape
    if distance.numel() != num_nodes:
        raise ValueError(f"distance: expected one distance per node of the row ({num_nodes}), "
                         f"got {distance.numel()}")
    if num_nodes and int(distance.min()) < 0:
        raise ValueError(f"distance: expected hop counts >= 0, found {int(distance.min())}")
    distance = distance.cpu().long()
    reached = distance < UNREACHABLE
    top = int(distance[reached].max()) if bool(reached.any()) else 0
    column = torch.where(reached, distance, torch.full_like(distance, top + 1))  # [N]
    out = row.nodes.new_zeros(heads, top + 2)
    return out.index_add_(1, column, row.nodes)  # [H, K + 2]
