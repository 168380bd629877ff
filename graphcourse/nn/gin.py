"""The graph isomorphism network layer (GIN) on PyG's ``MessagePassing`` (chapter 03).

GIN (Xu, Hu, Leskovec, Jegelka, "How Powerful are Graph Neural Networks?", ICLR 2019)::

    x_i' = MLP( (1 + eps) x_i + sum_{j in N(i)} x_j )

A sum (not a mean or a max) keeps the multiset of neighbours apart, and the MLP makes the
update injective enough to match the Weisfeiler-Lehman test. ``edge_index`` [2, E] lists edges
j -> i, as in :mod:`graphcourse.nn.gcn`.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch_geometric.nn import MessagePassing

from .._validate import (
    check_bool,
    check_edge_index,
    check_graph_input,
    check_module,
    check_number,
    check_positive_int,
    check_tensor,
)
from ._checks import checked_inputs, inputs_checked, param_dtype


class GINLayer(MessagePassing):
    """``x_i' = MLP((1 + eps) x_i + sum_{j in N(i)} x_j)``.

    Args:
        in_channels: F_in.
        out_channels: F_out.
        hidden_channels: width of the MLP's hidden layer (default ``out_channels``).
        eps: the node's own features are weighted 1 + eps, its neighbours' 1 (default 0,
            a plain sum over the node and its neighbours).
        train_eps: learn eps (default False).
        mlp: use this module instead of ``Linear -> ReLU -> Linear`` (its input must take
            ``in_channels`` features and its output give ``out_channels``).
    Shapes: x [N, F_in], edge_index [2, E] -> [N, F_out].
    """

    def __init__(self, in_channels: int, out_channels: int, hidden_channels: int | None = None,
                 eps: float = 0.0, train_eps: bool = False, mlp: nn.Module | None = None) -> None:
        super().__init__(aggr="add")
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        hidden = self.out_channels if hidden_channels is None else check_positive_int(
            hidden_channels, "hidden_channels")
        self.initial_eps = check_number(eps, "eps", finite=True)
        self.train_eps = check_bool(train_eps, "train_eps")
        if mlp is None:
            mlp = nn.Sequential(nn.Linear(self.in_channels, hidden), nn.ReLU(),
                                nn.Linear(hidden, self.out_channels))
        self.mlp = check_module(mlp, "mlp")
        if self.train_eps:
            self.eps = nn.Parameter(torch.tensor([self.initial_eps]))
        else:
            self.register_buffer("eps", torch.tensor([self.initial_eps]))

    def reset_parameters(self) -> None:
        super().reset_parameters()
        for module in self.mlp.modules():
            if module is not self.mlp and hasattr(module, "reset_parameters"):
                module.reset_parameters()
        self.eps.data.fill_(self.initial_eps)

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        if not inputs_checked():
            check_graph_input(x, edge_index, self.in_channels, dtype=param_dtype(self.mlp))
        with checked_inputs():
            return self._forward(x, edge_index)

    def _forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        """The layer on checked inputs (a model that checked them calls this directly)."""
        neighbours = self.propagate(edge_index, x=x)  # sum_j x_j: [N, F_in]
        return self.mlp((1 + self.eps) * x + neighbours)  # [N, F_out]

    def message(self, x_j: Tensor) -> Tensor:
        return x_j

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.in_channels}, {self.out_channels}, "
                f"eps={self.initial_eps}, train_eps={self.train_eps})")


class GINClassifier(nn.Module):
    """A graph classifier for graphs without node features: every node starts from the
    constant 1, two GIN layers with ReLU, a sum readout per graph, a linear layer to logits::

        h_i = 1,   h' = ReLU(GIN_2(ReLU(GIN_1(h)))),   y_G = W sum_{i in G} h'_i + b

    The 1-WL baseline of chapters 05 and 06 (CSL): it sees only the graph's structure, as
    colour refinement does.

    Args:
        hidden_channels: width of both GIN layers.
        out_channels: C, the number of classes.
    Shapes: x [N, ...] (any node attribute; only its length N is used), edge_index [2, E],
    batch [N] (graph of each node) -> logits [B, C].
    """

    def __init__(self, hidden_channels: int, out_channels: int) -> None:
        super().__init__()
        hidden = check_positive_int(hidden_channels, "hidden_channels")
        self.layer1 = GINLayer(1, hidden)
        self.layer2 = GINLayer(hidden, hidden)
        self.head = nn.Linear(hidden, check_positive_int(out_channels, "out_channels"))

    def forward(self, x: Tensor, edge_index: Tensor, batch: Tensor) -> Tensor:
        from torch_geometric.nn import global_add_pool

        check_tensor(x, "x")
        check_tensor(batch, "batch", ndim=1, floating=False)
        if batch.numel() != x.size(0):
            raise ValueError(f"batch: expected one graph id per node ({x.size(0)}), got "
                             f"{batch.numel()}")
        h = torch.ones(x.size(0), 1, device=x.device)  # [N, 1]: no node features
        check_edge_index(edge_index, x.size(0))
        with checked_inputs():
            h = torch.relu(self.layer2(torch.relu(self.layer1(h, edge_index)), edge_index))
        return self.head(global_add_pool(h, batch))  # [B, C]
