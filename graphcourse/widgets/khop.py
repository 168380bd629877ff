"""The k-hop / computation-tree explorer (chapter 01).

Pick a node and a depth k: the view wires its two controls to
:func:`graphcourse.graphs.computation_tree` and draws with :func:`graphcourse.viz.render_tree`.
"""

from __future__ import annotations

from typing import Any

from .._validate import (
    check_attributes,
    check_bool,
    check_edge_index,
    check_node,
    check_positive_int,
)
from ..graphs.trees import computation_tree
from ..viz import layout, render_tree, tree_summary
from ._display import show, show_error


def khop_explorer(data: Any, node: int = 0, depth: int = 2, max_depth: int = 3,
                  self_loops: bool = False) -> Any:
    """Pick a node and a depth k: left, the graph coloured by hop distance (yellow beyond k);
    right, the computation tree of a k-layer GNN at that node, with level sizes.

    ``data`` is a graph with ``edge_index`` and ``num_nodes`` (a PyG ``Data``); ``node`` a
    node id, ``depth`` in 0..``max_depth``. Arguments are checked before any control is
    built. A node typed into the node box that the graph does not have is reported in place of
    the drawing. The returned box's ``tree`` holds the
    :class:`~graphcourse.graphs.ComputationTree` on display (None while an error is shown).
    """
    import ipywidgets as widgets

    check_attributes(data, "data", ("edge_index", "num_nodes"))
    num_nodes = check_positive_int(data.num_nodes, "data.num_nodes")
    edge_index = check_edge_index(data.edge_index, num_nodes, "data.edge_index")
    node = check_node(node, num_nodes)
    max_depth = check_positive_int(max_depth, "max_depth", minimum=0)
    depth = check_positive_int(depth, "depth", minimum=0)
    if depth > max_depth:
        raise ValueError(f"depth: expected 0..max_depth = {max_depth}, got {depth}")
    self_loops = check_bool(self_loops, "self_loops")

    pos = layout(edge_index, num_nodes)
    node_picker = widgets.IntText(value=node, description="node")
    depth_slider = widgets.IntSlider(value=depth, min=0, max=max_depth, description="depth k")
    picture = widgets.Image(format="png")
    numbers = widgets.HTML()
    box = widgets.VBox([widgets.HBox([node_picker, depth_slider]), picture, numbers])

    def redraw(*_: Any) -> None:
        box.tree = None
        try:
            root = check_node(node_picker.value, num_nodes)  # named as the control
            tree = computation_tree(edge_index, num_nodes, root, depth_slider.value,
                                    self_loops=self_loops)
        except (TypeError, ValueError) as error:
            show_error(picture, numbers, error)
            return
        box.tree = tree  # what is shown, for tests and for curious students
        show(picture, numbers, render_tree(edge_index, num_nodes, tree, pos, max_depth),
             tree_summary(tree))

    node_picker.observe(redraw, names="value")
    depth_slider.observe(redraw, names="value")
    redraw()
    return box
