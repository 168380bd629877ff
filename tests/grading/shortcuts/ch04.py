"""Chapter 04 answered through the package or ruled-out library functions: every such exercise
scores 0."""

SHORTCUTS = {
    # the package's private helper behind gcnn.scaled_dot_product_attention
    "ex1-sdpa": '''def scaled_dot_product_attention(q, k, v, mask=None):
    from graphcourse.nn import attention as inside
    return inside._attend(q, k, v, mask, None, 0.0, False)
''',
    # a direct import under the exercise's own name
    "ex2-causal": '''from graphcourse.nn import causal_mask
''',
    # aliases kept in a closure
    "ex3-heads": '''import graphcourse.nn as _kit


def _borrow(name):
    finished = getattr(_kit, name)

    def answer(*args):
        return finished(*args)
    return answer


split_heads = _borrow("split_heads")
merge_heads = _borrow("merge_heads")
''',
    # reached through another module: the explorer's pure function computes the table
    "ex4-pe": '''def positional_encoding(length, d_model):
    from graphcourse.nn.analysis import positional_view
    return positional_view(0, 0, d_model, length).encoding
''',
    # the scheduler factor of the package, one step shifted
    "ex5-warmup": '''def warmup_lr(step, d_model, warmup):
    from graphcourse.nn import noam_lambda as schedule
    return schedule(d_model, warmup)(step - 1)
''',
    # the library one-liner the statement rules out
    "ex6-smoothing": '''def smoothed_cross_entropy(logits, target, eps):
    import torch.nn.functional as F
    return F.cross_entropy(logits, target, label_smoothing=eps)
''',
    # a subclass of the finished layer whose parts are the ones handed in
    "ex7-encoder": '''def encoder_layer(x, attention, ffn, norm1, norm2, mask=None):
    import torch
    from graphcourse.nn.transformer_layers import EncoderLayer, _Residual

    class Shell(EncoderLayer):
        def __init__(self):
            torch.nn.Module.__init__(self)
            object.__setattr__(self, "self_attn", attention)
            object.__setattr__(self, "ffn", ffn)
            for name, norm in (("sub_attn", norm1), ("sub_ffn", norm2)):
                wrapper = _Residual(x.size(-1), 0.0, False)
                object.__setattr__(wrapper, "norm", norm)
                object.__setattr__(self, name, wrapper)

    return Shell()(x, mask=mask)
''',
}
