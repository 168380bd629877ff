"""The networks of chapter 08's GANs and the mode-coverage metric of the 2-D case.

Notation: B samples, Z the noise's size, K classes, c a channel width.

- :class:`MLPGenerator` / :class:`MLPDiscriminator`: small MLPs for points in the plane.
- :class:`DCGenerator` / :class:`DCDiscriminator`: DCGAN (Radford et al., ICLR 2016) for
  8x8 or 32x32 images (``side``; MNIST's 28x28 are resized to 32 first, as in
  mnist-svhn-transfer), with 1 or 3 image channels: transposed convolutions in G, strided
  convolutions in D, BatchNorm everywhere
  except G's output and D's input, ReLU and a Tanh output in G, LeakyReLU 0.2 in D, weights
  drawn from N(0, 0.02) (:func:`dcgan_init`). ``classes`` conditions G on a class (ACGAN);
  ``DCDiscriminator(outputs=K + 1)`` is the semi-supervised GAN's (K+1)-way discriminator and
  ``classes=K`` adds ACGAN's auxiliary classifier.
- :class:`Translator` / :class:`PatchDiscriminator`: unpaired image-to-image translation with
  the layers of yunjey/mnist-svhn-transfer (G12/G21 and D1/D2) at 32x32, and scaled to 8x8;
  unlike the original, the layers that no BatchNorm follows keep their biases.
- :func:`mode_coverage`: how many modes of a mixture a generator's samples cover.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .._validate import (
    check_finite,
    check_module,
    check_number,
    check_positive_int,
    check_probability,
    check_tensor,
)

SIDES = (8, 32)  # image sides of the DCGAN and translation networks (8x8 digits, 32x32 MNIST/SVHN)


def _check_points(x: Any, features: int, name: str) -> Tensor:
    check_tensor(x, name, ndim=2, floating=True)
    if x.size(1) != features:
        raise ValueError(f"{name}: expected shape [B, {features}], got {list(x.shape)}")
    return x


def _check_side(side: Any) -> int:
    side = check_positive_int(side, "side")
    if side not in SIDES:
        hint = "; resize MNIST's 28x28 images to 32 (toy.image_domain does)" if side == 28 else ""
        raise ValueError(f"side: expected an image side in {SIDES}, got {side}{hint}")
    return side


def _check_images(x: Any, channels: int, side: int = 8, name: str = "x") -> Tensor:
    check_tensor(x, name, floating=True)
    if x.dim() != 4 or x.shape[1:] != (channels, side, side):
        hint = (f"; reshape flat images with {name}.view(-1, {channels}, {side}, {side})"
                if x.dim() == 2 and x.size(-1) == channels * side ** 2 else "")
        raise ValueError(f"{name}: expected images of shape [B, {channels}, {side}, {side}], "
                         f"got {list(x.shape)}{hint}")
    return x


def _reset(module: nn.Module) -> None:
    for layer in module.modules():
        if layer is not module and hasattr(layer, "reset_parameters"):
            layer.reset_parameters()


def dcgan_init(module: nn.Module) -> nn.Module:
    """DCGAN's initialisation, in place: the weights of every (transposed) convolution and
    linear layer from N(0, 0.02), their biases 0; BatchNorm scales from N(1, 0.02), shifts 0.
    Returns ``module``."""
    check_module(module, "module")
    for layer in module.modules():
        if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(layer.weight, 0.0, 0.02)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.BatchNorm2d):
            nn.init.normal_(layer.weight, 1.0, 0.02)
            nn.init.zeros_(layer.bias)
    return module


class MLPGenerator(nn.Module):
    """G(z): noise [B, Z] -> samples [B, out], ``layers`` hidden layers of width ``hidden``
    with ReLU and a linear output (points in the plane are not bounded, so no Tanh)."""

    def __init__(self, noise: int, hidden: int, out: int, layers: int = 2) -> None:
        super().__init__()
        self.noise = check_positive_int(noise, "noise")
        self.hidden = check_positive_int(hidden, "hidden")
        self.out = check_positive_int(out, "out")
        self.layers = check_positive_int(layers, "layers")
        sizes = [self.noise] + [self.hidden] * self.layers
        body: list[nn.Module] = []
        for i in range(self.layers):
            body += [nn.Linear(sizes[i], sizes[i + 1]), nn.ReLU()]
        self.net = nn.Sequential(*body, nn.Linear(self.hidden, self.out))

    def reset_parameters(self) -> None:
        _reset(self)

    def forward(self, z: Tensor) -> Tensor:
        return self.net(_check_points(z, self.noise, "z"))

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.noise} -> {self.hidden} x {self.layers} -> "
                f"{self.out})")


class MLPDiscriminator(nn.Module):
    """D(x): samples [B, inp] -> logits [B, out], ``layers`` hidden layers of width ``hidden``
    with LeakyReLU 0.2; σ(logit) is the probability that x is real."""

    def __init__(self, inp: int, hidden: int, out: int = 1, layers: int = 2) -> None:
        super().__init__()
        self.inp = check_positive_int(inp, "inp")
        self.hidden = check_positive_int(hidden, "hidden")
        self.out = check_positive_int(out, "out")
        self.layers = check_positive_int(layers, "layers")
        sizes = [self.inp] + [self.hidden] * self.layers
        body: list[nn.Module] = []
        for i in range(self.layers):
            body += [nn.Linear(sizes[i], sizes[i + 1]), nn.LeakyReLU(0.2)]
        self.net = nn.Sequential(*body, nn.Linear(self.hidden, self.out))

    def reset_parameters(self) -> None:
        _reset(self)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(_check_points(x, self.inp, "x"))

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.inp} -> {self.hidden} x {self.layers} -> "
                f"{self.out})")


class DCGenerator(nn.Module):
    """DCGAN's generator for ``side`` x ``side`` images (side 8 or 32), n = log2(side / 4)
    doublings::

        z [B, Z] (+ one-hot class [B, K]) -> [B, Z + K, 1, 1]
          -> ConvT 4x4 s1 -> [B, 2^n c, 4, 4], BatchNorm, ReLU
          -> n x (ConvT 4x4 s2 doubling the side, halving the width; BatchNorm, ReLU)
          -> [B, c, side, side]
          -> ConvT 3x3 s1 -> [B, out_channels, side, side], Tanh (no BatchNorm at the output)

    side 8: [2c, 4, 4] -> [c, 8, 8] -> [1, 8, 8]; side 32: [8c, 4, 4] -> [4c, 8, 8] ->
    [2c, 16, 16] -> [c, 32, 32] -> [out_channels, 32, 32]. ``classes`` = K > 0 makes it
    class-conditional (ACGAN): ``forward(z, labels)`` with labels [B] in [0, K) appends their
    one-hot code to z. Images come out in [-1, 1]. Initialised with :func:`dcgan_init`.
    """

    def __init__(self, noise: int, channels: int, classes: int = 0, side: int = 8,
                 out_channels: int = 1) -> None:
        super().__init__()
        self.noise = check_positive_int(noise, "noise")
        self.channels = check_positive_int(channels, "channels")
        self.classes = check_positive_int(classes, "classes", minimum=0)
        self.side = _check_side(side)
        self.out_channels = check_positive_int(out_channels, "out_channels")
        widths = [self.channels * 2 ** k for k in range(self.side.bit_length() - 3, -1, -1)]
        layers: list[nn.Module] = [  # widths: [2c, c] for side 8, [8c, 4c, 2c, c] for 32
            nn.ConvTranspose2d(self.noise + self.classes, widths[0], 4, 1, 0, bias=False),
            nn.BatchNorm2d(widths[0]), nn.ReLU()]
        for wide, narrow in zip(widths, widths[1:]):
            layers += [nn.ConvTranspose2d(wide, narrow, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(narrow), nn.ReLU()]
        layers += [nn.ConvTranspose2d(widths[-1], self.out_channels, 3, 1, 1), nn.Tanh()]
        self.net = nn.Sequential(*layers)
        dcgan_init(self)

    def reset_parameters(self) -> None:
        dcgan_init(self)

    def forward(self, z: Tensor, labels: Tensor | None = None) -> Tensor:
        z = _check_points(z, self.noise, "z")
        if self.classes:
            labels = _check_labels(labels, z.size(0), self.classes)
            z = torch.cat([z, F.one_hot(labels, self.classes).to(z.dtype)], 1)  # [B, Z + K]
        elif labels is not None:
            raise ValueError("labels: this generator is unconditional (classes=0); build "
                             "DCGenerator(noise, channels, classes=K) for class labels")
        return self.net(z[:, :, None, None])  # [B, Z + K, 1, 1] -> [B, out, side, side]

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(noise={self.noise}, channels={self.channels}, "
                f"classes={self.classes}, side={self.side}, out_channels={self.out_channels})")


def _check_labels(labels: Any, count: int, classes: int) -> Tensor:
    if labels is None:
        raise TypeError(f"labels: expected class labels [B] in [0, {classes}) for a "
                        f"class-conditional generator, got None")
    check_tensor(labels, "labels", ndim=1, floating=False)
    if labels.numel() != count:
        raise ValueError(f"labels: expected one label per noise vector ({count}), got "
                         f"{labels.numel()}")
    if labels.numel() and (int(labels.min()) < 0 or int(labels.max()) >= classes):
        raise ValueError(f"labels: expected classes in [0, {classes}), found "
                         f"[{int(labels.min())}, {int(labels.max())}]")
    return labels.long()


class DCDiscriminator(nn.Module):
    """DCGAN's discriminator for ``side`` x ``side`` images (side 8 or 32), halving the side
    down to 2 while doubling the width (m = log2(side / 2) strided convolutions)::

        x [B, in_channels, side, side]
          -> Conv 4x4 s2 -> [B, c, side/2, side/2], LeakyReLU 0.2 (no BatchNorm at the input)
          -> (m - 1) x (Conv 4x4 s2, BatchNorm, LeakyReLU 0.2) -> [B, 2^(m-1) c, 2, 2]
          -> Conv 2x2 -> [B, outputs] logits

    side 8: [c, 4, 4] -> [2c, 2, 2]; side 32: [c, 16, 16] -> [2c, 8, 8] -> [4c, 4, 4] ->
    [8c, 2, 2].

    ``outputs=1`` for a GAN, ``K + 1`` for the semi-supervised GAN (class K = fake).
    ``classes`` = K > 0 adds ACGAN's auxiliary classifier: ``forward`` then returns
    ``(source logits [B, outputs], class logits [B, K])``. Initialised with :func:`dcgan_init`.
    """

    def __init__(self, channels: int, outputs: int = 1, classes: int = 0, side: int = 8,
                 in_channels: int = 1) -> None:
        super().__init__()
        self.channels = check_positive_int(channels, "channels")
        self.outputs = check_positive_int(outputs, "outputs")
        self.classes = check_positive_int(classes, "classes", minimum=0)
        self.side = _check_side(side)
        self.in_channels = check_positive_int(in_channels, "in_channels")
        widths = [self.channels * 2 ** k for k in range(self.side.bit_length() - 2)]
        layers: list[nn.Module] = [nn.Conv2d(self.in_channels, widths[0], 4, 2, 1),
                                   nn.LeakyReLU(0.2)]
        for narrow, wide in zip(widths, widths[1:]):  # [c, 2c] for side 8, [c, .., 8c] for 32
            layers += [nn.Conv2d(narrow, wide, 4, 2, 1, bias=False), nn.BatchNorm2d(wide),
                       nn.LeakyReLU(0.2)]
        self.features = nn.Sequential(*layers)
        self.source = nn.Conv2d(widths[-1], self.outputs, 2)
        self.classifier = nn.Conv2d(widths[-1], self.classes, 2) if self.classes else None
        dcgan_init(self)

    def reset_parameters(self) -> None:
        dcgan_init(self)

    def forward(self, x: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        h = self.features(_check_images(x, self.in_channels, self.side))  # [B, 2^(m-1) c, 2, 2]
        source = self.source(h).flatten(1)  # [B, outputs, 1, 1] -> [B, outputs]
        if self.classifier is None:
            return source
        return source, self.classifier(h).flatten(1)  # [B, K]

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(channels={self.channels}, outputs={self.outputs}, "
                f"classes={self.classes}, side={self.side}, in_channels={self.in_channels})")


class Translator(nn.Module):
    """An image-to-image generator with the layers of G12 or G21 of mnist-svhn-transfer
    (there: side 32, c = conv_dim = 64; G12 MNIST -> SVHN has in 1, out 3, G21 the reverse),
    or scaled to 8x8::

        x [B, in, s, s] -> Conv 4x4 s2 -> [B, c, s/2, s/2] -> Conv 4x4 s2 -> [B, 2c, s/4, s/4]
          -> Conv 3x3 -> Conv 3x3 (no skip, though the original calls them residual)
          -> ConvT 4x4 s2 -> [B, c, s/2, s/2] -> ConvT 4x4 s2 -> [B, out, s, s], Tanh

    BatchNorm and LeakyReLU 0.05 after every layer but the last; no biases before BatchNorm.
    One difference from the original, which has ``bias=False`` in every layer: the last
    transposed convolution keeps its bias. (Chapter 08 also trains it differently from the
    original's solver: see the notebook.) The layers are the same for both sides; ``side``
    (8 or 32) is what ``forward`` accepts.
    """

    def __init__(self, channels: int = 32, in_channels: int = 1, out_channels: int = 1,
                 side: int = 8) -> None:
        super().__init__()
        self.channels = check_positive_int(channels, "channels")
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.side = _check_side(side)
        c = self.channels

        def block(layer: nn.Module, width: int) -> list[nn.Module]:
            return [layer, nn.BatchNorm2d(width), nn.LeakyReLU(0.05)]

        self.net = nn.Sequential(
            *block(nn.Conv2d(self.in_channels, c, 4, 2, 1, bias=False), c),
            *block(nn.Conv2d(c, 2 * c, 4, 2, 1, bias=False), 2 * c),
            *block(nn.Conv2d(2 * c, 2 * c, 3, 1, 1, bias=False), 2 * c),
            *block(nn.Conv2d(2 * c, 2 * c, 3, 1, 1, bias=False), 2 * c),
            *block(nn.ConvTranspose2d(2 * c, c, 4, 2, 1, bias=False), c),
            nn.ConvTranspose2d(c, self.out_channels, 4, 2, 1), nn.Tanh())

    def reset_parameters(self) -> None:
        _reset(self)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(_check_images(x, self.in_channels, self.side))  # [B, out, s, s]

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.in_channels} -> {self.out_channels}, "
                f"channels={self.channels}, side={self.side})")


class PatchDiscriminator(nn.Module):
    """The translation's discriminator, with the layers of D1/D2 of mnist-svhn-transfer
    (side 32), or a small patch discriminator scaled from it (side 8)::

        side 8:  x [B, in, 8, 8] -> Conv 4x4 s2 -> [B, c, 4, 4], LeakyReLU 0.05 (no BatchNorm)
                   -> Conv 4x4 s2 -> [B, 2c, 2, 2], BatchNorm, LeakyReLU 0.05
                   -> Conv 3x3    -> [B, outputs, 2, 2]: one score per 2x2 patch
        side 32: x [B, in, 32, 32] -> Conv 4x4 s2 -> [B, c, 16, 16], LeakyReLU 0.05
                   -> Conv 4x4 s2 -> [B, 2c, 8, 8] and -> [B, 4c, 4, 4], BatchNorm, LeakyReLU
                   -> Conv 4x4    -> [B, outputs, 1, 1]: one score per image, as in the original

    One difference from the original, which has ``bias=False`` in every layer: the first and
    the last convolution (no BatchNorm after them) keep their biases. Its raw outputs suit the
    LSGAN losses (mnist-svhn-transfer trains with them, without the 1/2 factors).
    """

    def __init__(self, channels: int = 32, in_channels: int = 1, outputs: int = 1,
                 side: int = 8) -> None:
        super().__init__()
        self.channels = check_positive_int(channels, "channels")
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.outputs = check_positive_int(outputs, "outputs")
        self.side = _check_side(side)
        c = self.channels
        layers: list[nn.Module] = [
            nn.Conv2d(self.in_channels, c, 4, 2, 1), nn.LeakyReLU(0.05),
            nn.Conv2d(c, 2 * c, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * c), nn.LeakyReLU(0.05)]
        if self.side == 8:
            layers.append(nn.Conv2d(2 * c, self.outputs, 3, 1, 1))
        else:
            layers += [nn.Conv2d(2 * c, 4 * c, 4, 2, 1, bias=False), nn.BatchNorm2d(4 * c),
                       nn.LeakyReLU(0.05), nn.Conv2d(4 * c, self.outputs, 4)]
        self.net = nn.Sequential(*layers)

    def reset_parameters(self) -> None:
        _reset(self)

    def forward(self, x: Tensor) -> Tensor:
        # [B, outputs, 2, 2] for side 8, [B, outputs, 1, 1] for side 32
        return self.net(_check_images(x, self.in_channels, self.side))

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(in_channels={self.in_channels}, channels="
                f"{self.channels}, outputs={self.outputs}, side={self.side})")


class ModeCoverage(NamedTuple):
    """What :func:`mode_coverage` returns: ``covered`` modes (an int), ``high_quality`` the
    fraction of samples within the threshold of some centre, ``counts`` [K] the high-quality
    samples per mode."""

    covered: int
    high_quality: float
    counts: Tensor


def mode_coverage(samples: Tensor, centres: Tensor, std: float, threshold: float = 3.0,
                  min_fraction: float = 0.01) -> ModeCoverage:
    """How many modes of a 2-D mixture the samples cover.

    Each sample is assigned to its nearest centre and counts as *high quality* if it lies
    within ``threshold * std`` of it. Mode k is *covered* when its high-quality samples are at
    least ``max(1, min_fraction * B)`` (by default 1% of the samples; a uniform generator
    over 8 modes puts 12.5% on each). Shapes: samples [B, 2], centres [K, 2]; ``std`` the
    modes' standard deviation (> 0).
    """
    check_tensor(samples, "samples", ndim=2, floating=True)
    if samples.size(0) == 0:
        raise ValueError("samples: expected at least one sample, got shape "
                         f"{list(samples.shape)}")
    check_finite(samples, "samples")
    check_tensor(centres, "centres", ndim=2, floating=True)
    if centres.size(0) == 0 or centres.size(1) != samples.size(1):
        raise ValueError(f"centres: expected [K, {samples.size(1)}] with K >= 1 (points like "
                         f"the samples), got {list(centres.shape)}")
    check_finite(centres, "centres")
    std = check_number(std, "std", low=0, low_inclusive=False, finite=True)
    threshold = check_number(threshold, "threshold", low=0, low_inclusive=False, finite=True)
    min_fraction = check_probability(min_fraction, "min_fraction")
    x = samples.detach().double().cpu()
    distances = torch.cdist(x, centres.detach().double().cpu())  # [B, K]
    nearest, mode = distances.min(1)  # [B] each
    good = nearest <= threshold * std  # [B]
    counts = torch.bincount(mode[good], minlength=centres.size(0))  # [K]
    needed = max(1.0, min_fraction * samples.size(0))
    return ModeCoverage(int((counts >= needed).sum()), float(good.double().mean()), counts)
