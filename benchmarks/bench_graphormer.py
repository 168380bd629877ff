"""Time and memory of a Graphormer forward pass as the number of nodes doubles.

Usage:
    python benchmarks/bench_graphormer.py [--sizes 16 32 64 128 256] [--batch 8]

Each case builds ``--batch`` random graphs of N nodes (a ring plus random chords, average
degree about 4, 4 edge types), precomputes their shortest paths (timed apart), and times the
forward pass of a Graphormer (4 layers, d_model 64, 4 heads, all encodings) in eval mode,
without gradients, one torch thread, median of ``--repeats``. Memory: on CUDA the peak
``torch.cuda.max_memory_allocated`` of the case (``peak_mb``); on the CPU the process's peak
resident set so far (``rss_peak_mb``, sizes run in increasing order), next to the sizes of the
two quadratic tensors, the [B, H, T, T] attention weights and the [B, N, N, L] path edge ids
(``attention_mb``, ``paths_mb``). One JSON line per size::

    {"nodes": N, "forward_ms": ..., "paths_ms": ..., "attention_mb": ..., "paths_mb": ...,
     "rss_peak_mb" or "peak_mb": ...}
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import torch


def _graphs(n: int, batch: int, generator: torch.Generator):
    from torch_geometric.data import Batch, Data

    items = []
    for _ in range(batch):
        ring = torch.stack([torch.arange(n), (torch.arange(n) + 1) % n])
        chords = torch.randint(0, n, (2, n), generator=generator)
        chords = chords[:, chords[0] != chords[1]]
        pairs = torch.cat([ring, chords], dim=1)
        edge_index = torch.cat([pairs, pairs.flip(0)], dim=1)
        types = torch.randint(0, 4, (pairs.size(1),), generator=generator)
        items.append(Data(x=torch.randint(0, 8, (n, 1), generator=generator),
                          edge_index=edge_index, edge_attr=torch.cat([types, types]),
                          num_nodes=n))
    return Batch.from_data_list(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 32, 64, 128, 256])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()

    from graphcourse.nn.graphormer import Graphormer
    from graphcourse.structure import shortest_paths

    torch.set_num_threads(1)
    device = torch.device(args.device)
    generator = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    model = Graphormer(num_node_types=8, num_edge_types=4, d_model=64, heads=4, layers=4,
                       ffn=64, max_degree=128).eval().to(device)
    for n in args.sizes:
        batch = _graphs(n, args.batch, generator)
        start = time.perf_counter()
        paths = shortest_paths(batch.edge_index, batch.num_nodes, batch.batch, max_hops=20)
        paths_ms = 1e3 * (time.perf_counter() - start)
        batch = batch.to(device)
        paths = type(paths)(*(t.to(device) for t in paths))
        inputs = (batch.x, batch.edge_index, batch.edge_attr, batch.batch, paths)
        times = []
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        with torch.no_grad():
            model(*inputs)  # warm-up
            for _ in range(args.repeats):
                if device.type == "cuda":
                    torch.cuda.synchronize(device)
                start = time.perf_counter()
                model(*inputs)
                if device.type == "cuda":
                    torch.cuda.synchronize(device)
                times.append(1e3 * (time.perf_counter() - start))
        tokens = n + 1
        result = {"nodes": n, "batch": args.batch, "device": device.type,
                  "forward_ms": round(statistics.median(times), 2), "paths_ms": round(paths_ms, 2),
                  "attention_mb": round(args.batch * 4 * tokens * tokens * 4 / 2**20, 2),
                  "paths_mb": round(paths.path_edges.numel() * 8 / 2**20, 2)}
        if device.type == "cuda":
            result["peak_mb"] = round(torch.cuda.max_memory_allocated(device) / 2**20, 1)
        else:
            import resource

            result["rss_peak_mb"] = round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
