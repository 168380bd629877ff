"""CLUSTER and PATTERN: node classification on stochastic block models (chapter 06).

Generated as in Benchmarking-GNNs (Dwivedi et al., `data/SBMs/generate_SBM_CLUSTER.ipynb` and
`generate_SBM_PATTERN.ipynb`). A stochastic block model (SBM) splits the nodes into
communities and links two nodes with probability p if they share a community, q otherwise.

- :func:`cluster`: 6 communities of 5-34 nodes, p = 0.55, q = 0.25; every node is unlabelled
  (feature 0) except one random node per community r, which shows r + 1. Task: the community
  of every node (6 classes), from those few seeds and the structure.
- :func:`pattern`: 5 communities of 5-34 nodes, p = 0.5, q = 0.35, features uniform in
  {0, 1, 2}, plus one of 100 fixed patterns (5-34 nodes, internal p = 0.5, fixed features)
  whose nodes link to every other node with probability q_pattern = 0.5. Task: which nodes
  belong to the pattern (2 classes).

Each graph is a ``Data`` with ``x`` [N] long feature ids, ``y`` [N] long labels,
``edge_index`` [2, E] undirected (both directions, sorted) without self-loops, and the nodes
in random order. Everything is drawn from a NumPy ``Generator`` seeded with ``seed``, so a
seed gives the same graphs on any machine. About 117 nodes per graph on average.
"""

from __future__ import annotations

import numpy as np
import torch
from torch_geometric.data import Data

from .._validate import check_positive_int

CLUSTER_CLASSES = 6   # communities = classes
CLUSTER_FEATURES = 7  # 0 (unlabelled) and 1..6 (the seed of community r shows r + 1)
PATTERN_CLASSES = 2   # 0: SBM node, 1: pattern node
PATTERN_FEATURES = 3  # uniform in {0, 1, 2}

SIZE_MIN, SIZE_MAX = 5, 35  # community and pattern sizes: randint(5, 35), i.e. 5..34
CLUSTER_P, CLUSTER_Q = 0.55, 0.25
PATTERN_COMMUNITIES = 5
PATTERN_P, PATTERN_Q = 0.5, 0.35
PATTERN_COUNT = 100  # fixed patterns, used round-robin
PATTERN_INTERNAL_P = 0.5  # the benchmark passes the SBM's p to the pattern generator
PATTERN_LINK_Q = 0.5  # q_pattern: each pattern node to each SBM node
_PATTERN_SEED = 0  # the 100 patterns are the same for every seed


def _symmetric_bernoulli(rng: np.random.Generator, prob: np.ndarray) -> np.ndarray:
    """A symmetric 0/1 matrix [N, N] with zero diagonal: entry (i, j), i < j, is 1 with
    probability ``prob[i, j]``, independently."""
    upper = np.triu(rng.random(prob.shape) < prob, k=1)  # [N, N], strictly above diagonal
    return upper | upper.T


def _sbm(rng: np.random.Generator, communities: int, p: float,
         q: float) -> tuple[np.ndarray, np.ndarray]:
    """Adjacency [N, N] bool and community ids [N] of an SBM whose ``communities`` sizes are
    drawn from randint(5, 35); nodes ordered by community."""
    sizes = rng.integers(SIZE_MIN, SIZE_MAX, size=communities)
    community = np.repeat(np.arange(communities), sizes)  # [N]
    same = community[:, None] == community[None, :]  # [N, N]
    return _symmetric_bernoulli(rng, np.where(same, p, q)), community


def _to_data(adjacency: np.ndarray, x: np.ndarray, y: np.ndarray,
             order: np.ndarray) -> Data:
    """The graph with node k of the result being node ``order[k]`` of the input."""
    adjacency = adjacency[order][:, order]  # [N, N]
    source, target = np.nonzero(adjacency)  # row-major: sorted, both directions
    edge_index = torch.from_numpy(np.stack([source, target]).astype(np.int64))
    return Data(x=torch.from_numpy(x[order].astype(np.int64)),
                y=torch.from_numpy(y[order].astype(np.int64)),
                edge_index=edge_index, num_nodes=len(order))


def _cluster_graph(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One CLUSTER graph before shuffling: adjacency [N, N], features [N], community [N]."""
    adjacency, community = _sbm(rng, CLUSTER_CLASSES, CLUSTER_P, CLUSTER_Q)
    x = np.zeros(len(community), dtype=np.int64)
    for r in range(CLUSTER_CLASSES):
        members = np.flatnonzero(community == r)
        x[members[rng.integers(len(members))]] = r + 1
    return adjacency, x, community


def cluster(num_graphs: int, seed: int = 0) -> list[Data]:
    """``num_graphs`` CLUSTER graphs (Benchmarking-GNNs): semi-supervised community detection.

    Each graph: an SBM with ``CLUSTER_CLASSES`` = 6 communities of randint(5, 35) nodes each
    (5-34), edge probability p = 0.55 inside a community and q = 0.25 across; one node per
    community r, chosen at random, has feature r + 1, every other node 0
    (``CLUSTER_FEATURES`` = 7 ids); label ``y`` = community 0..5. Nodes randomly permuted.
    The benchmark's splits are 10,000 / 1,000 / 1,000 graphs; use different seeds (or slices
    of one list) for train, validation and test.

    Args:
        num_graphs: how many graphs (>= 1).
        seed: seed (>= 0) of the NumPy generator that draws everything.
    Returns:
        a list of ``Data(x [N] long, y [N] long, edge_index [2, E], num_nodes)``.
    """
    num_graphs = check_positive_int(num_graphs, "num_graphs")
    seed = check_positive_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    graphs = []
    for _ in range(num_graphs):
        adjacency, x, community = _cluster_graph(rng)
        graphs.append(_to_data(adjacency, x, community, rng.permutation(len(community))))
    return graphs


def _patterns() -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``PATTERN_COUNT`` fixed patterns: (adjacency [n0, n0] bool, features [n0])."""
    rng = np.random.default_rng(_PATTERN_SEED)
    patterns = []
    for _ in range(PATTERN_COUNT):
        size = int(rng.integers(SIZE_MIN, SIZE_MAX))
        adjacency = _symmetric_bernoulli(rng, np.full((size, size), PATTERN_INTERNAL_P))
        patterns.append((adjacency, rng.integers(PATTERN_FEATURES, size=size)))
    return patterns


def _pattern_graph(rng: np.random.Generator, pattern: tuple[np.ndarray, np.ndarray]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One PATTERN graph before shuffling: adjacency [N, N], features [N] and community [N]
    (0..4 for the SBM, 5 for the pattern's n0 nodes, which come last)."""
    sbm, community = _sbm(rng, PATTERN_COMMUNITIES, PATTERN_P, PATTERN_Q)
    x = rng.integers(PATTERN_FEATURES, size=len(community))
    inner, features = pattern
    links = rng.random((len(features), len(community))) < PATTERN_LINK_Q  # [n0, n]
    adjacency = np.block([[sbm, links.T], [links, inner]])  # [n + n0, n + n0]
    community = np.concatenate([community, np.full(len(features), PATTERN_COMMUNITIES)])
    return adjacency, np.concatenate([x, features]), community


def pattern(num_graphs: int, seed: int = 0) -> list[Data]:
    """``num_graphs`` PATTERN graphs (Benchmarking-GNNs): find a planted subgraph.

    Each graph: an SBM with 5 communities of randint(5, 35) nodes, p = 0.5, q = 0.35, node
    features uniform in {0, 1, 2} (``PATTERN_FEATURES`` = 3); then one of 100 fixed patterns
    (each of randint(5, 35) nodes, internal edge probability 0.5, fixed features in
    {0, 1, 2}) is added, each pattern node linked to each SBM node with probability 0.5.
    Label ``y`` = 1 for pattern nodes, 0 otherwise (``PATTERN_CLASSES`` = 2); about 1 node in
    6 is a pattern node, so report :func:`graphcourse.metrics.balanced_accuracy`. Nodes
    randomly permuted.

    Graph g uses pattern ``g % 100`` (round-robin), so a small count still mixes patterns.
    The 100 patterns are the same for every ``seed`` (as the benchmark's train, validation
    and test graphs share them); ``seed`` draws the graphs around them.

    Args:
        num_graphs: how many graphs (>= 1).
        seed: seed (>= 0) of the NumPy generator that draws the graphs.
    Returns:
        a list of ``Data(x [N] long, y [N] long, edge_index [2, E], num_nodes)``.
    """
    num_graphs = check_positive_int(num_graphs, "num_graphs")
    seed = check_positive_int(seed, "seed", minimum=0)
    patterns = _patterns()
    rng = np.random.default_rng(seed)
    graphs = []
    for g in range(num_graphs):
        adjacency, x, community = _pattern_graph(rng, patterns[g % PATTERN_COUNT])
        label = (community == PATTERN_COMMUNITIES).astype(np.int64)
        graphs.append(_to_data(adjacency, x, label, rng.permutation(len(community))))
    return graphs
