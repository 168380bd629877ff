"""The chapter 07 explorer: sliders, image boxes and t wired to nn.latent and viz."""

import matplotlib.pyplot as plt
import pytest
import torch

from graphcourse.nn import latent
from graphcourse.nn.autoencoders import VAE, Autoencoder
from graphcourse.widgets import latent_explorer
from graphcourse.widgets.latent import QUESTION
from harness import widget_tree


def _data(count=20, features=64):
    generator = torch.Generator().manual_seed(0)
    return torch.rand(count, features, generator=generator), torch.arange(count) % 10


def _model(kind="vae", code=2):
    torch.manual_seed(0)
    return VAE(64, 16, code) if kind == "vae" else Autoencoder(64, 16, code)


def _parts(view):
    question, sliders, picks, picture, numbers = view.children
    (z1, z2), (a_box, b_box, t_slider) = sliders.children, picks.children
    return question, z1, z2, a_box, b_box, t_slider, picture, numbers


@pytest.mark.parametrize("kind", ["vae", "ae"])
def test_explorer_is_an_image_and_html_view_that_redraws_on_every_control(kind):
    import ipywidgets as widgets

    plt.close("all")
    model, (images, labels) = _model(kind), _data()
    view = latent_explorer(model, images, labels, first=2, second=5)
    question, z1, z2, a_box, b_box, t_slider, picture, numbers = _parts(view)
    assert QUESTION in question.value
    assert isinstance(picture, widgets.Image) and isinstance(numbers, widgets.HTML)
    assert not any(isinstance(w, widgets.Output) for w in widget_tree(view))
    assert bytes(picture.value).startswith(b"\x89PNG")
    codes = latent.latent_codes(model, images)
    assert (z1.value, z2.value) == pytest.approx(codes[2].tolist(), abs=1e-6)
    bounds = latent.code_bounds(codes)
    assert (z1.min, z1.max) == pytest.approx(bounds[0].tolist())
    assert (z2.min, z2.max) == pytest.approx(bounds[1].tolist())
    assert "line from image 2 (label 2) to image 5 (label 5), t = 0.50" in numbers.value

    for control, value, check in [
        (z1, (z1.min + z1.max) / 2, lambda shown: shown.point[0] == pytest.approx(z1.value)),
        (z2, z2.max, lambda shown: shown.point[1] == pytest.approx(z2.max)),
        (a_box, 7, lambda shown: shown.first == 7),
        (b_box, 11, lambda shown: shown.second == 11),
        (t_slider, 0.25, lambda shown: shown.t == 0.25),
    ]:
        before, text = bytes(picture.value), numbers.value
        control.value = value
        assert check(view.shown), control.description
        assert bytes(picture.value) != before, control.description
        assert numbers.value != text, control.description
    assert "line from image 7 (label 7) to image 11 (label 1), t = 0.25" in numbers.value
    expected = latent.latent_view(model, images, labels, [z1.value, z2.value], 7, 11, 0.25)
    for name in ("codes", "decoded", "at_t", "code_image", "pixel_image", "code_strip"):
        torch.testing.assert_close(getattr(view.shown, name), getattr(expected, name))
    assert plt.get_fignums() == []  # nothing displayed or left open through pyplot


def test_every_redraw_recomputes_with_the_current_weights():
    model, (images, labels) = _model(), _data()
    view = latent_explorer(model, images, labels)
    t_slider, numbers = _parts(view)[5], _parts(view)[7]
    first, text = view.shown, numbers.value
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.mul_(3.0)
    t_slider.value = 0.3
    t_slider.value = 0.5
    assert not torch.allclose(view.shown.codes, first.codes)
    torch.testing.assert_close(view.shown.codes, latent.latent_codes(model, images))
    assert not torch.allclose(view.shown.code_image, first.code_image)
    assert numbers.value != text


def test_an_image_the_data_does_not_have_is_shown_in_place_of_the_drawing():
    view = latent_explorer(_model(), *_data())
    _, _, _, a_box, b_box, _, picture, numbers = _parts(view)
    a_box.value = 20  # the box does not cap what is typed
    assert view.shown is None and picture.layout.display == "none"
    assert "a: expected an image index in [0, 20), got 20" in numbers.value
    a_box.value = 4
    assert view.shown.first == 4 and picture.layout.display != "none"
    b_box.value = -1
    assert view.shown is None and "b: expected an image index in [0, 20), got -1" \
        in numbers.value
    b_box.value = 0
    assert view.shown.second == 0 and "line from image 4 (label 4) to image 0" in numbers.value


@pytest.mark.parametrize("change, error, match", [
    ({"first": 20}, ValueError, r"first: expected an image index in \[0, 20\), got 20"),
    ({"second": -1}, ValueError, r"second: expected an image index in \[0, 20\), got -1"),
    ({"first": 1.0}, TypeError, r"first: expected an image index \(an int\), got float"),
    ({"steps": 1}, ValueError, r"steps: expected an int >= 2"),
    ({"model": VAE(64, 16, 3)}, ValueError, r"model: expected a model with a 2-D code"),
    ({"model": torch.nn.Linear(64, 2)}, TypeError, r"model: expected an Autoencoder or a VAE"),
    ({"images": torch.rand(20, 8, 8)}, ValueError, r"images: expected flattened images of "
                                                   r"shape \[M, F\].*reshape"),
    ({"images": torch.rand(20, 63)}, ValueError, r"images: expected square images"),
    ({"images": torch.rand(20, 784)}, ValueError, r"images: expected 64 pixels per image"),
    ({"images": torch.randint(0, 2, (20, 64))}, TypeError, r"images: expected a floating"),
    ({"images": torch.full((20, 64), float("nan"))}, ValueError, r"images: expected finite"),
    ({"labels": torch.arange(19)}, ValueError, r"labels: expected one label per image"),
    ({"labels": torch.rand(20)}, TypeError, r"labels: expected an integer tensor"),
])
def test_arguments_are_checked_before_any_control_is_built(change, error, match, monkeypatch):
    import ipywidgets

    def no_controls(*args, **kwargs):
        raise AssertionError("a control was built before the arguments were checked")

    monkeypatch.setattr(ipywidgets, "FloatSlider", no_controls)
    monkeypatch.setattr(ipywidgets, "IntText", no_controls)
    images, labels = _data()
    arguments = {"model": _model(), "images": images, "labels": labels, **change}
    with pytest.raises(error, match=match):
        latent_explorer(**arguments)
