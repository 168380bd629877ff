"""Chapter 03's usual mistakes: each fails its visible test, and grading names the case."""

MISTAKES = {
    # Out-degrees: the source row counted instead of the target row. The same numbers on an
    # undirected graph, so only a directed graph tells them apart.
    "ex1-gcn-weights": ('''def gcn_edge_weights(edge_index, num_nodes):
    edge_index, _ = add_self_loops(edge_index, num_nodes=num_nodes)
    source, target = edge_index
    deg = degree(source, num_nodes)
    return edge_index, deg[source].pow(-0.5) * deg[target].pow(-0.5)
''', "a directed graph (in-degree counts)"),
    # message computes the difference but never returns it.
    "ex2-mean-difference": ('''class MeanDifferenceLayer(MessagePassing):
    """x_i' = W x_i + mean_{j in N(i)} U (x_j - x_i). Shapes: [N, F_in] -> [N, F_out]."""

    def __init__(self, in_channels, out_channels):
        super().__init__(aggr="mean")
        self.lin_self = nn.Linear(in_channels, out_channels)
        self.lin_diff = nn.Linear(in_channels, out_channels, bias=False)

    def forward(self, x, edge_index):
        return self.lin_self(x) + self.propagate(edge_index, x=x)

    def message(self, x_i, x_j):
        difference = self.lin_diff(x_j - x_i)
''', "did you forget return?"),
    # The paper's slope written in instead of the argument.
    "ex3-logits": ('''def attention_logits(h, edge_index, W, a, negative_slope=0.2):
    F = W.size(0)
    wh = h @ W.T
    source, target = edge_index
    return nn.functional.leaky_relu(wh[target] @ a[:F] + wh[source] @ a[F:], 0.2)
''', "negative_slope=0.1"),
    # exp of the raw logits: exp(1000) is inf in float32, and inf / inf is NaN.
    "ex4-softmax": ('''def neighbourhood_softmax(logits, target, num_nodes):
    weights = torch.exp(logits)
    totals = scatter(weights, target, dim=0, dim_size=num_nodes, reduce="sum")
    return weights / totals[target]
''', "logits as large as 1000"),
    # The heads summed where they should be averaged: concatenation still earns its points.
    "ex5-gat-forward": ('''def gat_forward(x, edge_index, W, a_src, a_dst, concat=True):
    from torch_geometric.utils import remove_self_loops
    num_nodes, (H, F, _) = x.size(0), W.shape
    edge_index, _ = remove_self_loops(edge_index)
    edge_index, _ = add_self_loops(edge_index, num_nodes=num_nodes)
    source, target = edge_index
    wh = torch.einsum("hfi,ni->nhf", W, x)
    logits = nn.functional.leaky_relu((wh * a_src).sum(-1)[source] + (wh * a_dst).sum(-1)[target],
                                      0.2)
    alpha = softmax(logits, target, num_nodes=num_nodes)
    out = scatter(alpha.unsqueeze(-1) * wh[source], target, dim=0, dim_size=num_nodes,
                  reduce="sum")
    return out.reshape(num_nodes, H * F) if concat else out.sum(dim=1)
''', "the mean over heads, not their sum"),
}
