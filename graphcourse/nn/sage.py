"""Neighbourhood aggregation, the basic GNN update and GraphSAGE (chapter 01).

Notation: N nodes, E edges, F features. ``edge_index`` [2, E] lists edges j -> i as
``(edge_index[0], edge_index[1]) = (j, i)``: node i aggregates over its in-neighbours j, the
same convention as PyG (``flow='source_to_target'``).

The basic mean update, in the form of Stanford's CS224W course and of PyG's ``SAGEConv`` with
``aggr='mean'`` (W_k and b_k are its ``lin_l``, B_k its ``lin_r``)::

    h_v^{k+1} = sigma( W_k . mean_{u in N(v)} h_u^k  +  B_k h_v^k  +  b_k )

(Not the "simplest GNN" of Sanchez-Lengeling et al.'s "A Gentle Introduction to GNNs", 2021:
that layer ignores the edges and applies separate MLPs to the node, edge and global vectors.)

GraphSAGE (Hamilton, Ying, Leskovec, NeurIPS 2017) concatenates instead of adding::

    h_v^{k+1} = sigma( W_k . [ h_v^k || AGG({h_u^k : u in N(v)}) ] )

with AGG one of mean, max-pool ``max_u sigma(W_pool h_u + b)`` or an LSTM over the neighbours
in some order (the LSTM is not order invariant).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch_geometric.utils import scatter, to_dense_batch

from .._validate import (
    check_bool,
    check_choice,
    check_graph_input,
    check_instance,
    check_positive_int,
    check_probability,
)
from ._checks import check_layer_input, checked_inputs, inputs_checked, is_course_layer

AGGREGATORS = ("mean", "max", "lstm")


def mean_aggregate(x: Tensor, edge_index: Tensor) -> Tensor:
    """``out[i] = mean_{j : (j, i) in E} x[j]``, and 0 for nodes with no in-neighbours.

    Args:
        x: node features [N, F].
        edge_index: edges [2, E], source row 0, target row 1.
    Returns:
        [N, F]
    """
    check_graph_input(x, edge_index)
    return _mean_aggregate(x, edge_index)


def _mean_aggregate(x: Tensor, edge_index: Tensor) -> Tensor:
    """:func:`mean_aggregate` on checked inputs."""
    source, target = edge_index
    return scatter(x[source], target, dim=0, dim_size=x.size(0), reduce="mean")  # [N, F]


def lstm_aggregate(x: Tensor, edge_index: Tensor, lstm: nn.LSTM) -> Tensor:
    """Run ``lstm`` over each node's in-neighbours in the order the edges list them and
    return its last hidden state [N, F_out]; nodes with no in-neighbours get zeros.

    The order of the edges changes the result: an LSTM is not permutation invariant.
    ``lstm`` must be a one-directional ``nn.LSTM`` (a bidirectional one has two last states).
    """
    check_instance(lstm, "lstm", nn.LSTM, "a torch.nn.LSTM",
                   "build one with nn.LSTM(F_in, F_out, batch_first=True)")
    if lstm.bidirectional:
        raise ValueError("lstm: expected a one-directional LSTM, got bidirectional=True "
                         "(its last state would mix both directions)")
    check_graph_input(x, edge_index, lstm.input_size, dtype=lstm.weight_ih_l0.dtype)
    return _lstm_aggregate(x, edge_index, lstm)


def _lstm_aggregate(x: Tensor, edge_index: Tensor, lstm: nn.LSTM) -> Tensor:
    """:func:`lstm_aggregate` on checked inputs."""
    source, target = edge_index
    order = torch.sort(target, stable=True).indices  # group edges by target, keep their order
    messages, present = to_dense_batch(x[source[order]], target[order],
                                       batch_size=x.size(0))  # [N, max_deg, F], [N, max_deg]
    lengths = present.sum(dim=1)  # [N]
    out = x.new_zeros(x.size(0), lstm.proj_size or lstm.hidden_size)
    has = lengths > 0
    if has.any():
        packed = nn.utils.rnn.pack_padded_sequence(
            messages[has], lengths[has].cpu(), batch_first=True, enforce_sorted=False)
        _, (h_last, _) = lstm(packed)  # h_last: [1, N_has, F_out]
        out[has] = h_last[-1]
    return out


class MeanLayer(nn.Module):
    """``h_v' = W mean_{u in N(v)} h_u + B h_v + b`` (no nonlinearity; apply it outside).

    ``W`` and ``b`` are ``lin_neigh`` (weight and bias) and ``B`` is ``lin_self`` (no bias): the
    same layer as PyG's ``SAGEConv(aggr='mean')`` with ``lin_l = lin_neigh`` and
    ``lin_r = lin_self``.
    Shapes: x [N, F_in], edge_index [2, E] -> [N, F_out].
    """

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.lin_neigh = nn.Linear(self.in_channels, self.out_channels)
        self.lin_self = nn.Linear(self.in_channels, self.out_channels, bias=False)

    def reset_parameters(self) -> None:
        self.lin_neigh.reset_parameters()
        self.lin_self.reset_parameters()

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        if not inputs_checked():
            check_graph_input(x, edge_index, self.in_channels, dtype=self.lin_self.weight.dtype)
        with checked_inputs():
            return self._forward(x, edge_index)

    def _forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        """The layer on checked inputs (a model that checked them calls this directly)."""
        return self.lin_neigh(_mean_aggregate(x, edge_index)) + self.lin_self(x)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.in_channels}, {self.out_channels})"


class SAGELayer(nn.Module):
    """GraphSAGE: ``h_v' = W [h_v || AGG(h_u : u in N(v))]``, optionally L2-normalised.

    Args:
        in_channels: F_in.
        out_channels: F_out.
        aggr: ``'mean'``, ``'max'`` (max-pool: ``max_u ReLU(W_pool h_u + b)``) or ``'lstm'``.
        normalize: divide each output row by its L2 norm, as in the paper's Algorithm 1.
    Shapes: x [N, F_in], edge_index [2, E] -> [N, F_out]. ``lin`` holds W, of shape
    [F_out, 2 F_in], whose first F_in columns act on h_v and the rest on the aggregate.
    """

    def __init__(self, in_channels: int, out_channels: int, aggr: str = "mean",
                 normalize: bool = False) -> None:
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.aggr = check_choice(aggr, "aggr", AGGREGATORS)
        self.normalize = check_bool(normalize, "normalize")
        F_in = self.in_channels
        self.pool = nn.Linear(F_in, F_in) if aggr == "max" else None
        self.lstm = nn.LSTM(F_in, F_in, batch_first=True) if aggr == "lstm" else None
        self.lin = nn.Linear(2 * F_in, self.out_channels)

    def reset_parameters(self) -> None:
        for module in (self.pool, self.lstm, self.lin):
            if module is not None:
                module.reset_parameters()

    def aggregate(self, x: Tensor, edge_index: Tensor) -> Tensor:
        """AGG over in-neighbours: [N, F_in] -> [N, F_in]."""
        check_graph_input(x, edge_index, self.in_channels, dtype=self.lin.weight.dtype)
        return self._aggregate(x, edge_index)

    def _aggregate(self, x: Tensor, edge_index: Tensor) -> Tensor:
        if self.aggr == "mean":
            return _mean_aggregate(x, edge_index)
        if self.aggr == "max":
            source, target = edge_index
            pooled = torch.relu(self.pool(x))  # [N, F_in]
            return scatter(pooled[source], target, dim=0, dim_size=x.size(0), reduce="max")
        return _lstm_aggregate(x, edge_index, self.lstm)

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        if not inputs_checked():
            check_graph_input(x, edge_index, self.in_channels, dtype=self.lin.weight.dtype)
        with checked_inputs():
            return self._forward(x, edge_index)

    def _forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        """The layer on checked inputs (a model that checked them calls this directly)."""
        out = self.lin(torch.cat([x, self._aggregate(x, edge_index)], dim=-1))  # [N, F_out]
        if self.normalize:
            out = nn.functional.normalize(out, p=2.0, dim=-1)
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.in_channels}, {self.out_channels}, aggr={self.aggr!r})"


class NodeClassifier(nn.Module):
    """Two graph layers for node classification: ``layer2(dropout(relu(layer1(dropout(x)))))``.

    Args:
        layer: ``'sage'`` (GraphSAGE, mean), ``'mean'`` (the basic update) or any callable
            ``(in_channels, out_channels) -> nn.Module`` taking ``(x, edge_index)``.
        in_channels, hidden_channels, out_channels: F_in, hidden width, number of classes.
        dropout: dropout probability on the input and hidden features while training.
    Returns logits [N, C] (apply ``log_softmax``/``cross_entropy`` outside). ``embed`` returns
    the hidden representation [N, hidden_channels] for plotting.
    """

    def __init__(self, in_channels: int, hidden_channels: int, out_channels: int,
                 layer="sage", dropout: float = 0.5) -> None:
        super().__init__()
        # Sizes are checked here, under the model's own names, before a layer sees them.
        in_channels = check_positive_int(in_channels, "in_channels")
        hidden_channels = check_positive_int(hidden_channels, "hidden_channels")
        out_channels = check_positive_int(out_channels, "out_channels")
        factories = {"sage": SAGELayer, "mean": MeanLayer}
        if isinstance(layer, str):
            if layer not in factories:
                raise ValueError(f"layer: expected 'sage', 'mean' or a callable, got {layer!r}")
            layer = factories[layer]
        if not callable(layer):
            raise TypeError(f"layer: expected 'sage', 'mean' or a callable "
                            f"(in_channels, out_channels) -> nn.Module, got {type(layer).__name__}")
        self.dropout = check_probability(dropout, "dropout")
        hint = "layer(in_channels, out_channels) must build the layer module"
        self.conv1 = check_instance(layer(in_channels, hidden_channels), "layer", nn.Module,
                                    "a factory returning a torch.nn.Module", hint)
        self.conv2 = check_instance(layer(hidden_channels, out_channels), "layer", nn.Module,
                                    "a factory returning a torch.nn.Module", hint)

    def reset_parameters(self) -> None:
        self.conv1.reset_parameters()
        self.conv2.reset_parameters()

    def embed(self, x: Tensor, edge_index: Tensor) -> Tensor:
        self._check(x, edge_index)
        with checked_inputs():
            return self._embed(x, edge_index)

    def _check(self, x: Tensor, edge_index: Tensor) -> None:
        """Check the inputs once for both layers when they are the course's own (a PyG layer
        may take other inputs, such as a sparse adjacency, and checks them itself)."""
        if not inputs_checked() and is_course_layer(self.conv1):
            check_layer_input(self.conv1, x, edge_index)

    def _embed(self, x: Tensor, edge_index: Tensor) -> Tensor:
        x = nn.functional.dropout(x, self.dropout, self.training)
        return torch.relu(self.conv1(x, edge_index))  # [N, hidden]

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        self._check(x, edge_index)  # once: the layers trust it
        with checked_inputs():
            h = nn.functional.dropout(self._embed(x, edge_index), self.dropout, self.training)
            return self.conv2(h, edge_index)  # [N, C]
