"""graphcourse.nn.likelihoods against torch.distributions and torch.nn.functional."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

from graphcourse.nn import likelihoods as lk

G = torch.Generator().manual_seed(0)
MEAN, X = torch.randn(5, 7, generator=G), torch.rand(5, 7, generator=G)
MU, LOGVAR = torch.randn(4, 3, generator=G), torch.randn(4, 3, generator=G)


@pytest.mark.parametrize("sigma", [1.0, 0.3])
def test_gaussian_nll_is_normal_log_prob(sigma):
    expected = -Normal(MEAN, sigma).log_prob(X).sum(1).mean()
    torch.testing.assert_close(lk.gaussian_nll(MEAN, X, sigma), expected)


def test_gaussian_nll_with_a_tensor_sigma():
    sigma = torch.rand(7, generator=G) + 0.1
    expected = -Normal(MEAN, sigma).log_prob(X).sum(1).mean()
    torch.testing.assert_close(lk.gaussian_nll(MEAN, X, sigma), expected)


def test_gaussian_nll_without_constant_is_scaled_mse():
    ours = lk.gaussian_nll(MEAN, X, 0.5, constant=False)
    torch.testing.assert_close(ours, F.mse_loss(MEAN, X) * 7 / (2 * 0.25))
    full = lk.gaussian_nll(MEAN, X, 0.5)
    torch.testing.assert_close(full - ours, torch.tensor(7 * (math.log(0.5)
                                                              + 0.5 * math.log(2 * math.pi))))


def test_bernoulli_nll_is_bce_with_logits():
    expected = F.binary_cross_entropy_with_logits(MEAN, X, reduction="sum") / 5
    torch.testing.assert_close(lk.bernoulli_nll(MEAN, X), expected)
    binary = (X > 0.5).float()
    by_dist = -torch.distributions.Bernoulli(logits=MEAN).log_prob(binary).sum(1).mean()
    torch.testing.assert_close(lk.bernoulli_nll(MEAN, binary), by_dist)


def test_closed_form_kl_equals_torch_distributions():
    q = Normal(MU, torch.exp(0.5 * LOGVAR))
    p = Normal(torch.zeros_like(MU), torch.ones_like(MU))
    torch.testing.assert_close(lk.kl_standard_normal(MU, LOGVAR),
                               kl_divergence(q, p).sum(1).mean())
    zero = torch.zeros(2, 3)
    assert float(lk.kl_standard_normal(zero, zero)) == 0.0


def test_closed_form_kl_equals_monte_carlo():
    # 20,000 draws per example: the per-draw log-ratio of these posteriors has a standard
    # deviation of about 3 nats, so the batch mean (4 examples) has a standard error of about
    # 3 / sqrt(80,000) = 0.011; 0.05 is over four standard errors.
    g = torch.Generator().manual_seed(1)
    estimate = lk.kl_monte_carlo(MU.double(), LOGVAR.double(), 20_000, g)
    exact = lk.kl_standard_normal(MU.double(), LOGVAR.double())
    assert abs(float(estimate) - float(exact)) < 0.05


def test_reparameterize_draws_and_passes_gradients():
    mu, logvar = MU.clone().requires_grad_(True), LOGVAR.clone().requires_grad_(True)
    z = lk.reparameterize(mu, logvar, torch.Generator().manual_seed(2))
    eps = torch.randn(mu.shape, generator=torch.Generator().manual_seed(2))
    torch.testing.assert_close(z, MU + torch.exp(0.5 * LOGVAR) * eps)
    z.sum().backward()
    torch.testing.assert_close(mu.grad, torch.ones_like(MU))
    torch.testing.assert_close(logvar.grad, 0.5 * torch.exp(0.5 * LOGVAR) * eps)


def test_reparameterize_has_the_posterior_moments():
    mu, logvar = torch.full((20_000, 1), 2.0), torch.full((20_000, 1), math.log(0.25))
    z = lk.reparameterize(mu, logvar, torch.Generator().manual_seed(3))
    assert float(z.mean()) == pytest.approx(2.0, abs=0.02)
    assert float(z.std()) == pytest.approx(0.5, abs=0.02)


def test_a_learned_scale_gets_a_gradient():
    sigma = torch.tensor(0.5, requires_grad=True)  # one number, as a learned decoder scale
    loss = lk.gaussian_nll(torch.zeros(4, 3), torch.ones(4, 3), sigma)
    loss.backward()
    # d/dsigma of 3 * (0.5 / sigma^2 + log sigma) at 0.5: 3 * (-1 / sigma^3 + 1 / sigma) = -18
    assert sigma.grad is not None and abs(float(sigma.grad) + 18.0) < 1e-5
