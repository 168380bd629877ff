"""Computation trees: what a k-layer message-passing GNN unrolls at one node (chapter 01).

A k-layer GNN computes node v's output from v's k-hop neighbourhood, level by level: the
tree's root is v, the children of a tree node standing for graph node u are u's
in-neighbours. Level sizes count walks, so nodes repeat; :attr:`ComputationTree.redundancy`
measures how much work is repeated.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor
from torch_geometric.utils import k_hop_subgraph

from .._validate import check_bool, check_edge_index, check_instance, check_node, check_positive_int


@dataclass
class ComputationTree:
    """What a k-layer GNN computes for ``root``, unrolled (built by :func:`computation_tree`).

    Attributes:
        hops: graph node -> its hop distance from ``root`` (only nodes within ``depth``).
        parents, graph_nodes, levels: the unrolled tree, one entry per tree node (the root
            first; ``parents[0] == -1``); cut after ``max_nodes`` tree nodes.
        tree_sizes: exact number of tree nodes on each level 0..depth (the number of walks of
            that length ending at ``root``), even when the drawing is cut.
        distinct_sizes: how many distinct graph nodes appear on each level.
        truncated: whether ``parents`` stops before the whole tree.
    """

    root: int
    depth: int
    hops: dict[int, int]
    parents: list[int]
    graph_nodes: list[int]
    levels: list[int]
    tree_sizes: list[int]
    distinct_sizes: list[int]
    truncated: bool

    def __post_init__(self) -> None:
        check_positive_int(self.root, "root", minimum=0)
        check_positive_int(self.depth, "depth", minimum=0)
        check_instance(self.hops, "hops", dict, "a dict node -> hop distance")
        for name in ("parents", "graph_nodes", "levels", "tree_sizes", "distinct_sizes"):
            check_instance(getattr(self, name), name, list, "a list of ints")
        if not len(self.parents) == len(self.graph_nodes) == len(self.levels):
            raise ValueError(f"parents, graph_nodes, levels: expected one entry per tree node "
                             f"each, got lengths {len(self.parents)}, {len(self.graph_nodes)}, "
                             f"{len(self.levels)}")
        if len(self.tree_sizes) != self.depth + 1 or len(self.distinct_sizes) != self.depth + 1:
            raise ValueError(f"tree_sizes, distinct_sizes: expected depth + 1 = {self.depth + 1} "
                             f"levels, got {len(self.tree_sizes)} and {len(self.distinct_sizes)}")

    @property
    def redundancy(self) -> float:
        """Tree nodes per distinct graph node over all levels: how often work is repeated."""
        return sum(self.tree_sizes) / max(sum(self.distinct_sizes), 1)


def computation_tree(edge_index: Tensor, num_nodes: int, root: int, depth: int,
                     self_loops: bool = False, max_nodes: int = 400) -> ComputationTree:
    """Unroll the computation of a ``depth``-layer message-passing GNN at node ``root``.

    Level 0 is the root; the children of a tree node standing for graph node v are v's
    in-neighbours u (edges u -> v in ``edge_index`` [2, E]), plus v itself if ``self_loops``
    (the ``B h_v`` term). The k-hop neighbourhood comes from PyG's ``k_hop_subgraph``. Level
    l of the tree has as many nodes as there are walks of length l ending at ``root``; the
    drawn tree stops after ``max_nodes`` tree nodes (``truncated``), the counts do not.
    """
    num_nodes = check_positive_int(num_nodes, "num_nodes")
    check_edge_index(edge_index, num_nodes)
    root = check_node(root, num_nodes, "root")
    depth = check_positive_int(depth, "depth", minimum=0)
    self_loops = check_bool(self_loops, "self_loops")
    max_nodes = check_positive_int(max_nodes, "max_nodes")

    hops = {root: 0}
    for k in range(1, depth + 1):
        subset, _, _, _ = k_hop_subgraph(root, k, edge_index, num_nodes=num_nodes,
                                         flow="source_to_target")
        for node in subset.tolist():
            hops.setdefault(int(node), k)

    senders: list[list[int]] = [[] for _ in range(num_nodes)]
    for source, target in edge_index.t().tolist():
        senders[target].append(source)
    if self_loops:
        for v in range(num_nodes):
            senders[v].append(v)

    # Exact level sizes: walks[v] = number of walks of length l from v to the root.
    walks = torch.zeros(num_nodes, dtype=torch.float64)
    walks[root] = 1.0
    tree_sizes, distinct_sizes = [1], [1]
    for _ in range(depth):
        nxt = torch.zeros_like(walks)
        for v in torch.nonzero(walks).view(-1).tolist():
            for u in senders[v]:
                nxt[u] += walks[v]
        walks = nxt
        tree_sizes.append(int(walks.sum()))
        distinct_sizes.append(int((walks > 0).sum()))

    parents, graph_nodes, levels = [-1], [root], [0]
    frontier = [0]
    truncated = False
    for level in range(1, depth + 1):
        new_frontier = []
        for tree_node in frontier:
            for u in senders[graph_nodes[tree_node]]:
                if len(parents) >= max_nodes:
                    truncated = True
                    break
                parents.append(tree_node)
                graph_nodes.append(u)
                levels.append(level)
                new_frontier.append(len(parents) - 1)
        frontier = new_frontier
    return ComputationTree(root, depth, hops, parents, graph_nodes, levels, tree_sizes,
                           distinct_sizes, truncated)
