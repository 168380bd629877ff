"""graphcourse.nn.graph_autoencoder against PyG's GAE / VGAE / InnerProductDecoder."""

import pytest
import torch
from torch import nn
from torch_geometric.data import Data
from torch_geometric.nn import GAE, VGAE, GCNConv, InnerProductDecoder
from torch_geometric.utils import negative_sampling

from graphcourse import data as gdata
from graphcourse.nn import graph_autoencoder as ga
from graphcourse.train import set_seed
from harness import copy_weights, random_graph


class PygEncoder(nn.Module):
    """PyG's example encoder: GCNConv -> ReLU -> GCNConv (and a logstd head for VGAE)."""

    def __init__(self, features, hidden, code, variational=False):
        super().__init__()
        self.conv1 = GCNConv(features, hidden)
        self.conv_mu = GCNConv(hidden, code)
        self.conv_logstd = GCNConv(hidden, code) if variational else None

    def forward(self, x, edge_index):
        h = self.conv1(x, edge_index).relu()
        mu = self.conv_mu(h, edge_index)
        return mu if self.conv_logstd is None else (mu, self.conv_logstd(h, edge_index))


def _mapping(variational=False):
    names = ["conv1", "conv_mu"] + (["conv_logstd"] if variational else [])
    mapping = {}
    for name in names:
        ours = "conv_logvar" if name == "conv_logstd" else name
        mapping[f"{name}.lin.weight"] = f"{ours}.lin.weight"
        mapping[f"{name}.bias"] = f"{ours}.bias"
    return mapping


@pytest.fixture(scope="module")
def graph():
    x, edge_index = random_graph(12, 30, features=5, seed=0, self_loops=False,
                                 duplicates=False, directed=False)
    return x, edge_index


def test_scores_equal_inner_product_decoder(graph):
    z = torch.randn(12, 4, generator=torch.Generator().manual_seed(1))
    _, edge_index = graph
    decoder = InnerProductDecoder()
    torch.testing.assert_close(torch.sigmoid(ga.link_logits(z, edge_index)),
                               decoder(z, edge_index, sigmoid=True))
    torch.testing.assert_close(ga.link_logits(z, edge_index), decoder(z, edge_index, False))
    model = ga.GraphAutoencoder(5, 8, 4)
    torch.testing.assert_close(model.link_logits(z, edge_index), decoder(z, edge_index, False))


def test_encoder_and_losses_equal_pyg_gae(graph):
    x, edge_index = graph
    torch.manual_seed(0)
    ours = ga.GraphAutoencoder(5, 8, 4)
    reference = GAE(PygEncoder(5, 8, 4))  # GAE resets its encoder: copy the weights after
    copy_weights(ours, reference.encoder, _mapping())
    z = ours.encode(x, edge_index)
    torch.testing.assert_close(z, reference.encode(x, edge_index), atol=1e-5, rtol=0)
    negatives = negative_sampling(edge_index, 12)
    torch.testing.assert_close(ga.recon_loss(z, edge_index, negatives),
                               reference.recon_loss(z, edge_index, negatives))
    auc, ap = ga.link_metrics(z, edge_index, negatives)
    ref_auc, ref_ap = reference.test(z, edge_index, negatives)
    assert auc == pytest.approx(ref_auc) and ap == pytest.approx(ref_ap)


def test_variational_loss_equals_pyg_vgae(graph):
    x, edge_index = graph
    torch.manual_seed(0)
    ours = ga.GraphAutoencoder(5, 8, 4, variational=True).eval()
    reference = VGAE(PygEncoder(5, 8, 4, True)).eval()
    copy_weights(ours, reference.encoder, _mapping(True))
    code = ours.encode(x, edge_index)
    assert isinstance(code, ga.GraphCode) and torch.equal(code.z, code.mu)  # eval: the means
    z = reference.encode(x, edge_index)
    torch.testing.assert_close(code.z, z, atol=1e-5, rtol=0)
    # PyG's encoder returns log sigma where ours returns log sigma^2 (same weights, so here
    # the same numbers): compare the KL with logstd = logvar / 2.
    negatives = negative_sampling(edge_index, 12)
    expected = (reference.recon_loss(z, edge_index, negatives)
                + reference.kl_loss(code.mu, code.logvar / 2) / 12)
    torch.testing.assert_close(ga.recon_loss(code, edge_index, negatives), expected)
    ours.train()
    drawn = ours.encode(x, edge_index)
    assert not torch.equal(drawn.z, drawn.mu)


def test_negatives_are_sampled_when_not_given(graph):
    x, edge_index = graph
    z = torch.randn(12, 4, generator=torch.Generator().manual_seed(2))
    set_seed(3)  # negative_sampling draws with torch, or with Python's random on small graphs
    loss = ga.recon_loss(z, edge_index)
    set_seed(3)
    reference = GAE(nn.Identity()).recon_loss(z, edge_index)
    torch.testing.assert_close(loss, reference)


def test_link_split_and_a_short_fit():
    full = gdata.digits_graph()
    train, val, test = ga.link_split(full, 0.05, 0.1, seed=0)
    again = ga.link_split(full, 0.05, 0.1, seed=0)[2]
    assert torch.equal(test.pos_edge_label_index, again.pos_edge_label_index)
    undirected = full.edge_index.size(1) // 2
    assert val.pos_edge_label_index.size(1) == int(0.05 * undirected)
    assert test.neg_edge_label_index.size(1) == test.pos_edge_label_index.size(1)
    seen = {tuple(e) for e in train.edge_index.t().tolist()}
    assert not any(tuple(e) in seen for e in test.pos_edge_label_index.t().tolist())
    torch.manual_seed(0)
    model = ga.GraphAutoencoder(64, 16, 8)
    history = ga.fit_link_prediction(model, train, 30, val=val, eval_every=30, progress=False)
    assert history.loss[-1] < history.loss[0]
    assert history.last("val_auc") > 0.85


def test_repr_and_reset():
    model = ga.GraphAutoencoder(5, 8, 4, variational=True)
    assert repr(model) == "GraphAutoencoder(5 -> 8 -> 4, variational)"
    before = model.conv1.lin.weight.clone()
    model.reset_parameters()
    assert not torch.equal(before, model.conv1.lin.weight)


def test_data_without_edges_is_refused():
    with pytest.raises(ValueError, match="data: missing attribute 'edge_index'"):
        ga.link_split(Data(x=torch.zeros(3, 2)))
