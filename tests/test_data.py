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


@pytest.mark.parametrize("kwargs, match", [
    ({"height": 0, "width": 3}, "height"),
    ({"height": 2, "width": 2.5}, "width"),
    ({"height": 2, "width": 2, "connectivity": 6}, "connectivity"),
])
def test_grid_graph_bad_input(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
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
