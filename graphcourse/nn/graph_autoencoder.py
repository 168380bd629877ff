"""The (variational) graph autoencoder for link prediction (chapter 07).

Kipf & Welling, "Variational Graph Auto-Encoders", NeurIPS workshop 2016. Notation: N nodes,
E edges, F features, H hidden units, D the code's size.

- Encoder: two GCN layers (the course's :class:`~graphcourse.nn.gcn.GCNLayer`),
  ``Z = GCN_2(ReLU(GCN_1(X, A)), A)`` [N, D]; the variational one has two second layers,
  for mu and logvar, and draws ``Z = mu + exp(½ logvar) ⊙ ε`` while training.
- Decoder: the inner product, ``p(A_ij = 1 | Z) = σ(z_i · z_j)``; :func:`link_logits` returns
  the scores ``z_i · z_j`` before the sigmoid.
- Loss: binary cross-entropy on the observed edges (label 1) and as many sampled non-edges
  (label 0), each side averaged, plus ``KL / N`` for the variational model (PyG's ``VGAE``
  example weighs its per-node mean KL by 1/N).
- Evaluation: ROC AUC and average precision of the scores of held-out edges against
  held-out non-edges (:func:`link_metrics`), on a split made by PyG's ``RandomLinkSplit``
  (:func:`link_split`).
"""

from __future__ import annotations

import random
from typing import Any, NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch_geometric.utils import is_undirected

from .._validate import (
    check_attributes,
    check_bool,
    check_edge_index,
    check_finite,
    check_instance,
    check_number,
    check_positive_int,
    check_tensor,
)
from ._checks import check_layer_input, checked_inputs
from .gcn import GCNLayer
from .likelihoods import _kl

MAX_LOGVAR = 20.0  # logvar is clamped here, as PyG's VGAE clamps log σ at 10


class GraphCode(NamedTuple):
    """What a variational :meth:`GraphAutoencoder.encode` returns: mu, logvar and the code z,
    each [N, D] (z is a draw while training and mu in eval mode)."""

    mu: Tensor
    logvar: Tensor
    z: Tensor


class GraphAutoencoder(nn.Module):
    """A GCN encoder and the inner-product decoder (GAE, or VGAE with ``variational=True``).

    Args:
        in_features: F. hidden: H, the width of the first GCN layer. code: D.
        variational: encode a Gaussian per node (mu and logvar from two second GCN layers)
            and draw the code from it while training (default False).
    Shapes: ``encode(x [N, F], edge_index [2, E])`` -> z [N, D] (variational: a
    :class:`GraphCode`); ``link_logits(z, pairs [2, P])`` -> [P].
    With the weights of PyG's ``GCNConv`` layers of the same sizes it computes what PyG's
    ``GAE`` with that encoder computes.
    """

    def __init__(self, in_features: int, hidden: int, code: int,
                 variational: bool = False) -> None:
        super().__init__()
        self.in_features = check_positive_int(in_features, "in_features")
        self.hidden = check_positive_int(hidden, "hidden")
        self.code = check_positive_int(code, "code")
        self.variational = check_bool(variational, "variational")
        self.conv1 = GCNLayer(self.in_features, self.hidden)
        self.conv_mu = GCNLayer(self.hidden, self.code)
        self.conv_logvar = GCNLayer(self.hidden, self.code) if self.variational else None

    def reset_parameters(self) -> None:
        for layer in (self.conv1, self.conv_mu, self.conv_logvar):
            if layer is not None:
                layer.reset_parameters()

    def encode(self, x: Tensor, edge_index: Tensor) -> Tensor | GraphCode:
        """Node codes: z [N, D], or for the variational model ``GraphCode(mu, logvar, z)``."""
        check_layer_input(self.conv1, x, edge_index)
        with checked_inputs():
            h = F.relu(self.conv1(x, edge_index))  # [N, H]
            mu = self.conv_mu(h, edge_index)  # [N, D]
            if self.conv_logvar is None:
                return mu
            logvar = self.conv_logvar(h, edge_index).clamp(max=MAX_LOGVAR)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu) if self.training else mu
        return GraphCode(mu, logvar, z)

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor | GraphCode:
        return self.encode(x, edge_index)

    def link_logits(self, z: Tensor, edge_index: Tensor) -> Tensor:
        """The decoder's scores z_i · z_j of the pairs in ``edge_index`` (see
        :func:`link_logits`)."""
        return link_logits(z, edge_index)

    def __repr__(self) -> str:
        kind = ", variational" if self.variational else ""
        return (f"{type(self).__name__}({self.in_features} -> {self.hidden} -> "
                f"{self.code}{kind})")


def _check_code(code: Any, name: str = "z") -> Tensor:
    check_tensor(code, name, ndim=2, floating=True)
    return check_finite(code, name)


def link_logits(z: Tensor, edge_index: Tensor) -> Tensor:
    """The inner-product decoder before its sigmoid: ``z_i · z_j`` for each pair (i, j).

    Shapes: z [N, D], edge_index [2, P] (ids below N) -> [P]. ``torch.sigmoid`` of it is
    PyG's ``InnerProductDecoder(z, edge_index, sigmoid=True)``.
    """
    z = _check_code(z)
    check_edge_index(edge_index, z.size(0))
    return _scores(z, edge_index)


def _scores(z: Tensor, edge_index: Tensor) -> Tensor:
    return (z[edge_index[0]] * z[edge_index[1]]).sum(-1)  # [P]


def recon_loss(code: Tensor | GraphCode, pos_edge_index: Tensor,
               neg_edge_index: Tensor | None = None) -> Tensor:
    """Binary cross-entropy of the inner-product decoder, PyG's ``GAE.recon_loss``::

        -mean_{(i,j) in pos} log σ(z_i · z_j) - mean_{(i,j) in neg} log(1 - σ(z_i · z_j))

    ``code`` is z [N, D] or a :class:`GraphCode`; for a ``GraphCode`` the KL term of the
    VGAE is added, ``KL / N`` with KL the per-node mean of KL(N(mu_i, exp(logvar_i)) ||
    N(0, I)). ``neg_edge_index`` [2, P'] defaults to as many non-edges as ``pos_edge_index``
    [2, P] holds, drawn with PyG's ``negative_sampling`` (torch's global generator, or Python's
    ``random`` for small graphs). Computed
    with ``logsigmoid`` (PyG adds 1e-15 inside the log; the two agree unless a score
    saturates). Returns a scalar.
    """
    from torch_geometric.utils import negative_sampling

    if isinstance(code, GraphCode):
        z = _check_code(code.z, "code.z")
        mu, logvar = _check_code(code.mu, "code.mu"), _check_code(code.logvar, "code.logvar")
    else:
        check_instance(code, "code", Tensor, "z [N, D] or a GraphCode",
                       "pass model.encode(x, edge_index)")
        z, mu, logvar = _check_code(code, "code"), None, None
    num_nodes = z.size(0)
    check_edge_index(pos_edge_index, num_nodes, "pos_edge_index")
    if pos_edge_index.size(1) == 0:
        raise ValueError("pos_edge_index: expected at least one edge, got none")
    if neg_edge_index is None:
        neg_edge_index = negative_sampling(pos_edge_index, num_nodes)
    check_edge_index(neg_edge_index, num_nodes, "neg_edge_index")
    if neg_edge_index.size(1) == 0:
        raise ValueError("neg_edge_index: expected at least one pair, got none")
    loss = (-F.logsigmoid(_scores(z, pos_edge_index)).mean()
            - F.logsigmoid(-_scores(z, neg_edge_index)).mean())
    if mu is not None:
        loss = loss + _kl(mu, logvar) / num_nodes
    return loss


def link_metrics(z: Tensor, pos_edge_index: Tensor,
                 neg_edge_index: Tensor) -> tuple[float, float]:
    """``(auc, ap)``: scikit-learn's ``roc_auc_score`` and ``average_precision_score`` of the
    scores σ(z_i · z_j) with label 1 for the pairs of ``pos_edge_index`` and 0 for those of
    ``neg_edge_index`` (PyG's ``GAE.test``). Shapes: z [N, D], both edge lists [2, P]."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    z = _check_code(z)
    check_edge_index(pos_edge_index, z.size(0), "pos_edge_index")
    check_edge_index(neg_edge_index, z.size(0), "neg_edge_index")
    if pos_edge_index.size(1) == 0 or neg_edge_index.size(1) == 0:
        raise ValueError("pos_edge_index, neg_edge_index: expected at least one pair each, got "
                         f"{pos_edge_index.size(1)} and {neg_edge_index.size(1)}")
    with torch.no_grad():
        scores = torch.cat([torch.sigmoid(_scores(z, pos_edge_index)),
                            torch.sigmoid(_scores(z, neg_edge_index))])
    labels = torch.cat([torch.ones(pos_edge_index.size(1)),
                        torch.zeros(neg_edge_index.size(1))])
    y, pred = labels.numpy(), scores.cpu().numpy()
    return float(roc_auc_score(y, pred)), float(average_precision_score(y, pred))


def link_split(data: Any, val: float = 0.05, test: float = 0.1, seed: int = 0) -> tuple:
    """Hide edges for link prediction with PyG's ``RandomLinkSplit`` (undirected).

    ``val`` and ``test`` are the fractions of the undirected edges held out (in (0, 1),
    together below 1). Returns ``(train, val, test)`` graphs: each has ``edge_index`` (the
    training edges, both directions, for message passing) and ``pos_edge_label_index`` /
    ``neg_edge_label_index`` [2, P] (one direction per pair; the validation and test sets
    hold as many sampled non-edges as edges, the training set none: the loss samples them).
    ``seed`` fixes the split without touching the global generators (torch's and Python's
    ``random``, which PyG's ``negative_sampling`` uses for small graphs).
    """
    from torch_geometric.data import Data
    from torch_geometric.transforms import RandomLinkSplit

    check_instance(data, "data", Data, "a torch_geometric Data (one graph)")
    check_attributes(data, "data", ("x", "edge_index"))
    check_tensor(data.x, "data.x", ndim=2, floating=True)
    check_edge_index(data.edge_index, data.x.size(0), "data.edge_index")
    if not is_undirected(data.edge_index, num_nodes=data.x.size(0)):
        raise ValueError("data.edge_index: expected an undirected graph (each edge in both "
                         "directions); RandomLinkSplit keeps one direction of each pair and "
                         "would drop about half of a directed edge list; use "
                         "torch_geometric.utils.to_undirected")
    val = check_number(val, "val", low=0, high=1, low_inclusive=False, high_inclusive=False)
    test = check_number(test, "test", low=0, high=1, low_inclusive=False, high_inclusive=False)
    if val + test >= 1:
        raise ValueError(f"val + test: expected a sum below 1 (edges must remain for "
                         f"training), got {val + test:g}")
    seed = check_positive_int(seed, "seed", minimum=0)
    split = RandomLinkSplit(num_val=val, num_test=test, is_undirected=True,
                            split_labels=True, add_negative_train_samples=False)
    graph = Data(x=data.x, edge_index=data.edge_index, num_nodes=data.x.size(0))
    state = random.getstate()  # PyG's negative_sampling draws small samples with `random`
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            random.seed(seed)
            return split(graph)
    finally:
        random.setstate(state)


def fit_link_prediction(model: GraphAutoencoder, train: Any, epochs: int, lr: float = 0.01,
                        val: Any = None, eval_every: int = 1, progress: bool | None = None,
                        device: torch.device | str | None = None):
    """Train a :class:`GraphAutoencoder` full-batch with Adam through ``train.fit``.

    Each epoch encodes ``train.x`` over ``train.edge_index`` and minimises :func:`recon_loss`
    on ``train.pos_edge_label_index`` with freshly sampled negatives. With ``val`` (a graph
    from :func:`link_split`) the history records ``val_auc`` and ``val_ap`` every
    ``eval_every`` epochs. Returns the :class:`~graphcourse.train.History`.
    """
    from .. import devices
    from ..train import fit

    check_instance(model, "model", GraphAutoencoder, "a GraphAutoencoder")
    for name, graph in (("train", train), ("val", val)):
        if graph is None and name == "val":
            continue
        check_attributes(graph, name, ("x", "edge_index", "pos_edge_label_index"))
    if val is not None:
        check_attributes(val, "val", ("neg_edge_label_index",))
    lr = check_number(lr, "lr", low=0, low_inclusive=False, finite=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    def loss_fn(model: GraphAutoencoder, batch: Any) -> Tensor:
        return recon_loss(model.encode(batch.x, batch.edge_index), batch.pos_edge_label_index)

    def evaluate(model: GraphAutoencoder) -> dict[str, float]:
        graph = devices.to_device(val, devices.model_device(model))
        code = model.encode(graph.x, graph.edge_index)
        z = code.z if isinstance(code, GraphCode) else code
        auc, ap = link_metrics(z, graph.pos_edge_label_index, graph.neg_edge_label_index)
        return {"val_auc": auc, "val_ap": ap}

    return fit(model, optimizer, loss_fn, [train], epochs,
               evaluate=None if val is None else evaluate, eval_every=eval_every,
               desc="graph autoencoder", progress=progress, device=device)
