"""Chapter 01 answered through the package or ruled-out library functions: every such
exercise scores 0."""
SHORTCUTS = {
    # networkx builds the edge list (the statement rules networkx graphs out).
    "ex1-edge-index": '''def edge_index_from_adjlist(adjacency):
    import networkx as nx
    pairs = list(nx.DiGraph(adjacency).edges())
    return torch.tensor(pairs, dtype=torch.long).view(-1, 2).t()
''',
    # PyG relabels through subgraph(..., relabel_nodes=True) (ruled out by the statement).
    "ex2-relabel": '''def relabel(edge_index, perm):
    from torch_geometric.utils import subgraph
    kept, _ = subgraph(torch.argsort(perm), edge_index, relabel_nodes=True,
                       num_nodes=perm.numel())
    return kept
''',
    # The library one-liner: PyG's scatter with reduce="mean".
    "ex3-mean": '''from torch_geometric.utils import scatter as _pyg_scatter

def mean_aggregate(x, edge_index):
    return _pyg_scatter(x[edge_index[0]], edge_index[1], 0, dim_size=x.size(0), reduce="mean")
''',
    # A subclass of the package's finished GraphSAGE layer.
    "ex4-sage": '''class SAGEMean(gcnn.SAGELayer):
    def __init__(self, in_channels, out_channels):
        super().__init__(in_channels, out_channels, aggr="mean")
''',
    # The package's accuracy under another name.
    "ex5-accuracy": '''from graphcourse.metrics import accuracy as _course_accuracy

def masked_accuracy(logits, y, mask):
    return _course_accuracy(logits, y, mask)
''',
    # The course's training loop, reached through a closure.
    "ex6-train": '''def _make_trainer():
    from graphcourse.train import train_nodes as loop

    def train_node_model(data, epochs=100, lr=0.01):
        torch.manual_seed(0)
        model = gcnn.NodeClassifier(data.num_node_features, 32, int(data.y.max()) + 1,
                                    layer="sage")
        loop(model, data, epochs=epochs, lr=lr, desc="shortcut")
        return model.eval()

    return train_node_model


train_node_model = _make_trainer()
''',
}
