"""The one device path: training helpers move the model and every batch to the chosen device,
bring the model back where it came from, and honour GRAPHCOURSE_DEVICE. On a CPU-only machine
the moves are observed with spies and with PyTorch's ``meta`` device; the CUDA test skips."""

import pytest
import torch
from torch import nn
from torch_geometric.data import Data

from graphcourse import devices, train


class SpyModel(nn.Linear):
    """A linear model that records every ``.to`` call and stays on the CPU."""

    def __init__(self):
        super().__init__(2, 1)
        self.moves = []

    def to(self, *args, **kwargs):
        self.moves.append(torch.device(args[0]))
        return self


class SpyBatch:
    """A batch whose ``.to`` records the device and hands back CPU tensors."""

    moves: list[torch.device] = []

    def __init__(self):
        self.x, self.y = torch.randn(4, 2), torch.randn(4, 1)

    def to(self, device):
        SpyBatch.moves.append(torch.device(device))
        return self


def test_fit_moves_the_model_and_every_batch_then_brings_the_model_home():
    SpyBatch.moves = []
    model, batches = SpyModel(), [SpyBatch(), SpyBatch(), SpyBatch()]
    seen = []

    def evaluate(m):
        seen.append(m)
        return {"score": 1.0}

    history = train.fit(model, torch.optim.SGD(model.parameters(), lr=0.1),
                        lambda m, b: ((m(b.x) - b.y) ** 2).mean(), batches, 2,
                        evaluate=evaluate, device="cuda")
    assert model.moves == [torch.device("cuda"), torch.device("cpu")]  # there and back
    assert SpyBatch.moves == [torch.device("cuda")] * 6  # 3 batches x 2 epochs
    assert seen == [model, model]
    assert all(type(v) is float for v in history.loss + history.metrics["score"])


def test_fit_brings_the_model_home_when_training_fails():
    model = SpyModel()

    def broken(m, b):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        train.fit(model, torch.optim.SGD(model.parameters(), lr=0.1), broken, [SpyBatch()], 1,
                  device="cuda")
    assert model.moves[-1] == torch.device("cpu")


def test_fit_defaults_to_the_device_setup_chose(monkeypatch):
    monkeypatch.setattr(devices, "_default", torch.device("mps"))
    model = SpyModel()
    train.fit(model, torch.optim.SGD(model.parameters(), lr=0.1),
              lambda m, b: ((m(b.x) - b.y) ** 2).mean(), [SpyBatch()], 1)
    assert model.moves[0] == torch.device("mps")


def test_train_nodes_passes_its_device_and_leaves_the_callers_data(monkeypatch):
    data = Data(x=torch.randn(4, 3), edge_index=torch.tensor([[0, 1, 2], [1, 2, 3]]),
                y=torch.tensor([0, 1, 0, 1]), train_mask=torch.tensor([True, True, False, False]))
    calls = {}

    def fake_fit(model, optimizer, loss_fn, batches, epochs, **kwargs):
        calls.update(kwargs, batches=batches)
        return train.History()

    monkeypatch.setattr(train, "fit", fake_fit)
    train.train_nodes(nn.Linear(3, 2), data, epochs=1, device="meta")
    assert calls["device"] == torch.device("meta")
    assert calls["batches"][0].x.device.type == "meta"  # the batch went to the device
    assert data.x.device.type == "cpu"  # the caller's graph did not move


def test_to_device_handles_tensors_graphs_and_containers():
    data = Data(x=torch.ones(2, 1), edge_index=torch.tensor([[0], [1]]))
    assert devices.to_device(data, "cpu") is data  # already there: no copy
    moved = devices.to_device({"pair": (torch.ones(1), [data]), "n": 3}, "meta")
    assert moved["pair"][0].is_meta and moved["pair"][1][0].x.is_meta and moved["n"] == 3
    assert type(moved["pair"]) is tuple and type(moved["pair"][1]) is list
    assert not data.x.is_meta


def test_model_device():
    assert devices.model_device(nn.Linear(2, 2)) == torch.device("cpu")
    assert devices.model_device(nn.Linear(2, 2, device="meta")).type == "meta"
    assert devices.model_device(nn.ReLU()) == torch.device("cpu")


def test_graphcourse_device_is_honoured_and_validated(monkeypatch):
    monkeypatch.setenv("GRAPHCOURSE_DEVICE", "cpu")
    assert devices.get_device() == torch.device("cpu")
    assert devices.get_device("cpu") == torch.device("cpu")  # an explicit choice wins
    monkeypatch.setenv("GRAPHCOURSE_DEVICE", "tpu")
    with pytest.raises(ValueError, match=r"GRAPHCOURSE_DEVICE: expected one of cpu, cuda, mps"):
        devices.get_device()
    with pytest.raises(ValueError, match=r"prefer: expected one of cpu, cuda, mps"):
        devices.get_device("gpu")
    if not torch.cuda.is_available():
        monkeypatch.setenv("GRAPHCOURSE_DEVICE", "cuda")
        with pytest.raises(ValueError, match="GRAPHCOURSE_DEVICE: 'cuda' is not available"):
            devices.get_device()


@pytest.mark.cuda
def test_train_nodes_on_cuda_matches_the_cpu_run():
    from graphcourse.data import digits_graph
    from graphcourse.nn import NodeClassifier

    data = digits_graph()
    results = {}
    for device in ("cpu", "cuda"):
        train.set_seed(0)
        model = NodeClassifier(64, 32, 10)
        results[device] = train.train_nodes(model, data, epochs=50, device=device).last("test")
        assert devices.model_device(model).type == "cpu" and data.x.device.type == "cpu"
    assert abs(results["cpu"] - results["cuda"]) <= 0.02


def test_devices_are_named_or_torch_devices():
    assert devices.get_device(torch.device("cpu")) == torch.device("cpu")
    assert devices.to_device(torch.ones(1), torch.device("meta")).is_meta
    with pytest.raises(TypeError, match=r"device: expected a device such as 'cpu' or 'cuda'"):
        devices.to_device(torch.ones(1), 1.5)
    model = SpyModel()
    with pytest.raises(ValueError, match=r"device: expected a device such as 'cpu', 'cuda' or "
                                         r"'cuda:0', got 'gpu'"):
        train.fit(model, torch.optim.SGD(model.parameters(), lr=0.1),
                  lambda m, b: m.weight.sum(), [SpyBatch()], 1, device="gpu")


def test_get_device_prefers_what_exists():
    device = devices.get_device()
    expected = "cuda" if torch.cuda.is_available() else (
        "mps" if torch.backends.mps.is_available() else "cpu")
    assert device.type == expected
    assert devices.get_device("cpu") == torch.device("cpu")
    with pytest.raises(TypeError, match="prefer"):
        devices.get_device(3)
