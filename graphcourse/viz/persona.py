"""Drawing where a memory network looks when it ranks replies (chapter 09).

The numbers come from :func:`graphcourse.nn.memnet_analysis.turn_view`: the profile hop's
weights over the persona sentences, the key-value hop's weights over the retrieved memories
(KV model only) and the candidates ranked by score with the gold marked.
:func:`render_persona` and :func:`persona_summary` are what the persona explorer shows.
"""

from __future__ import annotations

import textwrap
from typing import Any

from .._validate import check_instance, check_positive_int
from ..nn.memnet_analysis import TurnView
from .figures import _ax, _check_ax, figure_png

BAR = "#1f77b4"  # attention weights and candidate scores
GOLD = "#2ca02c"  # the gold reply
ATTENDED = "#ff7f0e"  # the most attended persona sentence or memory
WIDTH = 48  # characters of a sentence shown next to its bar


def _short(text: str, width: int = WIDTH) -> str:
    return textwrap.shorten(text, width=width, placeholder=" ...") or "(empty)"


def _tail(text: str, width: int) -> str:
    """The end of ``text`` (a dialogue history ends with what matters most: the query)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    tail = text[-(width - 4):]
    return "... " + (tail.split(" ", 1)[1] if " " in tail[:-1] else tail)  # whole words


def _check_view(view: Any) -> TurnView:
    return check_instance(view, "view", TurnView, "a TurnView",
                          "make one with graphcourse.nn.memnet_analysis.turn_view(...)")


def _check_top(top: Any, view: TurnView) -> int:
    """``top`` (None: every candidate) as a count in [1, C]."""
    count = len(view.candidates)
    if top is None:
        return count
    top = check_positive_int(top, "top")
    if top > count:
        raise ValueError(f"top: expected at most {count} (the turn's candidates), got {top}")
    return top


def _bars(ax: Any, labels: list[str], values: list[float], colours: list[str], title: str,
          xlabel: str, limits: tuple[float, float] | None) -> Any:
    """Horizontal bars, the first label on top, each bar's value written at its end."""
    rows = list(range(len(labels)))
    ax.barh(rows, values, color=colours)
    ax.set_yticks(rows)
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    for row, value in zip(rows, values):
        ax.annotate(f"{value:.2f}", (value, row), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=7)
    if limits is not None:
        ax.set_xlim(*limits)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_title(title, fontsize=9)
    return ax


def _empty(ax: Any, title: str, message: str) -> Any:
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=9, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=9)
    return ax


def draw_persona_attention(view: TurnView, ax: Any = None) -> Any:
    """Bars of the profile hop's weights ``a_i`` over the persona sentences (sum 1), the
    largest in orange."""
    view = _check_view(view)
    _check_ax(ax)
    ax = _ax(ax, (6, 3))
    title = "profile hop: attention over the persona"
    if not view.persona:
        return _empty(ax, title, "no persona in this file: q+ = q")
    top = max(view.persona_weights)
    colours = [ATTENDED if w == top else BAR for w in view.persona_weights]
    return _bars(ax, [_short(p) for p in view.persona], view.persona_weights, colours, title,
                 "weight a_i", (0, max(1e-3, top) * 1.25))


def draw_key_attention(view: TurnView, ax: Any = None) -> Any:
    """Bars of the key-value hop's weights ``b_j`` over the retrieved memories, each labelled
    ``key -> value`` (the end of a training history and the reply that followed it), the
    largest in orange."""
    view = _check_view(view)
    _check_ax(ax)
    ax = _ax(ax, (6, 3))
    title = "key-value hop: attention over remembered dialogue"
    if not view.has_keys:
        return _empty(ax, title, "a profile memory network has no second hop")
    if not view.keys:
        return _empty(ax, title, "no memory retrieved for this turn")
    labels = [f"{_tail(k, 34)} -> {_short(v, 26)}" for k, v in zip(view.keys, view.values)]
    top = max(view.key_weights)
    colours = [ATTENDED if w == top else BAR for w in view.key_weights]
    return _bars(ax, labels, view.key_weights, colours, title, "weight b_j (key -> value)",
                 (0, max(1e-3, top) * 1.25))


def draw_candidates(view: TurnView, ax: Any = None, top: int | None = None) -> Any:
    """Bars of the ``top`` best candidates' scores (all C by default), best on top, the gold
    in green (and listed below them with its rank when it is not among the ``top``)."""
    view = _check_view(view)
    _check_ax(ax)
    top = _check_top(top, view)
    ax = _ax(ax, (6, 5))
    shown = list(range(top))
    position = view.gold_rank - 1  # where the gold sits in the ranked list
    if position >= top:
        shown.append(position)
    labels = [f"{k + 1}. {_short(view.candidates[k], 40)}" + (" (gold)" if k == position
                                                             else "") for k in shown]
    colours = [GOLD if k == position else BAR for k in shown]
    scores = [view.scores[k] for k in shown]
    low = min(0.0, min(scores))
    title = (f"candidates by score: gold ranked {view.gold_rank} of {len(view.candidates)}, "
             f"hits@1 = {int(view.hit)}")
    return _bars(ax, labels, scores, colours, title, "score cos(q, E(c))",
                 (low, max(scores) * 1.2 if max(scores) > 0 else 1.0))


def render_persona(view: TurnView, top: int | None = None) -> bytes:
    """PNG bytes of the persona explorer's drawing: left, the attention over the persona
    sentences and (KV model) over the retrieved key-value memories; right, the ``top``
    candidates ranked by score (default all), the gold in green. Made without pyplot."""
    from matplotlib.figure import Figure

    view = _check_view(view)
    top = _check_top(top, view)
    rows = 2 if view.has_keys else 1
    figure = Figure(figsize=(13, 2.2 + 0.28 * max(top, 3 * rows)), layout="constrained")
    grid = figure.add_gridspec(rows, 2, width_ratios=[1, 1])
    draw_persona_attention(view, ax=figure.add_subplot(grid[0, 0]))
    if view.has_keys:
        draw_key_attention(view, ax=figure.add_subplot(grid[1, 0]))
    draw_candidates(view, ax=figure.add_subplot(grid[:, 1]), top=top)
    return figure_png(figure)


def persona_summary(view: TurnView, top: int | None = 5) -> list[str]:
    """The lines printed under the drawing: the turn, the query and the model's input, the
    most attended persona sentence (and memory), the ``top`` best candidates with their
    scores and the gold with its rank."""
    view = _check_view(view)
    top = _check_top(top, view)
    lines = [f"{view.model}, dialogue {view.dialogue}, turn {view.turn}",
             f"partner: {view.query}",
             f"model input: {view.context}"]
    if view.persona:
        best = max(range(len(view.persona)), key=lambda i: view.persona_weights[i])
        lines.append(f"most attended persona sentence ({view.persona_weights[best]:.2f}): "
                     f"{view.persona[best]}")
    else:
        lines.append("no persona sentences")
    if view.has_keys and view.keys:
        best = max(range(len(view.keys)), key=lambda j: view.key_weights[j])
        lines.append(f"most attended memory ({view.key_weights[best]:.2f}): "
                     f"{view.keys[best]} -> {view.values[best]}")
    lines.append(f"gold: {view.label}  (rank {view.gold_rank} of {len(view.candidates)}, "
                 f"hits@1 = {int(view.hit)})")
    for k in range(top):
        mark = "  <- gold" if k == view.gold_rank - 1 else ""
        lines.append(f"  {k + 1:2d}. {view.scores[k]:+.3f}  {view.candidates[k]}{mark}")
    return lines
