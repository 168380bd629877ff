"""Layers and models taught in the course, one module per concept.

- ``sage``: neighbourhood aggregation, the mean update and GraphSAGE (chapter 01).
"""

from .sage import MeanLayer, NodeClassifier, SAGELayer, lstm_aggregate, mean_aggregate

__all__ = ["MeanLayer", "NodeClassifier", "SAGELayer", "lstm_aggregate", "mean_aggregate"]
