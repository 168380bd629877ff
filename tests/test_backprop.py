"""graphcourse.nn.backprop: the backpropagation equations by hand against autograd."""

import pytest
import torch

from graphcourse.nn import backprop


def _params(features=5, hidden=4, out=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    return {"W1": torch.randn(hidden, features, generator=g, dtype=torch.float64),
            "b1": torch.randn(hidden, generator=g, dtype=torch.float64),
            "W2": torch.randn(out, hidden, generator=g, dtype=torch.float64),
            "b2": torch.randn(out, generator=g, dtype=torch.float64)}


def _batch(batch=6, features=5, out=3, seed=1):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, features, generator=g, dtype=torch.float64)
    y = torch.rand(batch, out, generator=g, dtype=torch.float64)
    return x, y


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_gradients_equal_autograd(loss):
    params = _params()
    x, y = _batch()
    leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    backprop.two_layer_loss(x, y, leaves, loss).backward()
    ours = backprop.two_layer_gradients(x, y, params, loss)
    for key in backprop.PARAM_NAMES:
        assert ours["d" + key].shape == params[key].shape
        torch.testing.assert_close(ours["d" + key], leaves[key].grad, atol=1e-6, rtol=0)


def test_loss_is_the_stated_formula():
    params = _params()
    x, y = _batch()
    a = backprop.two_layer(x, params).a2
    mse = backprop.two_layer_loss(x, y, params, "mse")
    assert float(mse) == pytest.approx(float(0.5 * ((a - y) ** 2).sum() / len(x)))
    bce = backprop.two_layer_loss(x, y, params, "bce")
    by_hand = -(y * a.log() + (1 - y) * (1 - a).log()).sum() / len(x)
    assert float(bce) == pytest.approx(float(by_hand))


def test_forward_by_hand():
    params = {"W1": torch.tensor([[1.0, -1.0]]), "b1": torch.tensor([0.5]),
              "W2": torch.tensor([[2.0]]), "b2": torch.tensor([-1.0])}
    out = backprop.two_layer(torch.tensor([[2.0, 1.0]]), params)
    assert float(out.z1) == pytest.approx(1.5)  # 2 - 1 + 0.5
    assert float(out.z2) == pytest.approx(2 * float(torch.sigmoid(torch.tensor(1.5))) - 1)
    assert out.a2.shape == (1, 1)


def test_cross_entropy_cancels_the_sigmoid_derivative():
    z = torch.tensor([[-6.0, 0.0, 6.0]])
    a, y = torch.sigmoid(z), torch.tensor([[1.0, 1.0, 0.0]])
    mse = backprop.output_delta(a, y, z, "mse")
    bce = backprop.output_delta(a, y, z, "bce")
    torch.testing.assert_close(bce, a - y)
    torch.testing.assert_close(mse, (a - y) * backprop.sigmoid_prime(z))
    # A saturated, badly wrong unit (z = -6 with target 1): MSE's delta is ~400x smaller.
    assert abs(float(bce[0, 0])) / abs(float(mse[0, 0])) > 300
    assert float(backprop.sigmoid_prime(torch.tensor(0.0))) == pytest.approx(0.25)


def test_gradients_equal_autograd_where_the_outputs_saturate():
    # Large weights drive the outputs to 0 or 1; the hand-derived delta a - y must still match.
    params = {key: 8.0 * value for key, value in _params().items()}
    x, y = _batch()
    y = (y > 0.5).to(y.dtype)  # hard targets: some outputs are saturated and wrong
    leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    backprop.two_layer_loss(x, y, leaves, "bce").backward()
    ours = backprop.two_layer_gradients(x, y, params, "bce")
    for key in backprop.PARAM_NAMES:
        torch.testing.assert_close(ours["d" + key], leaves[key].grad, atol=1e-6, rtol=0)
