"""graphcourse: the helper package of the course on learning with graphs and attention.

Modules, one per concept (import the ones a chapter needs)::

    graphcourse.train    setup, seeding, device, run profile, the fit loop, checkpoints
    graphcourse.data     karate club, digits k-NN graph, pixel grids, Planetoid
    graphcourse.graphs   Laplacians, polynomial and Chebyshev filters, spectra
    graphcourse.sequences  synthetic token-sequence tasks (reverse, sort, copy)
    graphcourse.nn       the layers and models the chapters build
    graphcourse.viz      static plots
    graphcourse.widgets  interactive explorers (thin views over pure functions)
    graphcourse.checks   self-checks used by the exercises' test cells
"""

__version__ = "0.1.0"
