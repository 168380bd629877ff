import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_geometric.nn import SAGEConv
from torch_geometric.utils import scatter

from graph_helpers import assert_equivariant, random_graph
from graphcourse.nn import MeanLayer, NodeClassifier, SAGELayer, lstm_aggregate, mean_aggregate


def test_mean_aggregate_by_hand():
    x = torch.tensor([[1.0], [2.0], [4.0], [8.0]])
    edge_index = torch.tensor([[1, 2, 0], [0, 0, 1]])  # 1->0, 2->0, 0->1; node 2, 3 get none
    assert mean_aggregate(x, edge_index).view(-1).tolist() == [3.0, 1.0, 0.0, 0.0]


def test_mean_aggregate_matches_pyg_scatter():
    x, edge_index = random_graph()
    expected = scatter(x[edge_index[0]], edge_index[1], 0, dim_size=6, reduce="mean")
    assert torch.allclose(mean_aggregate(x, edge_index), expected)


@pytest.mark.parametrize("bad, match, error", [
    (torch.tensor([[0, 7], [1, 0]]), "out of range", ValueError),
    (torch.tensor([[0, -1], [1, 0]]), ">= 0", ValueError),
    (torch.tensor([[0.0, 1.0], [1.0, 0.0]]), "integer", TypeError),
    (torch.tensor([[0, 1, 2]]), r"\[2, E\]", ValueError),
])
def test_bad_edge_index(bad, match, error):
    with pytest.raises(error, match=f"edge_index.*{match}"):
        mean_aggregate(torch.randn(3, 2), bad)


def test_bad_features():
    with pytest.raises(ValueError, match="x: expected a 2-D"):
        mean_aggregate(torch.randn(3), torch.tensor([[0], [1]]))
    with pytest.raises(TypeError, match="x: expected a floating"):
        mean_aggregate(torch.ones(3, 2, dtype=torch.long), torch.tensor([[0], [1]]))


def test_sage_mean_matches_pyg_sageconv():
    x, edge_index = random_graph()
    ours = SAGELayer(4, 3, aggr="mean")
    reference = SAGEConv(4, 3, aggr="mean", root_weight=True)
    with torch.no_grad():
        reference.lin_r.weight.copy_(ours.lin.weight[:, :4])  # acts on h_v
        reference.lin_l.weight.copy_(ours.lin.weight[:, 4:])  # acts on the mean
        reference.lin_l.bias.copy_(ours.lin.bias)
    assert torch.allclose(ours(x, edge_index), reference(x, edge_index), atol=1e-6)


def test_sage_max_pool_matches_pyg():
    x, edge_index = random_graph(seed=1)
    ours = SAGELayer(4, 3, aggr="max")
    reference = SAGEConv(4, 3, aggr="max", project=True)
    with torch.no_grad():
        reference.lin.weight.copy_(ours.pool.weight)
        reference.lin.bias.copy_(ours.pool.bias)
        reference.lin_r.weight.copy_(ours.lin.weight[:, :4])
        reference.lin_l.weight.copy_(ours.lin.weight[:, 4:])
        reference.lin_l.bias.copy_(ours.lin.bias)
    assert torch.allclose(ours(x, edge_index), reference(x, edge_index), atol=1e-6)


def test_mean_layer_equation():
    x, edge_index = random_graph(seed=2)
    layer = MeanLayer(4, 2)
    expected = mean_aggregate(x, edge_index) @ layer.lin_neigh.weight.T \
        + layer.lin_neigh.bias + x @ layer.lin_self.weight.T
    assert torch.allclose(layer(x, edge_index), expected, atol=1e-6)


def test_mean_layer_is_pyg_sageconv_with_mean_aggregation():
    # The mean update W mean_u h_u + B h_v is PyG's SAGEConv form: W = lin_l (with the bias),
    # B = lin_r (no bias). Repeated edges count twice in both.
    x, edge_index = random_graph(seed=3)
    edge_index = torch.cat([edge_index, edge_index[:, :2]], dim=1)
    ours = MeanLayer(4, 3)
    reference = SAGEConv(4, 3, aggr="mean")
    with torch.no_grad():
        reference.lin_l.weight.copy_(ours.lin_neigh.weight)
        reference.lin_l.bias.copy_(ours.lin_neigh.bias)
        reference.lin_r.weight.copy_(ours.lin_self.weight)
    assert torch.allclose(ours(x, edge_index), reference(x, edge_index), atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), aggr=st.sampled_from(["mean", "max"]))
def test_sage_is_permutation_equivariant(seed, aggr):
    torch.manual_seed(seed)
    x, edge_index = random_graph(num_nodes=7, num_edges=16, seed=seed)
    assert_equivariant(SAGELayer(4, 3, aggr=aggr), x, edge_index, torch.randperm(7))


def test_lstm_aggregator_depends_on_neighbour_order():
    torch.manual_seed(0)
    x = torch.randn(4, 3)
    edge_index = torch.tensor([[1, 2, 3], [0, 0, 0]])
    lstm = torch.nn.LSTM(3, 3, batch_first=True)
    forward = lstm_aggregate(x, edge_index, lstm)
    backward = lstm_aggregate(x, edge_index.flip(1), lstm)
    assert (forward[0] - backward[0]).abs().max() > 1e-3  # not order invariant
    assert torch.equal(forward[1:], torch.zeros(3, 3))   # no in-neighbours -> zeros
    mean_forward = mean_aggregate(x, edge_index)
    assert torch.allclose(mean_forward, mean_aggregate(x, edge_index.flip(1)))


def test_repr_reset_and_bad_arguments():
    layer = SAGELayer(4, 3, aggr="max")
    assert repr(layer) == "SAGELayer(4, 3, aggr='max')"
    assert repr(MeanLayer(2, 5)) == "MeanLayer(2, 5)"
    before = layer.lin.weight.clone()
    layer.reset_parameters()
    assert not torch.equal(before, layer.lin.weight)
    with pytest.raises(ValueError, match="aggr"):
        SAGELayer(4, 3, aggr="sum")
    with pytest.raises(ValueError, match="in_channels"):
        SAGELayer(0, 3)
    with pytest.raises(ValueError, match="layer"):
        NodeClassifier(4, 8, 2, layer="gcn")
    with pytest.raises(ValueError, match="dropout"):
        NodeClassifier(4, 8, 2, dropout=1.0)


def test_node_classifier_shapes():
    x, edge_index = random_graph()
    model = NodeClassifier(4, 8, 3, layer="mean")
    assert model(x, edge_index).shape == (6, 3)
    assert model.embed(x, edge_index).shape == (6, 8)


@pytest.mark.parametrize("make", [
    lambda: MeanLayer(4, 3),
    lambda: SAGELayer(4, 3, aggr="mean"),
    lambda: SAGELayer(4, 3, aggr="max"),
    lambda: SAGELayer(4, 3, aggr="lstm"),
])
def test_wrong_feature_count_names_x(make):
    x, edge_index = random_graph(features=5)
    with pytest.raises(ValueError, match=r"x: expected 4 features per node .*got 5"):
        make()(x, edge_index)


@pytest.mark.parametrize("make", [lambda: MeanLayer(4, 3), lambda: SAGELayer(4, 3),
                                  lambda: SAGELayer(4, 3, aggr="max")])
def test_float64_features_into_float32_layer(make):
    x, edge_index = random_graph()
    with pytest.raises(TypeError, match="x: expected dtype torch.float32 .*got torch.float64"):
        make()(x.double(), edge_index)
    assert make().double()(x.double(), edge_index).dtype == torch.float64  # matching dtypes


def test_lstm_aggregate_checks_features_against_the_lstm():
    x, edge_index = random_graph(features=5)
    with pytest.raises(ValueError, match="x: expected 4 features"):
        lstm_aggregate(x, edge_index, torch.nn.LSTM(4, 4, batch_first=True))


@pytest.mark.parametrize("dropout, error", [("0.5", TypeError), (True, TypeError),
                                            (-0.1, ValueError)])
def test_node_classifier_dropout_type(dropout, error):
    with pytest.raises(error, match="dropout"):
        NodeClassifier(4, 8, 2, dropout=dropout)
