"""The Structure-Aware Transformer (graphcourse.nn.sat)."""

import dataclasses

import pytest
import torch
from torch_geometric.data import Batch, Data
from torch_geometric.utils import degree

from graphcourse.nn.sat import SAT, SATAttention, SATConfig, SATLayer
from harness import random_graph


def _graph(n, seed, types=3, pe_dim=4):
    """A random undirected graph with categorical x, an isolated last node, rwpe and lappe."""
    generator = torch.Generator().manual_seed(seed)
    edge_index = torch.empty(2, 0, dtype=torch.long)
    if n > 2:
        _, edge_index = random_graph(n - 1, 2 * n, 1, seed, self_loops=False, directed=False)
    return Data(x=torch.randint(0, types, (n,), generator=generator), edge_index=edge_index,
                rwpe=torch.rand(n, pe_dim, generator=generator),
                lappe=torch.randn(n, pe_dim, generator=generator), num_nodes=n)


def _model(**fields):
    torch.manual_seed(0)
    base = dict(num_node_types=3, dim=8, heads=2, layers=2, k=2, pe="rw", pe_dim=4,
                out_channels=3)
    base.update(fields)
    model = SAT(**base)
    for module in model.modules():  # running statistics that are not the identity
        if isinstance(module, torch.nn.BatchNorm1d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2)
    return model.eval()


def _permute(graph, perm):
    """New node perm[old]."""
    out = graph.clone()
    for name in ("x", "rwpe", "lappe"):
        value = torch.empty_like(graph[name])
        value[perm] = graph[name]
        out[name] = value
    out.edge_index = perm[graph.edge_index]
    return out


# ---------------------------------------------------------------------------- attention
def test_attention_equals_torch_multihead_attention_per_graph():
    torch.manual_seed(0)
    sizes = [4, 1, 7]
    x, s = torch.randn(12, 8), torch.randn(12, 8)
    batch = torch.repeat_interleave(torch.arange(3), torch.tensor(sizes))
    ours = SATAttention(8, 2)
    reference = torch.nn.MultiheadAttention(8, 2, bias=False, batch_first=True)
    a = ours.attention
    reference.load_state_dict({
        "in_proj_weight": torch.cat([a.q_proj.weight, a.k_proj.weight, a.v_proj.weight]),
        "out_proj.weight": a.out_proj.weight})
    out, weights = ours(x, s, batch, return_attention=True)
    assert weights.shape == (3, 2, 7, 7)
    start = 0
    for g, n in enumerate(sizes):
        part = slice(start, start + n)
        expected, expected_weights = reference(s[None, part], s[None, part], x[None, part],
                                               average_attn_weights=False)
        assert torch.allclose(out[part], expected[0], atol=1e-5)
        assert torch.allclose(weights[g, :, :n, :n], expected_weights[0], atol=1e-5)
        assert not weights[g, :, :, n:].any()  # padding is never attended to
        start += n
    assert ours(x, s)[1] is None


# ---------------------------------------------------------------------------- layer
def test_layer_with_degree_factor_follows_its_equation():
    x, edge_index = random_graph(9, 14, 8, seed=1, directed=True)
    x = torch.cat([x, torch.randn(1, 8)])  # an isolated node: factor 1
    torch.manual_seed(0)
    layer = SATLayer(8, 2, 2, "subtree").eval()
    s = layer.extractor(x, edge_index)
    attended, _ = layer.attention(x, s)
    deg = degree(edge_index[0], 10)
    y = layer.norm1(x + attended / torch.sqrt(1 + deg)[:, None])
    expected = layer.norm2(y + layer.ffn(y))
    assert torch.allclose(layer(x, edge_index)[0], expected, atol=1e-5)
    layer.degree_scale = False
    y = layer.norm1(x + attended)
    assert torch.allclose(layer(x, edge_index)[0], layer.norm2(y + layer.ffn(y)), atol=1e-5)


def test_layer_with_k_zero_is_a_post_norm_transformer_layer():
    torch.manual_seed(0)
    sizes = [5, 3]
    x = torch.randn(8, 8)
    batch = torch.repeat_interleave(torch.arange(2), torch.tensor(sizes))
    edge_index = torch.tensor([[0, 1, 5], [1, 2, 6]])
    layer = SATLayer(8, 2, 0, norm="layer", degree_scale=False).eval()
    reference = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True).eval()
    a, state = layer.attention.attention, layer.state_dict()
    reference.load_state_dict({
        "self_attn.in_proj_weight": torch.cat([a.q_proj.weight, a.k_proj.weight,
                                               a.v_proj.weight]),
        "self_attn.in_proj_bias": torch.zeros(24),
        "self_attn.out_proj.weight": a.out_proj.weight,
        "self_attn.out_proj.bias": torch.zeros(8),
        "linear1.weight": state["ffn.0.weight"], "linear1.bias": state["ffn.0.bias"],
        "linear2.weight": state["ffn.3.weight"], "linear2.bias": state["ffn.3.bias"],
        **{f"norm{i}.{p}": state[f"norm{i}.{p}"] for i in (1, 2) for p in ("weight", "bias")}})
    out, _ = layer(x, edge_index, batch)
    with torch.no_grad():
        assert torch.allclose(out[:5], reference(x[None, :5])[0], atol=1e-5)
        assert torch.allclose(out[5:], reference(x[None, 5:])[0], atol=1e-5)


# ---------------------------------------------------------------------------- model
@pytest.mark.parametrize("extractor", ["subgraph", "subtree"])
@pytest.mark.parametrize("readout", ["mean", "sum", "cls", None])
def test_model_symmetries(extractor, readout):
    graph = _graph(9, 0)
    model = _model(extractor=extractor, readout=readout)
    perm = torch.randperm(9, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        out, moved = model(graph), model(_permute(graph, perm))
    if readout is None:  # node-level: equivariant
        expected = torch.empty_like(out)
        expected[perm] = out
        assert torch.allclose(moved, expected, atol=1e-5)
    else:  # graph-level: invariant
        assert out.shape == (1, 3) and torch.allclose(moved, out, atol=1e-5)


@pytest.mark.parametrize("fields", [dict(extractor="subgraph"), dict(extractor="subtree"),
                                    dict(k=0), dict(readout="cls"), dict(readout=None),
                                    dict(pe="lap", readout="sum", norm="layer")])
def test_a_padded_batch_gives_what_each_graph_gives_alone(fields):
    graphs = [_graph(n, seed) for seed, n in enumerate([6, 2, 9, 1])]
    model = _model(**fields)
    with torch.no_grad():
        batched = model.encode(Batch.from_data_list(graphs), return_attention=True)
        out = model(Batch.from_data_list(graphs))
        start = 0
        for g, graph in enumerate(graphs):
            n = graph.num_nodes
            alone = model.encode(graph, return_attention=True)
            assert torch.allclose(batched.nodes[start:start + n], alone.nodes, atol=1e-5)
            for got, expected in zip(batched.attention, alone.attention):
                assert torch.allclose(got[g, :, :n, :n], expected[0], atol=1e-5)
            if fields.get("readout", "mean") is not None:
                assert torch.allclose(out[g], model(graph)[0], atol=1e-5)
            start += n
    assert batched.mask.sum(1).tolist() == [6, 2, 9, 1]


def test_cls_readout_is_a_token_without_edges_and_degree_factor():
    graphs = [_graph(5, 3), _graph(7, 4)]
    model = _model(readout="cls", extractor="subtree")
    with torch.no_grad():
        encoded = model.encode(Batch.from_data_list(graphs), return_attention=True)
        for g, graph in enumerate(graphs):  # by hand: the token as node 0, ids shifted by one
            h = model.embedding(graph.x) + model.pe_embedding(graph.rwpe)
            h = torch.cat([model.cls_token, h])
            for layer in model.layers:
                assert not layer.degree_scale
                h, weights = layer(h, graph.edge_index + 1, return_attention=True)
            assert torch.allclose(encoded.graph[g], h[0], atol=1e-5)
            assert torch.allclose(encoded.nodes[5 * g:5 * g + graph.num_nodes], h[1:],
                                  atol=1e-5)
        rows = encoded.attention[-1][1].sum(-1)  # [H, N]: without the token's column
        assert rows.shape == (2, 7) and bool((rows < 1).all())


def test_k_zero_is_the_transformer_with_pe():
    graph = Batch.from_data_list([_graph(6, 0), _graph(4, 1)])
    plain = _model(k=0)
    none = _model(k=2, extractor=None)
    assert plain.layers[0].extractor is None and none.layers[0].extractor is None
    none.load_state_dict(plain.state_dict())
    with torch.no_grad():
        assert torch.allclose(plain(graph), none(graph))
    structured = _model(k=2)
    assert len(list(structured.parameters())) > len(list(plain.parameters()))


def test_node_level_float_features_and_training():
    torch.manual_seed(0)
    graph = _graph(8, 2)
    graph.x = torch.randn(8, 5)
    model = SAT(in_features=5, dim=8, heads=2, layers=1, k=1, pe=None, readout=None,
                out_channels=2, dropout=0.1).train()
    out = model(graph)
    assert out.shape == (8, 2)
    out.square().sum().backward()
    assert all(p.grad is not None for p in model.parameters())


def test_config_is_frozen_and_exclusive():
    config = SATConfig(num_node_types=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.dim = 4
    with pytest.raises(ValueError, match="set exactly one"):
        SATConfig()
    with pytest.raises(TypeError, match="config: pass either"):
        SAT(config, dim=8)
    assert "SAT(num_node_types=2" in repr(SAT(config))
