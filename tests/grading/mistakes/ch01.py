"""Chapter 01's usual mistakes: each fails its visible test, and grading names the case."""

MISTAKES = {
    # The rows swapped: targets first. The same edge set on an undirected graph such as the
    # star, so only a directed graph tells them apart.
    "ex1-edge-index": ('''def edge_index_from_adjlist(adjacency):
    sources = [int(node) for node, targets in adjacency.items() for _ in targets]
    targets = [int(t) for targets in adjacency.values() for t in targets]
    return torch.tensor([targets, sources], dtype=torch.long).view(2, -1)
''', "the directed chain"),
    # The edge direction reversed while relabelling: right on an undirected path only.
    "ex2-relabel": ('''def relabel(edge_index, perm):
    return perm[edge_index.flip(0)]
''', "with perm = [1, 3, 0, 2]"),
    # Dense instead of sparse: an adjacency matrix filled by assignment, so an edge listed
    # twice counts once (and the matrix costs N^2 memory).
    "ex3-mean": ('''def mean_aggregate(x, edge_index):
    sources, targets = edge_index
    A = torch.zeros(x.size(0), x.size(0), dtype=x.dtype)
    A[targets, sources] = 1.0
    return A @ x / A.sum(dim=1, keepdim=True).clamp(min=1)
''', "listed twice (it counts twice)"),
    # The neighbour mean first and the node's own features second: SAGEConv's weights then act
    # on the wrong halves.
    "ex4-sage": ('''class SAGEMean(torch.nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.lin = torch.nn.Linear(2 * in_channels, out_channels)

    def forward(self, x, edge_index):
        neighbours = gcnn.mean_aggregate(x, edge_index)
        return self.lin(torch.cat([neighbours, x], dim=-1))
''', "x first, then the neighbour mean"),
    # A one-element tensor where the statement asks for a Python float.
    "ex5-accuracy": ('''def masked_accuracy(logits, y, mask):
    predictions = logits.argmax(dim=-1)
    return (predictions[mask] == y[mask]).float().mean()
''', "a Python float"),
    # The loss on every node: the model learns, but from labels it should never see. It keeps
    # the points of part one and loses part two.
    "ex6-train": ('''def train_node_model(data, epochs=100, lr=0.01):
    torch.manual_seed(0)
    num_classes = int(data.y.max()) + 1
    model = gcnn.NodeClassifier(data.num_node_features, 32, num_classes, layer="sage")
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=5e-4)
    model.train()
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(data.x, data.edge_index), data.y)
        loss.backward()
        optimizer.step()
    return model.eval()
''', "labels outside train_mask"),
}
