"""graphcourse.viz: what the drawings contain, and the explorers' PNG renders."""

import math

import matplotlib
import pytest
import torch

from graphcourse import viz
from graphcourse.data import karate_club
from graphcourse.graphs import computation_tree, images
from graphcourse.nn import GAT
from graphcourse.nn.analysis import entropy_summary, node_attention, positional_view

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

EDGES = torch.tensor([[1, 2, 0, 0, 1, 2], [0, 0, 0, 1, 1, 2]])
ALPHA = torch.tensor([[0.5, 1 / 3], [0.25, 1 / 3], [0.25, 1 / 3], [0.9, 0.5], [0.1, 0.5],
                      [1.0, 1.0]])  # [E, H=2]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _gat_and_data():
    from torch_geometric.data import Data

    torch.manual_seed(0)
    data = Data(x=torch.randn(10, 5), edge_index=torch.randint(0, 10, (2, 30)),
                y=torch.randint(0, 3, (10,)))
    return GAT(5, 3, hidden_channels=4, heads=3, output_heads=2), data


def test_draw_node_attention_draws_one_edge_per_neighbour_with_widths_by_weight():
    local = node_attention(EDGES, ALPHA, 0, 3)  # neighbours 1 (0.5), 2 (0.25), self (0.25)
    ax = viz.draw_node_attention(local, head=0, labels=[0, 1, 1])
    widths = sorted(line.get_linewidth() for line in ax.get_lines())
    assert widths == pytest.approx([4.0, 8.0])  # the heaviest is 8 points wide
    texts = [t.get_text() for t in ax.texts]
    assert "self 0.25" in texts and "0.50" in texts and "0.25" in texts
    assert ax.get_title() == "node 0, head 0: 2 neighbours"


def test_draw_head_comparison_has_a_bar_per_head_and_neighbour():
    model, data = _gat_and_data()
    local = node_attention(*model.attention(data.x, data.edge_index)[0], 0, 10)
    ax = viz.draw_head_comparison(local)
    assert len(ax.patches) == local.heads * len(local.neighbours)
    heights = [patch.get_height() for patch in ax.patches]
    assert sum(heights) == pytest.approx(local.heads, abs=1e-5)  # each head sums to 1


def test_head_comparison_marks_uniform_weight_one_over_in_degree():
    """The dashed line sits at 1/deg(i), deg(i) counting every edge into i with its self-loop,
    as the notebook's text says; the legend names it so."""
    from torch_geometric.utils import degree

    in_degree = degree(EDGES[1], 3)  # [3, 2, 1]: node 0 hears 1, 2 and itself
    for node in range(3):
        ax = viz.draw_head_comparison(node_attention(EDGES, ALPHA, node, 3))
        (line,) = [line for line in ax.get_lines() if line.get_label().startswith("uniform")]
        assert line.get_label() == "uniform 1/deg(i)"
        assert list(line.get_ydata()) == pytest.approx([1 / float(in_degree[node])] * 2)


def test_draw_entropy_histogram_counts_every_node():
    ax = viz.draw_entropy_histogram(EDGES, ALPHA, 3, head=None, bins=5)
    uniform, learned = ax.containers  # two histograms
    assert sum(bar.get_height() for bar in uniform) == pytest.approx(3)
    assert sum(bar.get_height() for bar in learned) == pytest.approx(3)  # 6 entropies, rescaled
    assert ax.get_title() == "attention entropy, all heads"
    ax = viz.draw_entropy_histogram(EDGES, ALPHA, 3, head=1)
    assert ax.get_title() == "attention entropy, head 1"


def test_render_attention_gives_png_bytes_without_pyplot_figures():
    plt.close("all")
    model, data = _gat_and_data()
    edges, alpha = model.attention(data.x, data.edge_index)[0]
    local = node_attention(edges, alpha, 3, 10)
    picture = viz.render_attention(local, 1, edges, alpha, 10, labels=data.y.tolist())
    assert picture.startswith(PNG)
    assert picture != viz.render_attention(local, 2, edges, alpha, 10, labels=data.y.tolist())
    assert plt.get_fignums() == []  # nothing left open, nothing shown


def test_node_attention_summary_by_hand():
    local = node_attention(EDGES, ALPHA, 0, 3)
    lines = viz.node_attention_summary(local, 0, 1, entropy_summary(EDGES, ALPHA[:, 1:], 3))
    h0 = -(0.5 * math.log(0.5) + 2 * 0.25 * math.log(0.25))
    assert lines[0] == (f"node 0: 3 edges in (self included); entropy per head "
                        f"[{h0:.2f}, {math.log(3):.2f}] vs uniform {math.log(3):.2f}")
    assert lines[1].startswith("layer 1, head 1: mean entropy ")
    assert lines[1].endswith("(ratio 1.000)")  # head 1 is uniform


def test_plot_attention_draws_labels():
    ax = viz.plot_attention(torch.tensor([[0.2, 0.8], [1.0, 0.0]]), ["a", "b"], ["x", "y"],
                            title="t")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert ax.get_title() == "t"
    with pytest.raises(ValueError, match=r"cols: expected one label per key .* \(2\), got 3"):
        viz.plot_attention(torch.ones(2, 2) / 2, ["a", "b"], ["x", "y", "z"])


def test_attention_view_summary_lines():
    assert viz.attention_view_summary(None, 8) == "Type 1 to 8 digits (0-9)."


def test_render_positional_and_playground_and_spectral():
    assert viz.render_positional(positional_view(3, 2, 16, 20)).startswith(PNG)
    view = images.playground("pixel", [0.0, 0.0, 1.0], "L", (4, 4), 9, 9)
    assert viz.render_playground(view).startswith(PNG)
    assert viz.playground_summary(view) == [
        "highest non-zero power: 2; the kernel touches 13 pixels (all within 2 hops)"]
    image = images.sample_image(16, 16)
    spectral = images.spectral_view(image, 1, 3)
    assert viz.render_spectral(spectral, image).startswith(PNG)
    grid_line, club_line, image_line = viz.spectral_summary(spectral)
    assert "repeated 2 times" in grid_line and "(simple)" in club_line
    assert image_line == f"image from its first 3 components: relative error {spectral.error:.3f}"
    assert plt.get_fignums() == []


def test_render_tree_and_draw_tree():
    karate = karate_club()
    tree = computation_tree(karate.edge_index, 34, 0, 2)
    pos = viz.layout(karate.edge_index, 34)
    assert viz.render_tree(karate.edge_index, 34, tree, pos, 3).startswith(PNG)
    with pytest.raises(ValueError, match="max_depth: expected at least the tree's depth 2"):
        viz.render_tree(karate.edge_index, 34, tree, pos, 1)
    small = computation_tree(torch.tensor([[0, 1], [1, 0]]), 2, 0, 2)
    ax = viz.draw_tree(small.parents, small.graph_nodes, small.levels)
    assert [t.get_text() for t in ax.texts] == ["0", "1", "0"]


def test_draw_graph_checks_colours_and_positions():
    karate = karate_club()
    ax = viz.draw_graph(karate.edge_index, 34, node_color=karate.y, title="club")
    assert ax.get_title() == "club" and len(ax.collections) == 2  # edges and nodes
    with pytest.raises(ValueError, match=r"node_color: expected one value per node \(34\), got 33"):
        viz.draw_graph(karate.edge_index, 34, node_color=karate.y[:33])
    with pytest.raises(ValueError, match=r"pos: no position for node 33"):
        pos = viz.layout(karate.edge_index, 34)
        del pos[33]
        viz.draw_graph(karate.edge_index, 34, pos=pos)


def test_figure_png_closes_the_figure():
    from matplotlib.figure import Figure

    figure = Figure()
    figure.subplots().plot([0, 1])
    assert viz.figure_png(figure).startswith(PNG)
    with pytest.raises(TypeError, match="figure: expected a matplotlib Figure"):
        viz.figure_png(plt.gca())
