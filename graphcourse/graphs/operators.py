"""Graph Laplacians as operators, their storage forms and products (chapter 02).

Notation: N nodes, E edges, F features. ``edge_index`` [2, E] lists edges ``(s, t)``; the
adjacency matrix has ``A[s, t] = w`` (as ``torch_geometric.utils.to_dense_adj``) and the degree
is the row sum ``D_v = sum_t A[v, t]``. The course's graphs are undirected (both directions
listed), so ``A`` is symmetric. Self-loops are dropped, as ``get_laplacian`` does.

- Laplacians: combinatorial ``L = D - A``, symmetric ``L_sym = I - D^-1/2 A D^-1/2``,
  random-walk ``L_rw = I - D^-1 A``; ChebNet's scaled ``L~ = 2 L / lambda_max - I``.
- Forms: ``'sparse'`` (torch COO), ``'csr'`` (torch CSR), ``'dense'`` and ``'scipy'``;
  :func:`to_scipy`, :func:`to_dense` convert and :func:`matmul` multiplies any of them.
- :func:`hop_distances`: all-pairs hop counts, to check that filters are local.

Every function that takes an operator ``L`` accepts a dense tensor [N, N], a torch sparse
tensor (COO or CSR) or a SciPy sparse matrix, and ``x`` as [N] or [N, F].
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import scipy.sparse as sp
import torch
from torch import Tensor

from .._validate import (
    check_edge_index,
    check_finite,
    check_instance,
    check_number,
    check_positive_int,
    check_tensor,
)

NORMALIZATIONS = (None, "sym", "rw")
FORMS = ("sparse", "csr", "dense", "scipy")
Operator = Tensor | sp.spmatrix | sp.sparray


# --------------------------------------------------------------------------- checks
def _check_normalization(normalization: Any,
                         allowed: tuple = NORMALIZATIONS) -> str | None:
    """``TypeError`` unless None or a string; ``ValueError`` unless one of ``allowed`` (with
    the reason where ``'rw'`` is refused: a symmetric eigensolver needs a symmetric operator)."""
    names = [repr(a) for a in allowed]
    words = ", ".join(names[:-1]) + " or " + names[-1]
    if normalization is not None and not isinstance(normalization, str):
        raise TypeError(f"normalization: expected {words}, got {type(normalization).__name__}")
    if normalization not in allowed:
        reason = ""
        if normalization == "rw":
            reason = ("; L_rw = I - D^-1 A is not symmetric, so a symmetric eigensolver would "
                      "return wrong eigenpairs (L_sym has the same eigenvalues)")
        raise ValueError(f"normalization: expected {words}, got {normalization!r}{reason}")
    return normalization


def _check_form(form: Any) -> None:
    if not isinstance(form, str):
        raise TypeError(f"form: expected one of {', '.join(map(repr, FORMS))}, got "
                        f"{type(form).__name__}")
    if form not in FORMS:
        raise ValueError(f"form: expected one of {', '.join(map(repr, FORMS))}, got {form!r}")


def _check_dtype(dtype: Any, name: str = "dtype") -> torch.dtype:
    """A floating torch dtype (``torch.float32``, ``torch.float64``...)."""
    check_instance(dtype, name, torch.dtype, "a floating torch dtype such as torch.float64")
    if not dtype.is_floating_point:
        raise ValueError(f"{name}: expected a floating torch dtype, got {dtype}")
    return dtype


def _num_nodes(edge_index: Tensor, num_nodes: Any) -> int:
    if num_nodes is None:
        return int(edge_index.max()) + 1 if edge_index.numel() else 0
    return check_positive_int(num_nodes, "num_nodes", minimum=0)


def _check_lambda_max(lambda_max: Any) -> float:
    """A finite, positive largest eigenvalue: ``inf`` would turn ``2 L / lambda_max - I`` into
    ``-I`` without a word."""
    return check_number(lambda_max, "lambda_max", low=0, low_inclusive=False, finite=True)


def operator_size(L: Any, name: str = "L") -> int:
    """N for a square operator ``L`` (dense, torch sparse or SciPy); raise if it is not one."""
    if isinstance(L, Tensor):
        if L.dim() != 2:
            raise ValueError(f"{name}: expected a square [N, N] matrix, got shape {list(L.shape)}")
        shape = tuple(L.shape)
    elif sp.issparse(L):
        shape = L.shape
    elif isinstance(L, np.ndarray):
        raise TypeError(f"{name}: expected a torch tensor or a SciPy sparse matrix, got a NumPy "
                        "array (wrap it with torch.from_numpy)")
    else:
        raise TypeError(f"{name}: expected a torch tensor or a SciPy sparse matrix, "
                        f"got {type(L).__name__}")
    if shape[0] != shape[1]:
        raise ValueError(f"{name}: expected a square [N, N] matrix, got shape {list(shape)}")
    return int(shape[0])


def _check_signal(x: Any, num_nodes: int, name: str = "x") -> Tensor:
    check_tensor(x, name, floating=True)
    if x.dim() not in (1, 2):
        raise ValueError(f"{name}: expected shape [N] or [N, F], got {list(x.shape)}")
    if x.size(0) != num_nodes:
        raise ValueError(f"{name}: has {x.size(0)} rows but the operator has {num_nodes} nodes "
                         "(sizes must match)")
    return x


def _check_symmetric(L: Operator, name: str = "L", rtol: float = 1e-5) -> None:
    """Raise ``ValueError`` unless the square operator ``L`` equals its transpose within
    ``rtol`` times its largest entry: ``eigh`` and ``eigsh`` read one triangle only and return
    wrong eigenpairs for anything else, without a word.

    A directed ``edge_index`` (an edge listed in one direction only) is the usual cause, and
    so is the random-walk Laplacian ``I - D^-1 A``, which is not symmetric.
    """
    if sp.issparse(L) or L.layout != torch.strided:
        matrix = to_scipy(L)
        gap = float(abs(matrix - matrix.T).max()) if matrix.nnz else 0.0
        scale = float(abs(matrix).max()) if matrix.nnz else 0.0
    else:
        dense = L.detach()
        gap = float((dense - dense.t()).abs().max()) if dense.numel() else 0.0
        scale = float(dense.abs().max()) if dense.numel() else 0.0
    if not math.isfinite(gap) or gap > rtol * max(scale, 1.0):
        raise ValueError(
            f"{name}: expected a symmetric operator (eigh needs a symmetric operator), but "
            f"{name} differs from its transpose by up to {gap:.3g}; list every edge in both "
            "directions (torch_geometric.utils.to_undirected) and use normalization None or "
            "'sym' ('rw' is not symmetric)")


# --------------------------------------------------------------------------- Laplacians
def laplacian_edges(edge_index: Tensor, num_nodes: int | None = None,
                    edge_weight: Tensor | None = None, normalization: str | None = None,
                    dtype: torch.dtype = torch.float32) -> tuple[Tensor, Tensor]:
    """The Laplacian as an edge list: ``(index [2, E'], value [E'])`` with one entry per
    (non-loop) edge and one diagonal entry per node, the same entries as
    ``torch_geometric.utils.get_laplacian``.

    Args:
        edge_index: [2, E] edges ``(s, t)``, ``A[s, t] = w``.
        num_nodes: N (default: ``max id + 1``).
        edge_weight: [E] non-negative finite weights (default: all ones).
        normalization: ``None`` for ``L = D - A``; ``'sym'`` for ``I - D^-1/2 A D^-1/2``;
            ``'rw'`` for ``I - D^-1 A``. Nodes of degree 0 get ``L_vv = 1`` when normalised
            (and 0 in ``D - A``), as in PyG.
        dtype: floating type of the values.
    """
    _check_normalization(normalization)
    check_edge_index(edge_index, num_nodes)
    _check_dtype(dtype)
    n = _num_nodes(edge_index, num_nodes)
    if edge_weight is None:
        edge_weight = torch.ones(edge_index.size(1), dtype=dtype, device=edge_index.device)
    else:
        check_tensor(edge_weight, "edge_weight", ndim=1, floating=True)
        if edge_weight.numel() != edge_index.size(1):
            raise ValueError(f"edge_weight: expected {edge_index.size(1)} weights (one per edge "
                             f"of edge_index), got {edge_weight.numel()}")
        check_finite(edge_weight, "edge_weight")
        if edge_weight.numel() and float(edge_weight.min()) < 0:
            raise ValueError("edge_weight: negative weights are not allowed in a Laplacian "
                             f"(found {float(edge_weight.min()):.4g})")
        edge_weight = edge_weight.to(dtype)
    keep = edge_index[0] != edge_index[1]  # drop self-loops
    edge_index, edge_weight = edge_index[:, keep], edge_weight[keep]
    source, target = edge_index
    degree = torch.zeros(n, dtype=dtype, device=edge_weight.device)
    degree.index_add_(0, source, edge_weight)  # D_v = sum_t A[v, t]
    loops = torch.arange(n, device=edge_index.device)
    if normalization is None:
        off, diag = -edge_weight, degree
    elif normalization == "sym":
        inv_sqrt = degree.pow(-0.5).masked_fill(degree == 0, 0.0)
        off = -inv_sqrt[source] * edge_weight * inv_sqrt[target]
        diag = torch.ones(n, dtype=dtype, device=edge_weight.device)
    else:
        inv = degree.reciprocal().masked_fill(degree == 0, 0.0)
        off = -inv[source] * edge_weight
        diag = torch.ones(n, dtype=dtype, device=edge_weight.device)
    index = torch.cat([edge_index, torch.stack([loops, loops])], dim=1)  # [2, E' + N]
    return index, torch.cat([off, diag])


def _assemble(index: Tensor, value: Tensor, n: int, form: str) -> Operator:
    """Build an [n, n] operator in the requested form from (index, value) entries."""
    if form == "scipy":
        rows, cols = index.cpu().numpy()
        return sp.csr_matrix((value.detach().cpu().numpy(), (rows, cols)), shape=(n, n))
    matrix = torch.sparse_coo_tensor(index, value, (n, n), check_invariants=False).coalesce()
    if form == "dense":
        return matrix.to_dense()
    if form == "csr":
        with warnings.catch_warnings():  # "CSR support is in beta" is not for students
            warnings.simplefilter("ignore", UserWarning)
            return matrix.to_sparse_csr()
    return matrix


def laplacian(edge_index: Tensor, num_nodes: int | None = None,
              edge_weight: Tensor | None = None, normalization: str | None = None,
              form: str = "sparse", dtype: torch.dtype = torch.float32) -> Operator:
    """The graph Laplacian [N, N] of ``edge_index``.

    ``L = D - A`` (``normalization=None``), ``I - D^-1/2 A D^-1/2`` (``'sym'``) or
    ``I - D^-1 A`` (``'rw'``); entries as in :func:`laplacian_edges`. ``form`` picks the
    storage: ``'sparse'`` (torch COO, coalesced), ``'csr'`` (torch CSR), ``'dense'`` or
    ``'scipy'`` (``scipy.sparse.csr_matrix``). For a node v of an unweighted graph,
    ``(L x)_v = D_v x_v - sum_{u in N(v)} x_u``.
    """
    _check_form(form)
    index, value = laplacian_edges(edge_index, num_nodes, edge_weight, normalization, dtype)
    return _assemble(index, value, _num_nodes(edge_index, num_nodes), form)


def lambda_max_bound(edge_index: Tensor, num_nodes: int | None = None,
                     edge_weight: Tensor | None = None,
                     normalization: str | None = None) -> float:
    """An upper bound on the largest Laplacian eigenvalue, free to compute.

    2 for the normalised Laplacians (their spectrum lies in [0, 2]); ``2 max_v D_v`` for
    ``D - A`` (Gershgorin). These are the defaults PyG's ``ChebConv`` uses.
    """
    _check_normalization(normalization)
    _, value = laplacian_edges(edge_index, num_nodes, edge_weight, None, torch.float64)
    if normalization is not None:
        return 2.0
    return 2.0 * float(value.max()) if value.numel() else 0.0


def largest_eigenvalue(L: Operator) -> float:
    """The exact largest eigenvalue of a symmetric operator [N, N] (dense ``eigvalsh`` for
    N <= 400, SciPy ``eigsh`` otherwise); 0 for an empty graph."""
    n = operator_size(L)
    if n == 0:
        return 0.0
    _check_symmetric(L)
    if n <= 400:
        return float(torch.linalg.eigvalsh(_dense64(L))[-1])
    from scipy.sparse.linalg import eigsh

    return float(eigsh(to_scipy(L).astype(np.float64), k=1, which="LA",
                       return_eigenvectors=False)[0])


def scaled_laplacian(edge_index: Tensor, num_nodes: int | None = None,
                     edge_weight: Tensor | None = None, normalization: str | None = "sym",
                     lambda_max: float | None = None, form: str = "sparse",
                     dtype: torch.dtype = torch.float32) -> Operator:
    """ChebNet's rescaled Laplacian ``L~ = 2 L / lambda_max - I`` [N, N].

    With ``lambda_max`` the largest eigenvalue of ``L`` (a finite number > 0), the spectrum of
    ``L~`` lies in [-1, 1], where Chebyshev polynomials stay bounded. ``lambda_max=None`` uses
    :func:`lambda_max_bound` (2 for the normalised Laplacians, as PyG's ``ChebConv``);
    pass ``lambda_max=largest_eigenvalue(L)`` for the exact value (Kipf's code uses eigsh).
    """
    _check_form(form)
    if lambda_max is not None:
        lambda_max = _check_lambda_max(lambda_max)
    index, value = laplacian_edges(edge_index, num_nodes, edge_weight, normalization, dtype)
    n = _num_nodes(edge_index, num_nodes)
    if lambda_max is None:
        lambda_max = lambda_max_bound(edge_index, n, edge_weight, normalization)
        lambda_max = lambda_max or 1.0  # no edges: L = 0, and any scale gives L~ = -I
    value = 2.0 * value / lambda_max
    value[index.size(1) - n:] -= 1.0  # the last N entries are the diagonal
    return _assemble(index, value, n, form)


# --------------------------------------------------------------------------- conversions
def to_scipy(L: Operator) -> sp.csr_matrix:
    """Any operator [N, N] as a SciPy CSR matrix (same dtype)."""
    operator_size(L)
    if sp.issparse(L):
        return sp.csr_matrix(L)
    if L.layout == torch.sparse_coo:
        L = L.coalesce()
        rows, cols = L.indices().cpu().numpy()
        return sp.csr_matrix((L.values().detach().cpu().numpy(), (rows, cols)), shape=L.shape)
    if L.layout == torch.sparse_csr:
        return sp.csr_matrix((L.values().detach().cpu().numpy(),
                              L.col_indices().cpu().numpy(), L.crow_indices().cpu().numpy()),
                             shape=tuple(L.shape))
    return sp.csr_matrix(L.detach().cpu().numpy())


def to_dense(L: Operator) -> Tensor:
    """Any operator as a dense tensor [N, N] (only for small graphs)."""
    operator_size(L)
    if sp.issparse(L):
        return torch.from_numpy(np.asarray(L.toarray()))
    return L.to_dense() if L.layout != torch.strided else L


def _dense64(L: Operator) -> Tensor:
    return to_dense(L).detach().cpu().double()


def matmul(L: Operator, x: Tensor) -> Tensor:
    """``L @ x`` for a dense, torch sparse or SciPy operator; x [N] or [N, F] -> same shape.

    Sparse operators cost O(E F) per product and never densify. SciPy products run in NumPy
    (no gradient), torch ones keep the autograd graph for ``x``.
    """
    n = operator_size(L)
    _check_signal(x, n)
    vector = x.dim() == 1
    columns = x.unsqueeze(-1) if vector else x  # [N, F]
    if sp.issparse(L):
        out = torch.from_numpy(np.asarray(L @ columns.detach().cpu().numpy()))
        out = out.to(dtype=x.dtype, device=x.device)
    elif L.layout == torch.strided:
        out = L.to(x.dtype) @ columns
    else:
        out = torch.sparse.mm(L if L.dtype == x.dtype else L.to(x.dtype), columns)
    return out.squeeze(-1) if vector else out


def hop_distances(edge_index: Tensor, num_nodes: int | None = None) -> Tensor:
    """All-pairs hop distances [N, N] (float, ``inf`` if unreachable) by SciPy's BFS.

    Edges are followed in both directions. Used to check locality: ``(L^i)_{vu} = 0`` when
    ``dist(v, u) > i``.
    """
    from scipy.sparse.csgraph import shortest_path

    check_edge_index(edge_index, num_nodes)
    n = _num_nodes(edge_index, num_nodes)
    rows, cols = edge_index.cpu().numpy()
    graph = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))
    return torch.from_numpy(shortest_path(graph, directed=False, unweighted=True))
