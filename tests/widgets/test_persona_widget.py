"""The chapter 09 explorer: a turn slider and a count of candidates wired to turn_view and viz."""

import matplotlib.pyplot as plt
import pytest
import torch

from graphcourse.nn import ir, memnet, memnet_analysis
from graphcourse.widgets import persona_explorer
from graphcourse.widgets.persona import QUESTION
from harness import trained_memory_networks, widget_tree


@pytest.fixture(scope="module")
def setting():
    _, valid, vocab, models = trained_memory_networks(30, 4)
    return valid, vocab, models


def _parts(view):
    question, controls, query, picture, numbers = view.children
    turn, shown = controls.children
    return question, turn, shown, query, picture, numbers


@pytest.mark.parametrize("name", ["ProfileMemoryRanker", "KVProfileMemoryRanker"])
def test_explorer_is_an_image_and_html_view_that_redraws_on_every_control(setting, name):
    import ipywidgets as widgets

    plt.close("all")
    valid, vocab, models = setting
    model = models[name]
    view = persona_explorer(model, valid, vocab, turn=2, top=8)
    question, turn, shown, query, picture, numbers = _parts(view)
    assert QUESTION in question.value
    assert isinstance(picture, widgets.Image) and isinstance(numbers, widgets.HTML)
    assert not any(isinstance(w, widgets.Output) for w in widget_tree(view))
    assert bytes(picture.value).startswith(b"\x89PNG")
    assert (turn.min, turn.max, turn.value) == (0, len(valid) - 1, 2)
    assert (shown.min, shown.max, shown.value) == (1, 20, 8)
    assert valid[2].query.split()[0] in query.value
    assert view.shown.query == valid[2].query
    assert ("most attended memory" in numbers.value) == (name == "KVProfileMemoryRanker")

    for control, value, check in [
        (turn, 5, lambda shown_view: shown_view.query == valid[5].query),
        (shown, 3, lambda shown_view: shown_view.query == valid[5].query),
        (turn, 0, lambda shown_view: shown_view.turn == valid[0].turn),
    ]:
        before, text_before = bytes(picture.value), numbers.value
        control.value = value
        assert check(view.shown), control.description
        assert bytes(picture.value) != before, control.description
        if control is turn:
            assert numbers.value != text_before
    expected = memnet_analysis.turn_view(model, valid[0], vocab)
    assert view.shown == expected
    assert plt.get_fignums() == []  # nothing displayed or left open through pyplot


def test_every_redraw_recomputes_with_the_current_weights(setting):
    valid, vocab, models = setting
    model = memnet.ProfileMemoryRanker(len(vocab), 8)
    view = persona_explorer(model, valid, vocab)
    turn = _parts(view)[1]
    first = view.shown
    with torch.no_grad():
        model.embedding.weight.mul_(-1.0).add_(0.3)
    turn.value = 1
    turn.value = 0
    assert view.shown.scores != first.scores
    assert view.shown == memnet_analysis.turn_view(model, valid[0], vocab)


def test_a_turn_that_cannot_be_drawn_is_reported_in_place_of_the_drawing(setting):
    valid, vocab, models = setting
    model = memnet.KVProfileMemoryRanker(len(vocab), 8,
                                         memory=models["KVProfileMemoryRanker"].memory)
    view = persona_explorer(model, valid, vocab)
    _, turn, _, _, picture, numbers = _parts(view)
    model.memory = None  # the memory is read again on every redraw
    turn.value = 1
    assert view.shown is None and picture.layout.display == "none"
    assert "memory: the KV ranker needs its key-value memories" in numbers.value
    model.memory = models["KVProfileMemoryRanker"].memory
    turn.value = 2
    assert view.shown.query == valid[2].query and picture.layout.display != "none"


@pytest.mark.parametrize("change, error, match", [
    ({"model": "STARSPACE"}, TypeError, r"model: expected a ProfileMemoryRanker or "
                                        r"KVProfileMemoryRanker.*StarspaceRanker"),
    ({"model": ir.TfidfRanker()}, TypeError, r"model: expected a ProfileMemoryRanker"),
    ({"model": "KV_NO_MEMORY"}, ValueError, r"memory: the KV ranker needs its key-value"),
    ({"examples": []}, ValueError, r"examples: expected at least one example"),
    ({"examples": "ONE"}, TypeError, r"examples: expected a list of RankingExample.*wrap"),
    ({"examples": "NOCANDS"}, ValueError, r"examples: the examples have no candidates"),
    ({"vocab": ["a"]}, TypeError, r"vocab: expected the Vocabulary the model was trained"),
    ({"turn": 20}, ValueError, r"turn: expected an example index in \[0, 20\), got 20"),
    ({"turn": -1}, ValueError, r"turn: expected an example index in \[0, 20\), got -1"),
    ({"turn": 1.0}, TypeError, r"turn: expected an example index \(an int\), got float"),
    ({"top": 0}, ValueError, r"top: expected an int >= 1"),
    ({"top": 21}, ValueError, r"top: expected at most 20"),
    ({"memory": "x"}, TypeError, r"memory: expected a KeyValueMemory or None"),
])
def test_arguments_are_checked_before_any_control_is_built(setting, change, error, match,
                                                           monkeypatch):
    import ipywidgets

    def no_controls(*args, **kwargs):
        raise AssertionError("a control was built before the arguments were checked")

    monkeypatch.setattr(ipywidgets, "IntSlider", no_controls)
    valid, vocab, models = setting
    arguments = {"model": models["ProfileMemoryRanker"], "examples": valid[:20],
                 "vocab": vocab, **change}
    special = {
        "STARSPACE": lambda: memnet.StarspaceRanker(len(vocab), 8),
        "KV_NO_MEMORY": lambda: memnet.KVProfileMemoryRanker(len(vocab), 8),
        "ONE": lambda: valid[0],
        "NOCANDS": lambda: [valid[0].__class__(**{**valid[0].__dict__, "candidates": ()})],
    }
    for key, value in arguments.items():
        if isinstance(value, str) and value in special:
            arguments[key] = special[value]()
    with pytest.raises(error, match=match):
        persona_explorer(**arguments)
