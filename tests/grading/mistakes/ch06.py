"""Chapter 06's usual mistakes: each fails its visible test, and grading names the case."""

MISTAKES = {
    # Powers counted from 0: the first column is the identity's diagonal (all 1s), and every
    # column is shifted by one step.
    "ex1-rwpe": ('''def random_walk_pe(edge_index, num_nodes, dim):
    adjacency = torch.zeros(num_nodes, num_nodes)
    adjacency[edge_index[0], edge_index[1]] = 1.0
    step = adjacency / adjacency.sum(dim=1, keepdim=True).clamp(min=1.0)
    columns, power = [], torch.eye(num_nodes)
    for _ in range(dim):
        columns.append(power.diagonal())
        power = power @ step
    return torch.stack(columns, dim=1)
''', "after ONE step"),
    # One hop too many: the depth test comes after the neighbours are added.
    "ex2-khop": ('''def khop_nodes(edge_index, num_nodes, center, k):
    neighbours = [[] for _ in range(num_nodes)]
    for source, target in edge_index.t().tolist():
        neighbours[source].append(target)
    hops = {center: 0}
    queue = [center]
    for node in queue:
        if hops[node] > k:
            continue
        for other in neighbours[node]:
            if other not in hops:
                hops[other] = hops[node] + 1
                queue.append(other)
    return torch.tensor(sorted(n for n, h in hops.items() if h <= k + 1), dtype=torch.long)
''', "k = 1: the centre and its two neighbours"),
    # Values from the structure s instead of the features x.
    "ex3-attention": ('''def sat_attention(x, s, w_q, w_k, w_v):
    q, k, v = s @ w_q, s @ w_k, s @ w_v
    weights = torch.softmax(q @ k.t() / math.sqrt(q.size(-1)), dim=-1)
    return weights @ v, weights
''', "values from x"),
    # The paper's 1/sqrt(deg): an isolated node gets an infinite factor.
    "ex4-residual": ('''def degree_scaled_residual(x, attended, edge_index):
    degree = torch.bincount(edge_index[0], minlength=x.size(0)).to(x.dtype)
    return x + attended / torch.sqrt(degree)[:, None]
''', "not 1/sqrt(0)"),
    # Mean pooling over the k-hop subgraph instead of the sum (written in one piece, so that
    # the other exercises' mistakes above do not decide which case fails first).
    "ex5-layer": ('''def sat_layer_k(x, edge_index, k, w_q, w_k, w_v):
    num_nodes = x.size(0)
    reach = torch.eye(num_nodes)
    step = torch.eye(num_nodes)
    step[edge_index[0], edge_index[1]] = 1.0
    for _ in range(k):
        reach = ((reach @ step) > 0).float()
    s = (reach @ x) / reach.sum(dim=1, keepdim=True)
    q, key, v = s @ w_q, s @ w_k, x @ w_v
    weights = torch.softmax(q @ key.t() / math.sqrt(q.size(-1)), dim=-1)
    degree = torch.bincount(edge_index[0], minlength=num_nodes).to(x.dtype)
    return x + (weights @ v) / torch.sqrt(1.0 + degree)[:, None]
''', "the SUM of x over"),
}
