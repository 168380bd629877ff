"""What every explorer shares: a drawing in an ``ipywidgets.Image`` and its numbers in an
``HTML`` widget, or, when a control's value cannot be handled, the error in their place.

The explorers draw into an ``ipywidgets.Image`` (PNG bytes) with an ``HTML`` widget for the
numbers, never into an ``ipywidgets.Output``: while a cell that writes into an Output widget
runs under a headless client (nbconvert, nbval, nbgrader's autograde), the client mimics the
widget by sending comm messages to the kernel on the channel where it waits for the cell's
reply, and nbclient can then miss the reply until the cell's timeout (nbclient issue #312).
A redraw only sets widget values; figures are made without pyplot (see
:func:`graphcourse.viz.figure_png`), so nothing is displayed or left open as a side effect.
Only widgets and options that ipywidgets 7.7 and 8 both have are used.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any


def pre(lines: Sequence[str] | str) -> str:
    """HTML for preformatted text lines."""
    text = lines if isinstance(lines, str) else "\n".join(lines)
    return "<pre>" + html.escape(text) + "</pre>"


def show(picture: Any, numbers: Any, png: bytes | None, lines: Sequence[str] | str) -> None:
    """Show a drawing (``png``, or keep the picture hidden when None) and its text lines."""
    if png is not None:
        picture.value = png
        picture.layout.display = None
    else:
        picture.layout.display = "none"
    numbers.value = pre(lines)


def show_error(picture: Any, numbers: Any, error: Exception) -> None:
    """Hide the drawing and say, in its place, why the controls' values cannot be drawn."""
    picture.layout.display = "none"
    numbers.value = ('<pre style="color: #b00020">' + html.escape(f"Cannot draw this: {error}")
                     + "</pre>")


class GraphNodeLayerView:
    """The controls and display shared by the explorers that look at one node of one graph in
    one layer (chapters 05 and 06): a graph dropdown (``graph_labels``, one per graph), a node
    box, a layer dropdown (``layers`` layers), the picture and the text below it, in ``box``."""

    def __init__(self, graph_labels: Sequence[str], graph: int, node: int, layers: int,
                 layer: int) -> None:
        import ipywidgets as widgets

        self.graph = widgets.Dropdown(options=[(label, k) for k, label in enumerate(graph_labels)],
                                      value=graph, description="graph")
        self.node = widgets.IntText(value=node, description="node")
        self.layer = widgets.Dropdown(options=[(f"layer {k + 1}", k) for k in range(layers)],
                                      value=layer, description="layer")
        self.picture = widgets.Image(format="png")
        self.numbers = widgets.HTML()
        self.box = widgets.VBox([widgets.HBox([self.graph, self.node, self.layer]), self.picture,
                                 self.numbers])

    def on_change(self, redraw: Any) -> None:
        """Call ``redraw`` whenever a control changes, and once now."""
        for control in (self.graph, self.node, self.layer):
            control.observe(redraw, names="value")
        redraw()
