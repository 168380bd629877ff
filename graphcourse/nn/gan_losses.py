"""The losses of chapter 08's GANs, and the optimal discriminator and divergences on a grid.

Notation: D(x) = σ(l(x)) is the discriminator's probability that x is real, computed from its
logit l; G(z) the generator's sample. The losses take logits (any shape; the mean runs over all
entries, so a patch discriminator's [B, 1, h, w] works as well as [B] or [B, 1]) and return a
scalar tensor to minimise.

- GAN (Goodfellow et al., NeurIPS 2014): min_G max_D V(D, G) with
  ``V = E_x[log D(x)] + E_z[log(1 - D(G(z)))]``. The discriminator minimises -V
  (:func:`discriminator_loss`); the generator minimises ``E[log(1 - D(G(z)))]`` (saturating)
  or, as the paper recommends, ``-E[log D(G(z))]`` (non-saturating, :func:`generator_loss`).
- For a fixed G, the best D is ``D*(x) = p_data(x) / (p_data(x) + p_g(x))``
  (:func:`optimal_discriminator`), and ``V(G, D*) = -log 4 + 2 JSD(p_data || p_g)``
  (:func:`value_at_optimum`, :func:`jensen_shannon`).
- LSGAN (Mao et al., ICCV 2017): least squares on D's raw output, no sigmoid.
- SGAN (Odena 2016; Salimans et al. 2016): a (K+1)-way discriminator, class K meaning fake.
- ACGAN (Odena et al., ICML 2017): a source logit plus an auxiliary K-way classifier.
- CycleGAN (Zhu et al., ICCV 2017): the cycle-consistency loss ``E|x - F(G(x))|``.

Densities on a grid: 1-D tensors of density values at evenly spaced points ``dx`` apart;
integrals are Riemann sums ``Σ f dx``, natural logarithms throughout.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from .._validate import check_bool, check_choice, check_finite, check_number, check_tensor

MASS_TOLERANCE = 0.05  # a density on a grid must integrate to 1 within 5% (Σ p dx)
NORMS = ("l1", "l2")


# --------------------------------------------------------------------------- checks
def _logits(value: Any, name: str) -> Tensor:
    """Finite floating-point logits with at least one entry."""
    check_tensor(value, name, floating=True)
    if value.numel() == 0:
        raise ValueError(f"{name}: expected at least one logit, got shape {list(value.shape)}")
    return check_finite(value, name)


def _class_logits(logits: Any, labels: Any, names: tuple[str, str],
                  classes: int | None = None) -> tuple[Tensor, Tensor]:
    """Class logits [B, C] and integer labels [B] in [0, C)."""
    check_tensor(logits, names[0], ndim=2, floating=True)
    if logits.size(0) == 0:
        raise ValueError(f"{names[0]}: expected at least one row, got shape "
                         f"{list(logits.shape)}")
    if classes is not None and logits.size(1) != classes:
        raise ValueError(f"{names[0]}: expected {classes} columns, got {logits.size(1)}")
    check_finite(logits, names[0])
    check_tensor(labels, names[1], ndim=1, floating=False)
    if labels.numel() != logits.size(0):
        raise ValueError(f"{names[1]}: expected one label per row of {names[0]} "
                         f"({logits.size(0)}), got {labels.numel()}")
    if labels.numel() and (int(labels.min()) < 0 or int(labels.max()) >= logits.size(1)):
        raise ValueError(f"{names[1]}: expected classes in [0, {logits.size(1)}), found "
                         f"[{int(labels.min())}, {int(labels.max())}]")
    return logits, labels


# --------------------------------------------------------------------------- the GAN losses
def discriminator_loss(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    """The discriminator's binary cross-entropy, -V(D, G)::

        L_D = -E_x[log D(x)] - E_z[log(1 - D(G(z)))]

    with D = σ(logit), each expectation a mean over its batch. Equal to
    ``BCE_with_logits(real, 1) + BCE_with_logits(fake, 0)``. Shapes: logits of any shape
    (real and fake may differ) -> a scalar. Detach G(z) before computing ``fake_logits`` for
    the discriminator's step.
    """
    real_logits = _logits(real_logits, "real_logits")
    fake_logits = _logits(fake_logits, "fake_logits")
    # -log σ(l) = softplus(-l), -log(1 - σ(l)) = softplus(l), both stable for large |l|
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def generator_loss(fake_logits: Tensor, saturating: bool = False) -> Tensor:
    """The generator's loss on the discriminator's logits for its samples.

    - non-saturating (default; Goodfellow et al.'s practical choice):
      ``L_G = -E_z[log D(G(z))]``; its gradient with respect to the logit is
      ``-(1 - D(G(z)))``, close to -1 when D confidently rejects the samples.
    - ``saturating=True``, the minimax objective itself: ``L_G = E_z[log(1 - D(G(z)))]``;
      gradient ``-D(G(z))``, close to 0 exactly when D rejects the samples (early training).

    Shapes: logits of any shape -> a scalar.
    """
    fake_logits = _logits(fake_logits, "fake_logits")
    saturating = check_bool(saturating, "saturating")
    if saturating:
        return -F.softplus(fake_logits).mean()  # log(1 - σ(l)) = -softplus(l)
    return F.softplus(-fake_logits).mean()


def lsgan_discriminator_loss(real: Tensor, fake: Tensor, a: float = 0.0,
                             b: float = 1.0) -> Tensor:
    """LSGAN's discriminator loss on its raw outputs (no sigmoid)::

        L_D = ½ E_x[(D(x) - b)²] + ½ E_z[(D(G(z)) - a)²]

    minimised as written (no leading minus; the lecture notes' code has one, which would
    maximise the squared errors). Codings (Mao et al.): a = 0, b = c = 1 (default), or
    a = -1, b = 1, c = 0. Shapes: outputs of any shape -> a scalar.
    """
    real, fake = _logits(real, "real"), _logits(fake, "fake")
    a = check_number(a, "a", finite=True)
    b = check_number(b, "b", finite=True)
    if a == b:
        raise ValueError(f"b: expected a target for real samples that differs from a "
                         f"(the fake target), got a = b = {a:g}")
    return 0.5 * (real - b).pow(2).mean() + 0.5 * (fake - a).pow(2).mean()


def lsgan_generator_loss(fake: Tensor, c: float = 1.0) -> Tensor:
    """LSGAN's generator loss ``L_G = ½ E_z[(D(G(z)) - c)²]`` (minimised, no leading minus).
    Shapes: D's outputs of any shape -> a scalar."""
    fake = _logits(fake, "fake")
    c = check_number(c, "c", finite=True)
    return 0.5 * (fake - c).pow(2).mean()


def auxiliary_loss(class_logits: Tensor, labels: Tensor) -> Tensor:
    """ACGAN's auxiliary classifier loss ``L_C = -E[log P(C = c | x)]``, the cross-entropy of
    the class logits [B, K] against the labels [B] (the real class for real images, the class
    the generator was asked for on fake ones) -> a scalar."""
    class_logits, labels = _class_logits(class_logits, labels, ("class_logits", "labels"))
    return F.cross_entropy(class_logits, labels)


def acgan_discriminator_loss(real_logits: Tensor, real_class_logits: Tensor,
                             real_labels: Tensor, fake_logits: Tensor,
                             fake_class_logits: Tensor, fake_labels: Tensor) -> Tensor:
    """ACGAN's discriminator loss: the source loss plus the auxiliary loss on both batches::

        L = discriminator_loss(real, fake) + L_C(real) + L_C(fake)

    (D maximises L_S + L_C in Odena et al.; written here as a loss to minimise). Shapes:
    source logits [B] or [B, 1], class logits [B, K], labels [B] -> a scalar.
    """
    source = discriminator_loss(real_logits, fake_logits)
    return (source + auxiliary_loss(real_class_logits, real_labels)
            + auxiliary_loss(fake_class_logits, fake_labels))


def acgan_generator_loss(fake_logits: Tensor, fake_class_logits: Tensor,
                         fake_labels: Tensor) -> Tensor:
    """ACGAN's generator loss: the non-saturating source loss plus the auxiliary loss of the
    class it was asked for, ``-E[log D(G(z, c))] + L_C(fake)`` -> a scalar."""
    return generator_loss(fake_logits) + auxiliary_loss(fake_class_logits, fake_labels)


def sgan_discriminator_loss(real_logits: Tensor, labels: Tensor,
                            fake_logits: Tensor) -> Tensor:
    """The semi-supervised GAN's discriminator loss with K + 1 classes, class K meaning fake::

        L = E_labelled[-log p(y | x)] + E_unlabelled[-log(1 - p(K | x))] + E_z[-log p(K | G(z))]

    ``real_logits`` and ``fake_logits`` are [B, K + 1]; ``labels`` [B] holds each real
    image's class in [0, K), or -1 for an unlabelled one (its term only says "real, some
    class"). A term whose batch is empty is left out. Returns a scalar.
    """
    check_tensor(real_logits, "real_logits", ndim=2, floating=True)
    if real_logits.size(1) < 2:
        raise ValueError(f"real_logits: expected K + 1 >= 2 columns (class K = fake), got "
                         f"{real_logits.size(1)}")
    check_tensor(fake_logits, "fake_logits", ndim=2, floating=True)
    if fake_logits.size(1) != real_logits.size(1) or fake_logits.size(0) == 0:
        raise ValueError(f"fake_logits: expected [B, {real_logits.size(1)}] with B >= 1 (as "
                         f"real_logits), got {list(fake_logits.shape)}")
    fake = check_finite(fake_logits, "fake_logits")
    if real_logits.size(0) == 0:
        raise ValueError("real_logits: expected at least one row, got shape "
                         f"{list(real_logits.shape)}")
    check_finite(real_logits, "real_logits")
    check_tensor(labels, "labels", ndim=1, floating=False)
    if labels.numel() != real_logits.size(0):
        raise ValueError(f"labels: expected one label per row of real_logits "
                         f"({real_logits.size(0)}), got {labels.numel()}")
    fake_class = real_logits.size(1) - 1
    unlabelled = labels == -1
    known = labels[~unlabelled]
    if known.numel() and (int(known.min()) < 0 or int(known.max()) >= fake_class):
        raise ValueError(f"labels: expected real classes in [0, {fake_class}) or -1 "
                         f"(unlabelled), found [{int(labels.min())}, {int(labels.max())}]; "
                         f"class {fake_class} means fake")
    loss = F.cross_entropy(fake, torch.full((len(fake),), fake_class, dtype=torch.long,
                                            device=fake.device))
    if bool((~unlabelled).any()):
        loss = loss + F.cross_entropy(real_logits[~unlabelled], labels[~unlabelled])
    if bool(unlabelled.any()):
        loss = loss + _not_fake(real_logits[unlabelled]).mean()
    return loss


def _not_fake(logits: Tensor) -> Tensor:
    """``-log(1 - p(K | x))`` per row of [B, K + 1] logits, stably:
    ``logsumexp(all) - logsumexp(first K)``."""
    return torch.logsumexp(logits, 1) - torch.logsumexp(logits[:, :-1], 1)


def sgan_generator_loss(fake_logits: Tensor) -> Tensor:
    """The semi-supervised GAN's (non-saturating) generator loss: its samples should land in
    any real class, ``-E_z[log(1 - p(K | G(z)))]``. Shapes: [B, K + 1] -> a scalar."""
    check_tensor(fake_logits, "fake_logits", ndim=2, floating=True)
    if fake_logits.size(1) < 2 or fake_logits.size(0) == 0:
        raise ValueError(f"fake_logits: expected [B, K + 1] with B >= 1 and K >= 1, got "
                         f"{list(fake_logits.shape)}")
    check_finite(fake_logits, "fake_logits")
    return _not_fake(fake_logits).mean()


def cycle_loss(x: Tensor, reconstructed: Tensor, norm: str = "l1") -> Tensor:
    """The cycle-consistency loss ``E|x - F(G(x))|`` (``norm="l1"``, CycleGAN) or
    ``E[(x - F(G(x)))²]`` (``"l2"``, mnist-svhn-transfer's reconstruction loss), the mean over
    all entries. Shapes: x, reconstructed of the same shape -> a scalar."""
    x, reconstructed = _logits(x, "x"), _logits(reconstructed, "reconstructed")
    check_choice(norm, "norm", NORMS)
    if x.shape != reconstructed.shape:
        raise ValueError(f"reconstructed: expected the shape of x {list(x.shape)}, got "
                         f"{list(reconstructed.shape)}")
    difference = x - reconstructed
    return difference.abs().mean() if norm == "l1" else difference.pow(2).mean()


# --------------------------------------------------------------------------- densities
def _density(value: Any, name: str, dx: float) -> Tensor:
    """A density on a grid, [N] non-negative and finite, with Σ p dx = 1 within
    :data:`MASS_TOLERANCE`; returned in float64, rescaled so that Σ p dx = 1 exactly."""
    check_tensor(value, name, ndim=1, floating=True)
    if value.numel() == 0:
        raise ValueError(f"{name}: expected density values on a grid, got an empty tensor")
    check_finite(value, name)
    if bool((value < 0).any()):
        raise ValueError(f"{name}: expected non-negative density values, found "
                         f"{float(value.min()):g}")
    mass = float(value.double().sum()) * dx
    if abs(mass - 1) > MASS_TOLERANCE:
        raise ValueError(f"{name}: expected a density that integrates to 1 over the grid, "
                         f"got sum({name}) * dx = {mass:.4g}; pass density values (not "
                         f"probabilities per point) and the grid's spacing dx")
    return value.double() / mass


def _densities(p: Any, q: Any, dx: Any, names: tuple[str, str]) -> tuple[Tensor, Tensor, float]:
    dx = check_number(dx, "dx", low=0, low_inclusive=False, finite=True)
    p, q = _density(p, names[0], dx), _density(q, names[1], dx)
    if p.shape != q.shape:
        raise ValueError(f"{names[1]}: expected the shape of {names[0]} {list(p.shape)} (the "
                         f"same grid), got {list(q.shape)}")
    return p, q, dx


def _xlogy_ratio(p: Tensor, q: Tensor) -> Tensor:
    """``p log(p / q)`` with 0 log 0 = 0 and +inf where p > 0 = q."""
    return torch.special.xlogy(p, p) - torch.special.xlogy(p, q)


def optimal_discriminator(p_data: Tensor, p_g: Tensor) -> Tensor:
    """The best discriminator for a fixed generator, ``D*(x) = p_data(x) / (p_data(x) + p_g(x))``,
    point by point. Where both densities are 0 the value does not change V and is set to ½.
    Shapes: p_data, p_g [N] (non-negative, finite) -> [N] in [0, 1]."""
    for value, name in ((p_data, "p_data"), (p_g, "p_g")):
        check_tensor(value, name, floating=True)
        check_finite(value, name)
        if bool((value < 0).any()):
            raise ValueError(f"{name}: expected non-negative density values, found "
                             f"{float(value.min()):g}")
    if p_data.shape != p_g.shape:
        raise ValueError(f"p_g: expected the shape of p_data {list(p_data.shape)}, got "
                         f"{list(p_g.shape)}")
    total = p_data + p_g
    return torch.where(total > 0, p_data / total.clamp_min(torch.finfo(total.dtype).tiny),
                       torch.full_like(total, 0.5))


def kl_divergence(p: Tensor, q: Tensor, dx: float) -> float:
    """``KL(p || q) = ∫ p log(p / q) dx`` on a grid (nats; +inf where p > 0 and q = 0).
    p, q [N] densities (see the module's note), ``dx`` > 0 -> a float."""
    p, q, dx = _densities(p, q, dx, ("p", "q"))
    return float(_xlogy_ratio(p, q).sum()) * dx


def jensen_shannon(p: Tensor, q: Tensor, dx: float) -> float:
    """``JSD(p || q) = ½ KL(p || m) + ½ KL(q || m)`` with ``m = (p + q) / 2``, in nats, on a
    grid: between 0 (p = q) and log 2 (disjoint supports). SciPy's
    ``jensenshannon(p, q)`` is its square root (with SciPy's default natural log)."""
    p, q, dx = _densities(p, q, dx, ("p", "q"))
    m = (p + q) / 2
    return float(0.5 * (_xlogy_ratio(p, m) + _xlogy_ratio(q, m)).sum()) * dx


def gan_value(p_data: Tensor, p_g: Tensor, discriminator: Tensor, dx: float) -> float:
    """``V(D, G) = ∫ p_data log D + p_g log(1 - D) dx`` for a discriminator given by its
    values ``discriminator`` [N] in [0, 1] on the grid of the densities p_data, p_g [N]."""
    p, q, dx = _densities(p_data, p_g, dx, ("p_data", "p_g"))
    check_tensor(discriminator, "discriminator", ndim=1, floating=True)
    if discriminator.shape != p.shape:
        raise ValueError(f"discriminator: expected its values on the densities' grid, shape "
                         f"{list(p.shape)}, got {list(discriminator.shape)}")
    check_finite(discriminator, "discriminator")
    if bool(((discriminator < 0) | (discriminator > 1)).any()):
        raise ValueError("discriminator: expected probabilities in [0, 1]; apply "
                         "torch.sigmoid to logits")
    d = discriminator.double()
    return float((torch.special.xlogy(p, d) + torch.special.xlogy(q, 1 - d)).sum()) * dx


def value_at_optimum(p_data: Tensor, p_g: Tensor, dx: float) -> float:
    """``V(G, D*)`` computed directly from its definition with D* = :func:`optimal_discriminator`;
    it equals ``-log 4 + 2 JSD(p_data || p_g)``, so it reaches its minimum -log 4 exactly when
    p_g = p_data. Densities [N] on one grid, ``dx`` > 0 -> a float."""
    p, q, dx = _densities(p_data, p_g, dx, ("p_data", "p_g"))
    total = p + q
    # log D* = log(p / (p + q)) and log(1 - D*) = log(q / (p + q)), without forming 1 - D*,
    # which rounds to 0 where q << p
    return float((_xlogy_ratio(p, total) + _xlogy_ratio(q, total)).sum()) * dx


LOG_4 = math.log(4.0)  # -V(G, D*) at the global optimum p_g = p_data
