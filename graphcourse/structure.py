"""Graph structure: all-pairs shortest paths for batches of small graphs, and 1-WL colours.

Shortest paths feed Graphormer's spatial and edge encodings (chapter 05; Ying et al.,
NeurIPS 2021). The distance ``phi(i, j)`` is the number of edges on a shortest path from i to
j. It is found level by level, as a breadth-first search would, from all sources of all graphs
of a batch at once. With ``R_d(i)`` the set of nodes within d hops of i::

    R_0(i) = {i},    R_d(i) = R_{d-1}(i)  u  U_{i -> k} R_{d-1}(k)
    phi(i, j) = d  for the first d with j in R_d(i)

and the search stops at the first d with R_{d+1} = R_d. Each set R_d(i) is a row of bits, one
per node of i's graph, packed into 64-bit words, so that one level of all searches is a
handful of whole-tensor gathers and bitwise ORs (molecules fit in one word per node).

One shortest path per pair, for the edge encoding: an edge k -> j is the last hop of a
shortest path from i exactly when ``phi(i, k) + 1 = phi(i, j)``. Keeping one such edge per pair
(the one from the lowest k) and following these last hops back from j to i gives the path's
edges, hop 0 leaving i.

Pairs with no path get ``UNREACHABLE = 510``, the official code's value (its Floyd-Warshall
leaves them at 510), so that a bias table indexed by distance treats them as far away. As
there, a pair 510 or more hops apart (only possible in a graph of more than 510 nodes) also
reads 510, with no path.

1-WL colour refinement (Weisfeiler & Lehman 1968) gives every node a colour and repeats::

    c^{t+1}(v) = hash( c^t(v), {{ c^t(u) : u in N(v) }} )

until the partition stops changing. Two graphs with different colour histograms are not
isomorphic; two with equal histograms are "1-WL-indistinguishable", which bounds what
message-passing networks such as GIN can tell apart.

Notation: B graphs, N nodes (N the largest graph's size in a padded batch), E edges, L hops.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, NamedTuple

import torch
from torch import Tensor

from ._validate import _as_int, check_edge_index, check_positive_int, check_tensor

UNREACHABLE = 510  # the official Graphormer distance for pairs with no path


class ShortestPaths(NamedTuple):
    """All-pairs shortest paths of a padded batch of graphs.

    Attributes:
        distance: [B, N, N] long, ``phi(i, j)``; ``UNREACHABLE`` (510) where there is no path
            and for pairs that involve a padding node.
        path_edges: [B, N, N, L] long; ``path_edges[b, i, j, k]`` is the column of
            ``edge_index`` (and row of ``edge_attr``) of hop k on one shortest path from i to j,
            counted from i, and -1 past the path's end. L is the longest finite distance, or
            ``max_hops`` when that is smaller (then only the first ``max_hops`` hops are kept,
            as the official ``multi_hop_max_dist`` does).
        mask: [B, N] bool, True for real nodes, False for padding.
    """

    distance: Tensor
    path_edges: Tensor
    mask: Tensor


# --------------------------------------------------------------------------- checks
def _check_graph(edge_index: Any, num_nodes: Any,
                 batch: Any) -> tuple[Tensor, int, Tensor]:
    """Checked ``(edge_index, num_nodes, batch)``; ``batch`` sorted and edges within graphs."""
    check_tensor(edge_index, "edge_index", floating=False)
    if batch is not None:
        check_tensor(batch, "batch", ndim=1, floating=False)
        if num_nodes is None:
            num_nodes = batch.numel()
    if num_nodes is None:
        num_nodes = int(edge_index.max()) + 1 if edge_index.numel() else 0
    num_nodes = _as_int(num_nodes, "num_nodes")
    if num_nodes < 1:
        raise ValueError(f"num_nodes: expected a graph with at least one node, got {num_nodes}")
    check_edge_index(edge_index, num_nodes)
    if batch is None:
        batch = torch.zeros(num_nodes, dtype=torch.long, device=edge_index.device)
    else:
        if batch.numel() != num_nodes:
            raise ValueError(f"batch: expected one graph id per node ({num_nodes}), got "
                             f"{batch.numel()}")
        if int(batch.min()) < 0 or bool((batch[1:] < batch[:-1]).any()):
            raise ValueError("batch: expected graph ids >= 0 in non-decreasing order, as PyG's "
                             "Batch.batch holds them")
        batch = batch.long()
        if edge_index.numel() and bool((batch[edge_index[0]] != batch[edge_index[1]]).any()):
            raise ValueError("edge_index: an edge joins nodes of two different graphs of the "
                             "batch")
    return edge_index.long(), num_nodes, batch


# --------------------------------------------------------------------------- distances
# _SPREAD[v]: the 8 bits of the byte v, one per byte of an int64 (bit t -> byte t)
_SPREAD = (((torch.arange(256)[:, None] >> torch.arange(8)) & 1) << (8 * torch.arange(8))).sum(1)


def _neighbour_slots(edge_index: Tensor, num_nodes: int,
                     words: int) -> tuple[Tensor, list[Tensor]]:
    """Rows by out-degree, and the rows each row reads from, slot by slot.

    Returns ``by_degree`` [N] (row r holds node ``by_degree[r]``, the nodes sorted by
    out-degree, largest first) and, for slot c = 0, 1, ..., the word ids [count_c * words] of
    the c-th out-neighbour of rows 0 .. count_c - 1: the rows of the nodes with more than c
    out-neighbours, which the sort makes a prefix. One level of the search then reads each edge
    once, however uneven the degrees.
    """
    device = edge_index.device
    source, order = torch.sort(edge_index[0], stable=True)  # edges grouped by source
    target = edge_index[1].index_select(0, order)
    degree = torch.bincount(source, minlength=num_nodes)  # [N]
    by_degree = torch.argsort(degree, descending=True, stable=True)  # row -> node
    row_of = torch.empty_like(by_degree)
    row_of[by_degree] = torch.arange(num_nodes, device=device)  # node -> row
    first = (torch.cumsum(degree, 0) - degree).index_select(0, by_degree)  # first edge per row
    at_least = torch.bincount(degree).flip(0).cumsum(0).flip(0)  # [d]: rows of degree >= d
    sizes = at_least[1:].tolist()  # sizes[c]: rows with more than c out-neighbours
    offsets = torch.arange(words, device=device)
    slots = []
    for c, count in enumerate(sizes):  # the c-th out-neighbour of rows 0 .. count - 1
        rows = row_of.index_select(0, target.index_select(0, first[:count] + c))
        slots.append((rows[:, None] * words + offsets).view(-1))  # [count * words]
    return by_degree, slots


def _bitset_bfs(edge_index: Tensor, batch: Tensor, local: Tensor, counts: Tensor) -> Tensor:
    """Distances [B, N, N] (N the largest graph) by breadth-first search from every node.

    Row r is the bitset R_d(i) of one node i (bit j = node j of i's graph, 64 per word), and
    one level ORs into each row the rows of its out-neighbours. Each pair is recorded, at the
    level d where it is first reached, in a bit-sliced counter holding d + 1 (planes[k] = bit k
    of d + 1), so that pairs never reached read 0 and get ``UNREACHABLE``. The planes are
    unpacked at the end, byte by byte, through ``_SPREAD``.
    """
    device = batch.device
    num_nodes, num_graphs, size = batch.numel(), counts.numel(), int(counts.max())
    words = (size + 63) // 64
    by_degree, slots = _neighbour_slots(edge_index, num_nodes, words)  # (a self-loop: no-op)
    own = local.index_select(0, by_degree)  # [N] the node of each row, within its graph
    reached = torch.zeros(num_nodes * words, dtype=torch.long, device=device)  # R_0: bit i
    reached.scatter_(0, torch.arange(num_nodes, device=device) * words + own // 64,
                     torch.ones_like(own) << (own % 64))
    planes = [reached.clone()]  # d + 1 = 1 for the pairs (i, i)
    level = 1  # d + 1 of the level being built
    while slots:
        grown = reached.clone()
        for neighbours in slots:  # the rows with a c-th neighbour are a prefix
            grown[:neighbours.numel()] |= reached.index_select(0, neighbours)
        fresh = grown ^ reached  # pairs first reached at this level (reached is in grown)
        if not bool(fresh.any()):
            break
        level += 1
        for k in range(level.bit_length()):
            if (level >> k) & 1:
                if k == len(planes):
                    planes.append(torch.zeros_like(reached))
                planes[k] |= fresh
        reached = grown
    spread, value = _SPREAD.to(device), None
    for group in range(0, len(planes), 8):  # 8 planes per byte: d + 1 < 256 in one group
        lanes = torch.zeros(num_nodes * words * 8, dtype=torch.long, device=device)
        for k in range(group, min(group + 8, len(planes))):
            lanes += spread.index_select(0, _bytes(planes[k]).long()) << (k - group)
        # one byte per pair: [N, words * 64], column j = node j
        part = _bytes(lanes).view(num_nodes, words * 64)[:, :size].long()
        value = part if value is None else value + (part << group)
    distance = torch.full((num_graphs * size, size), UNREACHABLE, dtype=torch.long,
                          device=device)
    target = (batch * size + local).index_select(0, by_degree)  # [N] output row of each row
    phi = torch.where(value > 0, value - 1, UNREACHABLE).clamp_(max=UNREACHABLE)  # [N, N]
    distance.index_copy_(0, target, phi)
    return distance.view(num_graphs, size, size)


def _bytes(words: Tensor) -> Tensor:
    """The bytes [8 * M] of int64 ``words`` [M], byte q of a word holding its bits 8q .. 8q + 7
    (the memory order of a little-endian machine, reversed on a big-endian one)."""
    raw = words.view(torch.uint8)
    return raw if sys.byteorder == "little" else raw.view(-1, 8).flip(1).reshape(-1)


# --------------------------------------------------------------------------- paths
def _last_edges(edge_index: Tensor, batch: Tensor, local: Tensor, counts: Tensor,
                distance: Tensor) -> Tensor:
    """[B * N * N] long: for each pair (i, j) of a graph with 0 < phi(i, j) < 510, the column of
    ``edge_index`` of the last hop of one shortest path from i to j; -1 for the other pairs.

    An edge k -> j ends a shortest path from i exactly when ``phi(i, k) + 1 = phi(i, j)``; the
    test runs for every edge and every source i of its graph, and the lowest k (then the lowest
    column, for parallel edges) wins, so the nodes chosen do not depend on the order of the
    edges.
    """
    device = edge_index.device
    num_graphs, size, _ = distance.shape
    columns = torch.nonzero(edge_index[0] != edge_index[1]).flatten()  # no self-loops [E']
    graph = batch.index_select(0, edge_index[0].index_select(0, columns))  # [E']
    sources = counts.index_select(0, graph)  # [E'] sources i to try per edge: its graph's size
    edge = torch.repeat_interleave(torch.arange(columns.numel(), device=device), sources)  # [C]
    first = torch.cumsum(sources, 0) - sources
    source = torch.arange(edge.numel(), device=device) - first.index_select(0, edge)  # i, [C]
    row = graph.index_select(0, edge) * size + source  # (graph, i) [C]
    column = columns.index_select(0, edge)  # [C]
    k = local.index_select(0, edge_index[0].index_select(0, column))  # [C]
    j = local.index_select(0, edge_index[1].index_select(0, column))
    flat = distance.view(-1)
    to_j = flat.index_select(0, row * size + j)  # phi(i, j)
    ends = (to_j < UNREACHABLE) & (flat.index_select(0, row * size + k) + 1 == to_j)
    width = max(edge_index.size(1), 1)  # key = k * width + column: by k, then by column
    never = size * width  # larger than every key
    key = torch.where(ends, k * width + column, never)
    best = torch.full((num_graphs * size * size,), never, dtype=torch.long, device=device)
    best.scatter_reduce_(0, row * size + j, key, reduce="amin")
    return torch.where(best < never, best % width, -1)


def _walk_paths(edge_index: Tensor, local: Tensor, distance: Tensor, last_edge: Tensor,
                length: int) -> Tensor:
    """[B, N, N, length] edge columns along the path from i to j (hop 0 leaves i), -1 past its
    end; hops past ``length`` are dropped. Each path is walked backwards from j through
    ``last_edge``, all pairs at once, the longest first so that the pairs still walking at
    step s are a prefix."""
    device = distance.device
    num_graphs, size, _ = distance.shape
    out = torch.full((num_graphs * size * size * length + 1,), -1, dtype=torch.long,
                     device=device)  # the extra last entry takes the hops past `length`
    flat = distance.view(-1)
    hops = torch.where(flat < UNREACHABLE, flat, torch.zeros_like(flat))  # [B * N * N]
    pair = torch.argsort(hops, descending=True, stable=True)
    pair = pair[:int((hops > 0).sum())]  # the pairs (b, i, j) with a path of 1 hop or more
    if length == 0 or pair.numel() == 0:
        return out[:-1].view(num_graphs, size, size, length)
    remaining = hops.index_select(0, pair)  # [P] hops of each path, descending
    ended = torch.cumsum(torch.bincount(remaining), 0)[:-1]  # [longest] paths of <= s hops
    walking = remaining.numel() - ended  # pairs still walking at step s
    row = pair // size  # (b, i)
    current = pair.clone()  # (b, i, c): c walks back from j towards i
    tail = local.index_select(0, edge_index[0])  # local id of each edge's source
    for step, count in enumerate(walking.tolist()):  # count: pairs with more than `step` hops
        edge = last_edge.index_select(0, current[:count])
        hop = remaining[:count] - 1 - step  # counted from i
        position = torch.where(hop < length, pair[:count] * length + hop, out.numel() - 1)
        out.scatter_(0, position, edge)
        current[:count] = row[:count] * size + tail.index_select(0, edge)
    return out[:-1].view(num_graphs, size, size, length)


def _solve(edge_index: Tensor, batch: Tensor, paths: bool,
           max_hops: int | None) -> ShortestPaths:
    """Distances (and paths) of every graph of ``batch`` at once."""
    device = edge_index.device
    counts = torch.bincount(batch)  # [B] nodes per graph (0 for skipped ids)
    num_graphs, size = counts.numel(), int(counts.max())
    start = torch.cumsum(counts, 0) - counts  # [B] first node of each graph
    local = torch.arange(batch.numel(), device=device) - start.index_select(0, batch)
    distance = _bitset_bfs(edge_index, batch, local, counts)  # [B, N, N]
    mask = torch.arange(size, device=device)[None, :] < counts[:, None]  # [B, N]
    if not paths:
        empty = torch.full((num_graphs, size, size, 0), -1, dtype=torch.long, device=device)
        return ShortestPaths(distance, empty, mask)
    finite = torch.where(distance < UNREACHABLE, distance, torch.zeros_like(distance))
    length = int(finite.max())
    length = length if max_hops is None else min(length, max_hops)
    last_edge = _last_edges(edge_index, batch, local, counts, distance)
    path_edges = _walk_paths(edge_index, local, distance, last_edge, length)
    return ShortestPaths(distance, path_edges, mask)


# --------------------------------------------------------------------------- public
def shortest_paths(edge_index: Tensor, num_nodes: int | None = None, batch: Tensor | None = None,
                   max_hops: int | None = None) -> ShortestPaths:
    """All-pairs shortest paths of one graph or a PyG batch of graphs, padded to [B, N, N].

    Args:
        edge_index: [2, E] long; paths follow the edges' direction (an undirected graph lists
            both directions, as PyG does). Self-loops are ignored.
        num_nodes: total number of nodes (default: ``batch.numel()``, else max id + 1).
        batch: [N_total] graph id of each node in non-decreasing order (``Batch.batch``);
            ``None`` for a single graph (B = 1).
        max_hops: keep only the first ``max_hops`` hops of each path (the official
            ``multi_hop_max_dist``, 20 for ZINC); ``None`` keeps them all.
    Returns:
        :class:`ShortestPaths` ``(distance [B, N, N], path_edges [B, N, N, L], mask [B, N])``.
        Node i of graph b is the i-th node of that graph in ``edge_index``'s numbering.
    """
    edge_index, num_nodes, batch = _check_graph(edge_index, num_nodes, batch)
    if max_hops is not None:
        max_hops = check_positive_int(max_hops, "max_hops")
    return _solve(edge_index, batch, True, max_hops)


def shortest_path_distances(edge_index: Tensor, num_nodes: int | None = None,
                            batch: Tensor | None = None) -> Tensor:
    """Shortest-path distances ``phi(i, j)`` (number of edges), ``UNREACHABLE`` = 510 if none.

    Args as in :func:`shortest_paths`. Returns [N, N] long for a single graph
    (``batch=None``), else [B, N_max, N_max] padded with 510.
    """
    edge_index, num_nodes, checked = _check_graph(edge_index, num_nodes, batch)
    distance = _solve(edge_index, checked, False, None).distance
    return distance[0] if batch is None else distance


def wl_colors(edge_index: Tensor, num_nodes: int, iterations: int | None = None,
              colors: Tensor | None = None) -> Tensor:
    """1-WL colour refinement; returns the colour of every node, [N] long.

    ``c^{t+1}(v) = (c^t(v), sorted multiset of c^t(u) over edges u -> v)``, renumbered 0, 1,
    ... in the sorted order of these signatures, so that the colours do not depend on the
    order of the nodes. Runs ``iterations`` rounds, or (``None``) until the partition is
    stable. ``colors`` [N] (integer) gives initial colours, e.g. atom types; default: all
    equal. Refine several graphs jointly (their disjoint union, see :func:`wl_histogram`) to
    compare their colours.
    """
    num_nodes = _as_int(num_nodes, "num_nodes")
    if num_nodes < 1:
        raise ValueError(f"num_nodes: expected a graph with at least one node, got {num_nodes}")
    check_edge_index(edge_index, num_nodes)
    if iterations is not None:
        iterations = check_positive_int(iterations, "iterations", minimum=0)
    if colors is None:
        current = [0] * num_nodes
    else:
        check_tensor(colors, "colors", ndim=1, floating=False)
        if colors.numel() != num_nodes:
            raise ValueError(f"colors: expected one colour per node ({num_nodes}), got "
                             f"{colors.numel()}")
        current = _renumber(colors.tolist())
    incoming: list[list[int]] = [[] for _ in range(num_nodes)]
    for u, v in edge_index.t().tolist():
        incoming[v].append(u)
    rounds = num_nodes if iterations is None else iterations
    for _ in range(rounds):
        signatures = [(current[v], tuple(sorted(current[u] for u in incoming[v])))
                      for v in range(num_nodes)]
        refined = _renumber(signatures)
        stable = max(refined) == max(current)  # refinement only splits classes
        current = refined
        if stable and iterations is None:
            break
    return torch.tensor(current, dtype=torch.long)


def _renumber(keys: list) -> list[int]:
    """Replace each key by the rank of its value among the sorted distinct keys."""
    ranks = {key: rank for rank, key in enumerate(sorted(set(keys)))}
    return [ranks[key] for key in keys]


def wl_histogram(graphs: Sequence[Any], iterations: int | None = None) -> Tensor:
    """Colour histograms [G, C] of ``graphs`` refined jointly with 1-WL (:func:`wl_colors`).

    ``graphs`` is a list of PyG ``Data`` (their ``edge_index`` and ``num_nodes``; features are
    ignored: all nodes start with the same colour). Row g counts the nodes of graph g of each
    colour after refinement; two graphs are 1-WL-indistinguishable exactly when their rows are
    equal (refined to stability, ``iterations=None``).
    """
    from torch_geometric.data import Data

    if isinstance(graphs, Data) or not isinstance(graphs, Sequence) or isinstance(graphs, str):
        raise TypeError(f"graphs: expected a list of PyG Data such as [graph_a, graph_b], got "
                        f"{type(graphs).__name__}")
    if len(graphs) == 0:
        raise ValueError("graphs: expected at least one graph, got an empty list")
    pieces, sizes, offset = [], [], 0
    for position, graph in enumerate(graphs):
        name = f"graphs[{position}]"
        if not isinstance(graph, Data):
            raise TypeError(f"{name}: expected a PyG Data, got {type(graph).__name__}")
        size = graph.num_nodes
        if not size:
            raise ValueError(f"{name}: expected a graph with at least one node, got an empty "
                             f"graph")
        check_edge_index(graph.edge_index, size, name=f"{name}.edge_index")
        pieces.append(graph.edge_index.long() + offset)
        sizes.append(size)
        offset += size
    colors = wl_colors(torch.cat(pieces, dim=1), offset, iterations)
    owner = torch.repeat_interleave(torch.arange(len(graphs)), torch.tensor(sizes))
    counts = torch.zeros(len(graphs), int(colors.max()) + 1, dtype=torch.long)
    counts.index_put_((owner, colors), torch.ones_like(colors), accumulate=True)
    return counts
