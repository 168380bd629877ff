"""The chapter 06 explorer: graph, node and layer wired to nn.sat_analysis and viz."""

import matplotlib.pyplot as plt
import pytest
import torch
from torch_geometric.data import Data

from graphcourse import viz
from graphcourse.nn.sat import SAT
from graphcourse.nn.sat_analysis import alike_nodes, attention_row
from graphcourse.widgets import sat_explorer
from harness import undirected_edges, widget_tree


def _graph(pairs, num_nodes, seed):
    generator = torch.Generator().manual_seed(seed)
    return Data(x=torch.randint(0, 3, (num_nodes,), generator=generator),
                edge_index=undirected_edges(pairs), rwpe=torch.rand(num_nodes, 4,
                                                                    generator=generator))


def _graphs():
    """A path 0-...-5 with a triangle 2-6-7 and a lone node 8; a 6-cycle."""
    first = _graph([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (2, 6), (6, 7), (7, 2)], 9, 0)
    second = _graph([(k, (k + 1) % 6) for k in range(6)], 6, 1)
    return [first, second]


def _model(k, seed=0, **fields):
    torch.manual_seed(seed)
    base = dict(num_node_types=3, dim=16, heads=4, layers=2, k=k, pe="rw", pe_dim=4)
    base.update(fields)
    return SAT(**base)


def _models():
    return _model(0), _model(2, seed=1)


def _parts(view):
    (graph_picker, node_picker, layer_picker), picture, numbers = (
        view.children[0].children, *view.children[1:])
    return graph_picker, node_picker, layer_picker, picture, numbers


def test_explorer_is_an_image_and_html_view_that_redraws():
    import ipywidgets as widgets

    plt.close("all")
    (plain, sat), graphs = _models(), _graphs()
    view = sat_explorer(plain, sat, graphs, graph=0, node=0, layer=0)
    graph_picker, node_picker, layer_picker, picture, numbers = _parts(view)
    assert isinstance(picture, widgets.Image) and isinstance(numbers, widgets.HTML)
    assert not any(isinstance(w, widgets.Output) for w in widget_tree(view))
    assert bytes(picture.value).startswith(b"\x89PNG")
    assert "graph 0, node 0, layer 1: 9 nodes; 1 of the 8 other nodes" in numbers.value
    shown = view.shown
    assert (shown["graph"], shown["node"], shown["layer"]) == (0, 0, 0)
    assert torch.equal(shown["transformer"], attention_row(plain, graphs[0], 0, 0))
    assert torch.equal(shown["sat"], attention_row(sat, graphs[0], 0, 0))
    assert shown["alike"].tolist() == alike_nodes(graphs[0].edge_index, 9, 0, 2).tolist()
    assert shown["alike"].tolist() == [True] + [False] * 4 + [True] + [False] * 3

    before, text = bytes(picture.value), numbers.value
    node_picker.value = 3
    assert view.shown["node"] == 3 and "graph 0, node 3, layer 1" in numbers.value
    assert bytes(picture.value) != before and numbers.value != text
    assert view.shown["alike"].tolist() == alike_nodes(graphs[0].edge_index, 9, 3, 2).tolist()

    before, text = bytes(picture.value), numbers.value
    layer_picker.value = 1
    assert view.shown["layer"] == 1 and "graph 0, node 3, layer 2" in numbers.value
    assert bytes(picture.value) != before and numbers.value != text
    assert torch.equal(view.shown["sat"], attention_row(sat, graphs[0], 3, 1))

    before = bytes(picture.value)
    graph_picker.value = 1
    assert "graph 1, node 3, layer 2: 6 nodes; 5 of the 5 other nodes" in numbers.value
    assert view.shown["sat"].shape == (4, 6) and bytes(picture.value) != before
    assert view.shown["alike"].all()
    assert plt.get_fignums() == []  # nothing displayed or left open through pyplot


def test_the_default_layer_is_the_last_and_the_summary_names_both_models():
    view = sat_explorer(*_models(), _graphs())
    layer_picker, numbers = _parts(view)[2], _parts(view)[4]
    assert layer_picker.value == 1 and view.shown["layer"] == 1
    lines = numbers.value.split("\n")
    assert lines[1].startswith("Transformer+PE: ") and lines[2].startswith("SAT (k=2): ")


def test_every_redraw_recomputes_with_the_current_weights():
    (plain, sat), graphs = _models(), _graphs()
    view = sat_explorer(plain, sat, graphs, node=2)
    _, node_picker, _, _, numbers = _parts(view)
    first, text = view.shown["sat"], numbers.value
    with torch.no_grad():
        for layer in sat.layers:  # the same controls, other weights
            layer.attention.attention.q_proj.weight.mul_(20.0)
    node_picker.value = 4
    node_picker.value = 2
    assert not torch.allclose(view.shown["sat"], first)
    assert torch.equal(view.shown["sat"], attention_row(sat, graphs[0], 2, 1))
    assert numbers.value != text


def test_a_node_the_graph_does_not_have_is_shown_in_place_of_the_drawing():
    view = sat_explorer(*_models(), _graphs(), node=7)
    graph_picker, node_picker, _, picture, numbers = _parts(view)
    node_picker.value = 9  # the node box does not cap what is typed
    assert view.shown is None and picture.layout.display == "none"
    assert "node: 9 is out of range for a graph with 9 nodes" in numbers.value
    node_picker.value = 7
    assert view.shown["node"] == 7 and picture.layout.display != "none"
    graph_picker.value = 1  # node 7 is not in the 6-cycle
    assert view.shown is None and "node: 7 is out of range for a graph with 6 nodes" \
        in numbers.value
    node_picker.value = 0
    assert view.shown["node"] == 0 and "graph 1, node 0" in numbers.value


def test_models_of_different_depths_share_the_shallower_ones_layers():
    plain, sat = _model(0, layers=3), _model(1, layers=2)
    view = sat_explorer(plain, sat, _graphs(), node=1)
    layer_picker = _parts(view)[2]
    assert [value for _, value in layer_picker.options] == [0, 1]
    assert layer_picker.value == 1
    assert torch.equal(view.shown["transformer"], attention_row(plain, _graphs()[0], 1, 1))


@pytest.mark.parametrize("change, error, match", [
    ({"graph": 2}, ValueError, r"graph: expected a graph index in \[0, 2\), got 2"),
    ({"graph": 1.0}, TypeError, r"graph: expected a graph index \(an int\), got float"),
    ({"node": 9}, ValueError, "node: 9 is out of range for a graph with 9 nodes"),
    ({"graph": 1, "node": 6}, ValueError, "node: 6 is out of range for a graph with 6 nodes"),
    ({"node": 1.5}, TypeError, "node: expected an int node id, got float"),
    ({"layer": 2}, ValueError, r"layer: expected a layer index in \[-2, 2\)"),
    ({"layer": -3}, ValueError, r"layer: expected a layer index in \[-2, 2\)"),
    ({"layer": "last"}, TypeError, r"layer: expected a layer index \(an int\), got str"),
])
def test_arguments_are_checked_before_any_control_is_built(change, error, match, monkeypatch):
    import ipywidgets

    def no_controls(*args, **kwargs):
        raise AssertionError("a control was built before the arguments were checked")

    monkeypatch.setattr(ipywidgets, "Dropdown", no_controls)
    monkeypatch.setattr(ipywidgets, "IntText", no_controls)
    with pytest.raises(error, match=match):
        sat_explorer(*_models(), _graphs(), **change)


def test_models_and_graphs_are_checked():
    (plain, sat), graphs = _models(), _graphs()
    with pytest.raises(TypeError, match="transformer: expected a SAT with k=0"):
        sat_explorer(torch.nn.Linear(2, 2), sat, graphs)
    with pytest.raises(TypeError, match="sat: expected a SAT with k >= 1, got Linear"):
        sat_explorer(plain, torch.nn.Linear(2, 2), graphs)
    with pytest.raises(ValueError, match="transformer: expected a SAT with k=0 .*got k=2; "
                                         "did you swap transformer and sat"):
        sat_explorer(sat, plain, graphs)
    with pytest.raises(ValueError, match=r"sat: expected a SAT with k >= 1"):
        sat_explorer(plain, _model(3, extractor=None), graphs)
    with pytest.raises(TypeError, match=r"graphs: expected a non-empty list .*wrap one graph"):
        sat_explorer(plain, sat, graphs[0])
    with pytest.raises(TypeError, match="graphs: expected a non-empty list"):
        sat_explorer(plain, sat, [])
    wide = Data(x=torch.tensor([0, 5]), edge_index=undirected_edges([(0, 1)]),
                rwpe=torch.rand(2, 4))
    with pytest.raises(ValueError, match=r"graphs\[1\].x: expected node types in \[0, 2\], "
                                         r"found 5"):
        sat_explorer(plain, sat, [graphs[0], wide])
    bare = Data(x=torch.zeros(2, dtype=torch.long), edge_index=undirected_edges([(0, 1)]))
    with pytest.raises(ValueError, match=r"graphs\[0\].rwpe: pe='rw' needs it"):
        sat_explorer(plain, sat, [bare])
    with pytest.raises(ValueError, match=r"graphs\[0\].lappe: pe='lap' needs it"):
        sat_explorer(plain, _model(2, pe="lap"), graphs)


def test_summary_lines_name_what_is_shown():
    (plain, sat), graphs = _models(), _graphs()
    alike = alike_nodes(graphs[1].edge_index, 6, 0, 2)
    lines = viz.sat_summary(attention_row(plain, graphs[1], 0), attention_row(sat, graphs[1], 0),
                            alike, 0, 2, graph=1, layer=1)
    assert lines[0] == ("graph 1, node 0, layer 2: 6 nodes; 5 of the 5 other nodes have a "
                        "2-hop subgraph like node 0's (share 1.00, ringed in blue)")
    assert len(lines) == 3 and "1.00 of the attention on other nodes" in lines[2]
