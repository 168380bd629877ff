"""Small graphs and the permutation-equivariance check shared by the layer tests."""

import torch
from hypothesis import strategies as st


def random_graph(num_nodes=6, num_edges=14, features=4, seed=0):
    """Features [N, F] and random directed edges [2, E] (self-loops and repeats allowed)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(num_nodes, features, generator=generator)
    edge_index = torch.randint(0, num_nodes, (2, num_edges), generator=generator)
    return x, edge_index


def draw_graph(data, num_nodes, max_edges=20):
    """Draw (edge_index [2, E], permutation [N]) with hypothesis's ``st.data()``."""
    pairs = data.draw(st.lists(st.tuples(st.integers(0, num_nodes - 1),
                                         st.integers(0, num_nodes - 1)), max_size=max_edges))
    permutation = torch.tensor(data.draw(st.permutations(list(range(num_nodes)))))
    return torch.tensor(pairs, dtype=torch.long).t().reshape(2, -1), permutation


def assert_equivariant(layer, x, edge_index, permutation, atol=1e-5):
    """layer(P x, P A P^T) == P layer(x, A), where new node k is old node permutation[k]."""
    new_id = torch.empty_like(permutation)
    new_id[permutation] = torch.arange(permutation.numel())
    expected = layer(x, edge_index)[permutation]
    assert torch.allclose(layer(x[permutation], new_id[edge_index]), expected, atol=atol)
