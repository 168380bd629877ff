import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch_geometric.nn import ChebConv

from graphcourse import graphs
from graphcourse.data import karate_club
from graphcourse.nn import ChebLayer, LowPassFilter, NodeClassifier, SpectralConv, spectral_basis
from harness import (
    assert_edge_order_invariant,
    assert_permutation_equivariant,
    copy_weights,
    random_graph,
)

TOL = 1e-5


# --------------------------------------------------------------------------- ChebLayer
@pytest.mark.parametrize("K", [1, 2, 3, 5])
@pytest.mark.parametrize("normalization", [None, "sym", "rw"])
def test_cheb_layer_matches_pyg_chebconv(K, normalization):
    x, edge_index = random_graph(7, 16, 4, K, directed=False)
    ours = ChebLayer(4, 3, K=K, normalization=normalization)
    torch.nn.init.normal_(ours.bias)  # a non-zero bias, so that it is checked too
    reference = copy_weights(ours, ChebConv(4, 3, K=K, normalization=normalization))
    assert (ours(x, edge_index) - reference(x, edge_index)).abs().max() <= TOL


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 12), e=st.integers(1, 30), seed=st.integers(0, 10_000),
       K=st.integers(1, 4), normalization=st.sampled_from([None, "sym", "rw"]),
       directed=st.booleans(), weighted=st.booleans())
def test_cheb_layer_parity_random(n, e, seed, K, normalization, directed, weighted):
    x, edge_index = random_graph(n, e, 3, seed, directed=directed)
    weight = (torch.rand(edge_index.size(1), generator=torch.Generator().manual_seed(seed)) + 0.5
              if weighted else None)
    reference = ChebConv(3, 2, K=K, normalization=normalization)
    ours = ChebLayer(3, 2, K=K, normalization=normalization)
    ours.load_state_dict(reference.state_dict())
    expected = reference(x, edge_index, weight).detach()
    got = ours(x, edge_index, weight).detach()
    if not bool(torch.isfinite(expected).all()):
        # PyG divides by lambda_max = 0 on a graph with no edges besides self-loops;
        # ours falls back to lambda_max = 1 and stays finite.
        assert bool(torch.isfinite(got).all())
        return
    scale = 1 + float(expected.abs().max())
    assert float((got - expected).abs().max()) <= TOL * scale


def test_cheb_layer_lambda_max_and_weights():
    x, edge_index = random_graph(7, 16, 4, 4, directed=False)
    weight = torch.rand(edge_index.size(1)) + 0.1
    reference = ChebConv(4, 2, K=3)
    ours = ChebLayer(4, 2, K=3)
    ours.load_state_dict(reference.state_dict())
    expected = reference(x, edge_index, weight, lambda_max=torch.tensor(1.7))
    assert (ours(x, edge_index, weight, lambda_max=1.7) - expected).abs().max() <= TOL


def test_cheb_layer_is_the_chebyshev_filter():
    """With one input and output channel and no bias, the layer is sum_k w_k T_k(L~) x."""
    x, edge_index = random_graph(7, 16, 1, 5, directed=False)
    layer = ChebLayer(1, 1, K=4, bias=False)
    weights = [float(lin.weight.detach()) for lin in layer.lins]
    scaled = graphs.scaled_laplacian(edge_index, 7)
    expected = graphs.chebyshev_filter(scaled, x, weights)
    assert (layer(x, edge_index) - expected).abs().max() <= TOL


def test_cheb_layer_cache_follows_the_graph():
    x, edge_index = random_graph(7, 16, 4, 6, directed=False)
    layer = ChebLayer(4, 2, K=3)
    first = layer(x, edge_index)
    other = torch.flip(edge_index[:, :4], dims=[0])
    reference = ChebConv(4, 2, K=3)
    reference.load_state_dict(layer.state_dict())
    assert (layer(x, other) - reference(x, other)).abs().max() <= TOL
    edge_index[:, :2] = torch.tensor([[0, 1], [1, 0]])  # in-place edit must not reuse the cache
    assert (layer(x, edge_index) - reference(x, edge_index)).abs().max() <= TOL
    assert first.shape == (7, 2)


def test_cheb_layer_gradients_repr_reset():
    x, edge_index = random_graph(7, 16, 4, 0, directed=False)
    layer = ChebLayer(4, 3, K=3)
    layer(x, edge_index).sum().backward()
    assert all(p.grad is not None for p in layer.parameters())
    assert repr(layer) == "ChebLayer(4, 3, K=3, normalization='sym')"
    with torch.no_grad():
        layer.bias.fill_(1.0)
    layer.reset_parameters()
    assert float(layer.bias.detach().abs().sum()) == 0.0
    assert len(list(ChebLayer(4, 3, K=2, bias=False).parameters())) == 2


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 12), e=st.integers(0, 30), seed=st.integers(0, 10_000))
def test_cheb_layer_is_permutation_equivariant(n, e, seed):
    x, edge_index = random_graph(n, e, 3, seed, directed=False)
    assert_permutation_equivariant(ChebLayer(3, 2, K=3), x, edge_index, seed=seed, atol=TOL)


@pytest.mark.parametrize("normalization", [None, "sym", "rw"])
@pytest.mark.parametrize("directed", [False, True])
def test_cheb_layer_ignores_the_order_of_the_edges(normalization, directed):
    x, edge_index = random_graph(8, 24, 4, 10, directed=directed)
    layer = ChebLayer(4, 3, K=3, normalization=normalization)
    assert_edge_order_invariant(layer, x, edge_index, atol=TOL)
    weight = torch.rand(edge_index.size(1), generator=torch.Generator().manual_seed(1)) + 0.5
    assert_edge_order_invariant(layer, x, edge_index, weight, atol=TOL)


def test_cheb_layer_bad_input():
    with pytest.raises(ValueError, match="K: expected an int >= 1"):
        ChebLayer(2, 2, K=0)
    with pytest.raises(ValueError, match="K: expected an int >= 1"):
        ChebLayer(2, 2, K=-1)
    with pytest.raises(ValueError, match="normalization"):
        ChebLayer(2, 2, K=2, normalization="both")
    with pytest.raises(TypeError, match="normalization: expected None, 'sym' or 'rw', got int"):
        ChebLayer(2, 2, K=2, normalization=1)
    with pytest.raises(TypeError, match="bias: expected True or False"):
        ChebLayer(2, 2, K=2, bias="no")
    layer = ChebLayer(4, 2, K=2)
    x, edge_index = random_graph(7, 16, 4, 0, directed=False)
    with pytest.raises(ValueError, match="edge_index: node id"):
        layer(x[:3], edge_index)
    with pytest.raises(ValueError, match="edge_weight: expected"):
        layer(x, edge_index, torch.ones(3))
    with pytest.raises(ValueError, match="edge_weight: negative"):
        layer(x, edge_index, -torch.ones(edge_index.size(1)))


# --------------------------------------------------------------------------- SpectralConv
def test_spectral_conv_formula():
    x, edge_index = random_graph(9, 20, 4, 2, directed=False)
    layer = SpectralConv(4, 3, m=5)
    torch.nn.init.normal_(layer.bias)
    L = graphs.laplacian(edge_index, 9, normalization="sym", dtype=torch.float64)
    _, U = graphs.laplacian_eigs(L, 5, dtype=torch.float64)
    theta = layer.theta.detach().double()
    out = layer(x, edge_index)
    assert out.shape == (9, 3)
    for o in range(3):  # every output channel: its own gains theta[:, i, o] and bias
        expected = sum(U @ torch.diag(theta[:, i, o]) @ U.t() @ x[:, i].double()
                       for i in range(4)) + float(layer.bias[o].detach())
        assert (out[:, o].double() - expected).abs().max() <= TOL


def test_spectral_conv_single_channel_is_a_spectral_filter():
    x, edge_index = random_graph(8, 16, 1, 3, directed=False)
    layer = SpectralConv(1, 1, m=8, bias=False)
    values, U = graphs.laplacian_eigs(graphs.laplacian(edge_index, 8, normalization="sym"))
    expected = graphs.spectral_filter(x, values, U, layer.theta.detach()[:, 0, 0])
    assert (layer(x, edge_index) - expected).abs().max() <= TOL


def test_spectral_basis_is_cached():
    _, edge_index = random_graph(7, 16, 4, 8, directed=False)
    first = spectral_basis(edge_index, 7, 3)
    assert spectral_basis(edge_index.clone(), 7, 3)[1] is first[1]
    assert spectral_basis(edge_index, 7, 4)[1] is not first[1]


@settings(max_examples=20, deadline=None)
@given(n=st.integers(4, 10), seed=st.integers(0, 10_000))
def test_spectral_conv_is_permutation_equivariant(n, seed):
    x, edge_index = random_graph(n, 3 * n, 3, seed, directed=False)
    m = n - 1
    values = torch.linalg.eigvalsh(graphs.laplacian(edge_index, n, normalization="sym",
                                                    form="dense").double())
    # Equivariance needs the kept eigenspaces to be well defined: distinct eigenvalues.
    assume(bool((values[1:] - values[:-1]).min() > 1e-3))
    assert_permutation_equivariant(SpectralConv(3, 2, m=m), x, edge_index, seed=seed, atol=1e-4)


def test_spectral_conv_ignores_the_order_of_the_edges():
    x, edge_index = random_graph(9, 20, 4, 2, directed=False)
    assert_edge_order_invariant(SpectralConv(4, 3, m=5), x, edge_index, atol=TOL)


@pytest.mark.parametrize("call, error, match", [
    (lambda e: spectral_basis(e, 7, 3, normalization="rw"), ValueError,
     "normalization: expected None or 'sym', got 'rw'; L_rw .* not symmetric"),
    (lambda e: spectral_basis(e, 7, 3, normalization=2), TypeError, "normalization"),
    (lambda e: spectral_basis(e, 7, 8), ValueError, "m: asked for 8 eigenpairs .* only 7 nodes"),
    (lambda e: spectral_basis(e, 7, 2.0), TypeError, "m: expected an int"),
    (lambda e: spectral_basis(e, 7.0, 2), TypeError, "num_nodes: expected an int"),
    (lambda e: spectral_basis(torch.tensor([[0, 1], [1, 2]]), 3, 2), ValueError,
     "edge_index: the graph is directed"),
])
def test_spectral_basis_refuses_what_gives_wrong_eigenpairs(call, error, match):
    _, edge_index = random_graph(7, 16, 4, 8, directed=False)
    with pytest.raises(error, match=match):
        call(edge_index)


def test_spectral_basis_eigenpairs_are_right():
    _, edge_index = random_graph(7, 16, 4, 8, directed=False)
    values, U = spectral_basis(edge_index, 7, 4)
    L = graphs.laplacian(edge_index, 7, normalization="sym", form="dense", dtype=torch.float64)
    assert (L @ U - U * values).abs().max() < 1e-9


def _karate_equivariance_error(layer, seeds=range(5)):
    """Largest |f(Px) - P f(x)| of a layer on the karate club over a few relabellings."""
    data = karate_club()
    x = torch.randn(34, layer.in_channels, generator=torch.Generator().manual_seed(0))
    worst = 0.0
    with torch.no_grad():
        for seed in seeds:
            perm = torch.randperm(34, generator=torch.Generator().manual_seed(seed))
            relabelled = torch.argsort(perm)[data.edge_index]
            gap = layer(x[perm], relabelled) - layer(x, data.edge_index)[perm]
            worst = max(worst, float(gap.abs().max()))
    return worst


def test_spectral_conv_equivariance_needs_simple_kept_eigenvalues():
    """Karate's L_sym has eigenvalue 1 at indices 12-21. m = 12 keeps simple eigenvalues only
    (equivariant); m = 22 keeps the whole repeated eigenspace, so lambda_21 != lambda_22, and
    still breaks equivariance, because each of the ten vectors has its own gain; sharing one
    gain within the eigenspace restores it."""
    torch.manual_seed(0)
    assert _karate_equivariance_error(SpectralConv(3, 3, m=12)) < 1e-4
    layer = SpectralConv(3, 3, m=22)
    assert _karate_equivariance_error(layer) > 0.1
    with torch.no_grad():
        layer.theta[12:22] = layer.theta[12].clone()  # one gain for the whole eigenspace
    assert _karate_equivariance_error(layer) < 1e-4
    with torch.no_grad():
        layer = SpectralConv(3, 3, m=21)  # the cut splits the eigenspace: shared gains fail
        layer.theta[12:21] = layer.theta[12].clone()
    assert _karate_equivariance_error(layer) > 0.1


def test_spectral_conv_depends_on_the_basis_of_a_repeated_eigenvalue():
    """Deterministic version of the failure: another valid eigenbasis of the same L (a
    rotation inside the eigenspace of 1) gives another operator U diag(g) U^T for scalar gains
    g that differ within the eigenspace."""
    data = karate_club()
    L = graphs.laplacian(data.edge_index, 34, normalization="sym", dtype=torch.float64)
    values, U = graphs.laplacian_eigs(L, 22, dtype=torch.float64)
    rotation, _ = torch.linalg.qr(torch.randn(10, 10, dtype=torch.float64,
                                              generator=torch.Generator().manual_seed(1)))
    V = U.clone()
    V[:, 12:22] = U[:, 12:22] @ rotation
    assert (L @ V - V * values).abs().max() < 1e-9  # V is an eigenbasis too
    assert (V.t() @ V - torch.eye(22, dtype=torch.float64)).abs().max() < 1e-9
    gains = torch.linspace(0.5, 2.0, 22, dtype=torch.float64)
    gap = U @ torch.diag(gains) @ U.t() - V @ torch.diag(gains) @ V.t()
    assert float(gap.abs().max()) > 0.01
    shared = gains.clone()
    shared[12:22] = 1.0
    same = U @ torch.diag(shared) @ U.t() - V @ torch.diag(shared) @ V.t()
    assert float(same.abs().max()) < 1e-9


def test_spectral_conv_repr_reset_and_errors():
    layer = SpectralConv(4, 3, m=5)
    assert repr(layer) == "SpectralConv(4, 3, m=5)"
    assert layer.theta.shape == (5, 4, 3)
    before = layer.theta.detach().clone()
    layer.reset_parameters()
    assert not torch.equal(before, layer.theta.detach())
    x, edge_index = random_graph(7, 16, 4, 0, directed=False)
    with pytest.raises(ValueError, match="fewer than m=8"):
        SpectralConv(4, 2, m=8)(x, edge_index)
    with pytest.raises(ValueError, match="m: expected an int >= 1"):
        SpectralConv(4, 2, m=0)
    with pytest.raises(ValueError, match="normalization"):
        SpectralConv(4, 2, m=2, normalization="rw")
    with pytest.raises(ValueError, match="x: expected a 2-D"):
        layer(torch.randn(7), edge_index)


# --------------------------------------------------------------------------- LowPassFilter
@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 12), e=st.integers(0, 30), seed=st.integers(0, 10_000),
       steps=st.integers(0, 5), alpha=st.sampled_from([0.25, 0.5, 1.0]))
def test_low_pass_three_ways_random(n, e, seed, steps, alpha):
    x, edge_index = random_graph(n, e, 2, seed, directed=False)
    x = x.double()
    L = graphs.laplacian(edge_index, n, normalization="sym", dtype=torch.float64)
    values, U = graphs.laplacian_eigs(L, dtype=torch.float64)
    spectral = graphs.spectral_filter(x, values, U,
                                      lambda lam: graphs.low_pass_response(lam, steps, alpha))
    scaled = graphs.scaled_laplacian(edge_index, n, dtype=torch.float64)
    coefficients = graphs.polynomial_to_chebyshev(graphs.low_pass_polynomial(steps, alpha))
    chebyshev = graphs.chebyshev_filter(scaled, x, coefficients)
    message_passing = LowPassFilter(steps, alpha)(x, edge_index)
    assert (spectral - chebyshev).abs().max() <= TOL
    assert (spectral - message_passing).abs().max() <= TOL


def test_low_pass_filter_smooths_and_repr():
    data = karate_club()
    x = torch.randn(34)
    L = graphs.laplacian(data.edge_index, 34, normalization="sym")
    smooth = LowPassFilter(steps=3)(x, data.edge_index)
    assert smooth.shape == (34,)
    assert graphs.rayleigh_quotient(L, smooth) < graphs.rayleigh_quotient(L, x)
    assert torch.equal(LowPassFilter(steps=0)(x, data.edge_index), x)
    assert repr(LowPassFilter(2)) == "LowPassFilter(steps=2, alpha=0.5)"
    with pytest.raises(ValueError, match="alpha"):
        LowPassFilter(2, alpha=0.0)
    with pytest.raises(ValueError, match="steps: expected an int >= 0"):
        LowPassFilter(-1)


# --------------------------------------------------------------------------- training
@pytest.mark.parametrize("factory", [lambda i, o: ChebLayer(i, o, K=2),
                                     lambda i, o: SpectralConv(i, o, m=10)])
def test_layers_train_on_karate(factory):
    from graphcourse import train

    train.set_seed(0)
    data = karate_club()
    model = NodeClassifier(34, 8, 4, layer=factory)
    history = train.train_nodes(model, data, epochs=30)
    assert history.loss[-1] < history.loss[0]
    assert history.last("train") == 1.0


def test_cheb_and_spectral_layers_name_bad_features():
    x, edge_index = random_graph(7, 16, 5, 0, directed=False)
    with pytest.raises(ValueError, match=r"x: expected 4 features per node .*got 5"):
        ChebLayer(4, 3, K=3)(x, edge_index)
    with pytest.raises(ValueError, match=r"x: expected 4 features per node .*got 5"):
        SpectralConv(4, 3, m=3)(x, edge_index)
    x, edge_index = random_graph(7, 16, 4, 0, directed=False)
    with pytest.raises(TypeError, match="x: expected dtype torch.float32"):
        ChebLayer(4, 3, K=3)(x.double(), edge_index)
    with pytest.raises(TypeError, match="x: expected dtype torch.float32"):
        SpectralConv(4, 3, m=3)(x.double(), edge_index)


@pytest.mark.parametrize("lambda_max, error, match", [
    ("2.0", TypeError, "lambda_max: expected a number, got str"),
    (0.0, ValueError, "lambda_max: expected a positive number"),
])
def test_cheb_layer_bad_lambda_max(lambda_max, error, match):
    x, edge_index = random_graph(7, 16, 4, 0, directed=False)
    with pytest.raises(error, match=match):
        ChebLayer(4, 3, K=3)(x, edge_index, lambda_max=lambda_max)


@pytest.mark.parametrize("features", [None, 3])
def test_low_pass_filter_ignores_edge_order_and_is_equivariant(features):
    x, edge_index = random_graph(9, 20, features or 1, 11, directed=False)
    x = x if features else x[:, 0]  # [N, F] or [N]
    assert_edge_order_invariant(LowPassFilter(3), x, edge_index, atol=TOL)
    assert_permutation_equivariant(LowPassFilter(3), x, edge_index, atol=TOL)


def test_low_pass_filter_bad_input():
    x, edge_index = random_graph(7, 16, 2, 0, directed=False)
    with pytest.raises(ValueError, match=r"x: expected shape \[N\] or \[N, F\]"):
        LowPassFilter(2)(x[None], edge_index)
    with pytest.raises(ValueError, match="edge_index: node id 6 is out of range"):
        LowPassFilter(2)(x[:6], edge_index)
    with pytest.raises(TypeError, match="x: expected a floating-point tensor"):
        LowPassFilter(2)(x.long(), edge_index)


def test_low_pass_filter_alpha_type():
    with pytest.raises(TypeError, match="alpha: expected a number, got str"):
        LowPassFilter(2, alpha="0.5")
    with pytest.raises(ValueError, match=r"alpha: expected a number in \(0, 1\]"):
        LowPassFilter(2, alpha=1.5)
