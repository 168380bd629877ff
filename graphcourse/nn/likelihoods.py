"""Losses as negative log-likelihoods, the KL term and the reparameterisation trick (chapter 07).

Every loss here treats the F features of an example as independent given the model's output
(the i.i.d. assumption that turns a product of likelihoods into a sum of log-likelihoods),
sums over the features and averages over the B examples of the batch.

- Gaussian p(x | mean) = Π_k N(x_k; mean_k, σ²):
  -log p = Σ_k [(x_k - mean_k)² / (2σ²) + log σ + ½ log 2π]  (MSE up to scale and a constant).
- Bernoulli p(x | logits) = Π_k p_k^{x_k} (1 - p_k)^{1 - x_k}, p = σ(logits):
  -log p = Σ_k BCE(logits_k, x_k)  (binary cross-entropy).
- KL(N(mu, diag(exp(logvar))) || N(0, I)) = -½ Σ_j (1 + logvar_j - mu_j² - exp(logvar_j)).

Reference: Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014 (appendix B for
the closed-form KL).
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from .._validate import (
    check_bool,
    check_finite,
    check_instance,
    check_number,
    check_positive_int,
    check_tensor,
)


def _check_batch(value: Any, name: str) -> Tensor:
    """A floating-point tensor [B, F] (B >= 1) with finite values."""
    check_tensor(value, name, ndim=2, floating=True)
    if value.size(0) == 0:
        raise ValueError(f"{name}: expected at least one example, got shape {list(value.shape)}")
    return check_finite(value, name)


def _check_pair(first: Any, second: Any, names: tuple[str, str]) -> tuple[Tensor, Tensor]:
    first, second = _check_batch(first, names[0]), _check_batch(second, names[1])
    if first.shape != second.shape:
        raise ValueError(f"{names[1]}: expected the shape of {names[0]} {list(first.shape)}, "
                         f"got {list(second.shape)}")
    return first, second


def _check_generator(generator: Any) -> torch.Generator | None:
    if generator is not None:
        check_instance(generator, "generator", torch.Generator, "a torch.Generator or None")
    return generator


def gaussian_nll(mean: Tensor, x: Tensor, sigma: float | Tensor = 1.0,
                 constant: bool = True) -> Tensor:
    """-log N(x; mean, σ² I), summed over the F features, averaged over the B examples.

    ``sigma`` is a positive number or a positive tensor that broadcasts to [B, F]. With
    ``constant=False`` the terms that do not depend on ``mean`` (log σ + ½ log 2π) are left
    out: ``0.5 ||x - mean||² / σ²``, which is ``F / (2σ²)`` times ``F.mse_loss``'s
    mean over all entries. Shapes: mean, x [B, F] -> a scalar.
    """
    mean, x = _check_pair(mean, x, ("mean", "x"))
    constant = check_bool(constant, "constant")
    if isinstance(sigma, Tensor):  # any size, so that a learned scale keeps its gradient
        check_tensor(sigma, "sigma", floating=True)
        check_finite(sigma, "sigma")
        if bool((sigma <= 0).any()):
            raise ValueError("sigma: expected positive values, found some <= 0")
        try:
            torch.broadcast_shapes(sigma.shape, mean.shape)
        except RuntimeError:
            raise ValueError(f"sigma: shape {list(sigma.shape)} does not broadcast to "
                             f"{list(mean.shape)}") from None
    else:
        sigma = check_number(sigma, "sigma", low=0, low_inclusive=False, finite=True)
    sigma = torch.as_tensor(sigma, dtype=mean.dtype, device=mean.device)
    nll = 0.5 * ((x - mean) / sigma) ** 2  # [B, F]
    if constant:
        nll = nll + torch.log(sigma) + 0.5 * math.log(2 * math.pi)
    return torch.broadcast_to(nll, mean.shape).sum(1).mean()


def bernoulli_nll(logits: Tensor, x: Tensor) -> Tensor:
    """-log Bernoulli(x; σ(logits)), summed over the F features, averaged over the B examples:
    ``binary_cross_entropy_with_logits(logits, x, reduction="sum") / B``.

    ``x`` holds targets in [0, 1] (grey levels are allowed: then it is the cross-entropy of
    two Bernoulli distributions, whose minimum is not 0). Shapes: logits, x [B, F] -> a scalar.
    """
    logits, x = _check_pair(logits, x, ("logits", "x"))
    if bool(((x < 0) | (x > 1)).any()):
        raise ValueError(f"x: expected values in [0, 1] for a Bernoulli likelihood, found "
                         f"[{float(x.min()):g}, {float(x.max()):g}]; scale images to [0, 1]")
    return F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.size(0)


def _check_posterior(mu: Any, logvar: Any) -> tuple[Tensor, Tensor]:
    return _check_pair(mu, logvar, ("mu", "logvar"))


def kl_standard_normal(mu: Tensor, logvar: Tensor) -> Tensor:
    """KL(N(mu, diag(exp(logvar))) || N(0, I)) in closed form, per example summed over the D
    latent dimensions, averaged over the B examples::

        KL = -½ Σ_j (1 + logvar_j - mu_j² - exp(logvar_j))

    Shapes: mu, logvar [B, D] -> a scalar (0 exactly when mu = 0 and logvar = 0).
    """
    mu, logvar = _check_posterior(mu, logvar)
    return _kl(mu, logvar)


def _kl(mu: Tensor, logvar: Tensor) -> Tensor:
    return (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp())).sum(1).mean()


def kl_monte_carlo(mu: Tensor, logvar: Tensor, samples: int = 1000,
                   generator: torch.Generator | None = None) -> Tensor:
    """A Monte Carlo estimate of :func:`kl_standard_normal`: the mean over ``samples`` draws
    z ~ q = N(mu, diag(exp(logvar))) of ``log q(z) - log N(z; 0, I)``, per example summed over
    dimensions, averaged over the batch. Unbiased; its standard error falls as
    1/sqrt(samples). Shapes: mu, logvar [B, D] -> a scalar.
    """
    mu, logvar = _check_posterior(mu, logvar)
    samples = check_positive_int(samples, "samples")
    generator = _check_generator(generator)
    eps = torch.randn((samples, *mu.shape), generator=generator, dtype=mu.dtype,
                      device=mu.device)  # [S, B, D]
    z = mu + torch.exp(0.5 * logvar) * eps  # [S, B, D]
    log_q = -0.5 * (eps.pow(2) + logvar + math.log(2 * math.pi))  # log N(z; mu, var)
    log_p = -0.5 * (z.pow(2) + math.log(2 * math.pi))
    return (log_q - log_p).sum(2).mean()  # sum over D, mean over samples and batch


def reparameterize(mu: Tensor, logvar: Tensor,
                   generator: torch.Generator | None = None) -> Tensor:
    """A draw z ~ N(mu, diag(exp(logvar))) written so that gradients reach mu and logvar:
    ``z = mu + exp(½ logvar) ⊙ ε`` with ε ~ N(0, I) (the randomness sits in ε only).

    Shapes: mu, logvar [B, D] -> z [B, D].
    """
    mu, logvar = _check_posterior(mu, logvar)
    return _reparameterize(mu, logvar, _check_generator(generator))


def _reparameterize(mu: Tensor, logvar: Tensor, generator: torch.Generator | None) -> Tensor:
    eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * logvar) * eps
