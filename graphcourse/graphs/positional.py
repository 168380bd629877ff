"""Absolute positional encodings of nodes: random-walk and Laplacian eigenvector PE (chapter 06).

A Transformer sees a set of nodes; these encodings tell it where each node sits in the graph.

- :func:`random_walk_pe`: RWPE (Dwivedi et al., ICLR 2022), the return probabilities
  ``[(D^-1 A)^i]_vv`` of a random walk for i = 1..dim. Unique, no sign or basis ambiguity.
- :func:`laplacian_pe`: LapPE (Dwivedi et al., "Benchmarking GNNs"), eigenvectors 1..dim of
  ``L_sym = I - D^-1/2 A D^-1/2``. Defined only up to sign (and up to a rotation inside a
  repeated eigenvalue), which :func:`random_sign_flip` exposes during training.
- :class:`AddPositionalEncodings`: a PyG transform that stores ``data.rwpe`` / ``data.lappe``
  on each graph, so datasets and ``DataLoader`` batches carry them.

Shapes: N nodes, E edges, K = ``dim`` encoding channels; encodings are float32 [N, K].
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor
from torch_geometric.data import Batch, Data
from torch_geometric.transforms import BaseTransform
from torch_geometric.utils import is_undirected

from .._validate import (
    _as_int,
    check_attributes,
    check_edge_index,
    check_instance,
    check_positive_int,
    check_tensor,
)
from .operators import laplacian
from .spectrum import _fix_signs


def _check_graph(edge_index: Any, num_nodes: Any, dim: Any) -> tuple[int, int]:
    """Check ``num_nodes`` (an int >= 0), ``edge_index`` (ids below it) and ``dim`` (>= 1)."""
    num_nodes = _as_int(num_nodes, "num_nodes")
    if num_nodes < 0:
        raise ValueError(f"num_nodes: expected an int >= 0, got {num_nodes}")
    check_edge_index(edge_index, num_nodes)
    return num_nodes, check_positive_int(dim, "dim")


def random_walk_pe(edge_index: Tensor, num_nodes: int, dim: int) -> Tensor:
    """Random-walk positional encoding [N, dim]: column i-1 is the diagonal of ``(D^-1 A)^i``.

    ``P = D^-1 A`` is the transition matrix of a random walk that leaves node s along one of
    its edges (s, t) at random: ``P[s, t] = A[s, t] / D_s`` with ``D_s`` the number of edges
    leaving s. Then ``pe[v, i - 1] = (P^i)[v, v]`` (i = 1..dim) is the probability that a walk
    started at v is back at v after i steps. On an undirected graph without self-loops the
    first column is 0, and on a bipartite graph so are the columns of odd walk lengths
    (i = 1, 3, ...); the numbers tell apart nodes that 1-WL cannot (a node on a triangle
    returns in 3 steps).

    Equal to PyG's ``AddRandomWalkPE(dim)`` on graphs without repeated edges (tested): a node
    without outgoing edges has a zero row of ``P`` and gets zeros; self-loops count as edges; a
    directed edge list is walked along its direction. A repeated edge counts twice here (a
    multigraph); PyG counts it in the degree but writes its entry once, so its rows of ``P``
    then sum to less than 1.

    Args:
        edge_index: [2, E] long edges ``(s, t)``.
        num_nodes: N (>= 0), so that isolated nodes at the end are counted.
        dim: number of walk lengths K (>= 1).
    Returns:
        float32 [N, K].
    """
    num_nodes, dim = _check_graph(edge_index, num_nodes, dim)
    source, target = edge_index
    device = edge_index.device
    degree = torch.zeros(num_nodes, dtype=torch.float64, device=device)
    degree.index_add_(0, source, torch.ones(source.numel(), dtype=torch.float64, device=device))
    weight = 1.0 / degree.clamp(min=1.0)[source]  # [E]: P[s, t] = 1 / D_s per edge
    if num_nodes <= 2000:
        P = torch.zeros(num_nodes, num_nodes, dtype=torch.float64, device=device)
        P.index_put_((source, target), weight, accumulate=True)  # [N, N]
        power, columns = P, [P.diagonal()]
        for _ in range(dim - 1):
            power = power @ P
            columns.append(power.diagonal())
    else:  # sparse products, as PyG does above 2,000 nodes
        P = torch.sparse_coo_tensor(edge_index, weight, (num_nodes, num_nodes)).coalesce()
        power, columns = P, []
        for step in range(dim):
            if step:
                power = torch.sparse.mm(power, P).coalesce()
            index, value = power.indices(), power.values()
            on_diagonal = index[0] == index[1]
            diagonal = torch.zeros(num_nodes, dtype=torch.float64, device=device)
            diagonal[index[0, on_diagonal]] = value[on_diagonal]
            columns.append(diagonal)
    return torch.stack(columns, dim=1).float()  # [N, K]


def laplacian_pe(edge_index: Tensor, num_nodes: int, dim: int) -> Tensor:
    """Laplacian eigenvector positional encoding [N, dim].

    ``L_sym = I - D^-1/2 A D^-1/2 = U Lambda U^T`` with eigenvalues ascending
    ``0 = lambda_0 <= lambda_1 <= ... <= lambda_{N-1} <= 2``; the encoding is the columns
    ``u_1 .. u_dim`` (the first, eigenvalue 0 and proportional to ``D^1/2 1``, carries no
    position and is skipped). Low frequencies first: nearby nodes get similar rows.

    Ambiguities, and how they are handled:

    - **Sign**: ``u`` and ``-u`` are both unit eigenvectors. Each column is flipped so that its
      largest-magnitude entry is positive, which makes it repeatable (and equivariant under
      relabelling the nodes) unless two entries tie in magnitude. A model should not rely on
      the sign: train with :func:`random_sign_flip`.
    - **Repeated eigenvalues** (a cycle, a star, several components, where 0 itself repeats):
      any orthonormal basis of the eigenspace is valid, and which one ``eigh`` returns depends
      on the LAPACK build and the node order; only the subspace is well defined. The same
      holds when ``dim`` cuts through a repeated eigenvalue. Nothing here picks a canonical
      basis; the tests compare eigenspaces (projectors), not columns, there.

    If ``dim >= N`` there are only N - 1 such eigenvectors: the remaining columns are zeros.
    Self-loops are ignored and repeated edges count twice; isolated nodes have
    ``L_vv = 1`` (as in PyG's ``get_laplacian``). Equal to PyG's
    ``AddLaplacianEigenvectorPE(dim)`` up to these ambiguities (PyG draws a random sign per
    column each call). Dense ``eigh`` in float64: O(N^3) time.

    Args:
        edge_index: [2, E] long, undirected (every edge in both directions; ``eigh`` needs a
            symmetric operator, so a directed edge list is refused).
        num_nodes: N (>= 0).
        dim: K (>= 1).
    Returns:
        float32 [N, K].
    """
    num_nodes, dim = _check_graph(edge_index, num_nodes, dim)
    if edge_index.numel() and not is_undirected(edge_index, num_nodes=num_nodes):
        raise ValueError("edge_index: expected an undirected graph (every edge listed in both "
                         "directions), since the eigenvectors of L_sym need a symmetric "
                         "operator; use torch_geometric.utils.to_undirected(edge_index)")
    pe = torch.zeros(num_nodes, dim, dtype=torch.float32, device=edge_index.device)
    if num_nodes < 2:
        return pe
    L = laplacian(edge_index, num_nodes, normalization="sym", form="dense",
                  dtype=torch.float64)  # [N, N]
    _, vectors = torch.linalg.eigh(L)  # ascending eigenvalues, [N, N]
    kept = min(dim, num_nodes - 1)
    pe[:, :kept] = _fix_signs(vectors[:, 1:kept + 1]).float() + 0.0  # + 0.0: no -0.0
    return pe


def random_sign_flip(pe: Tensor, generator: torch.Generator | None = None) -> Tensor:
    """``pe`` [N, K] with each column multiplied by an independent random sign ``±1``.

    Used on Laplacian encodings during training (Dwivedi et al.), so that the model learns to
    ignore the arbitrary sign of each eigenvector. ``generator`` (a ``torch.Generator``) makes
    the signs repeatable; by default torch's global generator draws them.
    """
    check_tensor(pe, "pe", ndim=2, floating=True)
    if generator is not None:
        check_instance(generator, "generator", torch.Generator, "a torch.Generator or None")
    device = generator.device if generator is not None else pe.device
    signs = torch.randint(0, 2, (pe.size(1),), generator=generator, device=device)  # [K]
    return pe * (2 * signs - 1).to(device=pe.device, dtype=pe.dtype)


class AddPositionalEncodings(BaseTransform):
    """PyG transform storing ``data.rwpe`` [N, rw_dim] and/or ``data.lappe`` [N, lap_dim].

    ``rwpe = random_walk_pe(data.edge_index, N, rw_dim)`` and ``lappe = laplacian_pe(...,
    lap_dim)`` (the deterministic sign; flip signs yourself while training). A dimension of 0
    leaves that encoding out; at least one must be positive. Apply it to single graphs (as a
    dataset's ``transform``, or to each graph of a list) before batching: a ``DataLoader``
    batch then stacks the rows, [N_total, K]. A ``Batch`` is refused, since the Laplacian of a
    block-diagonal graph mixes the eigenvectors of its graphs.

    Example: ``graphs = [AddPositionalEncodings(rw_dim=16)(g) for g in graphs]``.
    """

    def __init__(self, rw_dim: int = 0, lap_dim: int = 0) -> None:
        self.rw_dim = check_positive_int(rw_dim, "rw_dim", minimum=0)
        self.lap_dim = check_positive_int(lap_dim, "lap_dim", minimum=0)
        if self.rw_dim == 0 and self.lap_dim == 0:
            raise ValueError("rw_dim, lap_dim: expected at least one of them >= 1 (both are 0, "
                             "so the transform would add nothing)")

    def forward(self, data: Data) -> Data:
        if isinstance(data, Batch):
            raise TypeError("data: expected a single graph (torch_geometric.data.Data), got a "
                            "Batch; apply the transform to each graph before batching")
        check_instance(data, "data", Data, "a torch_geometric.data.Data")
        check_attributes(data, "data", ["edge_index"])
        num_nodes = data.num_nodes
        if num_nodes is None:
            raise ValueError("data: missing attribute 'num_nodes' (set data.num_nodes or data.x)")
        if self.rw_dim:
            data.rwpe = random_walk_pe(data.edge_index, num_nodes, self.rw_dim)
        if self.lap_dim:
            data.lappe = laplacian_pe(data.edge_index, num_nodes, self.lap_dim)
        return data

    def __repr__(self) -> str:
        return f"{type(self).__name__}(rw_dim={self.rw_dim}, lap_dim={self.lap_dim})"
