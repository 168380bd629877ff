"""Chapter 07's code space: nn.latent (codes, decoded points, lines) and viz.latent."""

import matplotlib.pyplot as plt
import pytest
import torch

from graphcourse import viz
from graphcourse.nn import latent
from graphcourse.nn.autoencoders import VAE, Autoencoder


def _images(count=12, features=64, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(count, features, generator=generator)


def _labels(count=12):
    return torch.arange(count) % 10


def _models():
    torch.manual_seed(0)
    return {"ae": Autoencoder(64, 16, 2), "linear": Autoencoder(64, 16, 2, linear=True),
            "bernoulli": VAE(64, 16, 2), "gaussian": VAE(64, 16, 2, decoder="gaussian")}


@pytest.mark.parametrize("kind", ["ae", "linear"])
def test_an_autoencoders_codes_are_its_encoder_output(kind):
    model, images = _models()[kind], _images()
    with torch.no_grad():
        expected = model.encode(images)
    codes = latent.latent_codes(model, images)
    assert codes.shape == (12, 2) and not codes.requires_grad
    torch.testing.assert_close(codes, expected)


@pytest.mark.parametrize("kind", ["bernoulli", "gaussian"])
def test_a_vaes_codes_are_the_means_without_sampling(kind):
    model, images = _models()[kind], _images()
    model.train()
    with torch.no_grad():
        mu, _ = model.encode(images)
    torch.testing.assert_close(latent.latent_codes(model, images), mu)
    torch.testing.assert_close(latent.latent_codes(model, images), mu)  # no noise
    assert model.training  # the mode is restored


def test_decoded_points_are_images_in_the_unit_interval():
    models, z = _models(), torch.tensor([0.3, -1.2])
    with torch.no_grad():
        for kind in ("ae", "bernoulli"):  # decoders of logits: the sigmoid
            torch.testing.assert_close(latent.decode_point(models[kind], z),
                                       torch.sigmoid(models[kind].decode(z[None])[0]))
        for kind in ("linear", "gaussian"):  # decoders of means: clamped
            torch.testing.assert_close(latent.decode_point(models[kind], z),
                                       models[kind].decode(z[None])[0].clamp(0, 1))
    far = latent.decode_point(models["gaussian"], [40.0, -40.0])
    assert far.shape == (64,) and 0 <= float(far.min()) and float(far.max()) <= 1
    torch.testing.assert_close(latent.decode_point(models["ae"], [0.3, -1.2]),
                               latent.decode_point(models["ae"], z))


@pytest.mark.parametrize("kind", ["ae", "bernoulli", "gaussian"])
def test_the_code_line_decodes_the_segment_between_the_two_codes(kind):
    model, images = _models()[kind], _images()
    line = latent.code_line(model, images[3], images[7], steps=5)
    assert line.shape == (5, 64)
    codes = latent.latent_codes(model, images[[3, 7]])
    for k, t in enumerate([0.0, 0.25, 0.5, 0.75, 1.0]):
        point = (1 - t) * codes[0] + t * codes[1]
        torch.testing.assert_close(line[k], latent.decode_point(model, point))


def test_the_pixel_line_blends_the_two_images():
    a, b = _images()[0], _images()[1]
    line = latent.pixel_line(a, b, steps=3)
    assert line.shape == (3, 64)
    torch.testing.assert_close(line[0], a)
    torch.testing.assert_close(line[1], (a + b) / 2)
    torch.testing.assert_close(line[2], b)
    torch.testing.assert_close(latent.pixel_line(a[None], b, steps=2)[1], b)  # [1, F] is fine


def test_code_bounds_hold_every_code_with_a_margin():
    codes = torch.tensor([[0.0, 1.0], [2.0, 1.0], [1.0, 1.0]])
    bounds = latent.code_bounds(codes, margin=0.25)
    torch.testing.assert_close(bounds, torch.tensor([[-0.5, 2.5], [0.75, 1.25]]))
    torch.testing.assert_close(latent.code_bounds(codes, margin=0)[0], torch.tensor([0.0, 2.0]))


def test_the_nearest_image_is_found_with_its_rms_distance():
    images = _images()
    assert latent.nearest_image(images, images[5]) == (5, 0.0)
    index, distance = latent.nearest_image(images, images[5] + 0.1)
    assert index == 5 and distance == pytest.approx(0.1, abs=1e-6)


def test_the_view_gathers_what_the_explorer_draws():
    model, images, labels = _models()["bernoulli"], _images(), _labels()
    view = latent.latent_view(model, images, labels, [0.5, -0.5], 2, 9, 0.25, steps=5)
    codes = latent.latent_codes(model, images)
    torch.testing.assert_close(view.codes, codes)
    torch.testing.assert_close(view.decoded, latent.decode_point(model, [0.5, -0.5]))
    torch.testing.assert_close(view.at_t, 0.75 * codes[2] + 0.25 * codes[9])
    torch.testing.assert_close(view.code_image, view.code_strip[1])  # t = 0.25, the 2nd of 5
    torch.testing.assert_close(view.pixel_image, 0.75 * images[2] + 0.25 * images[9])
    torch.testing.assert_close(view.code_strip, latent.code_line(model, images[2], images[9], 5))
    torch.testing.assert_close(view.pixel_strip, latent.pixel_line(images[2], images[9], 5))
    assert view.near_pixel == latent.nearest_image(images, view.pixel_image)
    assert (view.first, view.second, view.t) == (2, 9, 0.25)


def test_the_view_needs_a_two_dimensional_code():
    model = VAE(64, 16, 3)
    with pytest.raises(ValueError, match=r"model: expected a model with a 2-D code \(code=2\)"):
        latent.latent_view(model, _images(), _labels(), [0, 0], 0, 1, 0.5)
    assert latent.latent_codes(model, _images()).shape == (12, 3)  # other functions take any D


def test_mnist_sized_images_work():
    torch.manual_seed(0)
    model, images = Autoencoder(784, 8, 2), _images(4, 784)
    view = latent.latent_view(model, images, _labels(4), [0, 0], 0, 1, 0.5, steps=3)
    assert view.code_strip.shape == (3, 784)
    assert bytes(viz.render_latent(view)).startswith(b"\x89PNG")


def test_render_and_summary():
    plt.close("all")
    model, images, labels = _models()["ae"], _images(), _labels()
    view = latent.latent_view(model, images, labels, [0.1, 0.2], 0, 3, 0.5, steps=4)
    png = viz.render_latent(view)
    assert bytes(png).startswith(b"\x89PNG")
    assert plt.get_fignums() == []  # made without pyplot
    lines = viz.latent_summary(view)
    assert lines[0].startswith("point (0.10, 0.20): decoded digit's closest real image ")
    assert lines[1].startswith("line from image 0 (label 0) to image 3 (label 3), t = 0.50")
    assert "decoded on the code line" in lines[2] and "blended in pixel space" in lines[3]


def test_the_plots_draw_on_a_given_axes():
    figure, axes = plt.subplots(1, 3)
    codes, labels = torch.randn(12, 2), _labels()
    assert viz.draw_codes(codes, labels, ax=axes[0], point=torch.zeros(2),
                          line=(codes[0], codes[1]), at=codes[0]) is axes[0]
    assert viz.draw_digit(_images()[0], ax=axes[1], title="x") is axes[1]
    assert viz.draw_strip(_images()[:5], ax=axes[2]) is axes[2]
    assert [t.get_text() for t in axes[2].get_xticklabels()] == ["0", "0.25", "0.5", "0.75",
                                                                  "1"]
    plt.close(figure)
