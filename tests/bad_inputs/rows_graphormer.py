import torch

from graphcourse.nn import graphormer_encodings as enc
from graphcourse.nn.graphormer import Graphormer, GraphormerConfig, GraphormerLayer
from graphcourse.structure import shortest_paths

from . import Bad

G = "graphcourse.nn.graphormer"
E = "graphcourse.nn.graphormer_encodings"
EDGES = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])
X = torch.tensor([0, 1, 0])
ATTR = torch.tensor([0, 0, 1, 1])
PATHS = shortest_paths(EDGES, 3)


def _model(**fields):
    base = dict(num_node_types=2, num_edge_types=2, d_model=8, heads=2, layers=1, ffn=8)
    base.update(fields)
    return Graphormer(**base)


def _star(leaves):
    """A star whose centre has ``leaves`` neighbours."""
    pairs = torch.stack([torch.zeros(leaves, dtype=torch.long), torch.arange(1, leaves + 1)])
    return torch.cat([pairs, pairs.flip(0)], dim=1)


EXEMPT = {f"{G}:GraphormerOutput": "a result container that Graphormer.encode builds"}

ROWS = [
    Bad(f"{G}:GraphormerConfig", "heads do not divide d_model",
        lambda: GraphormerConfig(d_model=10, heads=4), ValueError, r"d_model: 10 is not divisible"),
    Bad(f"{G}:GraphormerConfig", "float layers",
        lambda: GraphormerConfig(layers=2.0), TypeError, r"layers: expected an int"),
    Bad(f"{G}:GraphormerConfig", "negative num_edge_types",
        lambda: GraphormerConfig(num_edge_types=-1), ValueError, r"num_edge_types: expected"),
    Bad(f"{G}:GraphormerConfig", "dropout 1.5",
        lambda: GraphormerConfig(dropout=1.5), ValueError, r"dropout: expected a probability"),
    Bad(f"{G}:GraphormerConfig", "spatial as a string",
        lambda: GraphormerConfig(spatial="no"), TypeError, r"spatial: expected True or False"),
    Bad(f"{G}:GraphormerLayer", "heads do not divide d_model",
        lambda: GraphormerLayer(8, 3, 16), ValueError, r"d_model: 8 is not divisible"),
    Bad(f"{G}:GraphormerLayer", "ffn 0",
        lambda: GraphormerLayer(8, 2, 0), ValueError, r"ffn: expected an int >= 1"),
    Bad(f"{G}:Graphormer", "a dict instead of a config",
        lambda: Graphormer({"d_model": 8}), TypeError, r"config: expected a GraphormerConfig"),
    Bad(f"{G}:Graphormer", "float node features",
        lambda: _model()(X.float(), EDGES, ATTR), TypeError, r"x: expected an integer tensor"),
    Bad(f"{G}:Graphormer", "node type beyond the vocabulary",
        lambda: _model()(torch.tensor([0, 5, 0]), EDGES, ATTR), ValueError,
        r"x: expected node types in \[0, 1\], found 5"),
    Bad(f"{G}:Graphormer", "an empty graph",
        lambda: _model()(torch.empty(0, dtype=torch.long), torch.empty(2, 0, dtype=torch.long)),
        ValueError, r"x: expected node types of shape \[N\] or \[N, K\] with N >= 1"),
    Bad(f"{G}:Graphormer", "a graph larger than the degree table",
        lambda: _model(max_degree=3, edge=False)(torch.zeros(6, dtype=torch.long), _star(5)),
        ValueError, r"edge_index: a node has degree 5, larger than the degree table"),
    Bad(f"{G}:Graphormer", "edge encoding on, no edge_attr",
        lambda: _model()(X, EDGES), ValueError, r"edge_attr: the edge encoding is on"),
    Bad(f"{G}:Graphormer", "float edge_attr",
        lambda: _model()(X, EDGES, ATTR.float()), TypeError, r"edge_attr: expected an integer"),
    Bad(f"{G}:Graphormer", "edge_attr of the wrong length",
        lambda: _model()(X, EDGES, ATTR[:3]), ValueError, r"edge_attr: expected one row per edge"),
    Bad(f"{G}:Graphormer", "edge id beyond the nodes",
        lambda: _model()(X[:2], EDGES, ATTR), ValueError, r"edge_index: node id 2 is out of"),
    Bad(f"{G}:Graphormer", "unsorted batch",
        lambda: _model(edge=False)(X, EDGES, batch=torch.tensor([1, 1, 0])), ValueError,
        r"batch: expected graph ids >= 0 in non-decreasing order"),
    Bad(f"{G}:Graphormer", "paths of another batch",
        lambda: _model()(X, EDGES, ATTR, paths=shortest_paths(EDGES, 4)), ValueError,
        r"paths: distances of shape \[1, 4, 4\] do not match"),
    Bad(f"{G}:Graphormer", "paths as a tensor",
        lambda: _model()(X, EDGES, ATTR, paths=torch.zeros(1, 3, 3)), TypeError,
        r"paths: expected the ShortestPaths"),
    Bad(f"{G}:Graphormer", "return_attention as a string",
        lambda: _model().encode(X, EDGES, ATTR, return_attention="yes"), TypeError,
        r"return_attention: expected True or False"),
    Bad(f"{E}:CentralityEncoding", "max_degree 0",
        lambda: enc.CentralityEncoding(0, 8), ValueError, r"max_degree: expected an int >= 1"),
    Bad(f"{E}:CentralityEncoding", "a degree beyond the table",
        lambda: enc.CentralityEncoding(3, 8)(torch.tensor([4]), torch.tensor([4])), ValueError,
        r"in_degree: expected degrees in \[0, 3\], found 4; the graph is larger than the "
        r"degree table"),
    Bad(f"{E}:CentralityEncoding", "float degrees",
        lambda: enc.CentralityEncoding(3, 8)(torch.tensor([1.0]), torch.tensor([1.0])),
        TypeError, r"in_degree: expected an integer tensor"),
    Bad(f"{E}:SpatialEncoding", "heads 0",
        lambda: enc.SpatialEncoding(20, 0), ValueError, r"heads: expected an int >= 1"),
    Bad(f"{E}:SpatialEncoding", "a 2-D distance matrix (no batch)",
        lambda: enc.SpatialEncoding(20, 2)(torch.zeros(3, 3, dtype=torch.long)), ValueError,
        r"distance: expected a 3-D tensor"),
    Bad(f"{E}:EdgeEncoding", "max_hops 0",
        lambda: enc.EdgeEncoding(3, 2, 0), ValueError, r"max_hops: expected an int >= 1"),
    Bad(f"{E}:EdgeEncoding", "edge type beyond the vocabulary",
        lambda: enc.EdgeEncoding(2, 2, 4)(torch.tensor([0, 0, 3, 3]), PATHS.path_edges,
                                          PATHS.distance),
        ValueError, r"edge_attr: expected edge types in \[0, 1\], found 3"),
    Bad(f"{E}:EdgeEncoding", "path edge ids beyond edge_attr",
        lambda: enc.EdgeEncoding(2, 2, 4)(ATTR[:2], PATHS.path_edges, PATHS.distance),
        ValueError, r"path_edges: edge id 3 is out of range for 2 edges"),
    Bad(f"{E}:graphormer_init", "a state dict instead of a module",
        lambda: enc.graphormer_init({}, 2), TypeError, r"module: expected a torch.nn.Module"),
    Bad(f"{E}:graphormer_init", "layers 0",
        lambda: enc.graphormer_init(torch.nn.Linear(2, 2), 0), ValueError,
        r"layers: expected an int >= 1"),
]
