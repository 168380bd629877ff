"""Interactive explorers, one module per chapter topic.

Each explorer checks its arguments, builds its controls and wires them to pure functions (in
:mod:`graphcourse.graphs` and :mod:`graphcourse.nn.analysis`, unit-tested without a browser)
and to the drawings in :mod:`graphcourse.viz`. An explorer returns its widget, so ending a
cell with it shows it.

- ``khop``: k-hop neighbourhoods and computation trees (chapter 01).
- ``filters``: the polynomial-filter playground and the spectral explorer (chapter 02).
- ``graph_attention``: attention weights of a trained GAT per layer, head and node (chapter 03).
- ``transformer``: Transformer attention maps and positional encodings (chapter 04).
- ``graphormer``: distances, learned spatial bias and attention rows of a Graphormer (05).
- ``sat``: a Transformer's and a SAT's attention side by side, alike nodes ringed (06).
- ``latent``: a 2-D code space, decoded points, code lines against pixel blends (07).
- ``gan``: a GAN's samples, discriminator and losses over the saved training steps (08).
- ``persona``: a memory network's attention over persona and memories for one turn (09).
"""

from .filters import filter_playground, spectral_explorer
from .gan import gan_explorer
from .graph_attention import attention_explorer
from .graphormer import graphormer_explorer
from .khop import khop_explorer
from .latent import latent_explorer
from .persona import persona_explorer
from .sat import sat_explorer
from .transformer import positional_encoding_explorer, transformer_attention_explorer

__all__ = [
    "khop_explorer", "filter_playground", "spectral_explorer", "attention_explorer",
    "positional_encoding_explorer", "transformer_attention_explorer", "graphormer_explorer",
    "sat_explorer", "latent_explorer", "gan_explorer", "persona_explorer",
]
