"""Graphormer's encodings and model (graphcourse.nn.graphormer, graphormer_encodings)."""

import math

import pytest
import torch
from torch_geometric.data import Batch, Data

from graphcourse.nn.attention import MultiHeadAttention
from graphcourse.nn.graphormer import Graphormer, GraphormerConfig, GraphormerLayer
from graphcourse.nn.graphormer_encodings import (
    CentralityEncoding,
    EdgeEncoding,
    SpatialEncoding,
)
from graphcourse.structure import shortest_paths
from harness import undirected_edges


def _undirected(pairs, types=None):
    edge_index = undirected_edges(pairs)
    attr = None if types is None else torch.tensor(types + types, dtype=torch.long)
    return edge_index, attr


def _random_graph(n, p, generator, edge_types=3):
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)
             if torch.rand(1, generator=generator) < p]
    edge_index, _ = _undirected(pairs) if pairs else (torch.empty(2, 0, dtype=torch.long), None)
    types = torch.randint(0, edge_types, (len(pairs),), generator=generator)
    x = torch.randint(0, 5, (n, 2), generator=generator)
    return Data(x=x, edge_index=edge_index, edge_attr=torch.cat([types, types]), num_nodes=n)


def _random_tree(n, generator, edge_types=3):
    pairs = [(int(torch.randint(0, i, (1,), generator=generator)), i) for i in range(1, n)]
    types = torch.randint(0, edge_types, (len(pairs),), generator=generator).tolist()
    edge_index, attr = _undirected(pairs, types)
    x = torch.randint(0, 5, (n, 2), generator=generator)
    return Data(x=x, edge_index=edge_index, edge_attr=attr, num_nodes=n)


def _model(**fields):
    torch.manual_seed(0)
    base = dict(num_node_types=5, num_edge_types=3, d_model=16, heads=4, layers=2, ffn=32)
    base.update(fields)
    return Graphormer(**base).eval()


def _permute(graph, perm):
    """perm[old] = new node id."""
    x = torch.empty_like(graph.x)
    x[perm] = graph.x
    return Data(x=x, edge_index=perm[graph.edge_index], edge_attr=graph.edge_attr,
                num_nodes=graph.num_nodes)


def test_biased_attention_matches_torch_sdpa():
    torch.manual_seed(0)
    q, k, v = (torch.randn(2, 3, 5, 4) for _ in range(3))
    bias = torch.randn(2, 3, 5, 5)
    mask = torch.rand(2, 1, 5, 5) > 0.3
    mask[..., 0] = True  # every query keeps a key
    layer = MultiHeadAttention(12, 3)
    from graphcourse.nn.attention import _attend

    ours, _ = _attend(q, k, v, mask, bias, 0.0, False)
    float_mask = bias + torch.zeros_like(bias).masked_fill(~mask, float("-inf"))
    reference = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=float_mask)
    assert torch.allclose(ours, reference, atol=1e-5)
    x = torch.randn(2, 5, 12)
    out, weights = layer(x, mask=mask, bias=bias)  # the public layer takes the same bias
    assert out.shape == (2, 5, 12) and torch.allclose(weights.sum(-1), torch.ones(2, 3, 5))


@pytest.mark.parametrize("seed", range(4))
def test_permutation_equivariance_without_edge_features(seed):
    generator = torch.Generator().manual_seed(seed)
    graph = _random_graph(9, 0.3, generator)
    model = _model(edge=False)
    perm = torch.randperm(9, generator=generator)
    out = model.encode(graph.x, graph.edge_index)
    moved = _permute(graph, perm)
    out_p = model.encode(moved.x, moved.edge_index)
    assert torch.allclose(out_p.graph, out.graph, atol=1e-5)
    assert torch.allclose(out_p.nodes[0][perm], out.nodes[0], atol=1e-5)


@pytest.mark.parametrize("seed", range(3))
def test_permutation_equivariance_with_edge_encoding_on_trees(seed):
    # on a tree every pair has one shortest path, so the edge encoding is well defined
    generator = torch.Generator().manual_seed(seed)
    graph = _random_tree(10, generator)
    model = _model()
    perm = torch.randperm(10, generator=generator)
    out = model.encode(graph.x, graph.edge_index, graph.edge_attr)
    moved = _permute(graph, perm)
    out_p = model.encode(moved.x, moved.edge_index, moved.edge_attr)
    assert torch.allclose(out_p.graph, out.graph, atol=1e-5)
    assert torch.allclose(out_p.nodes[0][perm], out.nodes[0], atol=1e-5)


def test_a_padded_batch_gives_each_graph_its_own_output():
    generator = torch.Generator().manual_seed(1)
    small, large = _random_graph(4, 0.6, generator), _random_graph(11, 0.3, generator)
    model = _model()
    batch = Batch.from_data_list([small, large])
    together = model.encode(batch.x, batch.edge_index, batch.edge_attr, batch.batch)
    assert together.nodes.shape == (2, 11, 16) and together.mask.sum(1).tolist() == [4, 11]
    for b, graph in enumerate((small, large)):
        alone = model.encode(graph.x, graph.edge_index, graph.edge_attr)
        n = graph.num_nodes
        assert torch.allclose(together.graph[b], alone.graph[0], atol=1e-5)
        assert torch.allclose(together.nodes[b, :n], alone.nodes[0], atol=1e-5)
    out = model(batch.x, batch.edge_index, batch.edge_attr, batch.batch)
    assert out.shape == (2, 1) and torch.isfinite(out).all()
    out.sum().backward()  # padding and masked pairs leave finite gradients
    assert all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None)


def test_far_and_unreachable_pairs_get_no_attention():
    pairs = [(i, i + 1) for i in range(24)]  # a path of 25 nodes, and an isolated node 25
    edge_index, _ = _undirected(pairs)
    x = torch.zeros(26, dtype=torch.long)
    model = _model(edge=False, max_distance=20)
    weights = model.encode(x, edge_index, return_attention=True).attention[0][0]  # [H, T, T]
    assert (weights[:, 1 + 0, 1 + 20] == 0).all() and (weights[:, 1 + 0, 1 + 19] > 0).all()
    assert (weights[:, 1 + 25, 1:1 + 25] == 0).all()  # unreachable
    assert (weights[:, 1 + 25, 0] > 0).all()  # the virtual node stays reachable
    open_model = _model(edge=False, spatial=False)  # without the spatial encoding: no masking
    weights = open_model.encode(x, edge_index, return_attention=True).attention[0][0]
    assert (weights[:, 1, 21] > 0).all()


def test_virtual_node_bias_is_its_own_parameter():
    model = _model(edge=False)
    graph = _random_graph(6, 0.5, torch.Generator().manual_seed(0))
    before = model(graph.x, graph.edge_index)
    with torch.no_grad():
        model.virtual_distance.weight.fill_(3.0)
    after = model(graph.x, graph.edge_index)
    assert not torch.allclose(before, after)
    assert model.virtual_distance.weight.data_ptr() != model.spatial.bias.weight.data_ptr()
    # the token row (itself included) and column carry t; node pairs carry b[phi]
    weights = model.encode(graph.x, graph.edge_index, return_attention=True).attention[0]
    assert weights.shape == (1, 4, 7, 7)


def test_spatial_encoding_looks_up_the_distance_table():
    layer = SpatialEncoding(max_distance=3, heads=2)
    distance = torch.tensor([[[0, 1, 2], [1, 0, 510], [2, 3, 0]]])
    bias, near = layer(distance)
    table = layer.bias.weight  # [3, 2]
    assert torch.equal(bias[0, :, 0, 2], table[2]) and torch.equal(bias[0, :, 1, 0], table[1])
    assert near.tolist() == [[[True, True, True], [True, True, False], [True, False, True]]]


def test_edge_encoding_by_hand():
    # path 0 -(type 1)- 1 -(type 2)- 2: c_02 = (emb[1] W_0 + emb[2] W_1) / 2
    edge_index, attr = _undirected([(0, 1), (1, 2)], [1, 2])
    layer = EdgeEncoding(num_edge_types=3, heads=2, max_hops=4)
    paths = shortest_paths(edge_index, 3)
    out = layer(attr, paths.path_edges, paths.distance)  # [1, 2, 3, 3]
    emb, w = layer.embedding.weight, layer.hop_weights
    expected = (emb[1] @ w[0] + emb[2] @ w[1]) / 2
    assert torch.allclose(out[0, :, 0, 2], expected, atol=1e-6)
    assert torch.allclose(out[0, :, 2, 0], (emb[2] @ w[0] + emb[1] @ w[1]) / 2, atol=1e-6)
    assert torch.allclose(out[0, :, 0, 1], emb[1] @ w[0], atol=1e-6)
    assert torch.equal(out[0, :, 1, 1], torch.zeros(2))
    # two feature columns are averaged
    both = layer(torch.stack([attr, torch.zeros_like(attr)], 1), paths.path_edges,
                 paths.distance)
    assert torch.allclose(both[0, :, 0, 1], ((emb[1] + emb[0]) / 2) @ w[0], atol=1e-6)


def test_edge_encoding_caps_the_path_length():
    edge_index, attr = _undirected([(i, i + 1) for i in range(5)], [0] * 5)
    layer = EdgeEncoding(num_edge_types=1, heads=1, max_hops=2)
    paths = shortest_paths(edge_index, 6)
    out = layer(attr, paths.path_edges, paths.distance)
    emb, w = layer.embedding.weight[0], layer.hop_weights
    expected = (emb @ w[0] + emb @ w[1]) / 2  # 5 hops: the first 2 kept, divided by 2
    assert torch.allclose(out[0, :, 0, 5], expected, atol=1e-6)


def test_centrality_encoding_adds_degree_embeddings():
    layer = CentralityEncoding(max_degree=4, d_model=3)
    deg = torch.tensor([0, 2, 4])
    out = layer(deg, deg)
    assert torch.allclose(out[1], layer.in_degree.weight[2] + layer.out_degree.weight[2])
    with pytest.raises(ValueError, match="larger than the degree table"):
        layer(torch.tensor([5]), torch.tensor([5]))


def test_layer_is_pre_ln_and_init_is_official():
    model = _model(layers=4)
    std = model.layers[0].ffn[0].weight.std().item()
    assert abs(std - 0.02 / math.sqrt(4)) < 0.004
    assert abs(model.node_embedding.weight.std().item() - 0.02) < 0.006
    layer = GraphormerLayer(8, 2, 16)
    h = torch.randn(1, 3, 8)
    out, _ = layer(h, torch.zeros(1, 2, 3, 3), torch.ones(1, 1, 3, 3, dtype=torch.bool))
    with torch.no_grad():  # zero the residual branches: a pre-LN layer returns its input
        for lin in (layer.attention.out_proj, layer.ffn[3]):
            lin.weight.zero_()
            lin.bias.zero_()
    assert torch.equal(layer(h, torch.zeros(1, 2, 3, 3),
                             torch.ones(1, 1, 3, 3, dtype=torch.bool))[0], h)


def test_repr_and_reset_parameters():
    model = _model()
    assert repr(model).startswith("Graphormer(num_node_types=5, num_edge_types=3, ")
    assert repr(model.edge) == "EdgeEncoding(num_edge_types=3, heads=4, max_hops=20)"
    assert repr(model.spatial) == "SpatialEncoding(max_distance=20, heads=4)"
    assert repr(model.centrality) == "CentralityEncoding(max_degree=63, d_model=16)"
    before = model.head.weight.clone()
    torch.manual_seed(5)
    model.reset_parameters()
    assert not torch.equal(before, model.head.weight)


def test_reset_parameters_reaches_every_parameter():
    # every parameter, the edge encoding's hop matrices (a bare Parameter) included, is drawn
    # again: set them all to 7, reset, and none may keep the 7s
    model = _model()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.fill_(7.0)
    model.reset_parameters()
    kept = [name for name, parameter in model.named_parameters()
            if bool((parameter == 7.0).all())]
    assert kept == []
    hops = model.edge.hop_weights.detach()  # official edge_dis_encoder: an embedding, N(0, 0.02)
    assert 0.01 < float(hops.std()) < 0.03 and abs(float(hops.mean())) < 0.01


def test_precomputed_paths_give_the_same_output():
    graph = _random_tree(7, torch.Generator().manual_seed(3))
    model = _model()
    paths = shortest_paths(graph.edge_index, 7, max_hops=20)
    assert torch.equal(model(graph.x, graph.edge_index, graph.edge_attr, paths=paths),
                       model(graph.x, graph.edge_index, graph.edge_attr))


def test_config_checks():
    with pytest.raises(ValueError, match="d_model"):
        GraphormerConfig(d_model=10, heads=4)
    assert GraphormerConfig().max_distance == 20


def test_featureless_graphormer_on_csl_separates_nine_classes_of_ten():
    """CSL graphs have no node features and look the same from every node, so Graphormer sees
    a graph only through the distances from one node. R = 6 and R = 16 share them: whatever the
    weights, they get the same output (the best accuracy on CSL is 0.90); the other classes
    differ, and each class's 15 node-permuted copies agree."""
    from graphcourse.data import CSL_SKIPS, csl

    graphs = csl()
    batch = Batch.from_data_list(graphs)
    for seed in range(3):
        torch.manual_seed(seed)
        model = Graphormer(num_node_types=1, out_channels=10, d_model=16, heads=4, layers=2,
                           ffn=16).eval()
        with torch.no_grad():  # weights far from the official small init, so gaps show
            for module in model.modules():
                if isinstance(module, torch.nn.Linear):
                    module.reset_parameters()
            model.spatial.bias.weight.normal_(0.0, 1.0)
            model.virtual_distance.weight.fill_(3.0)
            out = model(batch.x, batch.edge_index, batch=batch.batch).double()  # [150, 10]
        per_class = out[torch.argsort(batch.y, stable=True)].view(10, 15, 10)  # [class, copy]
        assert (per_class - per_class[:, :1]).abs().max() < 1e-5  # copies agree
        centres = per_class.mean(1)  # [10, 10]
        gaps = torch.cdist(centres, centres)
        six, sixteen = CSL_SKIPS.index(6), CSL_SKIPS.index(16)
        assert gaps[six, sixteen] < 1e-5
        gaps[six, sixteen] = gaps[sixteen, six] = float("inf")
        gaps.fill_diagonal_(float("inf"))
        assert gaps.min() > 2e-4, seed  # 20 times the rounding above, or more
