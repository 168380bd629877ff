import pytest
import torch
from torch import nn

from graphcourse.metrics import accuracy, token_accuracy


def test_accuracy_and_bad_masks():
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0], [3.0, 1.0]])
    y = torch.tensor([0, 0, 0])
    assert accuracy(logits, y) == pytest.approx(2 / 3)
    assert accuracy(logits, y, torch.tensor([True, False, True])) == 1.0
    with pytest.raises(TypeError, match="mask: expected a bool tensor"):
        accuracy(logits, y, torch.tensor([1, 0, 1]))
    with pytest.raises(ValueError, match="y"):
        accuracy(logits, torch.tensor([0, 1]))


def test_token_accuracy():
    target = torch.tensor([[4, 5, 0], [6, 7, 8]])
    assert token_accuracy(torch.tensor([[4, 9, 3], [6, 7, 8]]), target, ignore_index=0) == 0.8
    logits = nn.functional.one_hot(target, 13).float()
    assert token_accuracy(logits, target) == 1.0
