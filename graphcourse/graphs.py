"""Graph Laplacians, polynomial and Chebyshev filters, and spectral tools (chapter 02).

Source: Daigavane, Ravindran, Aggarwal, "Understanding Convolutions on Graphs", Distill 2021;
ChebNet (Defferrard, Bresson, Vandergheynst, NIPS 2016); GCN (Kipf & Welling, ICLR 2017).

Notation: N nodes, E edges, F features. ``edge_index`` [2, E] lists edges ``(s, t)``; the
adjacency matrix has ``A[s, t] = w`` (as ``torch_geometric.utils.to_dense_adj``) and the degree
is the row sum ``D_v = sum_t A[v, t]``. The course's graphs are undirected (both directions
listed), so ``A`` is symmetric. Self-loops are dropped, as ``get_laplacian`` does.

- Laplacians: combinatorial ``L = D - A``, symmetric ``L_sym = I - D^-1/2 A D^-1/2``,
  random-walk ``L_rw = I - D^-1 A``; ChebNet's scaled ``L~ = 2 L / lambda_max - I``.
  Forms: ``'sparse'`` (torch COO), ``'csr'`` (torch CSR), ``'dense'`` and ``'scipy'``.
- Filters: ``p_w(L) x = sum_i w_i L^i x`` by repeated products (``L^i`` is never formed), and
  Chebyshev filters ``sum_k w_k T_k(L~) x`` by ``T_k = 2 L~ T_{k-1} - T_{k-2}``.
- Spectra: eigenpairs (dense, or SciPy ``eigsh`` for the first m), the graph Fourier
  transform ``x^ = U^T x`` and its inverse ``x = U x^``, the Rayleigh quotient
  ``x^T L x / x^T x``, spectral filtering ``U g(Lambda) U^T x``, and the grouping of
  repeated eigenvalues into eigenspaces (whose eigenvectors are not unique).

Every function that takes an operator ``L`` accepts a dense tensor [N, N], a torch sparse
tensor (COO or CSR) or a SciPy sparse matrix, and ``x`` as [N] or [N, F].
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
import torch
from torch import Tensor

from ._validate import check_edge_index, check_number, check_positive_int, check_tensor

NORMALIZATIONS = (None, "sym", "rw")
FORMS = ("sparse", "csr", "dense", "scipy")
Operator = Tensor | sp.spmatrix | sp.sparray


# --------------------------------------------------------------------------- checks
def _check_normalization(normalization: Any) -> None:
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization: expected None, 'sym' or 'rw', got {normalization!r}")


def _check_form(form: Any) -> None:
    if form not in FORMS:
        raise ValueError(f"form: expected one of {', '.join(map(repr, FORMS))}, got {form!r}")


def _num_nodes(edge_index: Tensor, num_nodes: int | None) -> int:
    if num_nodes is None:
        return int(edge_index.max()) + 1 if edge_index.numel() else 0
    return check_positive_int(num_nodes, "num_nodes", minimum=0)


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


def _check_weights(weights: Any, name: str = "weights") -> list[float] | Tensor:
    """Coefficients w_0..w_d as a 1-D tensor (kept, so gradients flow) or a list of floats."""
    if isinstance(weights, Tensor):
        if weights.dim() != 1 or weights.numel() == 0:
            raise ValueError(f"{name}: expected a non-empty 1-D tensor [d + 1], "
                             f"got shape {list(weights.shape)}")
        return weights
    if isinstance(weights, np.ndarray):
        weights = weights.tolist()
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
        raise TypeError(f"{name}: expected a sequence of numbers or a 1-D tensor, "
                        f"got {type(weights).__name__}")
    if len(weights) == 0:
        raise ValueError(f"{name}: expected at least one coefficient (w_0), got none")
    try:
        return [float(w) for w in weights]
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected numbers, got {list(weights)!r}") from None


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
        edge_weight: [E] non-negative weights (default: all ones).
        normalization: ``None`` for ``L = D - A``; ``'sym'`` for ``I - D^-1/2 A D^-1/2``;
            ``'rw'`` for ``I - D^-1 A``. Nodes of degree 0 get ``L_vv = 1`` when normalised
            (and 0 in ``D - A``), as in PyG.
        dtype: floating type of the values.
    """
    _check_normalization(normalization)
    check_edge_index(edge_index, num_nodes)
    n = _num_nodes(edge_index, num_nodes)
    if edge_weight is None:
        edge_weight = torch.ones(edge_index.size(1), dtype=dtype, device=edge_index.device)
    else:
        check_tensor(edge_weight, "edge_weight", ndim=1, floating=True)
        if edge_weight.numel() != edge_index.size(1):
            raise ValueError(f"edge_weight: expected {edge_index.size(1)} weights (one per edge "
                             f"of edge_index), got {edge_weight.numel()}")
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
    if normalization is not None:
        return 2.0
    _, value = laplacian_edges(edge_index, num_nodes, edge_weight, None, torch.float64)
    return 2.0 * float(value.max()) if value.numel() else 0.0


def largest_eigenvalue(L: Operator) -> float:
    """The exact largest eigenvalue of a symmetric operator (dense ``eigvalsh`` for small N,
    SciPy ``eigsh`` otherwise)."""
    n = operator_size(L)
    if n == 0:
        return 0.0
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

    With ``lambda_max`` the largest eigenvalue of ``L``, the spectrum of ``L~`` lies in
    [-1, 1], where Chebyshev polynomials stay bounded. ``lambda_max=None`` uses
    :func:`lambda_max_bound` (2 for the normalised Laplacians, as PyG's ``ChebConv``);
    pass ``lambda_max=largest_eigenvalue(L)`` for the exact value (Kipf's code uses eigsh).
    """
    _check_form(form)
    index, value = laplacian_edges(edge_index, num_nodes, edge_weight, normalization, dtype)
    n = _num_nodes(edge_index, num_nodes)
    if lambda_max is None:
        lambda_max = lambda_max_bound(edge_index, n, edge_weight, normalization)
        lambda_max = lambda_max or 1.0  # no edges: L = 0, and any scale gives L~ = -I
    lambda_max = check_number(lambda_max, "lambda_max", low=0, low_inclusive=False)
    value = 2.0 * value / lambda_max
    value[index.size(1) - n:] -= 1.0  # the last N entries are the diagonal
    return _assemble(index, value, n, form)


# --------------------------------------------------------------------------- conversions
def to_scipy(L: Operator) -> sp.csr_matrix:
    """Any operator as a SciPy CSR matrix (same dtype)."""
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


# --------------------------------------------------------------------------- filters
def polynomial_filter(L: Operator, x: Tensor, weights: Sequence[float] | Tensor) -> Tensor:
    """``p_w(L) x = sum_{i=0}^{d} w_i L^i x`` by d products with ``L``.

    ``L^i`` is never formed: ``z_0 = x``, ``z_i = L z_{i-1}``, ``out = sum_i w_i z_i``, so a
    sparse ``L`` costs O(d E F) time and O(N F) extra memory. Degree d means the output at v
    only depends on nodes at most d hops away.

    Args:
        L: [N, N] operator (dense, torch sparse or SciPy).
        x: [N] or [N, F] signal.
        weights: w_0..w_d (a sequence or a 1-D tensor; a tensor keeps gradients).
    Returns:
        same shape as x. Use a torch operator when gradients must flow through ``x``: SciPy
        products run in NumPy and are not recorded by autograd.
    """
    n = operator_size(L)
    _check_signal(x, n)
    weights = _check_weights(weights)
    z = x
    out = weights[0] * x
    for w in weights[1:]:
        z = matmul(L, z)  # z_i = L z_{i-1}
        out = out + w * z
    return out


def chebyshev_basis(L_scaled: Operator, x: Tensor, degree: int) -> list[Tensor]:
    """``[T_0(L~) x, ..., T_d(L~) x]`` by the recurrence (d products with ``L~``).

    ``T_0 x = x``, ``T_1 x = L~ x``, ``T_k x = 2 L~ T_{k-1} x - T_{k-2} x``. ``degree`` is the
    polynomial degree d >= 0, so the list holds d + 1 terms. (PyG's ``ChebConv(..., K)`` and
    :class:`graphcourse.nn.ChebLayer` count terms instead: ``K = d + 1``.)
    """
    n = operator_size(L_scaled, "L_scaled")
    _check_signal(x, n)
    if isinstance(degree, bool) or not isinstance(degree, int):
        raise TypeError(f"degree: expected an int, got {type(degree).__name__}")
    if degree < 0:
        raise ValueError(f"degree: expected a polynomial degree >= 0, got {degree}")
    terms = [x]
    if degree >= 1:
        terms.append(matmul(L_scaled, x))
    for _ in range(2, degree + 1):
        terms.append(2.0 * matmul(L_scaled, terms[-1]) - terms[-2])
    return terms


def chebyshev_filter(L_scaled: Operator, x: Tensor, weights: Sequence[float] | Tensor) -> Tensor:
    """``sum_{k=0}^{d} w_k T_k(L~) x`` with Chebyshev polynomials T_k of the scaled Laplacian.

    ``weights`` holds the d + 1 coefficients w_0..w_d (degree d). ``L_scaled`` should have
    its spectrum in [-1, 1] (see :func:`scaled_laplacian`); then every ``T_k(L~)`` has norm at
    most 1 and high orders stay stable. x [N] or [N, F].
    """
    weights = _check_weights(weights)
    terms = chebyshev_basis(L_scaled, x, len(weights) - 1)
    out = weights[0] * terms[0]
    for w, term in zip(weights[1:], terms[1:]):
        out = out + w * term
    return out


def polynomial_to_chebyshev(weights: Sequence[float], lambda_max: float = 2.0) -> list[float]:
    """Rewrite ``p_w(L) = sum_i w_i L^i`` as ``sum_k c_k T_k(L~)`` with ``L~ = 2L/lambda_max - I``.

    Both bases span the polynomials of degree d, so any polynomial filter is a ChebNet filter
    with the returned coefficients c_0..c_d (and the other way round).
    """
    from numpy.polynomial import Chebyshev, Polynomial

    weights = _check_weights(weights)
    if isinstance(weights, Tensor):
        weights = [float(w) for w in weights.detach().cpu().tolist()]
    lambda_max = check_number(lambda_max, "lambda_max", low=0, low_inclusive=False)
    half = lambda_max / 2.0
    in_mu = Polynomial(weights)(Polynomial([half, half]))  # L = (lambda_max / 2)(L~ + I)
    coef = in_mu.convert(kind=Chebyshev).coef
    out = [float(c) for c in coef] + [0.0] * (len(weights) - len(coef))
    return out[:len(weights)]


def filter_matrix(L: Operator, weights: Sequence[float] | Tensor) -> Tensor:
    """The dense matrix ``p_w(L)`` [N, N] (small graphs only: row v is the kernel at v)."""
    n = operator_size(L)
    eye = torch.eye(n, dtype=torch.float64)
    return polynomial_filter(_dense64(L), eye, weights)


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


# --------------------------------------------------------------------------- spectra
def _fix_signs(vectors: Tensor) -> Tensor:
    """Flip each eigenvector so that its largest-magnitude entry is positive.

    The sign of an eigenvector is arbitrary; this makes it repeatable for a simple eigenvalue
    whose largest entry is not tied in magnitude with another entry. It cannot make the
    basis of a repeated eigenvalue repeatable (see :func:`laplacian_eigs`)."""
    index = vectors.abs().argmax(dim=0)  # [m]
    signs = torch.sign(vectors[index, torch.arange(vectors.size(1))])
    signs[signs == 0] = 1.0
    return vectors * signs


def laplacian_eigs(L: Operator, m: int | None = None, method: str = "auto",
                   dtype: torch.dtype = torch.float32) -> tuple[Tensor, Tensor]:
    """The m smallest eigenpairs of a symmetric Laplacian: ``(Lambda [m], U [N, m])``.

    Eigenvalues ascend (low to high frequency); columns of U are orthonormal, each with its
    largest-magnitude entry positive. ``method='dense'`` runs ``torch.linalg.eigh`` on the
    dense matrix (O(N^3) time, O(N^2) memory); ``'sparse'`` runs SciPy's ``eigsh`` in
    shift-invert mode for the first m pairs only; ``'auto'`` picks dense when N <= 2000 or
    m is None.

    Repeated eigenvalues: the eigenvectors of an eigenvalue of multiplicity r > 1 are not
    unique. Any orthonormal basis of its r-dimensional eigenspace is a valid answer, and
    which one the solver returns depends on the LAPACK build, the CPU and the order of the
    nodes. Only the eigenspace (the projection ``U_E U_E^T``) is well defined; see
    :func:`eigenspaces`. The same holds when m cuts through a repeated eigenvalue.
    """
    n = operator_size(L)
    if m is None:
        m = n
    m = check_positive_int(m, "m")
    if m > n:
        raise ValueError(f"m: asked for {m} eigenpairs of a graph with only {n} nodes")
    if method not in ("auto", "dense", "sparse"):
        raise ValueError(f"method: expected 'auto', 'dense' or 'sparse', got {method!r}")
    if method == "auto":
        method = "dense" if (n <= 2000 or m == n) else "sparse"
    if method == "sparse" and m >= n - 1:
        raise ValueError(f"m: the sparse solver needs m < N - 1 (N={n}); use method='dense'")
    if method == "dense":
        values, vectors = torch.linalg.eigh(_dense64(L))
        values, vectors = values[:m], vectors[:, :m]
    else:
        from scipy.sparse.linalg import eigsh

        matrix = to_scipy(L).astype(np.float64)
        start = np.random.default_rng(0).standard_normal(n)  # repeatable start vector
        vals, vecs = eigsh(matrix, k=m, sigma=-1e-3, which="LM", v0=start)
        order = np.argsort(vals)
        values = torch.from_numpy(vals[order])
        vectors = torch.from_numpy(np.ascontiguousarray(vecs[:, order]))
    return values.to(dtype), _fix_signs(vectors).to(dtype)


def eigenspaces(eigenvalues: Tensor, tol: float = 1e-6) -> list[range]:
    """Group ascending eigenvalues into eigenspaces: ``[range(0, 1), range(1, 3), ...]``.

    Consecutive eigenvalues closer than ``tol`` share a group; a group of length r > 1 is an
    eigenvalue of multiplicity r, whose eigenvectors are defined only up to a rotation
    within the group. A cut ``U[:, :m]`` is well defined only if m is the end of a group.

    Example: the 4-cycle has eigenvalues (0, 2, 2, 4) of ``D - A``, so
    ``eigenspaces(tensor([0., 2., 2., 4.]))`` is ``[range(0, 1), range(1, 3), range(3, 4)]``.
    """
    check_tensor(eigenvalues, "eigenvalues", ndim=1, floating=True)
    tol = check_number(tol, "tol", low=0)
    values = eigenvalues.detach().cpu().double().tolist()
    if any(b < a - tol for a, b in zip(values, values[1:])):
        raise ValueError("eigenvalues: expected them in ascending order")
    groups, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] - values[i - 1] > tol:
            groups.append(range(start, i))
            start = i
    return groups


def gft(x: Tensor, U: Tensor) -> Tensor:
    """Graph Fourier transform ``x^ = U^T x``: x [N] or [N, F], U [N, m] -> [m] or [m, F].

    Entry k measures how much of x lies along eigenvector k (frequency lambda_k).
    """
    check_tensor(U, "U", ndim=2, floating=True)
    _check_signal(x, U.size(0))
    return U.t().to(x.dtype) @ x


def igft(x_hat: Tensor, U: Tensor) -> Tensor:
    """Inverse transform ``x = U x^``: x_hat [m] or [m, F], U [N, m] -> [N] or [N, F].

    With m < N this rebuilds the projection of x on the first m (smoothest) eigenvectors.
    """
    check_tensor(U, "U", ndim=2, floating=True)
    check_tensor(x_hat, "x_hat", floating=True)
    if x_hat.dim() not in (1, 2) or x_hat.size(0) != U.size(1):
        raise ValueError(f"x_hat: expected shape [{U.size(1)}] or [{U.size(1)}, F] to match U "
                         f"with {U.size(1)} columns, got {list(x_hat.shape)}")
    return U.to(x_hat.dtype) @ x_hat


def rayleigh_quotient(L: Operator, x: Tensor) -> Tensor:
    """``R_L(x) = x^T L x / x^T x``: 0-d for x [N], [F] (one per column) for x [N, F].

    For ``L = D - A`` it equals ``sum_{(u, v) in E} (x_u - x_v)^2 / sum_v x_v^2`` (each
    undirected edge once): small for smooth signals; for an eigenvector it is the eigenvalue.
    """
    n = operator_size(L)
    _check_signal(x, n)
    energy = (x * matmul(L, x)).sum(dim=0)
    norm = (x * x).sum(dim=0)
    if bool((norm == 0).any()):
        raise ValueError("x: the Rayleigh quotient is undefined for a zero signal")
    return energy / norm


def spectral_filter(x: Tensor, eigenvalues: Tensor, eigenvectors: Tensor,
                    response: Callable[[Tensor], Tensor] | Tensor) -> Tensor:
    """``U g(Lambda) U^T x``: filter x [N] or [N, F] in the spectral domain.

    ``response`` is either a function g applied to the eigenvalues [m] or the values g(lambda_k)
    themselves, as a tensor [m] (one per eigenvector, shared by all features) or [m, F].
    With m < N, components beyond the first m are dropped (treated as g = 0).
    """
    check_tensor(eigenvalues, "eigenvalues", ndim=1, floating=True)
    check_tensor(eigenvectors, "eigenvectors", ndim=2, floating=True)
    if eigenvectors.size(1) != eigenvalues.numel():
        raise ValueError(f"eigenvectors: expected {eigenvalues.numel()} columns (one per "
                         f"eigenvalue), got {eigenvectors.size(1)}")
    gains = response(eigenvalues) if callable(response) else response
    check_tensor(gains, "response", floating=True)
    if gains.dim() not in (1, 2) or gains.size(0) != eigenvalues.numel():
        raise ValueError(f"response: expected {eigenvalues.numel()} values (one per "
                         f"eigenvalue), as shape [m] or [m, F], got shape {list(gains.shape)}")
    x_hat = gft(x, eigenvectors)  # [m] or [m, F]
    if gains.dim() == 1 and x_hat.dim() == 2:
        gains = gains.unsqueeze(-1)  # [m, 1]
    return igft(gains.to(x_hat.dtype) * x_hat, eigenvectors)


def low_pass_response(eigenvalues: Tensor, steps: int, alpha: float = 0.5) -> Tensor:
    """The low-pass response ``g(lambda) = (1 - alpha lambda)^steps`` used in "one filter,
    three ways": ``steps`` rounds of ``x <- x - alpha L x``."""
    check_positive_int(steps, "steps", minimum=0)
    return (1.0 - alpha * eigenvalues) ** steps


def low_pass_polynomial(steps: int, alpha: float = 0.5) -> list[float]:
    """Monomial coefficients w_0..w_steps of ``(1 - alpha L)^steps`` (binomial expansion), so
    that ``polynomial_filter(L, x, low_pass_polynomial(k, a))`` applies the low-pass filter."""
    from math import comb

    check_positive_int(steps, "steps", minimum=0)
    return [comb(steps, i) * (-alpha) ** i for i in range(steps + 1)]
