"""k-hop subgraphs and SAT's structure extractors (graphcourse.nn.sat_extractors)."""

import pytest
import torch
from torch_geometric.data import Batch, Data
from torch_geometric.utils import k_hop_subgraph

from graphcourse.nn.sat_extractors import (
    KHopSubgraphs,
    KSubgraphExtractor,
    KSubtreeExtractor,
    khop_subgraphs,
)
from harness import assert_permutation_equivariant, random_graph


def _loop(edge_index, num_nodes, k):
    """The stacked subgraphs by a loop over PyG's k_hop_subgraph, one node at a time."""
    nodes, centres, edges, ids, offset = [], [], [], [], 0
    for v in range(num_nodes):
        subset, sub_edges, _, edge_mask = k_hop_subgraph(v, k, edge_index, relabel_nodes=True,
                                                         num_nodes=num_nodes)
        nodes.append(subset)
        centres.append(torch.full((subset.numel(),), v))
        edges.append(sub_edges + offset)
        ids.append(edge_mask.nonzero().view(-1))
        offset += subset.numel()
    return KHopSubgraphs(torch.cat(nodes), torch.cat(centres), torch.cat(edges, dim=1),
                         torch.cat(ids), k, edge_index.size(1))


def _assert_same(got, expected):
    for name, a, b in zip(KHopSubgraphs._fields, got, expected):
        assert (torch.equal(a, b) if isinstance(a, torch.Tensor) else a == b), name


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("k", [0, 1, 2, 3])
def test_khop_subgraphs_equal_a_loop_over_pyg(seed, k):
    generator = torch.Generator().manual_seed(seed)
    num_nodes = int(torch.randint(1, 14, (1,), generator=generator))
    # directed edges, self-loops and repeats, among the first nodes only: the last are isolated
    used = max(1, num_nodes - 3)
    edge_index = torch.randint(0, used, (2, int(torch.randint(0, 25, (1,),
                                                              generator=generator))),
                               generator=generator)
    _assert_same(khop_subgraphs(edge_index, num_nodes, k), _loop(edge_index, num_nodes, k))


def test_khop_subgraphs_on_a_batch_keep_graphs_apart():
    graphs = []
    for seed, n in enumerate([5, 2, 9, 7]):
        _, edge_index = random_graph(n, 8, 1, seed, self_loops=False, directed=False)
        graphs.append(Data(edge_index=edge_index, num_nodes=n + 1))  # + an isolated node
    batch = Batch.from_data_list(graphs)
    got = khop_subgraphs(batch.edge_index, batch.num_nodes, 2)
    _assert_same(got, _loop(batch.edge_index, batch.num_nodes, 2))
    assert torch.equal(batch.batch[got.node_index], batch.batch[got.center])
    assert got.edge_index.max() < got.node_index.numel()


def test_khop_subgraphs_of_a_path_by_hand():
    edge_index = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])  # 0 - 1 - 2
    got = khop_subgraphs(edge_index, 3, 1)
    assert got.node_index.tolist() == [0, 1, 0, 1, 2, 1, 2]
    assert got.center.tolist() == [0, 0, 1, 1, 1, 2, 2]
    assert got.edge_index.tolist() == [[0, 1, 2, 3, 3, 4, 5, 6], [1, 0, 3, 2, 4, 3, 6, 5]]
    assert got.edge_id.tolist() == [0, 1, 0, 1, 2, 3, 2, 3]


def test_khop_subgraphs_stop_growing_once_every_node_is_reached():
    _, edge_index = random_graph(8, 12, 1, 3, self_loops=False, directed=False)
    _assert_same(khop_subgraphs(edge_index, 8, 20), _loop(edge_index, 8, 20))


def _extractor(kind, k, gnn="gin", dim=6, seed=0):
    torch.manual_seed(seed)
    module = (KSubtreeExtractor if kind == "subtree" else KSubgraphExtractor)(dim, k, gnn)
    if module.norm is not None:  # running statistics that are not the identity
        module.norm.running_mean.uniform_(-1, 1)
        module.norm.running_var.uniform_(0.5, 2)
    return module


def _subgraph(v, k, edge_index, num_nodes):
    subset, sub_edges, centre, _ = k_hop_subgraph(v, k, edge_index, relabel_nodes=True,
                                                  num_nodes=num_nodes)
    return subset, sub_edges, int(centre)


def _states(module, h, edge_index):
    """[h^1, ..., h^k] of the extractor's GNN layers with ReLU."""
    out = []
    for layer in module.layers:
        h = torch.relu(layer(h, edge_index))
        out.append(h)
    return out


@pytest.mark.parametrize("gnn", ["gin", "sage"])
@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("train", [False, True])
def test_subtree_extractor_equals_per_node_reference(gnn, k, train):
    x, edge_index = random_graph(11, 18, 6, seed=k, directed=True)
    x = torch.cat([x, torch.randn(2, 6)])  # two isolated nodes
    module = _extractor("subtree", k, gnn).train(train)
    rows = []
    for v in range(x.size(0)):  # a k-layer GNN at v only sees v's k-hop subgraph
        subset, sub_edges, centre = _subgraph(v, k, edge_index, x.size(0))
        rows.append(torch.cat([x[v], *(h[centre] for h in _states(module, x[subset],
                                                                      sub_edges))]))
    expected = module.out_proj(module.norm(torch.stack(rows)))  # [N, (k+1) D] -> [N, D]
    assert torch.allclose(module(x, edge_index), expected, atol=1e-5)


@pytest.mark.parametrize("gnn", ["gin", "gcn", "sage"])
@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("train", [False, True])
def test_subgraph_extractor_equals_per_node_reference(gnn, k, train):
    x, edge_index = random_graph(10, 16, 6, seed=10 + k, directed=True)
    x = torch.cat([x, torch.randn(2, 6)])
    module = _extractor("subgraph", k, gnn).train(train)
    pooled = []
    for v in range(x.size(0)):  # the GNN on v's subgraph alone, its states summed
        subset, sub_edges, _ = _subgraph(v, k, edge_index, x.size(0))
        pooled.append(_states(module, x[subset], sub_edges)[-1].sum(0))
    expected = module.out_proj(module.norm(torch.cat([x, torch.stack(pooled)], dim=1)))
    assert torch.allclose(module(x, edge_index), expected, atol=1e-5)
    given = khop_subgraphs(edge_index, x.size(0), k)
    assert torch.allclose(module(x, edge_index, given), expected, atol=1e-5)


@pytest.mark.parametrize("kind", ["subtree", "subgraph"])
@pytest.mark.parametrize("seed", range(3))
def test_extractors_are_permutation_equivariant(kind, seed):
    x, edge_index = random_graph(9, 16, 5, seed=seed, directed=seed % 2 == 0)
    module = _extractor(kind, 2, dim=5, seed=seed).eval()
    assert_permutation_equivariant(module, x, edge_index, seed=seed)


@pytest.mark.parametrize("kind", ["subtree", "subgraph"])
def test_k_zero_is_the_identity(kind):
    x, edge_index = random_graph(6, 9, 4)
    module = _extractor(kind, 0, dim=4)
    assert module(x, edge_index) is x and not list(module.parameters())


def test_extractors_learn_through_their_gnn():
    x, edge_index = random_graph(8, 14, 4, directed=False)
    for kind in ("subtree", "subgraph"):
        module = _extractor(kind, 2, dim=4)
        module(x, edge_index).square().sum().backward()
        assert all(p.grad is not None for p in module.parameters())


def test_subgraphs_of_another_graph_are_refused():
    x, edge_index = random_graph(6, 9, 4)
    other = khop_subgraphs(torch.tensor([[0, 1], [1, 2]]), 3, 1)
    with pytest.raises(ValueError, match="subgraphs: built from a graph with 2 edges"):
        _extractor("subgraph", 1, dim=4)(x, edge_index, other)
    with pytest.raises(ValueError, match="subgraphs: built for k=1, the extractor has k=3"):
        _extractor("subgraph", 3, dim=4)(x, edge_index, khop_subgraphs(edge_index, 6, 1))
    same_edges = edge_index.clone()  # as many edges, on the first 3 nodes only
    same_edges[same_edges >= 3] = 0
    with pytest.raises(ValueError, match="subgraphs: they were built for another graph"):
        _extractor("subgraph", 1, dim=4)(x, edge_index, khop_subgraphs(same_edges, 3, 1))
