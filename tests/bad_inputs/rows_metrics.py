import tempfile
from pathlib import Path

import torch

from graphcourse import checkpoints, metrics

from . import Bad


def saved_linear(damaged=False):
    """The path of a checkpoint of nn.Linear(2, 1) in a fresh folder (its last bytes edited
    if ``damaged``)."""
    path = Path(tempfile.mkdtemp()) / "linear.pt"
    checkpoints.save(torch.nn.Linear(2, 1), path)
    if damaged:
        path.write_bytes(path.read_bytes()[:-3] + b"xyz")
    return path


LOGITS = torch.tensor([[2.0, 0.0], [0.0, 1.0], [3.0, 1.0]])
Y = torch.tensor([0, 0, 0])

ROWS = [
    Bad("graphcourse.metrics:accuracy", "node ids instead of a bool mask",
        lambda: metrics.accuracy(LOGITS, Y, torch.tensor([0, 2])), TypeError,
        r"mask: expected a bool tensor of shape \[3\].*node ids"),
    Bad("graphcourse.metrics:accuracy", "mask of the wrong length",
        lambda: metrics.accuracy(LOGITS, Y, torch.tensor([True, False])), ValueError,
        r"mask: expected a bool tensor of shape \[3\], got \[2\]"),
    Bad("graphcourse.metrics:accuracy", "NaN logits (the arg-max would be arbitrary)",
        lambda: metrics.accuracy(torch.tensor([[float("nan"), 0.0]]), torch.tensor([0])),
        ValueError, r"logits"),
    Bad("graphcourse.metrics:accuracy", "labels of the wrong length",
        lambda: metrics.accuracy(LOGITS, torch.tensor([0, 1])), ValueError,
        r"y: expected shape \[3\]"),
    Bad("graphcourse.metrics:accuracy", "float labels",
        lambda: metrics.accuracy(LOGITS, Y.float()), TypeError, r"y: expected an integer tensor"),
    Bad("graphcourse.metrics:accuracy", "a list instead of logits",
        lambda: metrics.accuracy([[1.0, 0.0]], Y), TypeError, r"logits: expected a torch.Tensor"),
    Bad("graphcourse.metrics:token_accuracy", "shapes differ",
        lambda: metrics.token_accuracy(torch.zeros(2, 3, dtype=torch.long),
                                       torch.zeros(2, 4, dtype=torch.long)),
        ValueError, r"predicted: expected shape \[2, 4\]"),
    Bad("graphcourse.metrics:token_accuracy", "float ignore_index",
        lambda: metrics.token_accuracy(torch.zeros(2, 3, dtype=torch.long),
                                       torch.zeros(2, 3, dtype=torch.long), ignore_index=0.5),
        TypeError, r"ignore_index: expected an int or None"),
    Bad("graphcourse.metrics:accuracy", "one-dimensional logits",
        lambda: metrics.accuracy(torch.tensor([2.0, 0.0, 1.0]), Y), ValueError,
        r"logits: expected a 2-D tensor, got shape \[3\]"),
    Bad("graphcourse.metrics:token_accuracy", "float targets",
        lambda: metrics.token_accuracy(torch.zeros(2, 3, dtype=torch.long), torch.zeros(2, 3)),
        TypeError, r"target: expected an integer tensor"),
    Bad("graphcourse.metrics:token_accuracy", "a list of predictions",
        lambda: metrics.token_accuracy([[1, 2, 3]], torch.zeros(1, 3, dtype=torch.long)),
        TypeError, r"predicted: expected a torch.Tensor, got list"),
    Bad("graphcourse.checkpoints:save", "meta that is not a dict",
        lambda: checkpoints.save(torch.nn.Linear(1, 1), "x.pt", meta="v1"), TypeError,
        r"meta: expected a dict \(or None\), got str"),
    Bad("graphcourse.checkpoints:save", "an empty path",
        lambda: checkpoints.save(torch.nn.Linear(1, 1), ""), ValueError,
        r"path: expected a file path, got an empty string"),
    Bad("graphcourse.checkpoints:load", "weights of another architecture",
        lambda: checkpoints.load(torch.nn.Linear(3, 1), saved_linear()), ValueError,
        r"path: checkpoint .* does not fit model: .*size mismatch"),
    Bad("graphcourse.checkpoints:load", "a state dict instead of a model",
        lambda: checkpoints.load({}, saved_linear()), TypeError,
        r"model: expected a torch.nn.Module, got dict"),
    Bad("graphcourse.checkpoints:read", "an edited checkpoint",
        lambda: checkpoints.read(saved_linear(damaged=True)), ValueError,
        r"path: checksum mismatch for .*; the file is damaged or was edited"),
    Bad("graphcourse.checkpoints:load_or_train", "a number instead of a path",
        lambda: checkpoints.load_or_train(torch.nn.Linear(1, 1), lambda m: None, 7), TypeError,
        r"path: expected a file path"),
    Bad("graphcourse.checkpoints:save", "a state dict instead of a model",
        lambda: checkpoints.save({}, "x.pt"), TypeError, r"model: expected a torch.nn.Module"),
    Bad("graphcourse.checkpoints:read", "a number instead of a path",
        lambda: checkpoints.read(3), TypeError, r"path: expected a file path"),
    Bad("graphcourse.checkpoints:load", "no checkpoint there",
        lambda: checkpoints.load(torch.nn.Linear(1, 1), "/nonexistent/model.pt"),
        FileNotFoundError, r"path: no checkpoint at"),
    Bad("graphcourse.checkpoints:load_or_train", "train_fn is not callable",
        lambda: checkpoints.load_or_train(torch.nn.Linear(1, 1), None, "m.pt"), TypeError,
        r"train_fn: expected a function"),
    Bad("graphcourse.checkpoints:load_or_train", "meta is not a dict",
        lambda: checkpoints.load_or_train(torch.nn.Linear(1, 1), lambda m: None, "m.pt",
                                          meta=["a"]), TypeError, r"meta: expected a dict"),
]

ROWS.append(Bad("graphcourse.metrics:accuracy", "bool labels (a mask where class ids belong)",
                lambda: metrics.accuracy(LOGITS, torch.tensor([True, False, True])), TypeError,
                r"y: expected an integer tensor, got dtype torch.bool"))

ROWS += [
    Bad("graphcourse.metrics:balanced_accuracy", "node ids instead of a bool mask",
        lambda: metrics.balanced_accuracy(LOGITS, Y, torch.tensor([0, 2])), TypeError,
        r"mask: expected a bool tensor of shape \[3\].*node ids"),
    Bad("graphcourse.metrics:balanced_accuracy", "mask of the wrong length",
        lambda: metrics.balanced_accuracy(LOGITS, Y, torch.tensor([True])), ValueError,
        r"mask: expected a bool tensor of shape \[3\], got \[1\]"),
    Bad("graphcourse.metrics:balanced_accuracy", "a label beyond the logits' classes",
        lambda: metrics.balanced_accuracy(LOGITS, torch.tensor([0, 2, 1])), ValueError,
        r"y: expected class ids in \[0, 2\)"),
    Bad("graphcourse.metrics:balanced_accuracy", "a negative label (padding id)",
        lambda: metrics.balanced_accuracy(LOGITS, torch.tensor([0, -100, 1])), ValueError,
        r"y: expected class ids in \[0, 2\)"),
    Bad("graphcourse.metrics:balanced_accuracy", "NaN logits (argmax would pick the NaN)",
        lambda: metrics.balanced_accuracy(torch.tensor([[0.0, float("nan")]] * 3), Y),
        ValueError, r"logits: expected finite values"),
    Bad("graphcourse.metrics:balanced_accuracy", "labels of the wrong length",
        lambda: metrics.balanced_accuracy(LOGITS, torch.tensor([0, 1])), ValueError,
        r"y: expected shape \[3\]"),
    Bad("graphcourse.metrics:balanced_accuracy", "bool labels",
        lambda: metrics.balanced_accuracy(LOGITS, torch.tensor([True, False, True])),
        TypeError, r"y: expected an integer tensor, got dtype torch.bool"),
    Bad("graphcourse.metrics:balanced_accuracy", "predicted ids instead of logits",
        lambda: metrics.balanced_accuracy(torch.tensor([0, 1, 1]), Y), ValueError,
        r"logits: expected a 2-D tensor"),
]
