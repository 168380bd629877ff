"""The attention explorer and the positional-encoding explorer (chapter 04).

Both wire controls to :mod:`graphcourse.nn.analysis`
(:func:`~graphcourse.nn.analysis.attention_view`, :func:`~graphcourse.nn.analysis.positional_view`)
and draw with :mod:`graphcourse.viz.transformer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import sequences as seq
from .._validate import check_choice, check_instance, check_positive_int
from ..nn.analysis import KINDS, attention_view, positional_view
from ..nn.transformer import Seq2SeqTransformer
from ..viz import attention_view_summary, render_attention_view, render_positional
from ..viz.transformer import KIND_NAMES
from ._display import show


def transformer_attention_explorer(model: Seq2SeqTransformer, task: str | None = None,
                                   examples: Sequence[str] = ("31415926", "12345", "9081726354"),
                                   kind: str = "cross") -> Any:
    """Type or pick a digit string; choose layer, head and kind; see the heatmap and the
    decoded output (recomputed on every change).

    ``examples`` are the strings offered (each 1 to ``max_len - 2`` digits), ``task``
    (``'reverse'``, ``'sort'``, ``'copy'`` or None) says what the right output is, ``kind``
    the attention shown first. Text that is not 1 to ``max_len - 2`` digits shows what to type
    in place of the heatmap. The returned box's ``view`` holds the
    :class:`~graphcourse.nn.analysis.AttentionView` on display (None for bad input).
    """
    import ipywidgets as widgets

    check_instance(model, "model", Seq2SeqTransformer, "a Seq2SeqTransformer")
    if task is not None:
        check_choice(task, "task", seq.TASKS)
    check_choice(kind, "kind", KINDS)
    config = model.config
    limit = config.max_len - 2
    if isinstance(examples, str) or not isinstance(examples, Sequence):
        raise TypeError(f"examples: expected a list of digit strings such as ['31415'], got "
                        f"{type(examples).__name__}")
    for example in examples:
        check_instance(example, "examples", str, "digit strings")
        if not (example.isdigit() and len(example) <= limit):
            raise ValueError(f"examples: expected strings of 1 to {limit} digits, got "
                             f"{example!r}")
    text = widgets.Combobox(value=examples[0] if examples else "", options=list(examples),
                            description="digits", ensure_option=False)
    kind_picker = widgets.Dropdown(options=[(KIND_NAMES[k], k) for k in KINDS], value=kind,
                                   description="kind")
    layers = config.encoder_layers if kind == "encoder" else config.decoder_layers
    layer_slider = widgets.IntSlider(value=0, min=0, max=layers - 1, description="layer")
    head_slider = widgets.IntSlider(value=0, min=0, max=config.heads - 1, description="head")
    picture = widgets.Image(format="png")
    line = widgets.HTML()
    box = widgets.VBox([widgets.HBox([text, kind_picker]),
                        widgets.HBox([layer_slider, head_slider]), picture, line])

    def redraw(*_: Any) -> None:
        layers = config.encoder_layers if kind_picker.value == "encoder" else config.decoder_layers
        layer_slider.max = layers - 1  # the stack shown has this many layers
        digits = text.value.replace(" ", "")
        box.view = None
        if digits.isdigit() and len(digits) <= limit:
            box.view = attention_view(model, digits, layer_slider.value, head_slider.value,
                                      kind_picker.value, task)
        png = render_attention_view(box.view) if box.view is not None else None
        show(picture, line, png, attention_view_summary(box.view, limit))

    for control in (text, kind_picker, layer_slider, head_slider):
        control.observe(redraw, names="value")
    redraw()
    return box


def positional_encoding_explorer(d_model: int = 64, length: int = 50) -> Any:
    """Position and dimension sliders over the sinusoidal encoding [length, d_model]: the
    table, one dimension's wave across positions, and how similar the chosen position's
    encoding is to every other. The box's ``view`` holds the
    :class:`~graphcourse.nn.analysis.PositionalView` on display."""
    import ipywidgets as widgets

    d_model = check_positive_int(d_model, "d_model")
    length = check_positive_int(length, "length")
    position_slider = widgets.IntSlider(value=min(10, length - 1), min=0, max=length - 1,
                                        description="position")
    dimension_slider = widgets.IntSlider(value=min(4, d_model - 1), min=0, max=d_model - 1,
                                         description="dimension")
    picture = widgets.Image(format="png")
    box = widgets.VBox([widgets.HBox([position_slider, dimension_slider]), picture])

    def redraw(*_: Any) -> None:
        box.view = positional_view(position_slider.value, dimension_slider.value, d_model,
                                   length)
        picture.value = render_positional(box.view)

    position_slider.observe(redraw, names="value")
    dimension_slider.observe(redraw, names="value")
    redraw()
    return box
