import math

import pytest
import torch
from hypothesis import given, settings
from torch_geometric.nn import GCNConv
from torch_geometric.nn.conv.gcn_conv import gcn_norm

from graphcourse.nn import GCNLayer, NodeClassifier, symmetric_norm, with_self_loops
from harness import (
    assert_edge_order_invariant,
    assert_permutation_equivariant,
    copy_weights,
    graphs_and_permutations,
    random_graph,
)


def _copy_to_pyg(ours: GCNLayer, **kwargs) -> GCNConv:
    if ours.bias is not None:
        with torch.no_grad():
            ours.bias.normal_()  # a non-zero bias, so that it is checked too
    reference = GCNConv(ours.in_channels, ours.out_channels, bias=ours.bias is not None, **kwargs)
    return copy_weights(ours, reference)


def test_symmetric_norm_by_hand():
    # Path 0 - 1 - 2 with self-loops: degrees 2, 3, 2.
    edge_index = with_self_loops(torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]]), 3)
    norm = symmetric_norm(edge_index, 3)
    expected = {(0, 1): 1 / math.sqrt(6), (1, 0): 1 / math.sqrt(6), (1, 2): 1 / math.sqrt(6),
                (2, 1): 1 / math.sqrt(6), (0, 0): 0.5, (1, 1): 1 / 3, (2, 2): 0.5}
    for (source, target), value in zip(edge_index.t().tolist(), norm.tolist()):
        assert value == pytest.approx(expected[(source, target)])


def test_symmetric_norm_counts_edges_arriving_at_a_node():
    # Directed star 1 -> 0, 2 -> 0 with self-loops: in-degrees 3, 1, 1 (out-degrees 1, 2, 2),
    # the degree that chapter 03's exercise 1 states.
    edge_index = with_self_loops(torch.tensor([[1, 2], [0, 0]]), 3)
    norm = symmetric_norm(edge_index, 3)
    expected = {(1, 0): 1 / math.sqrt(3), (2, 0): 1 / math.sqrt(3), (0, 0): 1 / 3,
                (1, 1): 1.0, (2, 2): 1.0}
    for (source, target), value in zip(edge_index.t().tolist(), norm.tolist()):
        assert value == pytest.approx(expected[(source, target)])


def test_with_self_loops_replaces_existing_loops():
    edge_index = torch.tensor([[0, 1, 1, 2], [1, 0, 1, 2]])  # 1->1 and 2->2 already there
    out = with_self_loops(edge_index, 4)
    pairs = [tuple(pair) for pair in out.t().tolist()]
    assert sorted(pairs) == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (3, 3)]


def test_symmetric_norm_matches_pyg_gcn_norm():
    _, edge_index = random_graph(num_nodes=7, num_edges=20, seed=3)
    loops = with_self_loops(edge_index, 7)
    expected_index, expected = gcn_norm(loops, None, 7, add_self_loops=False)
    assert torch.equal(expected_index, loops)
    assert torch.allclose(symmetric_norm(loops, 7), expected, atol=1e-7)


def test_symmetric_norm_isolated_target_gets_zero():
    edge_index = torch.tensor([[0], [1]])
    norm = symmetric_norm(edge_index, 3)
    assert norm.tolist() == [0.0]  # node 0 sends but receives nothing: 1/sqrt(0) -> 0
    _, expected = gcn_norm(edge_index, None, 3, add_self_loops=False)
    assert norm.tolist() == expected.tolist()  # as PyG's gcn_norm
    loops = with_self_loops(edge_index, 3)  # with self-loops every in-degree is >= 1
    assert bool((symmetric_norm(loops, 3) > 0).all())


def test_gcn_matrix_form_on_a_directed_graph_uses_the_transpose():
    """With A_ij = 1 for an edge i -> j: X' = D~^-1/2 (A + I)^T D~^-1/2 X W^T + b, where D~
    holds the in-degrees (self-loop included) and W = lin.weight is [F_out, F_in]."""
    torch.manual_seed(0)
    edge_index = torch.tensor([[0, 0, 1, 3, 2], [1, 2, 2, 2, 0]])  # directed, no loops
    x = torch.randn(4, 3)
    layer = GCNLayer(3, 2)
    with torch.no_grad():
        layer.bias.normal_()
    adjacency = torch.zeros(4, 4).index_put_((edge_index[0], edge_index[1]), torch.ones(5))
    assert not torch.equal(adjacency, adjacency.t())
    a_hat_t = (adjacency + torch.eye(4)).t()
    in_degree = a_hat_t.sum(dim=1)  # row i of (A + I)^T counts the edges arriving at i
    scale = in_degree.pow(-0.5)
    expected = scale.view(-1, 1) * a_hat_t * scale.view(1, -1) @ x @ layer.lin.weight.t()
    assert torch.allclose(layer(x, edge_index), expected + layer.bias, atol=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gcn_matches_pyg_gcnconv(seed):
    x, edge_index = random_graph(seed=seed)  # random edges: duplicates and self-loops included
    torch.manual_seed(seed)
    ours = GCNLayer(4, 3)
    reference = _copy_to_pyg(ours)
    assert torch.allclose(ours(x, edge_index), reference(x, edge_index), atol=1e-5)


def test_gcn_gradients_match_pyg():
    x, edge_index = random_graph(seed=4)
    ours = GCNLayer(4, 3)
    reference = _copy_to_pyg(ours)
    ours(x, edge_index).pow(2).sum().backward()
    reference(x, edge_index).pow(2).sum().backward()
    assert torch.allclose(ours.lin.weight.grad, reference.lin.weight.grad, atol=1e-5)
    assert torch.allclose(ours.bias.grad, reference.bias.grad, atol=1e-5)


def test_gcn_without_normalisation_matches_pyg():
    x, edge_index = random_graph(seed=5)
    ours = GCNLayer(4, 3, add_self_loops=False, normalize=False, bias=False)
    reference = _copy_to_pyg(ours, normalize=False)
    assert ours.bias is None
    assert torch.allclose(ours(x, edge_index), reference(x, edge_index), atol=1e-5)


def test_gcn_by_hand_on_a_path():
    edge_index = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])
    layer = GCNLayer(1, 1)
    with torch.no_grad():
        layer.lin.weight.fill_(1.0)
    x = torch.tensor([[1.0], [2.0], [4.0]])
    out = layer(x, edge_index).view(-1).tolist()
    s6 = math.sqrt(6)
    assert out == pytest.approx([1 / 2 + 2 / s6, 1 / s6 + 2 / 3 + 4 / s6, 2 / s6 + 4 / 2])


@settings(max_examples=25, deadline=None)
@given(graph=graphs_and_permutations())
def test_gcn_is_permutation_equivariant(graph):
    num_nodes, edge_index, permutation = graph
    torch.manual_seed(0)
    assert_permutation_equivariant(GCNLayer(3, 2), torch.randn(num_nodes, 3), edge_index,
                                   permutation)


@pytest.mark.parametrize("kwargs", [{}, {"add_self_loops": False}, {"normalize": False}])
def test_gcn_ignores_the_order_of_the_edges(kwargs):
    x, edge_index = random_graph(num_nodes=8, num_edges=30, seed=6)
    assert_edge_order_invariant(GCNLayer(4, 3, **kwargs), x, edge_index)


@pytest.mark.parametrize("x, edge_index, error, match", [
    (torch.randn(3, 4), torch.tensor([[0, 3], [1, 0]]), ValueError, "edge_index.*out of range"),
    (torch.randn(3, 4), torch.tensor([[0.0, 1.0], [1.0, 0.0]]), TypeError, "edge_index.*integer"),
    (torch.randn(3, 4), torch.tensor([[0, 1, 2]]), ValueError, r"edge_index.*\[2, E\]"),
    (torch.randn(3, 5), torch.tensor([[0, 1], [1, 0]]), ValueError, "x: expected 4 features"),
    (torch.ones(3, 4, dtype=torch.long), torch.tensor([[0], [1]]), TypeError,
     "x: expected a floating"),
    (torch.randn(4), torch.tensor([[0], [1]]), ValueError, "x: expected a 2-D"),
    ([[0.0] * 4] * 3, torch.tensor([[0], [1]]), TypeError, "x: expected a torch.Tensor"),
    (torch.randn(3, 4).double(), torch.tensor([[0], [1]]), TypeError,
     "x: expected dtype torch.float32"),
])
def test_gcn_bad_input(x, edge_index, error, match):
    with pytest.raises(error, match=match):
        GCNLayer(4, 2)(x, edge_index)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"in_channels": 0}, ValueError, "in_channels: expected an int >= 1"),
    ({"out_channels": 2.0}, TypeError, "out_channels: expected an int"),
    ({"add_self_loops": 1}, TypeError, "add_self_loops: expected True or False"),
    ({"normalize": "yes"}, TypeError, "normalize: expected True or False"),
    ({"bias": None}, TypeError, "bias: expected True or False"),
])
def test_gcn_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        GCNLayer(**{"in_channels": 3, "out_channels": 2, **kwargs})


def test_gcn_accepts_numpy_sizes_as_ints():
    import numpy as np

    layer = GCNLayer(np.int64(3), np.int32(2))
    assert type(layer.in_channels) is int and type(layer.out_channels) is int
    assert repr(layer) == "GCNLayer(3, 2)"


@pytest.mark.parametrize("call, error, match", [
    (lambda: with_self_loops(torch.tensor([[0], [3]]), 3), ValueError,
     "edge_index: node id 3 is out of range"),
    (lambda: with_self_loops(torch.tensor([[0], [1]]), 2.0), TypeError, "num_nodes"),
    (lambda: symmetric_norm(torch.tensor([[0.0], [1.0]]), 2), TypeError, "edge_index"),
    (lambda: symmetric_norm(torch.tensor([[0], [1]]), -1), ValueError, "num_nodes"),
])
def test_edge_helpers_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_gcn_reset_parameters_and_repr():
    layer = GCNLayer(4, 3)
    assert repr(layer) == "GCNLayer(4, 3)"
    assert torch.count_nonzero(layer.bias) == 0
    with torch.no_grad():
        layer.bias.fill_(1.0)
    before = layer.lin.weight.detach().clone()
    layer.reset_parameters()
    assert torch.count_nonzero(layer.bias) == 0
    assert not torch.equal(before, layer.lin.weight)


def test_gcn_in_node_classifier():
    x, edge_index = random_graph(num_nodes=10, num_edges=30, features=5)
    model = NodeClassifier(5, 16, 3, layer=GCNLayer, dropout=0.5)
    model.eval()
    out = model(x, edge_index)
    assert out.shape == (10, 3)
    assert repr(model.conv1) == "GCNLayer(5, 16)"
    # The model checks its inputs once and runs the layers unchecked: same numbers as calling
    # the layers themselves.
    expected = model.conv2(torch.relu(model.conv1(x, edge_index)), edge_index)
    assert torch.allclose(out, expected, atol=1e-6)
    # The layers are still called as modules: a hook on the hidden layer sees its output.
    hidden = []
    model.conv1.register_forward_hook(lambda module, args, output: hidden.append(output))
    model(x, edge_index)
    assert len(hidden) == 1 and torch.allclose(torch.relu(hidden[0]), model.embed(x, edge_index))
    with pytest.raises(ValueError, match="edge_index: node id 10 is out of range"):
        model(x, torch.tensor([[0], [10]]))
