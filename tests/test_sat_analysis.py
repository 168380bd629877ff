"""Chapter 06's analysis of a SAT: attention rows, nodes whose k-hop subgraphs look alike."""

import math

import networkx as nx
import pytest
import torch
from torch_geometric.data import Data
from torch_geometric.utils import k_hop_subgraph

from graphcourse.nn.sat import SAT
from graphcourse.nn.sat_analysis import (
    AlikeAttention,
    alike_attention,
    alike_nodes,
    attention_row,
)
from harness import undirected_edges

# A path 0-1-2-3-4-5, a triangle 2-6-7 hanging off it, and node 8 with no edge.
EDGES = undirected_edges([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (2, 6), (6, 7), (7, 2)])
NUM_NODES = 9


def _cycle(n):
    return undirected_edges([(i, (i + 1) % n) for i in range(n)])


def _path(n):
    return undirected_edges([(i, i + 1) for i in range(n - 1)])


def _model(seed=0, **fields):
    torch.manual_seed(seed)
    base = dict(num_node_types=3, dim=16, heads=4, layers=2, k=2, pe="rw", pe_dim=4)
    base.update(fields)
    return SAT(**base)


def _graph(seed=0):
    generator = torch.Generator().manual_seed(seed)
    return Data(x=torch.randint(0, 3, (NUM_NODES,), generator=generator), edge_index=EDGES,
                rwpe=torch.rand(NUM_NODES, 4, generator=generator))


# --------------------------------------------------------------------------- alike nodes
@pytest.mark.parametrize("k", [0, 1, 2, 3, 5])
def test_every_node_of_a_cycle_looks_alike(k):
    for node in (0, 4):
        got = alike_nodes(_cycle(7), 7, node, k)
        assert got.dtype == torch.bool and got.tolist() == [True] * 7


def test_a_paths_ends_and_middle():
    edges = _path(5)  # 0 - 1 - 2 - 3 - 4
    assert alike_nodes(edges, 5, 0, 1).tolist() == [True, False, False, False, True]
    assert alike_nodes(edges, 5, 4, 1).tolist() == [True, False, False, False, True]
    assert alike_nodes(edges, 5, 2, 1).tolist() == [False, True, True, True, False]
    assert alike_nodes(edges, 5, 2, 2).tolist() == [False, False, True, False, False]
    assert alike_nodes(edges, 5, 1, 2).tolist() == [False, True, False, True, False]
    assert alike_nodes(edges, 5, 2, 0).tolist() == [True] * 5  # only the root: all alike


def test_the_root_must_be_matched():
    """Every node of the path 0-1-2 has the whole path as its 2-hop subgraph: the subgraphs
    are isomorphic, but no isomorphism maps an end to the middle."""
    assert alike_nodes(_path(3), 3, 0, 2).tolist() == [True, False, True]
    assert alike_nodes(_path(3), 3, 1, 2).tolist() == [False, True, False]


def test_a_star_a_triangle_and_a_lone_node():
    # star 0-(1, 2, 3); triangle 4-5-6; lone nodes 7 and 8
    edges = undirected_edges([(0, 1), (0, 2), (0, 3), (4, 5), (5, 6), (6, 4)])
    assert alike_nodes(edges, 9, 1, 1).tolist() == [False, True, True, True] + [False] * 5
    assert alike_nodes(edges, 9, 0, 1).tolist() == [True] + [False] * 8
    assert alike_nodes(edges, 9, 5, 2).tolist() == [False] * 4 + [True] * 3 + [False] * 2
    assert alike_nodes(edges, 9, 8, 1).tolist() == [False] * 7 + [True, True]


def test_edges_are_followed_in_their_direction():
    edges = torch.tensor([[0, 1], [1, 2]])  # 0 -> 1 -> 2
    assert alike_nodes(edges, 3, 1, 1).tolist() == [False, True, True]  # one in-edge each
    assert alike_nodes(edges, 3, 0, 1).tolist() == [True, False, False]
    assert alike_nodes(edges, 3, 2, 2).tolist() == [False, False, True]


def _reference(edge_index, num_nodes, node, k):
    """The definition, by brute force: VF2 on every pair of rooted k-hop subgraphs."""
    def rooted(v):
        subset, sub_edges, _, _ = k_hop_subgraph(v, k, edge_index, num_nodes=num_nodes)
        graph = nx.DiGraph()
        graph.add_nodes_from((int(u), {"root": int(u) == v}) for u in subset)
        graph.add_edges_from(sub_edges.t().tolist())
        return graph

    target = rooted(node)
    return [nx.is_isomorphic(rooted(v), target, node_match=lambda a, b: a["root"] == b["root"])
            for v in range(num_nodes)]


@pytest.mark.parametrize("seed", range(6))
def test_alike_nodes_equal_the_brute_force_definition(seed):
    graph = nx.gnp_random_graph(11, 0.22, seed=seed)  # often with isolated nodes
    edges = undirected_edges(list(graph.edges)) if graph.number_of_edges() else \
        torch.empty(2, 0, dtype=torch.long)
    for k in (1, 2, 3):
        for node in (0, 5, 10):
            assert alike_nodes(edges, 11, node, k).tolist() == _reference(edges, 11, node, k)


def test_alike_nodes_on_a_regular_graph_that_is_not_vertex_transitive():
    """The 3-prism and K3,3 are both 3-regular on 6 nodes; joined they stay 3-regular, so
    degrees cannot tell them apart, but from 1 hop on the triangles show."""
    prism = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (0, 3), (1, 4), (2, 5)]
    k33 = [(6 + a, 9 + b) for a in range(3) for b in range(3)]
    edges = undirected_edges(prism + k33)
    assert alike_nodes(edges, 12, 0, 1).tolist() == [True] * 6 + [False] * 6
    assert alike_nodes(edges, 12, 7, 1).tolist() == [False] * 6 + [True] * 6


# --------------------------------------------------------------------------- attention rows
def test_rows_come_from_encode_and_sum_to_one():
    model = _model()
    data = _graph()
    with torch.no_grad():
        out = model.eval().encode(data, return_attention=True)
    model.train()
    for layer in range(2):
        for node in (0, 2, 8):
            row = attention_row(model, data, node, layer)
            assert row.shape == (4, NUM_NODES) and row.dtype == torch.float32
            assert torch.equal(row, out.attention[layer][0, :, node, :])
            assert torch.allclose(row.sum(1), torch.ones(4), atol=1e-6)
    assert model.training  # the mode is restored
    assert torch.equal(attention_row(model, data, 3), out.attention[1][0, :, 3])  # -1: last
    assert torch.equal(attention_row(model, data, 3, -2), out.attention[0][0, :, 3])


def test_rows_of_the_plain_transformer_and_of_a_cls_model():
    data = _graph()
    plain = _model(k=0)
    with torch.no_grad():
        out = plain.eval().encode(data, return_attention=True)
    assert torch.equal(attention_row(plain, data, 5, 0), out.attention[0][0, :, 5])
    cls = _model(readout="cls")
    row = attention_row(cls, data, 5, 1)
    with torch.no_grad():
        out = cls.eval().encode(data, return_attention=True)
    assert torch.equal(row, out.attention[1][0, :, 5])
    assert bool((row.sum(1) < 1).all())  # the weight on the token is left out


def test_nodes_with_alike_subgraphs_and_features_get_the_same_sat_attention():
    """On a cycle with one node type every node has the same structure: SAT's keys are equal,
    so the attention is uniform; the positional encoding is off to keep it so."""
    data = Data(x=torch.zeros(8, dtype=torch.long), edge_index=_cycle(8))
    row = attention_row(_model(pe=None), data, 0)
    assert torch.allclose(row, torch.full((4, 8), 1 / 8), atol=1e-6)


# --------------------------------------------------------------------------- alike attention
def test_alike_attention_by_hand():
    row = torch.tensor([[0.1, 0.4, 0.2, 0.3],
                        [0.3, 0.2, 0.2, 0.3]])  # mean over heads: [0.2, 0.3, 0.2, 0.3]
    alike = torch.tensor([True, True, False, False])
    got = alike_attention(row, alike, 0)
    assert isinstance(got, AlikeAttention) and (got.alike, got.others) == (1, 3)
    assert got.share == pytest.approx(1 / 3)
    assert got.mass == pytest.approx(0.3 / 0.8)  # of the 0.8 going to nodes 1-3
    assert got.self_weight == pytest.approx(0.2)


def test_alike_attention_uniform_rows_match_the_share():
    alike = alike_nodes(_path(5), 5, 0, 1)  # the two ends
    got = alike_attention(torch.full((2, 5), 0.2), alike, 0)
    assert got.mass == pytest.approx(got.share) == pytest.approx(0.25)


def test_alike_attention_on_one_node_and_on_a_node_that_only_looks_at_itself():
    got = alike_attention(torch.ones(3, 1), torch.tensor([True]), 0)
    assert got.others == 0 and math.isnan(got.share) and math.isnan(got.mass)
    got = alike_attention(torch.tensor([[1.0, 0.0, 0.0]]), torch.tensor([True, True, False]), 0)
    assert got.share == 0.5 and math.isnan(got.mass) and got.self_weight == 1.0
