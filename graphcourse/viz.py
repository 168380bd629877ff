"""Static plots shared by the chapters: graphs, computation trees, embeddings, curves.

Every function draws on a given matplotlib ``ax`` (or a new one) and returns what it drew on,
so notebooks compose figures without copying plotting code.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
from torch import Tensor

from ._validate import check_edge_index, check_tensor


def _ax(ax: Any = None, size: tuple[float, float] = (5, 5)) -> Any:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def figure_png(figure: Any, dpi: int = 80) -> bytes:
    """PNG bytes of a matplotlib ``figure``, rendered with the Agg canvas, and the figure closed.

    For widgets that show a drawing in an ``ipywidgets.Image``: make the figure with
    ``matplotlib.figure.Figure`` (not pyplot), so that nothing is displayed as a side effect.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)  # a no-op unless pyplot manages the figure
    return buffer.getvalue()


def to_networkx(edge_index: Tensor, num_nodes: int) -> nx.Graph:
    """An undirected networkx graph with nodes 0..num_nodes-1 (for layout and drawing)."""
    check_edge_index(edge_index, num_nodes)
    graph = nx.Graph()
    graph.add_nodes_from(range(num_nodes))
    graph.add_edges_from((int(s), int(t)) for s, t in edge_index.t().tolist() if s != t)
    return graph


def layout(edge_index: Tensor, num_nodes: int, seed: int = 0) -> dict[int, np.ndarray]:
    """Deterministic spring layout (node -> (x, y)), the same for the same graph and seed."""
    return nx.spring_layout(to_networkx(edge_index, num_nodes), seed=seed)


def draw_graph(edge_index: Tensor, num_nodes: int, node_color: Any = None,
               ax: Any = None, pos: dict | None = None, labels: bool = True,
               node_size: float = 300, cmap: str = "tab10", edge_alpha: float = 0.4,
               title: str | None = None, vmin: float | None = None,
               vmax: float | None = None) -> Any:
    """Draw an undirected view of a graph; ``node_color`` is one value per node (or a colour).

    Returns the axes. ``pos`` defaults to :func:`layout` with seed 0.
    """
    ax = _ax(ax)
    graph = to_networkx(edge_index, num_nodes)
    pos = layout(edge_index, num_nodes) if pos is None else pos
    if isinstance(node_color, Tensor):
        node_color = node_color.detach().cpu().numpy()
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


def draw_tree(parents: Sequence[int], graph_nodes: Sequence[int], levels: Sequence[int],
              ax: Any = None, node_color: Any = None, title: str | None = None,
              labels: bool = True, vmin: float | None = None,
              vmax: float | None = None) -> Any:
    """Draw a rooted tree given per tree-node ``parents`` (-1 for the root), the graph node
    each tree node stands for, and its level (root at the top). Leaves are spread evenly and
    each parent sits above the middle of its children."""
    ax = _ax(ax)
    count = len(parents)
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


def plot_embeddings(h: Tensor, y: Tensor | None = None, ax: Any = None,
                    title: str | None = None, cmap: str = "tab10") -> Any:
    """Scatter node embeddings [N, F]; F > 2 is projected on its first two principal axes."""
    check_tensor(h, "h", ndim=2, floating=True)
    points = h.detach().cpu().double().numpy()
    if points.shape[1] > 2:
        from sklearn.decomposition import PCA

        points = PCA(n_components=2, random_state=0).fit_transform(points)
    elif points.shape[1] == 1:
        points = np.concatenate([points, np.zeros_like(points)], axis=1)
    ax = _ax(ax)
    colors = None if y is None else y.detach().cpu().numpy()
    ax.scatter(points[:, 0], points[:, 1], c=colors, cmap=cmap, s=18, edgecolors="none")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def plot_history(history: Any, metrics: Sequence[str] | None = None, ax: Any = None,
                 title: str | None = None) -> Any:
    """Plot the accuracy-like metrics of a :class:`graphcourse.train.History` per epoch,
    with the training loss on a second axis."""
    ax = _ax(ax, size=(6, 3.5))
    metrics = list(history.metrics) if metrics is None else list(metrics)
    for name in metrics:
        ax.plot(history.epochs_evaluated, history.metrics[name], label=name)
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    ax.set_ylim(0, 1.02)
    loss_ax = ax.twinx()
    loss_ax.plot(range(1, len(history.loss) + 1), history.loss, color="grey", ls=":",
                 label="train loss")
    loss_ax.set_ylabel("loss")
    lines = ax.get_legend_handles_labels()
    more = loss_ax.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], loc="center right", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def draw_image_graph(image: Tensor, edge_index: Tensor, ax: Any = None,
                     title: str | None = None) -> Any:
    """Draw an H x W image as its pixel-grid graph: a node per pixel at its place, coloured
    by intensity, and the grid's edges."""
    check_tensor(image, "image", ndim=2)
    height, width = image.shape
    check_edge_index(edge_index, height * width)
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

