"""Chapter 04's usual mistakes: each fails its visible test, and grading names the case."""

MISTAKES = {
    # The mask applied after the softmax: the blocked weights are zeroed, but the others no
    # longer sum to 1. Without a mask it is right, so only a masked case tells it apart.
    "ex1-sdpa": ('''def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''', "blocks key 1"),
    # torch.tril of a float matrix: the right pattern, but 1.0/0.0 where a bool mask belongs
    # (``~mask`` then fails, and masked_fill wants bools).
    "ex2-causal": ('''def causal_mask(T):
    return torch.tril(torch.ones(T, T))
''', "torch.bool tensor"),
    # ``view`` after a transpose: it happens to work on split_heads' own output, which is a
    # transposed view of contiguous memory, and raises on a fresh [B, H, T, d_k] tensor.
    "ex3-heads": ('''def split_heads(x, heads):
    B, T, D = x.shape
    return x.reshape(B, T, heads, D // heads).transpose(1, 2)


def merge_heads(x):
    B, H, T, d_k = x.shape
    return x.transpose(1, 2).view(B, T, H * d_k)
''', "merge_heads(y) for y = 0..7"),
    # Sines and cosines swapped: every column has the right frequency and the wrong phase.
    "ex4-pe": ('''def positional_encoding(length, d_model):
    pos = torch.arange(length, dtype=torch.float)[:, None]
    angle = pos / 10000 ** (torch.arange(0, d_model, 2, dtype=torch.float) / d_model)
    pe = torch.zeros(length, d_model)
    pe[:, 0::2] = torch.cos(angle)
    pe[:, 1::2] = torch.sin(angle)
    return pe
''', "row 0 (position 0)"),
    # max instead of min: the same value at the peak, far too large before and after it.
    "ex5-warmup": ('''def warmup_lr(step, d_model, warmup):
    return d_model ** -0.5 * max(step ** -0.5, step * warmup ** -1.5)
''', "before the peak"),
    # log(softmax(...)): right for moderate logits, log 0 = -inf once a probability underflows.
    "ex6-smoothing": ('''def smoothed_cross_entropy(logits, target, eps):
    log_p = torch.log(torch.softmax(logits, dim=-1))
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    return ((1 - eps) * nll - eps * log_p.mean(dim=-1)).mean()
''', "use log_softmax"),
    # The mask never reaches the attention: padded tokens are attended to as if real.
    "ex7-encoder": ('''def encoder_layer(x, attention, ffn, norm1, norm2, mask=None):
    attended, _ = attention(x)
    x = norm1(x + attended)
    return norm2(x + ffn(x))
''', "a mask that blocks token 1"),
}
