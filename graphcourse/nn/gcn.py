"""The graph convolutional layer of Kipf & Welling written on PyG's ``MessagePassing`` (chapter 03).

Notation: N nodes, E edges, F features. ``edge_index`` [2, E] lists edges j -> i as
``(edge_index[0], edge_index[1]) = (j, i)``; node i aggregates over its in-neighbours j
(PyG's ``flow='source_to_target'``).

GCN (Kipf & Welling, "Semi-Supervised Classification with Graph Convolutional Networks",
ICLR 2017) with the renormalisation trick, one node at a time::

    x_i' = b + sum_{j in N(i) + {i}}  1 / sqrt(deg(i) deg(j))  *  W x_j

with W of shape [F_out, F_in] (as ``nn.Linear.weight``) and deg(i) the in-degree of i (the
edges arriving at i, counted on the target row ``edge_index[1]``) including its self-loop.
With the features as the rows of X, the matrix form is
``X' = D~^-1/2 (A + I) D~^-1/2 X W^T + b``. A is symmetric on an undirected graph; on a
directed one (with A_ij = 1 for an edge i -> j) the matrix form uses (A + I)^T, and D~ holds
the in-degrees.
The forward pass takes six steps: (1) add self-loops, (2) apply the linear map W, (3) compute
the normalisation 1/sqrt(deg(i) deg(j)) of each edge, (4) scale the messages W x_j by it,
(5) sum the messages at each target node, (6) add the bias.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch_geometric.nn import MessagePassing
from torch_geometric.nn.inits import glorot, zeros
from torch_geometric.typing import OptTensor
from torch_geometric.utils import add_self_loops, degree, remove_self_loops

from .._validate import check_bool, check_edge_index, check_graph_input, check_positive_int
from ._checks import checked_inputs, inputs_checked


def with_self_loops(edge_index: Tensor, num_nodes: int) -> Tensor:
    """``edge_index`` with every self-loop removed and exactly one (i, i) added per node.

    Shapes: [2, E] -> [2, E' + N], where E' counts the edges that are not self-loops; the
    N self-loops come last, in node order (PyG's ``remove_self_loops`` + ``add_self_loops``).
    """
    num_nodes = check_positive_int(num_nodes, "num_nodes", minimum=0)
    check_edge_index(edge_index, num_nodes)
    return _with_self_loops(edge_index, num_nodes)


def _with_self_loops(edge_index: Tensor, num_nodes: int) -> Tensor:
    """:func:`with_self_loops` on a checked ``edge_index``."""
    edge_index, _ = remove_self_loops(edge_index)
    edge_index, _ = add_self_loops(edge_index, num_nodes=num_nodes)
    return edge_index


def symmetric_norm(edge_index: Tensor, num_nodes: int) -> Tensor:
    """The GCN weight ``1 / sqrt(deg(i) deg(j))`` of every edge (j, i): shape [E].

    ``deg`` is the in-degree (the number of edges arriving at a node, computed with PyG's
    ``degree`` on the target row), so pass an ``edge_index`` that already holds the
    self-loops to get Kipf & Welling's D~^-1/2 (A + I) D~^-1/2. A node of in-degree 0 would
    divide by zero: the edges leaving it get weight 0, as in PyG's ``gcn_norm``; with
    self-loops added (the ``GCNLayer`` default) every in-degree is >= 1.
    """
    num_nodes = check_positive_int(num_nodes, "num_nodes", minimum=0)
    check_edge_index(edge_index, num_nodes)
    return _symmetric_norm(edge_index, num_nodes)


def _symmetric_norm(edge_index: Tensor, num_nodes: int) -> Tensor:
    """:func:`symmetric_norm` on a checked ``edge_index``."""
    source, target = edge_index
    deg = degree(target, num_nodes, dtype=torch.float)  # [N]
    deg_inv_sqrt = deg.pow(-0.5)
    deg_inv_sqrt = deg_inv_sqrt.masked_fill(torch.isinf(deg_inv_sqrt), 0.0)
    return deg_inv_sqrt[source] * deg_inv_sqrt[target]  # [E]


class GCNLayer(MessagePassing):
    """Kipf & Welling's graph convolution: ``x_i' = b + sum_j W x_j / sqrt(deg(i) deg(j))``,
    the sum over j -> i and the self-loop, W of shape [F_out, F_in].

    Args:
        in_channels: F_in.
        out_channels: F_out.
        add_self_loops: add (i, i) to every node first (the "renormalisation trick"; default
            True). Existing self-loops are replaced by one per node.
        normalize: scale each message by ``1 / sqrt(deg(i) deg(j))`` (default True); with
            False the layer sums the raw messages ``W x_j``.
        bias: learn an additive bias ``b`` (default True).
    Shapes: x [N, F_in], edge_index [2, E] -> [N, F_out]. ``lin`` holds W (no bias, Glorot
    initialised as in the paper's code) and ``bias`` holds b (zeros at initialisation).
    With the same weights it computes what PyG's ``GCNConv`` computes.
    """

    def __init__(self, in_channels: int, out_channels: int, add_self_loops: bool = True,
                 normalize: bool = True, bias: bool = True) -> None:
        super().__init__(aggr="add")  # step 5: sum the messages
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.add_self_loops = check_bool(add_self_loops, "add_self_loops")
        self.normalize = check_bool(normalize, "normalize")
        self.lin = nn.Linear(self.in_channels, self.out_channels, bias=False)
        self.bias = (nn.Parameter(torch.empty(self.out_channels)) if check_bool(bias, "bias")
                     else None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        super().reset_parameters()
        glorot(self.lin.weight)
        zeros(self.bias)

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        if not inputs_checked():
            check_graph_input(x, edge_index, self.in_channels, dtype=self.lin.weight.dtype)
        with checked_inputs():
            return self._forward(x, edge_index)

    def _forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        """The layer on checked inputs (a model that checked them calls this directly)."""
        num_nodes = x.size(0)
        if self.add_self_loops:
            edge_index = _with_self_loops(edge_index, num_nodes)  # step 1: [2, E + N]
        x = self.lin(x)  # step 2: [N, F_out]
        norm = _symmetric_norm(edge_index, num_nodes) if self.normalize else None  # step 3: [E]
        out = self.propagate(edge_index, x=x, norm=norm)  # steps 4-5: [N, F_out]
        if self.bias is not None:
            out = out + self.bias  # step 6
        return out

    def message(self, x_j: Tensor, norm: OptTensor) -> Tensor:
        # x_j: [E, F_out], the transformed features of each edge's source node.
        return x_j if norm is None else norm.view(-1, 1) * x_j  # step 4

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.in_channels}, {self.out_channels})"
