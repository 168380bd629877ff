"""Drawing graphs, pixel grids and computation trees (chapters 01 and 02).

:func:`draw_graph` draws an undirected view of ``edge_index`` with a deterministic spring
:func:`layout`; :func:`draw_tree` draws a rooted tree level by level; :func:`render_tree` and
:func:`tree_summary` are what the k-hop explorer shows for a
:class:`~graphcourse.graphs.ComputationTree`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
from torch import Tensor

from .._validate import (
    check_bool,
    check_edge_index,
    check_instance,
    check_number,
    check_positive_int,
    check_tensor,
)
from ..graphs.trees import ComputationTree
from .figures import _ax, _check_ax, _check_title, figure_png


def _check_node_color(node_color: Any, count: int, what: str = "node") -> Any:
    """None, one colour (a string), or one value per node as a tensor, array or list."""
    if node_color is None or isinstance(node_color, str):
        return node_color
    if isinstance(node_color, Tensor):
        node_color = node_color.detach().cpu().numpy()
    if not isinstance(node_color, (np.ndarray, Sequence)):
        raise TypeError(f"node_color: expected a colour or one value per {what}, got "
                        f"{type(node_color).__name__}")
    if len(node_color) != count:
        raise ValueError(f"node_color: expected one value per {what} ({count}), got "
                         f"{len(node_color)}")
    return node_color


def _check_pos(pos: Any, num_nodes: int) -> None:
    if pos is None:
        return
    check_instance(pos, "pos", dict, "a dict node -> (x, y) such as layout() returns")
    missing = [v for v in range(num_nodes) if v not in pos]
    if missing:
        which = (f"node {missing[0]}" if len(missing) == 1 else
                 f"nodes {missing[:5]}{'...' if len(missing) > 5 else ''}")
        raise ValueError(f"pos: no position for {which}; make it with "
                         f"viz.layout(edge_index, {num_nodes})")


def _check_range(vmin: Any, vmax: Any) -> None:
    for name, value in (("vmin", vmin), ("vmax", vmax)):
        if value is not None:
            check_number(value, name)


def to_networkx(edge_index: Tensor, num_nodes: int) -> nx.Graph:
    """An undirected networkx graph with nodes 0..num_nodes-1 (for layout and drawing); loops
    are dropped. edge_index [2, E]."""
    num_nodes = check_positive_int(num_nodes, "num_nodes", minimum=0)
    check_edge_index(edge_index, num_nodes)
    graph = nx.Graph()
    graph.add_nodes_from(range(num_nodes))
    graph.add_edges_from((int(s), int(t)) for s, t in edge_index.t().tolist() if s != t)
    return graph


def layout(edge_index: Tensor, num_nodes: int, seed: int = 0) -> dict[int, np.ndarray]:
    """Deterministic spring layout (node -> (x, y)), the same for the same graph and seed."""
    seed = check_positive_int(seed, "seed", minimum=0)
    return nx.spring_layout(to_networkx(edge_index, num_nodes), seed=seed)


def draw_graph(edge_index: Tensor, num_nodes: int, node_color: Any = None,
               ax: Any = None, pos: dict | None = None, labels: bool = True,
               node_size: float = 300, cmap: str = "tab10", edge_alpha: float = 0.4,
               title: str | None = None, vmin: float | None = None,
               vmax: float | None = None) -> Any:
    """Draw an undirected view of a graph; ``node_color`` is one value per node (or a colour).

    Returns the axes. ``pos`` (node -> (x, y)) defaults to :func:`layout` with seed 0.
    """
    graph = to_networkx(edge_index, num_nodes)
    num_nodes = graph.number_of_nodes()
    node_color = _check_node_color(node_color, num_nodes)
    _check_ax(ax)
    _check_pos(pos, num_nodes)
    labels = check_bool(labels, "labels")
    check_number(node_size, "node_size", low=0)
    check_instance(cmap, "cmap", str, "a colour map name such as 'tab10'")
    check_number(edge_alpha, "edge_alpha", 0, 1)
    _check_title(title)
    _check_range(vmin, vmax)
    ax = _ax(ax)
    pos = layout(edge_index, num_nodes) if pos is None else pos
    nx.draw_networkx_edges(graph, pos, ax=ax, alpha=edge_alpha)
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=node_color if node_color is not None
                           else "#8fb8de", cmap=plt.get_cmap(cmap), node_size=node_size,
                           vmin=vmin, vmax=vmax, edgecolors="black", linewidths=0.5)
    if labels:
        nx.draw_networkx_labels(graph, pos, ax=ax, font_size=7)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def draw_image_graph(image: Tensor, edge_index: Tensor, ax: Any = None,
                     title: str | None = None) -> Any:
    """Draw an H x W image [H, W] as its pixel-grid graph: a node per pixel at its place,
    coloured by intensity, and the grid's edges (edge_index [2, E] over the H W pixels)."""
    check_tensor(image, "image", ndim=2)
    height, width = image.shape
    check_edge_index(edge_index, height * width)
    _check_ax(ax)
    _check_title(title)
    ax = _ax(ax)
    rows, cols = np.divmod(np.arange(height * width), width)
    for s, t in edge_index.t().tolist():
        if s < t:
            ax.plot([cols[s], cols[t]], [-rows[s], -rows[t]], color="grey", lw=0.5, zorder=1)
    ax.scatter(cols, -rows, c=image.detach().cpu().reshape(-1).numpy(), cmap="gray_r",
               s=120, edgecolors="black", linewidths=0.4, zorder=2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def draw_tree(parents: Sequence[int], graph_nodes: Sequence[int], levels: Sequence[int],
              ax: Any = None, node_color: Any = None, title: str | None = None,
              labels: bool = True, vmin: float | None = None,
              vmax: float | None = None) -> Any:
    """Draw a rooted tree given per tree-node ``parents`` (-1 for the root), the graph node
    each tree node stands for, and its level (root at the top). Leaves are spread evenly and
    each parent sits above the middle of its children."""
    for name, value in (("parents", parents), ("graph_nodes", graph_nodes), ("levels", levels)):
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise TypeError(f"{name}: expected a list of ints, one per tree node, got "
                            f"{type(value).__name__}")
    count = len(parents)
    if len(graph_nodes) != count or len(levels) != count:
        raise ValueError(f"graph_nodes, levels: expected one entry per tree node ({count} "
                         f"parents), got {len(graph_nodes)} and {len(levels)}")
    if any(not -1 <= p < count for p in parents):
        raise ValueError(f"parents: expected -1 (a root) or a tree node index in [0, {count})")
    node_color = _check_node_color(node_color, count, "tree node")
    _check_ax(ax)
    _check_title(title)
    labels = check_bool(labels, "labels")
    _check_range(vmin, vmax)
    ax = _ax(ax)
    children: list[list[int]] = [[] for _ in range(count)]
    for child, parent in enumerate(parents):
        if parent >= 0:
            children[parent].append(child)
    xs = np.zeros(count)
    next_leaf = [0.0]

    def place(node: int) -> float:
        if not children[node]:
            xs[node] = next_leaf[0]
            next_leaf[0] += 1.0
        else:
            xs[node] = float(np.mean([place(child) for child in children[node]]))
        return xs[node]

    for root in (i for i in range(count) if parents[i] < 0):
        place(root)
    ys = -np.asarray(levels, dtype=float)
    for child, parent in enumerate(parents):
        if parent >= 0:
            ax.plot([xs[parent], xs[child]], [ys[parent], ys[child]], color="grey", lw=0.6,
                    zorder=1)
    colors = node_color if node_color is not None else "#8fb8de"
    size = max(30, 300 - 2 * count)
    ax.scatter(xs, ys, c=colors, s=size, cmap="viridis", vmin=vmin, vmax=vmax,
               edgecolors="black", linewidths=0.5, zorder=2)
    if labels and count <= 80:
        for x, y, node in zip(xs, ys, graph_nodes):
            ax.annotate(str(node), (x, y), ha="center", va="center", fontsize=6, zorder=3)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def _check_tree(tree: Any) -> None:
    check_instance(tree, "tree", ComputationTree, "a ComputationTree",
                   "make one with graphs.computation_tree(edge_index, num_nodes, root, depth)")


def tree_summary(tree: ComputationTree) -> list[str]:
    """The lines the k-hop explorer prints under its drawing: level sizes and redundancy."""
    _check_tree(tree)
    return [f"level sizes (tree):     {tree.tree_sizes}",
            f"distinct graph nodes:   {tree.distinct_sizes}",
            f"redundancy: {tree.redundancy:.2f} tree nodes per distinct node"]


def render_tree(edge_index: Tensor, num_nodes: int, tree: ComputationTree,
                pos: dict[int, Any], max_depth: int) -> bytes:
    """PNG bytes of the k-hop explorer's drawing: left, the graph coloured by hop distance from
    ``tree.root`` (the last colour beyond ``tree.depth``); right, the computation tree.

    The figure is made without pyplot, so nothing is displayed or left open as a side effect.
    """
    from matplotlib.figure import Figure

    _check_tree(tree)
    num_nodes = check_positive_int(num_nodes, "num_nodes")
    max_depth = check_positive_int(max_depth, "max_depth", minimum=0)
    if max_depth < tree.depth:
        raise ValueError(f"max_depth: expected at least the tree's depth {tree.depth}, "
                         f"got {max_depth}")
    figure = Figure(figsize=(11, 4.8))
    left, right = figure.subplots(1, 2)
    colors = [tree.hops.get(v, max_depth + 1) for v in range(num_nodes)]
    draw_graph(edge_index, num_nodes, node_color=colors, ax=left, pos=pos, cmap="viridis",
               vmin=0, vmax=max_depth + 1,
               title=f"{len(tree.hops)} nodes within {tree.depth} hops of {tree.root}")
    cut = " (drawing cut)" if tree.truncated else ""
    draw_tree(tree.parents, tree.graph_nodes, tree.levels, ax=right, node_color=tree.levels,
              vmin=0, vmax=max_depth + 1,
              title=f"computation tree: {sum(tree.tree_sizes)} tree nodes{cut}")
    return figure_png(figure)
