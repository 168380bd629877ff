import torch
from torch_geometric.data import Data

import graphcourse.checks as checks

from . import Bad

EDGES = torch.tensor([[0, 1], [1, 0]])


class Fixed(torch.nn.Module):
    """Predicts class 0 for every node of a 3-node graph."""

    def forward(self, x, edge_index):
        return torch.tensor([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])


GRAPH = Data(x=torch.zeros(3, 1), edge_index=torch.zeros(2, 0, dtype=torch.long),
             y=torch.tensor([0, 1, 1]))


def in_case(description):
    def run():
        with checks.case(description):
            pass
    return run


ROWS = [
    Bad("graphcourse.checks:node_accuracy", "node ids instead of a mask (would score 1.0, "
        "not 0.0)", lambda: checks.node_accuracy(Fixed(), GRAPH, torch.tensor([1, 2])),
        TypeError, r"mask: expected a bool tensor of shape \[3\] .*node ids"),
    Bad("graphcourse.checks:node_accuracy", "a mask of the wrong length",
        lambda: checks.node_accuracy(Fixed(), GRAPH, torch.ones(4, dtype=torch.bool)),
        ValueError, r"mask: expected a bool tensor of shape \[3\], got \[4\]"),
    Bad("graphcourse.checks:node_accuracy", "a graph without labels",
        lambda: checks.node_accuracy(Fixed(), Data(x=torch.zeros(3, 1), edge_index=EDGES),
                                     torch.ones(3, dtype=torch.bool)), ValueError,
        r"data: missing attribute 'y'"),
    Bad("graphcourse.checks:node_accuracy", "float labels",
        lambda: checks.node_accuracy(Fixed(), Data(x=torch.zeros(3, 1), edge_index=EDGES,
                                                   y=torch.zeros(3)),
                                     torch.ones(3, dtype=torch.bool)), TypeError,
        r"data.y: expected integer labels"),
    Bad("graphcourse.checks:tensor", "shape given as an int",
        lambda: checks.tensor(torch.zeros(3), "x", shape=3), TypeError,
        r"shape: expected a tuple of ints such as \(2, 3\), got int"),
    Bad("graphcourse.checks:tensor", "a float in shape",
        lambda: checks.tensor(torch.zeros(3), "x", shape=(3.0,)), TypeError,
        r"shape: expected a tuple of ints such as \(2, 3\), got \(3.0,\)"),
    Bad("graphcourse.checks:tensor", "a negative size",
        lambda: checks.tensor(torch.zeros(3), "x", shape=(-1,)), ValueError,
        r"shape: expected sizes >= 0, got \(-1,\)"),
    Bad("graphcourse.checks:tensor", "dtype given as a string",
        lambda: checks.tensor(torch.zeros(3), "x", dtype="long"), TypeError,
        r"dtype: expected a torch.dtype such as torch.long, got str"),
    Bad("graphcourse.checks:tensor", "the name missing (the shape in its place)",
        lambda: checks.tensor(torch.zeros(3), (3,)), TypeError,
        r"name: expected a str \(what the message calls the value\), got tuple"),
    Bad("graphcourse.checks:tensor", "floating as a string",
        lambda: checks.tensor(torch.zeros(3), "x", floating="yes"), TypeError,
        r"floating: expected True or False, got str"),
    Bad("graphcourse.checks:close", "a list as the expected value",
        lambda: checks.close(torch.zeros(2), [0.0, 0.0], "out"), TypeError,
        r"expected: expected a real torch.Tensor, got list"),
    Bad("graphcourse.checks:close", "a NaN in the expected value",
        lambda: checks.close(torch.zeros(2), torch.tensor([0.0, float("nan")]), "out"),
        ValueError, r"expected: expected finite values"),
    Bad("graphcourse.checks:close", "a negative tolerance",
        lambda: checks.close(torch.zeros(2), torch.zeros(2), "out", atol=-1e-5), ValueError,
        r"atol: expected a number in \[0, inf\], got -1e-05"),
    Bad("graphcourse.checks:close", "a tolerance given as a string",
        lambda: checks.close(torch.zeros(2), torch.zeros(2), "out", rtol="1e-4"), TypeError,
        r"rtol: expected a number, got str"),
    Bad("graphcourse.checks:close", "the name and the expected value swapped",
        lambda: checks.close(torch.zeros(2), "out", torch.zeros(2)), TypeError,
        r"name: expected a str"),
    Bad("graphcourse.checks:number", "low above high",
        lambda: checks.number(0.5, "acc", 1, 0), ValueError,
        r"low: expected low <= high, got low=1 > high=0"),
    Bad("graphcourse.checks:number", "a NaN expected value",
        lambda: checks.number(0.5, "acc", expected=float("nan")), ValueError,
        r"expected: expected a number in \[-inf, inf\], got nan"),
    Bad("graphcourse.checks:number", "an infinite expected value",
        lambda: checks.number(0.5, "acc", expected=float("inf")), ValueError,
        r"expected: expected a finite number, got inf"),
    Bad("graphcourse.checks:number", "an expected value given as a string",
        lambda: checks.number(0.5, "acc", expected="0.5"), TypeError,
        r"expected: expected a number, got str"),
    Bad("graphcourse.checks:number", "a negative rtol",
        lambda: checks.number(0.5, "acc", expected=0.5, rtol=-1.0), ValueError,
        r"rtol: expected a number in \[0, inf\]"),
    Bad("graphcourse.checks:same_edges", "expected pairs of three ids",
        lambda: checks.same_edges(EDGES, [(0, 1, 2)], "edge_index"), TypeError,
        r"expected: expected \(source, target\) pairs of ints, got \(0, 1, 2\)"),
    Bad("graphcourse.checks:same_edges", "a negative id among the expected pairs",
        lambda: checks.same_edges(EDGES, [(0, -1)], "edge_index"), ValueError,
        r"expected: node ids must be >= 0, got \(0, -1\)"),
    Bad("graphcourse.checks:same_edges", "expected edges as a string",
        lambda: checks.same_edges(EDGES, "0-1", "edge_index"), TypeError,
        r"expected: expected an edge_index tensor or \(source, target\) pairs, got str"),
    Bad("graphcourse.checks:same_edges", "an expected edge_index of shape [3, E]",
        lambda: checks.same_edges(EDGES, torch.zeros(3, 2, dtype=torch.long), "edge_index"),
        ValueError, r"edge_index: expected shape \[2, E\], got \[3, 2\]"),
    Bad("graphcourse.checks:same_edges", "allow_duplicates as a string",
        lambda: checks.same_edges(EDGES, EDGES, "edge_index", allow_duplicates="yes"),
        TypeError, r"allow_duplicates: expected True or False, got str"),
    Bad("graphcourse.checks:edge_set", "float ids",
        lambda: checks.edge_set(EDGES.float()), TypeError,
        r"edge_index: expected an integer torch.Tensor of shape \[2, E\], got torch.float32"),
    Bad("graphcourse.checks:edge_set", "a list of pairs",
        lambda: checks.edge_set([(0, 1)]), TypeError,
        r"edge_index: expected an integer torch.Tensor of shape \[2, E\], got list"),
    Bad("graphcourse.checks:edge_set", "a negative id",
        lambda: checks.edge_set(torch.tensor([[0], [-1]])), ValueError,
        r"edge_index: node ids must be >= 0"),
    Bad("graphcourse.checks:case", "a number as the description",
        in_case(3), TypeError, r"description: expected a str naming the case, got int"),
    Bad("graphcourse.checks:forbid", "the exercise name left out",
        lambda: checks.forbid(torch.matrix_power), TypeError,
        r"exercise: expected a str naming the exercise such as 'exercise 3', then the "
        r"functions, got builtin_function_or_method"),
    Bad("graphcourse.checks:forbid", "something that cannot be watched",
        lambda: checks.forbid("exercise 1", 42), TypeError, r"functions: cannot watch int"),
]

EXEMPT = {"graphcourse.checks:untampered": "no arguments: it inspects the running process"}
