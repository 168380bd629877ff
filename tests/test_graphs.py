import numpy as np
import pytest
import scipy.sparse as sp
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_geometric.utils import get_laplacian, to_dense_adj, to_undirected

from graphcourse import graphs
from graphcourse.data import grid_graph, karate_club

TOL = 1e-5


def _path(n=4):
    """The path 0 - 1 - ... - (n-1), both directions."""
    line = torch.stack([torch.arange(n - 1), torch.arange(1, n)])
    return to_undirected(line)


def _random_graph(num_nodes, num_edges, seed):
    generator = torch.Generator().manual_seed(seed)
    edge_index = torch.randint(0, num_nodes, (2, num_edges), generator=generator)
    edge_index = edge_index[:, edge_index[0] != edge_index[1]]
    return to_undirected(edge_index, num_nodes=num_nodes)


def _reference(edge_index, n, normalization, edge_weight=None):
    index, weight = get_laplacian(edge_index, edge_weight, normalization, num_nodes=n)
    return to_dense_adj(index, edge_attr=weight, max_num_nodes=n)[0]


# --------------------------------------------------------------------------- Laplacians
def test_laplacian_by_hand_on_a_path():
    L = graphs.laplacian(_path(3), form="dense")
    assert L.tolist() == [[1.0, -1.0, 0.0], [-1.0, 2.0, -1.0], [0.0, -1.0, 1.0]]
    x = torch.tensor([1.0, 2.0, 4.0])
    # (L x)_v = D_v x_v - sum_{u in N(v)} x_u
    assert graphs.matmul(L, x).tolist() == [1.0 - 2.0, 2 * 2.0 - 1.0 - 4.0, 4.0 - 2.0]


@pytest.mark.parametrize("normalization", [None, "sym", "rw"])
@pytest.mark.parametrize("form", ["sparse", "csr", "dense", "scipy"])
def test_laplacian_matches_pyg(normalization, form):
    data = karate_club()
    L = graphs.laplacian(data.edge_index, 34, normalization=normalization, form=form)
    expected = _reference(data.edge_index, 34, normalization)
    assert (graphs.to_dense(L).float() - expected).abs().max() <= TOL
    if form == "scipy":
        assert sp.issparse(L)
    elif form == "sparse":
        assert L.layout == torch.sparse_coo
    elif form == "csr":
        assert L.layout == torch.sparse_csr


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 12), e=st.integers(0, 30), seed=st.integers(0, 10_000),
       normalization=st.sampled_from([None, "sym", "rw"]))
def test_laplacian_matches_pyg_weighted_random(n, e, seed, normalization):
    edge_index = torch.randint(0, n, (2, e), generator=torch.Generator().manual_seed(seed))
    weight = torch.rand(e, generator=torch.Generator().manual_seed(seed + 1)) + 0.1
    ours = graphs.laplacian(edge_index, n, weight, normalization, form="dense")
    assert (ours - _reference(edge_index, n, normalization, weight)).abs().max() <= TOL


def test_laplacian_properties():
    edge_index = _random_graph(10, 25, seed=3)
    L = graphs.laplacian(edge_index, 10, form="dense").double()
    assert torch.allclose(L, L.t())
    assert torch.allclose(L.sum(dim=1), torch.zeros(10, dtype=torch.float64))  # L 1 = 0
    assert torch.linalg.eigvalsh(L).min() > -1e-9  # positive semi-definite
    values = torch.linalg.eigvalsh(graphs.laplacian(edge_index, 10, normalization="sym",
                                                    form="dense").double())
    assert values.min() > -1e-9 and values.max() < 2 + 1e-9


def test_laplacian_isolated_nodes_and_self_loops():
    edge_index = torch.tensor([[0, 1, 2], [1, 0, 2]])  # node 2 has only a self-loop, node 3 none
    L = graphs.laplacian(edge_index, 4, normalization="sym", form="dense")
    assert L.diagonal().tolist() == [1.0, 1.0, 1.0, 1.0]
    assert (graphs.laplacian(edge_index, 4, form="dense").diagonal()).tolist() == [1, 1, 0, 0]


def test_scaled_laplacian():
    edge_index = karate_club().edge_index
    L = graphs.laplacian(edge_index, 34, normalization="sym", form="dense")
    scaled = graphs.scaled_laplacian(edge_index, 34, form="dense")
    assert torch.allclose(scaled, L - torch.eye(34), atol=TOL)  # default lambda_max = 2
    top = graphs.largest_eigenvalue(L)
    exact = graphs.scaled_laplacian(edge_index, 34, lambda_max=top, form="dense").double()
    values = torch.linalg.eigvalsh(exact)
    assert values.min() >= -1 - 1e-5 and abs(values.max() - 1) < 1e-5
    combinatorial = graphs.scaled_laplacian(edge_index, 34, normalization=None, form="dense")
    values = torch.linalg.eigvalsh(combinatorial.double())
    assert values.min() >= -1 - 1e-5 and values.max() <= 1 + 1e-5  # 2 max degree bounds it
    assert graphs.lambda_max_bound(edge_index, 34, normalization="sym") == 2.0
    assert graphs.lambda_max_bound(edge_index, 34, normalization=None) == 2.0 * 17


def test_largest_eigenvalue_sparse_path():
    edge_index = grid_graph(25, 25)
    L = graphs.laplacian(edge_index, 625, form="scipy")
    dense = torch.linalg.eigvalsh(graphs.to_dense(L))[-1]
    assert abs(graphs.largest_eigenvalue(L) - float(dense)) < 1e-6


# --------------------------------------------------------------------------- filters
def test_polynomial_filter_by_hand():
    L = graphs.laplacian(_path(3), form="dense")
    x = torch.tensor([1.0, 0.0, 0.0])
    out = graphs.polynomial_filter(L, x, [2.0, 1.0, 0.5])  # 2x + Lx + 0.5 L^2 x
    Lx = torch.tensor([1.0, -1.0, 0.0])
    L2x = torch.tensor([2.0, -3.0, 1.0])
    assert torch.allclose(out, 2 * x + Lx + 0.5 * L2x)


@pytest.mark.parametrize("form", ["sparse", "csr", "dense", "scipy"])
def test_polynomial_filter_forms_agree(form):
    edge_index = _random_graph(15, 40, seed=1)
    x = torch.randn(15, 3)
    weights = [0.5, -1.0, 0.25, 0.1]
    L = graphs.laplacian(edge_index, 15, normalization="sym", form=form)
    dense = graphs.laplacian(edge_index, 15, normalization="sym", form="dense")
    powers = sum(w * torch.linalg.matrix_power(dense, i) for i, w in enumerate(weights))
    assert (graphs.polynomial_filter(L, x, weights) - powers @ x).abs().max() <= TOL


def test_polynomial_filter_tensor_weights_get_gradients():
    L = graphs.laplacian(_path(5))
    weights = torch.tensor([1.0, 0.5, 0.25], requires_grad=True)
    graphs.polynomial_filter(L, torch.randn(5, 2), weights).sum().backward()
    assert weights.grad is not None and weights.grad.shape == (3,)


def test_polynomial_filter_never_densifies(monkeypatch):
    """The sparse path multiplies by L only; forming a dense matrix would call to_dense."""
    L = graphs.laplacian(grid_graph(30, 30), 900)

    def forbidden(*args, **kwargs):
        raise AssertionError("a dense matrix was formed")

    monkeypatch.setattr(torch.Tensor, "to_dense", forbidden)
    monkeypatch.setattr(torch, "matrix_power", forbidden)
    out = graphs.polynomial_filter(L, torch.randn(900, 2), [1, 1, 1, 1, 1, 1])
    assert out.shape == (900, 2)
    out = graphs.chebyshev_filter(L, torch.randn(900), [1, 1, 1, 1])
    assert out.shape == (900,)


def test_chebyshev_recurrence_matches_cosines():
    """T_k(cos t) = cos(k t): check the recurrence on a diagonal operator."""
    t = torch.linspace(0.1, 3.0, 7, dtype=torch.float64)
    D = torch.diag(torch.cos(t))
    terms = graphs.chebyshev_basis(D, torch.ones(7, dtype=torch.float64), 6)
    for k, term in enumerate(terms):
        assert torch.allclose(term, torch.cos(k * t))


@settings(max_examples=20, deadline=None)
@given(weights=st.lists(st.floats(-2, 2), min_size=1, max_size=6), seed=st.integers(0, 999),
       lambda_max=st.sampled_from([2.0, 3.5]))
def test_polynomial_and_chebyshev_bases_agree(weights, seed, lambda_max):
    edge_index = _random_graph(9, 20, seed)
    x = torch.randn(9, 2, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    L = graphs.laplacian(edge_index, 9, normalization="sym", dtype=torch.float64)
    scaled = graphs.scaled_laplacian(edge_index, 9, lambda_max=lambda_max, dtype=torch.float64)
    coefficients = graphs.polynomial_to_chebyshev(weights, lambda_max)
    assert len(coefficients) == len(weights)
    difference = graphs.polynomial_filter(L, x, weights) - graphs.chebyshev_filter(
        scaled, x, coefficients)
    assert difference.abs().max() <= 1e-8 * (1 + sum(abs(w) for w in weights) * 4 ** 6)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 14), e=st.integers(1, 35), seed=st.integers(0, 10_000),
       degree=st.integers(0, 4), normalization=st.sampled_from([None, "sym"]))
def test_locality(n, e, seed, degree, normalization):
    """(L^i)_{vu} = 0 when dist(v, u) > i, so a degree-d filter only mixes d-hop neighbours."""
    edge_index = _random_graph(n, e, seed)
    L = graphs.laplacian(edge_index, n, normalization=normalization)
    distance = graphs.hop_distances(edge_index, n)
    kernel = graphs.filter_matrix(L, [1.0] * (degree + 1))  # [N, N]
    assert bool((kernel[distance > degree] == 0).all())
    power = graphs.filter_matrix(L, [0.0] * degree + [1.0])  # exactly L^degree
    assert bool((power[distance > degree] == 0).all())


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 14), e=st.integers(0, 35), seed=st.integers(0, 10_000),
       normalization=st.sampled_from([None, "sym", "rw"]))
def test_filters_are_permutation_equivariant(n, e, seed, normalization):
    """f(P x) = P f(x) when the graph is relabelled by the same permutation P."""
    generator = torch.Generator().manual_seed(seed)
    edge_index = _random_graph(n, e, seed)
    x = torch.randn(n, 3, generator=generator, dtype=torch.float64)
    perm = torch.randperm(n, generator=generator)  # new node i is old node perm[i]
    inverse = torch.argsort(perm)
    permuted_edges = inverse[edge_index]
    weights = [0.3, -0.5, 0.2, 0.1]
    for build, apply in [(graphs.laplacian, graphs.polynomial_filter),
                         (graphs.scaled_laplacian, graphs.chebyshev_filter)]:
        before = apply(build(edge_index, n, normalization=normalization, dtype=torch.float64),
                       x, weights)
        after = apply(build(permuted_edges, n, normalization=normalization,
                            dtype=torch.float64), x[perm], weights)
        assert torch.allclose(after, before[perm], atol=1e-10)


# --------------------------------------------------------------------------- spectra
def test_eigs_dense_and_sparse_agree():
    edge_index = grid_graph(12, 15)
    L = graphs.laplacian(edge_index, 180, normalization="sym", form="scipy")
    dense_values, dense_vectors = graphs.laplacian_eigs(L, 10, method="dense",
                                                        dtype=torch.float64)
    values, vectors = graphs.laplacian_eigs(L, 10, method="sparse", dtype=torch.float64)
    assert torch.allclose(values, dense_values, atol=1e-8)
    assert torch.allclose(vectors.t() @ vectors, torch.eye(10, dtype=torch.float64), atol=1e-8)
    # Same subspace (the grid has repeated eigenvalues, so compare projections).
    assert torch.allclose(vectors @ vectors.t(), dense_vectors @ dense_vectors.t(), atol=1e-6)


def test_eigs_are_sorted_and_signs_fixed():
    L = graphs.laplacian(karate_club().edge_index, 34, form="dense")
    values, vectors = graphs.laplacian_eigs(L, dtype=torch.float64)
    assert bool((values[1:] >= values[:-1]).all()) and abs(float(values[0])) < 1e-9
    biggest = vectors.gather(0, vectors.abs().argmax(dim=0, keepdim=True))
    assert bool((biggest > 0).all())
    assert torch.allclose(vectors @ torch.diag(values) @ vectors.t(), L.double(), atol=1e-9)


def test_fourier_transform_round_trip_and_rayleigh():
    edge_index = karate_club().edge_index
    L = graphs.laplacian(edge_index, 34, dtype=torch.float64)
    values, U = graphs.laplacian_eigs(L, dtype=torch.float64)
    x = torch.randn(34, 2, dtype=torch.float64)
    assert torch.allclose(graphs.igft(graphs.gft(x, U), U), x)
    for k in (0, 1, 10, 33):
        assert abs(float(graphs.rayleigh_quotient(L, U[:, k])) - float(values[k])) < 1e-9
    # x^T L x = sum over undirected edges of (x_u - x_v)^2
    v = torch.randn(34, dtype=torch.float64)
    s, t = edge_index
    edges = (v[s] - v[t]).pow(2).sum() / 2
    assert torch.allclose(graphs.rayleigh_quotient(L, v), edges / v.pow(2).sum())
    assert graphs.rayleigh_quotient(L, torch.randn(34, 3, dtype=torch.float64)).shape == (3,)


def test_spectral_filter_equals_polynomial_filter():
    edge_index = karate_club().edge_index
    L = graphs.laplacian(edge_index, 34, normalization="sym", dtype=torch.float64)
    values, U = graphs.laplacian_eigs(L, dtype=torch.float64)
    x = torch.randn(34, 4, dtype=torch.float64)
    weights = [0.4, -0.3, 0.2]
    response = sum(w * values ** i for i, w in enumerate(weights))
    by_function = graphs.spectral_filter(x, values, U, lambda lam: 0.4 - 0.3 * lam + 0.2 * lam ** 2)
    by_values = graphs.spectral_filter(x, values, U, response)
    expected = graphs.polynomial_filter(L, x, weights)
    assert torch.allclose(by_function, expected) and torch.allclose(by_values, expected)


def test_low_pass_three_ways():
    """One filter, three ways: eigendecomposition, Chebyshev polynomial, message passing."""
    from graphcourse.nn import LowPassFilter

    edge_index = karate_club().edge_index
    x = torch.randn(34, 3)
    L = graphs.laplacian(edge_index, 34, normalization="sym")
    values, U = graphs.laplacian_eigs(L)
    spectral = graphs.spectral_filter(x, values, U, lambda lam: graphs.low_pass_response(lam, 4))
    coefficients = graphs.polynomial_to_chebyshev(graphs.low_pass_polynomial(4), 2.0)
    chebyshev = graphs.chebyshev_filter(graphs.scaled_laplacian(edge_index, 34), x, coefficients)
    message_passing = LowPassFilter(steps=4)(x, edge_index)
    assert (spectral - chebyshev).abs().max() <= TOL
    assert (spectral - message_passing).abs().max() <= TOL
    assert graphs.low_pass_polynomial(2, 0.5) == [1.0, -1.0, 0.25]


def test_hop_distances_on_a_path():
    distance = graphs.hop_distances(_path(4), 5)
    assert distance[0, :4].tolist() == [0, 1, 2, 3]
    assert distance[0, 4] == float("inf")


# --------------------------------------------------------------------------- bad input
def test_bad_input_names_the_argument():
    edge_index = _path(4)
    L = graphs.laplacian(edge_index, 4)
    with pytest.raises(ValueError, match="L: expected a square"):
        graphs.polynomial_filter(torch.zeros(3, 4), torch.zeros(3), [1.0])
    with pytest.raises(ValueError, match="L: expected a square"):
        graphs.rayleigh_quotient(sp.csr_matrix((3, 4)), torch.ones(3))
    with pytest.raises(TypeError, match="L: expected a torch tensor"):
        graphs.polynomial_filter(np.eye(4), torch.zeros(4), [1.0])
    with pytest.raises(ValueError, match="edge_weight: negative"):
        graphs.laplacian(edge_index, 4, torch.tensor([1.0, -1.0, 1.0, 1.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="edge_weight: expected 6"):
        graphs.laplacian(edge_index, 4, torch.ones(5))
    with pytest.raises(ValueError, match="degree: expected a polynomial degree >= 0"):
        graphs.chebyshev_basis(L, torch.zeros(4), -1)
    with pytest.raises(TypeError, match="degree: expected an int, got float"):
        graphs.chebyshev_basis(L, torch.zeros(4), 2.0)
    with pytest.raises(ValueError, match="x: has 3 rows but the operator has 4"):
        graphs.polynomial_filter(L, torch.zeros(3), [1.0])
    with pytest.raises(ValueError, match="x: has 5 rows"):
        graphs.chebyshev_filter(L, torch.zeros(5, 2), [1.0, 1.0])
    with pytest.raises(TypeError, match="x: expected a floating"):
        graphs.polynomial_filter(L, torch.zeros(4, dtype=torch.long), [1.0])
    with pytest.raises(ValueError, match="weights: expected at least one"):
        graphs.polynomial_filter(L, torch.zeros(4), [])
    with pytest.raises(TypeError, match="weights: expected a sequence"):
        graphs.polynomial_filter(L, torch.zeros(4), 3.0)
    with pytest.raises(ValueError, match="normalization"):
        graphs.laplacian(edge_index, 4, normalization="symmetric")
    with pytest.raises(ValueError, match="form"):
        graphs.laplacian(edge_index, 4, form="numpy")
    with pytest.raises(ValueError, match="edge_index: node id 3 is out of range"):
        graphs.laplacian(edge_index, 3)
    with pytest.raises(ValueError, match="lambda_max: expected a positive"):
        graphs.scaled_laplacian(edge_index, 4, lambda_max=0.0)
    with pytest.raises(ValueError, match="m: asked for 9"):
        graphs.laplacian_eigs(L, 9)
    with pytest.raises(ValueError, match="m: expected an int >= 1"):
        graphs.laplacian_eigs(L, 0)
    with pytest.raises(ValueError, match="x_hat: expected shape"):
        graphs.igft(torch.zeros(3), torch.zeros(4, 2))
    with pytest.raises(ValueError, match="eigenvectors: expected 2 columns"):
        graphs.spectral_filter(torch.zeros(4), torch.zeros(2), torch.zeros(4, 3), torch.ones(2))
    with pytest.raises(ValueError, match="response: expected 2 values"):
        graphs.spectral_filter(torch.zeros(4), torch.zeros(2), torch.zeros(4, 2), torch.ones(3))
    with pytest.raises(ValueError, match="x: the Rayleigh quotient is undefined"):
        graphs.rayleigh_quotient(L, torch.zeros(4))


@pytest.mark.parametrize("call, error, match", [
    (lambda: graphs.laplacian(_path(4), "4"), TypeError, "num_nodes: expected an int, got str"),
    (lambda: graphs.laplacian(_path(4), 4.0), TypeError, "num_nodes: expected an int, got float"),
    (lambda: graphs.laplacian(_path(4), -1), ValueError, "num_nodes: expected an int >= 0"),
    (lambda: graphs.hop_distances(_path(4), "4"), TypeError, "num_nodes: expected an int"),
    (lambda: graphs.scaled_laplacian(_path(4), 4, lambda_max="2"), TypeError,
     "lambda_max: expected a number, got str"),
    (lambda: graphs.polynomial_to_chebyshev([1.0, 2.0], lambda_max="2"), TypeError,
     "lambda_max: expected a number, got str"),
    (lambda: graphs.polynomial_to_chebyshev([1.0, 2.0], lambda_max=0.0), ValueError,
     "lambda_max: expected a positive number"),
    (lambda: graphs.spectral_filter(torch.zeros(4), torch.zeros(2), torch.zeros(4, 2),
                                    torch.tensor(1.0)), ValueError,
     r"response: expected 2 values .*got shape \[\]"),
    (lambda: graphs.spectral_filter(torch.zeros(4), torch.zeros(2), torch.zeros(4, 2),
                                    lambda lam: lam.sum()), ValueError,
     r"response: expected 2 values .*got shape \[\]"),
    (lambda: graphs.spectral_filter(torch.zeros(4), torch.zeros(2), torch.zeros(4, 2),
                                    torch.ones(2, 1, 1)), ValueError,
     r"response: expected 2 values .*got shape \[2, 1, 1\]"),
])
def test_scalar_and_response_errors_name_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_scaled_laplacian_accepts_a_scalar_tensor_lambda_max():
    edge_index = _path(4)
    expected = graphs.scaled_laplacian(edge_index, 4, lambda_max=3.0, form="dense")
    got = graphs.scaled_laplacian(edge_index, 4, lambda_max=torch.tensor(3.0), form="dense")
    assert torch.equal(got, expected)


# --------------------------------------------------------------------------- eigenspaces
def test_eigenspaces_group_repeated_eigenvalues():
    # The 4-cycle: D - A has eigenvalues 0, 2, 2, 4.
    cycle = to_undirected(torch.tensor([[0, 1, 2, 3], [1, 2, 3, 0]]))
    values, _ = graphs.laplacian_eigs(graphs.laplacian(cycle, 4), dtype=torch.float64)
    assert graphs.eigenspaces(values) == [range(0, 1), range(1, 3), range(3, 4)]
    assert graphs.eigenspaces(torch.tensor([0.0, 1.0, 2.0])) == [range(0, 1), range(1, 2),
                                                                  range(2, 3)]
    assert graphs.eigenspaces(torch.zeros(0)) == []
    assert graphs.eigenspaces(torch.tensor([0.0, 0.1, 0.2]), tol=0.15) == [range(0, 3)]
    with pytest.raises(ValueError, match="eigenvalues: expected them in ascending order"):
        graphs.eigenspaces(torch.tensor([1.0, 0.0]))
    with pytest.raises(ValueError, match="tol: expected a non-negative number"):
        graphs.eigenspaces(torch.tensor([0.0]), tol=-1.0)


def test_karate_sym_laplacian_has_eigenvalue_one_ten_times():
    """The fact behind chapter 02's counterexample: indices 12-21 share eigenvalue 1."""
    data = karate_club()
    L = graphs.laplacian(data.edge_index, 34, normalization="sym", dtype=torch.float64)
    values, _ = graphs.laplacian_eigs(L, dtype=torch.float64)
    repeated = [group for group in graphs.eigenspaces(values) if len(group) > 1]
    assert repeated == [range(12, 22)]
    assert abs(float(values[12]) - 1.0) < 1e-9 and abs(float(values[21]) - 1.0) < 1e-9
    assert float(values[22]) > 1.1


def test_square_grid_eigenspace_is_spanned_by_the_two_half_waves():
    """u_1 and u_2 of a square grid are some orthonormal pair in the span of the horizontal
    and the vertical half-wave; which pair depends on the solver, the span does not."""
    n = 6
    values, vectors = graphs.laplacian_eigs(graphs.laplacian(grid_graph(n, n), n * n),
                                            dtype=torch.float64)
    assert graphs.eigenspaces(values)[1] == range(1, 3)
    wave = torch.cos(torch.pi * (torch.arange(n, dtype=torch.float64) + 0.5) / n)
    horizontal = wave.repeat(n)  # pixel (r, c) = node r * n + c gets wave[c]
    vertical = wave.repeat_interleave(n)  # ... gets wave[r]
    pair = vectors[:, 1:3]
    for signal in (horizontal, vertical):
        signal = signal / signal.norm()
        assert abs(float((pair.t() @ signal).norm()) - 1.0) < 1e-9


def test_removing_one_karate_edge_shifts_the_eigenvector_numbering():
    """Node 20 shares its only neighbours 32 and 33 with nodes 14, 15, 18 and 22, which gives
    L = D - A the eigenvalue 2 five times (indices 9-13). Dropping edge 20 - 32 can only lower
    eigenvalues; one of the five falls to about 0.99, between the old lambda_2 and lambda_3,
    so the old u_3..u_8 reappear as the new u_4..u_9 (overlap at least 0.89), not as the new
    u_3..u_8."""
    data = karate_club()
    edge_index = data.edge_index
    keep = ~(((edge_index[0] == 20) & (edge_index[1] == 32))
             | ((edge_index[0] == 32) & (edge_index[1] == 20)))
    old_values, old = graphs.laplacian_eigs(graphs.laplacian(edge_index, 34),
                                            dtype=torch.float64)
    new_values, new = graphs.laplacian_eigs(graphs.laplacian(edge_index[:, keep], 34),
                                            dtype=torch.float64)
    neighbours = [sorted(edge_index[0, edge_index[1] == v].tolist()) for v in range(34)]
    assert [v for v in range(34) if neighbours[v] == [32, 33]] == [14, 15, 18, 20, 22]
    twos = [g for g in graphs.eigenspaces(old_values) if abs(float(old_values[g.start]) - 2) < 1e-9]
    assert twos == [range(9, 14)]
    assert int(((new_values - 2.0).abs() < 1e-9).sum()) == 4
    assert bool((new_values <= old_values + 1e-9).all())  # interlacing: nothing goes up
    assert float(old_values[2]) < float(new_values[3]) < float(old_values[3])
    assert abs(float(new_values[3]) - 0.99) < 0.005
    overlap = (old.t() @ new).abs()  # [34, 34]
    for k in range(3, 9):
        assert float(overlap[k, k + 1]) > 0.85
        assert float(overlap[k, k]) < 0.25


# --------------------------------------------------------------------------- silent-wrong cases
def test_numpy_ints_are_accepted_where_ints_are():
    edge_index = _path(4)
    expected = graphs.laplacian(edge_index, 4, form="dense")
    assert torch.equal(graphs.laplacian(edge_index, np.int64(4), form="dense"), expected)
    assert torch.equal(graphs.laplacian(edge_index, torch.tensor(4), form="dense"), expected)
    L = graphs.laplacian(edge_index, 4)
    assert len(graphs.chebyshev_basis(L, torch.ones(4), np.int32(2))) == 3
    values, _ = graphs.laplacian_eigs(L, np.int64(2))
    assert values.shape == (2,)


def test_infinite_lambda_max_is_refused_instead_of_giving_minus_identity():
    with pytest.raises(ValueError, match="lambda_max: expected a finite number, got inf"):
        graphs.scaled_laplacian(_path(4), 4, lambda_max=float("inf"))
    with pytest.raises(ValueError, match="lambda_max: expected a finite number"):
        graphs.polynomial_to_chebyshev([1.0, 1.0], lambda_max=float("inf"))


@pytest.mark.parametrize("form", ["dense", "sparse", "csr", "scipy"])
def test_eigh_needs_a_symmetric_operator(form):
    directed = torch.tensor([[0, 1, 2], [1, 2, 3]])  # one direction only: L is not symmetric
    L = graphs.laplacian(directed, 4, form=form)
    with pytest.raises(ValueError, match=r"L: expected a symmetric operator \(eigh needs"):
        graphs.laplacian_eigs(L)
    with pytest.raises(ValueError, match=r"L: expected a symmetric operator"):
        graphs.largest_eigenvalue(L)
    rw = graphs.laplacian(_path(4), 4, normalization="rw", form=form)
    with pytest.raises(ValueError, match=r"'rw' is not symmetric"):
        graphs.laplacian_eigs(rw)
    # float32 rounding in L_sym is not mistaken for asymmetry
    sym = graphs.laplacian(_random_graph(30, 90, 1), 30, normalization="sym", form=form)
    values, _ = graphs.laplacian_eigs(sym)
    assert float(values.max()) <= 2 + 1e-5


def test_float_node_ids_and_nan_weights_are_refused():
    with pytest.raises(TypeError, match="edge_index: expected an integer tensor"):
        graphs.laplacian(torch.tensor([[0.0, 1.7], [1.7, 0.0]]), 3)
    with pytest.raises(ValueError, match="edge_weight: expected finite values"):
        graphs.laplacian(_path(3), 3, torch.tensor([1.0, float("nan"), 1.0, 1.0]))
    with pytest.raises(ValueError, match=r"weights\[0\]: expected a number, got nan"):
        graphs.polynomial_filter(graphs.laplacian(_path(3), 3), torch.ones(3), [float("nan")])


def test_package_modules_re_export_the_same_functions():
    from graphcourse.graphs import filters, operators, spectrum

    assert graphs.polynomial_filter is filters.polynomial_filter
    assert graphs.laplacian is operators.laplacian
    assert graphs.gft is spectrum.gft and graphs.NORMALIZATIONS is operators.NORMALIZATIONS
