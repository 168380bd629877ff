"""Bad inputs for the explorers (graphcourse.widgets) and the attention statistics they show
(graphcourse.nn.analysis). Explorers check everything before building a control."""

import torch

from graphcourse import widgets
from graphcourse.nn import analysis

from . import Bad

EDGES = torch.tensor([[1, 2, 0, 0, 1, 2], [0, 0, 0, 1, 1, 2]])
ALPHA = torch.tensor([[0.5, 1 / 3], [0.25, 1 / 3], [0.25, 1 / 3], [0.9, 0.5], [0.1, 0.5],
                      [1.0, 1.0]])  # [E, H=2], each node's incoming weights sum to 1
LOGITS = torch.log(ALPHA) + 2.0


def _karate():
    from graphcourse.data import karate_club

    return karate_club()


def _tiny_graph():
    from torch_geometric.data import Data

    return Data(x=torch.randn(3, 2), edge_index=EDGES[:, :5], y=torch.tensor([0, 1, 1]))


def _transformer():
    from graphcourse.nn.transformer import Seq2SeqTransformer, TransformerConfig

    torch.manual_seed(0)
    return Seq2SeqTransformer(TransformerConfig(d_model=8, heads=2, d_ff=16, encoder_layers=1,
                                                decoder_layers=1)).eval()


ROWS = [
    # ------------------------------------------------------------------ explorers
    Bad("graphcourse.widgets.khop:khop_explorer", "a node the graph does not have",
        lambda: widgets.khop_explorer(_karate(), node=99), ValueError,
        r"node: 99 is out of range for a graph with 34 nodes"),
    Bad("graphcourse.widgets.khop:khop_explorer", "a float node id (would be truncated)",
        lambda: widgets.khop_explorer(_karate(), node=3.7), TypeError,
        r"node: expected an int node id, got float"),
    Bad("graphcourse.widgets.khop:khop_explorer", "depth beyond the slider's range",
        lambda: widgets.khop_explorer(_karate(), depth=5), ValueError,
        r"depth: expected 0..max_depth = 3, got 5"),
    Bad("graphcourse.widgets.khop:khop_explorer", "an edge list instead of a graph",
        lambda: widgets.khop_explorer(EDGES), ValueError,
        r"data: missing attribute 'edge_index' \(expected data.edge_index, data.num_nodes\)"),
    Bad("graphcourse.widgets.filters:filter_playground", "a float degree",
        lambda: widgets.filter_playground(degree=2.5), TypeError,
        r"degree: expected an int, got float"),
    Bad("graphcourse.widgets.filters:filter_playground", "an empty grid",
        lambda: widgets.filter_playground(height=0), ValueError, r"height: expected an int >= 1"),
    Bad("graphcourse.widgets.filters:spectral_explorer", "max_k beyond the karate club",
        lambda: widgets.spectral_explorer(torch.rand(10, 10), max_k=40), ValueError,
        r"max_k: expected at most 33"),
    Bad("graphcourse.widgets.filters:spectral_explorer", "a 3-D image",
        lambda: widgets.spectral_explorer(torch.rand(3, 10, 10)), ValueError,
        r"image: expected a 2-D tensor"),
    Bad("graphcourse.widgets.graph_attention:attention_explorer", "a node the graph lacks",
        lambda: widgets.attention_explorer(None, _tiny_graph(), node=3,
                                           attention=[(EDGES, ALPHA)]), ValueError,
        r"node: 3 is out of range for a graph with 3 nodes"),
    Bad("graphcourse.widgets.graph_attention:attention_explorer", "a head the layer lacks",
        lambda: widgets.attention_explorer(None, _tiny_graph(), head=2,
                                           attention=[(EDGES, ALPHA)]), ValueError,
        r"head: expected a head index in \[0, 2\), got 2"),
    Bad("graphcourse.widgets.graph_attention:attention_explorer", "logits instead of weights",
        lambda: widgets.attention_explorer(None, _tiny_graph(), attention=[(EDGES, LOGITS)]),
        ValueError, r"not logits"),
    Bad("graphcourse.widgets.graph_attention:attention_explorer", "a model without attention",
        lambda: widgets.attention_explorer(torch.nn.Linear(2, 2), _tiny_graph()), TypeError,
        r"model: expected a GAT \(with an attention\(x, edge_index\) method\)"),
    Bad("graphcourse.widgets.transformer:transformer_attention_explorer", "not a Transformer",
        lambda: widgets.transformer_attention_explorer(torch.nn.Linear(2, 2)), TypeError,
        r"model: expected a Seq2SeqTransformer, got Linear"),
    Bad("graphcourse.widgets.transformer:transformer_attention_explorer", "an unknown task",
        lambda: widgets.transformer_attention_explorer(_transformer(), task="rotate"),
        ValueError, r"task: expected one of 'reverse', 'sort', 'copy'"),
    Bad("graphcourse.widgets.transformer:transformer_attention_explorer", "an example with letters",
        lambda: widgets.transformer_attention_explorer(_transformer(), examples=["12a"]),
        ValueError, r"examples: expected strings of 1 to 62 digits, got '12a'"),
    Bad("graphcourse.widgets.transformer:positional_encoding_explorer", "a zero length",
        lambda: widgets.positional_encoding_explorer(length=0), ValueError,
        r"length: expected an int >= 1"),
    Bad("graphcourse.widgets.transformer:positional_encoding_explorer", "a float d_model",
        lambda: widgets.positional_encoding_explorer(d_model=64.0), TypeError,
        r"d_model: expected an int, got float"),
    # ------------------------------------------------------------------ nn.analysis
    Bad("graphcourse.nn.analysis:check_attention", "negative weights (logits)",
        lambda: analysis.check_attention(EDGES, LOGITS - 5.0, 3), ValueError,
        r"alpha: expected attention weights in \[0, 1\].*pass attention weights \(after "
        r"softmax\), not logits"),
    Bad("graphcourse.nn.analysis:check_attention", "one weight per node instead of per edge",
        lambda: analysis.check_attention(EDGES, torch.ones(3, 2) / 3, 3), ValueError,
        r"alpha: expected shape \[E, H\] with E = 6 edges, got \[3, 2\]"),
    Bad("graphcourse.nn.analysis:attention_entropy", "logits give a negative entropy",
        lambda: analysis.attention_entropy(EDGES, LOGITS, 3), ValueError,
        r"pass attention weights \(after softmax\), not logits"),
    Bad("graphcourse.nn.analysis:attention_entropy", "weights in [0, 1] that do not sum to 1",
        lambda: analysis.attention_entropy(EDGES, ALPHA / 2, 3), ValueError,
        r"alpha: expected each node's incoming weights to sum to 1 per head, but node 1's sum "
        r"to 0.5 under head 0.*not logits"),
    Bad("graphcourse.nn.analysis:attention_entropy", "a float num_nodes",
        lambda: analysis.attention_entropy(EDGES, ALPHA, 3.0), TypeError,
        r"num_nodes: expected an int, got float"),
    Bad("graphcourse.nn.analysis:attention_entropy", "NaN weights",
        lambda: analysis.attention_entropy(EDGES, ALPHA * float("nan"), 3), ValueError,
        r"alpha: expected finite values"),
    Bad("graphcourse.nn.analysis:uniform_entropy", "float edge_index",
        lambda: analysis.uniform_entropy(EDGES.float(), 3), TypeError,
        r"edge_index: expected an integer tensor"),
    Bad("graphcourse.nn.analysis:node_attention", "a node the graph does not have",
        lambda: analysis.node_attention(EDGES, ALPHA, 3, 3), ValueError,
        r"node: 3 is out of range for a graph with 3 nodes"),
    Bad("graphcourse.nn.analysis:node_attention", "a float node id (would be truncated)",
        lambda: analysis.node_attention(EDGES, ALPHA, 1.0, 3), TypeError,
        r"node: expected an int node id, got float"),
    Bad("graphcourse.nn.analysis:NodeAttention", "weights that do not match the neighbours",
        lambda: analysis.NodeAttention(0, [1, 2], torch.ones(3, 1)), ValueError,
        r"weights: expected one row per neighbour \(2\), got shape \[3, 1\]"),
    Bad("graphcourse.nn.analysis:head_agreement", "integer weights",
        lambda: analysis.head_agreement(EDGES, ALPHA.long(), 3), TypeError,
        r"alpha: expected a floating-point tensor"),
    Bad("graphcourse.nn.analysis:entropy_summary", "logits",
        lambda: analysis.entropy_summary(EDGES, LOGITS, 3), ValueError, r"not logits"),
    Bad("graphcourse.nn.analysis:attention_by_label", "one label missing",
        lambda: analysis.attention_by_label(EDGES, ALPHA, torch.tensor([0, 1]), 3), ValueError,
        r"y: expected one label per node \(3\), got 2"),
    Bad("graphcourse.nn.analysis:attention_by_label", "float labels",
        lambda: analysis.attention_by_label(EDGES, ALPHA, torch.tensor([0.0, 1.0, 1.0]), 3),
        TypeError, r"y: expected an integer tensor"),
    Bad("graphcourse.nn.analysis:AttentionView", "labels that do not match the weights",
        lambda: analysis.AttentionView(torch.ones(2, 2) / 2, ["a"], ["x", "y"], "cross", 0, 0,
                                       "1", "1", ""), ValueError,
        r"weights: expected shape \[len\(rows\), len\(cols\)\] = \[1, 2\]"),
    Bad("graphcourse.nn.analysis:attention_view", "a model that is not a Transformer",
        lambda: analysis.attention_view(torch.nn.Linear(2, 2), "12"), TypeError,
        r"model: expected a Seq2SeqTransformer"),
    Bad("graphcourse.nn.analysis:attention_view", "a kind that does not exist",
        lambda: analysis.attention_view(_transformer(), "12", kind="self"), ValueError,
        r"kind: expected one of 'encoder', 'decoder', 'cross', got 'self'"),
    Bad("graphcourse.nn.analysis:attention_view", "a layer past the stack",
        lambda: analysis.attention_view(_transformer(), "12", layer=1), ValueError,
        r"layer: the cross stack has 1 layers \(0..0\), got 1"),
    Bad("graphcourse.nn.analysis:attention_view", "a float head (would be truncated)",
        lambda: analysis.attention_view(_transformer(), "12", head=1.0), TypeError,
        r"head: expected an int, got float"),
    Bad("graphcourse.nn.analysis:attention_view", "more digits than the model's positions",
        lambda: analysis.attention_view(_transformer(), "1" * 63), ValueError,
        r"digits: expected at most 62 digits"),
    Bad("graphcourse.nn.analysis:attention_view", "digits as a number",
        lambda: analysis.attention_view(_transformer(), 12), TypeError,
        r"digits: expected a string of digits or a list of ints 0-9, got int"),
    Bad("graphcourse.nn.analysis:PositionalView", "a position past the table",
        lambda: analysis.PositionalView(5, 0, torch.zeros(5, 4), torch.zeros(5), torch.zeros(4),
                                        torch.zeros(5), 1.0), ValueError,
        r"position: expected a position in \[0, 5\), got 5"),
    Bad("graphcourse.nn.analysis:positional_view", "a position past the table",
        lambda: analysis.positional_view(position=50, length=50), ValueError,
        r"position: expected 0..49, got 50"),
    Bad("graphcourse.nn.analysis:positional_view", "a float dimension (would be truncated)",
        lambda: analysis.positional_view(dimension=2.0), TypeError,
        r"dimension: expected an int, got float"),
]
