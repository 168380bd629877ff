import numpy as np
import torch
from torch import nn
from torch_geometric.data import Data

from graphcourse import devices, train

from . import Bad
from .rows_settings import with_env


def graph(**changes):
    """A 4-node graph with everything ``train_nodes`` needs; ``changes`` replace attributes."""
    values = {"x": torch.randn(4, 3), "edge_index": torch.tensor([[0, 1, 2], [1, 2, 3]]),
              "y": torch.tensor([0, 1, 0, 1]),
              "train_mask": torch.tensor([True, True, False, False])}
    values.update(changes)
    return Data(**values)


def regression():
    """A linear model, its optimizer, a loss and one batch (x [8, 2], y [8])."""
    model = nn.Linear(2, 1)
    x, y = torch.randn(8, 2), torch.randn(8)
    return (model, torch.optim.SGD(model.parameters(), lr=0.1),
            lambda m, b: nn.functional.mse_loss(m(b[0]).squeeze(-1), b[1]), [(x, y)])


def fit(**changes):
    """``train.fit`` on ``regression()`` with some arguments replaced."""
    model, optimizer, loss_fn, batches = regression()
    kwargs = {"model": model, "optimizer": optimizer, "loss_fn": loss_fn, "batches": batches,
              "epochs": 2, "device": "cpu"}
    kwargs.update(changes)
    return lambda: train.fit(**kwargs)


def nan_batch():
    x = torch.randn(8, 2)
    x[3, 1] = float("nan")
    return [(x, torch.randn(8))]


def node_classifier():
    return nn.Linear(3, 2)


class NoStep:
    """A scheduler lookalike without ``step``."""


ROWS = [
    Bad("graphcourse.train:configure_threads", "zero cores",
        lambda: train.configure_threads(0), ValueError,
        r"max_cores_for_one_thread: expected an int >= 1, got 0"),
    Bad("graphcourse.train:configure_threads", "a word in GRAPHCOURSE_THREADS",
        with_env("GRAPHCOURSE_THREADS", "two", train.configure_threads), ValueError,
        r"GRAPHCOURSE_THREADS: expected a positive integer, got 'two'"),
    Bad("graphcourse.train:course_seed", "a negative GRAPHCOURSE_SEED",
        with_env("GRAPHCOURSE_SEED", "-3", train.course_seed), ValueError,
        r"GRAPHCOURSE_SEED: expected a non-negative integer, got -3"),
    Bad("graphcourse.train:set_seed", "a float seed",
        lambda: train.set_seed(1.5), TypeError, r"seed: expected an int >= 0 or None, got float"),
    Bad("graphcourse.train:set_seed", "a negative seed",
        lambda: train.set_seed(np.int64(-1)), ValueError,
        r"seed: expected a non-negative int, got -1"),
    Bad("graphcourse.devices:get_device", "an unknown device name",
        lambda: devices.get_device("gpu"), ValueError, r"prefer: expected one of cpu, cuda, mps"),
    Bad("graphcourse.devices:get_device", "a number",
        lambda: devices.get_device(0), TypeError, r"prefer: expected a device name like 'cpu'"),
    Bad("graphcourse.devices:get_device", "a malformed device index",
        lambda: devices.get_device("cpu:x"), ValueError,
        r"prefer: expected a device such as 'cpu', 'cuda' or 'cuda:0', got 'cpu:x'"),
    Bad("graphcourse.devices:get_device", "an unknown GRAPHCOURSE_DEVICE",
        with_env("GRAPHCOURSE_DEVICE", "tpu", devices.get_device), ValueError,
        r"GRAPHCOURSE_DEVICE: expected one of cpu, cuda, mps, got 'tpu'"),
    Bad("graphcourse.devices:to_device", "a device that is not a name",
        lambda: devices.to_device(torch.ones(2), 0.5), TypeError,
        r"device: expected a device such as 'cpu' or 'cuda' \(a str or torch.device\), got float"),
    Bad("graphcourse.devices:to_device", "an unknown device name",
        lambda: devices.to_device(torch.ones(2), "gpu"), ValueError,
        r"device: expected a device such as 'cpu', 'cuda' or 'cuda:0', got 'gpu'"),
    Bad("graphcourse.devices:as_device", "a number",
        lambda: devices.as_device(0), TypeError,
        r"device: expected a device such as 'cpu' or 'cuda' \(a str or torch.device\), got int"),
    Bad("graphcourse.devices:set_default", "an unknown device name",
        lambda: devices.set_default("gpu"), ValueError,
        r"device: expected a device such as 'cpu', 'cuda' or 'cuda:0', got 'gpu'"),
    Bad("graphcourse.devices:model_device", "a state dict instead of a model",
        lambda: devices.model_device({"weight": torch.ones(1)}), TypeError,
        r"model: expected a torch.nn.Module, got dict"),
    Bad("graphcourse.train:setup", "a float seed",
        lambda: train.setup(seed=0.5, verbose=False), TypeError, r"seed: expected an int"),
    Bad("graphcourse.train:setup", "verbose as a string",
        lambda: train.setup(verbose="no"), TypeError, r"verbose: expected True or False, got str"),
    Bad("graphcourse.train:History", "an unknown mode",
        lambda: train.History(metrics={"val": [0.5]}).best("val", mode="maximum"), ValueError,
        r"mode: expected one of 'max', 'min', got 'maximum'"),
    Bad("graphcourse.train:History", "a metric that was not recorded",
        lambda: train.History(metrics={"val": [0.5]}).last("test"), KeyError,
        r"metric: 'test' was not recorded; have \['val'\]"),
    Bad("graphcourse.train:History", "a metric given by position",
        lambda: train.History(metrics={"val": [0.5]}).best(0), TypeError,
        r"metric: expected a metric name \(str\), got int"),
    Bad("graphcourse.train:fit", "clip_grad = -1 would flip the gradients",
        fit(clip_grad=-1.0), ValueError, r"clip_grad: expected a positive number, got -1"),
    Bad("graphcourse.train:fit", "a NaN feature",
        fit(batches=nan_batch()), ValueError,
        r"loss_fn: the loss is nan at epoch 1, batch 1; check the inputs for NaN or infinite "
        r"values .* or try a lower learning rate"),
    Bad("graphcourse.train:fit", "one graph instead of a list of batches",
        fit(batches=graph()), TypeError,
        r"batches: expected an iterable of batches such as \[data\], got Data"),
    Bad("graphcourse.train:fit", "a generator read again in epoch 2",
        fit(batches=(b for b in regression()[3])), TypeError,
        r"batches: expected an iterable that can be read once per epoch, got a one-pass "
        r"generator"),
    Bad("graphcourse.train:fit", "a callable that returns a number",
        fit(batches=lambda: 3), TypeError,
        r"batches: expected the callable to return an iterable of batches, got int"),
    Bad("graphcourse.train:fit", "evaluate is not callable",
        fit(evaluate={"val": 1.0}), TypeError, r"evaluate: expected a function evaluate\(model\)"),
    Bad("graphcourse.train:fit", "evaluate returns a number",
        fit(evaluate=lambda m: 0.5), TypeError,
        r"evaluate: expected it to return a dict of metrics such as \{'val': 0.8\}, got float"),
    Bad("graphcourse.train:fit", "evaluate returns a list as a value",
        fit(evaluate=lambda m: {"val": [0.5]}), TypeError,
        r"evaluate: expected a number for 'val', got list"),
    Bad("graphcourse.train:fit", "a scheduler without step",
        fit(scheduler=NoStep()), TypeError,
        r"scheduler: expected a learning-rate scheduler with a step\(\) method"),
    Bad("graphcourse.train:fit", "loss_fn is not callable",
        fit(loss_fn="mse"), TypeError, r"loss_fn: expected a function loss_fn\(model, batch\)"),
    Bad("graphcourse.train:fit", "loss_fn returns a float",
        fit(loss_fn=lambda m, b: 0.5), TypeError,
        r"loss_fn: expected it to return a scalar tensor, got float"),
    Bad("graphcourse.train:fit", "loss_fn returns one loss per example",
        fit(loss_fn=lambda m, b: (m(b[0]).squeeze(-1) - b[1]) ** 2), ValueError,
        r"loss_fn: expected it to return a scalar tensor, got shape \[8\]"),
    Bad("graphcourse.train:fit", "a loss computed without gradient",
        fit(loss_fn=lambda m, b: b[1].mean()), ValueError,
        r"loss_fn: the loss does not depend on the model's parameters"),
    Bad("graphcourse.train:fit", "desc is not a string",
        fit(desc=3), TypeError, r"desc: expected a str, got int"),
    Bad("graphcourse.train:fit", "an unknown device",
        fit(device="gpu0"), ValueError, r"device: expected a device such as 'cpu'"),
    Bad("graphcourse.train:fit", "epochs as a float",
        fit(epochs=10.0), TypeError, r"epochs: expected an int, got float"),
    Bad("graphcourse.train:fit", "zero epochs",
        fit(epochs=0), ValueError, r"epochs: expected an int >= 1, got 0"),
    Bad("graphcourse.train:fit", "eval_every = 0",
        fit(eval_every=0), ValueError, r"eval_every: expected an int >= 1, got 0"),
    Bad("graphcourse.train:fit", "progress as a string",
        fit(progress="yes"), TypeError, r"progress: expected True or False, got str"),
    Bad("graphcourse.train:fit", "a model that is not a module",
        fit(model=lambda x: x), TypeError, r"model: expected a torch.nn.Module, got function"),
    Bad("graphcourse.train:fit", "the optimizer of another model",
        fit(optimizer=torch.optim.SGD(nn.Linear(2, 1).parameters(), lr=0.1)), ValueError,
        r"optimizer: it holds none of model's parameters"),
    Bad("graphcourse.train:fit", "no optimizer",
        fit(optimizer=None), TypeError,
        r"optimizer: expected a torch.optim.Optimizer, got NoneType"),
    Bad("graphcourse.train:fit", "no batches at all",
        fit(batches=[]), ValueError, r"batches: produced no batch in an epoch"),
    Bad("graphcourse.train:train_nodes", "a list of graphs",
        lambda: train.train_nodes(node_classifier(), [graph()], epochs=1), TypeError,
        r"data: expected one graph \(a torch_geometric Data\), got list; .* pass data, not "
        r"\[data\]"),
    Bad("graphcourse.train:train_nodes", "node ids as the training mask",
        lambda: train.train_nodes(node_classifier(), graph(train_mask=torch.tensor([0, 1])),
                                  epochs=1), TypeError,
        r"data.train_mask: expected a bool tensor of shape \[4\].*node ids"),
    Bad("graphcourse.train:train_nodes", "a test mask of the wrong length",
        lambda: train.train_nodes(node_classifier(), graph(test_mask=torch.ones(3, dtype=bool)),
                                  epochs=1), ValueError,
        r"data.test_mask: expected a bool tensor of shape \[4\], got \[3\]"),
    Bad("graphcourse.train:train_nodes", "a NaN feature",
        lambda: train.train_nodes(node_classifier(), graph(x=torch.tensor(
            [[0.0, 1, 2], [float("nan"), 0, 0], [1, 1, 1], [2, 2, 2]])), epochs=1), ValueError,
        r"data.x: expected finite values, found 1 NaN or infinite entry"),
    Bad("graphcourse.train:train_nodes", "labels of the wrong length",
        lambda: train.train_nodes(node_classifier(), graph(y=torch.tensor([0, 1])), epochs=1),
        ValueError, r"data.y: expected one label per node \(shape \[4\]\), got \[2\]"),
    Bad("graphcourse.train:train_nodes", "float labels",
        lambda: train.train_nodes(node_classifier(), graph(y=torch.zeros(4)), epochs=1),
        TypeError, r"data.y: expected an integer tensor"),
    Bad("graphcourse.train:train_nodes", "an edge to a node that does not exist",
        lambda: train.train_nodes(node_classifier(), graph(edge_index=torch.tensor([[0], [9]])),
                                  epochs=1), ValueError,
        r"data.edge_index: node id 9 is out of range for num_nodes=4"),
    Bad("graphcourse.train:train_nodes", "a missing attribute",
        lambda: train.train_nodes(node_classifier(), Data(x=torch.ones(4, 3)), epochs=1),
        ValueError, r"data: missing attribute 'edge_index'"),
    Bad("graphcourse.train:train_nodes", "epochs as a float",
        lambda: train.train_nodes(node_classifier(), graph(), epochs=1.5), TypeError,
        r"epochs: expected an int, got float"),
    Bad("graphcourse.train:train_nodes", "a zero learning rate",
        lambda: train.train_nodes(node_classifier(), graph(), epochs=1, lr=0.0), ValueError,
        r"lr: expected a positive number, got 0"),
    Bad("graphcourse.train:train_nodes", "a negative weight decay",
        lambda: train.train_nodes(node_classifier(), graph(), epochs=1, weight_decay=-1e-4),
        ValueError, r"weight_decay: expected a non-negative number"),
    Bad("graphcourse.train:train_nodes", "a function instead of a model",
        lambda: train.train_nodes(lambda x, e: x, graph(), epochs=1), TypeError,
        r"model: expected a torch.nn.Module, got function"),
    Bad("graphcourse.train:train_nodes", "an unknown device",
        lambda: train.train_nodes(node_classifier(), graph(), epochs=1, device="gpu"),
        ValueError, r"device: expected a device such as 'cpu'"),
    Bad("graphcourse.train:train_nodes", "an infinite learning rate",
        lambda: train.train_nodes(node_classifier(), graph(), epochs=1, lr=float("inf")),
        ValueError, r"lr: expected a finite number, got inf"),
]

EXEMPT = {"graphcourse.devices:default_device": "no arguments: it returns what setup chose, or "
                                              "get_device() (rows above)"}
