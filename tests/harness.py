"""What the layer tests share: one random-graph builder, one hypothesis strategy, the two
symmetry checks every message-passing layer must pass, and weight copying for parity tests.

- :func:`random_graph`: seeded features [N, F] and edges [2, E], with or without self-loops,
  repeated edges and direction.
- :func:`graphs_and_permutations`: a hypothesis strategy drawing ``(N, edge_index,
  permutation)``.
- :func:`assert_permutation_equivariant`: relabelling the nodes relabels the output.
- :func:`assert_edge_order_invariant`: listing the edges in another order changes nothing.
- :func:`copy_weights`: load our module's weights into a reference (PyG, torch) module through
  ``load_state_dict``, renaming or reshaping where the two store them differently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import torch
from torch import Tensor, nn
from torch_geometric.utils import to_undirected


def random_graph(num_nodes: int = 6, num_edges: int = 14, features: int = 4, seed: int = 0, *,
                 self_loops: bool = True, duplicates: bool = True,
                 directed: bool = True) -> tuple[Tensor, Tensor]:
    """Features ``x`` [N, F] (standard normal) and ``num_edges`` random edges [2, E].

    ``self_loops`` / ``duplicates``: whether an edge (i, i) / the same edge twice may be drawn.
    ``directed=False`` adds the reverse of every edge and merges repeats
    (``to_undirected``), so E is at most twice ``num_edges``. Everything comes from one
    ``torch.Generator`` seeded with ``seed``.
    """
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(num_nodes, features, generator=generator)
    if self_loops and duplicates:
        edge_index = torch.randint(0, num_nodes, (2, num_edges), generator=generator)
    else:
        source, target = torch.meshgrid(torch.arange(num_nodes), torch.arange(num_nodes),
                                         indexing="ij")
        pairs = torch.stack([source.reshape(-1), target.reshape(-1)])  # [2, N^2]
        if not self_loops:
            pairs = pairs[:, pairs[0] != pairs[1]]
        if duplicates:
            chosen = torch.randint(0, pairs.size(1), (num_edges,), generator=generator)
        else:
            if num_edges > pairs.size(1):
                raise ValueError(f"num_edges: only {pairs.size(1)} distinct edges exist")
            chosen = torch.randperm(pairs.size(1), generator=generator)[:num_edges]
        edge_index = pairs[:, chosen]
    if not directed:
        edge_index = to_undirected(edge_index, num_nodes=num_nodes)
    return x, edge_index


def undirected_edges(pairs: list[tuple[int, int]]) -> Tensor:
    """The edge_index [2, 2P] of the undirected graph with edges ``pairs``: each pair in both
    directions, the given directions first."""
    edges = torch.tensor(pairs, dtype=torch.long).reshape(-1, 2).t()  # [2, P]
    return torch.cat([edges, edges.flip(0)], dim=1)


def graphs_and_permutations(min_nodes: int = 1, max_nodes: int = 8, max_edges: int = 20):
    """Hypothesis strategy: ``(N, edge_index [2, E], permutation [N])`` with random directed
    edges (self-loops and repeats allowed, E <= max_edges) and a random relabelling.

    hypothesis is imported here, not at the top, so that tests which only need the other
    helpers also run where hypothesis is not installed (the Colab-like environment)."""
    from hypothesis import strategies as st

    @st.composite
    def draw_graph(draw: Callable) -> tuple[int, Tensor, Tensor]:
        num_nodes = draw(st.integers(min_nodes, max_nodes))
        node = st.integers(0, num_nodes - 1)
        pairs = draw(st.lists(st.tuples(node, node), max_size=max_edges))
        edge_index = torch.tensor(pairs, dtype=torch.long).t().reshape(2, -1)
        permutation = torch.tensor(draw(st.permutations(list(range(num_nodes)))),
                                   dtype=torch.long)
        return num_nodes, edge_index, permutation

    return draw_graph()


def _close(got: Tensor, expected: Tensor, atol: float, what: str) -> None:
    assert got.shape == expected.shape, f"{what}: shape {list(got.shape)} != {list(expected.shape)}"
    gap = float((got - expected).abs().max()) if got.numel() else 0.0
    assert gap <= atol, f"{what}: largest difference {gap:.3g} > {atol:g}"


def assert_permutation_equivariant(layer_fn: Callable[[Tensor, Tensor], Tensor], x: Tensor,
                                   edge_index: Tensor, permutation: Tensor | None = None, *,
                                   seed: int = 0, atol: float = 1e-5) -> None:
    """``f(P x, P A P^T) == P f(x, A)``: new node k is old node ``permutation[k]`` (a random
    permutation from ``seed`` when none is given)."""
    n = x.size(0)
    if permutation is None:
        permutation = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    new_id = torch.empty_like(permutation)
    new_id[permutation] = torch.arange(n)  # old id -> new id
    with torch.no_grad():
        expected = layer_fn(x, edge_index)[permutation]
        got = layer_fn(x[permutation], new_id[edge_index])
    _close(got, expected, atol, "permutation equivariance")


def assert_edge_order_invariant(layer_fn: Callable[..., Tensor], x: Tensor, edge_index: Tensor,
                                edge_weight: Tensor | None = None, *, seed: int = 0,
                                atol: float = 1e-5) -> None:
    """``f(x, edges)`` does not depend on the order of the columns of ``edge_index`` (shuffled
    with ``seed``; ``edge_weight`` [E], when given, is shuffled with them and passed third)."""
    order = torch.randperm(edge_index.size(1), generator=torch.Generator().manual_seed(seed))
    if torch.equal(order, torch.arange(edge_index.size(1))):
        order = order.flip(0)  # never the identity (for E >= 2): the check must test something
    with torch.no_grad():
        if edge_weight is None:
            expected, got = layer_fn(x, edge_index), layer_fn(x, edge_index[:, order])
        else:
            expected = layer_fn(x, edge_index, edge_weight)
            got = layer_fn(x, edge_index[:, order], edge_weight[order])
    _close(got, expected, atol, "edge order invariance")


def copy_weights(ours: nn.Module, reference: nn.Module,
                 mapping: Mapping[str, str | Callable[[dict], Tensor]] | None = None) -> nn.Module:
    """Load ``ours``' weights into ``reference`` with ``reference.load_state_dict`` (strict:
    every entry of ``reference`` gets a value) and return ``reference``.

    ``mapping`` gives, for a ``reference`` key, the key of ``ours`` holding the value, or a
    function of ``ours``' state dict (to slice or concatenate); other keys are taken from
    ``ours`` under the same name. Example: ``{"lin_r.weight": lambda s: s["lin.weight"][:, :4]}``.
    """
    mine = ours.state_dict()
    mapping = dict(mapping or {})
    state = {}
    for key in reference.state_dict():
        source = mapping.pop(key, key)
        state[key] = source(mine) if callable(source) else mine[source]
    assert not mapping, f"mapping names keys that the reference does not have: {sorted(mapping)}"
    reference.load_state_dict(state)
    return reference


def mha_mapping(ours: str = "", reference: str = "") -> dict:
    """``copy_weights`` mapping from our ``MultiHeadAttention`` (under prefix ``ours``) to
    ``torch.nn.MultiheadAttention`` (under ``reference``): q, k, v stacked into ``in_proj``."""
    def stacked(kind: str) -> Callable[[dict], Tensor]:
        return lambda s: torch.cat([s[f"{ours}{p}_proj.{kind}"] for p in "qkv"])

    return {f"{reference}in_proj_weight": stacked("weight"),
            f"{reference}in_proj_bias": stacked("bias"),
            f"{reference}out_proj.weight": f"{ours}out_proj.weight",
            f"{reference}out_proj.bias": f"{ours}out_proj.bias"}


def trained_memory_networks(train_dialogues: int, valid_dialogues: int,
                            memory_size: int = 5) -> tuple[list, list, object, dict]:
    """Chapter 09's two memory networks, each trained one seeded epoch (width 16) on generated
    persona dialogues: (training examples, validation examples, vocabulary, {class name:
    model}). Shared by the explorer's analysis and widget tests."""
    from graphcourse.data import generate_dialogues, ranking_examples
    from graphcourse.nn import memnet, memnet_training

    train = ranking_examples(generate_dialogues(train_dialogues, seed=0))
    valid = ranking_examples(generate_dialogues(valid_dialogues, seed=1))
    vocab = memnet.example_vocabulary(train)
    models = {}
    for kind, options in ((memnet.ProfileMemoryRanker, {}),
                          (memnet.KVProfileMemoryRanker, {"memory_size": memory_size})):
        torch.manual_seed(0)
        model = kind(len(vocab), 16, **options)
        memnet_training.train_ranker(model, train, vocab, epochs=1, lr=0.02, batch_size=32,
                                     progress=False, seed=0)
        models[kind.__name__] = model
    return train, valid, vocab, models


def widget_tree(widget):
    """``widget`` and every widget below it (through ``children``), depth first: what the
    explorer tests search for controls and pictures."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from widget_tree(child)
