import torch
from torch_geometric.data import Data

from graphcourse import structure

from . import Bad

EDGES = torch.tensor([[0, 1], [1, 0]])
S = "graphcourse.structure"

EXEMPT = {f"{S}:ShortestPaths": "a result container that shortest_paths builds"}

ROWS = [
    Bad(f"{S}:shortest_paths", "float edge_index",
        lambda: structure.shortest_paths(EDGES.float()), TypeError,
        r"edge_index: expected an integer tensor"),
    Bad(f"{S}:shortest_paths", "uint8 edge_index",
        lambda: structure.shortest_paths(EDGES.to(torch.uint8), 2), TypeError,
        r"edge_index: expected dtype torch.long"),
    Bad(f"{S}:shortest_paths", "an empty graph",
        lambda: structure.shortest_paths(torch.empty(2, 0, dtype=torch.long)), ValueError,
        r"num_nodes: expected a graph with at least one node"),
    Bad(f"{S}:shortest_paths", "node id beyond num_nodes",
        lambda: structure.shortest_paths(EDGES, 1), ValueError, r"edge_index: node id 1"),
    Bad(f"{S}:shortest_paths", "max_hops 0",
        lambda: structure.shortest_paths(EDGES, 2, max_hops=0), ValueError,
        r"max_hops: expected an int >= 1"),
    Bad(f"{S}:shortest_paths", "batch of the wrong length",
        lambda: structure.shortest_paths(EDGES, 2, batch=torch.zeros(3, dtype=torch.long)),
        ValueError, r"batch: expected one graph id per node \(2\)"),
    Bad(f"{S}:shortest_paths", "unsorted batch",
        lambda: structure.shortest_paths(torch.empty(2, 0, dtype=torch.long), 3,
                                         batch=torch.tensor([1, 0, 1])),
        ValueError, r"batch: expected graph ids >= 0 in non-decreasing order"),
    Bad(f"{S}:shortest_paths", "an edge between two graphs of the batch",
        lambda: structure.shortest_paths(EDGES, 2, batch=torch.tensor([0, 1])), ValueError,
        r"edge_index: an edge joins nodes of two different graphs"),
    Bad(f"{S}:shortest_paths", "float batch",
        lambda: structure.shortest_paths(EDGES, 2, batch=torch.zeros(2)), TypeError,
        r"batch: expected an integer tensor"),
    Bad(f"{S}:shortest_path_distances", "a list of edges",
        lambda: structure.shortest_path_distances([[0, 1], [1, 0]]), TypeError,
        r"edge_index: expected a torch.Tensor"),
    Bad(f"{S}:shortest_path_distances", "float num_nodes",
        lambda: structure.shortest_path_distances(EDGES, 2.0), TypeError,
        r"num_nodes: expected an int"),
    Bad(f"{S}:shortest_path_distances", "zero nodes",
        lambda: structure.shortest_path_distances(torch.empty(2, 0, dtype=torch.long), 0),
        ValueError, r"num_nodes: expected a graph with at least one node"),
    Bad(f"{S}:wl_colors", "negative iterations",
        lambda: structure.wl_colors(EDGES, 2, iterations=-1), ValueError,
        r"iterations: expected an int >= 0"),
    Bad(f"{S}:wl_colors", "float initial colours",
        lambda: structure.wl_colors(EDGES, 2, colors=torch.zeros(2)), TypeError,
        r"colors: expected an integer tensor"),
    Bad(f"{S}:wl_colors", "one colour too few",
        lambda: structure.wl_colors(EDGES, 2, colors=torch.zeros(1, dtype=torch.long)),
        ValueError, r"colors: expected one colour per node \(2\)"),
    Bad(f"{S}:wl_colors", "empty graph",
        lambda: structure.wl_colors(torch.empty(2, 0, dtype=torch.long), 0), ValueError,
        r"num_nodes: expected a graph with at least one node"),
    Bad(f"{S}:wl_histogram", "one Data instead of a list",
        lambda: structure.wl_histogram(Data(edge_index=EDGES, num_nodes=2)), TypeError,
        r"graphs: expected a list of PyG Data such as \[graph_a, graph_b\]"),
    Bad(f"{S}:wl_histogram", "an empty list",
        lambda: structure.wl_histogram([]), ValueError, r"graphs: expected at least one graph"),
    Bad(f"{S}:wl_histogram", "an edge_index in the list",
        lambda: structure.wl_histogram([EDGES]), TypeError, r"graphs\[0\]: expected a PyG Data"),
    Bad(f"{S}:wl_histogram", "an empty graph",
        lambda: structure.wl_histogram([Data(edge_index=torch.empty(2, 0, dtype=torch.long),
                                             num_nodes=0)]),
        ValueError, r"graphs\[0\]: expected a graph with at least one node"),
]
