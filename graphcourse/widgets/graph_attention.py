"""The graph attention explorer (chapter 03).

Pure functions compute what is drawn from a trained GAT's attention coefficients, given as
``(edge_index [2, E], alpha [E, H])`` per layer (what ``GATLayer(..., return_attention=True)``
and ``GAT.attention`` return; the edges include the self-loops):

- :func:`node_attention`: one node's neighbours and the weight each head gives them.
- :func:`attention_entropy` / :func:`uniform_entropy`: how peaked each node's attention is,
  against the entropy ``log(deg)`` of uniform attention over the same neighbourhood.
- :func:`head_agreement`: how similar two heads' distributions are, averaged over nodes.
- :func:`attention_by_label`: attention relative to uniform on edges within and across classes.

:func:`attention_explorer` is the view: pick a layer, a head and a node, see the node's
neighbours with edge widths by attention weight, all heads side by side, and the histogram of
attention entropies against uniform attention. It draws a PNG (:func:`render_attention`) into
an ``ipywidgets.Image`` and prints :func:`explorer_summary` into an ``HTML`` widget.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor
from torch_geometric.utils import degree, scatter

from .._validate import check_edge_index, check_node, check_positive_int, check_tensor


def _check_attention(edge_index: Tensor, alpha: Tensor, num_nodes: int) -> Tensor:
    check_positive_int(num_nodes, "num_nodes")
    check_edge_index(edge_index, num_nodes)
    check_tensor(alpha, "alpha", floating=True)
    if alpha.dim() == 1:
        alpha = alpha.view(-1, 1)  # one head
    if alpha.dim() != 2 or alpha.size(0) != edge_index.size(1):
        raise ValueError(f"alpha: expected shape [E, H] with E = {edge_index.size(1)} edges, "
                         f"got {list(alpha.shape)}")
    return alpha.detach()


@dataclass
class NodeAttention:
    """Where one node looks: its in-neighbours (itself included, if the self-loop is among the
    edges) and each head's weight on them, sorted by the heads' mean weight, largest first.

    Attributes:
        node: the receiving node i.
        neighbours: the senders j, one per edge j -> i (a repeated edge appears twice), so
            ``len(neighbours)`` is deg(i), the in-degree (with the self-loop, which GAT's
            attention always includes).
        weights: alpha_ij per neighbour and head, [deg(i), H]; each column sums to 1.
    """

    node: int
    neighbours: list[int]
    weights: Tensor

    @property
    def heads(self) -> int:
        return int(self.weights.size(1))

    def entropy(self) -> Tensor:
        """Entropy of each head's distribution over the neighbours, in nats: [H].

        The same formula as :func:`attention_entropy` (which computes it here, in float64),
        for the deg(i) edges into this one node.
        """
        weights = self.weights.detach().double()
        into_node = torch.zeros(2, weights.size(0), dtype=torch.long,
                                device=weights.device)  # deg(i) edges, all into node 0
        return attention_entropy(into_node, weights, 1)[0].float()  # [H]


def node_attention(edge_index: Tensor, alpha: Tensor, node: int, num_nodes: int) -> NodeAttention:
    """The attention of ``node`` over its in-neighbours: see :class:`NodeAttention`."""
    alpha = _check_attention(edge_index, alpha, num_nodes)
    node = check_node(node, num_nodes)
    incoming = torch.nonzero(edge_index[1] == node).view(-1)  # edge ids j -> node
    weights = alpha[incoming]  # [deg(i), H]
    order = torch.argsort(weights.mean(dim=1), descending=True, stable=True)
    return NodeAttention(node, edge_index[0, incoming[order]].tolist(), weights[order].clone())


def attention_entropy(edge_index: Tensor, alpha: Tensor, num_nodes: int) -> Tensor:
    """Entropy ``-sum_j alpha_ij log alpha_ij`` of every node's attention, per head: [N, H].

    0 means the node attends to a single neighbour; ``log(deg(i))`` (see
    :func:`uniform_entropy`) means it weighs all its neighbours equally, as a GCN-like mean.
    Nodes with no incoming edge get 0.
    """
    alpha = _check_attention(edge_index, alpha, num_nodes)
    terms = -(alpha * torch.log(alpha.clamp_min(1e-30)))  # [E, H]
    return scatter(terms, edge_index[1], dim=0, dim_size=num_nodes, reduce="sum")  # [N, H]


def uniform_entropy(edge_index: Tensor, num_nodes: int) -> Tensor:
    """Entropy of uniform attention over each node's in-neighbours, ``log(deg(i))``: [N]."""
    check_positive_int(num_nodes, "num_nodes")
    check_edge_index(edge_index, num_nodes)
    deg = degree(edge_index[1], num_nodes)  # [N]
    return torch.log(deg.clamp_min(1.0))


def head_agreement(edge_index: Tensor, alpha: Tensor, num_nodes: int) -> Tensor:
    """How alike the heads attend: ``1 - TV(alpha_h(i), alpha_g(i))`` averaged over the nodes
    that receive edges, for every pair of heads (h, g): [H, H], with 1 on the diagonal.

    TV is the total-variation distance ``1/2 sum_j |alpha_h,ij - alpha_g,ij|``: 1 means the two
    heads weigh every neighbour identically, 0 that they put their weight on disjoint sets.
    """
    alpha = _check_attention(edge_index, alpha, num_nodes)
    heads = alpha.size(1)
    receives = degree(edge_index[1], num_nodes) > 0  # [N]
    out = torch.ones(heads, heads)
    for h in range(heads):
        for g in range(h + 1, heads):
            gap = scatter((alpha[:, h] - alpha[:, g]).abs(), edge_index[1], dim=0,
                          dim_size=num_nodes, reduce="sum")  # [N]
            out[h, g] = out[g, h] = 1.0 - 0.5 * float(gap[receives].mean())
    return out


def entropy_summary(edge_index: Tensor, alpha: Tensor, num_nodes: int) -> dict[str, float]:
    """Mean attention entropy over nodes and heads, the mean uniform entropy, and their ratio
    (1.0: attention is as flat as a mean over the neighbours)."""
    entropy = attention_entropy(edge_index, alpha, num_nodes).mean(dim=1)  # [N]
    uniform = uniform_entropy(edge_index, num_nodes)
    ratio = float(entropy.sum() / uniform.sum()) if float(uniform.sum()) > 0 else 1.0
    return {"entropy": float(entropy.mean()), "uniform": float(uniform.mean()), "ratio": ratio}


def attention_by_label(edge_index: Tensor, alpha: Tensor, y: Tensor,
                       num_nodes: int) -> dict[str, float]:
    """Mean attention relative to uniform, ``alpha_ij * deg(i)``, on three kinds of edge:
    ``'same'`` (j -> i with y[j] == y[i], j != i), ``'other'`` (y[j] != y[i]) and ``'self'``
    (the self-loops), averaged over edges and heads. 1.0 is what uniform attention gives; a
    layer that listens more to neighbours of its own class has ``same > 1 > other``. A kind
    with no edge gets ``nan``.
    """
    alpha = _check_attention(edge_index, alpha, num_nodes)
    check_tensor(y, "y", ndim=1)
    if y.numel() != num_nodes:
        raise ValueError(f"y: expected one label per node ({num_nodes}), got {y.numel()}")
    source, target = edge_index
    relative = alpha * degree(target, num_nodes)[target].view(-1, 1)  # [E, H]
    loop = source == target
    agree = y[source] == y[target]
    kinds = {"same": agree & ~loop, "other": ~agree & ~loop, "self": loop}
    return {name: float(relative[mask].mean()) if bool(mask.any()) else float("nan")
            for name, mask in kinds.items()}


# --------------------------------------------------------------------------- drawing
def draw_node_attention(attention: NodeAttention, head: int, ax: Any = None,
                        labels: Sequence[int] | None = None, max_neighbours: int = 24,
                        title: str | None = None) -> Any:
    """Draw ``attention.node`` in the centre and its neighbours on a circle, each edge's width
    proportional to its weight under ``head`` (the largest is 8 points wide); the self-loop
    weight is written under the centre node and thickens its outline.
    ``labels`` (one class per graph node) colours the nodes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
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
    import matplotlib.pyplot as plt
    import numpy as np

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    weights = attention.weights[:max_neighbours].numpy()  # [shown, H]
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
    entropies log(deg) that uniform attention would give."""
    import matplotlib.pyplot as plt
    import numpy as np

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
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


def explorer_summary(attention: NodeAttention, layer: int, head: int,
                     summary: dict[str, float]) -> list[str]:
    """The lines the explorer prints under its drawing: the node's entropy per head against
    uniform attention over its deg(i) inputs, then the layer's ``summary`` for ``head`` (what
    :func:`entropy_summary` returns). ``layer`` counts from 0 and is printed from 1."""
    entropies = ", ".join(f"{value:.2f}" for value in attention.entropy().tolist())
    return [f"node {attention.node}: {len(attention.neighbours)} edges in (self included); "
            f"entropy per head [{entropies}] vs uniform "
            f"{math.log(max(len(attention.neighbours), 1)):.2f}",
            f"layer {layer + 1}, head {head}: mean entropy {summary['entropy']:.3f} vs uniform "
            f"{summary['uniform']:.3f} (ratio {summary['ratio']:.3f})"]


def render_attention(attention: NodeAttention, head: int, edge_index: Tensor, alpha: Tensor,
                     num_nodes: int, labels: Sequence[int] | None = None) -> bytes:
    """PNG bytes of the explorer's drawing: :func:`draw_node_attention` for ``head``,
    :func:`draw_head_comparison`, and :func:`draw_entropy_histogram` of the layer
    ``(edge_index, alpha)`` for ``head``. Made without pyplot: nothing is displayed or left
    open as a side effect."""
    from matplotlib.figure import Figure

    from ..viz import figure_png

    figure = Figure(figsize=(15, 4.6), layout="tight")
    axes = figure.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1.3, 1.3]})
    draw_node_attention(attention, head, ax=axes[0], labels=labels)
    draw_head_comparison(attention, ax=axes[1])
    draw_entropy_histogram(edge_index, alpha, num_nodes, head=head, ax=axes[2])
    return figure_png(figure)


def attention_explorer(model: Any, data: Any, layer: int = 0, head: int = 0, node: int = 0,
                       attention: list[tuple[Tensor, Tensor]] | None = None) -> Any:
    """Pick a layer, a head and a node of a trained GAT: left, the node's neighbours with edge
    widths by attention weight; middle, all heads on the same neighbours; right, the histogram
    of attention entropies of that layer and head against uniform attention.

    ``attention`` defaults to ``model.attention(data.x, data.edge_index)`` (eval mode). The
    returned widget's ``shown`` attribute holds the :class:`NodeAttention` on display and
    ``head`` the head drawn, for tests and for curious students.

    The drawing is a PNG in an ``ipywidgets.Image`` (:func:`render_attention`) and the numbers
    an ``HTML`` widget (:func:`explorer_summary`), so a redraw only updates widget values. No
    ``ipywidgets.Output`` is used: while a cell that writes into an Output widget runs under a
    headless client (nbconvert, nbval, nbgrader's autograde), the client mimics the widget by
    sending comm messages to the kernel on the channel where it waits for the cell's reply, and
    nbclient can then miss the reply until the cell's timeout (nbclient issue #312).
    """
    import ipywidgets as widgets

    if attention is None:
        attention = model.attention(data.x, data.edge_index)
    num_nodes = int(data.num_nodes)
    labels = data.y.tolist() if getattr(data, "y", None) is not None else None
    layer_picker = widgets.Dropdown(options=[(f"layer {k + 1}", k) for k in range(len(attention))],
                                    value=layer, description="layer")
    head_slider = widgets.IntSlider(value=head, min=0, max=attention[layer][1].size(1) - 1,
                                    description="head")
    node_picker = widgets.BoundedIntText(value=node, min=0, max=num_nodes - 1, description="node")
    picture = widgets.Image(format="png")
    numbers = widgets.HTML()
    box = widgets.VBox([widgets.HBox([layer_picker, head_slider, node_picker]), picture, numbers])

    updating = [False]

    def redraw(*_: Any) -> None:
        if updating[0]:
            return
        edge_index, alpha = attention[layer_picker.value]
        updating[0] = True
        try:  # a layer with fewer heads: clamp the head before drawing, once
            head_slider.max = alpha.size(1) - 1
        finally:
            updating[0] = False
        h = head_slider.value
        local = node_attention(edge_index, alpha, node_picker.value, num_nodes)
        summary = entropy_summary(edge_index, alpha[:, h:h + 1], num_nodes)
        box.shown, box.head = local, h
        picture.value = render_attention(local, h, edge_index, alpha, num_nodes, labels)
        lines = explorer_summary(local, layer_picker.value, h, summary)
        numbers.value = "<pre>" + html.escape("\n".join(lines)) + "</pre>"

    for control in (layer_picker, head_slider, node_picker):
        control.observe(redraw, names="value")
    redraw()
    return box
