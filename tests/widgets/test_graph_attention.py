"""The chapter 03 explorer: layer, head and node wired to nn.analysis and viz.attention."""

import pytest
import torch

from graphcourse.nn import GAT
from graphcourse.widgets import attention_explorer


def _small_trained_shape_model():
    from torch_geometric.data import Data

    torch.manual_seed(0)
    data = Data(x=torch.randn(10, 5), edge_index=torch.randint(0, 10, (2, 30)),
                y=torch.randint(0, 3, (10,)))
    return GAT(5, 3, hidden_channels=4, heads=3, output_heads=2), data


def test_explorer_is_an_image_and_html_view_that_redraws():
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    plt.close("all")
    model, data = _small_trained_shape_model()
    view = attention_explorer(model, data, layer=0, head=2, node=3)
    controls, picture, numbers = view.children
    assert isinstance(picture, widgets.Image) and isinstance(numbers, widgets.HTML)
    assert not any(isinstance(w, widgets.Output) for w in (*view.children, *controls.children))
    assert view.shown.node == 3 and view.head == 2
    assert bytes(picture.value).startswith(b"\x89PNG") and "node 3:" in numbers.value
    layer_picker, head_slider, node_picker = controls.children
    before = bytes(picture.value)
    layer_picker.value = 1  # second layer has 2 heads: the head slider's range shrinks
    assert head_slider.max == 1 and head_slider.value == 1 and view.head == 1
    assert bytes(picture.value) != before and "layer 2, head 1" in numbers.value
    before = bytes(picture.value)
    node_picker.value = 7
    assert view.shown.node == 7 and bytes(picture.value) != before and "node 7:" in numbers.value
    before = bytes(picture.value)
    head_slider.value = 0
    assert view.head == 0 and bytes(picture.value) != before and "layer 2, head 0" in numbers.value
    assert plt.get_fignums() == []


def test_a_node_the_graph_does_not_have_is_shown_in_place_of_the_drawing():
    model, data = _small_trained_shape_model()
    view = attention_explorer(model, data, node=3)
    controls, picture, numbers = view.children
    node_picker = controls.children[2]
    node_picker.value = 10  # the node box does not cap what is typed
    assert view.shown is None and picture.layout.display == "none"
    assert "node: 10 is out of range for a graph with 10 nodes" in numbers.value
    node_picker.value = 2
    assert view.shown.node == 2 and picture.layout.display != "none"


@pytest.mark.parametrize("kwargs, error, match", [
    ({"node": 10}, ValueError, "node: 10 is out of range for a graph with 10 nodes"),
    ({"node": 1.5}, TypeError, "node: expected an int node id, got float"),
    ({"layer": 2}, ValueError, r"layer: expected a layer index in \[0, 2\), got 2"),
    ({"head": 3}, ValueError, r"head: expected a head index in \[0, 3\), got 3"),
    ({"layer": 1, "head": 2}, ValueError, r"head: expected a head index in \[0, 2\), got 2"),
])
def test_arguments_are_checked_before_any_control_is_built(kwargs, error, match):
    model, data = _small_trained_shape_model()
    with pytest.raises(error, match=match):
        attention_explorer(model, data, **kwargs)


def test_attention_passed_in_is_checked():
    model, data = _small_trained_shape_model()
    (edges, alpha), second = model.attention(data.x, data.edge_index)
    with pytest.raises(ValueError, match="not logits"):
        attention_explorer(None, data, attention=[(edges, torch.log(alpha)), second])
    with pytest.raises(TypeError, match=r"attention: expected a non-empty list of \(edge_index"):
        attention_explorer(None, data, attention=(edges, alpha)[0])
    with pytest.raises(TypeError, match=r"attention\[0\]: expected an \(edge_index, alpha\)"):
        attention_explorer(None, data, attention=[alpha])
    with pytest.raises(TypeError, match="model: expected a GAT"):
        attention_explorer(torch.nn.Linear(2, 2), data)
    box = attention_explorer(None, data, attention=[(edges, alpha)], head=1)
    assert box.head == 1 and box.shown.node == 0
