"""Drawing a Transformer's attention and positional encodings (chapter 04).

The numbers come from :mod:`graphcourse.nn.analysis` (an
:class:`~graphcourse.nn.analysis.AttentionView` or
:class:`~graphcourse.nn.analysis.PositionalView`); :func:`plot_attention` draws any attention
matrix as a heatmap with token labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torch import Tensor

from .._validate import check_instance, check_positive_int, check_tensor
from ..nn.analysis import AttentionView, PositionalView
from .figures import _ax, _check_ax, _check_title, figure_png

KIND_NAMES = {"encoder": "encoder self-attention", "decoder": "decoder self-attention (masked)",
              "cross": "encoder-decoder attention"}


def _check_labels(labels: Any, name: str, count: int, what: str) -> list[str]:
    if isinstance(labels, str) or not isinstance(labels, Sequence):
        raise TypeError(f"{name}: expected a list of {count} token labels, got "
                        f"{type(labels).__name__}")
    if len(labels) != count:
        raise ValueError(f"{name}: expected one label per {what} ({count}), got {len(labels)}")
    return [str(label) for label in labels]


def plot_attention(weights: Tensor, rows: Sequence[str], cols: Sequence[str], ax: Any = None,
                   title: str | None = None, xlabel: str = "key", ylabel: str = "query") -> Any:
    """Heatmap of an attention matrix [T_q, T_k] with token labels (``rows`` [T_q], ``cols``
    [T_k]); returns the axes."""
    check_tensor(weights, "weights", ndim=2, floating=True)
    rows = _check_labels(rows, "rows", weights.size(0), "query (row of weights)")
    cols = _check_labels(cols, "cols", weights.size(1), "key (column of weights)")
    _check_ax(ax)
    _check_title(title)
    _check_title(xlabel, "xlabel")
    _check_title(ylabel, "ylabel")
    ax = _ax(ax, size=(4.5, 4))
    matrix = weights.detach().cpu().float().numpy()
    image = ax.imshow(matrix, cmap="Blues", vmin=0.0, vmax=max(float(matrix.max()), 1e-9))
    ax.set_xticks(range(len(cols)), cols, fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def render_attention_view(view: AttentionView) -> bytes:
    """PNG bytes of the Transformer attention explorer's heatmap of ``view``. Made without
    pyplot: nothing is displayed or left open as a side effect."""
    from matplotlib.figure import Figure

    check_instance(view, "view", AttentionView, "an AttentionView",
                   "make one with nn.analysis.attention_view(model, digits, ...)")
    figure = Figure(figsize=(5.2, 4.4), layout="tight")
    ax = figure.subplots()
    xlabel = "source token (key)" if view.kind != "decoder" else "decoder input (key)"
    ylabel = "source token (query)" if view.kind == "encoder" else "predicted token"
    plot_attention(view.weights, view.rows, view.cols, ax=ax, xlabel=xlabel, ylabel=ylabel,
                   title=f"{KIND_NAMES[view.kind]}, layer {view.layer}, head {view.head}")
    return figure_png(figure)


def attention_view_summary(view: AttentionView | None, limit: int) -> str:
    """The Transformer attention explorer's text line: the decoded output (and whether it is
    right), or what to type when the input is not 1 to ``limit`` digits (``view`` None)."""
    if view is not None:
        check_instance(view, "view", AttentionView, "an AttentionView or None")
    limit = check_positive_int(limit, "limit")
    if view is None:
        return f"Type 1 to {limit} digits (0-9)."
    verdict = "" if not view.expected else ("  (right)" if view.correct
                                             else f"  (expected {view.expected})")
    return f"input {view.source}  ->  output {view.output}{verdict}"


def render_positional(view: PositionalView) -> bytes:
    """PNG bytes of the positional-encoding explorer: the table with the chosen row and
    column marked, one dimension's wave across positions, and the chosen position's dot
    product with every position. Made without pyplot."""
    from matplotlib.figure import Figure

    check_instance(view, "view", PositionalView, "a PositionalView",
                   "make one with nn.analysis.positional_view(position, dimension, ...)")
    figure = Figure(figsize=(13, 3.6), layout="tight")
    table, wave, near = figure.subplots(1, 3)
    table.imshow(view.encoding.numpy(), cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    table.axhline(view.position, color="black", lw=1)
    table.axvline(view.dimension, color="black", lw=1, ls="--")
    table.set_xlabel("dimension")
    table.set_ylabel("position")
    table.set_title("PE table (row = position)")
    wave.plot(view.column.numpy(), marker=".", lw=1)
    wave.axvline(view.position, color="grey", ls=":")
    kind = "sin" if view.dimension % 2 == 0 else "cos"
    wave.set_title(f"dimension {view.dimension} ({kind}), wavelength {view.wavelength:.1f}")
    wave.set_xlabel("position")
    near.plot(view.similarity.numpy(), marker=".", lw=1, color="tab:green")
    near.axvline(view.position, color="grey", ls=":")
    near.set_title(f"PE[{view.position}] · PE[p]")
    near.set_xlabel("position p")
    return figure_png(figure)
