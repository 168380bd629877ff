"""What lives between the digits: codes, decoded points and lines in a 2-D code space (ch. 07).

An autoencoder maps an image x [F] (F = 64 for the 8x8 digits, 784 for MNIST) to a code
z = f(x) [D] and back to an image g(z) [F]; a VAE's encoder gives the mean mu(x) and the
log-variance of q(z | x), and its code for x is the mean. With D = 2 the whole code space
fits on a page, and two questions can be asked of it:

- what does the decoder make of a point z that no image was encoded to (:func:`decode_point`)?
- between two images x_a and x_b, does the line in code space,
  ``g((1 - t) z_a + t z_b)``, pass through digits, where the pixel blend
  ``(1 - t) x_a + t x_b`` only superimposes two of them (:func:`code_line`,
  :func:`pixel_line`)?

Decoded images are brought to [0, 1]: the sigmoid of a Bernoulli decoder's logits (a
non-linear :class:`~graphcourse.nn.autoencoders.Autoencoder` outputs logits too), the
Gaussian mean (or a linear autoencoder's output) clamped to [0, 1].
:func:`latent_view` gathers what the chapter 07 explorer
(:func:`graphcourse.widgets.latent_explorer`) draws. Notation: M images, F pixels per image
(a square side x side), D code dimensions, S steps along a line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import torch
from torch import Tensor

from .._validate import (
    _as_int,
    check_finite,
    check_index,
    check_instance,
    check_number,
    check_positive_int,
    check_tensor,
)
from ._checks import evaluating

if TYPE_CHECKING:
    from .autoencoders import VAE, Autoencoder

MODEL_HINT = ("build one with graphcourse.nn.Autoencoder(in_features, hidden, code) or "
              "graphcourse.nn.VAE(in_features, hidden, code)")


def _check_model(model: Any, name: str = "model") -> Autoencoder | VAE:
    from .autoencoders import VAE, Autoencoder

    return check_instance(model, name, (Autoencoder, VAE), "an Autoencoder or a VAE",
                          MODEL_HINT)


def _sizes(model: Autoencoder | VAE) -> tuple[int, int]:
    """The model's (in_features, code) sizes."""
    return int(model.in_features), int(model.code)


def _variational(model: Autoencoder | VAE) -> bool:
    from .autoencoders import VAE

    return isinstance(model, VAE)


def _outputs_logits(model: Autoencoder | VAE) -> bool:
    """Whether the decoder's output is logits (Bernoulli VAE, non-linear autoencoder) rather
    than a mean in pixel units (Gaussian VAE, linear autoencoder)."""
    if _variational(model):
        return model.decoder_kind == "bernoulli"
    return not model.linear


def _check_images(images: Any, model: Autoencoder | VAE | None = None,
                 name: str = "images") -> Tensor:
    """Check a batch of flattened square images [M, F] (F = side * side, e.g. 64 or 784),
    floating point and finite, with at least one image; with ``model``, F must be its
    ``in_features``. Returns ``images``."""
    check_tensor(images, name, floating=True)
    if images.dim() != 2:
        hint = (f"; flatten them with {name}.reshape(len({name}), -1)"
                if images.dim() == 3 else "")
        raise ValueError(f"{name}: expected flattened images of shape [M, F] (F = 64 for "
                         f"8x8 digits, 784 for MNIST), got {list(images.shape)}{hint}")
    count, features = images.shape
    if count == 0:
        raise ValueError(f"{name}: expected at least one image, got shape "
                         f"{list(images.shape)}")
    side = math.isqrt(features)
    if side == 0 or side * side != features:
        raise ValueError(f"{name}: expected square images (F = side * side, e.g. 64 or 784), "
                         f"got F = {features}")
    if model is not None:
        in_features = _sizes(model)[0]
        if features != in_features:
            raise ValueError(f"{name}: expected {in_features} pixels per image (the model has "
                             f"in_features={in_features}), got {features}")
    check_finite(images, name)
    return images


def _check_image(image: Any, features: int, name: str) -> Tensor:
    """One flattened image [F] (or [1, F]) with F = ``features``; returns it as [F]."""
    check_tensor(image, name, floating=True)
    if image.dim() == 2 and image.size(0) == 1:
        image = image[0]  # [1, F] -> [F]
    if image.dim() != 1 or image.numel() != features:
        raise ValueError(f"{name}: expected one flattened image of shape [{features}] (a row "
                         f"of images, images[k]), got {list(image.shape)}")
    check_finite(image, name)
    return image


def _check_point(z: Any, code: int, name: str = "z") -> Tensor:
    """A point of the code space: a tensor [D] (or [1, D]) or a sequence of D numbers;
    returned as a float tensor [D]."""
    if isinstance(z, Tensor):
        check_tensor(z, name, floating=True)
        point = z.detach().reshape(-1) if z.dim() == 2 and z.size(0) == 1 else z.detach()
    elif isinstance(z, Sequence) and not isinstance(z, (str, bytes)):
        point = torch.tensor([check_number(v, f"{name}[{k}]") for k, v in enumerate(z)])
    else:
        raise TypeError(f"{name}: expected a point of the code space (a tensor [{code}] or "
                        f"{code} numbers), got {type(z).__name__}")
    if point.dim() != 1 or point.numel() != code:
        raise ValueError(f"{name}: expected {code} coordinates (the model's code size), got "
                         f"shape {list(point.shape)}")
    check_finite(point, name)
    return point.float()


def _check_steps(steps: Any) -> int:
    return check_positive_int(steps, "steps", minimum=2)


def _evaluate(model: Autoencoder | VAE, call: Any) -> Tensor:
    """``call()`` with ``model`` in evaluation mode and without gradients, the model's mode
    restored afterwards."""
    with evaluating(model):
        return call()


def _place(model: Autoencoder | VAE, values: Tensor) -> Tensor:
    """``values`` on the model's device and in its dtype."""
    weight = next(model.parameters())
    return values.detach().to(weight.device, weight.dtype)


def _encode(model: Autoencoder | VAE, images: Tensor) -> Tensor:
    """Codes [M, D] on the CPU: the autoencoder's code, the VAE's mean."""
    x = _place(model, images)

    def run() -> Tensor:
        out = model.encode(x)
        return out[0] if _variational(model) else out  # VAE: (mu, logvar) -> mu

    return _evaluate(model, run).float().cpu()


def _decode(model: Autoencoder | VAE, z: Tensor) -> Tensor:
    """Images [K, F] in [0, 1] on the CPU decoded from the points z [K, D]."""
    out = _evaluate(model, lambda: model.decode(_place(model, z))).float().cpu()
    return torch.sigmoid(out) if _outputs_logits(model) else out.clamp(0.0, 1.0)


def latent_codes(model: Autoencoder | VAE, images: Tensor) -> Tensor:
    """The codes of ``images`` [M, F]: ``z_m = f(x_m)`` for an autoencoder, the mean
    ``mu(x_m)`` of q(z | x_m) for a VAE (no sampling), [M, D] float on the CPU (D = 2 for
    the chapter's explorer). The model runs in evaluation mode without gradients (its mode
    is restored afterwards)."""
    model = _check_model(model)
    images = _check_images(images, model)
    return _encode(model, images)


def decode_point(model: Autoencoder | VAE, z: Any) -> Tensor:
    """The image the decoder makes of one point ``z`` of the code space ([D] tensor or D
    numbers): [F] in [0, 1] on the CPU, ``sigmoid(g(z))`` for a decoder of logits (Bernoulli
    VAE, non-linear autoencoder), ``clamp(g(z), 0, 1)`` for a decoder of means (Gaussian VAE,
    linear autoencoder)."""
    model = _check_model(model)
    point = _check_point(z, _sizes(model)[1])
    return _decode(model, point[None])[0]  # [1, D] -> [1, F] -> [F]


def _fractions(steps: int) -> Tensor:
    """``t_k = k / (S - 1)`` for k = 0..S-1: [S], from 0 to 1."""
    return torch.linspace(0.0, 1.0, steps)


def code_line(model: Autoencoder | VAE, image_a: Tensor, image_b: Tensor,
              steps: int = 9) -> Tensor:
    """The decoded line between two images' codes: with z_a, z_b their codes
    (:func:`latent_codes`) and t_k = k / (S - 1)::

        out[k] = decode((1 - t_k) z_a + t_k z_b),   k = 0..S-1

    [S, F] in [0, 1] (see :func:`decode_point`); ``out[0]`` and ``out[-1]`` are the
    reconstructions of ``image_a`` and ``image_b`` ([F] each), ``steps`` >= 2."""
    model = _check_model(model)
    features, _ = _sizes(model)
    a = _check_image(image_a, features, "image_a")
    b = _check_image(image_b, features, "image_b")
    steps = _check_steps(steps)
    codes = _encode(model, torch.stack([a, b]))  # [2, F] -> [2, D]
    t = _fractions(steps)[:, None]  # [S, 1]
    return _decode(model, (1 - t) * codes[0] + t * codes[1])  # [S, D] -> [S, F]


def pixel_line(image_a: Tensor, image_b: Tensor, steps: int = 9) -> Tensor:
    """The pixel blend between two images [F]: ``out[k] = (1 - t_k) x_a + t_k x_b`` with
    t_k = k / (S - 1), [S, F]; ``out[0]`` is ``image_a``, ``out[-1]`` ``image_b``."""
    check_tensor(image_a, "image_a", floating=True)
    a = _check_image(image_a, image_a.numel(), "image_a")
    b = _check_image(image_b, a.numel(), "image_b")
    steps = _check_steps(steps)
    t = _fractions(steps)[:, None]  # [S, 1]
    return ((1 - t) * a.detach().float().cpu() + t * b.detach().float().cpu())  # [S, F]


def code_bounds(codes: Tensor, margin: float = 0.1) -> Tensor:
    """The box the explorer's sliders span: per code dimension d, the codes' range widened
    by ``margin`` times its width on each side (by ``margin`` itself when all codes agree),
    ``[D, 2]`` (low, high)."""
    check_tensor(codes, "codes", ndim=2, floating=True)
    if codes.size(0) == 0 or codes.size(1) == 0:
        raise ValueError(f"codes: expected at least one code of at least one dimension, got "
                         f"shape {list(codes.shape)}")
    check_finite(codes, "codes")
    margin = check_number(margin, "margin", 0, finite=True)
    values = codes.detach().float().cpu()
    low, high = values.min(0).values, values.max(0).values  # [D] each
    pad = torch.where(high > low, (high - low) * margin, torch.full_like(low, margin))
    return torch.stack([low - pad, high + pad], 1)  # [D, 2]


def nearest_image(images: Tensor, image: Tensor) -> tuple[int, float]:
    """The row of ``images`` [M, F] closest to ``image`` [F] and their root-mean-square pixel
    difference ``sqrt(mean_p (images[m, p] - image[p])^2)`` (0 to 1 for images in [0, 1]):
    how much the image looks like a real one."""
    images = _check_images(images)
    x = _check_image(image, images.size(1), "image").detach().float().cpu()
    distances = (images.detach().float().cpu() - x).pow(2).mean(1).sqrt()  # [M]
    index = int(distances.argmin())
    return index, float(distances[index])


class LatentView(NamedTuple):
    """What the chapter 07 explorer draws (built by :func:`latent_view`).

    Attributes:
        codes: every image's code [M, 2]; ``labels`` [M] their classes.
        point: the point the sliders set [2]; ``decoded`` its image [F] in [0, 1].
        first, second: the indices of the two images the line joins; ``t`` in [0, 1].
        at_t: the code ``(1 - t) z_first + t z_second`` [2].
        code_image, pixel_image: the decoded image at ``at_t`` and the pixel blend at t [F].
        code_strip, pixel_strip: the whole lines, :func:`code_line` and :func:`pixel_line`
            [S, F].
        near_point, near_code, near_pixel: (index, RMS distance) of the real image closest
            to ``decoded``, ``code_image`` and ``pixel_image`` (:func:`nearest_image`).
    """

    codes: Tensor
    labels: Tensor
    point: Tensor
    decoded: Tensor
    first: int
    second: int
    t: float
    at_t: Tensor
    code_image: Tensor
    pixel_image: Tensor
    code_strip: Tensor
    pixel_strip: Tensor
    near_point: tuple[int, float]
    near_code: tuple[int, float]
    near_pixel: tuple[int, float]


def _check_labels(labels: Any, count: int, name: str = "labels") -> Tensor:
    """Integer class labels [M] for ``count`` images."""
    check_tensor(labels, name, floating=False)
    if labels.dim() != 1 or labels.numel() != count:
        raise ValueError(f"{name}: expected one label per image, shape [{count}], got "
                         f"{list(labels.shape)}")
    return labels


def _check_two_dimensional(model: Autoencoder | VAE, name: str = "model") -> None:
    """Raise ``ValueError`` unless the model's code has 2 dimensions (what can be drawn)."""
    code = _sizes(model)[1]
    if code != 2:
        raise ValueError(f"{name}: expected a model with a 2-D code (code=2) to draw its "
                         f"code space, got code={code}")


def latent_view(model: Autoencoder | VAE, images: Tensor, labels: Tensor, point: Any,
                first: int, second: int, t: float, steps: int = 9) -> LatentView:
    """Everything the explorer shows for one setting of its controls: the codes of all
    ``images`` [M, F] (with their ``labels`` [M]), the image decoded at ``point`` (2
    numbers), and the line between the codes of images ``first`` and ``second`` at ``t`` in
    [0, 1] and over ``steps`` points, in code space and in pixel space. The model must have
    a 2-D code. Returns a :class:`LatentView`."""
    model = _check_model(model)
    _check_two_dimensional(model)
    images = _check_images(images, model)
    labels = _check_labels(labels, images.size(0))
    position = _check_point(point, 2, "point")
    first = check_index(first, images.size(0), "first", "an image index")
    second = check_index(second, images.size(0), "second", "an image index")
    t = check_number(t, "t", 0, 1)
    steps = _check_steps(steps)
    codes = _encode(model, images)  # [M, 2]
    decoded = _decode(model, position[None])[0]  # [F]
    at_t = (1 - t) * codes[first] + t * codes[second]  # [2]
    code_image = _decode(model, at_t[None])[0]  # [F]
    a, b = images[first].detach().float().cpu(), images[second].detach().float().cpu()
    pixel_image = (1 - t) * a + t * b  # [F]
    fractions = _fractions(steps)[:, None]  # [S, 1]
    code_strip = _decode(model, (1 - fractions) * codes[first] + fractions * codes[second])
    pixel_strip = (1 - fractions) * a + fractions * b  # [S, F]
    return LatentView(codes, labels.detach().cpu().long(), position, decoded, first, second,
                      t, at_t, code_image, pixel_image, code_strip, pixel_strip,
                      nearest_image(images, decoded), nearest_image(images, code_image),
                      nearest_image(images, pixel_image))


def _side(features: Any) -> int:
    """The side of a square image of ``features`` pixels (8 for 64, 28 for 784)."""
    features = _as_int(features, "features", "a number of pixels (an int)")
    side = math.isqrt(max(features, 0))
    if features <= 0 or side * side != features:
        raise ValueError(f"features: expected a square number of pixels (64, 784, ...), got "
                         f"{features}")
    return side
