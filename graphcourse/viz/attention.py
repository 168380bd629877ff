"""Drawing a GAT's attention (chapter 03): one node's neighbours, its heads, entropies.

The numbers come from :mod:`graphcourse.nn.analysis` (a
:class:`~graphcourse.nn.analysis.NodeAttention`,
:func:`~graphcourse.nn.analysis.attention_entropy`); :func:`render_attention` and
:func:`node_attention_summary` are what the attention explorer shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from torch import Tensor

from .._validate import _as_int, check_index, check_instance, check_positive_int
from ..nn.analysis import NodeAttention, attention_entropy, check_attention, uniform_entropy
from .figures import _ax, _check_ax, _check_title, figure_png


def _check_node_attention(attention: Any) -> None:
    check_instance(attention, "attention", NodeAttention, "a NodeAttention",
                   "make one with nn.analysis.node_attention(edge_index, alpha, node, N)")


def _check_labels(labels: Any, attention: NodeAttention) -> None:
    """None, or one class per graph node: long enough for every node drawn."""
    if labels is None:
        return
    if isinstance(labels, Tensor):
        labels = labels.tolist()
    if isinstance(labels, str) or not isinstance(labels, (Sequence, np.ndarray)):
        raise TypeError(f"labels: expected one class per graph node (a list of ints), got "
                        f"{type(labels).__name__}")
    highest = max([attention.node, *attention.neighbours])
    if len(labels) <= highest:
        raise ValueError(f"labels: expected one class per graph node, got {len(labels)} "
                         f"labels but node {highest} is drawn")


def draw_node_attention(attention: NodeAttention, head: int, ax: Any = None,
                        labels: Sequence[int] | None = None, max_neighbours: int = 24,
                        title: str | None = None) -> Any:
    """Draw ``attention.node`` in the centre and its neighbours on a circle, each edge's width
    proportional to its weight under ``head`` (the largest is 8 points wide); the self-loop
    weight is written under the centre node and thickens its outline.
    ``labels`` (one class per graph node) colours the nodes."""
    import matplotlib.pyplot as plt

    _check_node_attention(attention)
    head = check_index(head, attention.heads, "head", "a head index")
    _check_ax(ax)
    _check_labels(labels, attention)
    max_neighbours = check_positive_int(max_neighbours, "max_neighbours")
    _check_title(title)
    if isinstance(labels, Tensor):
        labels = labels.tolist()
    ax = _ax(ax)
    weights = attention.weights[:, head].tolist()
    pairs = [(j, w) for j, w in zip(attention.neighbours, weights) if j != attention.node]
    self_weight = sum(w for j, w in zip(attention.neighbours, weights) if j == attention.node)
    shown = pairs[:max_neighbours]
    widest = max([w for _, w in shown] + [self_weight, 1e-12])  # widths proportional to weight
    cmap = plt.get_cmap("tab10")

    def color(v: int) -> Any:
        return cmap(int(labels[v]) % 10) if labels is not None else "#8fb8de"

    for k, (j, w) in enumerate(shown):
        angle = 2 * math.pi * k / max(len(shown), 1)
        px, py = math.cos(angle), math.sin(angle)
        ax.plot([0, px], [0, py], color="#d62728", lw=8.0 * w / widest, alpha=0.75, zorder=1,
                solid_capstyle="round")
        ax.scatter([px], [py], s=330, color=color(j), edgecolors="black", zorder=2)
        ax.annotate(str(j), (px, py), ha="center", va="center", fontsize=7, zorder=3)
        ax.annotate(f"{w:.2f}", (0.62 * px, 0.62 * py), ha="center", va="center", fontsize=7,
                    zorder=3, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "lw": 0})
    ax.scatter([0], [0], s=520, color=color(attention.node), edgecolors="black",
               linewidths=0.5 + 4.0 * self_weight / widest, zorder=2)
    ax.annotate(str(attention.node), (0, 0), ha="center", va="center", fontsize=8, zorder=3)
    ax.annotate(f"self {self_weight:.2f}", (0, -0.2), ha="center", va="top", fontsize=8)
    ax.set_xlim(-1.25, 1.25)
    ax.set_ylim(-1.25, 1.25)
    ax.set_aspect("equal")
    ax.set_axis_off()
    more = f" ({len(pairs) - len(shown)} not shown)" if len(pairs) > len(shown) else ""
    ax.set_title(title or f"node {attention.node}, head {head}: {len(pairs)} neighbours{more}",
                 fontsize=9)
    return ax


def draw_head_comparison(attention: NodeAttention, ax: Any = None, max_neighbours: int = 16) -> Any:
    """Bars of every head's weight on each neighbour (the heaviest ``max_neighbours``), with
    the uniform weight 1/deg(i) as a dashed line, where deg(i) counts every edge into the node,
    its self-loop included (the softmax runs over all of them, shown or not)."""
    _check_node_attention(attention)
    _check_ax(ax)
    max_neighbours = check_positive_int(max_neighbours, "max_neighbours")
    ax = _ax(ax, size=(6, 3))
    weights = attention.weights[:max_neighbours].detach().cpu().numpy()  # [shown, H]
    count, heads = weights.shape
    width = 0.8 / heads
    positions = np.arange(count)
    for h in range(heads):
        ax.bar(positions + (h - (heads - 1) / 2) * width, weights[:, h], width, label=f"head {h}")
    in_degree = len(attention.neighbours)  # deg(i), self-loop included
    ax.axhline(1.0 / max(in_degree, 1), color="black", ls="--", lw=1,
               label="uniform 1/deg(i)")
    ax.set_xticks(positions)
    ax.set_xticklabels([str(j) + ("*" if j == attention.node else "")
                        for j in attention.neighbours[:max_neighbours]], fontsize=7)
    ax.set_xlabel("neighbour j (* = the node itself)")
    ax.set_ylabel("alpha_ij")
    ax.legend(fontsize=7, ncol=2)
    ax.set_title("all heads on the same neighbours", fontsize=9)
    return ax


def draw_entropy_histogram(edge_index: Tensor, alpha: Tensor, num_nodes: int,
                           head: int | None = None, ax: Any = None, bins: int = 30) -> Any:
    """Histogram of the nodes' attention entropies (one head, or all heads pooled) against the
    entropies log(deg) that uniform attention would give. alpha [E, H] (weights)."""
    alpha = check_attention(edge_index, alpha, num_nodes)
    if head is not None:
        head = check_index(head, alpha.size(1), "head", "a head index")
    _check_ax(ax)
    bins = check_positive_int(bins, "bins")
    ax = _ax(ax, size=(6, 3))
    entropy = attention_entropy(edge_index, alpha, num_nodes)  # [N, H]
    entropy = entropy.reshape(-1) if head is None else entropy[:, head]
    uniform = uniform_entropy(edge_index, num_nodes)
    top = float(max(entropy.max(), uniform.max())) + 1e-6
    edges = np.linspace(0, top, bins + 1)
    ax.hist(uniform.numpy(), bins=edges, alpha=0.5, color="grey", label="uniform: log(deg)")
    ax.hist(entropy.numpy(), bins=edges, alpha=0.6, color="#d62728",
            weights=np.full(entropy.numel(), uniform.numel() / max(entropy.numel(), 1)),
            label="learned attention")
    ax.set_xlabel("entropy of a node's attention (nats)")
    ax.set_ylabel("nodes")
    ax.legend(fontsize=8)
    which = "all heads" if head is None else f"head {head}"
    ax.set_title(f"attention entropy, {which}", fontsize=9)
    return ax


def node_attention_summary(attention: NodeAttention, layer: int, head: int,
                           summary: dict[str, float]) -> list[str]:
    """The lines the attention explorer prints under its drawing: the node's entropy per head
    against uniform attention over its deg(i) inputs, then the layer's ``summary`` for
    ``head`` (what :func:`~graphcourse.nn.analysis.entropy_summary` returns). ``layer`` counts
    from 0 and is printed from 1."""
    _check_node_attention(attention)
    layer = check_positive_int(layer, "layer", minimum=0)
    head = check_index(head, attention.heads, "head", "a head index")
    check_instance(summary, "summary", dict, "the dict entropy_summary returns")
    missing = {"entropy", "uniform", "ratio"} - set(summary)
    if missing:
        raise ValueError(f"summary: missing {sorted(missing)} (expected what "
                         "entropy_summary returns)")
    entropies = ", ".join(f"{value:.2f}" for value in attention.entropy().tolist())
    return [f"node {attention.node}: {len(attention.neighbours)} edges in (self included); "
            f"entropy per head [{entropies}] vs uniform "
            f"{math.log(max(len(attention.neighbours), 1)):.2f}",
            f"layer {layer + 1}, head {head}: mean entropy {summary['entropy']:.3f} vs uniform "
            f"{summary['uniform']:.3f} (ratio {summary['ratio']:.3f})"]


def render_attention(attention: NodeAttention, head: int, edge_index: Tensor, alpha: Tensor,
                     num_nodes: int, labels: Sequence[int] | None = None) -> bytes:
    """PNG bytes of the attention explorer's drawing: :func:`draw_node_attention` for
    ``head``, :func:`draw_head_comparison`, and :func:`draw_entropy_histogram` of the layer
    ``(edge_index, alpha)`` for ``head``. Made without pyplot: nothing is displayed or left
    open as a side effect."""
    from matplotlib.figure import Figure

    _check_node_attention(attention)
    head = _as_int(head, "head", "a head index (an int)")
    figure = Figure(figsize=(15, 4.6), layout="tight")
    axes = figure.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1.3, 1.3]})
    draw_node_attention(attention, head, ax=axes[0], labels=labels)
    draw_head_comparison(attention, ax=axes[1])
    draw_entropy_histogram(edge_index, alpha, num_nodes, head=head, ax=axes[2])
    return figure_png(figure)
