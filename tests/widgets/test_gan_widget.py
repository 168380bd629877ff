"""The chapter 08 explorer: a slider over saved steps wired to nn.gan_training and viz."""

import matplotlib.pyplot as plt
import pytest
import torch

from graphcourse.data.toy import gaussian_mixture_2d, mode_centres
from graphcourse.nn import gan_training
from graphcourse.nn.gans import DCDiscriminator, DCGenerator, MLPDiscriminator, MLPGenerator
from graphcourse.widgets import gan_explorer
from graphcourse.widgets.gan import QUESTION


def _history(images=False):
    torch.manual_seed(0)
    if images:
        return gan_training.train_gan(DCGenerator(4, 4), DCDiscriminator(4),
                                      torch.rand(20, 1, 8, 8) * 2 - 1, 4, batch_size=4,
                                      snapshot_every=2, snapshot_count=6)
    data, _ = gaussian_mixture_2d(300, generator=torch.Generator().manual_seed(0))
    return gan_training.train_gan(MLPGenerator(2, 8, 2), MLPDiscriminator(2, 8), data, 20,
                                  snapshot_every=5, snapshot_count=50, grid_size=10)


def test_explorer_redraws_for_every_saved_step():
    import ipywidgets as widgets

    plt.close("all")
    history = _history()
    view = gan_explorer(history, mode_centres(), 0.05)
    question, slider, picture, numbers = view.children
    assert QUESTION in question.value and isinstance(picture, widgets.Image)
    assert bytes(picture.value).startswith(b"\x89PNG")
    assert view.shown.step == 20 and "modes covered" in numbers.value
    for k, step in enumerate(history.steps[:-1]):
        before, text = bytes(picture.value), numbers.value
        slider.value = k
        assert view.shown.step == step and view.shown.index == k
        assert bytes(picture.value) != before and numbers.value != text
    expected = gan_training.gan_view(history, 3, mode_centres(), 0.05)
    torch.testing.assert_close(view.shown.samples, expected.samples)
    assert plt.get_fignums() == []


def test_images_show_a_grid_and_no_surface():
    view = gan_explorer(_history(images=True), index=0)
    assert view.shown.step == 0 and view.shown.surface is None
    view.children[1].value = 2
    assert view.shown.step == 4


def test_an_error_is_shown_in_place_of_the_drawing():
    history = _history()
    view = gan_explorer(history)
    history.samples[1] = torch.full((50, 2), float("nan"))  # a broken snapshot
    view.children[1].value = 1
    assert view.shown is None and view.children[2].layout.display == "none"
    assert "samples: expected finite values" in view.children[3].value


@pytest.mark.parametrize("change, error, match", [
    ({"history": [1, 2]}, TypeError, r"history: expected a GANHistory"),
    ({"history": gan_training.GANHistory()}, ValueError, r"history: expected at least one"),
    ({"index": 9}, ValueError, r"index: expected a snapshot index in \[0, 5\), got 9"),
    ({"index": 1.0}, TypeError, r"index: expected a snapshot index \(an int\)"),
    ({"centres": mode_centres()}, ValueError, r"std: expected both centres and std"),
    ({"centres": mode_centres(), "std": 0.0}, ValueError, r"std: expected a positive"),
    ({"centres": torch.zeros(8, 3), "std": 0.05}, ValueError, r"centres: expected \[K, 2\]"),
])
def test_arguments_are_checked_before_any_control_is_built(change, error, match, monkeypatch):
    import ipywidgets

    def no_controls(*args, **kwargs):
        raise AssertionError("a control was built before the arguments were checked")

    monkeypatch.setattr(ipywidgets, "SelectionSlider", no_controls)
    arguments = {"history": _history(), **change}
    with pytest.raises(error, match=match):
        gan_explorer(**arguments)
