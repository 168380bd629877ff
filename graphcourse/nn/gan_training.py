"""Training a GAN, done right, and what chapter 08's training explorer shows.

One step (:func:`gan_step`) is a discriminator step then a generator step, each with its own
optimizer and its gradients zeroed first:

1. :func:`discriminator_step`: ``x̃ = G(z).detach()`` (no gradient reaches G), minimise
   ``L_D(D(x), D(x̃))``, step D's optimizer.
2. :func:`generator_step`: minimise ``L_G(D(G(z')))`` on fresh noise, step G's optimizer (D's
   gradients from this pass are dropped).

``losses`` picks the pair: ``"bce"`` (the discriminator's cross-entropy and the non-saturating
generator loss), ``"saturating"`` (the same D loss, G minimising log(1 - D(G(z)))) or
``"lsgan"`` (least squares with a = 0, b = c = 1). :func:`train_gan` is the loop: it records
both losses per step and, every ``snapshot_every`` steps, the generator's samples for one fixed
noise batch and, for points in the plane, the discriminator's output on a grid
(:class:`GANHistory`). :func:`gan_view` picks one snapshot for the explorer.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import torch
from torch import Tensor, nn

from .. import devices, settings
from .._validate import (
    _as_int,
    check_bool,
    check_choice,
    check_finite,
    check_index,
    check_instance,
    check_module,
    check_number,
    check_positive_int,
    check_tensor,
    optional_int,
)
from .gan_losses import (
    discriminator_loss,
    generator_loss,
    lsgan_discriminator_loss,
    lsgan_generator_loss,
)
from .gans import ModeCoverage, mode_coverage

LOSSES = ("bce", "saturating", "lsgan")
_LOSS_FUNCTIONS: dict[str, tuple[Callable[..., Tensor], Callable[[Tensor], Tensor]]] = {
    "bce": (discriminator_loss, generator_loss),
    "saturating": (discriminator_loss, lambda fake: generator_loss(fake, saturating=True)),
    "lsgan": (lsgan_discriminator_loss, lsgan_generator_loss),
}


class StepLosses(NamedTuple):
    """The two losses of one :func:`gan_step`, as floats."""

    discriminator: float
    generator: float


def _check_optimizer(optimizer: Any, name: str, owner: nn.Module, owner_name: str,
                     other: nn.Module, other_name: str) -> torch.optim.Optimizer:
    """An optimizer that holds some of ``owner``'s parameters and none of ``other``'s."""
    check_instance(optimizer, name, torch.optim.Optimizer, "a torch.optim.Optimizer")
    held = {id(p) for group in optimizer.param_groups for p in group["params"]}
    if not held & {id(p) for p in owner.parameters()}:
        raise ValueError(f"{name}: it holds none of the {owner_name}'s parameters; build it "
                         f"from {owner_name}.parameters() (were the optimizers swapped?)")
    if held & {id(p) for p in other.parameters()}:
        raise ValueError(f"{name}: it also holds the {other_name}'s parameters, so its step "
                         f"would move the {other_name} too; give each network its own "
                         f"optimizer")
    return optimizer


def _check_pair(generator: Any, discriminator: Any) -> None:
    check_module(generator, "generator")
    check_module(discriminator, "discriminator")
    if generator is discriminator:
        raise ValueError("discriminator: expected a network other than the generator")


def _check_real(real: Any) -> Tensor:
    check_tensor(real, "real", floating=True)
    if real.dim() < 2 or real.size(0) == 0:
        raise ValueError(f"real: expected a batch [B, ...] of real samples with B >= 1, got "
                         f"shape {list(real.shape)}")
    return check_finite(real, "real")


def _check_noise(noise: Any, name: str = "noise") -> Tensor:
    check_tensor(noise, name, ndim=2, floating=True)
    if noise.size(0) == 0:
        raise ValueError(f"{name}: expected a batch [B, Z] with B >= 1, got "
                         f"{list(noise.shape)}")
    return check_finite(noise, name)


def _finite(loss: Tensor, who: str, step: int | None) -> float:
    value = float(loss.detach())
    if not math.isfinite(value):
        where = f" at step {step}" if step is not None else ""
        raise ValueError(f"losses: the {who}'s loss is {value}{where}; check the real data "
                         f"for NaN or infinite values, or lower the learning rate")
    return value


def _d_step(generator: nn.Module, discriminator: nn.Module, d_opt: torch.optim.Optimizer,
            real: Tensor, noise: Tensor, losses: str, step: int | None = None) -> float:
    d_opt.zero_grad(set_to_none=True)
    fake = generator(noise).detach()  # no gradient flows back into G in D's step
    loss = _LOSS_FUNCTIONS[losses][0](discriminator(real), discriminator(fake))
    value = _finite(loss, "discriminator", step)
    loss.backward()
    d_opt.step()
    return value


def _g_step(generator: nn.Module, discriminator: nn.Module, g_opt: torch.optim.Optimizer,
            noise: Tensor, losses: str, step: int | None = None) -> float:
    g_opt.zero_grad(set_to_none=True)
    loss = _LOSS_FUNCTIONS[losses][1](discriminator(generator(noise)))
    value = _finite(loss, "generator", step)
    loss.backward()
    g_opt.step()
    discriminator.zero_grad(set_to_none=True)  # D's gradients from G's loss are not D's own
    return value


def discriminator_step(generator: nn.Module, discriminator: nn.Module,
                       d_opt: torch.optim.Optimizer, real: Tensor, noise: Tensor,
                       losses: str = "bce") -> float:
    """One discriminator step on ``real`` [B, ...] and the fakes ``G(noise)`` [B', ...],
    detached so that G's parameters get no gradient; returns L_D (a float)."""
    _check_pair(generator, discriminator)
    _check_optimizer(d_opt, "d_opt", discriminator, "discriminator", generator, "generator")
    real, noise = _check_real(real), _check_noise(noise)
    check_choice(losses, "losses", LOSSES)
    return _d_step(generator, discriminator, d_opt, real, noise, losses)


def generator_step(generator: nn.Module, discriminator: nn.Module,
                   g_opt: torch.optim.Optimizer, noise: Tensor, losses: str = "bce") -> float:
    """One generator step on ``G(noise)``: the gradient of L_G flows through D into G, only
    G's optimizer steps, and D's gradients are cleared afterwards; returns L_G (a float)."""
    _check_pair(generator, discriminator)
    _check_optimizer(g_opt, "g_opt", generator, "generator", discriminator, "discriminator")
    check_choice(losses, "losses", LOSSES)
    return _g_step(generator, discriminator, g_opt, _check_noise(noise), losses)


def gan_step(generator: nn.Module, discriminator: nn.Module, g_opt: torch.optim.Optimizer,
             d_opt: torch.optim.Optimizer, real: Tensor, noise_fn: Callable[[int], Tensor],
             losses: str = "bce") -> StepLosses:
    """One step of GAN training: :func:`discriminator_step` on ``real`` [B, ...] and
    ``noise_fn(B)``, then :func:`generator_step` on a fresh ``noise_fn(B)`` [B, Z]. Returns
    the two losses (:class:`StepLosses`)."""
    _check_pair(generator, discriminator)
    _check_optimizer(g_opt, "g_opt", generator, "generator", discriminator, "discriminator")
    _check_optimizer(d_opt, "d_opt", discriminator, "discriminator", generator, "generator")
    real = _check_real(real)
    if not callable(noise_fn):
        raise TypeError(f"noise_fn: expected a function noise_fn(B) returning noise [B, Z], "
                        f"got {type(noise_fn).__name__}")
    check_choice(losses, "losses", LOSSES)
    count = real.size(0)
    d = _d_step(generator, discriminator, d_opt, real, _check_noise(noise_fn(count),
                                                                      "noise_fn(B)"), losses)
    g = _g_step(generator, discriminator, g_opt, _check_noise(noise_fn(count), "noise_fn(B)"),
                losses)
    return StepLosses(d, g)


@dataclass
class GANHistory:
    """What :func:`train_gan` records.

    ``d_loss``, ``g_loss``: the losses of every step. ``steps``: the steps after which a
    snapshot was taken (0 = before training), with ``samples[k]`` the generator's output
    [S, ...] for the fixed noise batch and, for points in the plane, ``surfaces[k]`` the
    discriminator's output [R, R] on the grid spanning ``extent`` (x_min, x_max, y_min, y_max;
    rows are y, columns x): a probability σ(logit) for the cross-entropy losses, the raw score
    for LSGAN. ``data``: up to 1,000 real samples to draw them against. ``seconds``: the
    training time.
    """

    losses: str = "bce"
    d_loss: list[float] = field(default_factory=list)
    g_loss: list[float] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)
    samples: list[Tensor] = field(default_factory=list)
    surfaces: list[Tensor] = field(default_factory=list)
    extent: tuple[float, float, float, float] | None = None
    data: Tensor | None = None
    seconds: float = 0.0


@torch.no_grad()
def _snapshot(history: GANHistory, generator: nn.Module, discriminator: nn.Module,
              noise: Tensor, grid: Tensor | None, step: int) -> None:
    modes = generator.training, discriminator.training
    generator.eval()
    discriminator.eval()
    try:
        history.steps.append(step)
        history.samples.append(generator(noise).detach().float().cpu())
        if grid is not None:
            side = int(round(math.sqrt(grid.size(0))))
            out = discriminator(grid).reshape(side, side).float().cpu()  # [R*R, 1] -> [R, R]
            history.surfaces.append(out if history.losses == "lsgan" else torch.sigmoid(out))
    finally:
        generator.train(modes[0])
        discriminator.train(modes[1])


def train_gan(generator: nn.Module, discriminator: nn.Module, data: Tensor, steps: int, *,
              batch_size: int = 64, lr: float = 2e-4, betas: tuple[float, float] = (0.5, 0.999),
              losses: str = "bce", snapshot_every: int = 100, snapshot_count: int = 512,
              grid_size: int = 60, seed: int | None = None, progress: bool | None = None,
              device: torch.device | str | None = None,
              generator_steps: int = 1) -> GANHistory:
    """Train a GAN for ``steps`` steps of :func:`gan_step` and return its :class:`GANHistory`.

    ``data`` [M, ...] holds the real samples; each step draws ``batch_size`` of them
    uniformly (with replacement) and noise z ~ N(0, I) of ``generator.noise`` dimensions
    (an :class:`~graphcourse.nn.gans.MLPGenerator` or an unconditional
    :class:`~graphcourse.nn.gans.DCGenerator`). Each network gets its own Adam optimizer
    (``lr``, ``betas``; DCGAN's 2e-4 and (0.5, 0.999) by default). Snapshots at step 0, every
    ``snapshot_every`` steps and at the end: ``snapshot_count`` samples from one fixed noise
    batch and, when ``data`` is [M, 2], the discriminator on a ``grid_size`` x ``grid_size``
    grid. ``seed`` (default: the run's ``course_seed()``) seeds the batches and the noise; seed
    the networks' weights before building them (``train.set_seed()``). A loss that is not
    finite stops training with a ``ValueError`` naming the step. Trains on ``device`` (default:
    the one ``setup`` chose) and leaves the networks where they were. ``generator_steps``: G
    steps after each D step, each on fresh noise (1 is the usual game; many let G run ahead of
    a D that stands still, which makes it collapse; the recorded ``g_loss`` is the last one's).
    """
    from tqdm.auto import trange

    from ..train import course_seed

    _check_pair(generator, discriminator)
    noise_size = getattr(generator, "noise", None)
    if isinstance(noise_size, bool) or not isinstance(noise_size, int) or noise_size < 1:
        raise TypeError(f"generator: expected a generator with an int attribute `noise` (the "
                        f"size of z), such as MLPGenerator or DCGenerator, got "
                        f"{type(generator).__name__}")
    if getattr(generator, "classes", 0):
        raise ValueError("generator: expected an unconditional generator (classes=0); "
                         "train_gan draws no class labels")
    check_tensor(data, "data", floating=True)
    if data.dim() < 2 or data.size(0) == 0:
        raise ValueError(f"data: expected real samples [M, ...] with M >= 1, got shape "
                         f"{list(data.shape)}")
    check_finite(data, "data")
    steps = check_positive_int(steps, "steps")
    batch_size = check_positive_int(batch_size, "batch_size")
    lr = check_number(lr, "lr", low=0, low_inclusive=False, finite=True)
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"betas: expected a pair (beta1, beta2), got {type(betas).__name__}")
    betas = (check_number(betas[0], "betas[0]", 0, 1, high_inclusive=False),
             check_number(betas[1], "betas[1]", 0, 1, high_inclusive=False))
    check_choice(losses, "losses", LOSSES)
    snapshot_every = check_positive_int(snapshot_every, "snapshot_every")
    generator_steps = check_positive_int(generator_steps, "generator_steps")
    snapshot_count = check_positive_int(snapshot_count, "snapshot_count")
    grid_size = check_positive_int(grid_size, "grid_size", minimum=2)
    seed = course_seed() if seed is None else optional_int(seed, "seed")
    if seed < 0:
        raise ValueError(f"seed: expected an int >= 0 or None, got {seed}")
    if progress is not None:
        progress = check_bool(progress, "progress")
    device = devices.default_device() if device is None else devices.as_device(device)

    homes = devices.model_device(generator), devices.model_device(discriminator)
    generator.to(device)
    discriminator.to(device)
    try:
        return _train(generator, discriminator, data, steps, batch_size, lr, betas, losses,
                      snapshot_every, snapshot_count, grid_size, seed, progress, device,
                      noise_size, trange, generator_steps)
    finally:
        generator.to(homes[0])
        discriminator.to(homes[1])


def _grid(data: Tensor, size: int) -> tuple[Tensor, tuple[float, float, float, float]]:
    """A square grid [R*R, 2] (row-major over y, then x) around the points, and its extent."""
    reach = 1.5 * float(data.abs().max()) or 1.0
    axis = torch.linspace(-reach, reach, size)
    ys, xs = torch.meshgrid(axis, axis, indexing="ij")  # [R, R] each
    return torch.stack([xs.reshape(-1), ys.reshape(-1)], 1), (-reach, reach, -reach, reach)


def _train(generator: nn.Module, discriminator: nn.Module, data: Tensor, steps: int,
           batch_size: int, lr: float, betas: tuple[float, float], losses: str,
           snapshot_every: int, snapshot_count: int, grid_size: int, seed: int,
           progress: bool | None, device: torch.device, noise_size: int,
           trange: Any, generator_steps: int = 1) -> GANHistory:
    g_opt = torch.optim.Adam(generator.parameters(), lr=lr, betas=betas)
    d_opt = torch.optim.Adam(discriminator.parameters(), lr=lr, betas=betas)
    rng = torch.Generator().manual_seed(seed)
    cpu_data = data.detach().cpu()
    history = GANHistory(losses=losses, data=cpu_data[torch.randperm(
        len(cpu_data), generator=torch.Generator().manual_seed(seed))[:1000]].float())
    fixed = torch.randn((snapshot_count, noise_size), generator=rng).to(device)
    grid = None
    if cpu_data.dim() == 2 and cpu_data.size(1) == 2:
        grid, history.extent = _grid(cpu_data, grid_size)
        grid = grid.to(device, data.dtype)
    real_all = data.detach().to(device)
    generator.train()
    discriminator.train()
    _snapshot(history, generator, discriminator, fixed, grid, 0)
    show = (not settings.quiet()) if progress is None else progress
    start = time.perf_counter()
    for step in trange(1, steps + 1, desc="GAN", disable=not show, leave=True):
        real = real_all[torch.randint(len(real_all), (batch_size,), generator=rng).to(device)]
        z1, *zs = (torch.randn((batch_size, noise_size), generator=rng).to(device, data.dtype)
                   for _ in range(1 + generator_steps))  # D's noise, then one per G step
        try:
            d_loss = _d_step(generator, discriminator, d_opt, real, z1, losses, step)
            for z2 in zs:
                g_loss = _g_step(generator, discriminator, g_opt, z2, losses, step)
        except ValueError as error:
            if "finite" not in str(error) or str(error).startswith("losses:"):
                raise
            raise ValueError(f"losses: training stopped at step {step}: {error}; check the "
                             f"real data for NaN or infinite values, or lower the learning "
                             f"rate") from error
        history.d_loss.append(d_loss)
        history.g_loss.append(g_loss)
        if step % snapshot_every == 0 or step == steps:
            _snapshot(history, generator, discriminator, fixed, grid, step)
    history.seconds = time.perf_counter() - start
    generator.eval()
    discriminator.eval()
    return history


class GANView(NamedTuple):
    """One snapshot of a :class:`GANHistory`, what the training explorer draws.

    ``index`` of the snapshot, taken after ``step`` steps; ``samples`` [S, ...]; ``data``
    real samples or None; ``surface`` [R, R] and ``extent`` (2-D case) or None;
    ``d_loss``/``g_loss`` every step's losses [T]; ``losses`` the loss pair's name;
    ``coverage`` the :func:`~graphcourse.nn.gans.mode_coverage` of the samples when centres
    were given, else None.
    """

    index: int
    step: int
    samples: Tensor
    data: Tensor | None
    surface: Tensor | None
    extent: tuple[float, float, float, float] | None
    d_loss: Tensor
    g_loss: Tensor
    losses: str
    coverage: ModeCoverage | None


def _check_history(history: Any) -> GANHistory:
    check_instance(history, "history", GANHistory, "a GANHistory",
                   "train_gan(...) returns one")
    if not history.steps or len(history.samples) != len(history.steps):
        raise ValueError("history: expected at least one snapshot (steps and samples of the "
                         "same length); train with train_gan")
    return history


def gan_view(history: GANHistory, index: int = -1, centres: Tensor | None = None,
             std: float | None = None, threshold: float = 3.0) -> GANView:
    """The snapshot ``index`` of ``history`` (negative counts from the end, as in a list),
    with the mode coverage of its samples when ``centres`` [K, 2] and the modes' ``std`` are
    given (2-D samples only). Returns a :class:`GANView`."""
    history = _check_history(history)
    count = len(history.steps)
    index = _as_int(index, "index", "a snapshot index (an int)")
    index = check_index(index + count if index < 0 else index, count, "index",
                        "a snapshot index")
    samples = history.samples[index]
    coverage = None
    if centres is not None or std is not None:
        if centres is None or std is None:
            raise ValueError(f"{'std' if std is None else 'centres'}: expected both centres "
                             f"and std to measure mode coverage, or neither")
        if samples.dim() != 2 or samples.size(1) != 2:
            raise ValueError(f"centres: mode coverage needs points in the plane, but the "
                             f"samples have shape {list(samples.shape)}")
        coverage = mode_coverage(samples, centres, std, threshold)
    surface = history.surfaces[index] if index < len(history.surfaces) else None
    return GANView(index, history.steps[index], samples, history.data, surface,
                   history.extent, torch.tensor(history.d_loss), torch.tensor(history.g_loss),
                   history.losses, coverage)
