import torch
from torch_geometric.data import Batch, Data

from graphcourse import graphs

from . import Bad

P = "graphcourse.graphs.positional"
PATH = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])  # undirected path 0-1-2
GRAPH = Data(edge_index=PATH, num_nodes=3)

ROWS = [
    Bad(f"{P}:random_walk_pe", "float edge_index",
        lambda: graphs.random_walk_pe(PATH.float(), 3, 2), TypeError,
        r"edge_index: expected an integer tensor"),
    Bad(f"{P}:random_walk_pe", "num_nodes smaller than the ids",
        lambda: graphs.random_walk_pe(PATH, 2, 2), ValueError,
        r"edge_index: node id 2 is out of range for num_nodes=2"),
    Bad(f"{P}:random_walk_pe", "float num_nodes",
        lambda: graphs.random_walk_pe(PATH, 3.0, 2), TypeError, r"num_nodes: expected an int"),
    Bad(f"{P}:random_walk_pe", "negative num_nodes",
        lambda: graphs.random_walk_pe(PATH, -1, 2), ValueError,
        r"num_nodes: expected an int >= 0"),
    Bad(f"{P}:random_walk_pe", "dim 0",
        lambda: graphs.random_walk_pe(PATH, 3, 0), ValueError, r"dim: expected an int >= 1"),
    Bad(f"{P}:random_walk_pe", "edge_index transposed ([E, 2])",
        lambda: graphs.random_walk_pe(PATH.t(), 3, 2), ValueError,
        r"edge_index: expected shape \[2, E\], got \[4, 2\]"),
    Bad(f"{P}:laplacian_pe", "a directed edge list (eigh needs a symmetric operator)",
        lambda: graphs.laplacian_pe(torch.tensor([[0, 1], [1, 2]]), 3, 1), ValueError,
        r"edge_index: expected an undirected graph.*to_undirected"),
    Bad(f"{P}:laplacian_pe", "float dim",
        lambda: graphs.laplacian_pe(PATH, 3, 2.0), TypeError, r"dim: expected an int"),
    Bad(f"{P}:laplacian_pe", "int32 edge_index",
        lambda: graphs.laplacian_pe(PATH.int(), 3, 1), TypeError,
        r"edge_index: expected dtype torch.long"),
    Bad(f"{P}:laplacian_pe", "a list instead of edge_index",
        lambda: graphs.laplacian_pe([[0, 1], [1, 0]], 2, 1), TypeError,
        r"edge_index: expected a torch.Tensor, got list"),
    Bad(f"{P}:random_sign_flip", "one-dimensional pe",
        lambda: graphs.random_sign_flip(torch.ones(4)), ValueError,
        r"pe: expected a 2-D tensor, got shape \[4\]"),
    Bad(f"{P}:random_sign_flip", "integer pe",
        lambda: graphs.random_sign_flip(torch.ones(4, 2, dtype=torch.long)), TypeError,
        r"pe: expected a floating-point tensor"),
    Bad(f"{P}:random_sign_flip", "a seed instead of a generator",
        lambda: graphs.random_sign_flip(torch.ones(4, 2), generator=0), TypeError,
        r"generator: expected a torch.Generator or None, got int"),
    Bad(f"{P}:AddPositionalEncodings", "both dimensions 0 (adds nothing)",
        lambda: graphs.AddPositionalEncodings(), ValueError,
        r"rw_dim, lap_dim: expected at least one of them >= 1"),
    Bad(f"{P}:AddPositionalEncodings", "negative rw_dim",
        lambda: graphs.AddPositionalEncodings(rw_dim=-2), ValueError,
        r"rw_dim: expected an int >= 0"),
    Bad(f"{P}:AddPositionalEncodings", "float lap_dim",
        lambda: graphs.AddPositionalEncodings(lap_dim=4.0), TypeError,
        r"lap_dim: expected an int"),
    Bad(f"{P}:AddPositionalEncodings", "a Batch (the Laplacian would mix its graphs)",
        lambda: graphs.AddPositionalEncodings(lap_dim=1)(Batch.from_data_list([GRAPH, GRAPH])),
        TypeError, r"data: expected a single graph.*before batching"),
    Bad(f"{P}:AddPositionalEncodings", "an edge_index instead of a Data",
        lambda: graphs.AddPositionalEncodings(rw_dim=2)(PATH), TypeError,
        r"data: expected a torch_geometric.data.Data, got Tensor"),
    Bad(f"{P}:AddPositionalEncodings", "a graph without edge_index",
        lambda: graphs.AddPositionalEncodings(rw_dim=2)(Data(num_nodes=3)), ValueError,
        r"data: missing attribute 'edge_index'"),
    Bad(f"{P}:AddPositionalEncodings", "a directed graph for the Laplacian encoding",
        lambda: graphs.AddPositionalEncodings(lap_dim=1)(
            Data(edge_index=torch.tensor([[0, 1], [1, 2]]), num_nodes=3)), ValueError,
        r"edge_index: expected an undirected graph"),
]
