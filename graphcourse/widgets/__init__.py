"""Interactive explorers, one module per chapter topic.

Each explorer is a thin ipywidgets view over a pure function that computes what is drawn; the
pure functions are unit-tested without a browser. An explorer returns its widget, so ending a
cell with it shows it.

- ``khop``: k-hop neighbourhoods and computation trees (chapter 01).
- ``filters``: the polynomial-filter playground and the spectral explorer (chapter 02).
- ``graph_attention``: attention weights of a trained GAT per layer, head and node (chapter 03).
- ``transformer``: Transformer attention maps and positional encodings (chapter 04).
"""

from .filters import (
                      PlaygroundView,
                      SpectralView,
                      apply_filter,
                      eigenvector,
                      filter_kernel,
                      filter_playground,
                      grid_eigenvector,
                      grid_multiplicity,
                      make_input,
                      multiplicity,
                      playground,
                      sample_image,
                      spectral_explorer,
                      spectral_reconstruction,
                      spectral_view,
)
from .graph_attention import (
                      NodeAttention,
                      attention_by_label,
                      attention_entropy,
                      attention_explorer,
                      entropy_summary,
                      head_agreement,
                      node_attention,
                      uniform_entropy,
)
from .khop import ComputationTree, computation_tree, khop_explorer
from .transformer import (
                      AttentionView,
                      PositionalView,
                      attention_view,
                      plot_attention,
                      positional_encoding_explorer,
                      positional_view,
                      transformer_attention_explorer,
)

__all__ = [
    "ComputationTree", "computation_tree", "khop_explorer",
    "PlaygroundView", "apply_filter", "filter_kernel", "filter_playground", "make_input",
    "playground", "spectral_explorer", "spectral_reconstruction", "SpectralView", "spectral_view",
    "eigenvector", "grid_eigenvector", "multiplicity", "grid_multiplicity", "sample_image",
    "NodeAttention", "attention_by_label", "attention_entropy", "attention_explorer",
    "entropy_summary", "head_agreement", "node_attention", "uniform_entropy",
    "AttentionView", "PositionalView", "attention_view", "plot_attention",
    "positional_encoding_explorer", "positional_view", "transformer_attention_explorer",
]
