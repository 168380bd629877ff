import math

import numpy as np
import pytest
import torch
from torch_geometric.data import Data

from graphcourse._validate import (
    check_attributes,
    check_edge_index,
    check_graph_input,
    check_index,
    check_number,
    check_probability,
)

EDGES = torch.tensor([[0, 1, 2], [1, 2, 0]])


# --------------------------------------------------------------------------- check_edge_index
def test_edge_index_accepts_integer_num_nodes():
    assert check_edge_index(EDGES, 3) is EDGES
    assert check_edge_index(EDGES, np.int64(3)) is EDGES
    assert check_edge_index(EDGES, torch.tensor(3)) is EDGES
    assert check_edge_index(torch.zeros(2, 0, dtype=torch.long), 0).shape == (2, 0)


@pytest.mark.parametrize("num_nodes, error, match", [
    ("3", TypeError, "num_nodes: expected an int, got str"),
    (3.0, TypeError, "num_nodes: expected an int, got float"),
    (True, TypeError, "num_nodes: expected an int, got bool"),
    (torch.tensor(3.0), TypeError, "num_nodes: expected an int, got Tensor"),
    (-1, ValueError, "num_nodes: expected an int >= 0, got -1"),
])
def test_edge_index_checks_num_nodes_first(num_nodes, error, match):
    with pytest.raises(error, match=match):
        check_edge_index(EDGES, num_nodes)
    with pytest.raises(error, match=match):  # reported even when there are no edges
        check_edge_index(torch.zeros(2, 0, dtype=torch.long), num_nodes)


# --------------------------------------------------------------------------- check_graph_input
def test_graph_input_accepts_matching_features():
    check_graph_input(torch.randn(3, 4), EDGES)
    check_graph_input(torch.randn(3, 4), EDGES, 4, dtype=torch.float32)
    check_graph_input(torch.randn(3, 4).double(), EDGES, 4, dtype=torch.float64)


@pytest.mark.parametrize("x, kwargs, error, match", [
    (torch.randn(3, 5), {"in_channels": 4}, ValueError,
     r"x: expected 4 features per node \(shape \[N, 4\]\), got 5 \(shape \[3, 5\]\)"),
    (torch.randn(3, 5), {"in_channels": 4, "name_x": "h"}, ValueError, "h: expected 4 features"),
    (torch.randn(3), {}, ValueError, "x: expected a 2-D tensor"),
    (torch.ones(3, 4, dtype=torch.long), {}, TypeError, "x: expected a floating-point"),
    ([[1.0]], {}, TypeError, "x: expected a torch.Tensor"),
    (torch.randn(3, 4).double(), {"dtype": torch.float32}, TypeError,
     "x: expected dtype torch.float32 .*got torch.float64"),
    (torch.randn(2, 4), {}, ValueError, "edge_index: node id 2 is out of range"),
])
def test_graph_input_errors(x, kwargs, error, match):
    with pytest.raises(error, match=match):
        check_graph_input(x, EDGES, **kwargs)


def test_graph_input_dtype_check_is_skipped_under_autocast():
    with torch.autocast("cpu", dtype=torch.bfloat16):
        check_graph_input(torch.randn(3, 4).bfloat16(), EDGES, 4, dtype=torch.float32)


# --------------------------------------------------------------------------- numbers
def test_check_number_returns_floats():
    assert check_number(2, "scale") == 2.0 and isinstance(check_number(2, "scale"), float)
    assert check_number(np.float32(0.5), "scale") == 0.5
    assert check_number(torch.tensor(0.25), "scale") == 0.25
    assert check_number(1.0, "alpha", low=0, high=1, low_inclusive=False) == 1.0
    assert check_number(-3.5, "eps") == -3.5


@pytest.mark.parametrize("value, kwargs, error, match", [
    ("1.0", {}, TypeError, "scale: expected a number, got str"),
    (True, {}, TypeError, "scale: expected a number, got bool"),
    (None, {}, TypeError, "scale: expected a number, got NoneType"),
    (torch.ones(2), {}, TypeError, "scale: expected a number, got Tensor"),
    (math.nan, {}, ValueError, "scale: expected a number, got nan"),
    (0.0, {"low": 0, "low_inclusive": False}, ValueError, "scale: expected a positive number"),
    (-1.0, {"low": 0}, ValueError, "scale: expected a non-negative number, got -1"),
    (1.0, {"low": 1, "low_inclusive": False}, ValueError, "scale: expected a number > 1, got 1"),
    (2.0, {"high": 1}, ValueError, "scale: expected a number <= 1, got 2"),
    (1.0, {"low": 0, "high": 1, "high_inclusive": False}, ValueError,
     r"scale: expected a number in \[0, 1\), got 1"),
    (0.0, {"low": 0, "high": 1, "low_inclusive": False}, ValueError,
     r"scale: expected a number in \(0, 1\], got 0"),
])
def test_check_number_errors(value, kwargs, error, match):
    with pytest.raises(error, match=match):
        check_number(value, "scale", **kwargs)


def test_check_probability():
    assert check_probability(0, "dropout") == 0.0
    assert check_probability(0.5, "dropout") == 0.5
    assert check_probability(1, "p", inclusive_high=True) == 1.0
    with pytest.raises(ValueError, match=r"dropout: expected a probability in \[0, 1\), got 1"):
        check_probability(1.0, "dropout")
    with pytest.raises(ValueError, match=r"p: expected a probability in \[0, 1\], got 1.5"):
        check_probability(1.5, "p", inclusive_high=True)
    with pytest.raises(ValueError, match="dropout: expected a probability"):
        check_probability(-0.1, "dropout")
    with pytest.raises(TypeError, match="dropout: expected a probability .*got str"):
        check_probability("0.5", "dropout")
    with pytest.raises(TypeError, match="dropout: expected a probability .*got bool"):
        check_probability(False, "dropout")


# --------------------------------------------------------------------------- indices, attributes
def test_check_index():
    assert check_index(3, 4, "k") == 3
    assert check_index(np.int64(0), 4, "k") == 0
    with pytest.raises(ValueError, match=r"k: expected an index in \[0, 4\), got 4"):
        check_index(4, 4, "k")
    with pytest.raises(ValueError, match=r"k: expected an eigenvector index in \[0, 4\), got -1"):
        check_index(-1, 4, "k", "an eigenvector index")
    with pytest.raises(TypeError, match=r"k: expected an index \(an int\), got float"):
        check_index(1.0, 4, "k")
    with pytest.raises(TypeError, match="k: .*got bool"):
        check_index(True, 4, "k")


def test_check_attributes():
    data = Data(x=torch.randn(3, 2), edge_index=EDGES)
    check_attributes(data, "data", ("x", "edge_index"))
    with pytest.raises(ValueError, match=r"data: missing attribute 'y' \(expected data.x, "
                                         r"data.edge_index, data.y\)"):
        check_attributes(data, "data", ("x", "edge_index", "y"))
    with pytest.raises(ValueError, match="data: missing attribute 'x'"):
        check_attributes(object(), "data", ("x",))
