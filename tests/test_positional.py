"""Positional encodings (graphcourse.graphs.positional): parity with PyG's transforms, hand
values, permutation equivariance, and the transform on datasets and batches.

Laplacian encodings are compared with PyG up to what is not defined: the sign of each
eigenvector, and the basis inside a repeated eigenvalue. Where a whole eigenspace lies inside
columns 1..k, the projectors ``V V^+`` onto the spanned subspace must agree (this absorbs both
the sign and any rotation); where k, or the skipped column 0, cuts through a repeated
eigenvalue, each column must be an eigenvector of that eigenvalue (``L v = lambda v``).
"""

import pytest
import torch
from torch_geometric.data import Batch, Data
from torch_geometric.loader import DataLoader
from torch_geometric.transforms import AddLaplacianEigenvectorPE, AddRandomWalkPE
from torch_geometric.utils import coalesce, erdos_renyi_graph, to_undirected

from graphcourse.data import cluster
from graphcourse.graphs import (
    AddPositionalEncodings,
    eigenspaces,
    laplacian,
    laplacian_pe,
    random_sign_flip,
    random_walk_pe,
)
from harness import graphs_and_permutations, random_graph, undirected_edges


def _cycle(n):
    return undirected_edges([(i, (i + 1) % n) for i in range(n)])


def _star(n):
    return undirected_edges([(0, i) for i in range(1, n)])


def _petersen():
    outer = [(i, (i + 1) % 5) for i in range(5)]
    spokes = [(i, i + 5) for i in range(5)]
    inner = [(5 + i, 5 + (i + 2) % 5) for i in range(5)]
    return undirected_edges(outer + spokes + inner)


def _er(n, p, seed):
    torch.manual_seed(seed)
    return erdos_renyi_graph(n, p)


# name: (edge_index, num_nodes); undirected, without repeated edges
UNDIRECTED = {
    "random": (_er(15, 0.3, 0), 15),
    "random with isolated nodes": (_er(12, 0.3, 1), 14),
    "cycle C8 (double eigenvalues)": (_cycle(8), 8),
    "star (eigenvalue 1, multiplicity N-2)": (_star(7), 7),
    "two components (0 twice)": (torch.cat([_cycle(5), _cycle(4) + 5], dim=1), 9),
    "Petersen graph": (_petersen(), 10),
    "CLUSTER graph (PyG's sparse solver)": (cluster(1, seed=3)[0].edge_index,
                                            cluster(1, seed=3)[0].num_nodes),
}


# --------------------------------------------------------------------------- random walk
@pytest.mark.parametrize("name", list(UNDIRECTED))
def test_random_walk_pe_equals_pyg(name):
    edge_index, n = UNDIRECTED[name]
    expected = AddRandomWalkPE(6)(Data(edge_index=edge_index, num_nodes=n)).random_walk_pe
    result = random_walk_pe(edge_index, n, 6)
    assert result.shape == (n, 6) and result.dtype == torch.float32
    torch.testing.assert_close(result, expected, atol=1e-6, rtol=1e-5)


def test_random_walk_pe_equals_pyg_on_directed_graphs_with_self_loops():
    _, edge_index = random_graph(9, 30, seed=4, duplicates=False)  # directed, with loops
    expected = AddRandomWalkPE(5)(Data(edge_index=edge_index, num_nodes=11)).random_walk_pe
    torch.testing.assert_close(random_walk_pe(edge_index, 11, 5), expected)


def test_random_walk_pe_equals_pyg_on_a_large_graph():
    """Above 2,000 nodes both switch to sparse products."""
    n = 2100
    chords = torch.randint(0, n, (2, 3000), generator=torch.Generator().manual_seed(0))
    edge_index = coalesce(to_undirected(torch.cat([_cycle(n), chords], dim=1)))
    edge_index = edge_index[:, edge_index[0] != edge_index[1]]
    expected = AddRandomWalkPE(4)(Data(edge_index=edge_index, num_nodes=n)).random_walk_pe
    torch.testing.assert_close(random_walk_pe(edge_index, n, 4), expected)


def test_random_walk_pe_by_hand():
    triangle = undirected_edges([(0, 1), (1, 2), (0, 2)])
    # P = (J - I) / 2: back after 2 steps with probability 1/2, after 3 with 1/4
    torch.testing.assert_close(random_walk_pe(triangle, 4, 3),
                               torch.tensor([[0.0, 0.5, 0.25]] * 3 + [[0.0, 0.0, 0.0]]))
    # a repeated edge counts twice: 1 -> 0 surely, 0 -> 1 with probability 2/3
    multi = undirected_edges([(0, 1), (0, 1), (0, 2)])
    assert random_walk_pe(multi, 3, 2)[1, 1] == pytest.approx(2 / 3)
    assert random_walk_pe(torch.empty(2, 0, dtype=torch.long), 3, 2).abs().sum() == 0


# --------------------------------------------------------------------------- Laplacian
def _projector(columns):
    """Orthogonal projector [N, N] onto the span of ``columns`` [N, r] (not necessarily
    orthonormal: PyG's general ``eig`` may return a skewed basis of a repeated eigenspace)."""
    columns = columns.double()
    return columns @ torch.linalg.pinv(columns)


def _assert_same_up_to_ambiguity(ours, theirs, edge_index, n, k):
    L = laplacian(edge_index, n, normalization="sym", form="dense", dtype=torch.float64)
    values = torch.linalg.eigvalsh(L)
    for group in eigenspaces(values, tol=1e-6):
        columns = [c - 1 for c in group if 1 <= c <= k]  # pe column = eigenvector index - 1
        if not columns:
            continue
        if group.start >= 1 and group.stop - 1 <= k:  # the whole eigenspace is kept
            torch.testing.assert_close(_projector(ours[:, columns]),
                                       _projector(theirs[:, columns]), atol=1e-5, rtol=0)
        for pe in (ours, theirs):  # every column is an eigenvector of its eigenvalue
            vectors = pe[:, columns].double()
            torch.testing.assert_close(L @ vectors, values[group.start] * vectors,
                                       atol=1e-5, rtol=0)


@pytest.mark.parametrize("undirected_flag", [True, False])
@pytest.mark.parametrize("name", list(UNDIRECTED))
def test_laplacian_pe_equals_pyg_up_to_sign_and_rotation(name, undirected_flag):
    edge_index, n = UNDIRECTED[name]
    for k in (1, 3, 5):
        transform = AddLaplacianEigenvectorPE(k, is_undirected=undirected_flag)
        theirs = transform(Data(edge_index=edge_index, num_nodes=n)).laplacian_eigenvector_pe
        ours = laplacian_pe(edge_index, n, k)
        assert ours.shape == (n, k) and ours.dtype == torch.float32
        torch.testing.assert_close(ours.double().t() @ ours.double(),
                                   torch.eye(k, dtype=torch.float64), atol=1e-5, rtol=0)
        _assert_same_up_to_ambiguity(ours, theirs.float(), edge_index, n, k)


def test_laplacian_pe_simple_spectrum_equals_pyg_column_by_column_up_to_sign():
    edge_index, n = UNDIRECTED["random"]
    theirs = AddLaplacianEigenvectorPE(6, is_undirected=True)(
        Data(edge_index=edge_index, num_nodes=n)).laplacian_eigenvector_pe.float()
    ours = laplacian_pe(edge_index, n, 6)
    signs = torch.sign((ours * theirs).sum(dim=0))  # [K]
    torch.testing.assert_close(ours, theirs * signs, atol=1e-5, rtol=0)


def test_laplacian_pe_sign_rule_and_padding():
    edge_index, n = UNDIRECTED["Petersen graph"]
    pe = laplacian_pe(edge_index, n, 6)
    largest = pe.abs().argmax(dim=0)
    assert (pe[largest, torch.arange(6)] > 0).all()
    path = undirected_edges([(0, 1), (1, 2), (2, 3)])
    padded = laplacian_pe(path, 4, 6)  # 3 non-trivial eigenvectors, then 3 zero columns
    assert padded.shape == (4, 6)
    assert (padded[:, 3:] == 0).all() and (padded[:, :3].norm(dim=0) - 1).abs().max() < 1e-5
    assert laplacian_pe(torch.empty(2, 0, dtype=torch.long), 1, 2).tolist() == [[0.0, 0.0]]


# --------------------------------------------------------------------------- equivariance
def test_random_walk_pe_is_permutation_equivariant():
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings

    @settings(max_examples=60, deadline=None)
    @given(graphs_and_permutations(max_nodes=9, max_edges=24))
    def check(graph):
        n, edge_index, perm = graph  # perm[old] = new id
        torch.testing.assert_close(random_walk_pe(perm[edge_index], n, 5)[perm],
                                   random_walk_pe(edge_index, n, 5))

    check()


def test_laplacian_pe_is_permutation_equivariant():
    """The eigenspaces move with the nodes; with a simple spectrum and no tied entries the
    columns themselves do (the sign rule is equivariant)."""
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings

    @settings(max_examples=60, deadline=None)
    @given(graphs_and_permutations(min_nodes=2, max_nodes=9, max_edges=24))
    def check(graph):
        n, edge_index, perm = graph
        edge_index = to_undirected(edge_index, num_nodes=n)
        k = n - 1
        moved = laplacian_pe(perm[edge_index], n, k)[perm]
        _assert_same_up_to_ambiguity(moved, laplacian_pe(edge_index, n, k), edge_index, n, k)

    check()
    edge_index, n = UNDIRECTED["random"]
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(laplacian_pe(perm[edge_index], n, 8)[perm],
                               laplacian_pe(edge_index, n, 8), atol=1e-5, rtol=0)


# --------------------------------------------------------------------------- sign flips
def test_random_sign_flip():
    pe = torch.randn(5, 40)
    flipped = random_sign_flip(pe, torch.Generator().manual_seed(0))
    ratio = (flipped / pe)  # [N, K]: one sign per column
    assert ((ratio == 1) | (ratio == -1)).all() and (ratio == ratio[0]).all()
    assert (ratio[0] == 1).any() and (ratio[0] == -1).any()
    again = random_sign_flip(pe, torch.Generator().manual_seed(0))
    assert torch.equal(flipped, again)
    assert not torch.equal(flipped, pe)


# --------------------------------------------------------------------------- transform
def test_transform_stores_encodings_and_batches_stack_them():
    graphs = cluster(3, seed=1)
    transform = AddPositionalEncodings(rw_dim=4, lap_dim=3)
    assert repr(transform) == "AddPositionalEncodings(rw_dim=4, lap_dim=3)"
    encoded = [transform(g) for g in graphs]
    assert all(not hasattr(g, "rwpe") or g.get("rwpe") is None for g in graphs)  # copies
    for g, e in zip(graphs, encoded):
        assert torch.equal(e.rwpe, random_walk_pe(g.edge_index, g.num_nodes, 4))
        assert torch.equal(e.lappe, laplacian_pe(g.edge_index, g.num_nodes, 3))
    batch = next(iter(DataLoader(encoded, batch_size=3)))
    total = sum(g.num_nodes for g in graphs)
    assert batch.rwpe.shape == (total, 4) and batch.lappe.shape == (total, 3)
    only_rw = AddPositionalEncodings(rw_dim=2)(graphs[0])
    assert only_rw.rwpe.shape == (graphs[0].num_nodes, 2) and only_rw.get("lappe") is None
    with pytest.raises(TypeError, match="data: expected a single graph"):
        transform(Batch.from_data_list(graphs))
