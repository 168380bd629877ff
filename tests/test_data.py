import pickle
import urllib.error

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from torch_geometric.utils import is_undirected

from graphcourse import data


def test_karate_club():
    graph = data.karate_club()
    assert graph.num_nodes == 34 and graph.edge_index.size(1) == 156
    assert int(graph.train_mask.sum()) == 4
    assert not bool((graph.train_mask & graph.test_mask).any())
    assert is_undirected(graph.edge_index)


def test_grid_graph_small():
    edge_index = data.grid_graph(2, 3)
    # 2x3 grid: 3 horizontal pairs per row * 2 rows... = 4 horizontal + 3 vertical = 7 edges.
    assert edge_index.size(1) == 14 and is_undirected(edge_index)
    pairs = {tuple(e) for e in edge_index.t().tolist()}
    assert (0, 1) in pairs and (0, 3) in pairs and (0, 4) not in pairs
    diagonal = {tuple(e) for e in data.grid_graph(2, 3, connectivity=8).t().tolist()}
    assert (0, 4) in diagonal and (1, 3) in diagonal and len(diagonal) == 14 + 8


@pytest.mark.parametrize("kwargs, error, match", [
    ({"height": 0, "width": 3}, ValueError, "height"),
    ({"height": 2, "width": 2.5}, TypeError, "width"),
    ({"height": 2, "width": 2, "connectivity": 6}, ValueError, "connectivity"),
])
def test_grid_graph_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        data.grid_graph(**kwargs)


def test_digits_graph_split():
    graph = data.digits_graph(k=5, per_class=20, num_val=500, num_test=1000, seed=1)
    assert graph.x.shape == (1797, 64) and graph.images.shape == (1797, 8, 8)
    assert float(graph.x.min()) >= 0 and float(graph.x.max()) <= 1
    assert is_undirected(graph.edge_index)
    degrees = torch.bincount(graph.edge_index[1], minlength=1797)
    assert int(degrees.min()) >= 5  # each node keeps at least its own k choices
    counts = torch.bincount(graph.y[graph.train_mask], minlength=10)
    assert counts.tolist() == [20] * 10
    masks = torch.stack([graph.train_mask, graph.val_mask, graph.test_mask]).int()
    assert masks.sum(dim=1).tolist() == [200, 500, 1000]
    assert int(masks.sum(dim=0).max()) == 1  # disjoint
    again = data.digits_graph(k=5, seed=1)
    assert torch.equal(again.train_mask, graph.train_mask)


@pytest.mark.parametrize("kwargs, match", [
    ({"k": 0}, "k"), ({"k": -3}, "k"), ({"k": 5000}, "k"), ({"per_class": 0}, "per_class"),
    ({"per_class": 500}, "per_class"), ({"num_val": 1000, "num_test": 1000}, "num_val"),
])
def test_digits_graph_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        data.digits_graph(**kwargs)


def _write_planetoid_fixture(root, name="cora", n_train=6, n_extra=520, n_test=10,
                             features=5, classes=3, seed=0):
    """Tiny Planetoid raw files in the real format (pickled SciPy/NumPy objects)."""
    rng = np.random.default_rng(seed)
    raw = root / data.PLANETOID_NAMES[name] / "raw"
    raw.mkdir(parents=True)
    n_all = n_train + n_extra
    onehot = lambda n: np.eye(classes)[rng.integers(0, classes, n)]  # noqa: E731
    binary = lambda n: sp.csr_matrix(  # noqa: E731 - bag-of-words rows, never empty
        np.maximum(rng.random((n, features)) < 0.4, np.eye(features)[rng.integers(0, features, n)]))
    allx = binary(n_all)
    objects = {
        "x": allx[:n_train], "allx": allx, "tx": binary(n_test),
        "y": onehot(n_all)[:n_train], "ally": onehot(n_all), "ty": onehot(n_test),
    }
    objects["y"] = objects["ally"][:n_train]
    n = n_all + n_test
    neighbours = {i: set() for i in range(n)}  # adjacency lists in both directions, as in Cora
    for i in range(n):
        for j in ((i + 1) % n, (i + 7) % n):
            neighbours[i].add(j)
            neighbours[j].add(i)
    objects["graph"] = {i: sorted(js) for i, js in neighbours.items()}
    for key, value in objects.items():
        with open(raw / f"ind.{name}.{key}", "wb") as handle:
            pickle.dump(value, handle)
    test_index = rng.permutation(np.arange(n_all, n))
    (raw / f"ind.{name}.test.index").write_text("\n".join(map(str, test_index)) + "\n")
    return n


def test_planetoid_reads_local_files(tmp_path):
    n = _write_planetoid_fixture(tmp_path)
    graph = data.planetoid("Cora", root=tmp_path, download=False)
    assert graph.num_nodes == n and graph.x.shape == (n, 5) and graph.edge_index.size(1) == 4 * n
    assert int(graph.train_mask.sum()) == 6 and int(graph.val_mask.sum()) == 500
    assert int(graph.test_mask.sum()) == 10
    assert torch.allclose(graph.x.sum(dim=1), torch.ones(n), atol=1e-5)  # row-normalised
    assert is_undirected(graph.edge_index)


def test_planetoid_root_from_environment(tmp_path, monkeypatch):
    _write_planetoid_fixture(tmp_path, name="citeseer")
    monkeypatch.setenv("GRAPHCOURSE_DATA", str(tmp_path))
    assert data.planetoid("citeseer", download=False).x.size(1) == 5


def test_planetoid_missing_files_message(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        data.planetoid("Cora", root=tmp_path, download=False)
    message = str(info.value)
    assert "ind.cora.x" in message and "ind.cora.test.index" in message
    assert str(tmp_path / "Cora" / "raw") in message


def test_planetoid_no_network_message(tmp_path, monkeypatch):
    from torch_geometric.datasets import Planetoid

    def offline(self):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(Planetoid, "download", offline)
    with pytest.raises(FileNotFoundError, match="download failed") as info:
        data.planetoid("PubMed", root=tmp_path)
    assert "ind.pubmed.graph" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_planetoid_bad_name():
    with pytest.raises(ValueError, match="name"):
        data.planetoid("Karate", download=False)


def test_digits_graph_breaks_distance_ties_by_index():
    """Exact integer distances, ties to the lower index: the same graph on every machine."""
    import numpy as np
    from sklearn.datasets import load_digits

    from graphcourse.data import digits_graph

    data = digits_graph(k=3)
    pixels = load_digits().data.astype(np.int64)
    node = 0
    dist = ((pixels - pixels[node]) ** 2).sum(1)
    dist[node] = np.iinfo(np.int64).max
    chosen = sorted(range(len(dist)), key=lambda j: (dist[j], j))[:3]
    targets = set(data.edge_index[1][data.edge_index[0] == node].tolist())
    assert set(chosen) <= targets  # its own 3 choices, plus those that chose it
    edges = set(map(tuple, data.edge_index.t().tolist()))
    assert all((t, s) in edges for s, t in edges)  # undirected
    assert all(s != t for s, t in edges)


# --------------------------------------------------------------------------- CSL and 1-WL pairs
def test_csl_has_ten_isomorphism_classes_of_fifteen():
    import networkx as nx
    from torch_geometric.utils import to_networkx

    graphs = data.csl()
    assert len(graphs) == 150
    labels = torch.cat([g.y for g in graphs])
    assert torch.bincount(labels).tolist() == [15] * 10
    assert all(g.num_nodes == 41 and g.edge_index.size(1) == 164 for g in graphs)
    assert all(torch.bincount(g.edge_index[0]).tolist() == [4] * 41 for g in graphs)
    nxg = [to_networkx(g, to_undirected=True) for g in graphs]
    for c in range(10):  # every graph is isomorphic to its class's canonical graph...
        first = labels.tolist().index(c)
        assert graphs[first].skip.item() == data.CSL_SKIPS[c]
        members = [i for i in range(150) if labels[i] == c]
        assert all(nx.vf2pp_is_isomorphic(nxg[first], nxg[i]) for i in members)
        assert sum(not torch.equal(graphs[first].edge_index, graphs[i].edge_index)
                   for i in members) == 14  # ...and 14 of them are permuted copies
    # ...and the classes differ: the distances from a node (an invariant, the graphs being
    # vertex-transitive) tell 9 of them apart; R = 6 and R = 16 share them, and networkx's
    # isomorphism test separates that pair
    profile = {}
    for c in range(10):
        key = tuple(sorted(nx.single_source_shortest_path_length(nxg[c * 15], 0).values()))
        profile.setdefault(key, []).append(data.CSL_SKIPS[c])
    assert sorted(profile.values(), key=len)[-1] == [6, 16] and len(profile) == 9
    six, sixteen = data.CSL_SKIPS.index(6), data.CSL_SKIPS.index(16)
    assert not nx.vf2pp_is_isomorphic(nxg[six * 15], nxg[sixteen * 15])


def test_csl_is_invisible_to_1wl():
    from graphcourse.structure import wl_histogram

    graphs = data.csl()
    histogram = wl_histogram([graphs[c * 15] for c in range(10)])
    assert (histogram == histogram[0]).all()


def test_csl_splits_are_stratified_folds():
    labels = torch.cat([g.y for g in data.csl()])
    folds = data.csl_splits(labels)
    assert len(folds) == 5
    tests = torch.cat([test for _, _, test in folds])
    assert sorted(tests.tolist()) == list(range(150))
    for train, val, test in folds:
        assert (len(train), len(val), len(test)) == (90, 30, 30)
        assert len(set(train.tolist()) | set(val.tolist()) | set(test.tolist())) == 150
        assert torch.bincount(labels[test], minlength=10).tolist() == [3] * 10
        assert torch.bincount(labels[val], minlength=10).tolist() == [3] * 10


def test_csl_reads_the_official_files(tmp_path):
    raw = tmp_path / "CSL" / "raw"
    raw.mkdir(parents=True)
    adjs, ys = [], []
    for label, skip in enumerate(data.CSL_SKIPS[:3]):
        edge_index = data.csl_graph(skip)
        matrix = sp.coo_matrix((np.ones(edge_index.size(1)), edge_index.numpy()),
                               shape=(41, 41)) + sp.eye(41)  # the raw files hold self-loops
        adjs.append(sp.coo_matrix(matrix))
        ys.append(label)
    with open(raw / "graphs_Kary_Deterministic_Graphs.pkl", "wb") as handle:
        pickle.dump(adjs, handle)
    torch.save(torch.tensor(ys), raw / "y_Kary_Deterministic_Graphs.pt")
    graphs = data.csl(root=tmp_path)
    assert len(graphs) == 3 and [int(g.y) for g in graphs] == [0, 1, 2]
    assert all(g.edge_index.size(1) == 164 and g.x.shape == (41, 1) for g in graphs)
    assert not any(bool((g.edge_index[0] == g.edge_index[1]).any()) for g in graphs)


def test_csl_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="graphs_Kary_Deterministic_Graphs.pkl"):
        data.csl(root=tmp_path)


def test_wl_pairs_shapes():
    pairs = data.wl_pairs()
    assert len(pairs) == 3
    for a, b in pairs.values():
        assert a.num_nodes == b.num_nodes and a.edge_index.size(1) == b.edge_index.size(1)
        assert is_undirected(a.edge_index) and is_undirected(b.edge_index)


# --------------------------------------------------------------------------- molecules
def test_smiles_to_data_kekulized_benzene_and_ethanol():
    benzene = data.smiles_to_data("c1ccccc1")
    assert benzene.x.tolist() == [[0]] * 6 and benzene.edge_index.size(1) == 12
    assert sorted(benzene.edge_attr.tolist()) == [1] * 6 + [2] * 6  # Kekule: 3 single, 3 double
    ethanol = data.smiles_to_data("CCO")
    assert ethanol.x.flatten().tolist() == [0, 0, 2] and is_undirected(ethanol.edge_index)
    assert data.smiles_to_data("[Cu]").x.tolist() == [[len(data.ATOM_TYPES) - 1]]


@pytest.mark.parametrize("smiles", ["c1ccccc1", "CC(=O)Oc1ccccc1C(=O)O", "C1CCCCCCC1",
                                    "CCO", "C1CCCCCCCCCC1"])
def test_penalized_logp_matches_rdkit(smiles):
    from rdkit import Chem
    from rdkit.Chem import Crippen

    mol = Chem.MolFromSmiles(smiles)
    logp, sa, cycle = data.penalized_logp_terms(smiles)
    assert logp == pytest.approx(Crippen.MolLogP(mol))
    largest = max((len(ring) for ring in mol.GetRingInfo().AtomRings()), default=0)
    assert cycle == max(0, largest - 6)
    assert 1.0 <= sa <= 10.0
    assert data.penalized_logp(smiles) == pytest.approx(logp - sa - cycle)


def test_penalized_logp_known_values():
    logp, sa, cycle = data.penalized_logp_terms("c1ccccc1")
    assert logp == pytest.approx(1.6866, abs=1e-4) and sa == pytest.approx(1.0) and cycle == 0
    assert data.penalized_logp_terms("C1CCCCCCC1")[2] == 2.0  # an 8-ring: penalty 8 - 6


def test_molecules_offline():
    graphs = data.molecules(40)
    assert len(graphs) == 40
    for graph in graphs:
        assert 9 <= graph.num_nodes <= 37 and graph.y.shape == (1,)
        assert graph.x.dtype == torch.long and graph.edge_attr.size(0) == graph.edge_index.size(1)
        assert "." not in graph.smiles
    assert graphs[0].y.item() == pytest.approx(data.penalized_logp(graphs[0].smiles))


def test_zinc_reads_local_files(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for split in ("train", "val", "test"):
        mols = []
        for n in (3, 4):
            bonds = torch.zeros(n, n, dtype=torch.long)
            for i in range(n - 1):
                bonds[i, i + 1] = bonds[i + 1, i] = 1
            mols.append({"atom_type": torch.arange(n), "bond_type": bonds,
                         "logP_SA_cycle_normalized": torch.tensor([0.5 * n])})
        with open(raw / f"{split}.pickle", "wb") as handle:
            pickle.dump(mols, handle)
        (raw / f"{split}.index").write_text("0,1\n")
    graphs = data.zinc(tmp_path, split="val")
    assert len(graphs) == 2 and graphs[1].x.shape == (4, 1) and graphs[1].y.tolist() == [2.0]
    assert graphs[1].edge_attr.tolist() == [1] * 6
    assert len(data.zinc(tmp_path, count=1)) == 1


def test_zinc_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="train.pickle"):
        data.zinc(tmp_path)
