"""Autoencoders on flat images (chapter 07): the plain and linear autoencoder, corruption for
the denoising autoencoder, and the variational autoencoder.

Notation: B images, F pixels (64 for the 8x8 digits), H hidden units, D the code's size.

- ``Autoencoder``: x -> code = enc(x) [B, D] -> dec(code) [B, F]. With ``linear=True`` both
  maps are one ``nn.Linear`` and the network trained with the squared error spans the same
  subspace as PCA's first D components (Baldi & Hornik, 1989).
- ``corrupt``: the noisy input x~ of a denoising autoencoder (Vincent et al., ICML 2008),
  trained to reconstruct the clean x from it.
- ``VAE`` (Kingma & Welling, ICLR 2014): q(z | x) = N(mu(x), diag(exp(logvar(x)))), the
  prior p(z) = N(0, I), a Bernoulli or Gaussian decoder p(x | z), and the loss
  ``-ELBO = E_q[-log p(x | z)] + KL(q(z | x) || p(z))`` (:func:`elbo_terms`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import torch
from torch import Tensor, nn

from .._validate import (
    check_bool,
    check_choice,
    check_finite,
    check_instance,
    check_number,
    check_positive_int,
    check_probability,
    check_tensor,
)
from .likelihoods import _check_generator, _kl, _reparameterize, bernoulli_nll, gaussian_nll

NOISE_KINDS = ("gaussian", "masking")
DECODERS = ("bernoulli", "gaussian")


def _check_images(x: Any, features: int, name: str = "x") -> Tensor:
    check_tensor(x, name, floating=True)
    if x.dim() != 2 or x.size(1) != features:
        raise ValueError(f"{name}: expected shape [B, {features}] (flat images of {features} "
                         f"pixels), got {list(x.shape)}"
                         + ("; flatten images with x.view(len(x), -1)" if x.dim() > 2 else ""))
    return check_finite(x, name)


def _mlp(sizes: list[int]) -> nn.Sequential:
    """Linear layers of the given sizes with ReLU between them (none after the last)."""
    layers: list[nn.Module] = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def _reset(module: nn.Module) -> None:
    for layer in module.modules():
        if isinstance(layer, nn.Linear):
            layer.reset_parameters()


class Autoencoder(nn.Module):
    """An autoencoder x -> code -> reconstruction.

    Args:
        in_features: F, the pixels of a flat image.
        hidden: H, the width of the hidden layer of each MLP (ignored when ``linear``).
        code: D, the size of the code.
        linear: one ``nn.Linear`` each way and no activation, the autoencoder that PCA solves
            in closed form; ``forward`` then returns the reconstruction itself (train it with
            the squared error). Otherwise encoder F -> H -> D and decoder D -> H -> F with
            ReLU, and ``forward`` returns logits: σ(logits) are the pixels in [0, 1] (train
            with :func:`~graphcourse.nn.likelihoods.bernoulli_nll`).
        bias: give the linear maps biases (default True; with False and centred data the
            linear autoencoder is exactly PCA's problem).
    Shapes: x [B, F] -> code [B, D] -> reconstruction [B, F].
    """

    def __init__(self, in_features: int, hidden: int, code: int, linear: bool = False,
                 bias: bool = True) -> None:
        super().__init__()
        self.in_features = check_positive_int(in_features, "in_features")
        self.hidden = check_positive_int(hidden, "hidden")
        self.code = check_positive_int(code, "code")
        self.linear = check_bool(linear, "linear")
        bias = check_bool(bias, "bias")
        if self.linear:
            self.encoder = nn.Linear(self.in_features, self.code, bias=bias)
            self.decoder = nn.Linear(self.code, self.in_features, bias=bias)
        else:
            self.encoder = _mlp([self.in_features, self.hidden, self.code])
            self.decoder = _mlp([self.code, self.hidden, self.in_features])

    def reset_parameters(self) -> None:
        _reset(self)

    def encode(self, x: Tensor) -> Tensor:
        """The code of each image: x [B, F] -> [B, D]."""
        return self.encoder(_check_images(x, self.in_features))

    def decode(self, code: Tensor) -> Tensor:
        """code [B, D] -> the reconstruction (linear) or its logits [B, F]."""
        return self.decoder(_check_images(code, self.code, "code"))

    def forward(self, x: Tensor) -> Tensor:
        return self.decoder(self.encoder(_check_images(x, self.in_features)))

    def __repr__(self) -> str:
        kind = "linear" if self.linear else f"hidden={self.hidden}"
        return f"{type(self).__name__}({self.in_features} -> {self.code}, {kind})"


def reconstruction_loss(model: nn.Module, x: Tensor, target: Tensor | None = None) -> Tensor:
    """The loss an :class:`Autoencoder` trains with, per image summed over pixels and averaged
    over the batch: ``0.5 ||target - model(x)||²`` for a linear one (a Gaussian NLL without its
    constant), the Bernoulli NLL of ``target`` under ``model(x)``'s logits otherwise.

    ``target`` defaults to ``x``; a denoising autoencoder passes the corrupted images as ``x``
    and the clean ones as ``target``. Shapes: x, target [B, F] -> a scalar.
    """
    check_instance(model, "model", Autoencoder, "an Autoencoder",
                   "for a VAE use elbo_terms(model, x)")
    x = _check_images(x, model.in_features)
    target = x if target is None else _check_images(target, model.in_features, "target")
    if target.size(0) != x.size(0):
        raise ValueError(f"target: expected {x.size(0)} images (as x), got {target.size(0)}")
    out = model(x)
    if model.linear:
        return gaussian_nll(out, target, constant=False)
    return bernoulli_nll(out, target)


def corrupt(x: Tensor, noise: float = 0.3, kind: str = "gaussian",
            generator: torch.Generator | None = None) -> Tensor:
    """A corrupted copy of ``x`` for a denoising autoencoder.

    - ``kind="gaussian"``: ``x + noise * ε`` with ε ~ N(0, I) (``noise`` is the standard
      deviation, >= 0; values may leave [0, 1]).
    - ``kind="masking"``: each entry set to 0 with probability ``noise`` (in [0, 1)).

    Shapes: x [B, F] (any shape works) -> the same shape; ``x`` itself is not changed.
    """
    check_tensor(x, "x", floating=True)
    check_choice(kind, "kind", NOISE_KINDS)
    if kind == "masking":
        noise = check_probability(noise, "noise")
    else:
        noise = check_number(noise, "noise", low=0, finite=True)
    generator = _check_generator(generator)
    if kind == "gaussian":
        eps = torch.randn(x.shape, generator=generator, dtype=x.dtype, device=x.device)
        return x + noise * eps
    keep = torch.rand(x.shape, generator=generator, device=x.device) >= noise
    return x * keep


class VAEOutput(NamedTuple):
    """What :meth:`VAE.forward` returns: recon [B, F] (logits for the Bernoulli decoder, the
    mean for the Gaussian one), mu and logvar [B, D] of q(z | x), and the draw z [B, D]."""

    recon: Tensor
    mu: Tensor
    logvar: Tensor
    z: Tensor


class VAE(nn.Module):
    """A variational autoencoder with a diagonal Gaussian encoder and a standard normal prior.

    Encoder: h = ReLU(W_h x + b_h) [B, H], then mu = W_mu h + b_mu and
    logvar = W_v h + b_v [B, D]. Decoder: D -> H -> F with ReLU, giving the logits of
    Bernoulli pixels (``decoder="bernoulli"``) or the mean of Gaussian pixels with a fixed
    standard deviation ``sigma`` (``decoder="gaussian"``).

    Args:
        in_features: F. hidden: H. code: D (2 for a latent space one can look at).
        decoder: ``"bernoulli"`` (default) or ``"gaussian"``.
        sigma: the Gaussian decoder's standard deviation (default 0.1; with 1.0 the
            reconstruction term of [0, 1] pixels is so weak that the KL term wins and the
            code carries little). Unused by the Bernoulli decoder.
    """

    def __init__(self, in_features: int, hidden: int, code: int, decoder: str = "bernoulli",
                 sigma: float = 0.1) -> None:
        super().__init__()
        self.in_features = check_positive_int(in_features, "in_features")
        self.hidden = check_positive_int(hidden, "hidden")
        self.code = check_positive_int(code, "code")
        self.decoder_kind = check_choice(decoder, "decoder", DECODERS)
        self.sigma = check_number(sigma, "sigma", low=0, low_inclusive=False, finite=True)
        self.body = nn.Sequential(nn.Linear(self.in_features, self.hidden), nn.ReLU())
        self.mu = nn.Linear(self.hidden, self.code)
        self.logvar = nn.Linear(self.hidden, self.code)
        self.decoder = _mlp([self.code, self.hidden, self.in_features])

    def reset_parameters(self) -> None:
        _reset(self)

    def encode(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """The posterior's parameters: x [B, F] -> (mu, logvar), each [B, D]."""
        h = self.body(_check_images(x, self.in_features))  # [B, H]
        return self.mu(h), self.logvar(h)

    def decode(self, z: Tensor) -> Tensor:
        """z [B, D] -> logits (Bernoulli) or the mean (Gaussian) of p(x | z), [B, F]."""
        return self.decoder(_check_images(z, self.code, "z"))

    def forward(self, x: Tensor, generator: torch.Generator | None = None) -> VAEOutput:
        """Encode, draw z = mu + exp(½ logvar) ⊙ ε (always a draw, also in eval mode; use
        ``encode`` for the means) and decode."""
        mu, logvar = self.encode(x)
        z = _reparameterize(mu, logvar, _check_generator(generator))
        return VAEOutput(self.decoder(z), mu, logvar, z)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.in_features} -> {self.hidden} -> {self.code}, "
                f"decoder={self.decoder_kind!r})")


def elbo_terms(model: VAE, x: Tensor,
               generator: torch.Generator | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """The VAE's loss on a batch, with one draw of z per image.

    ``reconstruction_nll`` = -log p(x | z) (Bernoulli, or Gaussian with the model's ``sigma``,
    constant included), ``kl`` = KL(q(z | x) || N(0, I)) in closed form, and
    ``negative_elbo = reconstruction_nll + kl``; each per image (summed over pixels or code
    dimensions) and averaged over the batch. Minimise ``negative_elbo``.

    Shapes: x [B, F] -> three scalars ``(negative_elbo, reconstruction_nll, kl)``.
    """
    check_instance(model, "model", VAE, "a VAE", "for an Autoencoder use reconstruction_loss")
    x = _check_images(x, model.in_features)
    out = model(x, generator=generator)
    if model.decoder_kind == "bernoulli":
        nll = bernoulli_nll(out.recon, x)
    else:
        nll = gaussian_nll(out.recon, x, sigma=model.sigma)
    kl = _kl(out.mu, out.logvar)
    return nll + kl, nll, kl


@torch.no_grad()
def sample(model: VAE, count: int, generator: torch.Generator | None = None) -> Tensor:
    """``count`` images from the prior: z ~ N(0, I), then the decoder's mean, σ(logits) for
    the Bernoulli decoder or the Gaussian mean clamped to [0, 1]. Returns [count, F]."""
    check_instance(model, "model", VAE, "a VAE")
    count = check_positive_int(count, "count")
    generator = _check_generator(generator)
    weight = model.mu.weight
    z = torch.randn((count, model.code), generator=generator, dtype=weight.dtype,
                    device=weight.device)
    out = model.decoder(z)
    return torch.sigmoid(out) if model.decoder_kind == "bernoulli" else out.clamp(0, 1)
