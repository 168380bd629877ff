"""Shortest paths and 1-WL colours against networkx, the reference (graphcourse.structure)."""

import networkx as nx
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_geometric.data import Batch, Data

from graphcourse.data import wl_pairs
from graphcourse.structure import (
    UNREACHABLE,
    shortest_path_distances,
    shortest_paths,
    wl_colors,
    wl_histogram,
)


@st.composite
def graphs(draw, max_nodes=10, directed=False):
    """(edge_index, num_nodes): random simple graphs, one-node and disconnected ones included."""
    n = draw(st.integers(1, max_nodes))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j and (directed or i < j)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    edges = chosen if directed else chosen + [(j, i) for i, j in chosen]
    edge_index = torch.tensor(edges, dtype=torch.long).reshape(-1, 2).t()
    return edge_index, n


def _nx(edge_index, n, directed=False):
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edge_index.t().tolist())
    return graph


def _check_against_networkx(edge_index, n, distance, path_edges, directed=False):
    graph = _nx(edge_index, n, directed)
    lengths = dict(nx.all_pairs_shortest_path_length(graph))
    edges = edge_index.t().tolist()
    for i in range(n):
        for j in range(n):
            expected = lengths[i].get(j, UNREACHABLE)
            assert int(distance[i, j]) == expected, (i, j)
            hops = [int(e) for e in path_edges[i, j] if int(e) >= 0]
            if expected == UNREACHABLE:
                assert hops == []
                continue
            assert len(hops) == expected and bool((path_edges[i, j, expected:] == -1).all())
            walk = [i] + [edges[e][1] for e in hops]  # follow the edges from i
            assert all(edges[e][0] == walk[k] for k, e in enumerate(hops)), "not a walk"
            assert walk[-1] == j
            assert walk in [list(p) for p in nx.all_shortest_paths(graph, i, j)]


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_distances_and_paths_match_networkx(graph):
    edge_index, n = graph
    result = shortest_paths(edge_index, n)
    assert result.distance.shape == (1, n, n) and result.mask.all()
    _check_against_networkx(edge_index, n, result.distance[0], result.path_edges[0])
    assert torch.equal(shortest_path_distances(edge_index, n), result.distance[0])


@settings(max_examples=30, deadline=None)
@given(graphs(max_nodes=7, directed=True))
def test_directed_paths_follow_the_edges(graph):
    edge_index, n = graph
    result = shortest_paths(edge_index, n)
    _check_against_networkx(edge_index, n, result.distance[0], result.path_edges[0],
                            directed=True)


@settings(max_examples=25, deadline=None)
@given(st.lists(graphs(max_nodes=8), min_size=1, max_size=4))
def test_a_padded_batch_equals_each_graph_alone(items):
    batch = Batch.from_data_list([Data(edge_index=e, num_nodes=n) for e, n in items])
    result = shortest_paths(batch.edge_index, batch.num_nodes, batch.batch)
    offset = 0
    for b, (edge_index, n) in enumerate(items):
        assert result.mask[b].sum() == n and not result.mask[b, n:].any()
        assert (result.distance[b, n:] == UNREACHABLE).all()
        assert (result.distance[b, :, n:] == UNREACHABLE).all()
        alone = shortest_paths(edge_index, n)
        assert torch.equal(result.distance[b, :n, :n], alone.distance[0])
        ids = result.path_edges[b, :n, :n]
        local = torch.where(ids >= 0, ids - offset, ids)  # batch edge ids -> this graph's
        width = alone.path_edges.size(-1)
        assert torch.equal(local[..., :width], alone.path_edges[0])
        assert (local[..., width:] == -1).all()
        offset += edge_index.size(1)
    batched = shortest_path_distances(batch.edge_index, batch.num_nodes, batch.batch)
    assert torch.equal(batched, result.distance)


def test_path_on_a_line_and_max_hops():
    n = 6
    pairs = [(i, i + 1) for i in range(n - 1)]
    edge_index = torch.tensor(pairs + [(j, i) for i, j in pairs]).t()
    result = shortest_paths(edge_index, n)
    assert result.path_edges.shape == (1, n, n, 5)
    assert result.path_edges[0, 0, 5].tolist() == [0, 1, 2, 3, 4]
    assert result.path_edges[0, 5, 0].tolist() == [9, 8, 7, 6, 5]
    capped = shortest_paths(edge_index, n, max_hops=2)  # the first 2 hops from the source
    assert capped.path_edges.shape == (1, n, n, 2)
    assert capped.path_edges[0, 0, 5].tolist() == [0, 1]
    assert torch.equal(capped.distance, result.distance)


def _distances_of_networkx(graph, n):
    lengths = dict(nx.all_pairs_shortest_path_length(graph))
    return torch.tensor([[lengths[i].get(j, UNREACHABLE) for j in range(n)] for i in range(n)])


@settings(max_examples=15, deadline=None)
@given(st.integers(60, 200), st.floats(0.005, 0.05), st.integers(0, 10**6), st.booleans())
def test_distances_of_graphs_wider_than_one_word(n, p, seed, directed):
    """Rows of more than 64 nodes take several 64-bit words (and bit 63 is a node too)."""
    graph = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    edge_index = torch.tensor(list(graph.edges()), dtype=torch.long).reshape(-1, 2).t()
    if not directed:
        edge_index = torch.cat([edge_index, edge_index.flip(0)], dim=1)
    assert torch.equal(shortest_path_distances(edge_index, n), _distances_of_networkx(graph, n))


def test_distances_of_255_hops_and_more():
    """A path of 300 nodes: distances up to 299 need more than one byte per pair."""
    n = 300
    graph = nx.path_graph(n)
    edge_index = torch.tensor(list(graph.edges())).t()
    edge_index = torch.cat([edge_index, edge_index.flip(0)], dim=1)
    distance = shortest_path_distances(edge_index, n)
    assert int(distance[0, n - 1]) == n - 1 and int(distance[254, 0]) == 254
    assert torch.equal(distance, _distances_of_networkx(graph, n))


def test_a_hub_among_small_graphs():
    """One node of out-degree 300 in a batch of small graphs (the search reads each edge once
    per level, not the largest degree times every node)."""
    star = nx.star_graph(300)  # node 0 joined to 1..300
    data = [Data(edge_index=torch.tensor([[0, 1], [1, 0]]), num_nodes=2)] * 50
    edges = torch.tensor(list(star.edges())).t()
    data.append(Data(edge_index=torch.cat([edges, edges.flip(0)], dim=1), num_nodes=301))
    batch = Batch.from_data_list(data)
    result = shortest_paths(batch.edge_index, batch.num_nodes, batch.batch)
    assert torch.equal(result.distance[50, :301, :301], _distances_of_networkx(star, 301))
    assert result.distance[0, :2, :2].tolist() == [[0, 1], [1, 0]]
    hop_in, hop_out = result.path_edges[50, 7, 9, :2].tolist()  # leaf 7 -> hub -> leaf 9
    ends = batch.edge_index[:, [hop_in, hop_out]] - batch.ptr[50]
    assert ends.tolist() == [[7, 0], [0, 9]]


def test_510_hops_or_more_read_as_unreachable():
    """As in the official Floyd-Warshall, distances stop at 510: such pairs get no path."""
    n = 600
    edge_index = torch.stack([torch.arange(n - 1), torch.arange(1, n)])  # a directed path
    result = shortest_paths(edge_index, n)
    assert [int(result.distance[0, 0, j]) for j in (509, 510, 599)] == [509, 510, 510]
    assert result.path_edges.size(-1) == 509
    assert result.path_edges[0, 0, 509].tolist() == list(range(509))
    assert (result.path_edges[0, 0, 510:] == -1).all()


def test_a_batch_of_a_wide_graph_and_small_ones():
    wide = nx.cycle_graph(70)
    parts = [(torch.tensor(list(wide.edges())).t(), 70), (torch.tensor([[0], [1]]), 2),
             (torch.zeros(2, 0, dtype=torch.long), 1)]
    data = [Data(edge_index=torch.cat([e, e.flip(0)], dim=1), num_nodes=n) for e, n in parts]
    batch = Batch.from_data_list(data)
    distance = shortest_path_distances(batch.edge_index, batch.num_nodes, batch.batch)
    assert distance.shape == (3, 70, 70)
    assert torch.equal(distance[0], _distances_of_networkx(wide, 70))
    assert distance[1, :2, :2].tolist() == [[0, 1], [1, 0]]
    assert int(distance[2, 0, 0]) == 0 and (distance[2].flatten()[1:] == UNREACHABLE).all()
    assert (distance[1, 2:] == UNREACHABLE).all() and (distance[1, :, 2:] == UNREACHABLE).all()


def test_isolated_node_and_self_loop():
    edge_index = torch.tensor([[0, 1, 2], [1, 0, 2]])  # node 2 has only a self-loop
    distance = shortest_path_distances(edge_index, 4)
    assert distance.tolist() == [[0, 1, 510, 510], [1, 0, 510, 510], [510, 510, 0, 510],
                                 [510, 510, 510, 0]]


# --------------------------------------------------------------------------- 1-WL
def _partition(labels):
    groups = {}
    for node, label in enumerate(labels):
        groups.setdefault(label, set()).add(node)
    return sorted(map(sorted, groups.values()))


@settings(max_examples=40, deadline=None)
@given(graphs(max_nodes=9))
def test_stable_colours_match_networkx_wl(graph):
    edge_index, n = graph
    ours = wl_colors(edge_index, n).tolist()
    hashes = nx.weisfeiler_lehman_subgraph_hashes(_nx(edge_index, n), iterations=n + 1)
    reference = [hashes[v][-1] if hashes[v] else 0 for v in range(n)]
    assert _partition(ours) == _partition(reference)


@settings(max_examples=30, deadline=None)
@given(graphs(max_nodes=9), st.randoms(use_true_random=False))
def test_colours_do_not_depend_on_node_order(graph, random):
    edge_index, n = graph
    perm = list(range(n))
    random.shuffle(perm)
    perm = torch.tensor(perm)  # old id -> new id
    colors = wl_colors(edge_index, n)
    permuted = wl_colors(perm[edge_index], n)
    assert torch.equal(permuted[perm], colors)


def test_wl_pairs_are_indistinguishable_but_not_isomorphic():
    for name, (a, b) in wl_pairs().items():
        histogram = wl_histogram([a, b])
        assert torch.equal(histogram[0], histogram[1]), name
        ga, gb = (_nx(g.edge_index, g.num_nodes) for g in (a, b))
        assert not nx.is_isomorphic(ga, gb), name
        # shortest-path distances tell the first two pairs apart, not K3,3 from the prism
        da = sorted(shortest_path_distances(a.edge_index, a.num_nodes).flatten().tolist())
        db = sorted(shortest_path_distances(b.edge_index, b.num_nodes).flatten().tolist())
        assert (da != db) == (name != "K3,3 / prism"), name


def test_wl_tells_a_cycle_from_a_path_and_respects_iterations():
    cycle = Data(edge_index=torch.tensor([[0, 1, 2, 1, 2, 0], [1, 2, 0, 0, 1, 2]]), num_nodes=3)
    path = Data(edge_index=torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]]), num_nodes=3)
    histogram = wl_histogram([cycle, path])
    assert not torch.equal(histogram[0], histogram[1])
    assert wl_colors(path.edge_index, 3, iterations=0).tolist() == [0, 0, 0]
    assert wl_colors(path.edge_index, 3, iterations=1).tolist() == [0, 1, 0]
    start = torch.tensor([5, 5, 7])  # initial colours are kept apart and renumbered
    assert wl_colors(path.edge_index, 3, colors=start).tolist() == [0, 1, 2]


@pytest.mark.parametrize("n", [1, 2])
def test_tiny_graphs(n):
    edge_index = torch.empty(2, 0, dtype=torch.long)
    result = shortest_paths(edge_index, n)
    assert result.path_edges.shape == (1, n, n, 0)
    assert wl_colors(edge_index, n).tolist() == [0] * n
