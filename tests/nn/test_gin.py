import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_geometric.nn import GINConv

from graphcourse.nn import GINLayer


def _graph(num_nodes=6, num_edges=14, features=4, seed=0):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(num_nodes, features, generator=generator)
    edge_index = torch.randint(0, num_nodes, (2, num_edges), generator=generator)
    return x, edge_index


def test_gin_by_hand_with_identity_mlp():
    layer = GINLayer(1, 1, eps=0.5, mlp=torch.nn.Identity())
    x = torch.tensor([[1.0], [2.0], [4.0]])
    edge_index = torch.tensor([[1, 2, 0], [0, 0, 1]])  # 1->0, 2->0, 0->1
    assert layer(x, edge_index).view(-1).tolist() == [1.5 + 6.0, 3.0 + 1.0, 6.0]


@pytest.mark.parametrize("eps, train_eps", [(0.0, False), (0.3, True)])
def test_gin_matches_pyg_ginconv(eps, train_eps):
    x, edge_index = _graph()
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
    pairs = data.draw(st.lists(st.tuples(st.integers(0, num_nodes - 1),
                                         st.integers(0, num_nodes - 1)), max_size=16))
    permutation = torch.tensor(data.draw(st.permutations(list(range(num_nodes)))))
    edge_index = torch.tensor(pairs, dtype=torch.long).t().reshape(2, -1)
    torch.manual_seed(0)
    x = torch.randn(num_nodes, 3)
    layer = GINLayer(3, 2)
    new_id = torch.empty_like(permutation)
    new_id[permutation] = torch.arange(num_nodes)
    out = layer(x, edge_index)
    assert torch.allclose(layer(x[permutation], new_id[edge_index]), out[permutation], atol=1e-5)


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
