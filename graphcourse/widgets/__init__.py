"""Interactive explorers, one module per chapter topic.

Each explorer is a thin ipywidgets view over a pure function that computes what is drawn; the
pure functions are unit-tested without a browser. An explorer returns its widget, so ending a
cell with it shows it.

- ``khop``: k-hop neighbourhoods and computation trees (chapter 01).
"""

from .khop import ComputationTree, computation_tree, khop_explorer

__all__ = ["ComputationTree", "computation_tree", "khop_explorer"]
