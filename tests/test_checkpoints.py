import pytest
import torch
from torch import nn

from graphcourse import checkpoints


def test_load_or_train_uses_checksum(tmp_path):
    path = tmp_path / "model.pt"
    calls = []

    def train_fn(model):
        calls.append(1)
        with torch.no_grad():
            model.weight.fill_(0.5)

    model, loaded = checkpoints.load_or_train(nn.Linear(2, 1), train_fn, path, meta={"hidden": 1})
    assert not loaded and len(calls) == 1
    fresh, loaded = checkpoints.load_or_train(nn.Linear(2, 1), train_fn, path, meta={"hidden": 1})
    assert loaded and len(calls) == 1
    assert torch.equal(fresh.weight, torch.full((1, 2), 0.5))

    # Another config: retrain instead of trusting the file.
    with pytest.warns(UserWarning, match="other settings"):
        _, loaded = checkpoints.load_or_train(nn.Linear(2, 1), train_fn, path, meta={"hidden": 2})
    assert not loaded and len(calls) == 2

    # A damaged file fails its checksum and is retrained.
    path.write_bytes(path.read_bytes()[:-3] + b"xyz")
    with pytest.raises(ValueError, match="checksum"):
        checkpoints.load(nn.Linear(2, 1), path)
    with pytest.warns(UserWarning, match="checksum"):
        _, loaded = checkpoints.load_or_train(nn.Linear(2, 1), train_fn, path, meta={"hidden": 2})
    assert not loaded and len(calls) == 3

    # Another architecture: the partial load is undone before training afresh.
    other = nn.Linear(3, 1)
    before = other.weight.detach().clone()
    with pytest.warns(UserWarning):
        checkpoints.load_or_train(other, lambda m: None, path, meta={"hidden": 2})
    assert torch.equal(other.weight, before)


def test_a_checkpoint_without_its_checksum_file_is_refused_not_missing(tmp_path):
    path = tmp_path / "model.pt"
    checkpoints.save(nn.Linear(2, 1), path, meta={"a": 1})
    assert checkpoints.read(path)["meta"] == {"a": 1}
    (tmp_path / "model.pt.sha256").unlink()
    with pytest.raises(ValueError, match="no checksum file model.pt.sha256"):
        checkpoints.read(path)
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        checkpoints.read(tmp_path / "other.pt")


def test_loading_another_architecture_is_refused_and_leaves_the_model_as_it_was(tmp_path):
    path = tmp_path / "model.pt"
    checkpoints.save(nn.Linear(2, 1), path)
    other = nn.Linear(3, 1)
    before = other.weight.detach().clone()
    with pytest.raises(ValueError, match=r"path: checkpoint .*model.pt does not fit model"):
        checkpoints.load(other, path)
    assert torch.equal(other.weight, before)
    same = nn.Linear(2, 1)
    assert checkpoints.load(same, path) == {}
