import pytest
import torch

from graphcourse.data import karate_club
from graphcourse.widgets import computation_tree, khop_explorer

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


@pytest.mark.parametrize("kwargs, error, match", [
    ({"root": 4}, ValueError, "root"), ({"root": -1}, ValueError, "root"),
    ({"root": 1.5}, TypeError, "root"), ({"depth": -1}, ValueError, "depth"),
])
def test_bad_input(kwargs, error, match):
    arguments = {"root": 0, "depth": 1} | kwargs
    with pytest.raises(error, match=match):
        computation_tree(PATH, 4, **arguments)


def test_explorer_recomputes_on_change():
    box = khop_explorer(karate_club(), node=0, depth=1)
    picker, slider = box.children[0].children
    assert box.tree.root == 0 and box.tree.depth == 1
    slider.value = 2
    picker.value = 33
    assert box.tree.root == 33 and box.tree.depth == 2
    assert box.tree.tree_sizes[:2] == [1, 17]  # node 33 has 17 neighbours
