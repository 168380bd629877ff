"""Bad inputs for graphcourse.viz: plots, drawings and the explorers' renders."""

import torch

from graphcourse import viz
from graphcourse.graphs import computation_tree
from graphcourse.nn.analysis import node_attention

from . import Bad

PATH = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])
EDGES = torch.tensor([[1, 2, 0, 0, 1, 2], [0, 0, 0, 1, 1, 2]])
ALPHA = torch.tensor([[0.5, 1 / 3], [0.25, 1 / 3], [0.25, 1 / 3], [0.9, 0.5], [0.1, 0.5],
                      [1.0, 1.0]])  # [E, H=2]


def _local():
    return node_attention(EDGES, ALPHA, 0, 3)


def _tree():
    return computation_tree(PATH, 3, 0, 2)


ROWS = [
    Bad("graphcourse.viz.figures:figure_png", "a pyplot module instead of a figure",
        lambda: viz.figure_png(viz), TypeError, r"figure: expected a matplotlib Figure"),
    Bad("graphcourse.viz.figures:plot_embeddings", "one label too few",
        lambda: viz.plot_embeddings(torch.zeros(3, 2), torch.tensor([0, 1])), ValueError,
        r"y: expected one label per row of h \(3\), got 2"),
    Bad("graphcourse.viz.figures:plot_embeddings", "a 1-D h",
        lambda: viz.plot_embeddings(torch.zeros(3)), ValueError, r"h: expected a 2-D tensor"),
    Bad("graphcourse.viz.figures:plot_embeddings", "NaN embeddings",
        lambda: viz.plot_embeddings(torch.full((3, 2), float("nan"))), ValueError,
        r"h: expected finite values"),
    Bad("graphcourse.viz.figures:plot_history", "a dict instead of a History",
        lambda: viz.plot_history({"loss": [1.0]}), TypeError,
        r"history: expected a graphcourse.train.History"),
    Bad("graphcourse.viz.figures:plot_history", "a metric that was not recorded",
        lambda: viz.plot_history(_history(), ["test"]), ValueError,
        r"metrics: 'test' was not recorded; the history has \['val'\]"),
    Bad("graphcourse.viz.figures:plot_history", "one metric name instead of a list",
        lambda: viz.plot_history(_history(), "val"), TypeError,
        r"metrics: expected a list of metric names"),
    Bad("graphcourse.viz.graphs:to_networkx", "num_nodes below the largest id",
        lambda: viz.to_networkx(PATH, 2), ValueError, r"edge_index: node id 2 is out of range"),
    Bad("graphcourse.viz.graphs:layout", "a float seed",
        lambda: viz.layout(PATH, 3, seed=0.5), TypeError, r"seed: expected an int, got float"),
    Bad("graphcourse.viz.graphs:draw_graph", "one colour per node, one missing",
        lambda: viz.draw_graph(PATH, 3, node_color=[0, 1]), ValueError,
        r"node_color: expected one value per node \(3\), got 2"),
    Bad("graphcourse.viz.graphs:draw_graph", "positions that miss a node",
        lambda: viz.draw_graph(PATH, 3, pos={0: (0, 0), 1: (1, 0)}), ValueError,
        r"pos: no position for node 2"),
    Bad("graphcourse.viz.graphs:draw_graph", "something that is not an Axes",
        lambda: viz.draw_graph(PATH, 3, ax="left"), TypeError,
        r"ax: expected a matplotlib Axes or None"),
    Bad("graphcourse.viz.graphs:draw_image_graph", "edges beyond the pixels",
        lambda: viz.draw_image_graph(torch.zeros(1, 2), PATH), ValueError,
        r"edge_index: node id 2 is out of range for num_nodes=2"),
    Bad("graphcourse.viz.graphs:draw_tree", "levels of the wrong length",
        lambda: viz.draw_tree([-1, 0], [0, 1], [0]), ValueError,
        r"graph_nodes, levels: expected one entry per tree node \(2 parents\)"),
    Bad("graphcourse.viz.graphs:draw_tree", "a parent index past the end",
        lambda: viz.draw_tree([-1, 5], [0, 1], [0, 1]), ValueError,
        r"parents: expected -1 \(a root\) or a tree node index in \[0, 2\)"),
    Bad("graphcourse.viz.graphs:tree_summary", "a dict instead of a tree",
        lambda: viz.tree_summary({"root": 0}), TypeError, r"tree: expected a ComputationTree"),
    Bad("graphcourse.viz.graphs:render_tree", "max_depth below the tree's depth",
        lambda: viz.render_tree(PATH, 3, _tree(), viz.layout(PATH, 3), 1), ValueError,
        r"max_depth: expected at least the tree's depth 2, got 1"),
    Bad("graphcourse.viz.spectral:playground_summary", "a tensor instead of a view",
        lambda: viz.playground_summary(torch.zeros(2, 2)), TypeError,
        r"view: expected a PlaygroundView"),
    Bad("graphcourse.viz.spectral:render_playground", "None instead of a view",
        lambda: viz.render_playground(None), TypeError, r"view: expected a PlaygroundView"),
    Bad("graphcourse.viz.spectral:spectral_summary", "a playground view",
        lambda: viz.spectral_summary(_playground()), TypeError, r"view: expected a SpectralView"),
    Bad("graphcourse.viz.spectral:render_spectral", "an image of another shape than the view",
        lambda: viz.render_spectral(_spectral(), torch.zeros(3, 3)), ValueError,
        r"image: expected the shape of the view's rebuilt image \[4, 4\], got \[3, 3\]"),
    Bad("graphcourse.viz.attention:draw_node_attention", "a head the layer does not have",
        lambda: viz.draw_node_attention(_local(), head=2), ValueError,
        r"head: expected a head index in \[0, 2\), got 2"),
    Bad("graphcourse.viz.attention:draw_node_attention", "labels for fewer nodes than drawn",
        lambda: viz.draw_node_attention(_local(), head=0, labels=[0, 1]), ValueError,
        r"labels: expected one class per graph node, got 2 labels but node 2 is drawn"),
    Bad("graphcourse.viz.attention:draw_head_comparison", "raw weights instead of NodeAttention",
        lambda: viz.draw_head_comparison(ALPHA), TypeError,
        r"attention: expected a NodeAttention"),
    Bad("graphcourse.viz.attention:draw_entropy_histogram", "logits instead of weights",
        lambda: viz.draw_entropy_histogram(EDGES, torch.log(ALPHA), 3), ValueError,
        r"alpha: expected attention weights in \[0, 1\].*not logits"),
    Bad("graphcourse.viz.attention:draw_entropy_histogram", "zero bins",
        lambda: viz.draw_entropy_histogram(EDGES, ALPHA, 3, bins=0), ValueError,
        r"bins: expected an int >= 1"),
    Bad("graphcourse.viz.attention:node_attention_summary", "a summary missing its ratio",
        lambda: viz.node_attention_summary(_local(), 0, 0, {"entropy": 1.0, "uniform": 1.0}),
        ValueError, r"summary: missing \['ratio'\]"),
    Bad("graphcourse.viz.attention:render_attention", "a float head",
        lambda: viz.render_attention(_local(), 1.0, EDGES, ALPHA, 3), TypeError,
        r"head: expected a head index \(an int\), got float"),
    Bad("graphcourse.viz.transformer:plot_attention", "one row label too many",
        lambda: viz.plot_attention(torch.ones(2, 2) / 2, ["a", "b", "c"], ["x", "y"]),
        ValueError, r"rows: expected one label per query .*\(2\), got 3"),
    Bad("graphcourse.viz.transformer:plot_attention", "labels as one string",
        lambda: viz.plot_attention(torch.ones(2, 2) / 2, "ab", ["x", "y"]), TypeError,
        r"rows: expected a list of 2 token labels, got str"),
    Bad("graphcourse.viz.transformer:render_attention_view", "a tensor instead of a view",
        lambda: viz.render_attention_view(torch.ones(2, 2)), TypeError,
        r"view: expected an AttentionView"),
    Bad("graphcourse.viz.transformer:attention_view_summary", "a zero limit",
        lambda: viz.attention_view_summary(None, 0), ValueError, r"limit: expected an int >= 1"),
    Bad("graphcourse.viz.transformer:render_positional", "a tensor instead of a view",
        lambda: viz.render_positional(torch.ones(2, 2)), TypeError,
        r"view: expected a PositionalView"),
]


def _history():
    from graphcourse.train import History

    return History(loss=[1.0, 0.5], metrics={"val": [0.5]}, epochs_evaluated=[2])


def _playground():
    from graphcourse.graphs import images

    return images.playground("pixel", [1.0], height=4, width=4)


def _spectral():
    from graphcourse.graphs import images

    return images.spectral_view(torch.rand(4, 4), 1, 3)
