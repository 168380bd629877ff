"""The SAT explorer (chapter 06).

Pick a graph, a node and a layer: the view wires its controls to
:mod:`graphcourse.nn.sat_analysis` (``attention_row`` for each of two trained models,
``alike_nodes``) and draws with :func:`graphcourse.viz.render_sat`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._validate import check_index, check_instance, check_node
from ..nn.sat import SAT
from ..nn.sat_analysis import (
    MODEL_HINT,
    _check_data,
    _check_layer,
    _structure_k,
    alike_nodes,
    attention_row,
)
from ..viz import layout, render_sat, sat_summary
from ._display import GraphNodeLayerView, show, show_error


def _check_models(transformer: Any, sat: Any) -> int:
    """Check the pair: a plain Transformer (k = 0) and a structure-aware SAT (k >= 1);
    return the SAT's k."""
    check_instance(transformer, "transformer", SAT, "a SAT with k=0 (a Transformer with "
                   "positional encodings)", MODEL_HINT)
    check_instance(sat, "sat", SAT, "a SAT with k >= 1", MODEL_HINT)
    k_transformer, k = _structure_k(transformer), _structure_k(sat)
    if k_transformer != 0:
        swapped = "; did you swap transformer and sat?" if k == 0 else ""
        raise ValueError(f"transformer: expected a SAT with k=0 (no structure extractor), got "
                         f"k={k_transformer}{swapped}")
    if k == 0:
        raise ValueError("sat: expected a SAT with k >= 1 and a structure extractor, got a "
                         "plain Transformer (k=0 or extractor=None)")
    return k


def _check_graphs(transformer: SAT, sat: SAT, graphs: Any) -> list[int]:
    """Each graph's number of nodes, after checking that both models can encode it."""
    if isinstance(graphs, (str, bytes)) or not isinstance(graphs, Sequence) or not graphs:
        hint = "; wrap one graph as [data]" if hasattr(graphs, "edge_index") else ""
        raise TypeError(f"graphs: expected a non-empty list of PyG Data graphs, got "
                        f"{type(graphs).__name__}{hint}")
    sizes = []
    for k, data in enumerate(graphs):
        sizes.append(_check_data(transformer, data, f"graphs[{k}]"))
        _check_data(sat, data, f"graphs[{k}]")
    return sizes


def sat_explorer(transformer: SAT, sat: SAT, graphs: Sequence[Any], graph: int = 0,
                 node: int = 0, layer: int = -1) -> Any:
    """Does structure-aware attention go to nodes whose neighbourhoods look alike? Pick a
    graph, a node and a layer: left, the node's attention (mean over heads) in a Transformer
    with positional encodings; right, in a SAT; the same layout and colour scale for both.
    Nodes whose k-hop subgraph (k of the SAT) is isomorphic to the node's, with the node as
    root, are ringed in blue (:func:`~graphcourse.nn.sat_analysis.alike_nodes`); the lines
    below give, per model, the fraction of its attention on other nodes that goes to them
    against their share of the other nodes.

    ``transformer`` is a :class:`~graphcourse.nn.SAT` with k=0 (no structure extractor),
    ``sat`` one with k >= 1 (trained, or not), ``graphs`` a non-empty list of PyG ``Data``
    both can encode (``x``, ``edge_index`` and the positional encodings they read, ``rwpe``
    or ``lappe``); ``graph`` and ``node`` are indices, ``layer`` a layer index taken in both
    models (negative counts from the end of the shallower one; -1, the default, is its last
    layer). Everything is checked before any control is built; a node typed into the node box
    that the graph does not have (also after picking a smaller graph) is reported in place of
    the drawing. Every change recomputes both rows with the models in evaluation mode. The
    returned box's ``shown`` is a dict (graph, node, layer, ``transformer`` and ``sat`` rows
    [H, N], ``alike`` [N] bool) of what is on display, None while an error is shown.
    """
    k = _check_models(transformer, sat)
    sizes = _check_graphs(transformer, sat, graphs)
    graph = check_index(graph, len(graphs), "graph", "a graph index")
    node = check_node(node, sizes[graph])
    layers = min(transformer.config.layers, sat.config.layers)
    layer = _check_layer(layer, layers)

    view = GraphNodeLayerView([f"{j} ({sizes[j]} nodes)" for j in range(len(graphs))], graph,
                              node, layers, layer)
    box, picture, numbers = view.box, view.picture, view.numbers
    positions: dict[int, dict] = {}  # one drawing layout per graph, made when first shown

    def redraw(*_: Any) -> None:
        box.shown = None
        j, here_layer = view.graph.value, view.layer.value
        data = graphs[j]
        try:
            here = check_node(view.node.value, sizes[j])  # named as the control
            plain = attention_row(transformer, data, here, here_layer)  # [H, N]
            aware = attention_row(sat, data, here, here_layer)  # [H', N]
        except (TypeError, ValueError) as error:
            show_error(picture, numbers, error)
            return
        edge_index = data.edge_index.cpu()
        alike = alike_nodes(edge_index, sizes[j], here, k)  # [N] bool
        if j not in positions:
            positions[j] = layout(edge_index, sizes[j])
        box.shown = {"graph": j, "node": here, "layer": here_layer, "transformer": plain,
                     "sat": aware, "alike": alike}
        show(picture, numbers,
             render_sat(edge_index, sizes[j], here, plain, aware, alike, k, positions[j]),
             sat_summary(plain, aware, alike, here, k, graph=j, layer=here_layer))

    view.on_change(redraw)
    return box
