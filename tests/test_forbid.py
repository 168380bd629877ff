"""checks.forbid: a graded call that reaches the package's finished version fails, whatever
name the student gave it; calls of other functions pass."""

import functools
import importlib
import sys

import pytest
import torch
import torch.nn.functional as F
from torch_geometric.utils import softmax as pyg_softmax

import graphcourse.checks as checks
import graphcourse.nn as gcnn


def _twin(edge_index):
    return gcnn.symmetric_norm(edge_index, 3)


EDGES = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])


@pytest.mark.parametrize("call", [
    lambda: gcnn.symmetric_norm(EDGES, 3),                      # by its public name
    lambda: _twin(EDGES),                                        # inside a helper
    functools.partial(gcnn.symmetric_norm, EDGES, 3),           # wrapped
    lambda: importlib.reload(sys.modules[gcnn.symmetric_norm.__module__]).symmetric_norm(
        EDGES, 3),                                               # from a reloaded module
], ids=["name", "helper", "partial", "reloaded"])
def test_forbidden_function_is_caught_however_it_is_reached(call):
    with pytest.raises(AssertionError, match=r"exercise 1 asks you to write this yourself; "
                       r"graphcourse\.nn\.symmetric_norm is off limits here"):
        with checks.forbid("exercise 1", gcnn.symmetric_norm):
            call()


def test_allowed_calls_pass_and_results_stay():
    with checks.forbid("exercise 1", gcnn.symmetric_norm, torch.matrix_power):
        value = torch.softmax(torch.ones(3), 0).sum()
    assert abs(float(value) - 1.0) < 1e-6


def test_classes_builtins_descriptors_and_library_functions():
    x = torch.randn(4, 3)
    cases = [
        (gcnn.GCNLayer, lambda: gcnn.GCNLayer(3, 2)),
        (torch.matrix_power, lambda: torch.matrix_power(torch.eye(3), 2)),
        (torch.Tensor.matrix_power, lambda: torch.eye(3).matrix_power(2)),
        (F.cross_entropy, lambda: F.cross_entropy(x, torch.tensor([0, 1, 2, 0]))),
        (pyg_softmax, lambda: pyg_softmax(x[:, 0], torch.tensor([0, 0, 1, 1]))),
    ]
    for target, call in cases:
        with pytest.raises(AssertionError, match="off limits here"):
            with checks.forbid("exercise 2", target):
                call()
    with pytest.raises(AssertionError, match=r"torch\.Tensor\.matrix_power is off limits"):
        with checks.forbid("exercise 2", torch.Tensor.matrix_power):
            torch.eye(2).matrix_power(3)


def test_a_module_puts_every_function_and_class_defined_in_it_off_limits():
    import graphcourse.nn.gan_losses as losses

    logits = torch.randn(5)
    stacked = torch.stack([logits, torch.zeros_like(logits)], dim=1)  # [5, 2]: "real", "fake"
    with pytest.raises(AssertionError, match=r"sgan_generator_loss is off limits"):
        with checks.forbid("exercise 3", losses):
            losses.sgan_generator_loss(stacked)  # the SGAN loss on [l, 0] is the GAN one
    with pytest.raises(AssertionError, match=r"_not_fake is off limits"):
        with checks.forbid("exercise 3", losses):
            losses._not_fake(stacked)  # private helpers too
    with checks.forbid("exercise 3", losses):  # what the module only imported stays allowed
        value = F.softplus(-logits).mean()
    assert torch.isfinite(value)


def test_a_removed_profiler_is_detected_and_the_previous_one_restored():
    before = sys.getprofile()
    with pytest.raises(AssertionError, match="profiler that watches for shortcuts was replaced"):
        with checks.forbid("exercise 3", gcnn.symmetric_norm):
            sys.setprofile(None)
            gcnn.symmetric_norm(EDGES, 3)
    assert sys.getprofile() is before


def test_forbidden_call_is_reported_even_if_the_student_code_raises():
    def student():
        gcnn.symmetric_norm(EDGES, 3)
        raise ValueError("later")

    with pytest.raises(AssertionError, match="off limits"):
        with checks.forbid("exercise 4", gcnn.symmetric_norm):
            student()


def test_watching_something_that_is_not_a_function_is_refused():
    with pytest.raises(TypeError, match="functions: cannot watch"):
        checks.forbid("exercise 5", 3)


def test_untampered_detects_a_patched_setprofile(monkeypatch):
    monkeypatch.setattr(sys, "setprofile", lambda hook: None)
    with pytest.raises(AssertionError, match="sys.setprofile was replaced"):
        checks.untampered()


def test_a_forbidden_pyg_layer_leaves_message_passing_itself_callable():
    from torch_geometric.nn import MessagePassing

    class Mean(MessagePassing):
        def __init__(self):
            super().__init__(aggr="mean")

        def forward(self, x, edge_index):
            return self.propagate(edge_index, x=x)

    x = torch.randn(3, 2)
    gcnn.GCNLayer(2, 2)(x, EDGES)  # PyG now stores its generated propagate on the class
    with checks.forbid("exercise 2", gcnn.GCNLayer):
        out = Mean()(x, EDGES)  # the student's own layer, using MessagePassing.propagate
    assert out.shape == (3, 2)
    with pytest.raises(AssertionError, match="GCNLayer is off limits"):
        with checks.forbid("exercise 2", gcnn.GCNLayer):
            gcnn.GCNLayer(2, 2)(x, EDGES)
