"""The persona explorer (chapter 09).

Pick a dialogue turn: the view wires its controls to
:func:`graphcourse.nn.memnet_analysis.turn_view` (the attention over the persona sentences
and the key-value memories, the candidates ranked by score) and draws with
:func:`graphcourse.viz.render_persona`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from .._validate import check_index, check_positive_int
from ..nn.ir import KeyValueMemory, check_examples
from ..nn.memnet_analysis import (
    TurnView,
    _check_memory_model,
    _check_vocab,
    _model_memory,
    turn_view,
)
from ..nn.text import Vocabulary
from ..viz import persona_summary, render_persona
from ._display import show, show_error

QUESTION = ("Which persona sentence and which remembered dialogue does the model attend to "
            "when it picks a reply?")


def persona_explorer(model: Any, examples: Iterable[Any], vocab: Vocabulary, *,
                     memory: KeyValueMemory | None = None, turn: int = 0,
                     top: int = 10) -> Any:
    """Which persona sentence and which remembered dialogue does the model attend to when it
    picks a reply?

    The slider ``turn`` picks one of ``examples`` (its partner's utterance and the model's
    input are printed); the drawing shows the profile hop's weights over the persona
    sentences, for a :class:`~graphcourse.nn.KVProfileMemoryRanker` the second hop's weights
    over the retrieved key-value memories (a training history -> the reply that followed it),
    and the ``top`` best of the C candidates by score, the gold in green with its rank and
    hits@1 of the turn. The slider ``shown`` changes how many candidates are drawn.

    ``model``: a trained :class:`~graphcourse.nn.ProfileMemoryRanker` or
    :class:`~graphcourse.nn.KVProfileMemoryRanker`; ``examples``: RankingExamples with the
    same number C of candidates (``data.dialogue.ranking_examples``); ``vocab``: the model's
    training vocabulary; ``memory``: a KV model's memory (default ``model.memory``, which
    ``train_ranker`` sets). Everything is checked before any control is built; a turn that
    cannot be drawn is reported in place of the drawing. Every redraw recomputes with the
    model in evaluation mode. The returned box's ``shown`` is the
    :class:`~graphcourse.nn.memnet_analysis.TurnView` on display, None while an error is
    shown.
    """
    import ipywidgets as widgets

    model = _check_memory_model(model)
    examples = check_examples(examples, candidates=True)
    vocab = _check_vocab(vocab, model)
    _model_memory(model, memory)  # a KV model without memories fails here, before any control
    turn = check_index(turn, len(examples), "turn", "an example index")
    count = len(examples[0].candidates)
    top = check_positive_int(top, "top")
    if top > count:
        raise ValueError(f"top: expected at most {count} (the candidates of each turn), "
                         f"got {top}")

    turn_slider = widgets.IntSlider(value=turn, min=0, max=len(examples) - 1, step=1,
                                    description="turn", continuous_update=False)
    top_slider = widgets.IntSlider(value=top, min=1, max=count, step=1, description="shown",
                                   continuous_update=False)
    question = widgets.HTML(value=f"<b>{html.escape(QUESTION)}</b>")
    query = widgets.HTML()
    picture = widgets.Image(format="png")
    numbers = widgets.HTML()
    box = widgets.VBox([question, widgets.HBox([turn_slider, top_slider]), query, picture,
                        numbers])

    def redraw(*_: Any) -> None:
        box.shown = None
        example = examples[turn_slider.value]
        query.value = f"partner: <i>{html.escape(example.query)}</i>"
        try:
            view: TurnView = turn_view(model, example, vocab, memory=memory)
            png = render_persona(view, top=top_slider.value)
        except (TypeError, ValueError) as error:
            show_error(picture, numbers, error)
            return
        box.shown = view
        show(picture, numbers, png, persona_summary(view, top=min(5, top_slider.value)))

    for control in (turn_slider, top_slider):
        control.observe(redraw, names="value")
    redraw()
    return box
