"""A degree-5 polynomial filter on a sparse graph of 100,000 nodes, in bounded memory.

Usage:
    python benchmarks/bench_polyfilter.py                      # 100,000 nodes, degree 5
    python benchmarks/bench_polyfilter.py --nodes 20000 --features 8

``graphcourse.graphs.polynomial_filter`` computes ``p_w(L) x = sum_i w_i L^i x`` by repeated
sparse products and never forms ``L^i``. For each storage of the symmetric normalised
Laplacian (torch COO, torch CSR, SciPy CSR) the script times the filter (median of the
repeats, one torch thread) and measures the extra peak resident memory of the call, then
checks that

- the result equals a plain SciPy loop ``z <- L z`` (relative error <= 1e-4), and
- the extra peak memory stays below 1% of what one dense N x N float32 matrix would take
  (40 GB at N = 100,000), and the whole process's peak (``process_peak_mb``, which includes
  building the graph) below 5% of it, while ``to_dense`` is forbidden during the call.

``extra_peak_mb`` counts only memory the process had to take beyond what it already held, so
it can read 0 when the allocator reuses memory freed by an earlier run.

One JSON line per storage::

    {"name": ..., "nodes": ..., "edges": ..., "degree": 5, "features": ..., "median_s": ...,
     "extra_peak_mb": ..., "operator_mb": ..., "dense_nxn_mb": ..., "process_peak_mb": ...,
     "max_rel_error": ...}
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time

import numpy as np
import torch


def random_graph(num_nodes: int, out_degree: int, seed: int = 0) -> torch.Tensor:
    """An undirected random graph: each node links to ``out_degree`` random others; both
    directions listed, duplicates and self-loops removed."""
    from torch_geometric.utils import coalesce, remove_self_loops, to_undirected

    generator = torch.Generator().manual_seed(seed)
    source = torch.arange(num_nodes).repeat_interleave(out_degree)
    target = torch.randint(0, num_nodes, (num_nodes * out_degree,), generator=generator)
    edge_index, _ = remove_self_loops(torch.stack([source, target]))
    return coalesce(to_undirected(edge_index, num_nodes=num_nodes), num_nodes=num_nodes)


def _rss_bytes() -> int:
    with open(f"/proc/{os.getpid()}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakMemory:
    """Peak resident memory above the level at entry, sampled every millisecond (Linux /proc;
    elsewhere psutil)."""

    def __enter__(self) -> PeakMemory:
        self._read = _rss_bytes if os.path.exists("/proc/self/statm") else _psutil_rss
        self.start = self.peak = self._read()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._read())
            time.sleep(0.001)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._read())

    @property
    def extra_mb(self) -> float:
        return (self.peak - self.start) / 2**20


def _psutil_rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def _process_peak_mb() -> float:
    """The whole process's peak resident memory so far (graph, operators, SciPy reference)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10  # KiB on Linux


def _no_dense(*args, **kwargs):
    raise AssertionError("a dense matrix was formed during the filter")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--out-degree", type=int, default=5, help="random links per node")
    parser.add_argument("--degree", type=int, default=5, help="polynomial degree d")
    parser.add_argument("--features", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from graphcourse import graphs

    torch.set_num_threads(1)
    n = args.nodes
    edge_index = random_graph(n, args.out_degree)
    x = torch.randn(n, args.features, generator=torch.Generator().manual_seed(1))
    weights = [1.0 / (i + 1) * (-1) ** i for i in range(args.degree + 1)]
    dense_mb = n * n * 4 / 2**20

    reference_operator = graphs.laplacian(edge_index, n, normalization="sym", form="scipy")
    z = x.numpy().astype(np.float64)
    expected = weights[0] * z
    for w in weights[1:]:
        z = reference_operator @ z
        expected = expected + w * z

    for form in ("sparse", "csr", "scipy"):
        L = graphs.laplacian(edge_index, n, normalization="sym", form=form)
        operator_mb = (L.data.nbytes + L.indices.nbytes + L.indptr.nbytes if form == "scipy"
                       else sum(t.numel() * t.element_size() for t in (
                           (L.indices(), L.values()) if form == "sparse"
                           else (L.crow_indices(), L.col_indices(), L.values())))) / 2**20
        graphs.polynomial_filter(L, x, weights)  # warm-up
        saved = torch.Tensor.to_dense
        torch.Tensor.to_dense = _no_dense  # prove that no dense N x N appears
        try:
            times = []
            with PeakMemory() as memory:
                for _ in range(args.repeats):
                    start = time.perf_counter()
                    out = graphs.polynomial_filter(L, x, weights)
                    times.append(time.perf_counter() - start)
        finally:
            torch.Tensor.to_dense = saved
        error = float(np.abs(out.double().numpy() - expected).max() / np.abs(expected).max())
        result = {"name": f"polynomial_filter {form}", "nodes": n,
                  "edges": int(edge_index.size(1)), "degree": args.degree,
                  "features": args.features, "median_s": round(statistics.median(times), 4),
                  "extra_peak_mb": round(memory.extra_mb, 1),
                  "operator_mb": round(operator_mb, 1), "dense_nxn_mb": round(dense_mb, 1),
                  "process_peak_mb": round(_process_peak_mb(), 1),
                  "max_rel_error": float(f"{error:.2e}"), "threads": 1}
        print(json.dumps(result), flush=True)
        assert error <= 1e-4, f"{form}: result differs from the SciPy loop ({error:.2e})"
        assert memory.extra_mb < 0.01 * dense_mb, (
            f"{form}: peak memory grew by {memory.extra_mb} MB")
        assert _process_peak_mb() < 0.05 * dense_mb, (
            "the process used more than 5% of a dense N x N")


if __name__ == "__main__":
    main()
