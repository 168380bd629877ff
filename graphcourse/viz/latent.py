"""Drawing a 2-D code space and what the decoder makes of it (chapter 07).

The numbers come from :mod:`graphcourse.nn.latent`: every image's code
(:func:`~graphcourse.nn.latent.latent_codes`, [M, 2]), decoded points
(:func:`~graphcourse.nn.latent.decode_point`) and the lines between two images in code
space and in pixel space (:func:`~graphcourse.nn.latent.code_line`,
:func:`~graphcourse.nn.latent.pixel_line`). :func:`render_latent` and :func:`latent_summary`
are what the latent explorer shows for a :class:`~graphcourse.nn.latent.LatentView`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from torch import Tensor

from .._validate import check_finite, check_instance, check_tensor
from ..nn.latent import LatentView, _check_labels, _side
from .figures import _ax, _check_ax, _check_title, figure_png

POINT = "black"  # the point the sliders set
LINE = "#d62728"  # the line between the two picked images' codes


def _check_pair(value: Any, name: str) -> Tensor | None:
    """None, or a point of the plane: a tensor of 2 finite numbers."""
    if value is None:
        return None
    check_tensor(value, name, floating=True)
    if value.numel() != 2:
        raise ValueError(f"{name}: expected a point of the code plane, 2 numbers, got shape "
                         f"{list(value.shape)}")
    check_finite(value, name)
    return value.detach().float().cpu().reshape(2)


def draw_codes(codes: Tensor, labels: Tensor, ax: Any = None, point: Tensor | None = None,
               line: tuple[Tensor, Tensor] | None = None, at: Tensor | None = None,
               title: str | None = None) -> Any:
    """Scatter the codes [M, 2] coloured by ``labels`` [M] (``tab10``, a legend per class);
    mark ``point`` [2] with a black cross, the segment ``line = (z_a, z_b)`` in red with its
    ends ringed, and the point ``at`` [2] on it with a red dot."""
    check_tensor(codes, "codes", ndim=2, floating=True)
    if codes.size(1) != 2 or codes.size(0) == 0:
        raise ValueError(f"codes: expected codes of shape [M, 2] (a 2-D code space), got "
                         f"{list(codes.shape)}")
    check_finite(codes, "codes")
    labels = _check_labels(labels, codes.size(0))
    _check_ax(ax)
    point, at = _check_pair(point, "point"), _check_pair(at, "at")
    if line is not None:
        if not isinstance(line, (tuple, list)) or len(line) != 2:
            raise TypeError(f"line: expected a pair (z_a, z_b) of points, got "
                            f"{type(line).__name__}")
        line = (_check_pair(line[0], "line[0]"), _check_pair(line[1], "line[1]"))
    _check_title(title)
    import matplotlib

    ax = _ax(ax)
    xy = codes.detach().float().cpu().numpy()
    classes = labels.detach().cpu().numpy()
    colours = np.asarray(matplotlib.colormaps["tab10"].colors)  # [10, 3]
    for c in np.unique(classes):
        chosen = classes == c
        ax.scatter(xy[chosen, 0], xy[chosen, 1], s=6, alpha=0.6, color=colours[c % 10],
                   label=str(c))
    if line is not None:
        (xa, ya), (xb, yb) = line[0].tolist(), line[1].tolist()
        ax.plot([xa, xb], [ya, yb], color=LINE, linewidth=2, zorder=4)
        ax.scatter([xa, xb], [ya, yb], s=90, facecolors="none", edgecolors=LINE,
                   linewidths=2, zorder=5)
        for (x, y), name in (((xa, ya), "a"), ((xb, yb), "b")):
            ax.annotate(name, (x, y), xytext=(5, 5), textcoords="offset points", color=LINE,
                        fontsize=10, fontweight="bold")
    if at is not None:
        ax.scatter([float(at[0])], [float(at[1])], s=50, color=LINE, zorder=6)
    if point is not None:
        ax.scatter([float(point[0])], [float(point[1])], s=140, marker="X", color=POINT,
                   edgecolors="white", linewidths=1, zorder=7)
    ax.legend(fontsize=7, markerscale=2, loc="best", ncol=2, title="label", title_fontsize=7)
    ax.set_xlabel("z1")
    ax.set_ylabel("z2")
    ax.set_title(title or "codes of the images", fontsize=9)
    return ax


def _check_images(images: Tensor, name: str) -> np.ndarray:
    """Images [S, F] (or one [F]) as an array [S, side, side]."""
    check_tensor(images, name, floating=True)
    if images.dim() == 1:
        images = images[None]  # [F] -> [1, F]
    if images.dim() != 2 or images.numel() == 0:
        raise ValueError(f"{name}: expected flattened images [S, F] or one image [F], got "
                         f"{list(images.shape)}")
    side = _side(images.size(1))
    check_finite(images, name)
    return images.detach().float().cpu().reshape(-1, side, side).numpy()  # [S, side, side]


def draw_digit(image: Tensor, ax: Any = None, title: str | None = None) -> Any:
    """Draw one flattened square image [F] (values in [0, 1], dark is 1) on ``ax``."""
    pixels = _check_images(image, "image")
    if pixels.shape[0] != 1:
        raise ValueError(f"image: expected one image [F], got {pixels.shape[0]} images")
    _check_ax(ax)
    _check_title(title)
    ax = _ax(ax, (2, 2))
    ax.imshow(pixels[0], cmap="gray_r", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)
    return ax


def draw_strip(images: Tensor, ax: Any = None, title: str | None = None) -> Any:
    """Draw the images [S, F] side by side in one row (a line from t = 0 to t = 1), with a
    thin gap between them."""
    pixels = _check_images(images, "images")
    _check_ax(ax)
    _check_title(title)
    count, side, _ = pixels.shape
    gap = max(1, side // 8)
    row = np.full((side, count * (side + gap) - gap), np.nan)  # [side, S (side + gap) - gap]
    for k in range(count):
        row[:, k * (side + gap):k * (side + gap) + side] = pixels[k]
    ax = _ax(ax, (count, 1.2))
    ax.imshow(np.ma.masked_invalid(row), cmap="gray_r", vmin=0, vmax=1)
    ax.set_xticks([k * (side + gap) + (side - 1) / 2 for k in range(count)])
    ax.set_xticklabels([f"{k / (count - 1):.2g}" if count > 1 else "0" for k in range(count)],
                       fontsize=7)
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)
    return ax


def _check_view(view: Any) -> LatentView:
    return check_instance(view, "view", LatentView, "a LatentView",
                          "make one with graphcourse.nn.latent.latent_view(...)")


def render_latent(view: LatentView) -> bytes:
    """PNG bytes of the latent explorer's drawing: left, the codes coloured by label with
    the sliders' point (black cross) and the line between the two picked images' codes (red,
    the point at t a red dot); right, the digit decoded at the point, the digit decoded at t
    on the code line next to the pixel blend at t, and both whole lines as strips. Made
    without pyplot: nothing is displayed or left open as a side effect."""
    from matplotlib.figure import Figure

    view = _check_view(view)
    figure = Figure(figsize=(12, 5.6), layout="constrained")
    grid = figure.add_gridspec(3, 4, width_ratios=[3.2, 1, 1, 1], height_ratios=[2, 1, 1])
    first, second = view.first, view.second
    draw_codes(view.codes, view.labels, ax=figure.add_subplot(grid[:, 0]), point=view.point,
               line=(view.codes[first], view.codes[second]), at=view.at_t,
               title=f"codes; line from image {first} (a) to image {second} (b)")
    z1, z2 = view.point.tolist()
    draw_digit(view.decoded, ax=figure.add_subplot(grid[0, 1]),
               title=f"decoded at\n({z1:.2f}, {z2:.2f})")
    draw_digit(view.code_image, ax=figure.add_subplot(grid[0, 2]),
               title=f"code line\nt = {view.t:.2f}")
    draw_digit(view.pixel_image, ax=figure.add_subplot(grid[0, 3]),
               title=f"pixel blend\nt = {view.t:.2f}")
    draw_strip(view.code_strip, ax=figure.add_subplot(grid[1, 1:]),
               title="decoded along the code line, t = 0 ... 1")
    draw_strip(view.pixel_strip, ax=figure.add_subplot(grid[2, 1:]),
               title="pixel blend, t = 0 ... 1")
    return figure_png(figure)


def latent_summary(view: LatentView) -> list[str]:
    """The lines the latent explorer prints under its drawing: the point and the real image
    its decoded digit is closest to, the two picked images with their labels, and at t the
    real image closest to the digit decoded on the code line and to the pixel blend, with
    the root-mean-square pixel distance (:func:`~graphcourse.nn.latent.nearest_image`)."""
    view = _check_view(view)
    labels = view.labels.tolist()

    def near(found: tuple[int, float]) -> str:
        index, distance = found
        return f"closest real image {index} (label {labels[index]}), RMS distance {distance:.3f}"

    z1, z2 = view.point.tolist()
    a, b = view.first, view.second
    return [
        f"point ({z1:.2f}, {z2:.2f}): decoded digit's {near(view.near_point)}",
        f"line from image {a} (label {labels[a]}) to image {b} (label {labels[b]}), t = "
        f"{view.t:.2f}: code ({float(view.at_t[0]):.2f}, {float(view.at_t[1]):.2f})",
        f"  decoded on the code line: {near(view.near_code)}",
        f"  blended in pixel space:   {near(view.near_pixel)}",
    ]
