"""Static plots and the drawings the explorers show, one module per topic.

Every plotting function draws on a given matplotlib ``ax`` (or a new one) and returns what it
drew on, so notebooks compose figures without copying plotting code; ``render_*`` functions
return PNG bytes for an ``ipywidgets.Image`` and ``*_summary`` functions the lines printed
under it. Everything is re-exported here (``viz.draw_graph(...)``):

- ``figures``: :func:`figure_png`, :func:`plot_embeddings`, :func:`plot_history`;
- ``graphs``: graphs, pixel grids and computation trees (chapters 01-02);
- ``spectral``: the filter playground and the spectral explorer (chapter 02);
- ``attention``: a GAT's attention per node, head and layer (chapter 03);
- ``transformer``: attention heatmaps and positional encodings (chapter 04);
- ``graphormer``: distances, the spatial bias and one node's attention row (chapter 05);
- ``sat``: a Transformer's and a SAT's attention side by side, alike nodes ringed (chapter 06);
- ``latent``: a 2-D code space, decoded points and lines between two images (chapter 07);
- ``gan``: a GAN's samples, its discriminator's surface and both losses (chapter 08);
- ``persona``: a memory network's attention over persona and memories, ranked replies (09).
"""

from .attention import (
                        draw_entropy_histogram,
                        draw_head_comparison,
                        draw_node_attention,
                        node_attention_summary,
                        render_attention,
)
from .figures import figure_png, plot_embeddings, plot_history
from .gan import (
                        draw_gan_losses,
                        draw_image_grid,
                        draw_samples_2d,
                        draw_surface,
                        gan_summary,
                        render_gan,
)
from .graphormer import (
                        draw_attention_by_distance,
                        draw_attention_row,
                        draw_bias_by_distance,
                        draw_distance_graph,
                        graphormer_summary,
                        render_graphormer,
)
from .graphs import (
                        draw_graph,
                        draw_image_graph,
                        draw_tree,
                        layout,
                        render_tree,
                        to_networkx,
                        tree_summary,
)
from .latent import draw_codes, draw_digit, draw_strip, latent_summary, render_latent
from .persona import (
                        draw_candidates,
                        draw_key_attention,
                        draw_persona_attention,
                        persona_summary,
                        render_persona,
)
from .sat import draw_sat_attention, render_sat, sat_summary
from .spectral import playground_summary, render_playground, render_spectral, spectral_summary
from .transformer import (
                        attention_view_summary,
                        plot_attention,
                        render_attention_view,
                        render_positional,
)

__all__ = [
    "figure_png", "plot_embeddings", "plot_history",
    "draw_graph", "draw_image_graph", "draw_tree", "layout", "render_tree", "to_networkx",
    "tree_summary",
    "playground_summary", "render_playground", "render_spectral", "spectral_summary",
    "draw_entropy_histogram", "draw_head_comparison", "draw_node_attention",
    "node_attention_summary", "render_attention",
    "attention_view_summary", "plot_attention", "render_attention_view", "render_positional",
    "draw_attention_by_distance", "draw_attention_row", "draw_bias_by_distance",
    "draw_distance_graph", "graphormer_summary", "render_graphormer",
    "draw_sat_attention", "render_sat", "sat_summary",
    "draw_codes", "draw_digit", "draw_strip", "latent_summary", "render_latent",
    "draw_gan_losses", "draw_image_grid", "draw_samples_2d", "draw_surface", "gan_summary",
    "render_gan",
    "draw_candidates", "draw_key_attention", "draw_persona_attention", "persona_summary",
    "render_persona",
]
