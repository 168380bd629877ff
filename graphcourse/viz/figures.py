"""Figures and the plots every chapter shares: PNG bytes for widgets, embeddings, curves.

Every plotting function draws on a given matplotlib ``ax`` (or a new one) and returns what it
drew on, so notebooks compose figures without copying plotting code.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from torch import Tensor

from .._validate import check_finite, check_instance, check_positive_int, check_tensor


def _ax(ax: Any = None, size: tuple[float, float] = (5, 5)) -> Any:
    """``ax``, or the axes of a new pyplot figure of ``size`` inches."""
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _check_ax(ax: Any) -> None:
    from matplotlib.axes import Axes

    if ax is not None:
        check_instance(ax, "ax", Axes, "a matplotlib Axes or None",
                       "pass one of the axes from plt.subplots()")


def _check_title(title: Any, name: str = "title") -> None:
    if title is not None:
        check_instance(title, name, str, "a string or None")


def figure_png(figure: Any, dpi: int = 80) -> bytes:
    """PNG bytes of a matplotlib ``figure``, rendered with the Agg canvas, and the figure closed.

    For widgets that show a drawing in an ``ipywidgets.Image``: make the figure with
    ``matplotlib.figure.Figure`` (not pyplot), so that nothing is displayed as a side effect.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    check_instance(figure, "figure", Figure, "a matplotlib Figure")
    dpi = check_positive_int(dpi, "dpi")
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)  # a no-op unless pyplot manages the figure
    return buffer.getvalue()


def plot_embeddings(h: Tensor, y: Tensor | None = None, ax: Any = None,
                    title: str | None = None, cmap: str = "tab10") -> Any:
    """Scatter node embeddings h [N, F], coloured by labels y [N]; F > 2 is projected on its
    first two principal axes, F = 1 is drawn on a line."""
    check_tensor(h, "h", ndim=2, floating=True)
    check_finite(h, "h")
    if y is not None:
        check_tensor(y, "y", ndim=1)
        if y.numel() != h.size(0):
            raise ValueError(f"y: expected one label per row of h ({h.size(0)}), got "
                             f"{y.numel()}")
    _check_ax(ax)
    _check_title(title)
    check_instance(cmap, "cmap", str, "a colour map name such as 'tab10'")
    points = h.detach().cpu().double().numpy()
    if points.shape[1] > 2:
        from sklearn.decomposition import PCA

        points = PCA(n_components=2, random_state=0).fit_transform(points)  # [N, 2]
    elif points.shape[1] == 1:
        points = np.concatenate([points, np.zeros_like(points)], axis=1)  # [N, 1] -> [N, 2]
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
    with the training loss on a second axis. ``metrics`` picks some of ``history.metrics``
    (default: all)."""
    if not all(hasattr(history, name) for name in ("loss", "metrics", "epochs_evaluated")) \
            or not isinstance(history.metrics, dict):
        raise TypeError(f"history: expected a graphcourse.train.History (what train.fit "
                        f"returns), got {type(history).__name__}")
    if metrics is None:
        metrics = list(history.metrics)
    elif isinstance(metrics, str) or not isinstance(metrics, Sequence):
        raise TypeError(f"metrics: expected a list of metric names such as ['train', 'val'], "
                        f"got {type(metrics).__name__}")
    metrics = list(metrics)
    for name in metrics:
        if name not in history.metrics:
            raise ValueError(f"metrics: {name!r} was not recorded; the history has "
                             f"{sorted(history.metrics)}")
    _check_ax(ax)
    _check_title(title)
    ax = _ax(ax, size=(6, 3.5))
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
