"""Graph Laplacians, polynomial and Chebyshev filters, spectra and computation trees.

Source: Daigavane, Ravindran, Aggarwal, "Understanding Convolutions on Graphs", Distill 2021;
ChebNet (Defferrard, Bresson, Vandergheynst, NIPS 2016); GCN (Kipf & Welling, ICLR 2017).

One module per concern, everything re-exported here (``graphs.laplacian(...)``):

- ``operators``: Laplacians ``D - A``, ``L_sym``, ``L_rw`` and ChebNet's scaled ``L~`` in four
  storage forms, conversions, products, hop distances (chapter 02);
- ``filters``: polynomial filters ``sum_i w_i L^i x``, Chebyshev filters, the low-pass filter;
- ``spectrum``: eigenpairs, eigenspaces, the graph Fourier transform, Rayleigh quotients and
  spectral filtering;
- ``images``: images as signals on their pixel grid, what chapter 02's explorers show;
- ``trees``: the computation tree a k-layer GNN unrolls at a node (chapter 01);
- ``positional``: random-walk and Laplacian positional encodings of nodes, and a PyG
  transform that stores them on each graph (chapter 06).

Notation: N nodes, E edges, F features; operators ``L`` are [N, N] (dense, torch sparse or
SciPy), signals ``x`` are [N] or [N, F].
"""

from .filters import (
                      chebyshev_basis,
                      chebyshev_filter,
                      filter_matrix,
                      low_pass_polynomial,
                      low_pass_response,
                      polynomial_filter,
                      polynomial_to_chebyshev,
)
from .operators import (
                      FORMS,
                      NORMALIZATIONS,
                      Operator,
                      hop_distances,
                      lambda_max_bound,
                      laplacian,
                      laplacian_edges,
                      largest_eigenvalue,
                      matmul,
                      operator_size,
                      scaled_laplacian,
                      to_dense,
                      to_scipy,
)
from .positional import (
                      AddPositionalEncodings,
                      laplacian_pe,
                      random_sign_flip,
                      random_walk_pe,
)
from .spectrum import (
                      eigenspaces,
                      eigenvector,
                      gft,
                      igft,
                      laplacian_eigs,
                      multiplicity,
                      rayleigh_quotient,
                      spectral_filter,
)
from .trees import ComputationTree, computation_tree

__all__ = [
    "FORMS", "NORMALIZATIONS", "Operator", "hop_distances", "lambda_max_bound", "laplacian",
    "laplacian_edges", "largest_eigenvalue", "matmul", "operator_size", "scaled_laplacian",
    "to_dense", "to_scipy",
    "chebyshev_basis", "chebyshev_filter", "filter_matrix", "low_pass_polynomial",
    "low_pass_response", "polynomial_filter", "polynomial_to_chebyshev",
    "eigenspaces", "eigenvector", "gft", "igft", "laplacian_eigs", "multiplicity",
    "rayleigh_quotient", "spectral_filter",
    "ComputationTree", "computation_tree",
    "AddPositionalEncodings", "laplacian_pe", "random_sign_flip", "random_walk_pe",
]
