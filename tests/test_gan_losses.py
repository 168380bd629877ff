"""Chapter 08's losses against torch and SciPy, the D* / JSD identities on 1-D densities."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy, norm

from graphcourse.nn import gan_losses as L


def _logits(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed)) * 3


def test_discriminator_loss_is_the_binary_cross_entropy_of_real_and_fake():
    real, fake = _logits(7, 1), _logits(5, 1, seed=1)
    expected = (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
                + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))
    torch.testing.assert_close(L.discriminator_loss(real, fake), expected)
    by_hand = -(torch.sigmoid(real).log().mean() + (1 - torch.sigmoid(fake)).log().mean())
    torch.testing.assert_close(L.discriminator_loss(real, fake), by_hand, rtol=1e-5, atol=1e-5)


def test_generator_losses_by_hand_and_stable_for_large_logits():
    fake = _logits(9)
    d = torch.sigmoid(fake)
    torch.testing.assert_close(L.generator_loss(fake), -d.log().mean(), rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(L.generator_loss(fake, saturating=True), (1 - d).log().mean(),
                               rtol=1e-5, atol=1e-5)
    big = torch.tensor([-200.0, 200.0])
    assert torch.isfinite(L.generator_loss(big)) and torch.isfinite(L.discriminator_loss(big, big))


def test_saturating_gradient_vanishes_where_the_discriminator_rejects_the_fakes():
    fake = torch.full((4,), -6.0, requires_grad=True)  # D(G(z)) = σ(-6) ≈ 0.0025
    (grad_sat,) = torch.autograd.grad(L.generator_loss(fake, saturating=True), fake)
    (grad_ns,) = torch.autograd.grad(L.generator_loss(fake), fake)
    d = torch.sigmoid(torch.tensor(-6.0))
    torch.testing.assert_close(grad_sat, torch.full((4,), float(-d / 4)))
    torch.testing.assert_close(grad_ns, torch.full((4,), float(-(1 - d) / 4)))
    assert grad_ns.abs().min() > 100 * grad_sat.abs().max()


def test_lsgan_losses_are_half_mean_squares_without_a_minus_sign():
    real, fake = _logits(6), _logits(6, seed=2)
    expected = 0.5 * ((real - 1) ** 2).mean() + 0.5 * (fake ** 2).mean()
    torch.testing.assert_close(L.lsgan_discriminator_loss(real, fake), expected)
    torch.testing.assert_close(L.lsgan_discriminator_loss(real, fake, a=-1, b=1),
                               0.5 * ((real - 1) ** 2).mean() + 0.5 * ((fake + 1) ** 2).mean())
    torch.testing.assert_close(L.lsgan_generator_loss(fake), 0.5 * ((fake - 1) ** 2).mean())
    assert L.lsgan_discriminator_loss(torch.ones(3), torch.zeros(3)) == 0
    assert L.lsgan_generator_loss(torch.ones(3)) == 0


def test_acgan_and_auxiliary_losses():
    logits, labels = _logits(8, 10), torch.arange(8)
    torch.testing.assert_close(L.auxiliary_loss(logits, labels), F.cross_entropy(logits, labels))
    real, fake = _logits(8), _logits(8, seed=3)
    fake_classes = _logits(8, 10, seed=4)
    expected = (L.discriminator_loss(real, fake) + F.cross_entropy(logits, labels)
                + F.cross_entropy(fake_classes, labels.flip(0)))
    torch.testing.assert_close(L.acgan_discriminator_loss(real, logits, labels, fake,
                                                          fake_classes, labels.flip(0)), expected)
    torch.testing.assert_close(L.acgan_generator_loss(fake, fake_classes, labels),
                               L.generator_loss(fake) + F.cross_entropy(fake_classes, labels))


def test_sgan_losses_with_k_plus_one_classes():
    real, fake = _logits(6, 4), _logits(5, 4, seed=5)  # K = 3, class 3 = fake
    labels = torch.tensor([0, 2, -1, 1, -1, 0])
    known = labels >= 0
    p_fake = torch.softmax(real[~known], 1)[:, 3]
    expected = (F.cross_entropy(fake, torch.full((5,), 3)) + F.cross_entropy(real[known],
                labels[known]) - torch.log(1 - p_fake).mean())
    torch.testing.assert_close(L.sgan_discriminator_loss(real, labels, fake), expected)
    all_labelled = torch.tensor([0, 1, 2, 0, 1, 2])
    torch.testing.assert_close(L.sgan_discriminator_loss(real, all_labelled, fake),
                               F.cross_entropy(fake, torch.full((5,), 3))
                               + F.cross_entropy(real, all_labelled))
    torch.testing.assert_close(L.sgan_generator_loss(fake),
                               -torch.log(1 - torch.softmax(fake, 1)[:, 3]).mean())


def test_cycle_loss():
    x, y = _logits(2, 1, 8, 8), _logits(2, 1, 8, 8, seed=6)
    torch.testing.assert_close(L.cycle_loss(x, y), F.l1_loss(y, x))
    torch.testing.assert_close(L.cycle_loss(x, y, norm="l2"), F.mse_loss(y, x))
    assert L.cycle_loss(x, x) == 0


GRID = np.linspace(-8, 8, 4001)
NARROW = np.linspace(-4, 5, 1801)
DX = float(GRID[1] - GRID[0])


def _density(mean, std, grid=GRID):
    return torch.tensor(norm.pdf(grid, mean, std))


@pytest.mark.parametrize("mean, std", [(0.0, 1.0), (1.0, 1.0), (2.0, 0.5), (4.0, 1.5)])
def test_divergences_against_scipy_and_the_value_at_the_optimum(mean, std):
    p, q = _density(0.0, 1.0), _density(mean, std)
    jsd = L.jensen_shannon(p, q, DX)
    assert jsd == pytest.approx(jensenshannon(p.numpy(), q.numpy()) ** 2, abs=1e-9)
    assert L.kl_divergence(p, q, DX) == pytest.approx(entropy(p.numpy(), q.numpy()), abs=1e-9)
    assert L.value_at_optimum(p, q, DX) == pytest.approx(-math.log(4) + 2 * jsd, abs=1e-9)
    assert 0 <= jsd <= math.log(2)


def test_kl_of_two_gaussians_matches_the_closed_form():
    p, q = _density(0.0, 1.0), _density(1.0, 2.0)
    closed = math.log(2.0) + (1 + 1) / (2 * 4) - 0.5
    # the grid cuts 0.05% of q's mass, which the rescaling to mass 1 moves into log q
    assert L.kl_divergence(p, q, DX) == pytest.approx(closed, abs=1e-3)


def test_the_optimum_is_minus_log_4_at_p_g_equal_p_data_and_d_star_maximises_v():
    p, q = _density(0.0, 1.0), _density(1.5, 0.7)
    assert L.value_at_optimum(p, p, DX) == pytest.approx(-math.log(4), abs=1e-9)
    torch.testing.assert_close(L.optimal_discriminator(p, p), torch.full_like(p, 0.5))
    dx = float(NARROW[1] - NARROW[0])
    p, q = _density(0.0, 1.0, NARROW), _density(1.5, 0.7, NARROW)
    d_star = L.optimal_discriminator(p, q)
    best = L.gan_value(p, q, d_star, dx)
    assert best == pytest.approx(L.value_at_optimum(p, q, dx), abs=1e-9)
    for other in (torch.full_like(p, 0.5), d_star * 0.9 + 0.05, torch.sigmoid(
            torch.tensor(NARROW))):
        assert L.gan_value(p, q, other, dx) < best
    assert L.optimal_discriminator(torch.zeros(3), torch.zeros(3)).tolist() == [0.5] * 3


def test_a_trained_discriminator_approaches_d_star_on_1d_samples():
    """A small discriminator trained with the cross-entropy on samples of two Gaussians
    matches D* = p_data / (p_data + p_g) within 0.05 where either density is not tiny."""
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    real = torch.randn(4000, 1, generator=gen)  # p_data = N(0, 1)
    fake = 1.5 + 0.7 * torch.randn(4000, 1, generator=gen)  # p_g = N(1.5, 0.7²)
    net = torch.nn.Sequential(torch.nn.Linear(1, 32), torch.nn.Tanh(), torch.nn.Linear(32, 32),
                              torch.nn.Tanh(), torch.nn.Linear(32, 1))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    for _ in range(400):
        opt.zero_grad()
        L.discriminator_loss(net(real), net(fake)).backward()
        opt.step()
    xs = torch.linspace(-2, 3, 101)
    p, q = torch.tensor(norm.pdf(xs, 0, 1)), torch.tensor(norm.pdf(xs, 1.5, 0.7))
    d_star = L.optimal_discriminator(p, q).float()
    with torch.no_grad():
        learned = torch.sigmoid(net(xs[:, None]))[:, 0]
    assert (learned - d_star).abs().max() < 0.05
