import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_geometric.nn import SAGEConv
from torch_geometric.utils import scatter

from graphcourse import _validate
from graphcourse.nn import (
    ChebLayer,
    GCNLayer,
    MeanLayer,
    NodeClassifier,
    SAGELayer,
    lstm_aggregate,
    mean_aggregate,
)
from harness import (
    assert_edge_order_invariant,
    assert_permutation_equivariant,
    copy_weights,
    random_graph,
)


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
    reference = copy_weights(ours, SAGEConv(4, 3, aggr="mean", root_weight=True), {
        "lin_r.weight": lambda s: s["lin.weight"][:, :4],  # acts on h_v
        "lin_l.weight": lambda s: s["lin.weight"][:, 4:],  # acts on the mean
        "lin_l.bias": "lin.bias"})
    assert torch.allclose(ours(x, edge_index), reference(x, edge_index), atol=1e-6)


def test_sage_max_pool_matches_pyg():
    x, edge_index = random_graph(seed=1)
    ours = SAGELayer(4, 3, aggr="max")
    reference = copy_weights(ours, SAGEConv(4, 3, aggr="max", project=True), {
        "lin.weight": "pool.weight", "lin.bias": "pool.bias",
        "lin_r.weight": lambda s: s["lin.weight"][:, :4],
        "lin_l.weight": lambda s: s["lin.weight"][:, 4:], "lin_l.bias": "lin.bias"})
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
    reference = copy_weights(ours, SAGEConv(4, 3, aggr="mean"), {
        "lin_l.weight": "lin_neigh.weight", "lin_l.bias": "lin_neigh.bias",
        "lin_r.weight": "lin_self.weight"})
    assert torch.allclose(ours(x, edge_index), reference(x, edge_index), atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), aggr=st.sampled_from(["mean", "max"]))
def test_sage_is_permutation_equivariant(seed, aggr):
    torch.manual_seed(seed)
    x, edge_index = random_graph(num_nodes=7, num_edges=16, seed=seed)
    assert_permutation_equivariant(SAGELayer(4, 3, aggr=aggr), x, edge_index, seed=seed)


# The LSTM aggregator is left out on purpose: it reads the neighbours in the order the edges
# list them, so it depends on that order by design (see the next test).
@pytest.mark.parametrize("make", [lambda: MeanLayer(4, 3), lambda: SAGELayer(4, 3),
                                  lambda: SAGELayer(4, 3, aggr="max"),
                                  lambda: SAGELayer(4, 3, normalize=True)])
def test_sage_layers_ignore_the_order_of_the_edges(make):
    x, edge_index = random_graph(num_nodes=8, num_edges=30, seed=9)
    assert_edge_order_invariant(make(), x, edge_index)
    assert_edge_order_invariant(mean_aggregate, x, edge_index)


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
    with pytest.raises(ValueError, match="aggr: expected one of 'mean', 'max', 'lstm'"):
        SAGELayer(4, 3, aggr="sum")
    with pytest.raises(TypeError, match="aggr: expected one of"):
        SAGELayer(4, 3, aggr=None)
    with pytest.raises(TypeError, match="normalize: expected True or False"):
        SAGELayer(4, 3, normalize="l2")
    with pytest.raises(ValueError, match="in_channels"):
        SAGELayer(0, 3)
    with pytest.raises(ValueError, match="layer"):
        NodeClassifier(4, 8, 2, layer="gcn")
    with pytest.raises(ValueError, match="dropout"):
        NodeClassifier(4, 8, 2, dropout=1.0)


@pytest.mark.parametrize("args, match", [
    ((34, 16.0, 4), "hidden_channels: expected an int"),
    ((34.0, 16, 4), "in_channels: expected an int"),
    ((34, 16, "4"), "out_channels: expected an int"),
])
def test_node_classifier_blames_the_right_size(args, match):
    with pytest.raises(TypeError, match=match):
        NodeClassifier(*args)


def test_node_classifier_layer_must_build_a_module():
    with pytest.raises(TypeError, match="layer: expected 'sage', 'mean' or a callable"):
        NodeClassifier(4, 8, 2, layer=3)
    with pytest.raises(TypeError, match="layer: expected a factory returning a torch.nn.Module"):
        NodeClassifier(4, 8, 2, layer=lambda i, o: None)


@pytest.mark.parametrize("layer", ["sage", "mean", GCNLayer, lambda i, o: ChebLayer(i, o, K=2)])
def test_node_classifier_checks_edge_ids_once(layer, monkeypatch):
    calls = []
    original = _validate.check_edge_index
    monkeypatch.setattr(_validate, "check_edge_index",
                        lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs))
    x, edge_index = random_graph(num_nodes=8, num_edges=20)
    model = NodeClassifier(4, 8, 3, layer=layer).eval()
    out = model(x, edge_index)
    assert len(calls) == 1  # the model checks, its layers do not
    calls.clear()
    expected = model.conv2(torch.relu(model.conv1(x, edge_index)), edge_index)
    assert torch.allclose(out, expected, atol=1e-6)
    with pytest.raises(ValueError, match="edge_index: node id 8 is out of range"):
        model(x, torch.tensor([[0], [8]]))
    with pytest.raises(ValueError, match=r"x: expected 4 features per node"):
        model(torch.randn(8, 5), edge_index)


def test_node_classifier_calls_a_layer_that_overrides_forward():
    class Loud(MeanLayer):
        def forward(self, x, edge_index):
            return super().forward(x, edge_index) + 100.0

    x, edge_index = random_graph()
    model = NodeClassifier(4, 8, 3, layer=Loud, dropout=0.0)
    hidden = model.embed(x, edge_index)
    assert torch.allclose(hidden, torch.relu(model.conv1(x, edge_index)))
    assert float(hidden.mean()) > 50.0  # the override ran: about 100 + a small h


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
    with pytest.raises(TypeError, match="lstm: expected a torch.nn.LSTM"):
        lstm_aggregate(x, edge_index, torch.nn.GRU(5, 4, batch_first=True))
    with pytest.raises(ValueError, match="lstm: expected a one-directional LSTM"):
        lstm_aggregate(x, edge_index, torch.nn.LSTM(5, 4, bidirectional=True))


@pytest.mark.parametrize("dropout, error", [("0.5", TypeError), (True, TypeError),
                                            (-0.1, ValueError)])
def test_node_classifier_dropout_type(dropout, error):
    with pytest.raises(error, match="dropout"):
        NodeClassifier(4, 8, 2, dropout=dropout)


def test_node_classifier_leaves_a_pyg_layers_inputs_to_it():
    """A PyG layer may take inputs the course's layers do not (a sparse adjacency): the model
    checks x and edge_index for its own layers only."""
    from torch_geometric.nn import GCNConv
    from torch_geometric.utils import to_torch_csr_tensor

    x, edge_index = random_graph(num_nodes=7, num_edges=16, features=4)
    model = NodeClassifier(4, 8, 3, layer=GCNConv, dropout=0.0).eval()
    adj = to_torch_csr_tensor(edge_index.flip(0), size=7)  # adj_t: row = target
    expected = model.conv2(torch.relu(model.conv1(x, adj)), adj)
    assert torch.allclose(model(x, adj), expected)
