"""ChebNet, spectral convolutions and a message-passing low-pass filter (chapter 02).

Notation: N nodes, E edges, F features, m kept eigenvectors. ``edge_index`` [2, E] lists
edges ``j -> i`` as ``(edge_index[0], edge_index[1]) = (j, i)``, as in PyG; the course's
graphs are undirected.

- :class:`ChebLayer`: ChebNet (Defferrard, Bresson, Vandergheynst, NIPS 2016)::

      h' = sum_{k=0}^{K-1} T_k(L~) h W_k + b,     L~ = 2 L / lambda_max - I

  with the Chebyshev recurrence ``T_k = 2 L~ T_{k-1} - T_{k-2}``. ``K`` counts the terms, as
  in PyG's ``ChebConv`` (polynomial degree K - 1), and the weights are stored the same way
  (``lins[k].weight`` [F_out, F_in], ``bias`` [F_out]), so ``load_state_dict`` copies a
  ``ChebConv`` exactly.
- :class:`SpectralConv`: a spectral convolution on the first m Laplacian eigenvectors
  (Bruna et al., ICLR 2014; the Distill article's "spectral convolutions")::

      h'_{:, o} = sum_i U_m diag(theta_{:, i, o}) U_m^T h_{:, i} + b_o

  one learned gain per kept eigenvector, input and output channel. It is permutation
  equivariant only when every kept eigenvalue is simple (or theta is shared within each
  eigenspace) and the cut at m does not split an eigenspace.
- :class:`LowPassFilter`: a PyG ``MessagePassing`` layer applying ``(I - alpha L_sym)^K`` by
  K rounds of ``x <- (1 - alpha) x + alpha D^-1/2 A D^-1/2 x``: the same filter as
  ``U (1 - alpha Lambda)^K U^T x`` and as a Chebyshev polynomial ("one filter, three ways").
"""

from __future__ import annotations

import hashlib
import math

import torch
from torch import Tensor, nn
from torch_geometric.nn import MessagePassing

from .. import graphs
from .._validate import check_bool, check_edge_index, check_number, check_positive_int
from ..graphs.operators import _check_normalization
from ._checks import check_graph_shapes, checked_inputs, inputs_checked


class ChebLayer(nn.Module):
    """ChebNet layer: ``h' = sum_{k<K} T_k(L~) h W_k + b``, built from scratch.

    Args:
        in_channels: F_in.
        out_channels: F_out.
        K: number of Chebyshev terms (``K >= 1``; K = 1 ignores the graph). The filter is
            (K - 1)-hop local.
        normalization: Laplacian behind ``L~``: ``'sym'`` (default), ``'rw'`` or ``None``.
        bias: add a learnable bias b [F_out].
    Shapes: x [N, F_in], edge_index [2, E], edge_weight [E] (optional) -> [N, F_out].
    ``lambda_max`` defaults to 2 for the normalised Laplacians and ``2 max_v D_v`` for
    ``D - A``, as in PyG. Like ``ChebConv``, ``L~`` is applied along the edges
    (``out_i = sum_j L~_{ji} x_j``), which is ``L~ x`` for undirected graphs.
    """

    def __init__(self, in_channels: int, out_channels: int, K: int,
                 normalization: str | None = "sym", bias: bool = True) -> None:
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.K = check_positive_int(K, "K")
        self.normalization = _check_normalization(normalization, graphs.NORMALIZATIONS)
        self.lins = nn.ModuleList(nn.Linear(self.in_channels, self.out_channels, bias=False)
                                  for _ in range(self.K))
        self.bias = (nn.Parameter(torch.empty(self.out_channels)) if check_bool(bias, "bias")
                     else None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for lin in self.lins:
            nn.init.xavier_uniform_(lin.weight)  # Glorot, as ChebConv
        if self.bias is not None:
            nn.init.zeros_(self.bias)

    def forward(self, x: Tensor, edge_index: Tensor, edge_weight: Tensor | None = None,
                lambda_max: float | None = None) -> Tensor:
        # Node ids (and edge_weight) are checked where the Laplacian is built: once per graph.
        if not inputs_checked():
            check_graph_shapes(x, edge_index, self.in_channels, dtype=self.lins[0].weight.dtype)
        if lambda_max is not None:
            lambda_max = check_number(lambda_max, "lambda_max", low=0, low_inclusive=False,
                                      finite=True)
        with checked_inputs():
            return self._forward(x, edge_index, edge_weight, lambda_max)

    def _forward(self, x: Tensor, edge_index: Tensor, edge_weight: Tensor | None = None,
                 lambda_max: float | None = None) -> Tensor:
        """The layer on checked inputs (a model that checked them calls this directly)."""
        scaled = self._operator(x, edge_index, edge_weight, lambda_max)
        terms = graphs.chebyshev_basis(scaled, x, self.K - 1)  # K tensors [N, F_in]
        out = sum(lin(term) for lin, term in zip(self.lins, terms))  # [N, F_out]
        return out + self.bias if self.bias is not None else out

    def _operator(self, x: Tensor, edge_index: Tensor, edge_weight: Tensor | None,
                  lambda_max: float | None) -> Tensor:
        """``L~^T`` as a sparse tensor, rebuilt only when the graph changes (the cache keeps
        the very tensors it was built from and their in-place version counters)."""
        key = (x.size(0), x.dtype, x.device, lambda_max, edge_index._version,
               None if edge_weight is None else edge_weight._version)
        cached = getattr(self, "_cache", None)
        if (cached is not None and cached[0] is edge_index and cached[1] is edge_weight
                and cached[2] == key):
            return cached[3]
        scaled = graphs.scaled_laplacian(edge_index, x.size(0), edge_weight, self.normalization,
                                         lambda_max, form="sparse", dtype=x.dtype)
        scaled = scaled.t().coalesce()  # along the edges: out_i = sum_j L~_ji x_j
        if edge_weight is not None and edge_weight.requires_grad:
            return scaled  # learnable weights: rebuild every time so gradients flow
        self._cache = (edge_index, edge_weight, key, scaled.detach())
        return scaled

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.in_channels}, {self.out_channels}, K={self.K}, "
                f"normalization={self.normalization!r})")


# Eigenvectors are expensive: keep the last few bases, keyed by the graph's bytes.
_BASES: dict[tuple, tuple[Tensor, Tensor]] = {}
_MAX_BASES = 4


def spectral_basis(edge_index: Tensor, num_nodes: int, m: int,
                   normalization: str | None = "sym") -> tuple[Tensor, Tensor]:
    """The first m eigenpairs ``(Lambda [m], U [N, m])`` of the graph's Laplacian, cached.

    Computed once per graph (by :func:`graphcourse.graphs.laplacian_eigs`) and reused by
    every :class:`SpectralConv` on that graph; float64 values, cast by the caller.
    ``normalization`` is ``'sym'`` (default) or ``None`` (``D - A``): the symmetric eigensolver
    needs a symmetric Laplacian, so ``'rw'`` and directed graphs are refused.
    """
    num_nodes = check_positive_int(num_nodes, "num_nodes", minimum=0)
    check_edge_index(edge_index, num_nodes)
    m = check_positive_int(m, "m")
    if m > num_nodes:
        raise ValueError(f"m: asked for {m} eigenpairs of a graph with only {num_nodes} nodes")
    normalization = _check_normalization(normalization, (None, "sym"))
    return _spectral_basis(edge_index, num_nodes, m, normalization)


def _spectral_basis(edge_index: Tensor, num_nodes: int, m: int,
                    normalization: str | None) -> tuple[Tensor, Tensor]:
    """:func:`spectral_basis` on checked sizes; ``graphs.laplacian`` checks the node ids of a
    graph not seen before, and a graph found in the cache was checked when it was added."""
    digest = hashlib.sha1(edge_index.detach().cpu().contiguous().numpy().tobytes()).hexdigest()
    key = (digest, tuple(edge_index.shape), num_nodes, m, normalization)
    if key not in _BASES:
        L = graphs.laplacian(edge_index, num_nodes, normalization=normalization, form="scipy",
                             dtype=torch.float64)
        asymmetry = abs(L - L.T).max() if num_nodes else 0.0
        if asymmetry > 1e-12:
            raise ValueError("edge_index: the graph is directed, so its Laplacian is not "
                             "symmetric and a symmetric eigensolver would return wrong "
                             "eigenpairs; make it undirected first "
                             "(torch_geometric.utils.to_undirected)")
        if len(_BASES) >= _MAX_BASES:
            _BASES.pop(next(iter(_BASES)))
        _BASES[key] = graphs.laplacian_eigs(L, m, dtype=torch.float64)
    return _BASES[key]


class SpectralConv(nn.Module):
    """Spectral convolution on the first m eigenvectors U_m of the graph Laplacian.

    ``h^ = U_m^T h`` [m, F_in] (graph Fourier transform, keeping m frequencies); each kept
    frequency k mixes channels with its own matrix ``theta[k]`` [F_in, F_out]:
    ``y^[k] = h^[k] theta[k]``; back to the nodes: ``h' = U_m y^ + b`` [N, F_out].

    Args:
        in_channels: F_in.
        out_channels: F_out.
        m: number of eigenvectors kept (the lowest frequencies).
        normalization: Laplacian whose eigenvectors are used (default ``'sym'``).
        bias: add a learnable bias b [F_out].
    Shapes: x [N, F_in], edge_index [2, E] -> [N, F_out]. The eigenvectors are computed on
    the first call for each graph (cached); a graph needs at least m nodes.

    Equivariance: relabelling the nodes by P maps each eigenvector u_k to ``P u_k`` up to
    sign, and its term ``u_k u_k^T h theta_k`` does not depend on the sign of u_k, so the
    layer is permutation equivariant when **every kept eigenvalue is simple**. A repeated
    eigenvalue has no preferred basis: the solver may return any rotation of its
    eigenvectors, and different gains on vectors of one eigenspace then change the output by
    more than a permutation.
    The layer is equivariant only if (a) every kept eigenvalue is simple, or theta is the
    same for all eigenvectors of each kept eigenspace, and (b) the cut does not split an
    eigenspace (``lambda_{m-1} != lambda_m``, counting from 0). Condition (b) alone is not
    enough: the karate club's ``L_sym`` has eigenvalue 1 ten times (indices 12-21), and
    ``SpectralConv(m=22)`` is not equivariant there although ``lambda_21 != lambda_22``.
    Check a graph with :func:`graphcourse.graphs.eigenspaces`.

    The layer has m F_in F_out weights, cannot be moved to a graph of another size, and
    costs an eigendecomposition per graph.
    """

    def __init__(self, in_channels: int, out_channels: int, m: int,
                 normalization: str | None = "sym", bias: bool = True) -> None:
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.m = check_positive_int(m, "m")
        self.normalization = _check_normalization(normalization, (None, "sym"))
        # theta: [m, F_in, F_out]
        self.theta = nn.Parameter(torch.empty(self.m, self.in_channels, self.out_channels))
        self.bias = (nn.Parameter(torch.empty(self.out_channels)) if check_bool(bias, "bias")
                     else None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = math.sqrt(6.0 / (self.in_channels + self.out_channels))  # Glorot per frequency
        nn.init.uniform_(self.theta, -bound, bound)
        if self.bias is not None:
            nn.init.zeros_(self.bias)

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        # Node ids are checked where the Laplacian is built: once per graph.
        if not inputs_checked():
            check_graph_shapes(x, edge_index, self.in_channels, dtype=self.theta.dtype)
        with checked_inputs():
            return self._forward(x, edge_index)

    def _forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        """The layer on checked inputs (a model that checked them calls this directly)."""
        if x.size(0) < self.m:
            raise ValueError(f"x: the graph has {x.size(0)} nodes, fewer than m={self.m} "
                             "eigenvectors")
        _, U = _spectral_basis(edge_index, x.size(0), self.m, self.normalization)
        U = U.to(dtype=x.dtype, device=x.device)  # [N, m]
        x_hat = U.t() @ x  # [m, F_in]
        y_hat = torch.einsum("ki,kio->ko", x_hat, self.theta)  # [m, F_out]
        out = U @ y_hat  # [N, F_out]
        return out + self.bias if self.bias is not None else out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.in_channels}, {self.out_channels}, m={self.m})"


class LowPassFilter(MessagePassing):
    """``(I - alpha L_sym)^K x`` by K rounds of message passing (no weights).

    One round: ``x_i <- (1 - alpha) x_i + alpha sum_{j -> i} x_j / sqrt(D_i D_j)``, which is
    ``x - alpha L_sym x``. Its frequency response is ``g(lambda) = (1 - alpha lambda)^K``: it
    keeps low frequencies and damps high ones when ``0 < alpha <= 1/2`` (the spectrum of
    ``L_sym`` lies in [0, 2]).

    Args:
        steps: K >= 0, the number of rounds (the filter's degree and hop radius).
        alpha: step size (default 0.5).
    Shapes: x [N] or [N, F], edge_index [2, E] -> same shape as x.
    """

    def __init__(self, steps: int, alpha: float = 0.5) -> None:
        super().__init__(aggr="add")
        self.steps = check_positive_int(steps, "steps", minimum=0)
        self.alpha = check_number(alpha, "alpha", low=0.0, high=1.0, low_inclusive=False)

    def forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        # Node ids are checked by graphs.laplacian_edges below, with the same message.
        if not inputs_checked():
            check_graph_shapes(x, edge_index, x_ndim=(1, 2))
        with checked_inputs():
            return self._forward(x, edge_index)

    def _forward(self, x: Tensor, edge_index: Tensor) -> Tensor:
        vector = x.dim() == 1
        h = x.unsqueeze(-1) if vector else x  # [N, F]
        n = h.size(0)
        # L_sym = I - D^-1/2 A D^-1/2 as an edge list: one entry -1/sqrt(D_j D_i) per
        # non-loop edge j -> i, then the N diagonal entries; the messages use the former.
        index, value = graphs.laplacian_edges(edge_index, n, normalization="sym", dtype=h.dtype)
        edges = index.size(1) - n
        edge_index, norm = index[:, :edges], -value[:edges]  # [2, E'], [E']
        norm = norm.to(h.device)
        for _ in range(self.steps):
            h = (1.0 - self.alpha) * h + self.alpha * self.propagate(edge_index, x=h, norm=norm)
        return h.squeeze(-1) if vector else h

    def message(self, x_j: Tensor, norm: Tensor) -> Tensor:
        return norm.view(-1, 1) * x_j  # [E, F]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(steps={self.steps}, alpha={self.alpha})"
