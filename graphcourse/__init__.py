"""graphcourse: the helper package of the course on learning with graphs and attention.

Modules, one concern each (import the ones a chapter needs)::

    graphcourse.settings     run profiles and each chapter's table of fast/full settings
    graphcourse.train        setup, seeding, the fit loop, full-batch node classification
    graphcourse.devices      device choice and moving models, graphs and batches
    graphcourse.checkpoints  save / load weights with a SHA-256 sidecar
    graphcourse.metrics      accuracy over a node mask, token accuracy
    graphcourse.data         karate club, digits k-NN graph, pixel grids, Planetoid, CSL,
                             1-WL pairs, molecules from SMILES
    graphcourse.graphs       Laplacians, polynomial and Chebyshev filters, spectra,
                             computation trees, filters on pixel grids
    graphcourse.structure    shortest-path distances and paths, 1-WL colour refinement
    graphcourse.sequences    synthetic token-sequence tasks (reverse, sort, copy)
    graphcourse.nn           the layers and models the chapters build; nn.analysis: attention
                             statistics
    graphcourse.viz          drawing: graphs, trees, spectra, attention maps, training curves
    graphcourse.widgets      interactive explorers (thin views over pure functions)
    graphcourse.checks       self-checks used by the exercises' test cells
    graphcourse.grading      the nbgrader feedback preprocessor

Every public function validates its arguments by the policy at the top of ``_validate.py``.
"""

__version__ = "0.1.0"
