import math

import matplotlib
import pytest
import torch

from graphcourse import sequences as seq
from graphcourse.nn.transformer import Seq2SeqTransformer, TransformerConfig, sinusoidal_encoding
from graphcourse.widgets.transformer import (
    AttentionView,
    attention_summary,
    attention_view,
    plot_attention,
    positional_encoding_explorer,
    positional_view,
    transformer_attention_explorer,
)

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    config = TransformerConfig(d_model=16, heads=2, d_ff=32, encoder_layers=1, decoder_layers=2)
    return Seq2SeqTransformer(config).eval()


@pytest.mark.parametrize("kind", ["encoder", "decoder", "cross"])
def test_attention_view_shapes_labels_and_rows(model, kind):
    view = attention_view(model, "31415", layer=0, head=1, kind=kind, task="reverse")
    assert isinstance(view, AttentionView)
    steps = len(view.rows)
    expected_shape = {"encoder": (5, 5), "decoder": (steps, steps), "cross": (steps, 5)}[kind]
    assert tuple(view.weights.shape) == expected_shape
    assert len(view.cols) == view.weights.shape[1]
    assert torch.allclose(view.weights.sum(-1), torch.ones(view.weights.shape[0]), atol=1e-5)
    if kind != "decoder":
        assert view.cols == ["3", "1", "4", "1", "5"]
    else:
        assert view.cols[0] == "<s>"
        assert bool((view.weights.triu(1) == 0).all())  # causal
    assert view.source == "31415" and view.expected == "51413"
    assert view.correct == (view.output == "51413")


def test_attention_view_matches_the_model_and_recomputes(model):
    view = attention_view(model, [2, 7, 1], layer=1, head=0, kind="cross")
    out = model.greedy_decode(torch.tensor([seq.encode([2, 7, 1])]))
    maps = model.attention_maps(torch.tensor([seq.encode([2, 7, 1])]), out[:, :-1])
    assert torch.equal(view.weights, maps["cross"][1][0, 0])
    assert view.output == seq.decode(out[0]) and view.expected == ""
    other = attention_view(model, "9999", layer=1, head=0, kind="cross")
    assert other.weights.shape[1] == 4 and other.cols == ["9"] * 4


def test_attention_view_rejects_bad_choices(model):
    with pytest.raises(ValueError, match="kind"):
        attention_view(model, "12", kind="self")
    with pytest.raises(ValueError, match=r"layer: the encoder stack has 1 layers \(0..0\)"):
        attention_view(model, "12", layer=1, kind="encoder")
    with pytest.raises(ValueError, match="head: the model has 2 heads"):
        attention_view(model, "12", head=2)
    with pytest.raises(ValueError, match="digits"):
        attention_view(model, "1x")
    with pytest.raises(ValueError, match="at least one digit"):
        attention_view(model, [])
    with pytest.raises(TypeError, match="model"):
        attention_view(torch.nn.Linear(2, 2), "12")


def test_positional_view_slices_the_table():
    view = positional_view(position=7, dimension=5, d_model=16, length=20)
    pe = sinusoidal_encoding(20, 16)
    assert torch.equal(view.encoding, pe)
    assert torch.equal(view.column, pe[:, 5]) and torch.equal(view.row, pe[7])
    assert torch.allclose(view.similarity, pe @ pe[7])
    assert int(view.similarity.argmax()) == 7  # a position is most similar to itself
    assert math.isclose(view.similarity[7].item(), 8.0, rel_tol=1e-5)  # D/2 sin^2 + cos^2 pairs
    assert math.isclose(view.wavelength, 2 * math.pi * 10000 ** (4 / 16))
    assert positional_view(0, 0, 16, 20).wavelength == pytest.approx(2 * math.pi)
    with pytest.raises(ValueError, match="position"):
        positional_view(position=20, length=20)
    with pytest.raises(ValueError, match="dimension"):
        positional_view(dimension=16, d_model=16)


def test_plot_attention_draws_labels():
    ax = plot_attention(torch.tensor([[0.2, 0.8], [1.0, 0.0]]), ["a", "b"], ["x", "y"],
                        title="t")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y"]
    assert ax.get_title() == "t"
    matplotlib.pyplot.close("all")


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
    text.value = "12a"  # bad input shows a message instead of failing
    assert box.view is None and "Type 1 to" in line.value
    box = positional_encoding_explorer(d_model=16, length=20)
    position, dimension = box.children[0].children
    before = box.children[1].value
    position.value, dimension.value = 3, 7
    assert (box.view.position, box.view.dimension) == (3, 7)
    assert box.children[1].value != before


def test_explorers_use_no_output_widget_and_leave_no_figure(model):
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    plt.close("all")
    for box in (transformer_attention_explorer(model), positional_encoding_explorer(16, 20)):
        stack = list(box.children)
        while stack:
            child = stack.pop()
            assert not isinstance(child, widgets.Output)
            stack.extend(getattr(child, "children", ()))
    assert plt.get_fignums() == []


def test_attention_summary_lines():
    assert attention_summary(None, 8) == "Type 1 to 8 digits (0-9)."
