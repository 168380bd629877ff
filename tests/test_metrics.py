import math
import warnings

import pytest
import torch
from torch import nn

from graphcourse.metrics import accuracy, balanced_accuracy, token_accuracy


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


def test_balanced_accuracy_equals_scikit_learn():
    from sklearn.metrics import balanced_accuracy_score

    generator = torch.Generator().manual_seed(0)
    for classes in (2, 3, 6):
        logits = torch.randn(200, classes, generator=generator)
        weights = torch.linspace(1, 4, classes)  # unbalanced classes
        y = torch.multinomial(weights, 200, replacement=True, generator=generator)
        logits[torch.arange(200), y] += 0.8  # better than chance
        mask = torch.rand(200, generator=generator) < 0.6
        predicted = logits.argmax(-1)
        assert balanced_accuracy(logits, y) == pytest.approx(
            balanced_accuracy_score(y.numpy(), predicted.numpy()))
        assert balanced_accuracy(logits, y, mask) == pytest.approx(
            balanced_accuracy_score(y[mask].numpy(), predicted[mask].numpy()))


def test_balanced_accuracy_leaves_out_absent_classes():
    from sklearn.metrics import balanced_accuracy_score

    logits = torch.eye(4)[torch.tensor([0, 0, 3, 2, 3])]  # predicts 0, 0, 3, 2, 3
    y = torch.tensor([0, 1, 3, 3, 3])  # class 2 absent (but predicted)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns about the predicted class 2
        expected = balanced_accuracy_score(y.numpy(), logits.argmax(-1).numpy())
    assert balanced_accuracy(logits, y) == pytest.approx(expected) == pytest.approx(
        (1 + 0 + 2 / 3) / 3)


def test_balanced_accuracy_of_the_majority_class_is_one_over_classes():
    y = torch.tensor([0] * 90 + [1] * 10)
    logits = torch.tensor([[1.0, 0.0]]).repeat(100, 1)
    assert accuracy(logits, y) == pytest.approx(0.9)
    assert balanced_accuracy(logits, y) == pytest.approx(0.5)
    assert math.isnan(balanced_accuracy(logits, y, torch.zeros(100, dtype=torch.bool)))
