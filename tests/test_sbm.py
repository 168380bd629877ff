"""CLUSTER and PATTERN (graphcourse.data.sbm): the Benchmarking-GNNs parameters, graph
hygiene, determinism, and edge densities close to p and q over many graphs."""

import numpy as np
import pytest
import torch
from torch_geometric.loader import DataLoader
from torch_geometric.utils import coalesce, is_undirected

from graphcourse.data import (
    CLUSTER_CLASSES,
    CLUSTER_FEATURES,
    PATTERN_CLASSES,
    PATTERN_FEATURES,
    cluster,
    pattern,
)
from graphcourse.data.sbm import _pattern_graph, _patterns


def _dense(graph):
    n = graph.num_nodes
    adjacency = torch.zeros(n, n, dtype=torch.bool)
    adjacency[graph.edge_index[0], graph.edge_index[1]] = True
    return adjacency


def _density(adjacency, rows, cols, same):
    """Edges / node pairs between the node sets ``rows`` and ``cols`` ([N] bool)."""
    block = adjacency[rows][:, cols]
    if same:
        m = int(rows.sum())
        return int(block.sum()) // 2, m * (m - 1) // 2
    return int(block.sum()), int(rows.sum()) * int(cols.sum())


@pytest.mark.parametrize("make", [cluster, pattern])
def test_graphs_are_clean(make):
    for graph in make(30, seed=1):
        n = graph.num_nodes
        assert graph.x.shape == (n,) and graph.x.dtype == torch.long
        assert graph.y.shape == (n,) and graph.y.dtype == torch.long
        edge_index = graph.edge_index
        assert edge_index.dtype == torch.long and int(edge_index.max()) < n
        assert not (edge_index[0] == edge_index[1]).any()  # no self-loops
        assert is_undirected(edge_index, num_nodes=n)
        assert torch.equal(coalesce(edge_index, num_nodes=n), edge_index)  # sorted, no repeats


def test_cluster_parameters():
    assert (CLUSTER_CLASSES, CLUSTER_FEATURES) == (6, 7)
    sizes = []
    for graph in cluster(200, seed=0):
        counts = torch.bincount(graph.y, minlength=CLUSTER_CLASSES)
        assert len(counts) == CLUSTER_CLASSES
        sizes += counts.tolist()
        for r in range(CLUSTER_CLASSES):  # exactly one seed node per community, showing r + 1
            shown = graph.x == r + 1
            assert int(shown.sum()) == 1 and int(graph.y[shown]) == r
        assert int((graph.x == 0).sum()) == graph.num_nodes - CLUSTER_CLASSES
    assert min(sizes) == 5 and max(sizes) == 34  # randint(5, 35) over 1,200 draws


def test_pattern_parameters():
    assert (PATTERN_CLASSES, PATTERN_FEATURES) == (2, 3)
    patterns = _patterns()
    assert len(patterns) == 100
    pattern_sizes = [len(features) for _, features in patterns]
    assert 5 <= min(pattern_sizes) and max(pattern_sizes) <= 34
    assert len(set(pattern_sizes)) > 10
    graphs = pattern(200, seed=0)
    features = torch.cat([g.x for g in graphs])
    assert set(features.tolist()) == {0, 1, 2}
    shares = torch.bincount(features).double() / features.numel()
    assert (shares - 1 / 3).abs().max() < 0.02
    for g, graph in enumerate(graphs):
        inside = graph.y == 1
        assert int(inside.sum()) == pattern_sizes[g % 100]  # round-robin over the patterns
        assert 25 <= graph.num_nodes - int(inside.sum()) <= 170  # 5 communities of 5..34
        # the pattern's features are fixed: the same multiset as in the stored pattern
        assert sorted(graph.x[inside].tolist()) == sorted(patterns[g % 100][1].tolist())


def test_pattern_graphs_share_their_pattern_across_graphs_and_seeds():
    first, again = pattern(101, seed=0)[0], pattern(1, seed=5)[0]
    for other in (pattern(101, seed=0)[100], again):
        a, b = _dense(first), _dense(other)
        inside_a, inside_b = first.y == 1, other.y == 1
        assert int(inside_a.sum()) == int(inside_b.sum())
        assert int(a[inside_a][:, inside_a].sum()) == int(b[inside_b][:, inside_b].sum())


@pytest.mark.parametrize("make", [cluster, pattern])
def test_deterministic_for_a_seed(make):
    one, two, other = make(5, seed=7), make(5, seed=7), make(5, seed=8)
    for a, b in zip(one, two):
        assert all(torch.equal(a[key], b[key]) for key in ("x", "y", "edge_index"))
    assert any(a.num_nodes != b.num_nodes or not torch.equal(a.y, b.y)
               for a, b in zip(one, other))
    # the nodes are shuffled: labels are not sorted by community
    assert any(not torch.equal(g.y, g.y.sort().values) for g in one)


def test_the_same_graphs_on_any_machine():
    """NumPy's PCG64 stream fixes the graphs; these numbers pin it (a NumPy release that
    changed ``Generator.integers``/``random``/``permutation`` would show here)."""
    graphs = cluster(3, seed=0) + pattern(3, seed=0)
    fingerprint = [(g.num_nodes, g.edge_index.size(1),
                    int((g.x * torch.arange(g.num_nodes)).sum()),
                    int((g.y * torch.arange(g.num_nodes)).sum())) for g in graphs]
    assert fingerprint == [(107, 3528, 1146, 10399), (121, 4312, 1564, 19363),
                           (119, 4396, 1923, 14347), (131, 7202, 8560, 2093),
                           (90, 3354, 3763, 979), (133, 7464, 8773, 1949)]


def test_cluster_edge_densities():
    intra, inter = [0, 0], [0, 0]
    for graph in cluster(200, seed=2):
        adjacency = _dense(graph)
        for r in range(CLUSTER_CLASSES):
            here = graph.y == r
            edges, pairs = _density(adjacency, here, here, same=True)
            intra[0] += edges
            intra[1] += pairs
            edges, pairs = _density(adjacency, here, graph.y > r, same=False)
            inter[0] += edges
            inter[1] += pairs
    assert intra[0] / intra[1] == pytest.approx(0.55, abs=0.01)
    assert inter[0] / inter[1] == pytest.approx(0.25, abs=0.01)


def test_pattern_edge_densities():
    inside_edges = [0, 0]
    link_edges = [0, 0]
    for graph in pattern(200, seed=2):
        adjacency = _dense(graph)
        inside = graph.y == 1
        for total, (edges, pairs) in ((inside_edges, _density(adjacency, inside, inside, True)),
                                      (link_edges, _density(adjacency, inside, ~inside, False))):
            total[0] += edges
            total[1] += pairs
    assert inside_edges[0] / inside_edges[1] == pytest.approx(0.5, abs=0.02)
    assert link_edges[0] / link_edges[1] == pytest.approx(0.5, abs=0.01)
    # the SBM around the pattern (communities are not in the Data: use the generator)
    rng, patterns = np.random.default_rng(0), _patterns()
    intra, inter = [0, 0], [0, 0]
    for g in range(200):
        adjacency, _, community = _pattern_graph(rng, patterns[g % 100])
        adjacency, community = torch.from_numpy(adjacency), torch.from_numpy(community)
        for r in range(5):
            here = community == r
            edges, pairs = _density(adjacency, here, here, same=True)
            intra[0] += edges
            intra[1] += pairs
            edges, pairs = _density(adjacency, here, (community > r) & (community < 5), False)
            inter[0] += edges
            inter[1] += pairs
    assert intra[0] / intra[1] == pytest.approx(0.5, abs=0.01)
    assert inter[0] / inter[1] == pytest.approx(0.35, abs=0.01)


def test_batches_concatenate_node_features():
    batch = next(iter(DataLoader(cluster(4, seed=0), batch_size=4)))
    assert batch.x.dim() == 1 and batch.x.size(0) == batch.num_nodes == batch.y.size(0)
    assert batch.num_graphs == 4
