"""Layers and models taught in the course, one module per concept.

- ``sage``: neighbourhood aggregation, the mean update and GraphSAGE (chapter 01).
- ``spectral``: ChebNet, spectral convolution, a message-passing low-pass filter (chapter 02).
- ``gcn``, ``gat``, ``gin``: message-passing layers written on PyG's ``MessagePassing``
  (chapter 03).
- ``attention``, ``transformer``: scaled dot-product and multi-head attention, the
  encoder-decoder Transformer (chapter 04; attention is reused by chapters 05 and 06).
"""

from .attention import (
                        MultiHeadAttention,
                        causal_mask,
                        merge_heads,
                        padding_mask,
                        scaled_dot_product_attention,
                        split_heads,
)
from .gat import GAT, GATLayer
from .gcn import GCNLayer, symmetric_norm, with_self_loops
from .gin import GINLayer
from .sage import MeanLayer, NodeClassifier, SAGELayer, lstm_aggregate, mean_aggregate
from .spectral import ChebLayer, LowPassFilter, SpectralConv, spectral_basis
from .transformer import (
                        DecoderLayer,
                        EncoderLayer,
                        PositionalEncoding,
                        PositionwiseFeedForward,
                        Seq2SeqTransformer,
                        TransformerConfig,
                        label_smoothing_loss,
                        load_transformer,
                        noam_lambda,
                        save_transformer,
                        sinusoidal_encoding,
)

__all__ = [
    # chapter 01
    "MeanLayer", "NodeClassifier", "SAGELayer", "lstm_aggregate", "mean_aggregate",
    # chapter 02
    "ChebLayer", "LowPassFilter", "SpectralConv", "spectral_basis",
    # chapter 03
    "GAT", "GATLayer", "GCNLayer", "GINLayer", "symmetric_norm", "with_self_loops",
    # chapter 04
    "MultiHeadAttention", "causal_mask", "merge_heads", "padding_mask",
    "scaled_dot_product_attention", "split_heads", "DecoderLayer", "EncoderLayer",
    "PositionalEncoding", "PositionwiseFeedForward", "Seq2SeqTransformer", "TransformerConfig",
    "label_smoothing_loss", "load_transformer", "noam_lambda", "save_transformer",
    "sinusoidal_encoding",
]
