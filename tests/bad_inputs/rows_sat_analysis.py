"""Chapter 06's explorer: nn.sat_analysis, viz.sat and widgets.sat_explorer."""

import torch
from torch_geometric.data import Batch, Data

from graphcourse import viz, widgets
from graphcourse.nn import sat_analysis as sa
from graphcourse.nn.sat import SAT

from . import Bad

A = "graphcourse.nn.sat_analysis"
V = "graphcourse.viz.sat"
W = "graphcourse.widgets.sat:sat_explorer"
EDGES = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])  # the path 0 - 1 - 2
ROW = torch.full((2, 3), 1 / 3)  # [H, N]
ALIKE = torch.tensor([True, False, True])  # node 0's alike nodes on the path


def _graph(**extra):
    fields = dict(x=torch.tensor([0, 1, 0]), edge_index=EDGES, rwpe=torch.rand(3, 2))
    fields.update(extra)
    return Data(**fields)


def _model(k=1, **fields):
    torch.manual_seed(0)
    base = dict(num_node_types=2, dim=8, heads=2, layers=1, k=k, pe="rw", pe_dim=2)
    base.update(fields)
    return SAT(**base)


def _explorer(**arguments):
    return widgets.sat_explorer(_model(0), _model(1), [_graph()], **arguments)


EXEMPT = {f"{A}:AlikeAttention": "a result container that alike_attention builds"}

ROWS = [
    # ------------------------------------------------------------------ analysis
    Bad(f"{A}:attention_row", "a node the graph lacks",
        lambda: sa.attention_row(_model(), _graph(), 3), ValueError,
        r"node: 3 is out of range for a graph with 3 nodes"),
    Bad(f"{A}:attention_row", "a float node id (would be truncated)",
        lambda: sa.attention_row(_model(), _graph(), 1.0), TypeError,
        r"node: expected an int node id, got float"),
    Bad(f"{A}:attention_row", "a layer the model lacks",
        lambda: sa.attention_row(_model(), _graph(), 0, 1), ValueError,
        r"layer: expected a layer index in \[-1, 1\)"),
    Bad(f"{A}:attention_row", "a layer counted too far from the end",
        lambda: sa.attention_row(_model(), _graph(), 0, -2), ValueError,
        r"layer: expected a layer index in \[-1, 1\)"),
    Bad(f"{A}:attention_row", "a model that is not a SAT",
        lambda: sa.attention_row(torch.nn.Linear(2, 2), _graph(), 0), TypeError,
        r"model: expected a SAT, got Linear"),
    Bad(f"{A}:attention_row", "x instead of the graph",
        lambda: sa.attention_row(_model(), _graph().x, 0), TypeError,
        r"data: expected a PyG Data or Batch, got Tensor"),
    Bad(f"{A}:attention_row", "a node type beyond the vocabulary",
        lambda: sa.attention_row(_model(), _graph(x=torch.tensor([0, 2, 0])), 0), ValueError,
        r"data.x: expected node types in \[0, 1\], found 2"),
    Bad(f"{A}:attention_row", "float node features for a model of node types",
        lambda: sa.attention_row(_model(), _graph(x=torch.rand(3, 2)), 0), TypeError,
        r"data.x: expected an integer tensor"),
    Bad(f"{A}:attention_row", "the positional encoding the model reads is missing",
        lambda: sa.attention_row(_model(), Data(x=torch.tensor([0, 1, 0]), edge_index=EDGES),
                                 0), ValueError,
        r"data.rwpe: pe='rw' needs it; add it with graphcourse.graphs.AddPositionalEncodings"),
    Bad(f"{A}:attention_row", "a positional encoding of another width",
        lambda: sa.attention_row(_model(), _graph(rwpe=torch.rand(3, 5)), 0), ValueError,
        r"data.rwpe: expected shape \[3, 2\]"),
    Bad(f"{A}:attention_row", "a batch of several graphs (row of which graph?)",
        lambda: sa.attention_row(_model(), Batch.from_data_list([_graph(), _graph()]), 0),
        ValueError, r"data: expected one graph, got a batch of 2 graphs"),
    Bad(f"{A}:attention_row", "float edge_index",
        lambda: sa.attention_row(_model(), _graph(edge_index=EDGES.float()), 0), TypeError,
        r"data.edge_index: expected an integer tensor"),
    Bad(f"{A}:alike_nodes", "a node the graph lacks",
        lambda: sa.alike_nodes(EDGES, 3, 3, 1), ValueError,
        r"node: 3 is out of range for a graph with 3 nodes"),
    Bad(f"{A}:alike_nodes", "a negative k",
        lambda: sa.alike_nodes(EDGES, 3, 0, -1), ValueError, r"k: expected an int >= 0"),
    Bad(f"{A}:alike_nodes", "a float k (would be truncated)",
        lambda: sa.alike_nodes(EDGES, 3, 0, 1.5), TypeError, r"k: expected an int"),
    Bad(f"{A}:alike_nodes", "an edge id beyond num_nodes",
        lambda: sa.alike_nodes(EDGES, 2, 0, 1), ValueError,
        r"edge_index: node id 2 is out of range for num_nodes=2"),
    Bad(f"{A}:alike_nodes", "the graph instead of its edges",
        lambda: sa.alike_nodes(_graph(), 3, 0, 1), TypeError,
        r"edge_index: expected a torch.Tensor, got Data"),
    Bad(f"{A}:alike_attention", "node ids instead of a bool mask",
        lambda: sa.alike_attention(ROW, torch.tensor([0, 2]), 0), TypeError,
        r"alike: expected a bool tensor of shape \[3\]"),
    Bad(f"{A}:alike_attention", "a mask of another graph",
        lambda: sa.alike_attention(ROW, torch.tensor([True, False]), 0), ValueError,
        r"alike: expected a bool tensor of shape \[3\], got \[2\]"),
    Bad(f"{A}:alike_attention", "the mask of another node (False at the node)",
        lambda: sa.alike_attention(ROW, torch.tensor([False, True, False]), 0), ValueError,
        r"alike: expected True at the node itself \(0\)"),
    Bad(f"{A}:alike_attention", "integer weights",
        lambda: sa.alike_attention(torch.ones(2, 3, dtype=torch.long), ALIKE, 0), TypeError,
        r"row: expected a floating-point tensor"),
    Bad(f"{A}:alike_attention", "a row of one head without the head axis",
        lambda: sa.alike_attention(torch.full((3,), 1 / 3), ALIKE, 0), ValueError,
        r"row: expected a 2-D tensor"),
    # ------------------------------------------------------------------ drawings
    Bad(f"{V}:draw_sat_attention", "a row of another graph",
        lambda: viz.draw_sat_attention(EDGES, 3, torch.rand(2, 4), 0, ALIKE), ValueError,
        r"row: expected attention weights of shape \[H, 3\]"),
    Bad(f"{V}:draw_sat_attention", "node ids instead of the alike mask",
        lambda: viz.draw_sat_attention(EDGES, 3, ROW, 0, torch.tensor([0, 2])), TypeError,
        r"alike: expected a bool tensor of shape \[3\]"),
    Bad(f"{V}:draw_sat_attention", "a node the graph lacks",
        lambda: viz.draw_sat_attention(EDGES, 3, ROW, 3, ALIKE), ValueError,
        r"node: 3 is out of range"),
    Bad(f"{V}:draw_sat_attention", "a zero colour scale",
        lambda: viz.draw_sat_attention(EDGES, 3, ROW, 0, ALIKE, vmax=0), ValueError,
        r"vmax: expected a positive number"),
    Bad(f"{V}:sat_summary", "rows of different graphs",
        lambda: viz.sat_summary(ROW, torch.rand(2, 4), ALIKE, 0, 1), ValueError,
        r"sat_row: expected attention weights of shape \[H, 3\]"),
    Bad(f"{V}:sat_summary", "k = 0 (no structure extractor, nothing to compare)",
        lambda: viz.sat_summary(ROW, ROW, ALIKE, 0, 0), ValueError, r"k: expected an int >= 1"),
    Bad(f"{V}:sat_summary", "a negative layer",
        lambda: viz.sat_summary(ROW, ROW, ALIKE, 0, 1, layer=-1), ValueError,
        r"layer: expected an int >= 0"),
    Bad(f"{V}:render_sat", "num_nodes does not match the rows",
        lambda: viz.render_sat(EDGES, 4, 0, ROW, ROW, ALIKE, 1), ValueError,
        r"transformer_row: expected attention weights of shape \[H, 4\]"),
    Bad(f"{V}:render_sat", "an edge id beyond num_nodes",
        lambda: viz.render_sat(torch.tensor([[0, 3], [3, 0]]), 3, 0, ROW, ROW, ALIKE, 1),
        ValueError, r"edge_index: node id 3 is out of range for num_nodes=3"),
    # ------------------------------------------------------------------ the explorer
    Bad(W, "a node the graph lacks", lambda: _explorer(node=3), ValueError,
        r"node: 3 is out of range for a graph with 3 nodes"),
    Bad(W, "a graph index beyond the list", lambda: _explorer(graph=1), ValueError,
        r"graph: expected a graph index in \[0, 1\), got 1"),
    Bad(W, "a layer the models lack", lambda: _explorer(layer=1), ValueError,
        r"layer: expected a layer index in \[-1, 1\)"),
    Bad(W, "a float node id (would be truncated)", lambda: _explorer(node=0.0), TypeError,
        r"node: expected an int node id, got float"),
    Bad(W, "one graph instead of a list",
        lambda: widgets.sat_explorer(_model(0), _model(1), _graph()), TypeError,
        r"graphs: expected a non-empty list of PyG Data graphs, got Data; wrap one graph"),
    Bad(W, "the two models swapped",
        lambda: widgets.sat_explorer(_model(1), _model(0), [_graph()]), ValueError,
        r"transformer: expected a SAT with k=0 .*did you swap transformer and sat"),
    Bad(W, "two plain Transformers (nothing structure-aware to compare)",
        lambda: widgets.sat_explorer(_model(0), _model(0), [_graph()]), ValueError,
        r"sat: expected a SAT with k >= 1"),
    Bad(W, "a GAT-like model",
        lambda: widgets.sat_explorer(_model(0), torch.nn.Linear(2, 2), [_graph()]), TypeError,
        r"sat: expected a SAT with k >= 1, got Linear"),
    Bad(W, "a graph the model cannot encode",
        lambda: widgets.sat_explorer(_model(0), _model(1), [_graph(), _graph(
            x=torch.tensor([0, 4, 0]))]), ValueError,
        r"graphs\[1\].x: expected node types in \[0, 1\], found 4"),
]
