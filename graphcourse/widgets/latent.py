"""The latent explorer (chapter 07).

Move a point in a 2-D code space and pick two images and a position t on the line between
them: the view wires its controls to :func:`graphcourse.nn.latent.latent_view` (codes, decoded
points, the line in code space and in pixel space) and draws with
:func:`graphcourse.viz.render_latent`.
"""

from __future__ import annotations

import html
from typing import Any

from torch import Tensor

from .._validate import check_index, check_positive_int
from ..nn.latent import (
    LatentView,
    _check_images,
    _check_labels,
    _check_model,
    _check_two_dimensional,
    _encode,
    code_bounds,
    latent_view,
)
from ..viz import latent_summary, render_latent
from ._display import show, show_error

QUESTION = ("What lives between the digits: does the code space interpolate better than the "
            "pixels?")


def latent_explorer(model: Any, images: Tensor, labels: Tensor, first: int = 0,
                    second: int = 1, steps: int = 9) -> Any:
    """What lives between the digits: does the code space interpolate better than the
    pixels?

    Left, the codes of all ``images`` coloured by their ``labels``; the sliders z1 and z2
    move a point (black cross) over them, and the digit the decoder makes of it is drawn next
    to them. The boxes ``a`` and ``b`` pick two images by index and the slider t a position
    on the line between their codes (red): the digit decoded at ``(1 - t) z_a + t z_b`` is
    drawn next to the pixel blend ``(1 - t) x_a + t x_b``, and both whole lines, over
    ``steps`` points, as strips. The lines below give, for each, how far (RMS pixel
    distance) it is from the closest real image.

    ``model`` is an :class:`~graphcourse.nn.Autoencoder` or a :class:`~graphcourse.nn.VAE`
    with a 2-D code (a VAE's code for an image is the mean of q(z | x)); ``images`` [M, F]
    flattened square images (F = 64 for the 8x8 digits, 784 for MNIST; the model's
    ``in_features``), ``labels`` [M] integer classes; ``first`` and ``second`` the indices
    of the two images the line starts with, ``steps`` >= 2. The sliders span the codes'
    range with a margin (:func:`~graphcourse.nn.latent.code_bounds`) and start at image
    ``first``'s code. Everything is checked before any control is built; an index typed into
    a box that the images do not have is reported in place of the drawing. Every change
    recomputes the codes and the decoded images with the model in evaluation mode. The
    returned box's ``shown`` is the :class:`~graphcourse.nn.latent.LatentView` on display,
    None while an error is shown.
    """
    import ipywidgets as widgets

    model = _check_model(model)
    _check_two_dimensional(model)
    images = _check_images(images, model)
    count = images.size(0)
    labels = _check_labels(labels, count)
    first = check_index(first, count, "first", "an image index")
    second = check_index(second, count, "second", "an image index")
    steps = check_positive_int(steps, "steps", minimum=2)

    codes = _encode(model, images)  # [M, 2]
    bounds = code_bounds(codes).tolist()  # [[low, high] for z1, z2]
    z_sliders = [widgets.FloatSlider(value=float(codes[first, d]), min=low, max=high,
                                     step=(high - low) / 200, description=f"z{d + 1}",
                                     continuous_update=False, readout_format=".2f")
                 for d, (low, high) in enumerate(bounds)]
    a_box = widgets.IntText(value=first, description="a")
    b_box = widgets.IntText(value=second, description="b")
    t_slider = widgets.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.05, description="t",
                                   continuous_update=False, readout_format=".2f")
    question = widgets.HTML(value=f"<b>{html.escape(QUESTION)}</b>")
    picture = widgets.Image(format="png")
    numbers = widgets.HTML()
    box = widgets.VBox([question, widgets.HBox(z_sliders),
                        widgets.HBox([a_box, b_box, t_slider]), picture, numbers])

    def redraw(*_: Any) -> None:
        box.shown = None
        try:
            here_a = check_index(a_box.value, count, "a", "an image index")  # as the control
            here_b = check_index(b_box.value, count, "b", "an image index")
            view: LatentView = latent_view(model, images, labels,
                                           [s.value for s in z_sliders], here_a, here_b,
                                           t_slider.value, steps)
        except (TypeError, ValueError) as error:
            show_error(picture, numbers, error)
            return
        box.shown = view
        show(picture, numbers, render_latent(view), latent_summary(view))

    for control in (*z_sliders, a_box, b_box, t_slider):
        control.observe(redraw, names="value")
    redraw()
    return box
