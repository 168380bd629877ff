"""Drawing a GAN's training (chapter 08): samples against the data, the discriminator's
surface in the plane, image grids and both loss curves.

The numbers come from :mod:`graphcourse.nn.gan_training` (:class:`GANHistory`,
:func:`gan_view`); :func:`render_gan` and :func:`gan_summary` are what the training explorer
shows for a :class:`~graphcourse.nn.gan_training.GANView`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from torch import Tensor

from .._validate import check_finite, check_instance, check_tensor
from ..nn.gan_training import GANView
from .figures import _ax, _check_ax, _check_title, figure_png

FAKE = "#d62728"  # the generator's samples
REAL = "#7f7f7f"  # the data


def _points(value: Any, name: str) -> np.ndarray:
    check_tensor(value, name, ndim=2, floating=True)
    if value.size(1) != 2 or value.size(0) == 0:
        raise ValueError(f"{name}: expected points [B, 2] in the plane, got "
                         f"{list(value.shape)}")
    check_finite(value, name)
    return value.detach().float().cpu().numpy()


def draw_samples_2d(samples: Tensor, data: Tensor | None = None, centres: Tensor | None = None,
                    ax: Any = None, title: str | None = None) -> Any:
    """Scatter the generator's ``samples`` [S, 2] (red) over the real ``data`` [M, 2] (grey)
    and the mixture's ``centres`` [K, 2] (black crosses)."""
    fake = _points(samples, "samples")
    real = None if data is None else _points(data, "data")
    marks = None if centres is None else _points(centres, "centres")
    _check_ax(ax)
    _check_title(title)
    ax = _ax(ax)
    if real is not None:
        ax.scatter(real[:, 0], real[:, 1], s=4, color=REAL, alpha=0.4, label="data")
    ax.scatter(fake[:, 0], fake[:, 1], s=5, color=FAKE, alpha=0.6, label="G(z)")
    if marks is not None:
        ax.scatter(marks[:, 0], marks[:, 1], s=60, marker="x", color="black", label="modes")
    ax.set_aspect("equal")
    ax.legend(fontsize=7, loc="upper right")
    ax.set_title(title or "samples", fontsize=9)
    return ax


def draw_surface(surface: Tensor, extent: tuple[float, float, float, float], ax: Any = None,
                 probability: bool = True, title: str | None = None) -> Any:
    """Draw the discriminator's output on a grid, ``surface`` [R, R] (rows y, columns x) over
    ``extent`` (x_min, x_max, y_min, y_max): a probability in [0, 1] (blue: fake, red: real)
    or, with ``probability=False``, a raw score."""
    check_tensor(surface, "surface", ndim=2, floating=True)
    check_finite(surface, "surface")
    if not isinstance(extent, (tuple, list)) or len(extent) != 4:
        raise TypeError(f"extent: expected (x_min, x_max, y_min, y_max), got "
                        f"{type(extent).__name__}")
    _check_ax(ax)
    _check_title(title)
    ax = _ax(ax)
    limits = {"vmin": 0.0, "vmax": 1.0} if probability else {}
    image = ax.imshow(surface.detach().float().cpu().numpy(), origin="lower",
                      extent=tuple(float(v) for v in extent), cmap="coolwarm", **limits)
    ax.figure.colorbar(image, ax=ax, shrink=0.7)
    ax.set_title(title or ("D(x)" if probability else "D's score"), fontsize=9)
    return ax


def draw_image_grid(images: Tensor, ax: Any = None, columns: int | None = None,
                    title: str | None = None) -> Any:
    """Draw images [S, 1, side, side] in [-1, 1] (a generator's Tanh output) as a grid."""
    check_tensor(images, "images", ndim=4, floating=True)
    if images.size(1) != 1 or images.size(0) == 0:
        raise ValueError(f"images: expected [S, 1, side, side] with S >= 1, got "
                         f"{list(images.shape)}")
    check_finite(images, "images")
    _check_ax(ax)
    _check_title(title)
    count, side = images.size(0), images.size(-1)
    cols = columns or math.ceil(math.sqrt(count))
    rows = math.ceil(count / cols)
    canvas = np.full((rows * (side + 1) - 1, cols * (side + 1) - 1), np.nan)
    pixels = images.detach().float().cpu().numpy()[:, 0]  # [S, side, side]
    for k in range(count):
        r, c = divmod(k, cols)
        canvas[r * (side + 1):r * (side + 1) + side, c * (side + 1):c * (side + 1) + side] = \
            pixels[k]
    ax = _ax(ax)
    ax.imshow(np.ma.masked_invalid(canvas), cmap="gray", vmin=-1, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or "samples", fontsize=9)
    return ax


def draw_gan_losses(d_loss: Tensor, g_loss: Tensor, step: int | None = None, ax: Any = None,
                    title: str | None = None) -> Any:
    """Plot both losses per step [T] (the discriminator's and the generator's) and mark
    ``step`` with a vertical line."""
    for value, name in ((d_loss, "d_loss"), (g_loss, "g_loss")):
        check_tensor(value, name, ndim=1, floating=True)
    if d_loss.shape != g_loss.shape:
        raise ValueError(f"g_loss: expected the shape of d_loss {list(d_loss.shape)}, got "
                         f"{list(g_loss.shape)}")
    _check_ax(ax)
    _check_title(title)
    ax = _ax(ax, (6, 3))
    steps = np.arange(1, len(d_loss) + 1)
    ax.plot(steps, d_loss.detach().cpu().numpy(), label="D loss", linewidth=0.8)
    ax.plot(steps, g_loss.detach().cpu().numpy(), label="G loss", linewidth=0.8)
    if step is not None:
        ax.axvline(step, color="black", linestyle=":")
    ax.set_xlabel("step")
    ax.legend(fontsize=7)
    ax.set_title(title or "losses", fontsize=9)
    return ax


def _check_view(view: Any) -> GANView:
    return check_instance(view, "view", GANView, "a GANView",
                          "make one with graphcourse.nn.gan_training.gan_view(history, k)")


def render_gan(view: GANView, centres: Tensor | None = None) -> bytes:
    """PNG bytes of the training explorer's drawing: the samples (over the data and the
    ``centres`` in the plane, or as an image grid), the discriminator's surface in the plane,
    and both loss curves with the step marked. Made without pyplot."""
    from matplotlib.figure import Figure

    view = _check_view(view)
    planar = view.samples.dim() == 2 and view.samples.size(1) == 2
    figure = Figure(figsize=(13, 4), layout="constrained")
    panels = 3 if planar and view.surface is not None else 2
    axes = figure.subplots(1, panels, width_ratios=[1] * (panels - 1) + [1.6])
    title = f"step {view.step}: generator's samples"
    if planar:
        draw_samples_2d(view.samples, view.data, centres, ax=axes[0], title=title)
        if view.surface is not None:
            draw_surface(view.surface, view.extent, ax=axes[1],
                         probability=view.losses != "lsgan",
                         title=f"step {view.step}: discriminator")
    else:
        draw_image_grid(view.samples[:64], ax=axes[0], title=title)
    draw_gan_losses(view.d_loss, view.g_loss, view.step, ax=axes[-1])
    return figure_png(figure)


def gan_summary(view: GANView) -> list[str]:
    """The lines printed under the drawing: the step, the losses there and, when measured,
    the modes covered and the fraction of high-quality samples."""
    view = _check_view(view)
    lines = [f"snapshot {view.index}: after {view.step} steps ({view.losses} losses)"]
    if view.step > 0:
        lines.append(f"D loss {float(view.d_loss[view.step - 1]):.3f}, "
                     f"G loss {float(view.g_loss[view.step - 1]):.3f}")
    if view.coverage is not None:
        lines.append(f"modes covered {view.coverage.covered}/{len(view.coverage.counts)}, "
                     f"high-quality samples {view.coverage.high_quality:.0%}")
    return lines
