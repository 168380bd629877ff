import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from graphcourse.nn.attention import (
    MultiHeadAttention,
    causal_mask,
    merge_heads,
    padding_mask,
    scaled_dot_product_attention,
    split_heads,
)
from harness import copy_weights, mha_mapping


def _copied(d_model=16, heads=4, seed=0, bias=True):
    """Our layer and torch's with the same weights (torch stacks W^Q, W^K, W^V in in_proj)."""
    torch.manual_seed(seed)
    ours = MultiHeadAttention(d_model, heads, bias=bias).eval()
    if bias:  # both start biases at zero; make them matter
        with torch.no_grad():
            for lin in (ours.q_proj, ours.k_proj, ours.v_proj, ours.out_proj):
                lin.bias.normal_()
    ref = nn.MultiheadAttention(d_model, heads, batch_first=True, bias=bias).eval()
    mapping = mha_mapping()
    if not bias:
        mapping = {key: value for key, value in mapping.items() if "bias" not in key}
    return ours, copy_weights(ours, ref, mapping)


def test_sdpa_tiny_example_by_hand():
    q = torch.tensor([[1.0, 0.0]])  # one query
    k = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    v = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    out, w = scaled_dot_product_attention(q, k, v)
    a = math.exp(1 / math.sqrt(2))
    expected = torch.tensor([[a / (a + 1), 1 / (a + 1)]])
    assert torch.allclose(w, expected)
    assert torch.allclose(out, expected @ v)


def test_sdpa_matches_torch_with_mask_and_bias():
    torch.manual_seed(1)
    q, k, v = torch.randn(2, 3, 5, 4), torch.randn(2, 3, 6, 4), torch.randn(2, 3, 6, 7)
    mask = torch.rand(2, 1, 5, 6) > 0.3
    mask[..., 0] = True  # every query keeps a key
    bias = torch.randn(2, 3, 5, 6)
    out, w = scaled_dot_product_attention(q, k, v, mask=mask, bias=bias)
    ref = nn.functional.scaled_dot_product_attention(
        q, k, v, attn_mask=bias.masked_fill(~mask, float("-inf")))
    assert torch.allclose(out, ref, atol=1e-6)
    assert torch.allclose(w.sum(-1), torch.ones(2, 3, 5), atol=1e-6)
    assert bool((w.masked_select(~mask.expand_as(w)) == 0).all())


def test_fully_masked_row_gets_zero_weights_not_nan():
    q = k = v = torch.randn(1, 3, 4)
    mask = torch.tensor([[True, True, False], [False, False, False], [True, False, False]])
    out, w = scaled_dot_product_attention(q, k, v, mask=mask)
    assert torch.isfinite(out).all() and torch.isfinite(w).all()
    assert torch.equal(w[0, 1], torch.zeros(3)) and torch.equal(out[0, 1], torch.zeros(4))
    assert torch.allclose(w[0, 2], torch.tensor([1.0, 0.0, 0.0]))


def test_bias_minus_inf_acts_like_a_mask():
    torch.manual_seed(2)
    q = k = v = torch.randn(2, 4, 3)
    mask = torch.rand(2, 4, 4) > 0.5
    mask |= torch.eye(4, dtype=torch.bool)
    out_m, w_m = scaled_dot_product_attention(q, k, v, mask=mask)
    bias = torch.zeros(2, 4, 4).masked_fill(~mask, float("-inf"))
    out_b, w_b = scaled_dot_product_attention(q, k, v, bias=bias)
    assert torch.allclose(out_m, out_b, atol=1e-6) and torch.allclose(w_m, w_b, atol=1e-6)


@pytest.mark.parametrize("bias", [True, False])
def test_mha_parity_without_mask(bias):
    ours, ref = _copied(bias=bias)
    x = torch.randn(3, 7, 16)
    out, w = ours(x)
    ref_out, ref_w = ref(x, x, x, average_attn_weights=False)
    assert (out - ref_out).abs().max() <= 1e-5
    assert (w - ref_w).abs().max() <= 1e-5


def test_mha_parity_cross_attention_with_padding_and_causal_masks():
    ours, ref = _copied(d_model=24, heads=3, seed=3)
    query, memory = torch.randn(2, 5, 24), torch.randn(2, 6, 24)
    key_ok = torch.tensor([[True] * 6, [True] * 4 + [False] * 2])  # second item padded
    out, w = ours(query, memory, memory, mask=key_ok[:, None, None, :])
    ref_out, ref_w = ref(query, memory, memory, key_padding_mask=~key_ok,
                         average_attn_weights=False)
    assert (out - ref_out).abs().max() <= 1e-5 and (w - ref_w).abs().max() <= 1e-5

    causal = causal_mask(5)
    x = torch.randn(2, 5, 24)
    out, w = ours(x, mask=causal)
    ref_out, ref_w = ref(x, x, x, attn_mask=~causal, average_attn_weights=False)
    assert (out - ref_out).abs().max() <= 1e-5 and (w - ref_w).abs().max() <= 1e-5
    assert bool((w[..., ~causal] == 0).all())


def test_mha_parity_of_gradients():
    ours, ref = _copied(seed=4)
    x = torch.randn(2, 5, 16, requires_grad=True)
    y = x.detach().clone().requires_grad_()
    mask = causal_mask(5)
    ours(x, mask=mask)[0].square().sum().backward()
    ref(y, y, y, attn_mask=~mask)[0].square().sum().backward()
    ref_q = ref.in_proj_weight.grad.chunk(3)[0]
    for got, expected in ((x.grad, y.grad), (ours.out_proj.weight.grad, ref.out_proj.weight.grad),
                          (ours.q_proj.weight.grad, ref_q)):
        # Gradients reach ~100 here: compare relative to their size.
        assert (got - expected).abs().max() <= 1e-5 * (1 + expected.abs().max())


def test_per_head_bias_broadcasts_and_changes_each_head():
    ours, _ = _copied(seed=5)
    x = torch.randn(2, 4, 16)
    bias = torch.zeros(2, 4, 4, 4)
    bias[:, 1, :, 0] = 10.0  # head 1 strongly prefers key 0
    _, w = ours(x, bias=bias)
    _, w0 = ours(x)
    assert torch.allclose(w[:, 0], w0[:, 0]) and bool((w[:, 1, :, 0] > 0.9).all())
    _, shared = ours(x, bias=torch.zeros(4, 4))  # [T_q, T_k] broadcasts over B and H
    assert torch.allclose(shared, w0)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), tokens=st.integers(1, 7), heads=st.sampled_from([1, 2, 4]))
def test_self_attention_is_permutation_equivariant(seed, tokens, heads):
    """Without positional encoding, permuting the tokens permutes the outputs the same way."""
    torch.manual_seed(seed)
    layer = MultiHeadAttention(8, heads).eval()
    x = torch.randn(2, tokens, 8)
    perm = torch.randperm(tokens)
    out, w = layer(x)
    out_p, w_p = layer(x[:, perm])
    assert torch.allclose(out_p, out[:, perm], atol=1e-5)
    assert torch.allclose(w_p, w[:, :, perm][:, :, :, perm], atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), t_q=st.integers(1, 6), t_k=st.integers(1, 6))
def test_rows_sum_to_one_and_masked_weights_are_zero(seed, t_q, t_k):
    torch.manual_seed(seed)
    q, k, v = torch.randn(2, t_q, 4), torch.randn(2, t_k, 4), torch.randn(2, t_k, 3)
    mask = torch.rand(2, t_q, t_k) > 0.4
    out, w = scaled_dot_product_attention(q, k, v, mask=mask)
    sums = w.sum(-1)
    has_key = mask.any(-1)
    assert torch.allclose(sums[has_key], torch.ones_like(sums[has_key]), atol=1e-6)
    assert bool((sums[~has_key] == 0).all())
    assert bool((w[~mask] == 0).all())
    assert torch.isfinite(out).all()


def test_split_and_merge_heads_are_inverse():
    x = torch.arange(2 * 3 * 8, dtype=torch.float).reshape(2, 3, 8)
    h = split_heads(x, 4)
    assert h.shape == (2, 4, 3, 2)
    assert torch.equal(h[0, 1, 2], x[0, 2, 2:4])  # head 1 gets features 2-3
    assert torch.equal(merge_heads(h), x)
    with pytest.raises(ValueError, match="divisible"):
        split_heads(x, 3)


def test_causal_and_padding_masks():
    assert torch.equal(causal_mask(3), torch.tensor([[1, 0, 0], [1, 1, 0], [1, 1, 1]]).bool())
    tokens = torch.tensor([[5, 6, 0], [7, 0, 0]])
    pad = padding_mask(tokens, 0)
    assert pad.shape == (2, 1, 1, 3)
    assert pad[1, 0, 0].tolist() == [True, False, False]
    assert (causal_mask(3) & pad).shape == (2, 1, 3, 3)
    with pytest.raises(ValueError, match="tokens: expected an int >= 1, got 0"):
        causal_mask(0)
    with pytest.raises(TypeError, match="device: expected a torch.device"):
        causal_mask(3, device=0.5)
    with pytest.raises(TypeError, match="pad_id: expected an int"):
        padding_mask(tokens, 0.5)  # would match no token: every position "real"
    with pytest.raises(ValueError, match="pad_id: expected an int >= 0"):
        padding_mask(tokens, -1)
    with pytest.raises(TypeError, match="tokens: expected an integer tensor, got dtype torch.bool"):
        padding_mask(tokens > 0, 0)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"mask": torch.ones(2, 5, 5, dtype=torch.bool)}, ValueError,
     r"mask: expected \[T_q, T_k\] or \[B, H, T_q, T_k\].*3-D mask is ambiguous"),
    ({"mask": torch.ones(5, dtype=torch.bool)}, ValueError, "mask: expected"),
    ({"bias": torch.zeros(2, 5, 5)}, ValueError, "bias: expected .* 3-D bias is ambiguous"),
    ({"mask": torch.ones(2, 1, 5, 5, dtype=torch.long)}, TypeError, "mask: expected a bool"),
    ({"mask": [[True] * 5] * 5}, TypeError, "mask: expected a torch.Tensor"),
])
def test_mha_refuses_masks_of_the_wrong_kind(kwargs, error, match):
    # With B = H = 2 a 3-D mask [B, T, T] would broadcast silently as one mask per head.
    layer = MultiHeadAttention(8, 2)
    with pytest.raises(error, match=match):
        layer(torch.randn(2, 5, 8), **kwargs)


def test_dropout_only_while_training():
    torch.manual_seed(6)
    layer = MultiHeadAttention(8, 2, dropout=0.5)
    x = torch.randn(1, 5, 8)
    layer.eval()
    a, b = layer(x)[0], layer(x)[0]
    assert torch.equal(a, b)
    layer.train()
    assert not torch.equal(layer(x)[1], layer(x)[1])


def test_bad_inputs_give_clear_errors():
    with pytest.raises(ValueError, match="d_model: 10 is not divisible by heads = 4"):
        MultiHeadAttention(10, 4)
    with pytest.raises(TypeError, match="heads"):
        MultiHeadAttention(8, 2.0)
    with pytest.raises(ValueError, match="dropout"):
        MultiHeadAttention(8, 2, dropout=1.0)
    layer = MultiHeadAttention(8, 2)
    x = torch.randn(2, 5, 8)
    message = (r"mask: expected a tensor broadcastable to \[B, H, T_q, T_k\] = \[2, 2, 5, 5\], "
               r"got shape \[5, 4\]")
    with pytest.raises(ValueError, match=message):
        layer(x, mask=torch.ones(5, 4, dtype=torch.bool))
    with pytest.raises(TypeError, match="mask: expected a bool tensor"):
        layer(x, mask=torch.ones(5, 5))
    with pytest.raises(TypeError, match="bias: expected dtype torch.float32"):
        layer(x, bias=torch.zeros(5, 5, dtype=torch.float64))
    with pytest.raises(TypeError, match="bias: expected a floating-point"):
        layer(x, bias=torch.zeros(5, 5, dtype=torch.long))
    with pytest.raises(TypeError, match="query: expected dtype torch.float32"):
        layer(x.double())
    with pytest.raises(TypeError, match="query: expected a floating-point"):
        layer(torch.zeros(2, 5, 8, dtype=torch.long))
    with pytest.raises(ValueError, match=r"query: expected shape \[B, T, 8\]"):
        layer(torch.randn(2, 5, 6))
    with pytest.raises(ValueError, match=r"query: expected shape \[B, T, 8\], got \[5, 8\]"):
        layer(torch.randn(5, 8))
    with pytest.raises(ValueError, match="key: expected batch size 2"):
        layer(x, torch.randn(3, 5, 8))
    with pytest.raises(ValueError, match="value: expected T_k = 5"):
        layer(x, torch.randn(2, 5, 8), torch.randn(2, 4, 8))
    with pytest.raises(ValueError, match="key: expected last dimension"):
        scaled_dot_product_attention(torch.randn(3, 4), torch.randn(3, 5), torch.randn(3, 5))
    with pytest.raises(TypeError, match="key: expected dtype"):
        scaled_dot_product_attention(torch.randn(3, 4), torch.randn(3, 4).double(),
                                     torch.randn(3, 4))


def test_flags_are_checked():
    q = torch.randn(2, 3, 4)
    with pytest.raises(TypeError, match="training: expected True or False"):
        scaled_dot_product_attention(q, q, q, training=1)
    with pytest.raises(TypeError, match="bias: expected True or False"):
        MultiHeadAttention(8, 2, bias=None)
    with pytest.raises(TypeError, match="heads: expected an int"):
        split_heads(torch.randn(1, 2, 8), 2.0)


def test_reset_parameters_and_repr():
    layer = MultiHeadAttention(16, 4, dropout=0.1)
    assert repr(layer) == "MultiHeadAttention(d_model=16, heads=4, d_k=4, dropout=0.1)"
    with torch.no_grad():
        layer.q_proj.bias.fill_(3.0)
        layer.out_proj.weight.fill_(1.0)
    layer.reset_parameters()
    assert torch.equal(layer.q_proj.bias, torch.zeros(16))
    assert layer.out_proj.weight.abs().max() <= math.sqrt(6 / 32)


@pytest.mark.parametrize("dropout, error", [("0.1", TypeError), (None, TypeError),
                                            (True, TypeError), (1.0, ValueError)])
def test_dropout_must_be_a_probability(dropout, error):
    q = torch.randn(2, 3, 4)
    with pytest.raises(error, match="dropout"):
        scaled_dot_product_attention(q, q, q, dropout=dropout)
    with pytest.raises(error, match="dropout"):
        MultiHeadAttention(8, 2, dropout=dropout)
