"""Time all-pairs shortest paths for a batch of molecule-size graphs: ours against networkx.

Usage:
    python benchmarks/bench_shortest_paths.py [--graphs 1000] [--repeats 5]

The graphs are the first ``--graphs`` NCI molecules that ship with RDKit (9-37 heavy atoms,
``graphcourse.data.molecules``), batched as PyG does. Ours: ``shortest_path_distances`` (and
``shortest_paths`` with one path's edge ids per pair, ``max_hops=20`` as the official
``multi_hop_max_dist``, in training batches of ``--batch`` graphs, since its padded output
[B, N, N, L] grows with the largest graph), one torch thread. networkx: for each graph,
build ``nx.Graph`` from the edge list and run ``all_pairs_shortest_path_length`` (or
``all_pairs_shortest_path``). Both start from the same
edge lists; the median of ``--repeats`` runs is reported, alternating the two. Much of the
paths case's time goes to writing its output: the padded [B, N, N, L] edge ids (L = 20) are
180 MB of int64 for 1,000 molecules in batches of 128, where networkx builds Python lists of
nodes. One JSON line per case::

    {"name": ..., "graphs": ..., "ours_s": ..., "networkx_s": ..., "speedup": networkx / ours}
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import networkx as nx
import torch


def _networkx(edge_lists: list[list[list[int]]], sizes: list[int], paths: bool) -> None:
    for edges, size in zip(edge_lists, sizes):
        graph = nx.Graph()
        graph.add_nodes_from(range(size))
        graph.add_edges_from(edges)
        dict(nx.all_pairs_shortest_path(graph) if paths else
             nx.all_pairs_shortest_path_length(graph))


def _seconds(step) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args()

    from torch_geometric.data import Batch

    from graphcourse.data import molecules
    from graphcourse.structure import shortest_path_distances, shortest_paths

    torch.set_num_threads(1)
    graphs = molecules(args.graphs)
    batch = Batch.from_data_list(graphs)
    chunks = [Batch.from_data_list(graphs[i:i + args.batch])
              for i in range(0, len(graphs), args.batch)]
    edge_lists = [graph.edge_index.t().tolist() for graph in graphs]
    sizes = [graph.num_nodes for graph in graphs]
    cases = [
        ("distances", lambda: shortest_path_distances(batch.edge_index, batch.num_nodes,
                                                      batch.batch), False),
        ("distances and paths", lambda: [shortest_paths(c.edge_index, c.num_nodes, c.batch,
                                                        max_hops=20) for c in chunks], True),
    ]
    for name, ours, paths in cases:
        ours()  # warm-up
        ours_s, reference_s = [], []
        for _ in range(args.repeats):
            ours_s.append(_seconds(ours))
            reference_s.append(_seconds(lambda p=paths: _networkx(edge_lists, sizes, p)))
        ours_median, reference_median = statistics.median(ours_s), statistics.median(reference_s)
        print(json.dumps({"name": name, "graphs": len(graphs),
                          "mean_nodes": round(sum(sizes) / len(sizes), 1),
                          "ours_s": round(ours_median, 4), "networkx_s": round(reference_median, 4),
                          "speedup": round(reference_median / ours_median, 2), "threads": 1}))


if __name__ == "__main__":
    main()
