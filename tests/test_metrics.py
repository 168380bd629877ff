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


# --------------------------------------------------------------------------- ranking (ch. 09)
def _rank_reference(scores, gold):
    """1 + the number of other candidates scoring at least the gold, row by row."""
    return [1 + sum(1 for j, s in enumerate(row) if j != g and s >= row[g])
            for row, g in zip(scores.tolist(), gold.tolist())]


def test_gold_rank_and_hits_by_hand():
    from graphcourse.metrics import gold_rank, hits_at_k

    scores = torch.tensor([[0.1, 0.9, 0.3],    # gold 1 is best -> rank 1
                           [0.5, 0.2, 0.4],    # gold 2 second -> rank 2
                           [0.7, 0.7, 0.7],    # all tied -> the gold ranks last: 3
                           [0.2, 0.6, 0.6]])   # tied with one other -> 2
    gold = torch.tensor([1, 2, 0, 2])
    assert gold_rank(scores, gold).tolist() == [1, 2, 3, 2]
    assert hits_at_k(scores, gold) == 0.25
    assert hits_at_k(scores, gold, k=2) == 0.75
    assert hits_at_k(scores, gold, k=3) == 1.0
    padded = torch.tensor([[0.3, float("-inf"), 0.1]])  # a padded candidate never outranks
    assert gold_rank(padded, torch.tensor([2])).tolist() == [2]
    assert math.isnan(hits_at_k(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long)))


def test_ties_never_favour_the_gold_in_last_position():
    from graphcourse.metrics import gold_rank, hits_at_k

    constant = torch.zeros(5, 20)  # a model that cannot tell the candidates apart
    last = torch.full((5,), 19)
    assert gold_rank(constant, last).tolist() == [20] * 5
    assert hits_at_k(constant, last) == 0.0


def test_gold_rank_equals_a_python_reference_and_ignores_candidate_order():
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from graphcourse.metrics import gold_rank, hits_at_k

    @settings(max_examples=60, deadline=None)
    @given(st.integers(1, 6), st.integers(1, 8), st.integers(0, 2**31 - 1), st.booleans())
    def check(rows, count, seed, ties):
        generator = torch.Generator().manual_seed(seed)
        scores = torch.rand(rows, count, generator=generator)
        if ties:  # few distinct values: many ties
            scores = (scores * 3).floor()
        gold = torch.randint(0, count, (rows,), generator=generator)
        ranks = gold_rank(scores, gold)
        assert ranks.tolist() == _rank_reference(scores, gold)
        perm = torch.stack([torch.randperm(count, generator=generator) for _ in range(rows)])
        shuffled = scores.gather(1, perm)  # candidate perm[b, j] moves to position j
        new_gold = (perm == gold.view(-1, 1)).long().argmax(dim=1)
        assert gold_rank(shuffled, new_gold).tolist() == ranks.tolist()
        for k in range(1, count + 1):
            assert hits_at_k(shuffled, new_gold, k) == hits_at_k(scores, gold, k)

    del hypothesis
    check()
