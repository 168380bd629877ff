"""Drawing where a Structure-Aware Transformer looks (chapter 06).

The numbers come from :mod:`graphcourse.nn.sat_analysis`: one node's attention row per head
(:func:`~graphcourse.nn.sat_analysis.attention_row`, [H, N]), the nodes whose rooted k-hop
subgraph looks like the node's (:func:`~graphcourse.nn.sat_analysis.alike_nodes`, [N] bool)
and the attention mass on them
(:func:`~graphcourse.nn.sat_analysis.alike_attention`). :func:`render_sat` and
:func:`sat_summary` are what the SAT explorer shows: a Transformer with positional encodings
and a SAT side by side, on the same layout and the same colour scale.
"""

from __future__ import annotations

import math
from typing import Any

from torch import Tensor

from .._validate import (
    check_bool_mask,
    check_edge_index,
    check_node,
    check_number,
    check_positive_int,
    check_tensor,
)
from ..nn.sat_analysis import alike_attention
from .figures import _ax, _check_ax, _check_title, figure_png
from .graphs import _check_pos, draw_graph, layout

ALIKE = "#1f77b4"  # the ring around nodes that look like the chosen one
CHOSEN = "black"  # the ring around the chosen node


def _check_row(row: Any, num_nodes: int, name: str = "row") -> Tensor:
    """An attention row [H, N] (or [N], one head or already averaged) with N = num_nodes."""
    check_tensor(row, name, floating=True)
    if row.dim() not in (1, 2) or row.size(-1) != num_nodes or row.numel() == 0:
        raise ValueError(f"{name}: expected attention weights of shape [H, {num_nodes}] "
                         f"(attention_row(model, data, node, layer)), got {list(row.shape)}")
    return row.detach().float().cpu().reshape(-1, num_nodes)  # [H, N]


def draw_sat_attention(edge_index: Tensor, num_nodes: int, row: Tensor, node: int,
                       alike: Tensor, ax: Any = None, pos: dict | None = None,
                       vmax: float | None = None, title: str | None = None) -> Any:
    """Draw the graph with each node j coloured by the node's attention on it, the mean over
    heads ``mean_h alpha^h_{node, j}`` (``Reds``, 0 to ``vmax``, by default the largest
    weight), the nodes marked in ``alike`` [N] bool ringed in blue and ``node`` ringed in black.
    ``row`` is [H, N] (what :func:`~graphcourse.nn.sat_analysis.attention_row` returns)."""
    num_nodes = check_positive_int(num_nodes, "num_nodes")
    check_edge_index(edge_index, num_nodes)
    weights = _check_row(row, num_nodes).mean(0)  # [H, N] -> [N]
    node = check_node(node, num_nodes)
    alike = check_bool_mask(alike, num_nodes, "alike").cpu()
    _check_ax(ax)
    _check_pos(pos, num_nodes)
    if vmax is not None:
        vmax = check_number(vmax, "vmax", 0, low_inclusive=False, finite=True)
    _check_title(title)
    import matplotlib

    ax = _ax(ax)
    pos = layout(edge_index, num_nodes) if pos is None else pos
    top = float(vmax) if vmax is not None else max(float(weights.max()), 1e-6)
    size = 260 if num_nodes <= 30 else 140
    draw_graph(edge_index, num_nodes, node_color=weights.tolist(), ax=ax, pos=pos,
               labels=num_nodes <= 60, node_size=size, cmap="Reds", vmin=0, vmax=top)
    ringed = [j for j in range(num_nodes) if bool(alike[j]) and j != node]
    if ringed:
        ax.scatter([pos[j][0] for j in ringed], [pos[j][1] for j in ringed], s=size * 1.9,
                   facecolors="none", edgecolors=ALIKE, linewidths=2.0, zorder=4)
    ax.scatter([pos[node][0]], [pos[node][1]], s=size * 2.2, facecolors="none",
               edgecolors=CHOSEN, linewidths=2.5, zorder=5)
    mappable = matplotlib.cm.ScalarMappable(matplotlib.colors.Normalize(0, top),
                                            matplotlib.colormaps["Reds"])
    ax.figure.colorbar(mappable, ax=ax, shrink=0.7, label="attention (mean over heads)")
    ax.set_title(title or f"node {node}'s attention", fontsize=9)
    return ax


def _ratio(mass: float, share: float) -> str:
    if math.isnan(mass) or math.isnan(share) or share == 0:
        return "n/a"
    return f"x{mass / share:.2f}"


def _model_line(name: str, row: Tensor, alike: Tensor, node: int) -> str:
    found = alike_attention(row, alike, node)
    mean = row.mean(0)  # [H, N] -> [N]
    top = int(mean.argmax())
    mass = "n/a" if math.isnan(found.mass) else f"{found.mass:.2f}"
    return (f"{name}: {mass} of the attention on other nodes goes to the alike ones "
            f"({_ratio(found.mass, found.share)} their share); on itself "
            f"{found.self_weight:.2f}; most on node {top} ({float(mean[top]):.2f}, "
            f"{'alike' if bool(alike[top]) else 'not alike'})")


def sat_summary(transformer_row: Tensor, sat_row: Tensor, alike: Tensor, node: int, k: int,
                graph: int = 0, layer: int = 0) -> list[str]:
    """The lines the SAT explorer prints under its drawing: the graph, node and layer shown
    (``graph`` is the graph's index in the explorer's list; the layer is printed from 1), how
    many other nodes look alike at k hops and their share, then per model the fraction of its
    attention on other nodes that goes to alike nodes (mean over heads), that fraction over
    the share (x1.00: no preference), its weight on the node itself and the node it weighs
    most. Rows are [H, N] (the two models may have different numbers of heads)."""
    check_tensor(alike, "alike", ndim=1)
    num_nodes = alike.numel()
    transformer_row = _check_row(transformer_row, num_nodes, "transformer_row")
    sat_row = _check_row(sat_row, num_nodes, "sat_row")
    node = check_node(node, num_nodes)
    k = check_positive_int(k, "k")
    graph = check_positive_int(graph, "graph", minimum=0)
    layer = check_positive_int(layer, "layer", minimum=0)
    found = alike_attention(sat_row, alike, node)
    share = "n/a" if math.isnan(found.share) else f"{found.share:.2f}"
    lines = [f"graph {graph}, node {node}, layer {layer + 1}: {num_nodes} nodes; "
             f"{found.alike} of the {found.others} other nodes have a {k}-hop subgraph like "
             f"node {node}'s (share {share}, ringed in blue)"]
    lines.append(_model_line("Transformer+PE", transformer_row, alike, node))
    lines.append(_model_line(f"SAT (k={k})", sat_row, alike, node))
    return lines


def render_sat(edge_index: Tensor, num_nodes: int, node: int, transformer_row: Tensor,
               sat_row: Tensor, alike: Tensor, k: int, pos: dict | None = None) -> bytes:
    """PNG bytes of the SAT explorer's drawing: the graph twice on the same layout, coloured
    by the node's attention (mean over heads) in the Transformer with positional encodings
    (left) and in the SAT (right), on one colour scale; nodes whose k-hop subgraph looks like
    the node's are ringed in blue, the node in black. Made without pyplot: nothing is displayed
    or left open as a side effect."""
    from matplotlib.figure import Figure

    num_nodes = check_positive_int(num_nodes, "num_nodes")
    check_edge_index(edge_index, num_nodes)
    transformer_row = _check_row(transformer_row, num_nodes, "transformer_row")
    sat_row = _check_row(sat_row, num_nodes, "sat_row")
    node = check_node(node, num_nodes)
    alike = check_bool_mask(alike, num_nodes, "alike")
    k = check_positive_int(k, "k")
    _check_pos(pos, num_nodes)
    pos = layout(edge_index, num_nodes) if pos is None else pos
    top = max(float(transformer_row.mean(0).max()), float(sat_row.mean(0).max()), 1e-6)
    figure = Figure(figsize=(12, 5.4), layout="constrained")
    left, right = figure.subplots(1, 2)
    draw_sat_attention(edge_index, num_nodes, transformer_row, node, alike, ax=left, pos=pos,
                       vmax=top, title=f"Transformer+PE: node {node}'s attention")
    draw_sat_attention(edge_index, num_nodes, sat_row, node, alike, ax=right, pos=pos,
                       vmax=top, title=f"SAT (k={k}): node {node}'s attention "
                                       f"(blue rings: alike {k}-hop subgraphs)")
    return figure_png(figure)
