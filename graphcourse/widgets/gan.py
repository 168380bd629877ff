"""The GAN training explorer (chapter 08).

A slider over the saved steps of a :class:`~graphcourse.nn.gan_training.GANHistory`: the
view wires it to :func:`graphcourse.nn.gan_training.gan_view` and draws with
:func:`graphcourse.viz.render_gan`.
"""

from __future__ import annotations

import html
from typing import Any

from torch import Tensor

from .._validate import check_index, check_number, check_tensor
from ..nn.gan_training import GANView, _check_history, gan_view
from ..viz import gan_summary, render_gan
from ._display import show, show_error

QUESTION = "How do the generator and the discriminator move each other during training?"


def gan_explorer(history: Any, centres: Tensor | None = None, std: float | None = None,
                 index: int = -1) -> Any:
    """How do the generator and the discriminator move each other during training?

    The slider picks one of the saved steps of ``history`` (what
    :func:`~graphcourse.nn.gan_training.train_gan` returns); the drawing shows the generator's
    samples for the fixed noise batch (in the plane: over the data, with the mixture's
    ``centres`` [K, 2] as crosses; images: a grid), the discriminator's output on the plane,
    and both loss curves with the step marked. With ``centres`` and the modes' ``std`` the
    numbers below give the modes covered. ``index`` is the snapshot shown first (-1: the
    last). Everything is checked before any control is built; the returned box's ``shown`` is
    the :class:`~graphcourse.nn.gan_training.GANView` on display, None while an error is
    shown.
    """
    import ipywidgets as widgets

    history = _check_history(history)
    count = len(history.steps)
    if centres is not None:
        check_tensor(centres, "centres", ndim=2, floating=True)
    if std is not None:
        check_number(std, "std", low=0, low_inclusive=False, finite=True)
    first = gan_view(history, index, centres, std).index  # checks index, centres and std

    slider = widgets.SelectionSlider(options=[(str(s), k) for k, s in enumerate(history.steps)],
                                     value=first, description="step", continuous_update=False)
    question = widgets.HTML(value=f"<b>{html.escape(QUESTION)}</b>")
    picture = widgets.Image(format="png")
    numbers = widgets.HTML()
    box = widgets.VBox([question, slider, picture, numbers])

    def redraw(*_: Any) -> None:
        box.shown = None
        try:
            here = check_index(slider.value, count, "step", "a snapshot index")
            view: GANView = gan_view(history, here, centres, std)
            png = render_gan(view, centres)
        except (TypeError, ValueError) as error:
            show_error(picture, numbers, error)
            return
        box.shown = view
        show(picture, numbers, png, gan_summary(view))

    slider.observe(redraw, names="value")
    redraw()
    return box
