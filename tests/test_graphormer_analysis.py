"""Chapter 05's analysis of a Graphormer: distances, the spatial bias table, attention rows."""

import math

import networkx as nx
import pytest
import torch
from torch_geometric.data import Data

from graphcourse.nn import Graphormer, GraphormerConfig
from graphcourse.nn.graphormer_analysis import (
    AttentionRow,
    SpatialBiasTable,
    attention_by_distance,
    distance_from,
    node_attention_rows,
    spatial_bias_table,
)
from graphcourse.structure import UNREACHABLE, shortest_path_distances
from harness import undirected_edges

# A path 0-1-2-3-4-5, a triangle 2-6-7 hanging off it, and node 8 with no edge.
EDGES = undirected_edges([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (2, 6), (6, 7), (7, 2)])
NUM_NODES = 9


def _model(seed=0, **fields):
    torch.manual_seed(seed)
    base = dict(num_node_types=3, d_model=16, heads=4, layers=2, ffn=16, max_distance=4)
    base.update(fields)
    model = Graphormer(GraphormerConfig(**base))
    with torch.no_grad():  # a visible, distinct bias per head and distance
        model.spatial.bias.weight.copy_(torch.randn_like(model.spatial.bias.weight))
        model.virtual_distance.weight.copy_(torch.randn_like(model.virtual_distance.weight))
    return model


def _graph(seed=0):
    generator = torch.Generator().manual_seed(seed)
    return Data(x=torch.randint(0, 3, (NUM_NODES,), generator=generator), edge_index=EDGES)


# --------------------------------------------------------------------------- distances
@pytest.mark.parametrize("seed", range(4))
def test_distance_from_equals_networkx_and_structure(seed):
    graph = nx.gnp_random_graph(12, 0.18, seed=seed)  # often disconnected
    edges = undirected_edges(list(graph.edges)) if graph.number_of_edges() else \
        torch.empty(2, 0, dtype=torch.long)
    data = Data(edge_index=edges, num_nodes=12)
    table = shortest_path_distances(edges, 12)
    for node in range(12):
        reference = nx.single_source_shortest_path_length(graph, node)
        expected = [reference.get(j, UNREACHABLE) for j in range(12)]
        got = distance_from(data, node)
        assert got.dtype == torch.long and got.tolist() == expected
        assert torch.equal(got, table[node])


def test_distance_from_a_hand_graph():
    data = Data(edge_index=EDGES, num_nodes=NUM_NODES)
    assert distance_from(data, 0).tolist() == [0, 1, 2, 3, 4, 5, 3, 3, UNREACHABLE]
    assert distance_from(data, 8).tolist() == [UNREACHABLE] * 8 + [0]


# --------------------------------------------------------------------------- the bias table
def test_spatial_bias_table_is_the_models_embedding():
    model = _model()
    table = spatial_bias_table(model)
    assert isinstance(table, SpatialBiasTable) and table.max_distance == 4
    weight = model.spatial.bias.weight.detach()  # [M, H]
    assert table.bias.shape == (4, 5)  # [H, M + 1]
    assert torch.equal(table.bias[:, :4], weight.t())
    assert torch.isneginf(table.bias[:, 4]).all()  # far and unreachable pairs: masked
    assert torch.equal(table.virtual, model.virtual_distance.weight.detach()[0])
    assert not table.virtual.requires_grad and not table.bias.requires_grad


def test_lookup_indexes_the_table_as_the_model_does():
    model = _model()
    table = spatial_bias_table(model)
    distance = torch.tensor([[0, 1, 2, 3], [4, 5, 19, UNREACHABLE]])
    spatial, near = model.spatial(distance[None])  # [1, H, 2, 4], [1, 2, 4]
    got = table.lookup(distance)  # [H, 2, 4]
    assert got.shape == (4, 2, 4)
    assert torch.equal(got[:, near[0]], spatial[0][:, near[0]].detach())
    assert torch.isneginf(got[:, ~near[0]]).all()
    assert near[0].tolist() == [[True] * 4, [False] * 4]


def test_table_rebuilds_the_first_layers_attention():
    """softmax(q k / sqrt(d_k) + b[phi] (+ t for the virtual node)), computed by hand from the
    table, is the row encode returns: the table holds what the model adds, where it adds it."""
    model = _model().eval()
    data = _graph()
    row = node_attention_rows(model, data, 1, 0)
    table = spatial_bias_table(model)
    c, layer = model.config, model.layers[0]
    with torch.no_grad():
        degrees = torch.bincount(EDGES[1], minlength=NUM_NODES)
        h = model.node_embedding(data.x) + model.centrality(degrees, degrees)  # [N, D]
        tokens = layer.attention_norm(torch.cat([model.graph_token.weight, h]))  # [T, D]
        q = layer.attention.q_proj(tokens).view(-1, c.heads, c.d_model // c.heads)  # [T, H, d]
        k = layer.attention.k_proj(tokens).view(-1, c.heads, c.d_model // c.heads)
        logits = torch.einsum("hd,thd->ht", q[2], k) / math.sqrt(c.d_model // c.heads)  # [H, T]
        bias = torch.cat([table.virtual[:, None], table.lookup(distance_from(data, 1))], 1)
        expected = torch.softmax(logits + bias, dim=1)
    assert torch.allclose(row.virtual, expected[:, 0], atol=1e-6)
    assert torch.allclose(row.nodes, expected[:, 1:], atol=1e-6)


def test_spatial_encoding_off():
    torch.manual_seed(0)
    model = Graphormer(num_node_types=3, d_model=8, heads=2, layers=1, ffn=8, spatial=False)
    table = spatial_bias_table(model)
    assert table.bias is None and table.max_distance is None
    assert torch.equal(table.virtual, model.virtual_distance.weight.detach()[0])
    assert torch.equal(table.lookup(torch.tensor([0, 3, UNREACHABLE])), torch.zeros(2, 3))
    row = node_attention_rows(model, _graph(), 0, 0)
    assert bool((row.nodes[:, 8] > 0).all())  # nothing is masked: node 8 gets attention


# --------------------------------------------------------------------------- attention rows
def test_rows_come_from_encode_and_sum_to_one():
    model = _model()
    data = _graph()
    with torch.no_grad():
        out = model.eval().encode(data.x, data.edge_index, return_attention=True)
    for layer in range(2):
        for node in (0, 2, 8):
            row = node_attention_rows(model, data, node, layer)
            assert isinstance(row, AttentionRow) and (row.node, row.layer) == (node, layer)
            assert row.nodes.shape == (4, NUM_NODES) and row.virtual.shape == (4,)
            assert torch.equal(row.virtual, out.attention[layer][0, :, node + 1, 0])
            assert torch.equal(row.nodes, out.attention[layer][0, :, node + 1, 1:])
            total = row.nodes.sum(1) + row.virtual
            assert torch.allclose(total, torch.ones(4), atol=1e-6)


def test_masked_pairs_get_no_attention():
    model = _model()  # max_distance 4: pairs 4 or more hops apart are masked
    row = node_attention_rows(model, _graph(), 0, 1)
    distance = distance_from(_graph(), 0)  # [0, 1, 2, 3, 4, 5, 3, 3, 510]
    far = distance >= 4
    assert far.tolist() == [False] * 4 + [True, True, False, False, True]
    assert bool((row.nodes[:, far] == 0).all()) and bool((row.nodes[:, ~far] > 0).all())
    assert bool((row.virtual > 0).all())


def test_rows_are_permutation_equivariant():
    model = _model(seed=1)
    data = _graph(seed=1)
    perm = torch.randperm(NUM_NODES, generator=torch.Generator().manual_seed(3))  # new -> old
    new_id = torch.empty_like(perm)
    new_id[perm] = torch.arange(NUM_NODES)  # old -> new
    permuted = Data(x=data.x[perm], edge_index=new_id[data.edge_index])
    for node in range(NUM_NODES):
        for layer in range(2):
            row = node_attention_rows(model, data, node, layer)
            moved = node_attention_rows(model, permuted, int(new_id[node]), layer)
            assert torch.allclose(moved.nodes, row.nodes[:, perm], atol=1e-6)
            assert torch.allclose(moved.virtual, row.virtual, atol=1e-6)


def test_rows_use_eval_mode_and_restore_the_mode():
    model = _model(attention_dropout=0.5, dropout=0.3)
    model.train()
    first = node_attention_rows(model, _graph(), 3, 1)
    second = node_attention_rows(model, _graph(), 3, 1)
    assert model.training and torch.equal(first.nodes, second.nodes)
    model.eval()
    node_attention_rows(model, _graph(), 3, 1)
    assert not model.training


def test_rows_with_the_edge_encoding():
    model = _model(num_edge_types=2)
    data = _graph()
    data.edge_attr = torch.arange(EDGES.size(1)) % 2
    row = node_attention_rows(model, data, 2, 0)
    assert torch.allclose(row.nodes.sum(1) + row.virtual, torch.ones(4), atol=1e-6)
    with pytest.raises(ValueError, match="data: missing attribute 'edge_attr'"):
        node_attention_rows(model, _graph(), 2, 0)


# --------------------------------------------------------------------------- by distance
def test_attention_by_distance_groups_the_row():
    nodes = torch.tensor([[0.1, 0.2, 0.3, 0.0], [0.25, 0.25, 0.25, 0.0]])
    row = AttentionRow(nodes, torch.tensor([0.4, 0.25]), node=0, layer=0)
    out = attention_by_distance(row, torch.tensor([0, 1, 1, UNREACHABLE]))
    assert torch.allclose(out, torch.tensor([[0.1, 0.5, 0.0], [0.25, 0.5, 0.0]]))
    model = _model()
    data = _graph()
    row = node_attention_rows(model, data, 2, 1)
    out = attention_by_distance(row, distance_from(data, 2))  # distances 0..3 and 510
    assert out.shape == (4, 5)
    assert torch.allclose(out.sum(1) + row.virtual, torch.ones(4), atol=1e-6)
    assert torch.allclose(out[:, 1], row.nodes[:, [1, 3, 6, 7]].sum(1))
