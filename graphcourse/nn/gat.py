"""Graph attention (GAT) written on PyG's ``MessagePassing`` (chapter 03).

Notation: N nodes, E edges, H heads, F features per head, C classes. ``edge_index`` [2, E]
lists edges j -> i as ``(edge_index[0], edge_index[1]) = (j, i)``.

GAT (Velickovic et al., "Graph Attention Networks", ICLR 2018). One head with weight W and
attention vector a = [a_dst || a_src]::

    e_ij     = LeakyReLU_0.2( a^T [W h_i || W h_j] )
             = LeakyReLU_0.2( a_dst . W h_i + a_src . W h_j )
    alpha_ij = softmax_j(e_ij) = exp(e_ij) / sum_{k in N(i) + {i}} exp(e_ik)
    h_i'     = sum_{j in N(i) + {i}} alpha_ij W h_j

The neighbourhood includes i itself (the paper's mask is A + I). As in the official code, the
concatenation is never built: ``a_dst . W h_i`` and ``a_src . W h_j`` are two projections
computed once per node, then added per edge. With H heads, each with its own W and a, hidden
layers concatenate the heads (output H F features) and the output layer averages them (F).
Dropout applies to the attention coefficients (and, optionally, to the transformed features
W h_j), as in the paper's code.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch_geometric.nn import MessagePassing
from torch_geometric.nn.inits import glorot, zeros
from torch_geometric.utils import softmax

from .._validate import (
    check_bool,
    check_graph_input,
    check_number,
    check_positive_int,
    check_probability,
)
from ._checks import check_layer_input, checked_inputs, evaluating, inputs_checked
from .gcn import _with_self_loops


class GATLayer(MessagePassing):
    """One graph attention layer with ``heads`` independent heads.

    Args:
        in_channels: F_in.
        out_channels: F, the features per head.
        heads: H, the number of attention heads (default 1).
        concat: concatenate the heads (output H F features, for hidden layers) or average them
            (output F features, for the output layer). Default True.
        negative_slope: slope of the LeakyReLU on the logits (default 0.2, the paper's).
        dropout: dropout probability on the attention coefficients while training (default 0).
        feature_dropout: dropout probability on the transformed features W h_j before
            aggregation while training (default 0; the paper's Cora code uses 0.6).
        add_self_loops: attend over N(i) + {i} (default True). Existing self-loops are
            replaced by one per node.
        bias: learn an additive bias (default True).
    Parameters: ``lin`` holds the H stacked matrices W (as one [H F, F_in] weight, no bias);
    ``att_src`` [1, H, F] and ``att_dst`` [1, H, F] are the two halves of each head's a,
    acting on the sender j and on the receiver i.
    Shapes: x [N, F_in], edge_index [2, E] -> [N, H F] (concat) or [N, F] (average). With
    ``return_attention=True`` it also returns ``(edge_index, alpha)``: the edges attended
    over (self-loops included, [2, E']) and their coefficients [E', H] before dropout.
    With the same weights it computes what PyG's ``GATConv`` computes.
    """

    def __init__(self, in_channels: int, out_channels: int, heads: int = 1, concat: bool = True,
                 negative_slope: float = 0.2, dropout: float = 0.0, feature_dropout: float = 0.0,
                 add_self_loops: bool = True, bias: bool = True) -> None:
        super().__init__(aggr="add", node_dim=0)  # node_dim=0: features are [N, H, F]
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.heads = check_positive_int(heads, "heads")
        self.concat = check_bool(concat, "concat")
        self.negative_slope = check_number(negative_slope, "negative_slope", finite=True)
        self.dropout = check_probability(dropout, "dropout")
        self.feature_dropout = check_probability(feature_dropout, "feature_dropout")
        self.add_self_loops = check_bool(add_self_loops, "add_self_loops")
        H, F = self.heads, self.out_channels
        self.lin = nn.Linear(self.in_channels, H * F, bias=False)
        self.att_src = nn.Parameter(torch.empty(1, H, F))
        self.att_dst = nn.Parameter(torch.empty(1, H, F))
        width = H * F if self.concat else F
        self.bias = nn.Parameter(torch.empty(width)) if check_bool(bias, "bias") else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        super().reset_parameters()
        glorot(self.lin.weight)
        glorot(self.att_src)
        glorot(self.att_dst)
        zeros(self.bias)

    def forward(self, x: Tensor, edge_index: Tensor,
                return_attention: bool = False) -> Tensor | tuple[Tensor, tuple[Tensor, Tensor]]:
        return_attention = check_bool(return_attention, "return_attention")
        if not inputs_checked():
            check_graph_input(x, edge_index, self.in_channels, dtype=self.lin.weight.dtype)
        with checked_inputs():
            return self._forward(x, edge_index, return_attention)

    def _forward(self, x: Tensor, edge_index: Tensor, return_attention: bool = False
                 ) -> Tensor | tuple[Tensor, tuple[Tensor, Tensor]]:
        """The layer on checked inputs (a model that checked them calls this directly)."""
        H, F = self.heads, self.out_channels
        num_nodes = x.size(0)
        x = self.lin(x).view(-1, H, F)  # W h for every head: [N, H, F]
        alpha_src = (x * self.att_src).sum(dim=-1)  # a_src . W h_j per node: [N, H]
        alpha_dst = (x * self.att_dst).sum(dim=-1)  # a_dst . W h_i per node: [N, H]
        if self.add_self_loops:
            edge_index = _with_self_loops(edge_index, num_nodes)  # [2, E']
        alpha = self.edge_updater(edge_index, alpha_src=alpha_src, alpha_dst=alpha_dst)  # [E', H]
        weights = alpha
        if self.training and self.dropout > 0:
            weights = nn.functional.dropout(alpha, self.dropout)
        if self.training and self.feature_dropout > 0:
            x = nn.functional.dropout(x, self.feature_dropout)
        out = self.propagate(edge_index, x=x, alpha=weights)  # [N, H, F]
        if self.concat:
            out = out.reshape(-1, H * F)  # [N, H F]
        else:
            out = out.mean(dim=1)  # [N, F]
        if self.bias is not None:
            out = out + self.bias
        if return_attention:
            return out, (edge_index, alpha)
        return out

    def edge_update(self, alpha_src_j: Tensor, alpha_dst_i: Tensor, index: Tensor,
                    size_i: int | None) -> Tensor:
        # alpha_src_j, alpha_dst_i: [E', H], lifted from nodes to edges by PyG; index: the
        # target i of each edge, so that the softmax runs over each node's neighbourhood.
        logits = nn.functional.leaky_relu(alpha_src_j + alpha_dst_i, self.negative_slope)
        return softmax(logits, index, num_nodes=size_i)  # [E', H]

    def message(self, x_j: Tensor, alpha: Tensor) -> Tensor:
        return alpha.unsqueeze(-1) * x_j  # [E', H, F]

    def __repr__(self) -> str:
        mode = "concat" if self.concat else "mean"
        return (f"{type(self).__name__}({self.in_channels}, {self.out_channels}, "
                f"heads={self.heads}, {mode}, dropout={self.dropout}, "
                f"feature_dropout={self.feature_dropout})")


class GAT(nn.Module):
    """The two-layer GAT of the paper's Cora experiments.

    ``dropout -> GATLayer(F_in, hidden, heads, concat) -> ELU -> dropout ->
    GATLayer(hidden * heads, C, output_heads, average)``. The defaults are the paper's
    (8 heads of 8 features, 1 output head, dropout 0.6 on the inputs of both layers, on the
    attention coefficients and on the transformed features).

    Args:
        in_channels: F_in.
        out_channels: C, the number of classes.
        hidden_channels: features per head in the hidden layer (default 8).
        heads: heads of the hidden layer (default 8), concatenated.
        output_heads: heads of the output layer (default 1), averaged.
        dropout: the dropout probability used everywhere (default 0.6).
    Returns logits [N, C]; ``embed`` returns the hidden layer [N, heads * hidden_channels];
    ``attention`` returns each layer's ``(edge_index, alpha [E', H])`` in eval mode.
    """

    def __init__(self, in_channels: int, out_channels: int, hidden_channels: int = 8,
                 heads: int = 8, output_heads: int = 1, dropout: float = 0.6) -> None:
        super().__init__()
        # Checked here, under the model's own names, before the layers see them.
        in_channels = check_positive_int(in_channels, "in_channels")
        out_channels = check_positive_int(out_channels, "out_channels")
        hidden_channels = check_positive_int(hidden_channels, "hidden_channels")
        heads = check_positive_int(heads, "heads")
        output_heads = check_positive_int(output_heads, "output_heads")
        self.dropout = check_probability(dropout, "dropout")
        self.conv1 = GATLayer(in_channels, hidden_channels, heads=heads, concat=True,
                              dropout=self.dropout, feature_dropout=self.dropout)
        self.conv2 = GATLayer(hidden_channels * heads, out_channels, heads=output_heads,
                              concat=False, dropout=self.dropout, feature_dropout=self.dropout)

    def reset_parameters(self) -> None:
        self.conv1.reset_parameters()
        self.conv2.reset_parameters()

    def embed(self, x: Tensor, edge_index: Tensor) -> Tensor:
        if not inputs_checked():
            check_layer_input(self.conv1, x, edge_index)
        with checked_inputs():
            return self._embed(x, edge_index)

    def _embed(self, x: Tensor, edge_index: Tensor) -> Tensor:
        x = nn.functional.dropout(x, self.dropout, self.training)
        return nn.functional.elu(self.conv1(x, edge_index))  # [N, H F]

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        if not inputs_checked():
            check_layer_input(self.conv1, x, edge_index)  # once: the layers trust it
        with checked_inputs():
            h = nn.functional.dropout(self._embed(x, edge_index), self.dropout, self.training)
            return self.conv2(h, edge_index)  # [N, C]

    @torch.no_grad()
    def attention(self, x: Tensor, edge_index: Tensor) -> list[tuple[Tensor, Tensor]]:
        """Each layer's attended edges and coefficients, ``[(edge_index [2, E'], alpha
        [E', H]), ...]``, computed in eval mode (no dropout); the training flag is restored."""
        check_layer_input(self.conv1, x, edge_index)
        with evaluating(self), checked_inputs():
            h, first = self.conv1(x, edge_index, return_attention=True)
            _, second = self.conv2(nn.functional.elu(h), edge_index, return_attention=True)
        return [first, second]

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(\n  (conv1): {self.conv1!r}\n  (conv2): {self.conv2!r}\n"
                f"  dropout={self.dropout}\n)")
