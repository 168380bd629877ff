import dataclasses
import math
import os
import random

import numpy as np
import pytest
import torch
from torch import nn

from graphcourse import settings, train


def test_set_seed_repeats_all_generators():
    train.set_seed(3)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    train.set_seed(3)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == a


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (1.5, TypeError), ("0", TypeError),
                                         (True, TypeError)])
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


def test_profile_and_pick(monkeypatch):
    monkeypatch.delenv("GRAPHCOURSE_PROFILE", raising=False)
    assert settings.profile() == "fast" and settings.pick(1, 2) == 1
    monkeypatch.setenv("GRAPHCOURSE_PROFILE", " FULL ")
    assert settings.profile() == "full" and settings.pick(1, 2) == 2
    monkeypatch.setenv("GRAPHCOURSE_PROFILE", "quick")
    with pytest.raises(ValueError, match="GRAPHCOURSE_PROFILE.*quick"):
        settings.profile()


@pytest.mark.parametrize("value, expected", [
    ("1", True), ("true", True), ("YES", True), (" on ", True),
    ("0", False), ("false", False), ("No", False), ("off", False), ("", False)])
def test_quiet_reads_on_and_off_words(monkeypatch, value, expected):
    monkeypatch.setenv("GRAPHCOURSE_QUIET", value)
    assert settings.quiet() is expected


def test_quiet_is_off_when_unset_and_refuses_other_words(monkeypatch):
    monkeypatch.delenv("GRAPHCOURSE_QUIET", raising=False)
    assert settings.quiet() is False
    monkeypatch.setenv("GRAPHCOURSE_QUIET", "silent")
    with pytest.raises(ValueError, match="GRAPHCOURSE_QUIET: .*got 'silent'"):
        settings.quiet()


def test_chapter_settings_follow_the_profile(monkeypatch):
    monkeypatch.delenv("GRAPHCOURSE_PROFILE", raising=False)
    fast = settings.chapter("03")
    assert isinstance(fast, settings.Chapter03) and fast is settings.CHAPTERS["03"][0]
    monkeypatch.setenv("GRAPHCOURSE_PROFILE", "full")
    assert settings.chapter("03") is settings.CHAPTERS["03"][1]
    with pytest.raises(ValueError, match=r"number: expected one of '01', '02', '03', '04'"):
        settings.chapter("10")


def test_every_chapter_has_a_fast_and_a_full_table_of_one_class():
    for number, (fast, full) in settings.CHAPTERS.items():
        assert len(number) == 2 and number.isdigit()
        assert type(fast) is type(full) and isinstance(fast, settings.ChapterSettings)
        assert fast != full, f"chapter {number}: the two profiles do not differ"
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.chapter("01").karate_epochs = 5


def test_the_chapter_tables_keep_the_notebooks_values():
    fast, full = settings.CHAPTERS["03"]
    assert (fast.gnn_epochs, fast.gat_lr, fast.noisy_epochs, fast.cora) == (100, 0.01, 60, False)
    assert (full.gnn_epochs, full.gat_lr, full.noisy_epochs, full.cora) == (200, 0.005, 150, True)
    assert [(f.examples, f.epochs) for f in settings.CHAPTERS["04"]] == [(2000, 14), (6000, 30)]


def test_printing_settings_shows_fast_and_full_side_by_side():
    fast, full = settings.CHAPTERS["03"]
    lines = str(fast).splitlines()
    assert lines[0].startswith("chapter 03 settings, in use: fast")
    assert lines[1].split() == ["knob", "fast", "full"]
    assert lines[3].split()[:3] == ["gat_lr", "0.01", "0.005"]
    assert len(lines) == 2 + len(dataclasses.fields(fast))
    assert "in use: full" in str(full).splitlines()[0]
    edited = dataclasses.replace(fast, gnn_epochs=5)
    assert edited.describe().splitlines()[1].split() == ["knob", "fast", "full", "in", "use"]
    assert edited.describe().splitlines()[2].split()[:4] == ["gnn_epochs", "100", "200", "5"]


def test_chapter_settings_take_numpy_ints_as_ints():
    table = settings.Chapter04(examples=np.int64(100), epochs=torch.tensor(3))
    assert (table.examples, table.epochs) == (100, 3)
    assert type(table.examples) is int and type(table.epochs) is int


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


def _loss(model, batch):
    x, y = batch
    return nn.functional.mse_loss(model(x).squeeze(-1), y)


def test_fit_stops_on_a_nan_loss_before_the_weights_are_touched():
    model, batches = _regression()
    x, y = batches[0]
    x = x.clone()
    x[5, 2] = float("nan")
    before = model.weight.detach().clone()
    with pytest.raises(ValueError, match=r"the loss is nan at epoch 1, batch 2; check the "
                                         r"inputs for NaN"):
        train.fit(model, torch.optim.SGD(model.parameters(), lr=0.1), _loss,
                  [batches[0], (x, y)], epochs=3)
    assert bool(torch.isfinite(model.weight).all())
    assert not torch.equal(model.weight, before)  # the first, finite batch did train


def test_fit_stops_when_a_too_high_learning_rate_blows_the_loss_up():
    model, batches = _regression()
    with pytest.raises(ValueError, match=r"the loss is (inf|nan) at epoch \d+, batch 1.*"
                                         r"lower learning rate"):
        train.fit(model, torch.optim.SGD(model.parameters(), lr=1e6), _loss, batches, epochs=50)


def test_fit_takes_numpy_and_tensor_ints_and_a_positive_clip():
    model, batches = _regression()
    history = train.fit(model, torch.optim.SGD(model.parameters(), lr=0.1), _loss, batches,
                        epochs=np.int64(3), eval_every=torch.tensor(2), clip_grad=1.0,
                        evaluate=lambda m: {"loss": torch.tensor(0.5)})
    assert len(history.loss) == 3 and history.epochs_evaluated == [2, 3]
    assert history.metrics["loss"] == [0.5, 0.5]


def test_fit_reads_a_one_pass_iterator_for_a_single_epoch_and_calls_callables_each_epoch():
    model, batches = _regression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    assert len(train.fit(model, optimizer, _loss, iter(batches), epochs=1).loss) == 1
    calls = []

    def fresh():
        calls.append(1)
        return iter(batches)

    train.fit(model, optimizer, _loss, fresh, epochs=3)
    assert len(calls) == 3


def test_fit_refuses_one_graph_as_batches_with_a_hint():
    from torch_geometric.data import Data

    model, _ = _regression()
    with pytest.raises(TypeError, match=r"batches: expected an iterable of batches such as "
                                        r"\[data\], got Data"):
        train.fit(model, torch.optim.SGD(model.parameters(), lr=0.1), _loss,
                  Data(x=torch.ones(2, 3)), epochs=1)


def test_history_best_checks_the_mode():
    history = train.History(metrics={"loss": [0.5, 0.2, 0.3]})
    assert history.best("loss", mode="min") == 0.2 and history.best("loss") == 0.5
    with pytest.raises(ValueError, match="mode: expected one of 'max', 'min', got 'lowest'"):
        history.best("loss", mode="lowest")


def test_train_nodes_refuses_index_masks_and_lists_of_graphs():
    from graphcourse.nn import NodeClassifier

    data = _tiny_node_data()
    data.val_mask = torch.tensor([2, 3])  # ids: indexing would score nodes 2 and 3 silently
    with pytest.raises(TypeError, match=r"data.val_mask: expected a bool tensor of shape \[4\]"):
        train.train_nodes(NodeClassifier(3, 4, 2), data, epochs=1)
    with pytest.raises(TypeError, match=r"data: expected one graph .* not \[data\]"):
        train.train_nodes(NodeClassifier(3, 4, 2), [_tiny_node_data()], epochs=1)


def test_train_nodes_takes_numpy_epochs():
    from graphcourse.nn import NodeClassifier

    history = train.train_nodes(NodeClassifier(3, 4, 2), _tiny_node_data(), epochs=np.int64(2))
    assert len(history.loss) == 2 and all(math.isfinite(v) for v in history.loss)


def test_set_seed_takes_numpy_ints():
    assert train.set_seed(np.int64(4)) == 4 and type(train.set_seed(np.int64(4))) is int
