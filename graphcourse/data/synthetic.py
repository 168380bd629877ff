"""Synthetic graph sets for expressivity: CSL (circular skip links) and 1-WL-indistinguishable
pairs (chapter 05)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor
from torch_geometric.data import Data
from torch_geometric.utils import to_undirected

from .._validate import _as_int, check_positive_int, check_tensor
from .citations import data_root

CSL_NODES = 41
CSL_SKIPS = (2, 3, 4, 5, 6, 9, 11, 12, 13, 16)  # R of the 10 classes (benchmarking-gnns)
CSL_PER_CLASS = 15
CSL_RAW = ("graphs_Kary_Deterministic_Graphs.pkl", "y_Kary_Deterministic_Graphs.pt")


def _undirected(pairs: list[tuple[int, int]]) -> Tensor:
    """[2, 2P] long edge_index listing each pair in both directions, sorted (PyG's
    ``to_undirected``, which also merges repeats)."""
    return to_undirected(torch.tensor(pairs, dtype=torch.long).t())  # [2, P] -> [2, 2P]


def _structure_only(edge_index: Tensor, num_nodes: int, **extra: Any) -> Data:
    """A ``Data`` whose nodes all have the same type: ``x`` = zeros [N, 1] long."""
    return Data(x=torch.zeros(num_nodes, 1, dtype=torch.long), edge_index=edge_index,
                num_nodes=num_nodes, **extra)


def csl_graph(skip: int, num_nodes: int = CSL_NODES) -> Tensor:
    """``edge_index`` [2, 4N] of the circular skip-link graph C(N, R) with R = ``skip``.

    A cycle 0-1-...-(N-1)-0 plus the skip links i <-> (i + R) mod N, both directions, so that
    every node has degree 4. ``skip`` must lie in [2, N - 2] and differ from N/2 (otherwise a
    skip link would repeat a cycle edge or another skip link); ``num_nodes`` >= 5.
    """
    num_nodes = check_positive_int(num_nodes, "num_nodes", minimum=5)
    skip = _as_int(skip, "skip")
    if not 2 <= skip <= num_nodes - 2 or 2 * skip == num_nodes:
        raise ValueError(f"skip: expected an int in [2, {num_nodes - 2}] other than "
                         f"{num_nodes}/2 (a skip link must not repeat an edge), got {skip}")
    pairs = [(i, (i + 1) % num_nodes) for i in range(num_nodes)]
    pairs += [(i, (i + skip) % num_nodes) for i in range(num_nodes)]
    return _undirected(pairs)


def csl(root: str | os.PathLike | None = None, seed: int = 0) -> list[Data]:
    """The CSL dataset (Murphy et al. 2019, as in benchmarking-gnns): 150 graphs, 10 classes.

    Generated (``root=None``): for each skip length R in ``CSL_SKIPS`` = (2, 3, 4, 5, 6, 9,
    11, 12, 13, 16), the graph C(41, R) of :func:`csl_graph` in canonical order and 14 copies
    with the node ids permuted at random (``seed``), 15 graphs per class, class by class. Every
    graph is 4-regular with 41 nodes, so 1-WL (and GIN) cannot tell the classes apart. The
    graphs are vertex-transitive, and R = 6 and R = 16 give every node the same distances to
    the others (4, 8, 12, 10, 6 nodes at 1-5 hops) although they are not isomorphic. The full
    distance matrix does determine the graph (its 1s are the edges), but a model that
    refines each node's state from the multiset of (distance, state) pairs it sees, starting
    from identical states (SPD-WL, which is what Graphormer's attention with a spatial bias
    and no node features does), cannot separate those two classes: at best 9 of 10 classes,
    about 0.90 accuracy.

    With ``root`` (a folder), the official files are read instead:
    ``root/CSL/raw/graphs_Kary_Deterministic_Graphs.pkl`` and ``y_Kary_Deterministic_Graphs.pt``
    (PurdueMINDS/RelationalPooling), through PyG's ``GNNBenchmarkDataset`` reader, which drops
    their self-loops; nothing is downloaded.

    Each ``Data`` has ``x`` zeros [41, 1] long (one node type; the official features are all
    zero), ``edge_index`` [2, 164], ``y`` [1] the class 0-9, and, when generated, ``skip`` [1].
    Use :func:`csl_splits` for the folds.
    """
    seed = check_positive_int(seed, "seed", minimum=0)
    if root is not None:
        return _csl_files(data_root(root))
    rng = np.random.default_rng(seed)
    graphs = []
    for label, skip in enumerate(CSL_SKIPS):
        canonical = csl_graph(skip)
        for copy in range(CSL_PER_CLASS):
            if copy == 0:
                edge_index = canonical
            else:
                relabel = torch.from_numpy(rng.permutation(CSL_NODES))  # old id -> new id
                edge_index = relabel[canonical]
                order = torch.argsort(edge_index[0] * CSL_NODES + edge_index[1])
                edge_index = edge_index[:, order]
            graphs.append(_structure_only(edge_index, CSL_NODES, y=torch.tensor([label]),
                                          skip=torch.tensor([skip])))
    return graphs


def _csl_files(base: Path) -> list[Data]:
    raw = base / "CSL" / "raw"
    missing = [name for name in CSL_RAW if not (raw / name).exists()]
    if missing:
        raise FileNotFoundError(
            f"CSL: {', '.join(missing)} not found in {raw}. Put the official files there "
            f"(RelationalPooling, Synthetic_Data/), or call csl() without root to generate "
            f"the dataset.")
    from torch_geometric.datasets import GNNBenchmarkDataset

    graphs = []
    for graph in GNNBenchmarkDataset(str(base), "CSL"):
        label = torch.as_tensor(graph.y, dtype=torch.long).reshape(1)
        graphs.append(_structure_only(graph.edge_index, int(graph.num_nodes), y=label))
    return graphs


def csl_splits(y: Tensor, folds: int = 5, seed: int = 0) -> list[tuple[Tensor, Tensor, Tensor]]:
    """Stratified cross-validation folds as benchmarking-gnns uses them for CSL.

    ``folds``-fold stratified CV gives each fold's test set; the rest is split 3:1 into train
    and validation, stratified. For CSL's 150 graphs and 5 folds: 90 / 30 / 30 per fold.

    Args:
        y: [G] integer class of each graph (``torch.cat([g.y for g in graphs])``).
        folds: number of folds (>= 2, at most the smallest class size).
        seed: seed of the shuffles (>= 0).
    Returns:
        ``folds`` tuples ``(train, val, test)`` of graph indices (long tensors).
    """
    from sklearn.model_selection import StratifiedKFold, train_test_split

    check_tensor(y, "y", ndim=1, floating=False)
    folds = check_positive_int(folds, "folds", minimum=2)
    seed = check_positive_int(seed, "seed", minimum=0)
    labels = y.cpu().numpy()
    smallest = int(np.unique(labels, return_counts=True)[1].min()) if labels.size else 0
    if smallest < folds:
        raise ValueError(f"folds: every class needs at least folds={folds} graphs, the "
                         f"smallest has {smallest}")
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    result = []
    for rest, test in splitter.split(np.zeros(len(labels)), labels):
        train, val = train_test_split(rest, test_size=0.25, stratify=labels[rest],
                                      random_state=seed)
        result.append(tuple(torch.as_tensor(np.sort(part), dtype=torch.long)
                            for part in (train, val, test)))
    return result


def wl_pairs() -> dict[str, tuple[Data, Data]]:
    """Pairs of non-isomorphic graphs that 1-WL colour refinement cannot tell apart.

    - ``"decalin / bicyclopentyl"``: two fused 6-rings against two 5-rings joined by a bond
      (10 carbons and 11 bonds each; two adjacent atoms of degree 3 in both).
    - ``"hexagon / two triangles"``: 2-regular on 6 nodes, connected against disconnected.
    - ``"K3,3 / prism"``: 3-regular on 6 nodes, bipartite against two linked triangles.

    Each graph is a ``Data`` with ``x`` zeros [N, 1] long (all nodes alike) and an undirected
    ``edge_index``. Shortest-path distances tell the first two pairs apart; K3,3 and the prism
    have the same distances too (from every node: 3 at distance 1, 2 at distance 2), so a
    distance encoding alone does not separate them.
    """
    decalin = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0),
               (5, 6), (6, 7), (7, 8), (8, 9), (9, 0)]
    bicyclopentyl = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0),
                     (5, 6), (6, 7), (7, 8), (8, 9), (9, 5), (0, 5)]
    hexagon = [(i, (i + 1) % 6) for i in range(6)]
    triangles = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3)]
    k33 = [(i, j) for i in range(3) for j in range(3, 6)]
    prism = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (0, 3), (1, 4), (2, 5)]
    pairs = {"decalin / bicyclopentyl": (decalin, bicyclopentyl, 10),
             "hexagon / two triangles": (hexagon, triangles, 6),
             "K3,3 / prism": (k33, prism, 6)}
    return {name: (_structure_only(_undirected(a), n), _structure_only(_undirected(b), n))
            for name, (a, b, n) in pairs.items()}
