"""The graph attention explorer (chapter 03).

Pick a layer, a head and a node of a trained GAT: the view wires its controls to
:mod:`graphcourse.nn.analysis` (:func:`~graphcourse.nn.analysis.node_attention`,
:func:`~graphcourse.nn.analysis.entropy_summary`) and draws with
:func:`graphcourse.viz.render_attention`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torch import Tensor

from .._validate import check_attributes, check_index, check_node, check_positive_int
from ..nn.analysis import check_attention, entropy_summary, node_attention
from ..viz import node_attention_summary, render_attention
from ._display import show, show_error


def _check_layers(attention: Any, num_nodes: int) -> list[tuple[Tensor, Tensor]]:
    """Each layer's ``(edge_index [2, E], alpha [E, H])``, checked; alpha as [E, H]."""
    if isinstance(attention, (str, bytes)) or not isinstance(attention, Sequence) \
            or not attention:
        raise TypeError("attention: expected a non-empty list of (edge_index, alpha) pairs, one "
                        "per layer (what GAT.attention returns), got "
                        f"{type(attention).__name__}")
    layers = []
    for k, pair in enumerate(attention):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"attention[{k}]: expected an (edge_index, alpha) pair, got "
                            f"{type(pair).__name__}")
        edge_index, alpha = pair
        layers.append((edge_index, check_attention(edge_index, alpha, num_nodes)))
    return layers


def attention_explorer(model: Any, data: Any, layer: int = 0, head: int = 0, node: int = 0,
                       attention: list[tuple[Tensor, Tensor]] | None = None) -> Any:
    """Pick a layer, a head and a node of a trained GAT: left, the node's neighbours with edge
    widths by attention weight; middle, all heads on the same neighbours; right, the histogram
    of attention entropies of that layer and head against uniform attention.

    ``attention`` defaults to ``model.attention(data.x, data.edge_index)`` (eval mode); ``data``
    needs ``num_nodes`` (and ``x``, ``edge_index`` without ``attention``; ``y``, if present,
    colours the nodes). ``layer``, ``head`` and ``node`` are checked before any control is
    built; a node typed into the node box that the graph does not have is reported in place of
    the drawing. The returned widget's ``shown`` attribute holds the
    :class:`~graphcourse.nn.analysis.NodeAttention` on display (None while an error is shown)
    and ``head`` the head drawn, for tests and for curious students.
    """
    import ipywidgets as widgets

    check_attributes(data, "data", ("num_nodes",))
    num_nodes = check_positive_int(data.num_nodes, "data.num_nodes")
    if attention is None:
        if not callable(getattr(model, "attention", None)):
            raise TypeError(f"model: expected a GAT (with an attention(x, edge_index) method), "
                            f"got {type(model).__name__}; or pass attention=[(edge_index, "
                            f"alpha), ...]")
        check_attributes(data, "data", ("x", "edge_index"))
        attention = model.attention(data.x, data.edge_index)
    attention = _check_layers(attention, num_nodes)
    layer = check_index(layer, len(attention), "layer", "a layer index")
    head = check_index(head, attention[layer][1].size(1), "head", "a head index")
    node = check_node(node, num_nodes)
    labels = data.y.tolist() if getattr(data, "y", None) is not None else None
    if labels is not None and len(labels) != num_nodes:
        raise ValueError(f"data.y: expected one label per node ({num_nodes}), got {len(labels)}")

    layer_picker = widgets.Dropdown(options=[(f"layer {k + 1}", k) for k in range(len(attention))],
                                    value=layer, description="layer")
    head_slider = widgets.IntSlider(value=head, min=0, max=attention[layer][1].size(1) - 1,
                                    description="head")
    node_picker = widgets.IntText(value=node, description="node")
    picture = widgets.Image(format="png")
    numbers = widgets.HTML()
    box = widgets.VBox([widgets.HBox([layer_picker, head_slider, node_picker]), picture, numbers])

    updating = [False]

    def redraw(*_: Any) -> None:
        if updating[0]:
            return
        edge_index, alpha = attention[layer_picker.value]
        updating[0] = True
        try:  # a layer with fewer heads: the slider's range shrinks to the heads it has
            head_slider.max = alpha.size(1) - 1
        finally:
            updating[0] = False
        h = head_slider.value
        box.shown, box.head = None, h
        try:
            local = node_attention(edge_index, alpha, node_picker.value, num_nodes)
        except (TypeError, ValueError) as error:
            show_error(picture, numbers, error)
            return
        summary = entropy_summary(edge_index, alpha[:, h:h + 1], num_nodes)
        box.shown = local
        show(picture, numbers, render_attention(local, h, edge_index, alpha, num_nodes, labels),
             node_attention_summary(local, layer_picker.value, h, summary))

    for control in (layer_picker, head_slider, node_picker):
        control.observe(redraw, names="value")
    redraw()
    return box
