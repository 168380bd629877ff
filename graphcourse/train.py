"""Training utilities shared by every chapter.

- ``setup``: the one call of every notebook's setup cell (threads, seed, device, versions).
- ``set_seed`` / ``course_seed``: seeding (``GRAPHCOURSE_SEED``).
- ``fit``: the single training loop of the course, with a tqdm progress bar that stays quiet
  under tests (``GRAPHCOURSE_QUIET=1``); it stops with a clear error when the loss is not
  finite.
- ``train_nodes``: full-batch node classification on one graph, the loop of chapters 01-03.

The run profile and the chapters' settings live in :mod:`graphcourse.settings`, the device
path in :mod:`graphcourse.devices`, checkpoints in :mod:`graphcourse.checkpoints`, metrics in
:mod:`graphcourse.metrics`.
"""

from __future__ import annotations

import math
import numbers
import os
import platform
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import torch
from torch import Tensor, nn

from . import _validate, devices, settings
from ._validate import check_bool, check_instance, check_module, check_number, check_positive_int
from .metrics import accuracy

T = TypeVar("T")


# --------------------------------------------------------------------------- environment
def _env_int(name: str, low: int) -> int | None:
    """The integer in environment variable ``name`` (at least ``low``), or None if unset."""
    text = os.environ.get(name, "").strip()
    if not text:
        return None
    kind = "a positive integer" if low == 1 else "a non-negative integer"
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name}: expected {kind}, got {text!r}") from None
    if value < low:
        raise ValueError(f"{name}: expected {kind}, got {value}")
    return value


def configure_threads(max_cores_for_one_thread: int = 2) -> int:
    """Use one torch thread on small CPU machines; return the number of threads in use.

    On 2-core machines two torch threads stall for seconds per step on small models, while one
    thread is steady. ``GRAPHCOURSE_THREADS=n`` overrides the choice.
    """
    max_cores_for_one_thread = check_positive_int(max_cores_for_one_thread,
                                                  "max_cores_for_one_thread")
    threads = _env_int("GRAPHCOURSE_THREADS", low=1)
    if threads is not None:
        torch.set_num_threads(threads)
    elif (os.cpu_count() or 1) <= max_cores_for_one_thread:
        torch.set_num_threads(1)
    return torch.get_num_threads()


def course_seed() -> int:
    """The training seed of this run: ``GRAPHCOURSE_SEED`` (a non-negative integer), else 0.

    Training cells seed with it (``set_seed()``), so that a second seed shows which printed
    claims about trained models hold beyond one lucky initialisation; hand-made examples seed
    their own generator with a fixed number and do not change with it.
    """
    seed = _env_int("GRAPHCOURSE_SEED", low=0)
    return 0 if seed is None else seed


def set_seed(seed: int | None = None) -> int:
    """Seed Python, NumPy and torch (all devices) so that a run repeats exactly.

    ``seed=None`` uses the run's ``course_seed()``; otherwise an int >= 0 (NumPy integers and
    one-element integer tensors too). Returns the seed used.
    """
    if seed is None:
        seed = course_seed()
    seed = _validate._as_int(seed, "seed", "an int >= 0 or None")
    if seed < 0:
        raise ValueError(f"seed: expected a non-negative int, got {seed}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    return seed


def setup(seed: int | None = None, verbose: bool = True) -> torch.device:
    """Everything a notebook's setup cell does: threads, seed, device, numerics, versions.

    ``seed=None`` uses ``course_seed()`` (``GRAPHCOURSE_SEED``, default 0). On CUDA, TF32 is
    turned off for matrix products and cuDNN so that float32 results match the CPU's to the
    1e-5 tolerances the parity checks use. Returns the device to use. The printed line
    depends on the machine, so setup cells are tagged for nbval to ignore their output.
    """
    verbose = check_bool(verbose, "verbose")
    threads = configure_threads()
    seed = set_seed(seed)
    device = devices.set_default(devices.get_device())
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    if verbose:
        import torch_geometric

        numerics = " | tf32 off" if device.type == "cuda" else ""
        print(f"python {platform.python_version()} | torch {torch.__version__} | "
              f"torch_geometric {torch_geometric.__version__} | device {device} | "
              f"threads {threads} | profile {settings.profile()} | seed {seed}{numerics}")
    return device


# --------------------------------------------------------------------------- training loop
@dataclass
class History:
    """What ``fit`` records: the mean training loss per epoch and each evaluated metric."""

    loss: list[float] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    epochs_evaluated: list[int] = field(default_factory=list)

    def _values(self, metric: str) -> list[float]:
        if not isinstance(metric, str):
            raise TypeError(f"metric: expected a metric name (str), got {type(metric).__name__}")
        if metric not in self.metrics:
            raise KeyError(f"metric: {metric!r} was not recorded; have {sorted(self.metrics)}")
        return self.metrics[metric]

    def best(self, metric: str, mode: str = "max") -> float:
        """The best value reached by ``metric``: the largest with ``mode="max"`` (accuracies),
        the smallest with ``mode="min"`` (losses)."""
        _validate.check_choice(mode, "mode", ("max", "min"))
        values = self._values(metric)
        return max(values) if mode == "max" else min(values)

    def last(self, metric: str) -> float:
        """The last recorded value of ``metric``."""
        return self._values(metric)[-1]


def _check_batches(batches: Any, epochs: int) -> None:
    """Refuse what ``fit`` cannot iterate once per epoch; a graph or a tensor would be iterated
    silently (a PyG ``Data`` yields its attributes, a tensor its rows)."""
    from torch_geometric.data.data import BaseData

    if isinstance(batches, (BaseData, Tensor, dict, str)) or not (
            callable(batches) or isinstance(batches, Iterable)):
        raise TypeError(f"batches: expected an iterable of batches such as [data], got "
                        f"{type(batches).__name__}")
    if isinstance(batches, Iterator) and epochs > 1:
        raise TypeError(f"batches: expected an iterable that can be read once per epoch, got a "
                        f"one-pass {type(batches).__name__}; pass a list, or a callable that "
                        f"returns a fresh iterable (lambda: loader)")


def _metric(key: Any, value: Any) -> float:
    """One value of ``evaluate``'s dict as a float (NaN passes: an empty split has none)."""
    if not isinstance(key, str):
        raise TypeError(f"evaluate: expected metric names (str) as keys, got "
                        f"{type(key).__name__}")
    if isinstance(value, Tensor) and value.numel() == 1 and not value.is_complex():
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"evaluate: expected a number for {key!r}, got {type(value).__name__}")
    return float(value)


def fit(model: nn.Module, optimizer: torch.optim.Optimizer,
        loss_fn: Callable[[nn.Module, Any], Tensor],
        batches: Iterable[Any] | Callable[[], Iterable[Any]], epochs: int, *,
        evaluate: Callable[[nn.Module], dict[str, float]] | None = None, eval_every: int = 1,
        scheduler: Any = None, clip_grad: float | None = None, desc: str = "training",
        progress: bool | None = None, device: torch.device | str | None = None) -> History:
    """Train ``model`` for ``epochs`` and return its :class:`History`.

    Each epoch: for every ``batch`` in ``batches`` (a list such as ``[data]`` for full-batch
    training on one graph, or a callable returning a fresh iterable such as a shuffled
    ``DataLoader``): ``loss = loss_fn(model, batch)``, backward, optional gradient clipping
    (``clip_grad``: the largest gradient norm, a positive number), ``optimizer.step()`` and
    ``scheduler.step()`` (per batch). Every ``eval_every`` epochs ``evaluate(model)`` runs
    under ``torch.no_grad()`` in eval mode and returns a dict of named metrics.

    A loss that is not finite (NaN or infinite) stops training with a ``ValueError`` naming
    the epoch and the batch, before the optimizer steps on it.

    The device path: training runs on ``device`` (default: the one ``setup`` chose). The model
    and every batch are moved there here (``to_device``: tensors, PyG ``Data``/``Batch``,
    tuples, lists, dicts); ``evaluate`` receives the model on that device and moves its own
    inputs with ``to_device(x, model_device(model))``. When training ends, or fails, the model
    goes back to the device it came from (the CPU in the notebooks), so later cells need not
    know where it trained; the history holds plain floats.
    """
    check_module(model)
    check_instance(optimizer, "optimizer", torch.optim.Optimizer, "a torch.optim.Optimizer")
    own = {id(p) for p in model.parameters()}
    if not any(id(p) in own for group in optimizer.param_groups for p in group["params"]):
        raise ValueError("optimizer: it holds none of model's parameters; build it from "
                         "model.parameters() of the model you train")
    if not callable(loss_fn):
        raise TypeError(f"loss_fn: expected a function loss_fn(model, batch) returning a scalar "
                        f"tensor, got {type(loss_fn).__name__}")
    epochs = check_positive_int(epochs, "epochs")
    _check_batches(batches, epochs)
    if evaluate is not None and not callable(evaluate):
        raise TypeError(f"evaluate: expected a function evaluate(model) returning a dict of "
                        f"metrics, or None, got {type(evaluate).__name__}")
    eval_every = check_positive_int(eval_every, "eval_every")
    if scheduler is not None and not callable(getattr(scheduler, "step", None)):
        raise TypeError(f"scheduler: expected a learning-rate scheduler with a step() method "
                        f"(torch.optim.lr_scheduler), or None, got {type(scheduler).__name__}")
    if clip_grad is not None:
        clip_grad = check_number(clip_grad, "clip_grad", low=0, low_inclusive=False)
    check_instance(desc, "desc", str, "a str")
    if progress is not None:
        progress = check_bool(progress, "progress")
    device = devices.default_device() if device is None else devices.as_device(device)
    home = devices.model_device(model)
    model.to(device)
    try:
        return _fit_epochs(model, optimizer, loss_fn, batches, epochs, evaluate, eval_every,
                           scheduler, clip_grad, desc, progress, device)
    finally:
        model.to(home)


def _fit_epochs(model: nn.Module, optimizer: torch.optim.Optimizer,
                loss_fn: Callable[[nn.Module, Any], Tensor],
                batches: Iterable[Any] | Callable[[], Iterable[Any]], epochs: int,
                evaluate: Callable[[nn.Module], dict[str, float]] | None, eval_every: int,
                scheduler: Any, clip_grad: float | None, desc: str, progress: bool | None,
                device: torch.device) -> History:
    """The epochs of :func:`fit`, with ``model`` already on ``device``."""
    from tqdm.auto import trange

    history = History()
    show = (not settings.quiet()) if progress is None else progress
    bar = trange(epochs, desc=desc, disable=not show, leave=True)
    for epoch in bar:
        model.train()
        total, count = 0.0, 0
        epoch_batches = batches() if callable(batches) else batches
        if not isinstance(epoch_batches, Iterable):
            raise TypeError(f"batches: expected the callable to return an iterable of batches, "
                            f"got {type(epoch_batches).__name__}")
        for batch in epoch_batches:
            batch = devices.to_device(batch, device)
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model, batch)
            value = _check_loss(loss, epoch, count)
            loss.backward()
            if clip_grad is not None:
                nn.utils.clip_grad_norm_(model.parameters(), clip_grad)
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            total += value
            count += 1
        if count == 0:
            raise ValueError("batches: produced no batch in an epoch")
        history.loss.append(total / count)
        postfix = {"loss": f"{history.loss[-1]:.4f}"}
        if evaluate is not None and ((epoch + 1) % eval_every == 0 or epoch + 1 == epochs):
            model.eval()
            with torch.no_grad():
                scores = evaluate(model)
            if not isinstance(scores, dict):
                raise TypeError(f"evaluate: expected it to return a dict of metrics such as "
                                f"{{'val': 0.8}}, got {type(scores).__name__}")
            history.epochs_evaluated.append(epoch + 1)
            for key, value in scores.items():
                history.metrics.setdefault(key, []).append(_metric(key, value))
                postfix[key] = f"{history.metrics[key][-1]:.3f}"
        bar.set_postfix(postfix, refresh=False)
    model.eval()
    return history


def _check_loss(loss: Any, epoch: int, batch: int) -> float:
    """The value of a scalar loss tensor with a gradient and a finite value, or an error naming
    the epoch and the batch."""
    if not isinstance(loss, Tensor):
        raise TypeError(f"loss_fn: expected it to return a scalar tensor, got "
                        f"{type(loss).__name__}")
    if loss.dim() != 0:
        raise ValueError(f"loss_fn: expected it to return a scalar tensor, got shape "
                         f"{list(loss.shape)}; reduce it with .mean()")
    if not loss.requires_grad:
        raise ValueError("loss_fn: the loss does not depend on the model's parameters (no "
                         "gradient); compute it from model(...) outside torch.no_grad()")
    value = float(loss.detach())
    if not math.isfinite(value):
        raise ValueError(f"loss_fn: the loss is {value} at epoch {epoch + 1}, batch {batch + 1}; "
                         "check the inputs for NaN or infinite values "
                         "(torch.isfinite(x).all()) or try a lower learning rate")
    return value


# --------------------------------------------------------------------------- node classification
def _check_graph(data: Any) -> None:
    """One graph with features, edges, labels and boolean split masks of matching sizes."""
    if isinstance(data, (list, tuple)):
        raise TypeError(f"data: expected one graph (a torch_geometric Data), got "
                        f"{type(data).__name__}; train_nodes trains on a single graph: pass "
                        f"data, not [data]")
    _validate.check_attributes(data, "data", ("x", "edge_index", "y", "train_mask"))
    _validate.check_tensor(data.x, "data.x", ndim=2, floating=True)
    _validate.check_finite(data.x, "data.x")
    num_nodes = data.x.size(0)
    _validate.check_edge_index(data.edge_index, num_nodes, "data.edge_index")
    _validate.check_tensor(data.y, "data.y", ndim=1, floating=False)
    if data.y.size(0) != num_nodes:
        raise ValueError(f"data.y: expected one label per node (shape [{num_nodes}]), got "
                         f"{list(data.y.shape)}")
    for split in ("train", "val", "test"):
        mask = getattr(data, f"{split}_mask", None)
        if mask is not None:
            _validate.check_bool_mask(mask, num_nodes, f"data.{split}_mask")


def train_nodes(model: nn.Module, data: Any, epochs: int = 200, lr: float = 0.01,
                weight_decay: float = 5e-4, desc: str = "training",
                device: torch.device | str | None = None) -> History:
    """Full-batch node classification: Adam on the cross-entropy of the training nodes.

    ``model(data.x, data.edge_index)`` must return logits [N, C]. ``data`` is one graph with
    ``x`` [N, F] (finite), ``edge_index`` [2, E], integer labels ``y`` [N] and boolean masks
    ``train_mask`` (and optionally ``val_mask``, ``test_mask``) [N]. Records ``train``, ``val``
    and (if ``data`` has ``test_mask``) ``test`` accuracy every epoch. The defaults are the GCN
    paper's (lr 0.01, weight decay 5e-4, 200 epochs). Trains on ``device`` (default: the one
    ``setup`` chose) and leaves ``model`` and ``data`` where they were (see :func:`fit`).
    """
    check_module(model)
    _check_graph(data)
    epochs = check_positive_int(epochs, "epochs")
    lr = check_number(lr, "lr", low=0, low_inclusive=False, finite=True)
    weight_decay = check_number(weight_decay, "weight_decay", low=0, finite=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    device = devices.default_device() if device is None else devices.as_device(device)
    data = devices.to_device(data, device)  # a copy if it must move: the caller's data stays put

    def loss_fn(model: nn.Module, batch: Any) -> Tensor:
        out = model(batch.x, batch.edge_index)  # [N, C]
        return nn.functional.cross_entropy(out[batch.train_mask], batch.y[batch.train_mask])

    def evaluate(model: nn.Module) -> dict[str, float]:
        out = model(data.x, data.edge_index)
        scores = {"train": accuracy(out, data.y, data.train_mask)}
        for split in ("val", "test"):
            mask = getattr(data, f"{split}_mask", None)
            if mask is not None:
                scores[split] = accuracy(out, data.y, mask)
        return scores

    return fit(model, optimizer, loss_fn, [data], epochs, evaluate=evaluate, desc=desc,
               device=device)
