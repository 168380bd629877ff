"""Chapter 06 answered through the package or ruled-out library functions: every such exercise
scores 0."""

SHORTCUTS = {
    # the package's finished encoding, imported under the exercise's own name
    "ex1-rwpe": '''from graphcourse.graphs import random_walk_pe
''',
    # the library's k-hop search that the statement rules out, kept in a closure
    "ex2-khop": '''def _make():
    from torch_geometric.utils import k_hop_subgraph as search

    def khop_nodes(edge_index, num_nodes, center, k):
        return search(int(center), k, edge_index, num_nodes=num_nodes)[0].sort().values
    return khop_nodes


khop_nodes = _make()
''',
    # torch's fused attention, reached through an alias
    "ex3-attention": '''def sat_attention(x, s, w_q, w_k, w_v):
    import torch.nn.functional as fn

    q, k, v = s @ w_q, s @ w_k, x @ w_v
    out = fn.scaled_dot_product_attention(q[None], k[None], v[None])[0]
    weights = torch.softmax(q @ k.t() / math.sqrt(q.size(-1)), dim=-1)
    return out, weights
''',
    # the library degree count that the statement rules out
    "ex4-residual": '''def degree_scaled_residual(x, attended, edge_index):
    from torch_geometric.utils import degree as count

    deg = count(edge_index[0], x.size(0), dtype=x.dtype)
    return x + attended / (1 + deg).sqrt()[:, None]
''',
    # a subclass of the package's k-subgraph machinery: its k-hop subgraphs give the structure
    "ex5-layer": '''def sat_layer_k(x, edge_index, k, w_q, w_k, w_v):
    from graphcourse.nn import sat_extractors

    class Mine(sat_extractors.KHopSubgraphs):
        pass

    n = x.size(0)
    if k == 0:
        s = x
    else:
        parts = Mine(*sat_extractors.khop_subgraphs(edge_index, n, k))
        s = torch.zeros_like(x).index_add_(0, parts.center, x[parts.node_index])
    q, key, v = s @ w_q, s @ w_k, x @ w_v
    weights = torch.softmax(q @ key.t() / math.sqrt(q.size(-1)), dim=-1)
    deg = torch.bincount(edge_index[0], minlength=n).to(x.dtype)
    return x + (weights @ v) / (1 + deg).sqrt()[:, None]
''',
}
