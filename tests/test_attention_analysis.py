"""graphcourse.nn.analysis: attention statistics of a GAT and views of a Transformer."""

import math

import numpy as np
import pytest
import torch

from graphcourse import sequences as seq
from graphcourse.nn import GATLayer
from graphcourse.nn.analysis import (
    AttentionView,
    NodeAttention,
    attention_by_label,
    attention_entropy,
    attention_view,
    check_attention,
    entropy_summary,
    head_agreement,
    node_attention,
    positional_view,
    uniform_entropy,
)
from graphcourse.nn.transformer import Seq2SeqTransformer, TransformerConfig, sinusoidal_encoding

# Edges into node 0 from 1, 2 and itself; node 1 hears 0 and itself; node 2 only itself.
EDGES = torch.tensor([[1, 2, 0, 0, 1, 2], [0, 0, 0, 1, 1, 2]])
ALPHA = torch.tensor([[0.5, 1 / 3], [0.25, 1 / 3], [0.25, 1 / 3], [0.9, 0.5], [0.1, 0.5],
                      [1.0, 1.0]])  # [E, H=2]


# --------------------------------------------------------------------------- graph attention
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


def test_attention_by_label_by_hand():
    y = torch.tensor([0, 0, 1])
    scores = attention_by_label(EDGES, ALPHA, y, 3)
    # Relative weights alpha * deg(target): node 0 has degree 3, node 1 degree 2, node 2 one.
    # same-label edges (not loops): 1->0 (0.5*3, 1/3*3) and 0->1 (0.9*2, 0.5*2).
    assert scores["same"] == pytest.approx((1.5 + 1.0 + 1.8 + 1.0) / 4)
    assert scores["other"] == pytest.approx((0.75 + 1.0) / 2)  # 2->0
    assert scores["self"] == pytest.approx((0.75 + 1.0 + 0.2 + 1.0 + 1.0 + 1.0) / 6)
    assert math.isnan(attention_by_label(EDGES, ALPHA, torch.tensor([0, 1, 2]), 3)["same"])


def test_node_entropy_agrees_with_attention_entropy():
    entropy = attention_entropy(EDGES, ALPHA, 3)
    for node in range(3):
        local = node_attention(EDGES, ALPHA, node, 3)
        assert local.entropy().dtype == torch.float32
        assert torch.allclose(local.entropy(), entropy[node], atol=1e-6)


def test_logits_are_refused_with_a_hint():
    logits = torch.log(ALPHA) * 3 + 1  # what a layer computes before its softmax
    for call in (lambda a: attention_entropy(EDGES, a, 3), lambda a: head_agreement(EDGES, a, 3),
                 lambda a: entropy_summary(EDGES, a, 3), lambda a: node_attention(EDGES, a, 0, 3),
                 lambda a: attention_by_label(EDGES, a, torch.tensor([0, 0, 1]), 3)):
        with pytest.raises(ValueError, match="not logits"):
            call(logits)


def test_weights_that_do_not_sum_to_one_are_refused():
    scores = ALPHA.clone()
    scores[0, 0] = 0.9  # node 0, head 0 now sums to 1.4 while every value stays in [0, 1]
    with pytest.raises(ValueError, match=r"node 0's sum to 1.4 under head 0.*not logits"):
        attention_entropy(EDGES, scores, 3)
    # nodes without incoming edges sum to 0, which is fine
    check_attention(torch.tensor([[0], [1]]), torch.tensor([1.0]), 3)


def test_numpy_ints_are_accepted():
    local = node_attention(EDGES, ALPHA, np.int64(0), np.int64(3))
    assert local.node == 0 and attention_entropy(EDGES, ALPHA, np.int32(3)).shape == (3, 2)


@pytest.mark.parametrize("call, error, match", [
    (lambda: node_attention(EDGES, ALPHA, 3, 3), ValueError, "node: 3 is out of range"),
    (lambda: node_attention(EDGES, ALPHA, 1.0, 3), TypeError, "node: expected an int"),
    (lambda: node_attention(EDGES, ALPHA[:4], 0, 3), ValueError, "alpha: expected shape"),
    (lambda: attention_entropy(EDGES, ALPHA.long(), 3), TypeError, "alpha"),
    (lambda: attention_entropy(EDGES, ALPHA, 2), ValueError, "edge_index.*out of range"),
    (lambda: attention_entropy(EDGES, ALPHA, 3.0), TypeError, "num_nodes: expected an int"),
    (lambda: attention_entropy(EDGES, ALPHA * float("nan"), 3), ValueError,
     "alpha: expected finite values"),
    (lambda: uniform_entropy(EDGES.float(), 3), TypeError, "edge_index"),
    (lambda: attention_by_label(EDGES, ALPHA, torch.tensor([0, 1]), 3), ValueError,
     "y: expected one label per node"),
    (lambda: attention_by_label(EDGES, ALPHA, torch.tensor([0.0, 1.0, 1.0]), 3), TypeError,
     "y: expected an integer tensor"),
    (lambda: NodeAttention(0, [1, 2], torch.ones(3, 1)), ValueError,
     r"weights: expected one row per neighbour \(2\)"),
])
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------- Transformer
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
    same = attention_view(model, [2, 7, 1], layer=np.int64(1), head=np.int32(0), kind="cross")
    assert torch.equal(same.weights, view.weights)


def test_attention_view_rejects_bad_choices(model):
    with pytest.raises(ValueError, match="kind: expected one of"):
        attention_view(model, "12", kind="self")
    with pytest.raises(ValueError, match=r"layer: the encoder stack has 1 layers \(0..0\)"):
        attention_view(model, "12", layer=1, kind="encoder")
    with pytest.raises(ValueError, match="head: the model has 2 heads"):
        attention_view(model, "12", head=2)
    with pytest.raises(TypeError, match="head: expected an int"):
        attention_view(model, "12", head=1.0)
    with pytest.raises(ValueError, match="digits"):
        attention_view(model, "1x")
    with pytest.raises(ValueError, match="at least one digit"):
        attention_view(model, [])
    with pytest.raises(ValueError, match="digits: expected at most 62 digits"):
        attention_view(model, "1" * 63)
    with pytest.raises(ValueError, match="task: expected one of"):
        attention_view(model, "12", task="rotate")
    with pytest.raises(TypeError, match="model: expected a Seq2SeqTransformer"):
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
    with pytest.raises(ValueError, match="position: expected 0..19, got 20"):
        positional_view(position=20, length=20)
    with pytest.raises(ValueError, match="dimension: expected 0..15, got 16"):
        positional_view(dimension=16, d_model=16)
    with pytest.raises(TypeError, match="position: expected an int, got float"):
        positional_view(position=2.0)
