"""graphcourse.graphs.trees: the computation tree a k-layer GNN unrolls at a node."""

import numpy as np
import pytest
import torch

from graphcourse import graphs
from graphcourse.data import karate_club
from graphcourse.graphs import ComputationTree, computation_tree

# A path 0 - 1 - 2 - 3 plus the edge 1 - 3 (both directions).
PATH = torch.tensor([[0, 1, 1, 2, 2, 3, 1, 3], [1, 0, 2, 1, 3, 2, 3, 1]])


def test_tree_by_hand():
    tree = computation_tree(PATH, 4, root=0, depth=2)
    assert tree.hops == {0: 0, 1: 1, 2: 2, 3: 2}
    # level 1: node 1; level 2: neighbours of 1 = 0, 2, 3.
    assert tree.tree_sizes == [1, 1, 3] and tree.distinct_sizes == [1, 1, 3]
    assert tree.graph_nodes[0] == 0 and tree.parents[0] == -1
    assert sorted(tree.graph_nodes[2:]) == [0, 2, 3] and set(tree.parents[2:]) == {1}
    assert not tree.truncated
    assert graphs.computation_tree is computation_tree


def test_tree_sizes_count_walks():
    graph = karate_club()
    adjacency = torch.zeros(34, 34)
    adjacency[graph.edge_index[1], graph.edge_index[0]] = 1.0
    tree = computation_tree(graph.edge_index, 34, root=5, depth=3, max_nodes=50)
    start = torch.zeros(34)
    start[5] = 1.0
    walks = [int((torch.linalg.matrix_power(adjacency.T, k) @ start).sum()) for k in range(4)]
    assert tree.tree_sizes == walks
    assert tree.truncated and len(tree.parents) == 50
    assert tree.redundancy > 1.0


def test_self_loops_add_the_node_itself():
    tree = computation_tree(PATH, 4, root=0, depth=1, self_loops=True)
    assert sorted(tree.graph_nodes[1:]) == [0, 1]


def test_numpy_ints_are_accepted():
    tree = computation_tree(PATH, np.int64(4), root=np.int32(0), depth=np.int64(2))
    assert tree.tree_sizes == [1, 1, 3] and type(tree.root) is int


@pytest.mark.parametrize("kwargs, error, match", [
    ({"root": 4}, ValueError, "root: 4 is out of range for a graph with 4 nodes"),
    ({"root": -1}, ValueError, "root"),
    ({"root": 1.0}, TypeError, "root: expected an int node id, got float"),
    ({"depth": -1}, ValueError, "depth"),
    ({"depth": 1.5}, TypeError, "depth"),
    ({"self_loops": 1}, TypeError, "self_loops: expected True or False"),
    ({"max_nodes": 0}, ValueError, "max_nodes: expected an int >= 1"),
])
def test_bad_input(kwargs, error, match):
    arguments = {"root": 0, "depth": 1} | kwargs
    with pytest.raises(error, match=match):
        computation_tree(PATH, 4, **arguments)


def test_tree_fields_are_checked():
    with pytest.raises(ValueError, match="parents, graph_nodes, levels"):
        ComputationTree(0, 1, {0: 0}, [-1, 0], [0], [0, 1], [1, 1], [1, 1], False)
    with pytest.raises(ValueError, match="tree_sizes, distinct_sizes"):
        ComputationTree(0, 1, {0: 0}, [-1], [0], [0], [1], [1], False)
