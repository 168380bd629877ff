"""Chapter 05's usual mistakes: each fails its visible test, and grading names the case."""

MISTAKES = {
    # Distances start at 0 instead of 510: pairs with no path read as distance 0, "the same
    # node", which the spatial bias would then treat as the closest pair of all.
    "ex1-spd": ('''def spd_matrix(edge_index, num_nodes):
    neighbours = [[] for _ in range(num_nodes)]
    for source, target in edge_index.t().tolist():
        neighbours[source].append(target)
    distance = torch.zeros(num_nodes, num_nodes, dtype=torch.long)
    for start in range(num_nodes):
        seen = {start: 0}
        queue = [start]
        for node in queue:
            for other in neighbours[node]:
                if other not in seen:
                    seen[other] = seen[node] + 1
                    queue.append(other)
        for node, d in seen.items():
            distance[start, node] = d
    return distance
''', "UNREACHABLE = 510"),
    # Far pairs clipped to the last row of the table instead of masked: they keep a weight.
    "ex2-bias": ('''def spatial_bias(distance, table):
    looked_up = table[distance.clamp(max=table.size(0) - 1)]
    return looked_up.permute(2, 0, 1)
''', "3 hops apart"),
    # In- and out-degree swapped: right on undirected graphs, wrong as soon as edges have a
    # direction.
    "ex3-centrality": ('''def centrality_input(h, edge_index, z_in, z_out):
    num_nodes = h.size(0)
    in_degree = torch.bincount(edge_index[0], minlength=num_nodes)
    out_degree = torch.bincount(edge_index[1], minlength=num_nodes)
    return h + z_in[in_degree] + z_out[out_degree]
''', "in-degree counts edges INTO"),
    # Divided by the full path length instead of the capped one.
    "ex4-edge": ('''def edge_path_encoding(edge_attr, path, table, hop_weights, max_hops):
    heads = table.size(1)
    if not path:
        return torch.zeros(heads)
    total = torch.zeros(heads)
    for hop, edge in enumerate(path[:max_hops]):
        total = total + table[edge_attr[edge]].mean(dim=0) @ hop_weights[hop]
    return total / len(path)
''', "divided by 2, not 3"),
    # The virtual node treated as a neighbour of every node: it gets the distance-1 bias.
    "ex5-attention": ('''def attention_with_virtual_node(h, vn, distance, table, t, w_q, w_k, w_v):
    tokens = torch.cat([vn[None], h], dim=0)
    q, k, v = tokens @ w_q, tokens @ w_k, tokens @ w_v
    size = table.size(0)
    bias = torch.full((tokens.size(0), tokens.size(0)), float(table[min(1, size - 1)]))
    bias[1:, 1:] = table[distance.clamp(max=size - 1)].masked_fill(distance >= size,
                                                                   float("-inf"))
    weights = torch.softmax(q @ k.t() / math.sqrt(q.size(-1)) + bias, dim=-1)
    return weights @ v, weights
''', "not the distance-1 bias"),
}
