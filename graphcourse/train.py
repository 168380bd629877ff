"""Training utilities shared by every chapter.

- ``setup``: the one call of every notebook's setup cell (threads, seed, device, versions).
- ``set_seed`` / ``course_seed`` / ``get_device``: seeding (``GRAPHCOURSE_SEED``) and device
  choice (cuda, then mps, then cpu).
- ``profile`` / ``pick``: the run profile. ``GRAPHCOURSE_PROFILE=fast`` (default) keeps every
  notebook within its CPU budget; ``full`` trains longer for the paper-scale numbers.
- ``fit``: the single training loop of the course, with a tqdm progress bar that stays quiet
  under tests (``GRAPHCOURSE_QUIET=1``).
- ``train_nodes``: full-batch node classification on one graph, the loop of chapters 01-03.

Checkpoints live in :mod:`graphcourse.checkpoints`, metrics in :mod:`graphcourse.metrics`.
"""

from __future__ import annotations

import os
import platform
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import torch
from torch import Tensor, nn

from ._validate import check_attributes, check_number
from .metrics import accuracy

PROFILES = ("fast", "full")
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

    ``seed=None`` uses the run's ``course_seed()``. Returns the seed used.
    """
    if seed is None:
        seed = course_seed()
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed: expected an int, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"seed: expected a non-negative int, got {seed}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    return seed


DEVICES = ("cpu", "cuda", "mps")
_chosen_device: torch.device | None = None  # set by ``setup``; read by ``default_device``


def _available(name: str) -> bool:
    if name == "cuda":
        return torch.cuda.is_available()
    if name == "mps":
        mps = getattr(torch.backends, "mps", None)
        return mps is not None and mps.is_available()
    return True


def get_device(prefer: str | None = None) -> torch.device:
    """The device to compute on: ``prefer`` if given, else ``GRAPHCOURSE_DEVICE`` (``cpu``,
    ``cuda`` or ``mps``) if set, else the best available one (cuda, then mps, then cpu).

    A named device that this machine does not have is an error, not a silent fallback.
    """
    source = "prefer"
    if prefer is None and os.environ.get("GRAPHCOURSE_DEVICE", "").strip():
        prefer, source = os.environ["GRAPHCOURSE_DEVICE"].strip().lower(), "GRAPHCOURSE_DEVICE"
    if prefer is not None:
        if not isinstance(prefer, str):
            raise TypeError(
                f"prefer: expected a device name like 'cpu', got {type(prefer).__name__}")
        kind = prefer.split(":")[0]
        if kind not in DEVICES:
            raise ValueError(f"{source}: expected one of {', '.join(DEVICES)}, got {prefer!r}")
        if not _available(kind):
            raise ValueError(f"{source}: {prefer!r} is not available on this machine")
        return torch.device(prefer)
    for kind in ("cuda", "mps"):
        if _available(kind):
            return torch.device(kind)
    return torch.device("cpu")


def default_device() -> torch.device:
    """The device ``setup`` chose for this notebook (``get_device()`` if setup was not run)."""
    return _chosen_device if _chosen_device is not None else get_device()


def _same_device(tensor_device: torch.device, device: torch.device) -> bool:
    return tensor_device.type == device.type and device.index in (None, tensor_device.index)


def to_device(obj: T, device: torch.device | str) -> T:
    """``obj`` on ``device``: a tensor, a PyG ``Data``/``Batch`` (anything with ``.to``), or a
    tuple, list or dict of those (recursively). Other values are returned unchanged.

    The caller's object is never changed: PyG's ``Data.to`` moves in place, so a graph that
    must move is cloned first; one already on ``device`` is returned as it is.
    """
    device = torch.device(device)
    if isinstance(obj, Tensor):
        return obj.to(device)
    if isinstance(obj, (tuple, list)):
        return type(obj)(to_device(item, device) for item in obj)
    if isinstance(obj, dict):
        return {key: to_device(value, device) for key, value in obj.items()}
    if hasattr(obj, "to") and callable(obj.to):
        tensors = [value for value in getattr(obj, "to_dict", dict)().values()
                   if isinstance(value, Tensor)]
        if tensors and all(_same_device(t.device, device) for t in tensors):
            return obj
        return (obj.clone() if hasattr(obj, "clone") else obj).to(device)
    return obj


def model_device(model: nn.Module) -> torch.device:
    """The device of ``model``'s first parameter or buffer (the CPU for a module with none)."""
    for tensor in (*model.parameters(), *model.buffers()):
        return tensor.device
    return torch.device("cpu")


def profile() -> str:
    """The run profile from ``GRAPHCOURSE_PROFILE``: ``'fast'`` (default) or ``'full'``."""
    name = os.environ.get("GRAPHCOURSE_PROFILE", "fast").strip().lower() or "fast"
    if name not in PROFILES:
        raise ValueError(
            f"GRAPHCOURSE_PROFILE: unknown profile {name!r}; expected one of {', '.join(PROFILES)}")
    return name


def pick(fast: T, full: T) -> T:
    """Return ``fast`` or ``full`` according to the run profile (epochs, sizes, seeds...)."""
    return full if profile() == "full" else fast


def quiet() -> bool:
    """True when progress bars should stay silent (tests set ``GRAPHCOURSE_QUIET=1``)."""
    return os.environ.get("GRAPHCOURSE_QUIET", "0").strip().lower() not in ("", "0", "false", "no")


def setup(seed: int | None = None, verbose: bool = True) -> torch.device:
    """Everything a notebook's setup cell does: threads, seed, device, numerics, versions.

    ``seed=None`` uses ``course_seed()`` (``GRAPHCOURSE_SEED``, default 0). On CUDA, TF32 is
    turned off for matrix products and cuDNN so that float32 results match the CPU's to the
    1e-5 tolerances the parity checks use. Returns the device to use. The printed line
    depends on the machine, so setup cells are tagged for nbval to ignore their output.
    """
    global _chosen_device
    threads = configure_threads()
    seed = set_seed(seed)
    device = _chosen_device = get_device()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    if verbose:
        import torch_geometric

        numerics = " | tf32 off" if device.type == "cuda" else ""
        print(f"python {platform.python_version()} | torch {torch.__version__} | "
              f"torch_geometric {torch_geometric.__version__} | device {device} | "
              f"threads {threads} | profile {profile()} | seed {seed}{numerics}")
    return device


# --------------------------------------------------------------------------- training loop
@dataclass
class History:
    """What ``fit`` records: the mean training loss per epoch and each evaluated metric."""

    loss: list[float] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    epochs_evaluated: list[int] = field(default_factory=list)

    def best(self, metric: str, mode: str = "max") -> float:
        """The best value reached by ``metric``."""
        if metric not in self.metrics:
            raise KeyError(f"metric: {metric!r} was not recorded; have {sorted(self.metrics)}")
        values = self.metrics[metric]
        return max(values) if mode == "max" else min(values)

    def last(self, metric: str) -> float:
        """The last recorded value of ``metric``."""
        if metric not in self.metrics:
            raise KeyError(f"metric: {metric!r} was not recorded; have {sorted(self.metrics)}")
        return self.metrics[metric][-1]


def fit(model: nn.Module,
        optimizer: torch.optim.Optimizer,
        loss_fn: Callable[[nn.Module, Any], Tensor],
        batches: Iterable[Any] | Callable[[], Iterable[Any]],
        epochs: int,
        *,
        evaluate: Callable[[nn.Module], dict[str, float]] | None = None,
        eval_every: int = 1,
        scheduler: Any = None,
        clip_grad: float | None = None,
        desc: str = "training",
        progress: bool | None = None,
        device: torch.device | str | None = None) -> History:
    """Train ``model`` for ``epochs`` and return its :class:`History`.

    Each epoch: for every ``batch`` in ``batches`` (a list such as ``[data]`` for full-batch
    training on one graph, or a callable returning a fresh iterable such as a shuffled
    ``DataLoader``): ``loss = loss_fn(model, batch)``, backward, optional gradient clipping,
    ``optimizer.step()`` and ``scheduler.step()`` (per batch). Every ``eval_every`` epochs
    ``evaluate(model)`` runs under ``torch.no_grad()`` in eval mode and returns named metrics.

    The device path: training runs on ``device`` (default: the one ``setup`` chose). The model
    and every batch are moved there here (``to_device``: tensors, PyG ``Data``/``Batch``,
    tuples, lists, dicts); ``evaluate`` receives the model on that device and moves its own
    inputs with ``to_device(x, model_device(model))``. When training ends, or fails, the model
    goes back to the device it came from (the CPU in the notebooks), so later cells need not
    know where it trained; the history holds plain floats.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model: expected a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"optimizer: expected a torch.optim.Optimizer, got {type(optimizer).__name__}")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs: expected an int >= 1, got {epochs!r}")
    if isinstance(eval_every, bool) or not isinstance(eval_every, int) or eval_every < 1:
        raise ValueError(f"eval_every: expected an int >= 1, got {eval_every!r}")
    device = default_device() if device is None else torch.device(device)
    home = model_device(model)
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
    show = (not quiet()) if progress is None else progress
    bar = trange(epochs, desc=desc, disable=not show, leave=True)
    for epoch in bar:
        model.train()
        total, count = 0.0, 0
        for batch in (batches() if callable(batches) else batches):
            batch = to_device(batch, device)
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model, batch)
            if not isinstance(loss, Tensor) or loss.dim() != 0:
                raise ValueError("loss_fn: expected it to return a scalar tensor, got "
                                 f"{type(loss).__name__} {getattr(loss, 'shape', '')}")
            loss.backward()
            if clip_grad is not None:
                nn.utils.clip_grad_norm_(model.parameters(), clip_grad)
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            total += float(loss.detach())
            count += 1
        if count == 0:
            raise ValueError("batches: produced no batch in an epoch")
        history.loss.append(total / count)
        postfix = {"loss": f"{history.loss[-1]:.4f}"}
        if evaluate is not None and ((epoch + 1) % eval_every == 0 or epoch + 1 == epochs):
            model.eval()
            with torch.no_grad():
                scores = evaluate(model)
            history.epochs_evaluated.append(epoch + 1)
            for key, value in scores.items():
                history.metrics.setdefault(key, []).append(float(value))
                postfix[key] = f"{float(value):.3f}"
        bar.set_postfix(postfix, refresh=False)
    model.eval()
    return history


# --------------------------------------------------------------------------- node classification
def train_nodes(model: nn.Module, data: Any, epochs: int = 200, lr: float = 0.01,
                weight_decay: float = 5e-4, desc: str = "training",
                device: torch.device | str | None = None) -> History:
    """Full-batch node classification: Adam on the cross-entropy of the training nodes.

    ``model(data.x, data.edge_index)`` must return logits [N, C]. Records ``train``, ``val``
    and (if ``data`` has ``test_mask``) ``test`` accuracy every epoch. The defaults are the GCN
    paper's (lr 0.01, weight decay 5e-4, 200 epochs). Trains on ``device`` (default: the one
    ``setup`` chose) and leaves ``model`` and ``data`` where they were (see :func:`fit`).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model: expected a torch.nn.Module, got {type(model).__name__}")
    check_attributes(data, "data", ("x", "edge_index", "y", "train_mask"))
    lr = check_number(lr, "lr", low=0, low_inclusive=False)
    weight_decay = check_number(weight_decay, "weight_decay", low=0)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    device = default_device() if device is None else torch.device(device)
    data = to_device(data, device)  # a copy if it must move: the caller's data stays put

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
