"""Drawing what a Graphormer learned about distance (chapter 05).

The numbers come from :mod:`graphcourse.nn.graphormer_analysis`: distances from a node
(:func:`~graphcourse.nn.graphormer_analysis.distance_from`), the spatial bias b^h[d] and the
virtual-node bias t^h (:class:`~graphcourse.nn.graphormer_analysis.SpatialBiasTable`), and one
node's attention row (:class:`~graphcourse.nn.graphormer_analysis.AttentionRow`).
:func:`render_graphormer` and :func:`graphormer_summary` are what the Graphormer explorer
shows. Heads keep one colour (``tab10``) in every panel.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from torch import Tensor

from .._validate import (
    check_edge_index,
    check_instance,
    check_node,
    check_positive_int,
    check_tensor,
)
from ..nn.graphormer_analysis import AttentionRow, SpatialBiasTable, attention_by_distance
from ..nn.graphormer_analysis import _check_row as _checked_row
from ..structure import UNREACHABLE
from .figures import _ax, _check_ax, _check_title, figure_png
from .graphs import _check_pos, draw_graph, layout

NO_PATH = "#d9d9d9"  # nodes with no path from the chosen node


def _check_distance(distance: Any, num_nodes: int | None = None) -> Tensor:
    check_tensor(distance, "distance", ndim=1, floating=False)
    if num_nodes is not None and distance.numel() != num_nodes:
        raise ValueError(f"distance: expected one distance per node ({num_nodes}), got "
                         f"{distance.numel()}; make it with distance_from(data, node)")
    if distance.numel() and int(distance.min()) < 0:
        raise ValueError(f"distance: expected hop counts >= 0, found {int(distance.min())}")
    return distance.cpu().long()


def _check_table(table: Any) -> SpatialBiasTable:
    return check_instance(table, "table", SpatialBiasTable, "a SpatialBiasTable",
                          "make one with spatial_bias_table(model)")


def _check_row(row: Any, num_nodes: int | None = None) -> AttentionRow:
    row = _checked_row(row)
    if num_nodes is not None and row.nodes.size(1) != num_nodes:
        raise ValueError(f"row: expected weights on {num_nodes} nodes, got "
                         f"{row.nodes.size(1)}")
    return row


def _check_heads(table: SpatialBiasTable, row: AttentionRow) -> None:
    if table.virtual.numel() != row.nodes.size(0):
        raise ValueError(f"table: expected the {row.nodes.size(0)} heads of the row, got "
                         f"{table.virtual.numel()}; read both off the same model")


def _head_color(head: int) -> Any:
    import matplotlib

    return matplotlib.colormaps["tab10"](head % 10)


def draw_distance_graph(edge_index: Tensor, num_nodes: int, distance: Tensor, node: int,
                        ax: Any = None, pos: dict | None = None,
                        title: str | None = None) -> Any:
    """Draw the graph with each node j coloured by phi(node, j) (``viridis``, 0 to the largest
    finite distance; light grey for no path) and ``node`` circled in red. distance [N] long
    (what :func:`~graphcourse.nn.graphormer_analysis.distance_from` returns)."""
    import matplotlib

    num_nodes = check_positive_int(num_nodes, "num_nodes")
    check_edge_index(edge_index, num_nodes)
    distance = _check_distance(distance, num_nodes)
    node = check_node(node, num_nodes)
    _check_ax(ax)
    _check_pos(pos, num_nodes)
    _check_title(title)
    ax = _ax(ax)
    pos = layout(edge_index, num_nodes) if pos is None else pos
    reached = distance < UNREACHABLE
    top = max(int(distance[reached].max()), 1)
    cmap = matplotlib.colormaps["viridis"]
    size = 260 if num_nodes <= 30 else 140
    draw_graph(edge_index, num_nodes, node_color=distance.clamp(max=top).tolist(), ax=ax,
               pos=pos, labels=num_nodes <= 60, node_size=size, cmap="viridis", vmin=0,
               vmax=top)
    lost = [j for j in range(num_nodes) if not reached[j]]
    if lost:  # painted over in grey: no path from the node
        ax.scatter([pos[j][0] for j in lost], [pos[j][1] for j in lost], s=size, color=NO_PATH,
                   edgecolors="black", linewidths=0.5, zorder=2.5)
    ax.scatter([pos[node][0]], [pos[node][1]], s=520, facecolors="none", edgecolors="#d62728",
               linewidths=2.5, zorder=5)
    mappable = matplotlib.cm.ScalarMappable(matplotlib.colors.Normalize(0, top), cmap)
    ax.figure.colorbar(mappable, ax=ax, shrink=0.7, label="hops from the node")
    missing = int((~reached).sum())
    ax.set_title(title or f"distance from node {node}"
                 + (f" ({missing} with no path, grey)" if missing else ""), fontsize=9)
    return ax


def draw_bias_by_distance(table: SpatialBiasTable, ax: Any = None,
                          max_shown: int | None = None) -> Any:
    """One line per head: the learned spatial bias b^h[d] against the distance d (up to
    ``max_shown``, default all M distances), and the virtual node's bias t^h apart at the
    right ("VN"), since it is not a distance. Pairs M or more hops apart are masked (-inf)."""
    table = _check_table(table)
    _check_ax(ax)
    if max_shown is not None:
        max_shown = check_positive_int(max_shown, "max_shown", minimum=0)
    ax = _ax(ax, size=(6, 3))
    heads = table.virtual.numel()
    if table.bias is None:
        shown = 0
        ax.text(0.5, 0.5, "spatial encoding off:\nno bias by distance", ha="center",
                va="center", transform=ax.transAxes, fontsize=9, color="grey")
    else:
        shown = table.max_distance if max_shown is None else min(max_shown + 1,
                                                                 table.max_distance)
    virtual_x = shown + 0.5
    for h in range(heads):
        if shown:
            ax.plot(range(shown), table.bias[h, :shown].numpy(), marker="o", ms=4,
                    color=_head_color(h), label=f"head {h}")
        ax.scatter([virtual_x], [float(table.virtual[h])], marker="D", s=30,
                   color=_head_color(h), label=None if shown else f"head {h}")
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks([*range(shown), virtual_x])
    ax.set_xticklabels([*map(str, range(shown)), "VN"], fontsize=7)
    ax.set_xlabel("shortest-path distance d (VN: the virtual node's t)")
    ax.set_ylabel("bias added to the logit")
    ax.legend(fontsize=7, ncol=2)
    far = "" if table.bias is None else f"; >= {table.max_distance} hops or no path: masked"
    ax.set_title("learned spatial bias b[d] per head" + far, fontsize=9)
    return ax


def _order(distance: Tensor) -> list[int]:
    """Node ids sorted by (distance, id): the columns of the attention heatmap."""
    return sorted(range(distance.numel()), key=lambda j: (int(distance[j]), j))


def draw_attention_row(row: AttentionRow, distance: Tensor, ax: Any = None) -> Any:
    """Heatmap of ``row`` [H, 1 + N]: one line per head, the virtual node first, then the
    nodes ordered by their distance from ``row.node`` (groups separated by white lines and
    labelled d=...). Each line sums to 1."""
    row = _check_row(row)
    distance = _check_distance(distance, row.nodes.size(1))
    _check_ax(ax)
    ax = _ax(ax, size=(7, 3))
    order = _order(distance)
    values = np.concatenate([row.virtual[:, None].numpy(), row.nodes[:, order].numpy()], 1)
    image = ax.imshow(values, aspect="auto", cmap="Reds", vmin=0, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="attention weight")
    heads, columns = values.shape
    ax.set_yticks(range(heads))
    ax.set_yticklabels([f"head {h}" for h in range(heads)], fontsize=7)
    ax.set_xticks(range(columns))
    ax.set_xticklabels(["VN", *map(str, order)], fontsize=6 if columns <= 45 else 4,
                       rotation=90)
    ax.axvline(0.5, color="white", lw=2)
    ordered = [int(distance[j]) for j in order]
    centres, labels, start = [0.0], ["VN"], 0
    for k in range(1, len(ordered) + 1):
        if k == len(ordered) or ordered[k] != ordered[start]:
            centres.append((start + k - 1) / 2 + 1)  # column 0 is the virtual node
            labels.append("-" if ordered[start] >= UNREACHABLE else str(ordered[start]))
            if k < len(ordered):
                ax.axvline(k + 0.5, color="white", lw=1.5)
            start = k
    top = ax.secondary_xaxis("top")
    top.set_xticks(centres)
    top.set_xticklabels(labels, fontsize=6)
    top.set_xlabel("distance d from the node (-: no path)", fontsize=7)
    ax.set_xlabel("key j: the virtual node (VN), then the nodes by distance")
    ax.set_title(f"node {row.node}'s attention row, layer {row.layer + 1}", fontsize=9)
    return ax


def draw_attention_by_distance(row: AttentionRow, distance: Tensor, ax: Any = None) -> Any:
    """One line per head: the node's attention summed over the nodes at each distance d
    (:func:`~graphcourse.nn.graphormer_analysis.attention_by_distance`), with its weight on
    the virtual node apart at the right ("VN"), on the same axes as
    :func:`draw_bias_by_distance` so that the two can be compared."""
    row = _check_row(row)
    distance = _check_distance(distance, row.nodes.size(1))
    _check_ax(ax)
    ax = _ax(ax, size=(6, 3))
    mass = attention_by_distance(row, distance)  # [H, K + 2], last: no path
    shown = mass.size(1) - 1
    virtual_x = shown + 0.5
    for h in range(mass.size(0)):
        ax.plot(range(shown), mass[h, :shown].numpy(), marker="o", ms=4, color=_head_color(h),
                label=f"head {h}")
        ax.scatter([virtual_x], [float(row.virtual[h])], marker="D", s=30,
                   color=_head_color(h))
    ax.set_xticks([*range(shown), virtual_x])
    ax.set_xticklabels([*map(str, range(shown)), "VN"], fontsize=7)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("shortest-path distance d from the node (VN: the virtual node)")
    ax.set_ylabel("attention on nodes at d")
    ax.legend(fontsize=7, ncol=2)
    ax.set_title("where the attention goes, by distance", fontsize=9)
    return ax


def graphormer_summary(row: AttentionRow, distance: Tensor, table: SpatialBiasTable,
                       graph: int = 0, max_shown: int = 5) -> list[str]:
    """The lines the Graphormer explorer prints under its drawing: the graph, node and layer
    shown (``graph`` is the graph's index in the explorer's list; the layer is printed from
    1), how many nodes lie at each distance, then per head its weight on the virtual node, its
    attention per distance (the first ``max_shown`` distances), the node it weighs most, and
    its bias b^h[d] for those distances and t^h."""
    row = _check_row(row)
    distance = _check_distance(distance, row.nodes.size(1))
    table = _check_table(table)
    _check_heads(table, row)
    graph = check_positive_int(graph, "graph", minimum=0)
    max_shown = check_positive_int(max_shown, "max_shown")
    mass = attention_by_distance(row, distance)  # [H, K + 2]
    counts = mass.new_zeros(mass.size(1)).index_add_(
        0, distance.clamp(max=mass.size(1) - 1), mass.new_ones(distance.numel())).long()
    rings = ", ".join(f"{d}: {int(c)}" for d, c in enumerate(counts[:-1].tolist()))
    lines = [f"graph {graph}, node {row.node}, layer {row.layer + 1}: {distance.numel()} "
             f"nodes; nodes at each distance {{{rings}}}"
             + (f", {int(counts[-1])} with no path" if int(counts[-1]) else "")]
    shown = min(max_shown, mass.size(1) - 1)
    for h in range(mass.size(0)):
        top = int(row.nodes[h].argmax())
        by_distance = " ".join(f"{d}:{float(mass[h, d]):.2f}" for d in range(shown))
        if table.bias is None:
            bias = "no distance bias"
        else:
            lookup = table.lookup(distance.new_tensor(list(range(shown))))[h]
            bias = "b = " + " ".join(f"{float(b):+.2f}" for b in lookup)
        lines.append(f"head {h}: virtual {float(row.virtual[h]):.2f} | by distance "
                     f"{by_distance} | most on node {top} (d={int(distance[top])}, "
                     f"{float(row.nodes[h, top]):.2f}) | {bias}, t = "
                     f"{float(table.virtual[h]):+.2f}")
    return lines


def render_graphormer(edge_index: Tensor, num_nodes: int, distance: Tensor,
                      table: SpatialBiasTable, row: AttentionRow,
                      pos: dict | None = None) -> bytes:
    """PNG bytes of the Graphormer explorer's drawing, four panels: the graph coloured by
    distance from ``row.node``; the learned bias by distance per head; the node's attention
    row per head as a heatmap; its attention summed by distance, on the bias panel's axes.
    Made without pyplot: nothing is displayed or left open as a side effect."""
    from matplotlib.figure import Figure

    num_nodes = check_positive_int(num_nodes, "num_nodes")
    distance = _check_distance(distance, num_nodes)
    table = _check_table(table)
    row = _check_row(row, num_nodes)
    _check_heads(table, row)
    check_edge_index(edge_index, num_nodes)
    reached = distance < UNREACHABLE
    farthest = int(distance[reached].max())
    figure = Figure(figsize=(13, 8.4), layout="constrained")
    axes = figure.subplots(2, 2, gridspec_kw={"width_ratios": [1, 1.25]})
    draw_distance_graph(edge_index, num_nodes, distance, row.node, ax=axes[0, 0], pos=pos)
    draw_bias_by_distance(table, ax=axes[0, 1], max_shown=max(farthest, 1))
    draw_attention_row(row, distance, ax=axes[1, 0])
    draw_attention_by_distance(row, distance, ax=axes[1, 1])
    return figure_png(figure)
