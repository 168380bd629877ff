"""The chapter 04 explorers: controls wired to nn.analysis and viz.transformer."""

import pytest
import torch

from graphcourse.nn.transformer import Seq2SeqTransformer, TransformerConfig
from graphcourse.widgets import positional_encoding_explorer, transformer_attention_explorer
from harness import widget_tree


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    config = TransformerConfig(d_model=16, heads=2, d_ff=32, encoder_layers=1, decoder_layers=2)
    return Seq2SeqTransformer(config).eval()


def test_explorers_build_and_react(model):
    import ipywidgets as widgets

    box = transformer_attention_explorer(model, task="reverse")
    assert isinstance(box, widgets.VBox)
    text, kind = box.children[0].children
    layer, head = box.children[1].children
    picture, line = box.children[2:]
    assert isinstance(picture, widgets.Image) and isinstance(line, widgets.HTML)
    assert picture.value[:8] == b"\x89PNG\r\n\x1a\n" and "output" in line.value
    kind.value = "encoder"
    assert layer.max == 0  # one encoder layer
    kind.value = "decoder"
    assert layer.max == 1
    before = picture.value
    layer.value, head.value = 1, 1
    assert box.view.layer == 1 and box.view.head == 1 and picture.value != before
    text.value = "123"
    assert box.view.source == "123" and "input 123" in line.value
    assert picture.layout.display != "none"
    text.value = "12a"  # bad input shows a message in place of the heatmap
    assert box.view is None and "Type 1 to 62 digits (0-9)." in line.value
    assert picture.layout.display == "none"
    text.value = "9" * 63  # longer than the model's positions allow
    assert box.view is None and "Type 1 to 62 digits" in line.value
    text.value = "45"
    assert box.view.source == "45" and picture.layout.display != "none"
    box = positional_encoding_explorer(d_model=16, length=20)
    position, dimension = box.children[0].children
    before = box.children[1].value
    position.value, dimension.value = 3, 7
    assert (box.view.position, box.view.dimension) == (3, 7)
    assert box.children[1].value != before


def test_small_tables_start_inside_their_range():
    box = positional_encoding_explorer(d_model=4, length=6)
    assert (box.view.position, box.view.dimension) == (5, 3)


def test_explorers_use_no_output_widget_and_leave_no_figure(model):
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    plt.close("all")
    for box in (transformer_attention_explorer(model), positional_encoding_explorer(16, 20)):
        assert not any(isinstance(child, widgets.Output) for child in widget_tree(box))
    assert plt.get_fignums() == []


@pytest.mark.parametrize("kwargs, error, match", [
    ({"kind": "self"}, ValueError, "kind: expected one of 'encoder', 'decoder', 'cross'"),
    ({"task": "rotate"}, ValueError, "task: expected one of 'reverse'"),
    ({"examples": "31415"}, TypeError, "examples: expected a list of digit strings"),
    ({"examples": ["12", "1x"]}, ValueError,
     r"examples: expected strings of 1 to 62 digits, got '1x'"),
    ({"examples": [12]}, TypeError, "examples: expected digit strings, got int"),
])
def test_attention_explorer_arguments_are_checked_first(model, kwargs, error, match):
    with pytest.raises(error, match=match):
        transformer_attention_explorer(model, **kwargs)


def test_explorer_refuses_other_models():
    with pytest.raises(TypeError, match="model: expected a Seq2SeqTransformer, got Linear"):
        transformer_attention_explorer(torch.nn.Linear(2, 2))
    with pytest.raises(ValueError, match="d_model: expected an int >= 1"):
        positional_encoding_explorer(d_model=0)
    with pytest.raises(TypeError, match="length: expected an int, got float"):
        positional_encoding_explorer(length=50.0)
