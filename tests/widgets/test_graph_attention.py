import math

import pytest
import torch

from graphcourse.nn import GAT, GATLayer
from graphcourse.widgets import (
    attention_entropy,
    attention_explorer,
    entropy_summary,
    head_agreement,
    node_attention,
    uniform_entropy,
)
from graphcourse.widgets.graph_attention import (
    draw_entropy_histogram,
    draw_head_comparison,
    draw_node_attention,
    explorer_summary,
    render_attention,
)

# Edges into node 0 from 1, 2 and itself; node 1 hears 0 and itself; node 2 only itself.
EDGES = torch.tensor([[1, 2, 0, 0, 1, 2], [0, 0, 0, 1, 1, 2]])
ALPHA = torch.tensor([[0.5, 1 / 3], [0.25, 1 / 3], [0.25, 1 / 3], [0.9, 0.5], [0.1, 0.5],
                      [1.0, 1.0]])  # [E, H=2]


def test_node_attention_by_hand():
    local = node_attention(EDGES, ALPHA, 0, 3)
    assert local.node == 0 and local.heads == 2
    assert local.neighbours[0] == 1 and sorted(local.neighbours) == [0, 1, 2]
    assert local.weights.shape == (3, 2)
    assert torch.allclose(local.weights.sum(dim=0), torch.ones(2))
    expected = -(0.5 * math.log(0.5) + 2 * 0.25 * math.log(0.25))
    assert local.entropy().tolist() == pytest.approx([expected, math.log(3)], abs=1e-6)


def test_entropies_by_hand():
    entropy = attention_entropy(EDGES, ALPHA, 3)
    assert entropy.shape == (3, 2)
    assert float(entropy[0, 1]) == pytest.approx(math.log(3), abs=1e-6)
    assert float(entropy[1, 1]) == pytest.approx(math.log(2), abs=1e-6)
    assert float(entropy[2, 0]) == pytest.approx(0.0, abs=1e-6)  # one neighbour: no choice
    assert uniform_entropy(EDGES, 3).tolist() == pytest.approx([math.log(3), math.log(2), 0.0])
    summary = entropy_summary(EDGES, ALPHA[:, 1:], 3)
    assert summary["ratio"] == pytest.approx(1.0, abs=1e-6)  # head 1 is uniform


def test_head_agreement_by_hand():
    agreement = head_agreement(EDGES, ALPHA, 3)
    # Node 0: TV = 1/2 (1/6 + 1/12 + 1/12) = 1/6; node 1: TV = 0.4; node 2: 0.
    expected = 1.0 - (1 / 6 + 0.4 + 0.0) / 3
    assert agreement.shape == (2, 2)
    assert float(agreement[0, 1]) == pytest.approx(expected, abs=1e-6)
    assert float(agreement[1, 0]) == pytest.approx(expected, abs=1e-6)
    assert agreement.diagonal().tolist() == [1.0, 1.0]


def test_functions_on_a_real_layer():
    torch.manual_seed(0)
    edge_index = torch.randint(0, 12, (2, 40))
    layer = GATLayer(4, 3, heads=3).eval()
    _, (edges, alpha) = layer(torch.randn(12, 4), edge_index, return_attention=True)
    entropy = attention_entropy(edges, alpha, 12)
    uniform = uniform_entropy(edges, 12)
    assert bool((entropy <= uniform.view(-1, 1) + 1e-5).all())  # uniform is the maximum
    assert bool((entropy >= -1e-6).all())
    for node in range(12):
        local = node_attention(edges, alpha, node, 12)
        assert node in local.neighbours  # the self-loop is attended over
        assert torch.allclose(local.weights.sum(dim=0), torch.ones(3), atol=1e-5)
    agreement = head_agreement(edges, alpha, 12)
    assert bool((agreement >= 0).all()) and bool((agreement <= 1 + 1e-6).all())


def test_zero_attention_vectors_give_uniform_attention():
    layer = GATLayer(4, 3, heads=2).eval()
    with torch.no_grad():
        layer.att_src.zero_()
        layer.att_dst.zero_()
    edge_index = torch.tensor([[1, 2, 3, 0], [0, 0, 0, 1]])
    _, (edges, alpha) = layer(torch.randn(4, 4), edge_index, return_attention=True)
    assert entropy_summary(edges, alpha, 4)["ratio"] == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("call, error, match", [
    (lambda: node_attention(EDGES, ALPHA, 3, 3), ValueError, "node"),
    (lambda: node_attention(EDGES, ALPHA[:4], 0, 3), ValueError, "alpha: expected shape"),
    (lambda: attention_entropy(EDGES, ALPHA.long(), 3), TypeError, "alpha"),
    (lambda: attention_entropy(EDGES, ALPHA, 2), ValueError, "edge_index.*out of range"),
    (lambda: uniform_entropy(EDGES.float(), 3), TypeError, "edge_index"),
])
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def _small_trained_shape_model():
    from torch_geometric.data import Data

    torch.manual_seed(0)
    data = Data(x=torch.randn(10, 5), edge_index=torch.randint(0, 10, (2, 30)),
                y=torch.randint(0, 3, (10,)))
    return GAT(5, 3, hidden_channels=4, heads=3, output_heads=2), data


def test_drawing_functions_run():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    model, data = _small_trained_shape_model()
    layers = model.attention(data.x, data.edge_index)
    local = node_attention(*layers[0], 0, 10)
    draw_node_attention(local, head=1, labels=data.y.tolist())
    draw_head_comparison(local)
    draw_entropy_histogram(*layers[1], 10, head=None)
    plt.close("all")


def test_render_attention_gives_png_bytes_without_pyplot_figures():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.close("all")
    model, data = _small_trained_shape_model()
    edges, alpha = model.attention(data.x, data.edge_index)[0]
    local = node_attention(edges, alpha, 3, 10)
    picture = render_attention(local, 1, edges, alpha, 10, labels=data.y.tolist())
    assert picture.startswith(b"\x89PNG\r\n\x1a\n")
    assert picture != render_attention(local, 2, edges, alpha, 10, labels=data.y.tolist())
    assert plt.get_fignums() == []  # nothing left open, nothing shown


def test_explorer_summary_by_hand():
    local = node_attention(EDGES, ALPHA, 0, 3)
    lines = explorer_summary(local, 0, 1, entropy_summary(EDGES, ALPHA[:, 1:], 3))
    h0 = -(0.5 * math.log(0.5) + 2 * 0.25 * math.log(0.25))
    assert lines[0] == (f"node 0: 3 edges in (self included); entropy per head "
                        f"[{h0:.2f}, {math.log(3):.2f}] vs uniform {math.log(3):.2f}")
    assert lines[1].startswith("layer 1, head 1: mean entropy ")
    assert lines[1].endswith("(ratio 1.000)")  # head 1 is uniform


def test_explorer_is_an_image_and_html_view_that_redraws():
    import ipywidgets as widgets
    import matplotlib

    matplotlib.use("Agg")
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
    layer_picker.value = 1  # second layer has 2 heads: the head slider is clamped
    assert head_slider.max == 1 and head_slider.value == 1 and view.head == 1
    assert bytes(picture.value) != before and "layer 2, head 1" in numbers.value
    before = bytes(picture.value)
    node_picker.value = 7
    assert view.shown.node == 7 and bytes(picture.value) != before and "node 7:" in numbers.value
    before = bytes(picture.value)
    head_slider.value = 0
    assert view.head == 0 and bytes(picture.value) != before and "layer 2, head 0" in numbers.value
    assert plt.get_fignums() == []


def test_attention_by_label_by_hand():
    from graphcourse.widgets import attention_by_label

    y = torch.tensor([0, 0, 1])
    scores = attention_by_label(EDGES, ALPHA, y, 3)
    # Relative weights alpha * deg(target): node 0 has degree 3, node 1 degree 2, node 2 one.
    # same-label edges (not loops): 1->0 (0.5*3, 1/3*3) and 0->1 (0.9*2, 0.5*2).
    assert scores["same"] == pytest.approx((1.5 + 1.0 + 1.8 + 1.0) / 4)
    assert scores["other"] == pytest.approx((0.75 + 1.0) / 2)  # 2->0
    assert scores["self"] == pytest.approx((0.75 + 1.0 + 0.2 + 1.0 + 1.0 + 1.0) / 6)
    with pytest.raises(ValueError, match="y: expected one label per node"):
        attention_by_label(EDGES, ALPHA, torch.tensor([0, 1]), 3)
    assert math.isnan(attention_by_label(EDGES, ALPHA, torch.tensor([0, 1, 2]), 3)["same"])


def test_node_entropy_agrees_with_attention_entropy():
    entropy = attention_entropy(EDGES, ALPHA, 3)
    for node in range(3):
        local = node_attention(EDGES, ALPHA, node, 3)
        assert local.entropy().dtype == torch.float32
        assert torch.allclose(local.entropy(), entropy[node], atol=1e-6)


def test_head_comparison_marks_uniform_weight_one_over_in_degree():
    """The dashed line sits at 1/deg(i), deg(i) counting every edge into i with its self-loop,
    as the notebook's text says; the legend names it so."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from torch_geometric.utils import degree

    in_degree = degree(EDGES[1], 3)  # [3, 2, 1]: node 0 hears 1, 2 and itself
    for node in range(3):
        ax = draw_head_comparison(node_attention(EDGES, ALPHA, node, 3))
        (line,) = [line for line in ax.get_lines() if line.get_label().startswith("uniform")]
        assert line.get_label() == "uniform 1/deg(i)"
        assert list(line.get_ydata()) == pytest.approx([1 / float(in_degree[node])] * 2)
    plt.close("all")
