"""Time our GATLayer against PyG's GATConv, forward + backward, on the same Cora-size graph.

Usage:
    python benchmarks/bench_gat.py                 # random graph: 2,708 nodes, ~10.5k edges,
                                                   # 1,433 features
    python benchmarks/bench_gat.py --root DIR      # Cora from DIR/Cora/raw/ind.cora.* instead

Both layers get identical weights; dropout is on (training mode), as while training. Each case
runs with one torch thread, after warm-up rounds, and reports the median of the timed repeats,
alternating the two layers so that machine noise hits both alike. One JSON line per case::

    {"name": ..., "ours_ms": ..., "reference_ms": ..., "ratio": ours / reference}
"""

from __future__ import annotations

import argparse
import json

import torch
from _timing import compare


def cora_size_graph(seed: int = 0, num_nodes: int = 2708, num_edges: int = 5278,
                    num_features: int = 1433):
    """Random features [N, F] and a random undirected graph with ``num_edges`` pairs listed
    in both directions (Cora has 5,278 undirected edges, 10,556 directed ones)."""
    from torch_geometric.utils import coalesce, remove_self_loops, to_undirected

    generator = torch.Generator().manual_seed(seed)
    x = torch.rand(num_nodes, num_features, generator=generator)
    pairs = torch.randint(0, num_nodes, (2, num_edges), generator=generator)
    edge_index, _ = remove_self_loops(pairs)
    edge_index = coalesce(to_undirected(edge_index, num_nodes=num_nodes), num_nodes=num_nodes)
    return x, edge_index


def load_graph(root: str | None):
    if root is None:
        x, edge_index = cora_size_graph()
        return "random", x, edge_index
    from graphcourse.data import planetoid

    data = planetoid("Cora", root=root, download=False)
    return "cora", data.x, data.edge_index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=None, help="folder holding Cora/raw/ind.cora.*")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    from torch_geometric.nn import GATConv

    from graphcourse.nn import GATLayer

    torch.set_num_threads(1)
    torch.manual_seed(0)
    graph, x, edge_index = load_graph(args.root)
    cases = [  # (name, in, out per head, heads, concat): the paper's two Cora layers
        ("hidden: 8 heads x 8, concat", x.size(1), 8, 8, True),
        ("output: 1 head x 7, mean", 64, 7, 1, False),
        ("wide: 8 heads x 64, mean", x.size(1), 64, 8, False),
    ]
    for name, in_channels, out_channels, heads, concat in cases:
        ours = GATLayer(in_channels, out_channels, heads=heads, concat=concat, dropout=0.6)
        reference = GATConv(in_channels, out_channels, heads=heads, concat=concat, dropout=0.6)
        with torch.no_grad():
            reference.lin.weight.copy_(ours.lin.weight)
            reference.att_src.copy_(ours.att_src)
            reference.att_dst.copy_(ours.att_dst)
            reference.bias.copy_(ours.bias)
        inputs = x if in_channels == x.size(1) else torch.randn(x.size(0), in_channels)
        ours.train()
        reference.train()
        result = compare(f"{graph} {name}",
                         lambda ours=ours, inputs=inputs: ours(inputs, edge_index),
                         lambda reference=reference, inputs=inputs: reference(inputs, edge_index),
                         (ours, reference), args.warmup, args.repeats)
        result.update(nodes=int(x.size(0)), edges=int(edge_index.size(1)), threads=1)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
