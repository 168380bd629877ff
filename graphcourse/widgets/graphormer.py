"""The Graphormer explorer (chapter 05).

Pick a graph, a node and a layer of a trained Graphormer: the view wires its controls to
:mod:`graphcourse.nn.graphormer_analysis` (``distance_from``, ``spatial_bias_table``,
``node_attention_rows``) and draws with
:func:`graphcourse.viz.render_graphormer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._validate import check_index, check_instance, check_node
from ..nn.graphormer import Graphormer
from ..nn.graphormer_analysis import (
    MODEL_HINT,
    _check_data,
    distance_from,
    node_attention_rows,
    spatial_bias_table,
)
from ..viz import graphormer_summary, layout, render_graphormer
from ._display import GraphNodeLayerView, show, show_error


def _check_graphs(model: Graphormer, graphs: Any) -> list[int]:
    """Each graph's number of nodes, after checking that the model can encode it."""
    if isinstance(graphs, (str, bytes)) or not isinstance(graphs, Sequence) or not graphs:
        hint = "; wrap one graph as [data]" if hasattr(graphs, "edge_index") else ""
        raise TypeError(f"graphs: expected a non-empty list of PyG Data graphs, got "
                        f"{type(graphs).__name__}{hint}")
    return [_check_data(model, data, f"graphs[{k}]") for k, data in enumerate(graphs)]


def _label(k: int, data: Any, num_nodes: int) -> str:
    smiles = getattr(data, "smiles", None)
    name = f": {smiles}" if isinstance(smiles, str) and len(smiles) <= 30 else ""
    return f"{k}{name} ({num_nodes} nodes)"


def graphormer_explorer(model: Graphormer, graphs: Sequence[Any], graph: int = 0,
                        node: int = 0, layer: int = 0) -> Any:
    """Does a head's attention follow its learned distance bias? Pick a graph, a node and a
    layer: top left, the graph coloured by shortest-path distance from the node; top right,
    each head's learned spatial bias b[d] by distance and its virtual-node bias t; bottom
    left, the node's attention row per head (the virtual node, then the nodes by distance);
    bottom right, that attention summed by distance, to set against the bias.

    ``model`` is a :class:`~graphcourse.nn.Graphormer` (trained, or not), ``graphs`` a
    non-empty list of PyG ``Data`` it can encode (``x`` node types; ``edge_attr`` when its
    edge encoding is on), such as molecules or CSL graphs; ``graph``, ``node`` and ``layer``
    are indices. Everything is checked before any control is built; a node typed into the
    node box that the graph does not have (also after picking a smaller graph) is reported in
    place of the drawing. Every change recomputes the attention with the model in evaluation
    mode. The returned box's ``shown`` holds the
    :class:`~graphcourse.nn.graphormer_analysis.AttentionRow` on display and ``distance`` the
    distances from its node (both None while an error is shown), for tests and for curious
    students.
    """
    check_instance(model, "model", Graphormer, "a Graphormer", MODEL_HINT)
    sizes = _check_graphs(model, graphs)
    graph = check_index(graph, len(graphs), "graph", "a graph index")
    node = check_node(node, sizes[graph])
    layer = check_index(layer, model.config.layers, "layer", "a layer index")

    view = GraphNodeLayerView([_label(k, data, sizes[k]) for k, data in enumerate(graphs)],
                              graph, node, model.config.layers, layer)
    box, picture, numbers = view.box, view.picture, view.numbers
    positions: dict[int, dict] = {}  # one drawing layout per graph, made when first shown

    def redraw(*_: Any) -> None:
        box.shown, box.distance = None, None
        k = view.graph.value
        data = graphs[k]
        try:
            here = check_node(view.node.value, sizes[k])  # named as the control
            distance = distance_from(data, here)  # [N]
            row = node_attention_rows(model, data, here, view.layer.value)
            table = spatial_bias_table(model)
        except (TypeError, ValueError) as error:
            show_error(picture, numbers, error)
            return
        if k not in positions:
            positions[k] = layout(data.edge_index.cpu(), sizes[k])
        box.shown, box.distance = row, distance
        show(picture, numbers,
             render_graphormer(data.edge_index.cpu(), sizes[k], distance, table, row,
                               positions[k]),
             graphormer_summary(row, distance, table, graph=k))

    view.on_change(redraw)
    return box
