"""Cost of SAT's k-hop subgraphs: extraction time and size for batches of CLUSTER graphs.

Usage:
    python benchmarks/bench_khop.py [--graphs 8] [--repeats 5] [--dim 64]

A batch of ``--graphs`` CLUSTER-size SBM graphs (``graphcourse.data.cluster``: 6 communities
of 5-34 nodes, p 0.55, q 0.25) is batched as PyG does. For k = 1, 2, 3: the median time of
``khop_subgraphs`` over ``--repeats`` runs (one torch thread), the stacked subgraph nodes M and
edges E', the bytes of the stacked tensors (node_index, center, edge_index, edge_id) and the
peak memory of one forward of a ``KSubgraphExtractor(dim, k)`` (tracemalloc does not see
torch's allocations, so the peak is the sum of the tensors a forward keeps for backward: the
saved activations, measured with ``torch.autograd.graph.saved_tensors_hooks``), and the bytes
of one layer's message tensor [E', dim] (float32), the transient peak of each GNN layer on
top of it. On CLUSTER (average degree about 36) two hops already reach nearly the whole graph,
so M is close to N times the graph size: the default batch is 8 graphs, since with 32 the
messages of k = 3 take several gigabytes. One JSON line per k::

    {"k": ..., "graphs": ..., "nodes": N, "edges": E, "subgraph_nodes": M,
     "subgraph_edges": E', "extract_ms": ..., "stacked_bytes": ..., "forward_saved_bytes": ...,
     "forward_ms": ...}
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import torch


def _median_ms(step, repeats: int) -> float:
    step()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(1e3 * (time.perf_counter() - start))
    return statistics.median(times)


def _saved_bytes(step) -> int:
    """Bytes of the distinct tensors autograd saves during ``step()`` (a forward pass)."""
    seen: dict[int, int] = {}

    def pack(tensor):
        seen[tensor.untyped_storage().data_ptr()] = tensor.untyped_storage().nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        step()
    return sum(seen.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--dim", type=int, default=64)
    args = parser.parse_args()

    from torch_geometric.data import Batch

    from graphcourse.data import cluster
    from graphcourse.nn.sat_extractors import KSubgraphExtractor, khop_subgraphs

    torch.set_num_threads(1)
    torch.manual_seed(0)
    batch = Batch.from_data_list(cluster(args.graphs, seed=0))
    n, edge_index = batch.num_nodes, batch.edge_index
    x = torch.randn(n, args.dim)
    for k in (1, 2, 3):
        extract_ms = _median_ms(lambda k=k: khop_subgraphs(edge_index, n, k), args.repeats)
        sub = khop_subgraphs(edge_index, n, k)
        stacked = sum(t.numel() * t.element_size() for t in sub if isinstance(t, torch.Tensor))
        extractor = KSubgraphExtractor(args.dim, k)
        forward_ms = _median_ms(lambda e=extractor, s=sub: e(x, edge_index, s), args.repeats)
        saved = _saved_bytes(lambda e=extractor, s=sub: e(x, edge_index, s))
        print(json.dumps({"k": k, "graphs": args.graphs, "nodes": n,
                          "edges": edge_index.size(1), "subgraph_nodes": sub.node_index.numel(),
                          "subgraph_edges": sub.edge_index.size(1),
                          "extract_ms": round(extract_ms, 2), "stacked_bytes": stacked,
                          "forward_saved_bytes": saved,
                          "message_bytes": 4 * sub.edge_index.size(1) * args.dim,
                          "forward_ms": round(forward_ms, 2),
                          "dim": args.dim, "threads": 1}))


if __name__ == "__main__":
    main()
