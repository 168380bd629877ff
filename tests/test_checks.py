import importlib

import pytest
import torch

import graphcourse.checks as checks


class AlwaysEqual(torch.Tensor):
    def __eq__(self, other):
        return True


def test_tensor_rejects_subclasses_and_wrong_shapes():
    checks.tensor(torch.zeros(2, 3), "x", shape=(2, 3), dtype=torch.float32)
    with pytest.raises(AssertionError, match="x: expected a torch.Tensor"):
        checks.tensor(torch.zeros(2).as_subclass(AlwaysEqual), "x")
    with pytest.raises(AssertionError, match="expected a torch.Tensor, got list"):
        checks.tensor([1, 2], "x")
    with pytest.raises(AssertionError, match=r"expected shape \[3\]"):
        checks.tensor(torch.zeros(2), "x", shape=(3,))
    with pytest.raises(AssertionError, match="dtype"):
        checks.tensor(torch.zeros(2), "x", dtype=torch.long)
    with pytest.raises(AssertionError, match="NaN"):
        checks.tensor(torch.tensor([1.0, float("nan")]), "x")


def test_close_does_not_echo_expected_values():
    expected = torch.tensor([1.0, 2.0, 3.14159])
    checks.close(expected + 1e-7, expected, "out")
    with pytest.raises(AssertionError) as info:
        checks.close(torch.tensor([1.0, 2.0, 10.0]), expected, "out")
    assert "3.14" not in str(info.value) and "largest error" in str(info.value)
    with pytest.raises(AssertionError, match="shape"):
        checks.close(torch.zeros(2), expected, "out")


def test_same_edges():
    edges = torch.tensor([[0, 1], [1, 0]])
    checks.same_edges(edges, [(0, 1), (1, 0)], "edge_index")
    checks.same_edges(edges.flip(1), edges, "edge_index")
    with pytest.raises(AssertionError, match="1 expected edge"):
        checks.same_edges(torch.tensor([[0], [1]]), edges, "edge_index")
    with pytest.raises(AssertionError, match="more than once"):
        checks.same_edges(torch.tensor([[0, 0, 1], [1, 1, 0]]), edges, "edge_index")
    with pytest.raises(AssertionError, match="dtype"):
        checks.same_edges(edges.float(), edges, "edge_index")


def test_number():
    assert checks.number(0.5, "acc", 0, 1) == 0.5
    assert checks.number(torch.tensor(0.25), "acc", 0, 1) == 0.25
    with pytest.raises(AssertionError, match="acc"):
        checks.number("0.5", "acc")
    with pytest.raises(AssertionError, match="acc"):
        checks.number(1.5, "acc", 0, 1)


def test_untampered_detects_monkeypatching(monkeypatch):
    checks.untampered()
    monkeypatch.setattr(torch, "allclose", lambda *a, **k: True)
    with pytest.raises(AssertionError, match="torch.allclose was replaced"):
        checks.untampered()
    monkeypatch.undo()
    monkeypatch.setattr(torch.Tensor, "tolist", lambda self: [])
    with pytest.raises(AssertionError, match="tolist"):
        checks.untampered()


def test_reload_restores_patched_helpers():
    original = checks.close
    checks.close = lambda *a, **k: None
    fresh = importlib.reload(checks)
    assert fresh.close.__name__ == "close" and fresh.close is not original


def test_node_accuracy_uses_its_own_argmax():
    from torch_geometric.data import Data

    class Fixed(torch.nn.Module):
        def forward(self, x, edge_index):
            return torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])

    graph = Data(x=torch.zeros(3, 1), edge_index=torch.zeros(2, 0, dtype=torch.long),
                 y=torch.tensor([0, 1, 1]))
    assert checks.node_accuracy(Fixed(), graph, torch.tensor([True, True, True])) == 2 / 3
    with pytest.raises(AssertionError, match="model"):
        checks.node_accuracy(lambda x, e: None, graph, torch.ones(3, dtype=torch.bool))


def test_untampered_detects_patched_builtins_reload_and_helpers(monkeypatch):
    import builtins

    monkeypatch.setattr(builtins, "abs", lambda value: 0.0)
    with pytest.raises(AssertionError, match="builtin abs"):
        checks.untampered()
    monkeypatch.undo()
    monkeypatch.setattr(importlib, "reload", lambda module: module)
    with pytest.raises(AssertionError, match="importlib.reload"):
        checks.untampered()
    monkeypatch.undo()
    monkeypatch.setattr(checks, "close", lambda *args, **kwargs: None)
    with pytest.raises(AssertionError, match="checks.close"):
        checks.untampered()


def test_node_accuracy_ignores_a_model_that_edits_its_inputs():
    from torch_geometric.data import Data

    class Vandal(torch.nn.Module):
        def forward(self, x, edge_index):
            x.zero_()
            return torch.zeros(x.size(0), 2)

    graph = Data(x=torch.ones(4, 1), edge_index=torch.zeros(2, 0, dtype=torch.long),
                 y=torch.tensor([1, 1, 1, 0]))
    assert checks.node_accuracy(Vandal(), graph, torch.ones(4, dtype=torch.bool)) == 0.25
    assert float(graph.x.sum()) == 4.0


def test_close_and_tensor_edge_cases():
    with pytest.raises(AssertionError, match="dense"):
        checks.tensor(torch.eye(2).to_sparse(), "x")


def test_number_type_policy_and_relative_tolerance():
    import numpy as np

    assert checks.number(torch.tensor(0.1, dtype=torch.float32), "x", expected=0.1) == \
        pytest.approx(0.1)  # float32 rounding is not a wrong value
    assert checks.number(np.float32(1 / 3), "x", expected=1 / 3) == pytest.approx(1 / 3)
    assert checks.number(torch.tensor([3]), "x", expected=3) == 3.0
    for bad in (True, "1", [1.0], torch.tensor(True), np.array([1.0, 2.0])):
        with pytest.raises(AssertionError, match="x: expected a number"):
            checks.number(bad, "x")
    with pytest.raises(AssertionError, match="^x: wrong value$"):
        checks.number(0.5, "x", expected=0.6)


def test_case_names_the_case_and_keeps_errors_short():
    with pytest.raises(AssertionError, match=r"^a directed graph: weights: values are off"):
        with checks.case("a directed graph"):
            checks.close(torch.ones(2), torch.zeros(2), "weights")
    with pytest.raises(AssertionError) as info:
        with checks.case("a long input"):
            raise ValueError("tensor(" + "1.0, " * 100 + ")")
    message = str(info.value)
    assert message.startswith("a long input: your code raised ValueError: tensor(")
    assert len(message) < 220 and message.endswith("...")
    assert info.value.__cause__ is None and info.value.__suppress_context__
    with checks.case("nothing wrong"):
        pass


def test_node_accuracy_refuses_node_ids_that_would_score_the_wrong_nodes():
    from torch_geometric.data import Data

    class AlwaysZero(torch.nn.Module):
        def forward(self, x, edge_index):
            return torch.tensor([[1.0, 0.0]] * 3)

    graph = Data(x=torch.zeros(3, 1), edge_index=torch.zeros(2, 0, dtype=torch.long),
                 y=torch.tensor([0, 1, 1]))
    ids = torch.tensor([1, 2])  # the model gets both wrong: the true accuracy is 0.0
    assert checks.node_accuracy(AlwaysZero(), graph, torch.tensor([False, True, True])) == 0.0
    with pytest.raises(TypeError, match=r"mask: expected a bool tensor of shape \[3\]"):
        checks.node_accuracy(AlwaysZero(), graph, ids)


def test_a_wrong_reference_is_an_error_but_a_wrong_answer_still_fails_the_check():
    expected = torch.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="expected: expected a real torch.Tensor, got list"):
        checks.close(torch.tensor([1.0, 2.0]), [1.0, 2.0], "out")
    with pytest.raises(AssertionError, match="out: expected a torch.Tensor, got list"):
        checks.close([1.0, 2.0], expected, "out")  # the student's list: a failed check
    with pytest.raises(AssertionError, match="out: contains NaN"):
        checks.close(torch.tensor([1.0, float("nan")]), expected, "out")
    with pytest.raises(ValueError, match=r"low: expected low <= high"):
        checks.number(0.5, "acc", 1.0, 0.0)
    with pytest.raises(AssertionError, match="acc: expected a number, got str"):
        checks.number("0.5", "acc", 0.0, 1.0, expected=0.5)
    with pytest.raises(TypeError, match=r"shape: expected a tuple of ints"):
        checks.tensor(torch.zeros(2), "x", shape=2)
    with pytest.raises(AssertionError, match="x: expected shape"):
        checks.tensor(torch.zeros(3), "x", shape=(2,))


def test_same_edges_checks_the_expected_edges():
    edges = torch.tensor([[0, 1], [1, 0]])
    with pytest.raises(TypeError, match=r"expected: expected \(source, target\) pairs of ints"):
        checks.same_edges(edges, [(0, 1.0)], "edge_index")
    with pytest.raises(AssertionError, match="unexpected edge"):
        checks.same_edges(torch.tensor([[0, 5], [5, 0]]), [[0, 5]], "edge_index")
    assert checks.edge_set(torch.tensor([[0, 2], [2, 0]], dtype=torch.int32)) == {(0, 2), (2, 0)}


def test_case_and_forbid_need_a_description_and_an_exercise():
    with pytest.raises(TypeError, match="description: expected a str naming the case"):
        checks.case(None)
    with pytest.raises(TypeError, match="exercise: expected a str naming the exercise"):
        checks.forbid(torch.matrix_power, "exercise 1")
    with checks.forbid("exercise 6"):  # nothing off limits: the guard only watches
        torch.matrix_power(torch.eye(2), 2)
