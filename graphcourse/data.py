"""Datasets of the course, offline by default.

- ``karate_club``: Zachary's karate club (34 members, 4 communities), shipped inside PyG.
- ``digits_graph``: a k-nearest-neighbour graph over scikit-learn's 8x8 digits (shipped with
  scikit-learn) with a Planetoid-style split: ``per_class`` labelled nodes per class, then
  validation and test nodes.
- ``grid_graph``: the pixel grid of an image as a graph (an image is a graph too).
- ``planetoid``: Cora / CiteSeer / PubMed through PyG's ``Planetoid``, from a local folder or
  cache; with no files and no network it says which files to put where.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
from torch import Tensor
from torch_geometric.data import Data

from ._validate import check_positive_int

PLANETOID_NAMES = {"cora": "Cora", "citeseer": "CiteSeer", "pubmed": "PubMed"}
PLANETOID_RAW = ("x", "tx", "allx", "y", "ty", "ally", "graph", "test.index")


def karate_club() -> Data:
    """Zachary's karate club as a PyG ``Data`` object.

    34 nodes, 156 directed edges (78 undirected), one-hot node features ``x`` [34, 34], labels
    ``y`` [34] in 4 communities, ``train_mask`` with one labelled node per community (PyG's
    choice) and ``test_mask`` for the other 30 nodes.
    """
    from torch_geometric.datasets import KarateClub

    data = KarateClub()[0]
    data.test_mask = ~data.train_mask
    return data


def grid_graph(height: int, width: int, connectivity: int = 4) -> Tensor:
    """``edge_index`` [2, E] of a ``height`` x ``width`` pixel grid, both directions per edge.

    Pixel (r, c) is node ``r * width + c``. ``connectivity=4`` links up/down/left/right
    neighbours, ``8`` adds the diagonals. No self-loops.
    """
    check_positive_int(height, "height")
    check_positive_int(width, "width")
    if connectivity not in (4, 8):
        raise ValueError(f"connectivity: expected 4 or 8, got {connectivity!r}")
    steps = [(0, 1), (1, 0)] + ([(1, 1), (1, -1)] if connectivity == 8 else [])
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    src, dst = [], []
    for dr, dc in steps:
        r2, c2 = rows + dr, cols + dc
        ok = (r2 >= 0) & (r2 < height) & (c2 >= 0) & (c2 < width)
        src.append((rows * width + cols)[ok])
        dst.append((r2 * width + c2)[ok])
    a, b = np.concatenate(src), np.concatenate(dst)
    edge_index = torch.from_numpy(np.stack([np.concatenate([a, b]), np.concatenate([b, a])]))
    return _sorted(edge_index.long())


def _sorted(edge_index: Tensor) -> Tensor:
    """Sort edges by (source, target) so that outputs are reproducible."""
    num = int(edge_index.max()) + 1 if edge_index.numel() else 1
    order = torch.argsort(edge_index[0] * num + edge_index[1])
    return edge_index[:, order]


def split_per_class(y: Tensor, per_class: int, num_val: int, num_test: int,
                    seed: int = 0) -> tuple[Tensor, Tensor, Tensor]:
    """Planetoid-style boolean masks: ``per_class`` training nodes of every class, then
    ``num_val`` validation and ``num_test`` test nodes drawn from the rest (disjoint)."""
    check_positive_int(per_class, "per_class")
    check_positive_int(num_val, "num_val", minimum=0)
    check_positive_int(num_test, "num_test", minimum=0)
    n = y.numel()
    rng = np.random.default_rng(seed)
    labels = y.cpu().numpy()
    train = []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        if members.size < per_class:
            raise ValueError(f"per_class: class {c} has only {members.size} nodes, "
                             f"fewer than per_class={per_class}")
        train.extend(rng.choice(members, per_class, replace=False).tolist())
    rest = np.setdiff1d(np.arange(n), np.asarray(train))
    if num_val + num_test > rest.size:
        raise ValueError(f"num_val + num_test: {num_val + num_test} requested but only "
                         f"{rest.size} nodes remain after the training nodes")
    rest = rng.permutation(rest)
    masks = []
    for index in (np.asarray(train), rest[:num_val], rest[num_val:num_val + num_test]):
        mask = torch.zeros(n, dtype=torch.bool)
        mask[torch.as_tensor(index, dtype=torch.long)] = True
        masks.append(mask)
    return masks[0], masks[1], masks[2]


def digits_graph(k: int = 10, per_class: int = 20, num_val: int = 500, num_test: int = 1000,
                 seed: int = 0) -> Data:
    """A k-NN graph over scikit-learn's 1,797 handwritten digits, as a PyG ``Data``.

    Node v is image v; ``x`` [N, 64] holds its pixels scaled to [0, 1] and ``images``
    [N, 8, 8] the same pixels as an image. Each image is linked to its ``k`` nearest
    neighbours in pixel space (Euclidean), and the graph is made undirected, so
    ``edge_index`` [2, E] lists both directions. Distances are computed exactly on the
    integer pixel values (0-16) and ties go to the lower image index, so the graph is the
    same on every machine (a k-NN search breaks the ties of 62 digits differently with the
    number of threads or the tree it uses). ``y`` [N] is the digit. Masks follow the
    Planetoid protocol of Kipf & Welling: ``per_class`` labels per class for training
    (200 in all by default), ``num_val`` for validation, ``num_test`` for testing.
    """
    from sklearn.datasets import load_digits
    from torch_geometric.utils import to_undirected

    check_positive_int(k, "k")
    pixels, labels = load_digits(return_X_y=True)
    n = len(labels)
    if k >= n:
        raise ValueError(f"k: expected fewer neighbours than images ({n}), got {k}")
    x = pixels.astype(np.float32) / 16.0  # [N, 64]
    counts = pixels.astype(np.int64)  # [N, 64] exact integers 0..16
    squared = (counts ** 2).sum(1)
    distances = squared[:, None] + squared[None, :] - 2 * counts @ counts.T  # [N, N], exact
    np.fill_diagonal(distances, np.iinfo(np.int64).max)  # never one's own neighbour
    nearest = np.argsort(distances, axis=1, kind="stable")[:, :k]  # [N, k]; ties: lower index
    sources = np.repeat(np.arange(n), k)
    chosen = torch.as_tensor(np.stack([sources, nearest.reshape(-1)]), dtype=torch.long)
    edge_index = to_undirected(chosen, num_nodes=n)  # keep an edge if either end chose it
    y = torch.as_tensor(labels, dtype=torch.long)
    train_mask, val_mask, test_mask = split_per_class(y, per_class, num_val, num_test, seed)
    return Data(x=torch.from_numpy(x), edge_index=_sorted(edge_index), y=y,
                images=torch.from_numpy(x.reshape(-1, 8, 8)),
                train_mask=train_mask, val_mask=val_mask, test_mask=test_mask)


def data_root(root: str | os.PathLike | None = None) -> Path:
    """Where datasets live: ``root``, else ``$GRAPHCOURSE_DATA``, else ``~/.cache/graphcourse``."""
    if root is not None:
        return Path(root).expanduser()
    env = os.environ.get("GRAPHCOURSE_DATA")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "graphcourse"


def planetoid_files(name: str, root: str | os.PathLike | None = None) -> list[Path]:
    """The raw files ``Planetoid(root, name)`` reads: ``root/Name/raw/ind.name.*``."""
    key = _planetoid_key(name)
    raw = data_root(root) / PLANETOID_NAMES[key] / "raw"
    return [raw / f"ind.{key}.{suffix}" for suffix in PLANETOID_RAW]


def _planetoid_key(name: str) -> str:
    if not isinstance(name, str) or name.lower() not in PLANETOID_NAMES:
        raise ValueError(f"name: expected one of {', '.join(PLANETOID_NAMES.values())}, "
                         f"got {name!r}")
    return name.lower()


def planetoid(name: str = "Cora", root: str | os.PathLike | None = None,
              download: bool = True, normalize_features: bool = True) -> Data:
    """A Planetoid citation graph (Cora, CiteSeer, PubMed) with the public split.

    Reads ``root/Name/raw/ind.name.{x,tx,allx,y,ty,ally,graph,test.index}`` (root from
    :func:`data_root`). When files are missing it downloads them if ``download`` is true and
    the network answers; otherwise it raises ``FileNotFoundError`` naming the files and the
    folder to put them in. Features are row-normalised as in Kipf & Welling.
    """
    from torch_geometric.datasets import Planetoid
    from torch_geometric.transforms import NormalizeFeatures

    key = _planetoid_key(name)
    base = data_root(root)
    files = planetoid_files(key, base)
    missing = [path for path in files if not path.exists()]
    transform = NormalizeFeatures() if normalize_features else None
    if missing and not download:
        raise FileNotFoundError(_missing_message(key, files, missing, "download=False"))
    try:
        dataset = Planetoid(str(base), PLANETOID_NAMES[key], transform=transform)
    except OSError as error:  # URLError, socket errors and timeouts are all OSErrors
        if not missing:
            raise
        raise FileNotFoundError(
            _missing_message(key, files, missing, f"the download failed: {error}")) from None
    return dataset[0]


def _missing_message(key: str, files: list[Path], missing: list[Path], why: str) -> str:
    folder = files[0].parent
    names = ", ".join(path.name for path in missing)
    return (f"Planetoid {PLANETOID_NAMES[key]}: {len(missing)} raw file(s) missing ({why}).\n"
            f"Put these files from the Planetoid repository (kimiyoung/planetoid, data/):\n"
            f"    {names}\ninto the folder\n    {folder}\n"
            f"or pass root=... (or set GRAPHCOURSE_DATA) to a folder holding "
            f"{PLANETOID_NAMES[key]}/raw/.")
