"""The polynomial-filter playground and the spectral explorer (chapter 02).

Both wire controls to :mod:`graphcourse.graphs.images` (what is computed) and
:mod:`graphcourse.viz.spectral` (how it is drawn):

- Playground (the Python counterpart of the Distill figure): pick an input on a pixel grid
  (one pixel, a digit, noise), set w_0..w_d, switch between ``L = D - A``, the normalised
  ``L_sym`` and ChebNet's ``sum_i w_i T_i(L~)``, and see the output and the kernel around a
  chosen pixel (row v of the filter matrix).
- Spectral explorer: eigenvector k drawn on a grid and on the karate club with its Rayleigh
  quotient (flagged when its eigenvalue is repeated, so that the picture is one arbitrary
  basis vector of an eigenspace), and an image rebuilt from its first m spectral components.
"""

from __future__ import annotations

from typing import Any

from torch import Tensor

from .._validate import check_finite, check_positive_int, check_tensor
from ..data import karate_club
from ..graphs.images import INPUTS, OPERATORS, playground, sample_image, slider_limit, spectral_view
from ..viz import layout, playground_summary, render_playground, render_spectral, spectral_summary
from ._display import show, show_error


def filter_playground(height: int = 16, width: int = 16, degree: int = 3) -> Any:
    """Polynomial-filter playground on a ``height`` x ``width`` grid with coefficients
    w_0..w_degree: what does each coefficient do, and how far does a degree-d filter reach?
    Returns the widget; ``widget.view`` is the
    :class:`~graphcourse.graphs.images.PlaygroundView` on display."""
    import ipywidgets as widgets

    height = check_positive_int(height, "height")
    width = check_positive_int(width, "width")
    degree = check_positive_int(degree, "degree", minimum=0)
    kind = widgets.Dropdown(options=list(INPUTS), value="pixel", description="input")
    operator = widgets.Dropdown(options=[(label, key) for key, label in OPERATORS.items()],
                                value="L", description="operator")
    digit = widgets.IntSlider(value=0, min=0, max=50, description="digit")
    row = widgets.IntSlider(value=height // 2, min=0, max=height - 1, description="row")
    col = widgets.IntSlider(value=width // 2, min=0, max=width - 1, description="column")
    sliders = [widgets.FloatSlider(value=1.0 if i == 0 else 0.0, min=-1.0, max=1.0, step=0.01,
                                   description=f"w_{i}", readout_format=".4f")
               for i in range(degree + 1)]
    picture = widgets.Image(format="png")
    numbers = widgets.HTML()
    box = widgets.VBox([widgets.HBox([kind, operator, digit]), widgets.HBox([row, col]),
                        widgets.VBox(sliders), picture, numbers])

    def rescale(*_: Any) -> None:
        for i, slider in enumerate(sliders):
            limit = slider_limit(operator.value, i, height, width)
            slider.min, slider.max = -limit, limit  # the range of w_i for this operator
            slider.step = limit / 100

    def redraw(*_: Any) -> None:
        box.view = None
        try:
            view = playground(kind.value, [s.value for s in sliders], operator.value,
                              (row.value, col.value), height, width, digit.value)
        except (TypeError, ValueError) as error:
            show_error(picture, numbers, error)
            return
        box.view = view  # what is shown, for tests and for curious students
        show(picture, numbers, render_playground(view), playground_summary(view))

    operator.observe(rescale, names="value")
    for control in (kind, operator, digit, row, col, *sliders):
        control.observe(redraw, names="value")
    rescale()
    redraw()
    return box


def spectral_explorer(image: Tensor | None = None, max_k: int | None = None) -> Any:
    """Spectral explorer: what does eigenvector k look like, and how much of an image do the
    first m frequencies keep? ``image`` [H, W] defaults to
    :func:`~graphcourse.graphs.images.sample_image`; the k slider runs to ``max_k`` (default
    and largest: ``min(H W, 34) - 1``, the last eigenvector both the grid and the karate club
    have). Returns the widget; ``widget.view`` is the
    :class:`~graphcourse.graphs.images.SpectralView` on display."""
    import ipywidgets as widgets

    image = sample_image() if image is None else image
    check_tensor(image, "image", ndim=2, floating=True)
    check_finite(image, "image")
    height, width = (int(s) for s in image.shape)
    if height * width == 0:
        raise ValueError(f"image: expected at least one pixel, got shape {list(image.shape)}")
    karate = karate_club()
    top = min(height * width, karate.num_nodes) - 1
    max_k = top if max_k is None else check_positive_int(max_k, "max_k", minimum=0)
    if max_k > top:
        raise ValueError(f"max_k: expected at most {top} (the karate club has "
                         f"{karate.num_nodes} eigenvectors and the {height} x {width} grid "
                         f"{height * width}), got {max_k}")
    pos = layout(karate.edge_index, karate.num_nodes)
    k_slider = widgets.IntSlider(value=min(1, max_k), min=0, max=max_k, description="eigvec k")
    m_slider = widgets.IntSlider(value=min(50, height * width), min=1, max=height * width,
                                 description="m")
    picture = widgets.Image(format="png")
    numbers = widgets.HTML()
    box = widgets.VBox([widgets.HBox([k_slider, m_slider]), picture, numbers])

    def redraw(*_: Any) -> None:
        box.view = None
        try:
            view = spectral_view(image, k_slider.value, m_slider.value)
        except (TypeError, ValueError) as error:
            show_error(picture, numbers, error)
            return
        box.view = view  # what is shown, for tests and for curious students
        show(picture, numbers, render_spectral(view, image, pos), spectral_summary(view))

    k_slider.observe(redraw, names="value")
    m_slider.observe(redraw, names="value")
    redraw()
    return box
