"""Chapter 07's explorer: nn.latent, viz.latent and widgets.latent_explorer."""

import torch

from graphcourse import viz, widgets
from graphcourse.nn import latent
from graphcourse.nn.autoencoders import VAE, Autoencoder

from . import Bad

L = "graphcourse.nn.latent"
V = "graphcourse.viz.latent"
W = "graphcourse.widgets.latent:latent_explorer"
IMAGES = torch.rand(6, 64)  # [M, F]
LABELS = torch.arange(6)


def _vae(code=2):
    torch.manual_seed(0)
    return VAE(64, 8, code)


def _ae():
    torch.manual_seed(0)
    return Autoencoder(64, 8, 2)


def _view():
    return latent.latent_view(_vae(), IMAGES, LABELS, [0.0, 0.0], 0, 1, 0.5, steps=3)


def _explorer(**arguments):
    base = dict(model=_vae(), images=IMAGES, labels=LABELS)
    base.update(arguments)
    return widgets.latent_explorer(**base)


EXEMPT = {f"{L}:LatentView": "a result container that latent_view builds"}

ROWS = [
    # ------------------------------------------------------------------ pure functions
    Bad(f"{L}:latent_codes", "a model that is not an autoencoder",
        lambda: latent.latent_codes(torch.nn.Linear(64, 2), IMAGES), TypeError,
        r"model: expected an Autoencoder or a VAE, got Linear"),
    Bad(f"{L}:latent_codes", "images as [M, 8, 8] grids",
        lambda: latent.latent_codes(_vae(), IMAGES.reshape(6, 8, 8)), ValueError,
        r"images: expected flattened images of shape \[M, F\].*flatten them"),
    Bad(f"{L}:latent_codes", "MNIST images for a digits model",
        lambda: latent.latent_codes(_vae(), torch.rand(2, 784)), ValueError,
        r"images: expected 64 pixels per image \(the model has in_features=64\)"),
    Bad(f"{L}:latent_codes", "integer pixel values (0..16 of the raw digits)",
        lambda: latent.latent_codes(_vae(), IMAGES.long()), TypeError,
        r"images: expected a floating-point tensor"),
    Bad(f"{L}:latent_codes", "NaN pixels",
        lambda: latent.latent_codes(_vae(), torch.full((2, 64), float("nan"))), ValueError,
        r"images: expected finite values"),
    Bad(f"{L}:latent_codes", "no images",
        lambda: latent.latent_codes(_vae(), torch.rand(0, 64)), ValueError,
        r"images: expected at least one image"),
    Bad(f"{L}:decode_point", "a point of the wrong dimension",
        lambda: latent.decode_point(_vae(), [0.0, 0.0, 1.0]), ValueError,
        r"z: expected 2 coordinates \(the model's code size\), got shape \[3\]"),
    Bad(f"{L}:decode_point", "a string for the point",
        lambda: latent.decode_point(_vae(), "0, 0"), TypeError,
        r"z: expected a point of the code space"),
    Bad(f"{L}:decode_point", "an infinite coordinate",
        lambda: latent.decode_point(_vae(), torch.tensor([0.0, float("inf")])), ValueError,
        r"z: expected finite values"),
    Bad(f"{L}:decode_point", "a model that is not an autoencoder",
        lambda: latent.decode_point(torch.nn.Linear(2, 64), [0.0, 0.0]), TypeError,
        r"model: expected an Autoencoder or a VAE"),
    Bad(f"{L}:code_line", "one steps (no line)",
        lambda: latent.code_line(_ae(), IMAGES[0], IMAGES[1], 1), ValueError,
        r"steps: expected an int >= 2"),
    Bad(f"{L}:code_line", "a float steps (would be truncated)",
        lambda: latent.code_line(_ae(), IMAGES[0], IMAGES[1], 4.0), TypeError,
        r"steps: expected an int"),
    Bad(f"{L}:code_line", "an index instead of an image",
        lambda: latent.code_line(_ae(), 0, IMAGES[1]), TypeError,
        r"image_a: expected a torch.Tensor, got int"),
    Bad(f"{L}:code_line", "two images instead of one",
        lambda: latent.code_line(_ae(), IMAGES[:2], IMAGES[1]), ValueError,
        r"image_a: expected one flattened image of shape \[64\]"),
    Bad(f"{L}:pixel_line", "images of different sizes",
        lambda: latent.pixel_line(IMAGES[0], torch.rand(784)), ValueError,
        r"image_b: expected one flattened image of shape \[64\]"),
    Bad(f"{L}:pixel_line", "zero steps",
        lambda: latent.pixel_line(IMAGES[0], IMAGES[1], 0), ValueError,
        r"steps: expected an int >= 2"),
    Bad(f"{L}:code_bounds", "one code as a 1-D tensor",
        lambda: latent.code_bounds(torch.zeros(2)), ValueError, r"codes: expected a 2-D tensor"),
    Bad(f"{L}:code_bounds", "a negative margin",
        lambda: latent.code_bounds(torch.zeros(3, 2), margin=-0.1), ValueError,
        r"margin: expected a non-negative number"),
    Bad(f"{L}:code_bounds", "NaN codes (a diverged model)",
        lambda: latent.code_bounds(torch.full((3, 2), float("nan"))), ValueError,
        r"codes: expected finite values"),
    Bad(f"{L}:nearest_image", "an image of another size",
        lambda: latent.nearest_image(IMAGES, torch.rand(63)), ValueError,
        r"image: expected one flattened image of shape \[64\]"),
    Bad(f"{L}:nearest_image", "a non-square image size",
        lambda: latent.nearest_image(torch.rand(3, 10), torch.rand(10)), ValueError,
        r"images: expected square images"),
    Bad(f"{L}:latent_view", "a model with a 3-D code",
        lambda: latent.latent_view(_vae(3), IMAGES, LABELS, [0, 0], 0, 1, 0.5), ValueError,
        r"model: expected a model with a 2-D code \(code=2\).*got code=3"),
    Bad(f"{L}:latent_view", "t outside [0, 1]",
        lambda: latent.latent_view(_vae(), IMAGES, LABELS, [0, 0], 0, 1, 1.5), ValueError,
        r"t: expected a number in \[0, 1\], got 1.5"),
    Bad(f"{L}:latent_view", "an image index the images lack",
        lambda: latent.latent_view(_vae(), IMAGES, LABELS, [0, 0], 0, 6, 0.5), ValueError,
        r"second: expected an image index in \[0, 6\), got 6"),
    Bad(f"{L}:latent_view", "labels of another set of images",
        lambda: latent.latent_view(_vae(), IMAGES, LABELS[:5], [0, 0], 0, 1, 0.5), ValueError,
        r"labels: expected one label per image, shape \[6\], got \[5\]"),
    Bad(f"{L}:latent_view", "one-hot labels",
        lambda: latent.latent_view(_vae(), IMAGES, torch.eye(6).long(), [0, 0], 0, 1, 0.5),
        ValueError, r"labels: expected one label per image, shape \[6\]"),
    # ------------------------------------------------------------------ drawings
    Bad(f"{V}:draw_codes", "codes of a 3-D code space",
        lambda: viz.draw_codes(torch.rand(6, 3), LABELS), ValueError,
        r"codes: expected codes of shape \[M, 2\]"),
    Bad(f"{V}:draw_codes", "float labels",
        lambda: viz.draw_codes(torch.rand(6, 2), LABELS.float()), TypeError,
        r"labels: expected an integer tensor"),
    Bad(f"{V}:draw_codes", "a point with three coordinates",
        lambda: viz.draw_codes(torch.rand(6, 2), LABELS, point=torch.zeros(3)), ValueError,
        r"point: expected a point of the code plane, 2 numbers"),
    Bad(f"{V}:draw_codes", "one point for the line",
        lambda: viz.draw_codes(torch.rand(6, 2), LABELS, line=torch.zeros(2)), TypeError,
        r"line: expected a pair \(z_a, z_b\) of points"),
    Bad(f"{V}:draw_digit", "a non-square image",
        lambda: viz.draw_digit(torch.rand(63)), ValueError,
        r"features: expected a square number of pixels"),
    Bad(f"{V}:draw_digit", "several images",
        lambda: viz.draw_digit(torch.rand(2, 64)), ValueError,
        r"image: expected one image \[F\], got 2 images"),
    Bad(f"{V}:draw_strip", "integer pixels",
        lambda: viz.draw_strip(torch.ones(3, 64, dtype=torch.long)), TypeError,
        r"images: expected a floating-point tensor"),
    Bad(f"{V}:draw_strip", "grids instead of flattened images",
        lambda: viz.draw_strip(torch.rand(3, 8, 8)), ValueError,
        r"images: expected flattened images \[S, F\]"),
    Bad(f"{V}:render_latent", "the codes instead of the view",
        lambda: viz.render_latent(torch.rand(6, 2)), TypeError,
        r"view: expected a LatentView, got Tensor"),
    Bad(f"{V}:latent_summary", "a dict instead of the view",
        lambda: viz.latent_summary(dict(_view()._asdict())), TypeError,
        r"view: expected a LatentView, got dict"),
    # ------------------------------------------------------------------ the explorer
    Bad(W, "a model with a 3-D code", lambda: _explorer(model=_vae(3)), ValueError,
        r"model: expected a model with a 2-D code"),
    Bad(W, "a model that is not an autoencoder",
        lambda: _explorer(model=torch.nn.Linear(64, 2)), TypeError,
        r"model: expected an Autoencoder or a VAE, got Linear"),
    Bad(W, "an image index beyond the images", lambda: _explorer(first=6), ValueError,
        r"first: expected an image index in \[0, 6\), got 6"),
    Bad(W, "a float image index (would be truncated)", lambda: _explorer(second=1.0),
        TypeError, r"second: expected an image index \(an int\), got float"),
    Bad(W, "images as [M, 8, 8] grids", lambda: _explorer(images=IMAGES.reshape(6, 8, 8)),
        ValueError, r"images: expected flattened images of shape \[M, F\]"),
    Bad(W, "images the model was not built for", lambda: _explorer(images=torch.rand(6, 784)),
        ValueError, r"images: expected 64 pixels per image"),
    Bad(W, "labels of another length", lambda: _explorer(labels=torch.arange(5)), ValueError,
        r"labels: expected one label per image, shape \[6\], got \[5\]"),
    Bad(W, "one step", lambda: _explorer(steps=1), ValueError, r"steps: expected an int >= 2"),
]
