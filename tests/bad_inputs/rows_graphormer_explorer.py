"""Bad inputs for chapter 05's explorer (graphcourse.widgets.graphormer), the numbers it reads
off a Graphormer (graphcourse.nn.graphormer_analysis) and its drawings
(graphcourse.viz.graphormer). The explorer checks everything before building a control."""

import torch
from torch_geometric.data import Data

from graphcourse import viz, widgets
from graphcourse.nn import graphormer_analysis as ga
from graphcourse.nn.graphormer import Graphormer

from . import Bad

A = "graphcourse.nn.graphormer_analysis"
V = "graphcourse.viz.graphormer"
W = "graphcourse.widgets.graphormer:graphormer_explorer"
EDGES = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])  # the path 0 - 1 - 2
DISTANCE = torch.tensor([0, 1, 2])  # from node 0


def _graph(**extra):
    return Data(x=torch.tensor([0, 1, 0]), edge_index=EDGES, **extra)


def _model(**fields):
    torch.manual_seed(0)
    base = dict(num_node_types=2, d_model=8, heads=2, layers=1, ffn=8)
    base.update(fields)
    return Graphormer(**base)


def _table():
    return ga.spatial_bias_table(_model())


def _row():
    return ga.node_attention_rows(_model(), _graph(), 0, 0)


def _three_head_row():
    return ga.AttentionRow(torch.full((3, 3), 0.25), torch.full((3,), 0.25), 0, 0)


EXEMPT = {f"{A}:AttentionRow": "a result container that node_attention_rows builds"}

ROWS = [
    # ------------------------------------------------------------------ analysis
    Bad(f"{A}:distance_from", "a node the graph lacks",
        lambda: ga.distance_from(_graph(), 3), ValueError,
        r"node: 3 is out of range for a graph with 3 nodes"),
    Bad(f"{A}:distance_from", "a float node id (would be truncated)",
        lambda: ga.distance_from(_graph(), 1.0), TypeError, r"node: expected an int node id"),
    Bad(f"{A}:distance_from", "an edge list instead of a graph",
        lambda: ga.distance_from(EDGES, 0), ValueError,
        r"data: missing attribute 'edge_index'"),
    Bad(f"{A}:distance_from", "float edge_index",
        lambda: ga.distance_from(Data(edge_index=EDGES.float(), num_nodes=3), 0), TypeError,
        r"data.edge_index: expected an integer tensor"),
    Bad(f"{A}:spatial_bias_table", "a plain module",
        lambda: ga.spatial_bias_table(torch.nn.Linear(2, 2)), TypeError,
        r"model: expected a Graphormer, got Linear"),
    Bad(f"{A}:spatial_bias_table", "a state dict instead of a model",
        lambda: ga.spatial_bias_table(_model().state_dict()), TypeError,
        r"model: expected a Graphormer, got OrderedDict"),
    Bad(f"{A}:SpatialBiasTable", "lookup of float distances",
        lambda: _table().lookup(DISTANCE.float()), TypeError,
        r"distance: expected an integer tensor"),
    Bad(f"{A}:SpatialBiasTable", "lookup of a negative distance (would index from the end)",
        lambda: _table().lookup(torch.tensor([0, -1])), ValueError,
        r"distance: expected hop counts >= 0, found -1"),
    Bad(f"{A}:node_attention_rows", "a node the graph lacks",
        lambda: ga.node_attention_rows(_model(), _graph(), 3, 0), ValueError,
        r"node: 3 is out of range for a graph with 3 nodes"),
    Bad(f"{A}:node_attention_rows", "a layer the model lacks",
        lambda: ga.node_attention_rows(_model(), _graph(), 0, 1), ValueError,
        r"layer: expected a layer index in \[0, 1\), got 1"),
    Bad(f"{A}:node_attention_rows", "a negative layer (would count from the end)",
        lambda: ga.node_attention_rows(_model(), _graph(), 0, -1), ValueError,
        r"layer: expected a layer index in \[0, 1\), got -1"),
    Bad(f"{A}:node_attention_rows", "a node type beyond the vocabulary",
        lambda: ga.node_attention_rows(_model(), Data(x=torch.tensor([0, 2, 0]),
                                                      edge_index=EDGES), 0, 0), ValueError,
        r"data.x: expected node types in \[0, 1\], found 2 \(the model has num_node_types=2\)"),
    Bad(f"{A}:node_attention_rows", "float node features",
        lambda: ga.node_attention_rows(_model(), Data(x=torch.randn(3, 4), edge_index=EDGES),
                                       0, 0), TypeError, r"data.x: expected an integer tensor"),
    Bad(f"{A}:node_attention_rows", "edge encoding on, no edge_attr",
        lambda: ga.node_attention_rows(_model(num_edge_types=2), _graph(), 0, 0), ValueError,
        r"data: missing attribute 'edge_attr' \(the model's edge encoding is on"),
    Bad(f"{A}:node_attention_rows", "edge_attr of the wrong length",
        lambda: ga.node_attention_rows(_model(num_edge_types=2),
                                       _graph(edge_attr=torch.tensor([0, 1])), 0, 0),
        ValueError, r"data.edge_attr: expected one row per edge \(4\)"),
    Bad(f"{A}:node_attention_rows", "a graph larger than the degree table",
        lambda: ga.node_attention_rows(_model(max_degree=1), _graph(), 0, 0), ValueError,
        r"data.edge_index: a node has degree 2, larger than the model's degree table"),
    Bad(f"{A}:node_attention_rows", "a model that is not a Graphormer",
        lambda: ga.node_attention_rows(torch.nn.Linear(2, 2), _graph(), 0, 0), TypeError,
        r"model: expected a Graphormer"),
    Bad(f"{A}:attention_by_distance", "distances of another node count",
        lambda: ga.attention_by_distance(_row(), torch.tensor([0, 1])), ValueError,
        r"distance: expected one distance per node of the row \(3\), got 2"),
    Bad(f"{A}:attention_by_distance", "the raw attention tensor instead of a row",
        lambda: ga.attention_by_distance(torch.rand(2, 4), DISTANCE), TypeError,
        r"row: expected an AttentionRow, got Tensor.*node_attention_rows"),
    Bad(f"{A}:attention_by_distance", "a negative distance",
        lambda: ga.attention_by_distance(_row(), torch.tensor([0, -1, 1])), ValueError,
        r"distance: expected hop counts >= 0"),
    # ------------------------------------------------------------------ drawings
    Bad(f"{V}:draw_distance_graph", "distances of another graph",
        lambda: viz.draw_distance_graph(EDGES, 3, torch.tensor([0, 1]), 0), ValueError,
        r"distance: expected one distance per node \(3\), got 2"),
    Bad(f"{V}:draw_distance_graph", "a node the graph lacks",
        lambda: viz.draw_distance_graph(EDGES, 3, DISTANCE, 5), ValueError,
        r"node: 5 is out of range for a graph with 3 nodes"),
    Bad(f"{V}:draw_distance_graph", "float distances",
        lambda: viz.draw_distance_graph(EDGES, 3, DISTANCE.float(), 0), TypeError,
        r"distance: expected an integer tensor"),
    Bad(f"{V}:draw_bias_by_distance", "a tensor instead of the table",
        lambda: viz.draw_bias_by_distance(torch.zeros(2, 5)), TypeError,
        r"table: expected a SpatialBiasTable, got Tensor.*spatial_bias_table\(model\)"),
    Bad(f"{V}:draw_bias_by_distance", "a float max_shown",
        lambda: viz.draw_bias_by_distance(_table(), max_shown=2.5), TypeError,
        r"max_shown: expected an int"),
    Bad(f"{V}:draw_attention_row", "distances of another graph",
        lambda: viz.draw_attention_row(_row(), torch.tensor([0, 1, 1, 2])), ValueError,
        r"distance: expected one distance per node \(3\), got 4"),
    Bad(f"{V}:draw_attention_row", "a row whose heads do not match",
        lambda: viz.draw_attention_row(ga.AttentionRow(torch.rand(2, 3), torch.rand(3), 0, 0),
                                       DISTANCE), ValueError,
        r"row.virtual: expected one weight per head \(2\), got 3"),
    Bad(f"{V}:draw_attention_by_distance", "a list instead of a row",
        lambda: viz.draw_attention_by_distance([[0.5, 0.5]], DISTANCE), TypeError,
        r"row: expected an AttentionRow, got list"),
    Bad(f"{V}:graphormer_summary", "a table of another model",
        lambda: viz.graphormer_summary(_three_head_row(), DISTANCE, _table()), ValueError,
        r"table: expected the 3 heads of the row, got 2"),
    Bad(f"{V}:graphormer_summary", "a negative graph index",
        lambda: viz.graphormer_summary(_row(), DISTANCE, _table(), graph=-1), ValueError,
        r"graph: expected an int >= 0"),
    Bad(f"{V}:render_graphormer", "num_nodes does not match the row",
        lambda: viz.render_graphormer(EDGES, 4, torch.tensor([0, 1, 2, 510]), _table(),
                                      _row()), ValueError,
        r"row: expected weights on 4 nodes, got 3"),
    Bad(f"{V}:render_graphormer", "an edge id beyond num_nodes",
        lambda: viz.render_graphormer(torch.tensor([[0, 3], [3, 0]]), 3, DISTANCE, _table(),
                                      _row()), ValueError,
        r"edge_index: node id 3 is out of range for num_nodes=3"),
    # ------------------------------------------------------------------ the explorer
    Bad(W, "a node the graph lacks", lambda: widgets.graphormer_explorer(_model(), [_graph()],
                                                                         node=3),
        ValueError, r"node: 3 is out of range for a graph with 3 nodes"),
    Bad(W, "a graph index beyond the list",
        lambda: widgets.graphormer_explorer(_model(), [_graph()], graph=1), ValueError,
        r"graph: expected a graph index in \[0, 1\), got 1"),
    Bad(W, "a layer the model lacks",
        lambda: widgets.graphormer_explorer(_model(), [_graph()], layer=1), ValueError,
        r"layer: expected a layer index in \[0, 1\), got 1"),
    Bad(W, "one graph instead of a list",
        lambda: widgets.graphormer_explorer(_model(), _graph()), TypeError,
        r"graphs: expected a non-empty list of PyG Data graphs, got Data; wrap one graph"),
    Bad(W, "a GAT-like model",
        lambda: widgets.graphormer_explorer(torch.nn.Linear(2, 2), [_graph()]), TypeError,
        r"model: expected a Graphormer, got Linear"),
    Bad(W, "a graph the model cannot encode",
        lambda: widgets.graphormer_explorer(_model(), [_graph(), Data(x=torch.tensor([0, 4]),
                                                                      edge_index=EDGES[:, :2])]),
        ValueError, r"graphs\[1\].x: expected node types in \[0, 1\], found 4"),
    Bad(W, "a float node id (would be truncated)",
        lambda: widgets.graphormer_explorer(_model(), [_graph()], node=0.0), TypeError,
        r"node: expected an int node id, got float"),
]
