import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_geometric.nn import GINConv

from graph_helpers import assert_equivariant, draw_graph, random_graph
from graphcourse.nn import GINLayer


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
@given(num_nodes=st.integers(1, 7), data=st.data())
def test_gin_is_permutation_equivariant(num_nodes, data):
    edge_index, permutation = draw_graph(data, num_nodes, max_edges=16)
    torch.manual_seed(0)
    assert_equivariant(GINLayer(3, 2), torch.randn(num_nodes, 3), edge_index, permutation)


def test_gin_bad_input():
    with pytest.raises(ValueError, match="edge_index.*out of range"):
        GINLayer(2, 2)(torch.randn(3, 2), torch.tensor([[0], [5]]))
    with pytest.raises(ValueError, match="x: expected 2 features"):
        GINLayer(2, 2)(torch.randn(3, 3), torch.tensor([[0], [1]]))
    with pytest.raises(TypeError, match="edge_index.*integer"):
        GINLayer(2, 2)(torch.randn(3, 2), torch.tensor([[0.0], [1.0]]))
    with pytest.raises(TypeError, match="eps: expected a number, got str"):
        GINLayer(2, 2, eps="0.1")


def test_gin_reset_parameters_and_repr():
    layer = GINLayer(4, 3, eps=0.1, train_eps=True)
    assert repr(layer) == "GINLayer(4, 3, eps=0.1, train_eps=True)"
    with torch.no_grad():
        layer.eps.fill_(2.0)
    before = layer.mlp[0].weight.detach().clone()
    layer.reset_parameters()
    assert float(layer.eps) == pytest.approx(0.1)
    assert not torch.equal(before, layer.mlp[0].weight)
