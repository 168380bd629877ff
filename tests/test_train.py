import os
import random

import numpy as np
import pytest
import torch
from torch import nn

from graphcourse import train


def test_set_seed_repeats_all_generators():
    train.set_seed(3)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    train.set_seed(3)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == a


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (1.5, TypeError), ("0", TypeError)])
def test_set_seed_bad_input(seed, error):
    with pytest.raises(error, match="seed"):
        train.set_seed(seed)


def test_course_seed_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("GRAPHCOURSE_SEED", raising=False)
    assert train.course_seed() == 0 and train.set_seed() == 0
    monkeypatch.setenv("GRAPHCOURSE_SEED", "7")
    assert train.course_seed() == 7
    assert train.set_seed() == 7
    a = torch.rand(1).item()
    train.set_seed(7)
    assert torch.rand(1).item() == a
    assert train.set_seed(3) == 3  # an explicit seed wins over the environment


@pytest.mark.parametrize("value", ["one", "-2", "1.5"])
def test_course_seed_rejects_bad_values(monkeypatch, value):
    monkeypatch.setenv("GRAPHCOURSE_SEED", value)
    with pytest.raises(ValueError, match="GRAPHCOURSE_SEED: expected a non-negative integer"):
        train.course_seed()


def test_setup_uses_the_course_seed_and_turns_tf32_off(monkeypatch, capsys):
    monkeypatch.setenv("GRAPHCOURSE_SEED", "5")
    before = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = True
    try:
        train.setup()
        assert torch.backends.cuda.matmul.allow_tf32 is False
        assert torch.backends.cudnn.allow_tf32 is False
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = before
    assert "seed 5" in capsys.readouterr().out


def test_get_device_prefers_what_exists():
    device = train.get_device()
    expected = "cuda" if torch.cuda.is_available() else (
        "mps" if torch.backends.mps.is_available() else "cpu")
    assert device.type == expected
    assert train.get_device("cpu") == torch.device("cpu")
    with pytest.raises(TypeError, match="prefer"):
        train.get_device(3)


def test_profile_and_pick(monkeypatch):
    monkeypatch.delenv("GRAPHCOURSE_PROFILE", raising=False)
    assert train.profile() == "fast" and train.pick(1, 2) == 1
    monkeypatch.setenv("GRAPHCOURSE_PROFILE", "FULL")
    assert train.profile() == "full" and train.pick(1, 2) == 2
    monkeypatch.setenv("GRAPHCOURSE_PROFILE", "quick")
    with pytest.raises(ValueError, match="GRAPHCOURSE_PROFILE.*quick"):
        train.profile()


def test_configure_threads(monkeypatch):
    before = torch.get_num_threads()
    try:
        monkeypatch.setenv("GRAPHCOURSE_THREADS", "1")
        assert train.configure_threads() == 1
        monkeypatch.setenv("GRAPHCOURSE_THREADS", "zero")
        with pytest.raises(ValueError, match="GRAPHCOURSE_THREADS"):
            train.configure_threads()
        monkeypatch.delenv("GRAPHCOURSE_THREADS")
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
        assert train.configure_threads() == 1
    finally:
        torch.set_num_threads(before)


def _regression():
    train.set_seed(0)
    x = torch.randn(64, 3)
    y = x @ torch.tensor([1.0, -2.0, 0.5]) + 0.1
    return nn.Linear(3, 1), [(x, y)]


def test_fit_reduces_loss_and_records_metrics():
    model, batches = _regression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

    def loss_fn(model, batch):
        x, y = batch
        return nn.functional.mse_loss(model(x).squeeze(-1), y)

    history = train.fit(model, optimizer, loss_fn, batches, epochs=50,
                        evaluate=lambda m: {"w0": float(m.weight[0, 0])}, eval_every=10)
    assert history.loss[-1] < 0.01 * history.loss[0]
    assert history.epochs_evaluated == [10, 20, 30, 40, 50]
    assert abs(history.last("w0") - 1.0) < 0.05
    assert not model.training
    with pytest.raises(KeyError, match="metric"):
        history.best("nope")


def test_fit_bad_input():
    model, batches = _regression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = lambda m, b: nn.functional.mse_loss(m(b[0]).squeeze(-1), b[1])  # noqa: E731
    with pytest.raises(ValueError, match="epochs"):
        train.fit(model, optimizer, loss, batches, epochs=0)
    with pytest.raises(TypeError, match="model"):
        train.fit("model", optimizer, loss, batches, epochs=1)
    with pytest.raises(TypeError, match="optimizer"):
        train.fit(model, None, loss, batches, epochs=1)
    with pytest.raises(ValueError, match="loss_fn"):
        train.fit(model, optimizer, lambda m, b: m(b[0]), batches, epochs=1)
    with pytest.raises(ValueError, match="batches"):
        train.fit(model, optimizer, loss, [], epochs=1)


def test_train_nodes_learns_digits_graph():
    from graphcourse.data import digits_graph
    from graphcourse.nn import NodeClassifier

    data = digits_graph()
    train.set_seed(0)
    history = train.train_nodes(NodeClassifier(64, 32, 10), data, epochs=100)
    assert set(history.metrics) == {"train", "val", "test"}
    assert history.last("test") >= 0.93


def _tiny_node_data(**drop):
    from torch_geometric.data import Data

    values = {"x": torch.randn(4, 3), "edge_index": torch.tensor([[0, 1, 2], [1, 2, 3]]),
              "y": torch.tensor([0, 1, 0, 1]),
              "train_mask": torch.tensor([True, True, False, False])}
    return Data(**{key: value for key, value in values.items() if key not in drop})


def test_train_nodes_rejects_a_model_that_is_not_a_module():
    with pytest.raises(TypeError, match="model: expected a torch.nn.Module, got function"):
        train.train_nodes(lambda x, edge_index: x, _tiny_node_data(), epochs=1)


@pytest.mark.parametrize("missing", ["x", "edge_index", "y", "train_mask"])
def test_train_nodes_names_the_missing_attribute(missing):
    from graphcourse.nn import NodeClassifier

    with pytest.raises(ValueError, match=f"data: missing attribute '{missing}'"):
        train.train_nodes(NodeClassifier(3, 4, 2), _tiny_node_data(**{missing: True}), epochs=1)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"lr": "0.01"}, TypeError, "lr: expected a number"),
    ({"lr": 0.0}, ValueError, "lr: expected a positive number"),
    ({"weight_decay": -1.0}, ValueError, "weight_decay: expected a non-negative number"),
])
def test_train_nodes_checks_lr_and_weight_decay(kwargs, error, match):
    from graphcourse.nn import NodeClassifier

    with pytest.raises(error, match=match):
        train.train_nodes(NodeClassifier(3, 4, 2), _tiny_node_data(), epochs=1, **kwargs)


def test_train_nodes_runs_on_tiny_data():
    from graphcourse.nn import NodeClassifier

    history = train.train_nodes(NodeClassifier(3, 4, 2), _tiny_node_data(), epochs=2)
    assert len(history.loss) == 2 and "val" not in history.metrics
