"""Chapter 02's usual mistakes: each fails its visible test, and grading names the case."""

MISTAKES = {
    # The sign flipped: A - D puts the degrees on the diagonal with a minus sign.
    "ex1-laplacian": ('''def laplacian_dense(edge_index, num_nodes):
    A = torch.zeros(num_nodes, num_nodes)
    A[edge_index[0], edge_index[1]] = 1.0
    return A - torch.diag(A.sum(dim=1))
''', "L = D - A on the path 0 - 1 - 2"),
    # Off by one power: L is applied before the first weight is used, so w_i goes with
    # L^(i+1) x and the w_0 x term is lost.
    "ex2-poly-filter": ('''def poly_filter(L, x, weights):
    z = x
    out = torch.zeros_like(x)
    for w in weights:
        z = L @ z
        out = out + w * z
    return out
''', "weights[i] goes with L^i x"),
    # The recurrence without its factor 2: T_k = L~ T_{k-1} - T_{k-2} is not Chebyshev's.
    "ex3-chebyshev": ('''def cheb_filter(L_tilde, x, weights):
    previous, current = None, x
    out = weights[0] * x
    for k, w in enumerate(weights[1:], start=1):
        if k == 1:
            previous, current = current, L_tilde @ current
        else:
            previous, current = current, L_tilde @ current - previous
        out = out + w * current
    return out
''', "T_3(L~) x on a diagonal L~"),
    # gains [m] times x^ [m, F] without unsqueeze: the gains broadcast along the feature
    # columns instead of the frequencies.
    "ex4-spectral-filter": ('''def spectral_filter_x(x, U, gains):
    x_hat = U.T @ x
    return U @ (gains * x_hat)
''', "low-pass on two nodes"),
    # The bias is created in __init__ but never added.
    "ex5-spectral-layer": ('''class SpectralLayer(torch.nn.Module):
    """Spectral convolution on given eigenvectors: x [N, F_in], U [N, m] -> [N, F_out]."""

    def __init__(self, in_channels, out_channels, m):
        super().__init__()
        self.theta = torch.nn.Parameter(0.1 * torch.randn(m, in_channels, out_channels))
        self.bias = torch.nn.Parameter(torch.zeros(out_channels))

    def forward(self, x, U):
        x_hat = U.T @ x
        return U @ torch.einsum("ki,kio->ko", x_hat, self.theta)
''', "bias b = 0.1"),
    # The best validation accuracy reported instead of the last epoch's test accuracy (on the
    # karate club, which has no validation split, it even raises a KeyError).
    "ex6-compare": ('''def compare_filters(data, epochs):
    from torch_geometric.nn import GCNConv

    layers = {"no graph": lambda i, o: gcnn.ChebLayer(i, o, K=1),
              "ChebNet": lambda i, o: gcnn.ChebLayer(i, o, K=3),
              "GCN": lambda i, o: GCNConv(i, o)}
    results = {}
    for name, layer in layers.items():
        train.set_seed()
        model = gcnn.NodeClassifier(data.num_node_features, 16, int(data.y.max()) + 1,
                                    layer=layer)
        history = train.train_nodes(model, data, epochs=epochs, device=device)
        results[name] = (model, history.best("val"))
    return results
''', "test accuracy after the last epoch"),
}
