import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_geometric.nn import GATConv
from torch_geometric.utils import scatter

from graphcourse import _validate
from graphcourse.nn import GAT, GATLayer
from harness import (
    assert_edge_order_invariant,
    assert_permutation_equivariant,
    copy_weights,
    graphs_and_permutations,
    random_graph,
)


def _copy_to_pyg(ours: GATLayer, **kwargs) -> GATConv:
    if ours.bias is not None:
        with torch.no_grad():
            ours.bias.normal_()  # a non-zero bias, so that it is checked too
    reference = GATConv(ours.in_channels, ours.out_channels, heads=ours.heads,
                        concat=ours.concat, negative_slope=ours.negative_slope,
                        bias=ours.bias is not None, **kwargs)
    return copy_weights(ours, reference)


def test_attention_by_hand():
    # Star: 1 -> 0 and 2 -> 0. One head, W = 1, a_dst = 0.5, a_src = 1, so for target 0 the
    # logits are LeakyReLU(0.5 x_0 + x_j) over j in {1, 2, 0 (self-loop)}.
    layer = GATLayer(1, 1, bias=False)
    with torch.no_grad():
        layer.lin.weight.fill_(1.0)
        layer.att_dst.fill_(0.5)
        layer.att_src.fill_(1.0)
    x = torch.tensor([[1.0], [2.0], [-3.0]])
    out, (edge_index, alpha) = layer(x, torch.tensor([[1, 2], [0, 0]]), return_attention=True)
    logits = {1: 0.5 + 2.0, 2: 0.2 * (0.5 - 3.0), 0: 0.5 + 1.0}  # LeakyReLU slope 0.2
    total = sum(math.exp(v) for v in logits.values())
    expected = {j: math.exp(v) / total for j, v in logits.items()}
    for (source, target), weight in zip(edge_index.t().tolist(), alpha.view(-1).tolist()):
        if target == 0:
            assert weight == pytest.approx(expected[source])
        else:
            assert source == target and weight == pytest.approx(1.0)  # only the self-loop
    h0 = sum(expected[j] * float(x[j]) for j in (0, 1, 2))
    assert out.view(-1).tolist() == pytest.approx([h0, 2.0, -3.0])


@pytest.mark.parametrize("heads, concat", [(1, True), (3, True), (1, False), (4, False)])
@pytest.mark.parametrize("seed", [0, 1])
def test_gat_matches_pyg_gatconv(heads, concat, seed):
    x, edge_index = random_graph(seed=seed)  # duplicates and self-loops included
    torch.manual_seed(seed)
    ours = GATLayer(4, 5, heads=heads, concat=concat).eval()
    reference = _copy_to_pyg(ours).eval()
    out, (edges, alpha) = ours(x, edge_index, return_attention=True)
    expected, (expected_edges, expected_alpha) = reference(x, edge_index,
                                                           return_attention_weights=True)
    assert out.shape == (6, heads * 5 if concat else 5)
    assert torch.allclose(out, expected, atol=1e-5)
    assert torch.equal(edges, expected_edges)
    assert torch.allclose(alpha, expected_alpha, atol=1e-5)


def test_gat_gradients_match_pyg():
    x, edge_index = random_graph(seed=3)
    ours = GATLayer(4, 3, heads=2)
    reference = _copy_to_pyg(ours)
    ours(x, edge_index).pow(2).sum().backward()
    reference(x, edge_index).pow(2).sum().backward()
    for name in ("att_src", "att_dst", "bias"):
        assert torch.allclose(getattr(ours, name).grad, getattr(reference, name).grad, atol=1e-5)
    assert torch.allclose(ours.lin.weight.grad, reference.lin.weight.grad, atol=1e-5)


def test_gat_without_self_loops_or_bias_matches_pyg():
    x, edge_index = random_graph(seed=4)
    ours = GATLayer(4, 3, heads=2, add_self_loops=False, bias=False)
    reference = _copy_to_pyg(ours, add_self_loops=False)
    assert torch.allclose(ours(x, edge_index), reference(x, edge_index), atol=1e-5)


@settings(max_examples=25, deadline=None)
@given(graph=graphs_and_permutations(), heads=st.integers(1, 3))
def test_attention_sums_to_one_per_neighbourhood(graph, heads):
    num_nodes, edge_index, _ = graph
    torch.manual_seed(edge_index.size(1))
    layer = GATLayer(3, 2, heads=heads).eval()
    _, (edges, alpha) = layer(torch.randn(num_nodes, 3), edge_index, return_attention=True)
    assert alpha.shape == (edges.size(1), heads)
    assert bool((alpha >= 0).all())
    sums = scatter(alpha, edges[1], dim=0, dim_size=num_nodes, reduce="sum")  # [N, H]
    assert torch.allclose(sums, torch.ones(num_nodes, heads), atol=1e-5)


@settings(max_examples=25, deadline=None)
@given(graph=graphs_and_permutations(), concat=st.booleans())
def test_gat_is_permutation_equivariant(graph, concat):
    num_nodes, edge_index, permutation = graph
    torch.manual_seed(0)
    layer = GATLayer(3, 2, heads=2, concat=concat).eval()
    assert_permutation_equivariant(layer, torch.randn(num_nodes, 3), edge_index, permutation)


@pytest.mark.parametrize("kwargs", [{"heads": 2}, {"heads": 3, "concat": False},
                                    {"add_self_loops": False}])
def test_gat_ignores_the_order_of_the_edges(kwargs):
    x, edge_index = random_graph(num_nodes=8, num_edges=30, seed=7)
    assert_edge_order_invariant(GATLayer(4, 3, **kwargs).eval(), x, edge_index)
    model = GAT(4, 3, hidden_channels=2, heads=2).eval()
    assert_edge_order_invariant(model, x, edge_index)


def test_dropout_only_while_training():
    x, edge_index = random_graph()
    layer = GATLayer(4, 3, heads=2, dropout=0.5, feature_dropout=0.5)
    layer.eval()
    assert torch.equal(layer(x, edge_index), layer(x, edge_index))
    layer.train()
    torch.manual_seed(0)
    first = layer(x, edge_index)
    second = layer(x, edge_index)
    assert not torch.equal(first, second)
    # The returned coefficients are the attention distribution, before dropout.
    _, (edges, alpha) = layer(x, edge_index, return_attention=True)
    sums = scatter(alpha, edges[1], dim=0, dim_size=6, reduce="sum")
    assert torch.allclose(sums, torch.ones(6, 2), atol=1e-5)


@pytest.mark.parametrize("x, edge_index, error, match", [
    (torch.randn(3, 4), torch.tensor([[0, 3], [1, 0]]), ValueError, "edge_index.*out of range"),
    (torch.randn(3, 4), torch.tensor([[0, -2], [1, 0]]), ValueError, "edge_index.*>= 0"),
    (torch.randn(3, 4), torch.tensor([[0.0, 1.0], [1.0, 0.0]]), TypeError, "edge_index.*integer"),
    (torch.randn(3, 4), torch.tensor([[0, 1], [1, 0]]).t().reshape(1, 4), ValueError,
     r"edge_index.*\[2, E\]"),
    (torch.randn(3, 6), torch.tensor([[0, 1], [1, 0]]), ValueError, "x: expected 4 features"),
    (torch.ones(3, 4, dtype=torch.int64), torch.tensor([[0], [1]]), TypeError,
     "x: expected a floating"),
    (torch.randn(3, 4, dtype=torch.float64), torch.tensor([[0], [1]]), TypeError,
     "x: expected dtype torch.float32"),
])
def test_gat_bad_input(x, edge_index, error, match):
    with pytest.raises(error, match=match):
        GATLayer(4, 2, heads=2)(x, edge_index)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"heads": 0}, ValueError, "heads"),
    ({"dropout": 1.0}, ValueError, "dropout"),
    ({"feature_dropout": -0.1}, ValueError, "feature_dropout"),
    ({"negative_slope": "0.2"}, TypeError, "negative_slope"),
    ({"negative_slope": float("inf")}, ValueError, "negative_slope: expected a finite number"),
    ({"dropout": "0.5"}, TypeError, "dropout"),
    ({"feature_dropout": True}, TypeError, "feature_dropout"),
    ({"concat": "mean"}, TypeError, "concat: expected True or False"),
    ({"add_self_loops": 0}, TypeError, "add_self_loops: expected True or False"),
    ({"bias": None}, TypeError, "bias: expected True or False"),
])
def test_gat_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        GATLayer(4, 2, **kwargs)


def test_gat_reset_parameters_and_repr():
    layer = GATLayer(4, 3, heads=2, concat=False, dropout=0.6)
    assert repr(layer) == "GATLayer(4, 3, heads=2, mean, dropout=0.6, feature_dropout=0.0)"
    assert repr(GATLayer(4, 3, heads=8)) == \
        "GATLayer(4, 3, heads=8, concat, dropout=0.0, feature_dropout=0.0)"
    assert repr(GATLayer(4, 2, feature_dropout=0.6)) == \
        "GATLayer(4, 2, heads=1, concat, dropout=0.0, feature_dropout=0.6)"
    assert layer.bias.shape == (3,) and torch.count_nonzero(layer.bias) == 0
    with torch.no_grad():
        layer.bias.fill_(1.0)
    before = [p.detach().clone() for p in (layer.lin.weight, layer.att_src, layer.att_dst)]
    layer.reset_parameters()
    assert torch.count_nonzero(layer.bias) == 0
    after = (layer.lin.weight, layer.att_src, layer.att_dst)
    assert all(not torch.equal(b, a) for b, a in zip(before, after))


@pytest.mark.parametrize("kwargs, match", [
    ({"hidden_channels": 8.0}, "hidden_channels: expected an int"),
    ({"heads": 2.0}, "heads: expected an int"),
    ({"output_heads": 1.0}, "output_heads: expected an int"),
])
def test_gat_model_names_its_own_arguments(kwargs, match):
    with pytest.raises(TypeError, match=match):
        GAT(5, 3, **kwargs)


def test_gat_model_checks_edge_ids_once(monkeypatch):
    calls = []
    original = _validate.check_edge_index
    monkeypatch.setattr(_validate, "check_edge_index",
                        lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs))
    x, edge_index = random_graph(num_nodes=9, num_edges=25, features=5)
    model = GAT(5, 3, hidden_channels=4, heads=2)
    model(x, edge_index)
    assert len(calls) == 1  # the model, not each layer
    with pytest.raises(ValueError, match="edge_index: node id 9 is out of range"):
        model(x, torch.tensor([[0], [9]]))
    with pytest.raises(TypeError, match="return_attention: expected True or False"):
        model.conv1(x, edge_index, return_attention="yes")


def test_gat_model_is_the_papers_cora_architecture():
    model = GAT(1433, 7)
    assert model.conv1.heads == 8 and model.conv1.out_channels == 8 and model.conv1.concat
    assert model.conv2.heads == 1 and model.conv2.in_channels == 64 and not model.conv2.concat
    assert model.dropout == model.conv1.dropout == model.conv2.feature_dropout == 0.6
    assert "GATLayer(1433, 8, heads=8, concat, dropout=0.6, feature_dropout=0.6)" in repr(model)


def test_gat_model_forward_and_attention():
    x, edge_index = random_graph(num_nodes=9, num_edges=25, features=5)
    model = GAT(5, 3, hidden_channels=4, heads=2, output_heads=3)
    model.train()
    assert model(x, edge_index).shape == (9, 3)
    layers = model.attention(x, edge_index)
    assert model.training  # restored
    assert [alpha.shape[1] for _, alpha in layers] == [2, 3]
    model.eval()
    assert model.embed(x, edge_index).shape == (9, 8)
    logits = model(x, edge_index)
    hidden, _ = model.conv1(x, edge_index, return_attention=True)
    assert torch.allclose(logits, model.conv2(torch.nn.functional.elu(hidden), edge_index))
    calls = []
    model.conv2.register_forward_pre_hook(lambda module, args: calls.append(args[0].shape))
    model(x, edge_index)
    assert calls == [torch.Size([9, 8])]  # the model calls its layers as modules
    before = model.conv1.lin.weight.detach().clone()
    model.reset_parameters()
    assert not torch.equal(before, model.conv1.lin.weight)
