"""Bad inputs of the Structure-Aware Transformer (graphcourse.nn.sat, sat_extractors)."""

import torch
from torch_geometric.data import Batch, Data

from graphcourse.nn.sat import SAT, SATAttention, SATConfig, SATLayer, check_sat_data
from graphcourse.nn.sat_extractors import KSubgraphExtractor, KSubtreeExtractor, khop_subgraphs

from . import Bad

S = "graphcourse.nn.sat"
X = "graphcourse.nn.sat_extractors"
EDGES = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])
FEATURES = torch.zeros(3, 4)


def _data(**fields):
    base = dict(x=torch.tensor([0, 1, 0]), edge_index=EDGES, rwpe=torch.rand(3, 2))
    base.update(fields)
    return Data(**base)


def _model(**fields):
    base = dict(num_node_types=2, dim=4, heads=2, layers=1, k=1, pe="rw", pe_dim=2)
    base.update(fields)
    return SAT(**base)


def _two_graphs_joined():
    batch = Batch.from_data_list([_data(), _data()])
    batch.edge_index = torch.cat([batch.edge_index, torch.tensor([[0], [4]])], dim=1)
    return batch


EXEMPT = {
    f"{X}:KHopSubgraphs": "a result container that khop_subgraphs builds",
    f"{S}:SATOutput": "a result container that SAT.encode builds",
}

ROWS = [
    Bad(f"{S}:check_sat_data", "a Laplacian encoding of the wrong width",
        lambda: check_sat_data(_model(pe="lap").config, _data(lappe=torch.rand(3, 5)), "graph"),
        ValueError, r"graph.lappe: expected shape \[3, 2\] \(N, pe_dim\), got \[3, 5\]"),
    Bad(f"{S}:check_sat_data", "a float edge_index",
        lambda: check_sat_data(_model().config, _data(edge_index=EDGES.float())), TypeError,
        r"data.edge_index: expected an integer tensor"),
    Bad(f"{X}:khop_subgraphs", "node id beyond num_nodes",
        lambda: khop_subgraphs(EDGES, 2, 1), ValueError, r"edge_index: node id 2 is out of range"),
    Bad(f"{X}:khop_subgraphs", "negative k",
        lambda: khop_subgraphs(EDGES, 3, -1), ValueError, r"k: expected an int >= 0"),
    Bad(f"{X}:khop_subgraphs", "float k",
        lambda: khop_subgraphs(EDGES, 3, 1.0), TypeError, r"k: expected an int"),
    Bad(f"{X}:khop_subgraphs", "int32 edge_index",
        lambda: khop_subgraphs(EDGES.int(), 3, 1), TypeError, r"edge_index: expected dtype"),
    Bad(f"{X}:khop_subgraphs", "num_nodes as a float",
        lambda: khop_subgraphs(EDGES, 3.0, 1), TypeError, r"num_nodes: expected an int"),
    Bad(f"{X}:KSubtreeExtractor", "unknown gnn",
        lambda: KSubtreeExtractor(4, 2, "gat"), ValueError, r"gnn: expected one of 'gin'"),
    Bad(f"{X}:KSubtreeExtractor", "dim 0",
        lambda: KSubtreeExtractor(0, 2), ValueError, r"dim: expected an int >= 1"),
    Bad(f"{X}:KSubtreeExtractor", "x of another width",
        lambda: KSubtreeExtractor(5, 1)(FEATURES, EDGES), ValueError,
        r"x: expected 5 features per node"),
    Bad(f"{X}:KSubtreeExtractor", "long x (node types, not states)",
        lambda: KSubtreeExtractor(4, 1)(FEATURES.long(), EDGES), TypeError,
        r"x: expected a floating-point tensor"),
    Bad(f"{X}:KSubgraphExtractor", "negative k",
        lambda: KSubgraphExtractor(4, -2), ValueError, r"k: expected an int >= 0"),
    Bad(f"{X}:KSubgraphExtractor", "subgraphs as a tuple",
        lambda: KSubgraphExtractor(4, 1)(FEATURES, EDGES, (EDGES,)), TypeError,
        r"subgraphs: expected the KHopSubgraphs"),
    Bad(f"{X}:KSubgraphExtractor", "subgraphs of a smaller graph",
        lambda: KSubgraphExtractor(4, 1)(FEATURES, EDGES,
                                         khop_subgraphs(EDGES[:, :2], 2, 1)),
        ValueError, r"subgraphs: built from a graph with 2 edges"),
    Bad(f"{X}:KSubgraphExtractor", "subgraphs built for another k",
        lambda: KSubgraphExtractor(4, 2)(FEATURES, EDGES, khop_subgraphs(EDGES, 3, 1)),
        ValueError, r"subgraphs: built for k=1, the extractor has k=2"),
    Bad(f"{X}:KSubgraphExtractor", "edge id out of range",
        lambda: KSubgraphExtractor(4, 1)(FEATURES[:2], EDGES), ValueError,
        r"edge_index: node id 2 is out of range"),
    Bad(f"{S}:SATAttention", "heads do not divide dim",
        lambda: SATAttention(6, 4), ValueError, r"d_model: 6 is not divisible"),
    Bad(f"{S}:SATAttention", "s with fewer rows than x",
        lambda: SATAttention(4, 2)(FEATURES, FEATURES[:2]), ValueError,
        r"s: expected one row per node of x \(3\)"),
    Bad(f"{S}:SATAttention", "unsorted batch",
        lambda: SATAttention(4, 2)(FEATURES, FEATURES, torch.tensor([1, 0, 0])), ValueError,
        r"batch: expected graph ids >= 0 in non-decreasing order"),
    Bad(f"{S}:SATAttention", "batch of another length",
        lambda: SATAttention(4, 2)(FEATURES, FEATURES, torch.tensor([0, 0])), ValueError,
        r"batch: expected one graph id per node \(3\)"),
    Bad(f"{S}:SATAttention", "return_attention as a string",
        lambda: SATAttention(4, 2)(FEATURES, FEATURES, None, "yes"), TypeError,
        r"return_attention: expected True or False"),
    Bad(f"{S}:SATLayer", "unknown extractor",
        lambda: SATLayer(4, 2, 1, "khop"), ValueError, r"extractor: expected one of"),
    Bad(f"{S}:SATLayer", "extractor as a number",
        lambda: SATLayer(4, 2, 1, 1), TypeError, r"extractor: expected one of"),
    Bad(f"{S}:SATLayer", "unknown norm",
        lambda: SATLayer(4, 2, 1, norm="group"), ValueError, r"norm: expected one of"),
    Bad(f"{S}:SATLayer", "dropout 1",
        lambda: SATLayer(4, 2, 1, dropout=1.0), ValueError, r"dropout: expected a probability"),
    Bad(f"{S}:SATLayer", "edge id out of range",
        lambda: SATLayer(4, 2, 1)(FEATURES[:2], EDGES), ValueError,
        r"edge_index: node id 2 is out of range"),
    Bad(f"{S}:SATLayer", "edge between two graphs of the batch",
        lambda: SATLayer(4, 2, 1)(FEATURES, EDGES, torch.tensor([0, 0, 1])), ValueError,
        r"edge_index: an edge joins nodes of two different graphs"),
    Bad(f"{S}:SATLayer", "subgraphs as a list",
        lambda: SATLayer(4, 2, 1)(FEATURES, EDGES, None, [EDGES]), TypeError,
        r"subgraphs: expected the KHopSubgraphs"),
    Bad(f"{S}:SATConfig", "neither num_node_types nor in_features",
        lambda: SATConfig(), ValueError, r"num_node_types: set exactly one"),
    Bad(f"{S}:SATConfig", "both num_node_types and in_features",
        lambda: SATConfig(num_node_types=2, in_features=3), ValueError,
        r"num_node_types: set exactly one"),
    Bad(f"{S}:SATConfig", "heads do not divide dim",
        lambda: SATConfig(num_node_types=2, dim=10, heads=4), ValueError,
        r"dim: 10 is not divisible by heads = 4"),
    Bad(f"{S}:SATConfig", "float k",
        lambda: SATConfig(num_node_types=2, k=2.0), TypeError, r"k: expected an int"),
    Bad(f"{S}:SATConfig", "unknown pe",
        lambda: SATConfig(num_node_types=2, pe="laplacian"), ValueError,
        r"pe: expected one of 'rw', 'lap', None"),
    Bad(f"{S}:SATConfig", "unknown readout",
        lambda: SATConfig(num_node_types=2, readout="max"), ValueError,
        r"readout: expected one of 'mean'"),
    Bad(f"{S}:SATConfig", "degree_scale as a string",
        lambda: SATConfig(num_node_types=2, degree_scale="no"), TypeError,
        r"degree_scale: expected True or False"),
    Bad(f"{S}:SAT", "a dict instead of a config",
        lambda: SAT({"dim": 8}), TypeError, r"config: expected a SATConfig"),
    Bad(f"{S}:SAT", "x passed instead of the graph",
        lambda: _model()(torch.tensor([0, 1, 0])), TypeError,
        r"data: expected a PyG Data or Batch, got Tensor; pass the graph"),
    Bad(f"{S}:SAT", "float x with num_node_types",
        lambda: _model()(_data(x=torch.zeros(3))), TypeError,
        r"data.x: expected an integer tensor"),
    Bad(f"{S}:SAT", "node type beyond the vocabulary",
        lambda: _model()(_data(x=torch.tensor([0, 2, 0]))), ValueError,
        r"data.x: expected node types in \[0, 1\], found 2"),
    Bad(f"{S}:SAT", "float x of another width",
        lambda: _model(num_node_types=None, in_features=3)(_data(x=FEATURES)), ValueError,
        r"data.x: expected shape \[N, 3\]"),
    Bad(f"{S}:SAT", "NaN in float x",
        lambda: _model(num_node_types=None, in_features=4)(
            _data(x=torch.full((3, 4), float("nan")))), ValueError, r"data.x: .*NaN"),
    Bad(f"{S}:SAT", "rwpe missing",
        lambda: _model()(_data(rwpe=None)), ValueError,
        r"data.rwpe: pe='rw' needs it; add it with"),
    Bad(f"{S}:SAT", "lappe missing when pe='lap'",
        lambda: _model(pe="lap")(_data()), ValueError, r"data.lappe: pe='lap' needs it"),
    Bad(f"{S}:SAT", "rwpe of another width",
        lambda: _model()(_data(rwpe=torch.rand(3, 5))), ValueError,
        r"data.rwpe: expected shape \[3, 2\] \(N, pe_dim\)"),
    Bad(f"{S}:SAT", "rwpe with infinity",
        lambda: _model()(_data(rwpe=torch.full((3, 2), float("inf")))), ValueError,
        r"data.rwpe: .*(infinit|inf)"),
    Bad(f"{S}:SAT", "edge between two graphs of the batch",
        lambda: _model()(_two_graphs_joined()), ValueError,
        r"edge_index: an edge joins nodes of two different graphs"),
    Bad(f"{S}:SAT", "return_attention as an int",
        lambda: _model().encode(_data(), return_attention=1), TypeError,
        r"return_attention: expected True or False"),
]
