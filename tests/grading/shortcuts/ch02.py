"""Chapter 02 answered through the package or ruled-out library functions: each such exercise
scores 0.

Exercise 6 (train and compare) has no finished twin in the package: it is built from the
chapter's layers and the course's training helper, which the statement asks for.
"""
SHORTCUTS = {
    # The library one-liner: PyG's get_laplacian (ruled out by the statement).
    "ex1-laplacian": '''def laplacian_dense(edge_index, num_nodes):
    from torch_geometric.utils import get_laplacian, to_dense_adj
    index, weight = get_laplacian(edge_index, num_nodes=num_nodes)
    return to_dense_adj(index, edge_attr=weight, max_num_nodes=num_nodes)[0]
''',
    # Dense powers: Tensor.to_dense and torch.linalg.matrix_power (both ruled out).
    "ex2-poly-filter": '''def poly_filter(L, x, weights):
    dense = L.to_dense() if L.layout != torch.strided else L
    return sum(w * torch.linalg.matrix_power(dense, i) @ x for i, w in enumerate(weights))
''',
    # The package's Chebyshev basis, reached through a closure.
    "ex3-chebyshev": '''def _make_filter():
    import graphcourse.graphs
    basis = graphcourse.graphs.chebyshev_basis

    def cheb_filter(L_tilde, x, weights):
        terms = basis(L_tilde, x, len(weights) - 1)
        return sum(w * term for w, term in zip(weights, terms))

    return cheb_filter


cheb_filter = _make_filter()
''',
    # The package's graph Fourier transform and its inverse, under other names.
    "ex4-spectral-filter": '''from graphcourse.graphs import gft as _to_spectrum, igft as _to_nodes

def spectral_filter_x(x, U, gains):
    return _to_nodes(gains.unsqueeze(1) * _to_spectrum(x, U), U)
''',
    # The layer's forward through the package's transforms.
    "ex5-spectral-layer": '''class SpectralLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, m):
        super().__init__()
        self.theta = torch.nn.Parameter(0.1 * torch.randn(m, in_channels, out_channels))
        self.bias = torch.nn.Parameter(torch.zeros(out_channels))

    def forward(self, x, U):
        from graphcourse import graphs
        y_hat = torch.einsum("ki,kio->ko", graphs.gft(x, U), self.theta)
        return graphs.igft(y_hat, U) + self.bias
''',
}
