"""What chapter 02's explorers draw: the polynomial-filter playground and the spectral view.

The numbers come from :mod:`graphcourse.graphs.images` (a
:class:`~graphcourse.graphs.images.PlaygroundView` or
:class:`~graphcourse.graphs.images.SpectralView`); these functions turn them into PNG bytes
and the lines printed under the drawing. Figures are made without pyplot.
"""

from __future__ import annotations

from typing import Any

from torch import Tensor

from .._validate import check_instance, check_tensor
from ..graphs.images import PlaygroundView, SpectralView
from .figures import figure_png
from .graphs import _check_pos, draw_graph


def _shared(count: int) -> str:
    """Title suffix for an eigenvector whose eigenvalue is repeated."""
    return "" if count == 1 else f"\n(eigenvalue repeated {count}x: one of many valid bases)"


def _check_playground(view: Any) -> None:
    check_instance(view, "view", PlaygroundView, "a PlaygroundView",
                   "make one with graphs.images.playground(...)")


def _check_spectral(view: Any) -> None:
    check_instance(view, "view", SpectralView, "a SpectralView",
                   "make one with graphs.images.spectral_view(image, k, m)")


def playground_summary(view: PlaygroundView) -> list[str]:
    """The line the playground prints under its drawing: reach and support of the kernel."""
    _check_playground(view)
    return [f"highest non-zero power: {view.degree}; the kernel touches {view.support} pixels "
            f"(all within {view.degree} hops)"]


def render_playground(view: PlaygroundView) -> bytes:
    """PNG bytes of the playground's drawing: input, output and the kernel at ``view.pixel``
    (marked with a cross), each on a symmetric colour scale with its colour bar."""
    from matplotlib.figure import Figure

    _check_playground(view)
    figure = Figure(figsize=(12, 4))
    axes = figure.subplots(1, 3)
    for ax, picture, title in zip(axes, (view.image, view.output, view.kernel),
                                  ("input x", "output p_w(M) x", f"kernel at {view.pixel}")):
        bound = float(picture.abs().max()) or 1.0
        im = ax.imshow(picture.detach().cpu().numpy(), cmap="RdBu_r", vmin=-bound, vmax=bound)
        ax.set_title(title)
        ax.set_xticks([]), ax.set_yticks([])
        figure.colorbar(im, ax=ax, shrink=0.75)
    axes[2].plot(view.pixel[1], view.pixel[0], "k+", markersize=12)
    return figure_png(figure)


def spectral_summary(view: SpectralView) -> list[str]:
    """The lines the spectral explorer prints under its drawing."""
    _check_spectral(view)

    def repeated(count: int) -> str:
        return "simple" if count == 1 else f"repeated {count} times: one of many valid bases"

    return [f"grid eigenvector {view.k}: lambda = {view.grid_value:.4f} "
            f"({repeated(view.grid_multiplicity)})",
            f"karate eigenvector {view.k}: lambda = {view.club_value:.4f}, "
            f"R(u_k) = {view.club_rayleigh:.4f} ({repeated(view.club_multiplicity)})",
            f"image from its first {view.m} components: relative error {view.error:.3f}"]


def render_spectral(view: SpectralView, image: Tensor, pos: dict[int, Any] | None = None) -> bytes:
    """PNG bytes of the spectral explorer's drawing: grid eigenvector k, karate eigenvector k
    (with its Rayleigh quotient), the image [H, W] and its rebuild from the first m
    components. ``pos`` places the karate club's nodes (default: :func:`layout`)."""
    from matplotlib.figure import Figure

    from ..data import karate_club

    _check_spectral(view)
    check_tensor(image, "image", ndim=2)
    if image.shape != view.rebuilt.shape:
        raise ValueError(f"image: expected the shape of the view's rebuilt image "
                         f"{list(view.rebuilt.shape)}, got {list(image.shape)}")
    karate = karate_club()
    _check_pos(pos, karate.num_nodes)
    figure = Figure(figsize=(16, 3.8))
    axes = figure.subplots(1, 4)
    bound = float(view.grid_vector.abs().max()) or 1.0
    axes[0].imshow(view.grid_vector.numpy(), cmap="RdBu_r", vmin=-bound, vmax=bound)
    axes[0].set_title(f"grid eigenvector {view.k}, lambda={view.grid_value:.3f}"
                      + _shared(view.grid_multiplicity), fontsize=9)
    bound = float(view.club_vector.abs().max()) or 1.0
    draw_graph(karate.edge_index, karate.num_nodes, node_color=view.club_vector, ax=axes[1],
               pos=pos, labels=False, node_size=80, cmap="RdBu_r", vmin=-bound, vmax=bound,
               title=f"karate eigenvector {view.k}, R={view.club_rayleigh:.3f}"
               + _shared(view.club_multiplicity))
    axes[2].imshow(image.detach().cpu().numpy(), cmap="gray")
    axes[2].set_title("image")
    axes[3].imshow(view.rebuilt.numpy(), cmap="gray")
    axes[3].set_title(f"first {view.m} components, error {view.error:.2f}")
    for ax in (axes[0], axes[2], axes[3]):
        ax.set_xticks([]), ax.set_yticks([])
    return figure_png(figure)
