import pytest
import torch
from hypothesis import given, settings
from torch_geometric.nn import GINConv

from graphcourse.nn import GINClassifier, GINLayer, NodeClassifier
from harness import (
    assert_edge_order_invariant,
    assert_permutation_equivariant,
    graphs_and_permutations,
    random_graph,
    undirected_edges,
)


def test_gin_by_hand_with_identity_mlp():
    layer = GINLayer(1, 1, eps=0.5, mlp=torch.nn.Identity())
    x = torch.tensor([[1.0], [2.0], [4.0]])
    edge_index = torch.tensor([[1, 2, 0], [0, 0, 1]])  # 1->0, 2->0, 0->1
    assert layer(x, edge_index).view(-1).tolist() == [1.5 + 6.0, 3.0 + 1.0, 6.0]


@pytest.mark.parametrize("eps, train_eps", [(0.0, False), (0.3, True)])
def test_gin_matches_pyg_ginconv(eps, train_eps):
    x, edge_index = random_graph()
    ours = GINLayer(4, 3, hidden_channels=5, eps=eps, train_eps=train_eps)
    reference = GINConv(ours.mlp, eps=eps, train_eps=train_eps)
    assert torch.allclose(ours(x, edge_index), reference(x, edge_index), atol=1e-6)
    assert isinstance(ours.eps, torch.nn.Parameter) == train_eps


def test_gin_sum_tells_multisets_apart():
    # Node 0 hears {1, 1} in one graph and {1} in the other: a mean cannot tell, a sum can.
    layer = GINLayer(1, 1, mlp=torch.nn.Identity())
    x = torch.tensor([[0.0], [1.0], [1.0]])
    two = layer(x, torch.tensor([[1, 2], [0, 0]]))
    one = layer(x, torch.tensor([[1], [0]]))
    assert float(two[0]) == 2.0 and float(one[0]) == 1.0


@settings(max_examples=20, deadline=None)
@given(graph=graphs_and_permutations(max_nodes=7, max_edges=16))
def test_gin_is_permutation_equivariant(graph):
    num_nodes, edge_index, permutation = graph
    torch.manual_seed(0)
    assert_permutation_equivariant(GINLayer(3, 2), torch.randn(num_nodes, 3), edge_index,
                                   permutation)


def test_gin_ignores_the_order_of_the_edges():
    x, edge_index = random_graph(num_nodes=8, num_edges=30, seed=8)
    assert_edge_order_invariant(GINLayer(4, 3, eps=0.2), x, edge_index)


def test_gin_in_node_classifier_matches_the_layers():
    x, edge_index = random_graph(num_nodes=8, num_edges=20)
    model = NodeClassifier(4, 6, 3, layer=GINLayer).eval()
    expected = model.conv2(torch.relu(model.conv1(x, edge_index)), edge_index)
    assert torch.allclose(model(x, edge_index), expected, atol=1e-6)


@pytest.mark.parametrize("x, edge_index, error, match", [
    (torch.randn(3, 2), torch.tensor([[0], [5]]), ValueError, "edge_index.*out of range"),
    (torch.randn(3, 3), torch.tensor([[0], [1]]), ValueError, "x: expected 2 features"),
    (torch.randn(3, 2), torch.tensor([[0.0], [1.0]]), TypeError, "edge_index.*integer"),
    (torch.randn(3, 2).double(), torch.tensor([[0], [1]]), TypeError,
     "x: expected dtype torch.float32"),
])
def test_gin_bad_input(x, edge_index, error, match):
    with pytest.raises(error, match=match):
        GINLayer(2, 2)(x, edge_index)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"eps": "0.1"}, TypeError, "eps: expected a number, got str"),
    ({"eps": float("nan")}, ValueError, "eps: expected a number, got nan"),
    ({"eps": float("inf")}, ValueError, "eps: expected a finite number"),
    ({"train_eps": 1}, TypeError, "train_eps: expected True or False"),
    ({"hidden_channels": 0}, ValueError, "hidden_channels: expected an int >= 1"),
    ({"mlp": lambda h: h}, TypeError, "mlp: expected a torch.nn.Module"),
])
def test_gin_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        GINLayer(2, 2, **kwargs)


def test_gin_reset_parameters_and_repr():
    layer = GINLayer(4, 3, eps=0.1, train_eps=True)
    assert repr(layer) == "GINLayer(4, 3, eps=0.1, train_eps=True)"
    with torch.no_grad():
        layer.eps.fill_(2.0)
    before = layer.mlp[0].weight.detach().clone()
    layer.reset_parameters()
    assert float(layer.eps) == pytest.approx(0.1)
    assert not torch.equal(before, layer.mlp[0].weight)


def test_gin_classifier_sees_structure_only_and_ignores_node_order():
    """Constant inputs: two 4-regular graphs of the same size get the same logits (the 1-WL
    limit), a permuted graph the same logits, and a path differs from a star."""
    from torch_geometric.data import Batch, Data

    torch.manual_seed(0)
    model = GINClassifier(8, 3).eval()
    nodes = torch.zeros(4, dtype=torch.long)
    path = Data(x=nodes, edge_index=undirected_edges([(0, 1), (1, 2), (2, 3)]))
    star = Data(x=nodes, edge_index=undirected_edges([(0, 1), (0, 2), (0, 3)]))
    order = torch.tensor([2, 0, 3, 1])  # old id -> new id
    permuted = Data(x=path.x, edge_index=order[path.edge_index])
    batch = Batch.from_data_list([path, star, permuted])
    logits = model(batch.x, batch.edge_index, batch.batch)
    assert logits.shape == (3, 3)
    assert torch.allclose(logits[0], logits[2], atol=1e-6)
    assert not torch.allclose(logits[0], logits[1], atol=1e-3)
