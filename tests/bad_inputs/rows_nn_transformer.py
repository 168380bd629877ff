"""Bad inputs for attention and the Transformer in ``graphcourse.nn`` (chapter 04)."""

import torch

from graphcourse.nn import attention, recipe, transformer, transformer_layers

from . import Bad

Q = torch.randn(2, 3, 4)
X = torch.randn(2, 5, 8)  # [B, T, D] for d_model = 8
TOKENS = torch.tensor([[3, 4, 0], [5, 0, 0]])
SMALL = {"d_model": 16, "heads": 2, "d_ff": 32, "max_len": 8}

A = "graphcourse.nn.attention:"
T = "graphcourse.nn.transformer:"
L = "graphcourse.nn.transformer_layers:"
R = "graphcourse.nn.recipe:"


def _model():
    return transformer.Seq2SeqTransformer(transformer.TransformerConfig(**SMALL))


def _save_plain(path):
    from graphcourse import checkpoints

    checkpoints.save(torch.nn.Linear(2, 2), path)
    return path


ROWS = [
    # ----------------------------------------------------------------- attention
    Bad(A + "scaled_dot_product_attention", "int mask (additive masks go in bias)",
        lambda: attention.scaled_dot_product_attention(Q, Q, Q, mask=torch.ones(3, 3)),
        TypeError, r"mask: expected a bool tensor .*pass it as bias"),
    Bad(A + "scaled_dot_product_attention", "mask of the wrong shape",
        lambda: attention.scaled_dot_product_attention(
            Q, Q, Q, mask=torch.ones(3, 2, dtype=torch.bool)), ValueError,
        r"mask: expected a tensor broadcastable to \[\.\.\., T_q, T_k\]"),
    Bad(A + "scaled_dot_product_attention", "keys of another width",
        lambda: attention.scaled_dot_product_attention(Q, torch.randn(2, 3, 5), Q), ValueError,
        r"key: expected last dimension d_k = 4"),
    Bad(A + "scaled_dot_product_attention", "dropout as a string",
        lambda: attention.scaled_dot_product_attention(Q, Q, Q, dropout="0.1"), TypeError,
        r"dropout: expected"),
    Bad(A + "scaled_dot_product_attention", "training as 1",
        lambda: attention.scaled_dot_product_attention(Q, Q, Q, training=1), TypeError,
        r"training: expected True or False"),
    Bad(A + "split_heads", "width not divisible by heads",
        lambda: attention.split_heads(X, 3), ValueError, r"x: width D = 8 is not divisible"),
    Bad(A + "split_heads", "float heads",
        lambda: attention.split_heads(X, 2.0), TypeError, r"heads: expected an int"),
    Bad(A + "merge_heads", "3-D input",
        lambda: attention.merge_heads(X), ValueError, r"x: expected a 4-D tensor"),
    Bad(A + "causal_mask", "zero tokens",
        lambda: attention.causal_mask(0), ValueError, r"tokens: expected an int >= 1, got 0"),
    Bad(A + "causal_mask", "float tokens",
        lambda: attention.causal_mask(3.0), TypeError, r"tokens: expected an int"),
    Bad(A + "causal_mask", "device as a number",
        lambda: attention.causal_mask(3, device=0.5), TypeError,
        r"device: expected a torch.device"),
    Bad(A + "padding_mask", "float pad_id (matches no token)",
        lambda: attention.padding_mask(TOKENS, 0.5), TypeError, r"pad_id: expected an int"),
    Bad(A + "padding_mask", "negative pad_id",
        lambda: attention.padding_mask(TOKENS, -1), ValueError, r"pad_id: expected an int >= 0"),
    Bad(A + "padding_mask", "float token ids",
        lambda: attention.padding_mask(TOKENS.float(), 0), TypeError,
        r"tokens: expected an integer tensor"),
    Bad(A + "padding_mask", "1-D token ids",
        lambda: attention.padding_mask(TOKENS[0], 0), ValueError, r"tokens: expected a 2-D"),
    Bad(A + "MultiHeadAttention", "width not divisible by heads",
        lambda: attention.MultiHeadAttention(10, 4), ValueError,
        r"d_model: 10 is not divisible by heads = 4"),
    Bad(A + "MultiHeadAttention", "bias as None",
        lambda: attention.MultiHeadAttention(8, 2, bias=None), TypeError,
        r"bias: expected True or False"),
    Bad(A + "MultiHeadAttention", "dropout of 1",
        lambda: attention.MultiHeadAttention(8, 2, dropout=1.0), ValueError, r"dropout"),
    Bad(A + "MultiHeadAttention", "float mask",
        lambda: attention.MultiHeadAttention(8, 2)(X, mask=torch.ones(5, 5)), TypeError,
        r"mask: expected a bool tensor"),
    Bad(A + "MultiHeadAttention", "3-D mask (batch or heads?)",
        lambda: attention.MultiHeadAttention(8, 2)(X, mask=torch.ones(2, 5, 5, dtype=torch.bool)),
        ValueError, r"mask: expected \[T_q, T_k\] or \[B, H, T_q, T_k\].*ambiguous"),
    Bad(A + "MultiHeadAttention", "mask of the wrong length",
        lambda: attention.MultiHeadAttention(8, 2)(X, mask=torch.ones(5, 4, dtype=torch.bool)),
        ValueError,
        r"mask: expected a tensor broadcastable to \[B, H, T_q, T_k\] = \[2, 2, 5, 5\]"),
    Bad(A + "MultiHeadAttention", "float64 bias",
        lambda: attention.MultiHeadAttention(8, 2)(X, bias=torch.zeros(5, 5).double()), TypeError,
        r"bias: expected dtype torch.float32"),
    Bad(A + "MultiHeadAttention", "queries of the wrong width",
        lambda: attention.MultiHeadAttention(8, 2)(torch.randn(2, 5, 6)), ValueError,
        r"query: expected shape \[B, T, 8\]"),
    Bad(A + "MultiHeadAttention", "keys of another batch size",
        lambda: attention.MultiHeadAttention(8, 2)(X, torch.randn(3, 5, 8)), ValueError,
        r"key: expected batch size 2"),
    # ----------------------------------------------------------------- transformer layers
    Bad(L + "PositionwiseFeedForward", "zero hidden width",
        lambda: transformer_layers.PositionwiseFeedForward(8, 0), ValueError,
        r"d_ff: expected an int >= 1"),
    Bad(L + "PositionwiseFeedForward", "input of the wrong width",
        lambda: transformer_layers.PositionwiseFeedForward(8, 16)(torch.randn(2, 3, 4)),
        ValueError, r"x: expected shape \[\.\.\., 8\]"),
    Bad(L + "EncoderLayer", "norm_first as a string",
        lambda: transformer_layers.EncoderLayer(8, 2, 16, norm_first="pre"), TypeError,
        r"norm_first: expected True or False"),
    Bad(L + "EncoderLayer", "dropout as a bool",
        lambda: transformer_layers.EncoderLayer(8, 2, 16, dropout=True), TypeError, r"dropout"),
    Bad(L + "EncoderLayer", "3-D mask",
        lambda: transformer_layers.EncoderLayer(8, 2, 16)(
            X, torch.ones(2, 5, 5, dtype=torch.bool)), ValueError, r"mask: .*ambiguous"),
    Bad(L + "EncoderLayer", "input of the wrong width",
        lambda: transformer_layers.EncoderLayer(8, 2, 16)(torch.randn(2, 5, 6)), ValueError,
        r"x: expected shape \[B, T, 8\]"),
    Bad(L + "DecoderLayer", "memory of another batch size",
        lambda: transformer_layers.DecoderLayer(8, 2, 16)(X, torch.randn(1, 4, 8)), ValueError,
        r"memory: expected batch size 2 like y"),
    Bad(L + "DecoderLayer", "memory mask of the wrong length",
        lambda: transformer_layers.DecoderLayer(8, 2, 16)(
            X, torch.randn(2, 4, 8), memory_mask=torch.ones(5, 5, dtype=torch.bool)), ValueError,
        r"memory_mask: expected a tensor broadcastable to \[B, H, T_q, T_k\] = \[2, 2, 5, 4\]"),
    Bad(L + "DecoderLayer", "return_attention as a string",
        lambda: transformer_layers.DecoderLayer(8, 2, 16)(
            X, torch.randn(2, 4, 8), return_attention="yes"), TypeError,
        r"return_attention: expected True or False"),
    # ----------------------------------------------------------------- transformer
    Bad(T + "sinusoidal_encoding", "infinite base",
        lambda: transformer.sinusoidal_encoding(4, 8, base=float("inf")), ValueError,
        r"base: expected a finite number > 1, got inf"),
    Bad(T + "sinusoidal_encoding", "base of 0",
        lambda: transformer.sinusoidal_encoding(4, 8, base=0.0), ValueError,
        r"base: expected a number > 1"),
    Bad(T + "sinusoidal_encoding", "base as a string",
        lambda: transformer.sinusoidal_encoding(4, 8, base="10000"), TypeError,
        r"base: expected a number"),
    Bad(T + "sinusoidal_encoding", "zero length",
        lambda: transformer.sinusoidal_encoding(0, 8), ValueError, r"length: expected an int >= 1"),
    Bad(T + "PositionalEncoding", "longer than max_len",
        lambda: transformer.PositionalEncoding(8, max_len=4)(X), ValueError,
        r"x: expected shape \[B, T <= 4, 8\]"),
    Bad(T + "PositionalEncoding", "dropout as a string",
        lambda: transformer.PositionalEncoding(8, dropout="0.1"), TypeError, r"dropout"),
    Bad(T + "TransformerConfig", "width not divisible by heads",
        lambda: transformer.TransformerConfig(d_model=30, heads=4), ValueError,
        r"d_model: 30 is not divisible by heads = 4"),
    Bad(T + "TransformerConfig", "pad_id outside the source vocabulary",
        lambda: transformer.TransformerConfig(src_vocab=5, pad_id=7), ValueError,
        r"pad_id: 7 is outside the source vocabulary"),
    Bad(T + "TransformerConfig", "positional as a string",
        lambda: transformer.TransformerConfig(positional="sin"), TypeError,
        r"positional: expected True or False"),
    Bad(T + "TransformerConfig", "from_dict with an unknown field",
        lambda: transformer.TransformerConfig.from_dict({"colour": "red"}), ValueError,
        r"values: unknown config fields \['colour'\]"),
    Bad(T + "Seq2SeqTransformer", "a dict instead of a config",
        lambda: transformer.Seq2SeqTransformer({"d_model": 16}), TypeError,
        r"config: expected a TransformerConfig"),
    Bad(T + "Seq2SeqTransformer", "token outside the vocabulary",
        lambda: _model()(torch.tensor([[3, 13]]), torch.tensor([[1]])), ValueError,
        r"src: token ids must lie in \[0, 13\), found 3..13"),
    Bad(T + "Seq2SeqTransformer", "float tokens",
        lambda: _model()(torch.tensor([[3.0, 4.0]]), torch.tensor([[1]])), TypeError,
        r"src: expected an integer tensor"),
    Bad(T + "Seq2SeqTransformer", "source and target batch sizes differ",
        lambda: _model()(torch.tensor([[3, 4]]), torch.tensor([[1], [1]])), ValueError,
        r"tgt_in: expected batch size 1 like src"),
    Bad(T + "Seq2SeqTransformer", "target longer than max_len",
        lambda: _model()(torch.tensor([[3]]), torch.ones(1, 9, dtype=torch.long)), ValueError,
        r"tgt_in: 9 tokens exceed max_len = 8"),
    Bad(T + "Seq2SeqTransformer", "greedy max_len beyond the model's",
        lambda: _model().greedy_decode(torch.tensor([[3, 4]]), max_len=9), ValueError,
        r"max_len: expected at most config.max_len = 8"),
    Bad(T + "save_transformer", "another kind of model",
        lambda: transformer.save_transformer(torch.nn.Linear(2, 2), "m.pt"), TypeError,
        r"model: expected a Seq2SeqTransformer"),
    Bad(T + "save_transformer", "a number instead of a path",
        lambda: transformer.save_transformer(_model(), 3), TypeError,
        r"path: expected a file path"),
    Bad(T + "load_transformer", "no checkpoint there",
        lambda: transformer.load_transformer("/nonexistent/model.pt"), FileNotFoundError,
        r"path: no checkpoint at"),
    Bad(T + "load_transformer", "a checkpoint without a config",
        lambda: transformer.load_transformer(_save_plain(_tmp() + "/plain.pt")), ValueError,
        r"holds no TransformerConfig"),
    # ----------------------------------------------------------------- recipe
    Bad(R + "noam_lambda", "zero warmup",
        lambda: recipe.noam_lambda(64, warmup=0), ValueError, r"warmup: expected an int >= 1"),
    Bad(R + "noam_lambda", "float d_model",
        lambda: recipe.noam_lambda(64.0), TypeError, r"d_model: expected an int"),
    Bad(R + "noam_lambda", "infinite scale",
        lambda: recipe.noam_lambda(64, scale=float("inf")), ValueError,
        r"scale: expected a finite"),
    Bad(R + "noam_lambda", "scale as a string",
        lambda: recipe.noam_lambda(64, scale="2"), TypeError, r"scale: expected a number, got str"),
    Bad(R + "label_smoothing_loss", "float ignore_index",
        lambda: recipe.label_smoothing_loss(torch.randn(2, 3), torch.tensor([0, 1]),
                                            ignore_index=0.5), TypeError,
        r"ignore_index: expected an int or None"),
    Bad(R + "label_smoothing_loss", "class id beyond C",
        lambda: recipe.label_smoothing_loss(torch.randn(2, 3), torch.tensor([0, 3])), ValueError,
        r"target: class ids must lie in \[0, 3\)"),
    Bad(R + "label_smoothing_loss", "targets of the wrong shape",
        lambda: recipe.label_smoothing_loss(torch.randn(2, 3), torch.tensor([0, 1, 2])),
        ValueError, r"target: expected shape \[2\]"),
    Bad(R + "label_smoothing_loss", "smoothing of 1",
        lambda: recipe.label_smoothing_loss(torch.randn(2, 3), torch.tensor([0, 1]), 1.0),
        ValueError, r"smoothing: expected a probability in \[0, 1\)"),
    Bad(R + "label_smoothing_loss", "float targets",
        lambda: recipe.label_smoothing_loss(torch.randn(2, 3), torch.tensor([0.0, 1.0])),
        TypeError, r"target: expected an integer tensor"),
]


def _tmp():
    import tempfile

    return tempfile.mkdtemp()
