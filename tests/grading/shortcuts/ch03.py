"""Chapter 03 answered through the package or ruled-out library functions: every such exercise
scores 0."""

SHORTCUTS = {
    # The package's two helpers, imported under other names.
    "ex1-gcn-weights": '''def gcn_edge_weights(edge_index, num_nodes):
    from graphcourse.nn import symmetric_norm as weigh, with_self_loops as loop
    edge_index = loop(edge_index, num_nodes)
    return edge_index, weigh(edge_index, num_nodes)
''',
    # Chapter 01's mean aggregation, reached through the module inside the methods.
    "ex2-mean-difference": '''import graphcourse.nn as _package


class MeanDifferenceLayer(MessagePassing):
    """x_i' = W x_i + mean_{j in N(i)} U (x_j - x_i). Shapes: [N, F_in] -> [N, F_out]."""

    def __init__(self, in_channels, out_channels):
        super().__init__(aggr="mean")
        self.lin_self = nn.Linear(in_channels, out_channels)
        self.lin_diff = nn.Linear(in_channels, out_channels, bias=False)

    def forward(self, x, edge_index):
        diff = self.lin_diff(x)
        average = _package.mean_aggregate
        hears = average(torch.ones_like(x[:, :1]), edge_index)  # 1 where a node has senders
        return self.lin_self(x) + average(diff, edge_index) - diff * hears

    def message(self, x_i, x_j):  # what the test calls on its own; forward does without it
        return self.lin_diff(x_j - x_i)
''',
    # A subclass of the package's GATLayer that keeps the logits before its softmax.
    "ex3-logits": '''from graphcourse.nn import GATLayer as _Layer


class _KeepLogits(_Layer):
    def edge_update(self, alpha_src_j, alpha_dst_i, index, size_i):
        self.logits = nn.functional.leaky_relu(alpha_src_j + alpha_dst_i, self.negative_slope)
        return self.logits


def attention_logits(h, edge_index, W, a, negative_slope=0.2):
    F = W.size(0)
    layer = _KeepLogits(W.size(1), F, negative_slope=negative_slope, add_self_loops=False,
                        bias=False)
    with torch.no_grad():
        layer.lin.weight.copy_(W)
        layer.att_dst.copy_(a[:F].view(1, 1, F))
        layer.att_src.copy_(a[F:].view(1, 1, F))
        layer(h, edge_index)
    return layer.logits.view(-1)
''',
    # The library one-liner the statement rules out (imported in the notebook as softmax).
    "ex4-softmax": '''def neighbourhood_softmax(logits, target, num_nodes):
    return softmax(logits, target, num_nodes=num_nodes)
''',
    # PyG's finished layer with the given weights copied in.
    "ex5-gat-forward": '''def gat_forward(x, edge_index, W, a_src, a_dst, concat=True):
    heads, features, width = W.shape
    conv = GATConv(width, features, heads=heads, concat=concat, bias=False)
    with torch.no_grad():
        conv.lin.weight.copy_(W.reshape(heads * features, width))
        conv.att_src.copy_(a_src.view(1, heads, features))
        conv.att_dst.copy_(a_dst.view(1, heads, features))
        return conv(x, edge_index)
''',
}
