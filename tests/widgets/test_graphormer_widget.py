"""The chapter 05 explorer: graph, node and layer wired to nn.graphormer_analysis and viz."""

import matplotlib.pyplot as plt
import pytest
import torch
from torch_geometric.data import Data

from graphcourse import viz
from graphcourse.nn import Graphormer, GraphormerConfig
from graphcourse.nn.graphormer_analysis import (
    distance_from,
    node_attention_rows,
    spatial_bias_table,
)
from graphcourse.widgets import graphormer_explorer
from harness import undirected_edges, widget_tree


def _graphs():
    """A path 0-...-5 with a triangle 2-6-7 and a lone node 8; a 6-cycle."""
    first = Data(x=torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2]),
                 edge_index=undirected_edges([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (2, 6),
                                         (6, 7), (7, 2)]))
    second = Data(x=torch.zeros(6, dtype=torch.long),
                  edge_index=undirected_edges([(k, (k + 1) % 6) for k in range(6)]))
    return [first, second]


def _model(**fields):
    torch.manual_seed(0)
    base = dict(num_node_types=3, d_model=16, heads=4, layers=2, ffn=16, max_distance=5)
    base.update(fields)
    return Graphormer(GraphormerConfig(**base))


def _parts(view):
    (graph_picker, node_picker, layer_picker), picture, numbers = (
        view.children[0].children, *view.children[1:])
    return graph_picker, node_picker, layer_picker, picture, numbers


def test_explorer_is_an_image_and_html_view_that_redraws():
    import ipywidgets as widgets

    plt.close("all")
    model, graphs = _model(), _graphs()
    view = graphormer_explorer(model, graphs, graph=0, node=2, layer=0)
    graph_picker, node_picker, layer_picker, picture, numbers = _parts(view)
    assert isinstance(picture, widgets.Image) and isinstance(numbers, widgets.HTML)
    assert not any(isinstance(w, widgets.Output) for w in widget_tree(view))
    assert bytes(picture.value).startswith(b"\x89PNG")
    assert "graph 0, node 2, layer 1: 9 nodes" in numbers.value
    assert (view.shown.node, view.shown.layer) == (2, 0)
    assert view.distance.tolist() == distance_from(graphs[0], 2).tolist()
    expected = node_attention_rows(model, graphs[0], 2, 0)
    assert torch.equal(view.shown.nodes, expected.nodes)

    before, text = bytes(picture.value), numbers.value
    node_picker.value = 5
    assert view.shown.node == 5 and "graph 0, node 5, layer 1" in numbers.value
    assert bytes(picture.value) != before and numbers.value != text

    before, text = bytes(picture.value), numbers.value
    layer_picker.value = 1
    assert view.shown.layer == 1 and "graph 0, node 5, layer 2" in numbers.value
    assert bytes(picture.value) != before
    assert torch.equal(view.shown.nodes, node_attention_rows(model, graphs[0], 5, 1).nodes)

    before = bytes(picture.value)
    graph_picker.value = 1
    assert "graph 1, node 5, layer 2: 6 nodes" in numbers.value
    assert view.shown.nodes.shape == (4, 6) and bytes(picture.value) != before
    assert view.distance.tolist() == [1, 2, 3, 2, 1, 0]
    assert plt.get_fignums() == []  # nothing displayed or left open through pyplot


def test_every_redraw_recomputes_with_the_current_weights():
    model, graphs = _model(), _graphs()
    view = graphormer_explorer(model, graphs, node=3)
    _, node_picker, _, picture, numbers = _parts(view)
    first, text = view.shown, numbers.value
    with torch.no_grad():
        model.spatial.bias.weight.mul_(50.0)  # the same controls, other weights
    node_picker.value = 4
    node_picker.value = 3
    assert not torch.allclose(view.shown.nodes, first.nodes)
    assert torch.equal(view.shown.nodes, node_attention_rows(model, graphs[0], 3, 0).nodes)
    bias = spatial_bias_table(model).bias
    assert f"{float(bias[0, 0]):+.2f}" in numbers.value and numbers.value != text


def test_a_node_the_graph_does_not_have_is_shown_in_place_of_the_drawing():
    view = graphormer_explorer(_model(), _graphs(), node=7)
    graph_picker, node_picker, _, picture, numbers = _parts(view)
    node_picker.value = 9  # the node box does not cap what is typed
    assert view.shown is None and view.distance is None and picture.layout.display == "none"
    assert "node: 9 is out of range for a graph with 9 nodes" in numbers.value
    node_picker.value = 7
    assert view.shown.node == 7 and picture.layout.display != "none"
    graph_picker.value = 1  # node 7 is not in the 6-cycle
    assert view.shown is None and "node: 7 is out of range for a graph with 6 nodes" \
        in numbers.value
    node_picker.value = 0
    assert view.shown.node == 0 and "graph 1, node 0" in numbers.value


def test_molecules_with_the_edge_encoding_and_an_ablated_model():
    pytest.importorskip("rdkit")
    from graphcourse.data import ATOM_TYPES, BOND_TYPES, smiles_to_data

    molecules = [smiles_to_data("CCO"), smiles_to_data("c1ccccc1O")]
    model = _model(num_node_types=len(ATOM_TYPES), num_edge_types=len(BOND_TYPES) + 1)
    view = graphormer_explorer(model, molecules, graph=1, node=6, layer=1)
    graph_picker, _, _, picture, numbers = _parts(view)
    assert "c1ccccc1O" in graph_picker.options[1][0]
    assert "graph 1, node 6, layer 2: 7 nodes" in numbers.value
    ablated = _model(num_node_types=len(ATOM_TYPES), spatial=False)
    view = graphormer_explorer(ablated, molecules)
    assert "no distance bias" in _parts(view)[4].value
    assert bytes(_parts(view)[3].value).startswith(b"\x89PNG")


def test_a_graph_with_an_unreachable_node_and_far_pairs():
    view = graphormer_explorer(_model(max_distance=3), _graphs(), node=0)
    numbers = _parts(view)[4]
    assert "1 with no path" in numbers.value
    far = view.distance >= 3
    assert bool((view.shown.nodes[:, far] == 0).all())


@pytest.mark.parametrize("change, error, match", [
    ({"graph": 2}, ValueError, r"graph: expected a graph index in \[0, 2\), got 2"),
    ({"graph": 1.0}, TypeError, r"graph: expected a graph index \(an int\), got float"),
    ({"node": 9}, ValueError, "node: 9 is out of range for a graph with 9 nodes"),
    ({"graph": 1, "node": 6}, ValueError, "node: 6 is out of range for a graph with 6 nodes"),
    ({"node": 1.5}, TypeError, "node: expected an int node id, got float"),
    ({"layer": 2}, ValueError, r"layer: expected a layer index in \[0, 2\), got 2"),
    ({"layer": -1}, ValueError, r"layer: expected a layer index in \[0, 2\), got -1"),
])
def test_arguments_are_checked_before_any_control_is_built(change, error, match, monkeypatch):
    import ipywidgets

    def no_controls(*args, **kwargs):
        raise AssertionError("a control was built before the arguments were checked")

    monkeypatch.setattr(ipywidgets, "Dropdown", no_controls)
    monkeypatch.setattr(ipywidgets, "IntText", no_controls)
    with pytest.raises(error, match=match):
        graphormer_explorer(_model(), _graphs(), **change)


def test_models_and_graphs_are_checked():
    model, graphs = _model(), _graphs()
    with pytest.raises(TypeError, match="model: expected a Graphormer, got Linear"):
        graphormer_explorer(torch.nn.Linear(2, 2), graphs)
    with pytest.raises(TypeError, match=r"graphs: expected a non-empty list .*wrap one graph"):
        graphormer_explorer(model, graphs[0])
    with pytest.raises(TypeError, match="graphs: expected a non-empty list"):
        graphormer_explorer(model, [])
    wide = Data(x=torch.tensor([0, 5]), edge_index=undirected_edges([(0, 1)]))
    with pytest.raises(ValueError, match=r"graphs\[1\].x: expected node types in \[0, 2\], "
                                         r"found 5 \(the model has num_node_types=3\)"):
        graphormer_explorer(model, [graphs[0], wide])
    with pytest.raises(ValueError, match=r"graphs\[0\]: missing attribute 'edge_attr'"):
        graphormer_explorer(_model(num_edge_types=2), graphs)
    with pytest.raises(ValueError, match=r"graphs\[0\]: missing attribute 'x'"):
        graphormer_explorer(model, [Data(edge_index=undirected_edges([(0, 1)]), num_nodes=2)])


def test_summary_lines_name_what_is_shown():
    model, graphs = _model(), _graphs()
    row = node_attention_rows(model, graphs[1], 0, 1)
    lines = viz.graphormer_summary(row, distance_from(graphs[1], 0), spatial_bias_table(model),
                                   graph=1)
    assert lines[0] == ("graph 1, node 0, layer 2: 6 nodes; nodes at each distance "
                        "{0: 1, 1: 2, 2: 2, 3: 1}")
    assert len(lines) == 5 and all(line.startswith(f"head {h}: virtual ")
                                   for h, line in enumerate(lines[1:]))
