"""Single graphs for node classification: karate club, a digits k-NN graph, pixel grids, and
the Planetoid-style split they share."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import Tensor
from torch_geometric.data import Data
from torch_geometric.utils import sort_edge_index, to_undirected

from .._validate import _as_int, check_positive_int, check_tensor

DIGITS_IMAGES = 1797  # scikit-learn's load_digits()


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
    height = check_positive_int(height, "height")
    width = check_positive_int(width, "width")
    connectivity = _as_int(connectivity, "connectivity", "4 or 8 (an int)")
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
    return sort_edge_index(edge_index)


def _check_split(counts: dict[int, int], per_class: Any, num_val: Any, num_test: Any,
                 seed: Any) -> tuple[int, int, int, int]:
    """Check the split sizes against the class sizes ``counts`` (label -> number of nodes)."""
    per_class = check_positive_int(per_class, "per_class")
    num_val = check_positive_int(num_val, "num_val", minimum=0)
    num_test = check_positive_int(num_test, "num_test", minimum=0)
    seed = check_positive_int(seed, "seed", minimum=0)
    for label, size in sorted(counts.items()):
        if size < per_class:
            raise ValueError(f"per_class: class {label} has only {size} nodes, "
                             f"fewer than per_class={per_class}")
    rest = sum(counts.values()) - per_class * len(counts)
    if num_val + num_test > rest:
        raise ValueError(f"num_val + num_test: {num_val + num_test} requested but only "
                         f"{rest} nodes remain after the training nodes")
    return per_class, num_val, num_test, seed


def split_per_class(y: Tensor, per_class: int, num_val: int, num_test: int,
                    seed: int = 0) -> tuple[Tensor, Tensor, Tensor]:
    """Planetoid-style boolean masks: ``per_class`` training nodes of every class, then
    ``num_val`` validation and ``num_test`` test nodes drawn from the rest (disjoint).

    Args:
        y: node labels, an integer tensor [N] (class ids, not one-hot rows).
        per_class: training nodes per class (>= 1, at most the smallest class).
        num_val, num_test: validation and test nodes (>= 0, together at most what is left).
        seed: seed of the NumPy generator that draws the nodes (>= 0).
    Returns:
        ``(train_mask, val_mask, test_mask)``, three bool tensors [N].
    """
    check_tensor(y, "y", floating=False)
    if y.dim() != 1:
        raise ValueError(f"y: expected a 1-D tensor of class ids [N], got shape "
                         f"{list(y.shape)}" + ("; for one-hot rows use y.argmax(1)"
                                               if y.dim() == 2 else ""))
    if y.numel() == 0:
        raise ValueError("y: expected at least one node, got an empty tensor")
    labels = y.cpu().numpy()
    classes, sizes = np.unique(labels, return_counts=True)
    per_class, num_val, num_test, seed = _check_split(
        dict(zip(classes.tolist(), sizes.tolist())), per_class, num_val, num_test, seed)
    n = y.numel()
    rng = np.random.default_rng(seed)
    train = []
    for c in classes:
        members = np.flatnonzero(labels == c)
        train.extend(rng.choice(members, per_class, replace=False).tolist())
    rest = np.setdiff1d(np.arange(n), np.asarray(train))
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

    ``k`` must lie in [1, 1796]; ``per_class`` at most 174 (the smallest digit class);
    ``num_val + num_test`` at most what the training nodes leave.
    """
    from sklearn.datasets import load_digits

    k = check_positive_int(k, "k")
    if k >= DIGITS_IMAGES:
        raise ValueError(f"k: expected fewer neighbours than images ({DIGITS_IMAGES}), got {k}")
    pixels, labels = load_digits(return_X_y=True)
    classes, sizes = np.unique(labels, return_counts=True)
    _check_split(dict(zip(classes.tolist(), sizes.tolist())), per_class, num_val, num_test, seed)
    n = len(labels)
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
