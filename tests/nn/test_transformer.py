import math

import pytest
import torch
from torch import nn

from graphcourse import devices, train
from graphcourse import sequences as seq
from graphcourse.nn.recipe import label_smoothing_loss, noam_lambda
from graphcourse.nn.transformer import (
    PositionalEncoding,
    Seq2SeqTransformer,
    TransformerConfig,
    load_transformer,
    save_transformer,
    sinusoidal_encoding,
)
from graphcourse.nn.transformer_layers import DecoderLayer, EncoderLayer, PositionwiseFeedForward
from harness import copy_weights, mha_mapping


def _layer_mapping(attention: dict[str, str], norms: dict[str, str]) -> dict:
    """copy_weights mapping from our encoder/decoder layer to torch's: attention blocks
    (ours -> torch prefix), the FFN's two linears and the LayerNorms (torch -> ours name)."""
    mapping = {}
    for mine, theirs in attention.items():
        mapping.update(mha_mapping(f"{mine}.", f"{theirs}."))
    for name in ("linear1", "linear2"):
        mapping.update({f"{name}.{kind}": f"ffn.{name}.{kind}" for kind in ("weight", "bias")})
    for theirs, mine in norms.items():
        mapping.update({f"{theirs}.{kind}": f"{mine}.norm.{kind}" for kind in ("weight", "bias")})
    return mapping


def _randomise(module):
    """Non-trivial weights everywhere (biases and LayerNorms start at 0 and 1)."""
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.add_(0.1 * torch.randn_like(parameter))


def test_sinusoidal_encoding_values_by_hand():
    pe = sinusoidal_encoding(5, 4)
    assert pe.shape == (5, 4)
    assert torch.allclose(pe[0], torch.tensor([0.0, 1.0, 0.0, 1.0]))
    assert math.isclose(pe[1, 0].item(), math.sin(1.0), abs_tol=1e-6)
    assert math.isclose(pe[3, 2].item(), math.sin(3 / 100), abs_tol=1e-6)  # 10000^(2/4) = 100
    assert math.isclose(pe[3, 3].item(), math.cos(3 / 100), abs_tol=1e-6)
    assert sinusoidal_encoding(3, 5).shape == (3, 5)  # odd width drops the last cosine
    # The dot product of two encodings depends only on their distance.
    big = sinusoidal_encoding(40, 16)
    assert math.isclose(float(big[3] @ big[10]), float(big[20] @ big[27]), abs_tol=1e-4)
    assert torch.allclose(big.norm(dim=1), torch.full((40,), math.sqrt(8.0)))  # D/2 unit pairs
    with pytest.raises(ValueError, match="length"):
        sinusoidal_encoding(0, 4)


def test_encoding_distance_depends_on_the_offset_grows_overall_but_is_not_monotone():
    """|PE_i - PE_j| depends only on |i - j|; for D = 64 it grows overall with ripples."""
    pe = sinusoidal_encoding(80, 64).double()
    distances = torch.cdist(pe, pe)  # [80, 80]
    for offset in (1, 7, 30):
        diagonal = distances.diagonal(offset)
        assert (diagonal - diagonal[0]).abs().max() < 1e-5
    # The closed form: |PE_0 - PE_k|^2 = sum over pairs m of 2 - 2 cos(k omega_m).
    omega = 10000.0 ** (-torch.arange(0, 64, 2, dtype=torch.float64) / 64)
    k = torch.arange(80, dtype=torch.float64)
    closed = (2 - 2 * torch.cos(k[:, None] * omega)).sum(dim=1).sqrt()
    assert torch.allclose(distances[0], closed, atol=1e-5)
    # Not monotone: position 30 is closer to position 0 than position 29 is.
    assert round(float(closed[29]), 3) == 5.698 and round(float(closed[30]), 3) == 5.464
    assert any(closed[k] < closed[k - 1] for k in range(1, 80))
    # ... but growing overall: far offsets are farther on average than near ones.
    assert float(closed[40:50].mean()) > float(closed[1:11].mean()) + 1.0


def test_positional_encoding_module():
    module = PositionalEncoding(8, max_len=10)
    x = torch.zeros(2, 6, 8)
    assert torch.allclose(module(x)[1], sinusoidal_encoding(6, 8))
    assert repr(module) == "PositionalEncoding(d_model=8, max_len=10)"
    with pytest.raises(ValueError, match=r"x: expected shape \[B, T <= 10, 8\]"):
        module(torch.zeros(1, 11, 8))


def test_scaled_embeddings_have_the_scale_of_the_positions():
    """Embedding entries start from N(0, 1/D); times sqrt(D) they have standard deviation 1,
    the scale of the positional entries (root mean square 1/sqrt(2))."""
    torch.manual_seed(0)
    model = Seq2SeqTransformer(TransformerConfig(src_vocab=200, d_model=64, positional=False))
    tokens = torch.arange(3, 200)[None]  # [1, 197]
    embedded = model._embed(tokens, model.src_embed)  # no positions: the scaled embeddings
    assert torch.allclose(embedded, model.src_embed(tokens) * 8.0)
    assert abs(float(model.src_embed.weight.detach().std()) - 64 ** -0.5) < 0.005
    assert abs(float(embedded.detach().std()) - 1.0) < 0.05
    pe = sinusoidal_encoding(50, 64)
    assert math.isclose(float(pe.pow(2).mean().sqrt()), 2 ** -0.5, rel_tol=1e-5)


def test_feed_forward_acts_on_each_position_alone():
    torch.manual_seed(0)
    ffn = PositionwiseFeedForward(6, 12)
    x = torch.randn(2, 5, 6)
    out = ffn(x)
    assert torch.allclose(out[:, 3], ffn(x[:, 3:4])[:, 0], atol=1e-6)
    # The same as a 1x1 convolution over the token axis.
    conv = nn.Conv1d(6, 12, 1)
    with torch.no_grad():
        conv.weight.copy_(ffn.linear1.weight[:, :, None])
        conv.bias.copy_(ffn.linear1.bias)
    hidden = torch.relu(conv(x.transpose(1, 2))).transpose(1, 2)
    assert torch.allclose(ffn.linear2(hidden), out, atol=1e-6)
    assert repr(ffn) == "PositionwiseFeedForward(d_model=6, d_ff=12)"


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_matches_torch(norm_first):
    torch.manual_seed(1)
    ours = EncoderLayer(16, 4, 32, dropout=0.0, norm_first=norm_first).eval()
    _randomise(ours)
    ref = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, batch_first=True,
                                     norm_first=norm_first).eval()
    copy_weights(ours, ref, _layer_mapping({"self_attn": "self_attn"},
                                           {"norm1": "sub_attn", "norm2": "sub_ffn"}))
    x = torch.randn(2, 6, 16)
    pad = torch.tensor([[True] * 6, [True] * 4 + [False] * 2])
    out = ours(x, mask=pad[:, None, None, :])
    expected = ref(x, src_key_padding_mask=~pad)
    assert (out[pad] - expected[pad]).abs().max() <= 1e-5
    _, weights = ours(x, return_attention=True)
    assert weights.shape == (2, 4, 6, 6)


@pytest.mark.parametrize("norm_first", [False, True])
def test_decoder_layer_matches_torch(norm_first):
    torch.manual_seed(2)
    ours = DecoderLayer(16, 4, 32, dropout=0.0, norm_first=norm_first).eval()
    _randomise(ours)
    ref = nn.TransformerDecoderLayer(16, 4, 32, dropout=0.0, batch_first=True,
                                     norm_first=norm_first).eval()
    copy_weights(ours, ref, _layer_mapping(
        {"self_attn": "self_attn", "cross_attn": "multihead_attn"},
        {"norm1": "sub_self", "norm2": "sub_cross", "norm3": "sub_ffn"}))
    y, memory = torch.randn(2, 5, 16), torch.randn(2, 7, 16)
    causal = torch.ones(5, 5, dtype=torch.bool).tril()
    out, (w_self, w_cross) = ours(y, memory, self_mask=causal, return_attention=True)
    expected = ref(y, memory, tgt_mask=~causal)
    assert (out - expected).abs().max() <= 1e-5
    assert w_self.shape == (2, 4, 5, 5) and w_cross.shape == (2, 4, 5, 7)
    assert bool((w_self[..., ~causal] == 0).all())


def test_decoder_is_causal():
    """Changing a later target token never changes earlier outputs."""
    torch.manual_seed(3)
    model = Seq2SeqTransformer(TransformerConfig(d_model=16, heads=2, d_ff=32)).eval()
    src = torch.tensor([[3, 4, 5, 6]])
    tgt = torch.tensor([[1, 7, 8, 9, 10]])
    changed = tgt.clone()
    changed[0, 3] = 12
    a, b = model(src, tgt), model(src, changed)
    assert torch.allclose(a[:, :3], b[:, :3], atol=1e-6)
    assert not torch.allclose(a[:, 3:], b[:, 3:])


def test_padding_does_not_change_real_positions():
    torch.manual_seed(4)
    model = Seq2SeqTransformer(TransformerConfig(d_model=16, heads=2, d_ff=32)).eval()
    src = torch.tensor([[3, 4, 5]])
    padded = torch.tensor([[3, 4, 5, 0, 0]])
    tgt = torch.tensor([[1, 7, 8]])
    assert torch.allclose(model(src, tgt), model(padded, tgt), atol=1e-5)


def test_model_shapes_attention_maps_and_repr():
    config = TransformerConfig(d_model=16, heads=2, d_ff=32, encoder_layers=2, decoder_layers=3)
    model = Seq2SeqTransformer(config)
    src, tgt = torch.randint(3, 13, (4, 6)), torch.randint(3, 13, (4, 5))
    assert model(src, tgt).shape == (4, 5, 13)
    maps = model.attention_maps(src, tgt)
    assert [m.shape for m in maps["encoder"]] == [(4, 2, 6, 6)] * 2
    assert [m.shape for m in maps["decoder"]] == [(4, 2, 5, 5)] * 3
    assert [m.shape for m in maps["cross"]] == [(4, 2, 5, 6)] * 3
    assert repr(model) == ("Seq2SeqTransformer(d_model=16, heads=2, d_ff=32, layers=2+3, "
                           "post-LN, positions=sinusoidal, vocab=13->13)")
    assert "pre-LN" in repr(Seq2SeqTransformer(TransformerConfig(norm_first=True)))
    assert "EncoderLayer(d_model=16, heads=2, d_ff=32, norm_first=False)" in repr(model.encoder)


def test_reset_parameters_restores_initial_distribution():
    torch.manual_seed(5)
    model = Seq2SeqTransformer(TransformerConfig(d_model=16, heads=2, d_ff=32))
    with torch.no_grad():
        for p in model.parameters():
            p.fill_(7.0)
    model.reset_parameters()
    assert model.to_logits.weight.abs().max() < 1.0
    assert torch.equal(model.encoder[0].sub_attn.norm.weight, torch.ones(16))


def test_without_positions_the_encoder_is_permutation_equivariant():
    torch.manual_seed(6)
    model = Seq2SeqTransformer(TransformerConfig(d_model=16, heads=2, d_ff=32,
                                                 positional=False)).eval()
    src = torch.tensor([[3, 5, 7, 9, 11]])
    perm = torch.tensor([4, 2, 0, 1, 3])
    assert torch.allclose(model.encode(src)[:, perm], model.encode(src[:, perm]), atol=1e-5)
    with_pe = Seq2SeqTransformer(TransformerConfig(d_model=16, heads=2, d_ff=32)).eval()
    assert not torch.allclose(with_pe.encode(src)[:, perm], with_pe.encode(src[:, perm]),
                              atol=1e-3)


def test_greedy_decode_stops_at_eos_and_pads():
    torch.manual_seed(7)
    model = Seq2SeqTransformer(TransformerConfig(d_model=16, heads=2, d_ff=32))
    with torch.no_grad():  # a constant output: always EOS
        model.to_logits.weight.zero_()
        model.to_logits.bias.zero_()
        model.to_logits.bias[2] = 5.0
    out = model.greedy_decode(torch.randint(3, 13, (3, 4)))
    assert out.tolist() == [[1, 2]] * 3
    with torch.no_grad():
        model.to_logits.bias[2] = 0.0
        model.to_logits.bias[5] = 5.0
    out = model.greedy_decode(torch.randint(3, 13, (2, 4)), max_len=5)
    assert out.tolist() == [[1, 5, 5, 5, 5]] * 2
    assert model.training  # the mode is restored


def test_config_validation_and_checkpoint_roundtrip(tmp_path):
    with pytest.raises(ValueError, match="d_model: 30 is not divisible by heads = 4"):
        TransformerConfig(d_model=30, heads=4)
    with pytest.raises(ValueError, match="eos_id"):
        TransformerConfig(tgt_vocab=2)
    with pytest.raises(ValueError, match="dropout"):
        TransformerConfig(dropout=1.5)
    with pytest.raises(ValueError, match="unknown config fields"):
        TransformerConfig.from_dict({"d_model": 8, "colour": "red"})
    config = TransformerConfig(d_model=16, heads=2, d_ff=32, norm_first=True)
    assert TransformerConfig.from_dict(config.to_dict()) == config
    model = Seq2SeqTransformer(config).eval()
    save_transformer(model, tmp_path / "model.pt")
    loaded = load_transformer(tmp_path / "model.pt")
    assert loaded.config == config
    src, tgt = torch.randint(3, 13, (2, 5)), torch.randint(3, 13, (2, 4))
    assert torch.equal(loaded(src, tgt), model(src, tgt))


def test_model_rejects_bad_tokens():
    model = Seq2SeqTransformer(TransformerConfig(d_model=16, heads=2, d_ff=32, max_len=8))
    with pytest.raises(ValueError, match=r"src: token ids must lie in \[0, 13\)"):
        model(torch.tensor([[3, 13]]), torch.tensor([[1]]))
    with pytest.raises(TypeError, match="src: expected an integer tensor"):
        model(torch.rand(1, 3), torch.tensor([[1]]))
    with pytest.raises(ValueError, match="tgt_in: 9 tokens exceed max_len = 8"):
        model(torch.tensor([[3, 4]]), torch.ones(1, 9, dtype=torch.long))
    with pytest.raises(TypeError, match="config"):
        Seq2SeqTransformer({"d_model": 16})


def test_noam_lambda_matches_the_paper_formula():
    factor = noam_lambda(512, warmup=4000)
    for step in (1, 100, 4000, 10_000):
        paper = 512 ** -0.5 * min(step ** -0.5, step * 4000 ** -1.5)
        assert math.isclose(factor(step - 1), paper, rel_tol=1e-12)
    values = [factor(s) for s in range(8000)]
    assert max(range(8000), key=values.__getitem__) == 3999  # peak at step = warmup
    model = nn.Linear(2, 2)
    opt = torch.optim.Adam(model.parameters(), lr=1.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, noam_lambda(64, warmup=10, scale=2.0))
    assert math.isclose(opt.param_groups[0]["lr"], 2.0 * 64 ** -0.5 * 10 ** -1.5)
    opt.step()
    sched.step()
    assert math.isclose(opt.param_groups[0]["lr"], 2.0 * 64 ** -0.5 * 2 * 10 ** -1.5)
    with pytest.raises(ValueError, match="warmup"):
        noam_lambda(64, warmup=0)


@pytest.mark.parametrize("smoothing", [0.0, 0.1, 0.3])
def test_label_smoothing_matches_torch(smoothing):
    torch.manual_seed(8)
    logits = torch.randn(3, 5, 7)
    target = torch.randint(0, 7, (3, 5))
    target[0, :2] = 0
    ours = label_smoothing_loss(logits, target, smoothing, ignore_index=0)
    ref = nn.functional.cross_entropy(logits.reshape(-1, 7), target.reshape(-1),
                                      ignore_index=0, label_smoothing=smoothing)
    assert math.isclose(float(ours), float(ref), rel_tol=1e-6)
    plain = label_smoothing_loss(logits, target, smoothing)
    ref = nn.functional.cross_entropy(logits.reshape(-1, 7), target.reshape(-1),
                                      label_smoothing=smoothing)
    assert math.isclose(float(plain), float(ref), rel_tol=1e-6)
    with pytest.raises(ValueError, match="target: expected shape"):
        label_smoothing_loss(logits, target[:, :3])


def test_tiny_model_learns_to_reverse():
    """A short training run through train.fit, the warmup schedule and label smoothing."""
    train.set_seed(0)
    data = seq.make_task("reverse", 600, length=4, seed=0)
    model = Seq2SeqTransformer(TransformerConfig(d_model=32, heads=2, d_ff=64, encoder_layers=1,
                                                 decoder_layers=1))
    opt = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, noam_lambda(32, warmup=60, scale=2.0))

    def loss_fn(model, batch):
        src, tgt = batch
        return label_smoothing_loss(model(src, tgt[:, :-1]), tgt[:, 1:], 0.1, seq.PAD)

    history = train.fit(model, opt, loss_fn, seq.batches(data, 32), 12, scheduler=sched,
                        clip_grad=1.0, progress=False)
    assert history.loss[-1] < history.loss[0]
    scores = seq.greedy_accuracy(model, seq.make_task("reverse", 100, length=4, seed=1))
    assert scores["token"] > 0.8


@pytest.mark.cuda
def test_runs_on_cuda():
    model = Seq2SeqTransformer(TransformerConfig(d_model=16, heads=2, d_ff=32)).cuda().eval()
    src = torch.randint(3, 13, (2, 5), device="cuda")
    src[1, -2:] = 0
    assert model(src, torch.ones(2, 3, dtype=torch.long, device="cuda")).is_cuda
    assert model.greedy_decode(src).is_cuda


@pytest.mark.cuda
def test_fit_on_cuda_evaluates_there_and_hands_the_model_back():
    data = seq.make_task("reverse", 64, length=4, seed=0)
    test = seq.make_task("reverse", 20, length=4, seed=1)
    model = Seq2SeqTransformer(TransformerConfig(d_model=16, heads=2, d_ff=32, encoder_layers=1,
                                                 decoder_layers=1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    seen = []

    def evaluate(model):
        seen.append(devices.model_device(model).type)
        return seq.greedy_accuracy(model, test)

    def loss_fn(model, batch):
        src, tgt = batch
        return label_smoothing_loss(model(src, tgt[:, :-1]), tgt[:, 1:], 0.1, seq.PAD)

    history = train.fit(model, opt, loss_fn, seq.batches(data, 32), 2, evaluate=evaluate,
                        progress=False, device="cuda")
    assert seen == ["cuda", "cuda"] and devices.model_device(model).type == "cpu"
    assert all(type(v) is float for values in history.metrics.values() for v in values)


def test_longest_period_of_the_positional_encoding():
    # Column D - 2 is sin(pos / base^((D - 2) / D)): one turn every 2 pi base^((D - 2) / D)
    # positions, close to (not equal to) 2 pi base.
    d_model, base = 8, 10000.0
    pe = sinusoidal_encoding(50, d_model, base).double()
    pos = torch.arange(50, dtype=torch.float64)
    period = 2 * math.pi * base ** ((d_model - 2) / d_model)
    assert torch.allclose(pe[:, d_model - 2], torch.sin(2 * math.pi * pos / period), atol=1e-6)


@pytest.mark.parametrize("call, error, match", [
    (lambda: noam_lambda(64, scale="2"), TypeError, "scale: expected a number, got str"),
    (lambda: noam_lambda(64, scale=0), ValueError, "scale: expected a positive number"),
    (lambda: label_smoothing_loss(torch.randn(2, 3), torch.tensor([0, 1]), smoothing="0.1"),
     TypeError, "smoothing"),
    (lambda: label_smoothing_loss(torch.randn(2, 3), torch.tensor([0, 1]), smoothing=1.0),
     ValueError, r"smoothing: expected a probability in \[0, 1\)"),
    (lambda: sinusoidal_encoding(4, 8, base="10000"), TypeError, "base: expected a number"),
    (lambda: sinusoidal_encoding(4, 8, base=1.0), ValueError, "base: expected a number > 1"),
    (lambda: PositionalEncoding(8, dropout="0.1"), TypeError, "dropout"),
    (lambda: EncoderLayer(8, 2, 16, dropout=True), TypeError, "dropout"),
    (lambda: TransformerConfig(dropout="0.1"), TypeError, "dropout"),
    (lambda: TransformerConfig(src_vocab=5, tgt_vocab=13, pad_id=7), ValueError,
     r"pad_id: 7 is outside the source vocabulary \(src_vocab = 5\)"),
])
def test_scalar_arguments_are_checked(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_config_allows_bos_and_eos_outside_the_source_vocabulary():
    config = TransformerConfig(src_vocab=4, tgt_vocab=13, pad_id=0, bos_id=11, eos_id=12)
    assert Seq2SeqTransformer(config).config.src_vocab == 4


def test_greedy_decode_restores_training_flag_when_decoding_fails(monkeypatch):
    model = Seq2SeqTransformer(TransformerConfig(d_model=16, heads=2, d_ff=32)).train()

    def broken(*args, **kwargs):
        raise RuntimeError("decoder failed")

    monkeypatch.setattr(model, "_decode", broken)
    with pytest.raises(RuntimeError, match="decoder failed"):
        model.greedy_decode(torch.randint(3, 13, (2, 4)))
    assert model.training
    with pytest.raises(ValueError, match="src: token ids"):
        model.greedy_decode(torch.tensor([[3, 99]]))
    assert model.training


SMALL = TransformerConfig(d_model=16, heads=2, d_ff=32, max_len=8)


@pytest.mark.parametrize("call, error, match", [
    (lambda m: m(torch.tensor([[3, 4]]), torch.tensor([[1], [1]])), ValueError,
     "tgt_in: expected batch size 1 like src, got 2"),
    (lambda m: m(torch.tensor([[True, False]]), torch.tensor([[1]])), TypeError,
     "src: expected an integer tensor, got dtype torch.bool"),
    (lambda m: m(torch.tensor([[3, -1]]), torch.tensor([[1]])), ValueError,
     r"src: token ids must lie in \[0, 13\), found -1..3"),
    (lambda m: m.decode(torch.tensor([[1]]), torch.zeros(1, 3, 16), torch.tensor([[3, 4]])),
     ValueError, r"memory: expected shape \[1, 2, 16\]"),
    (lambda m: m.encode(torch.tensor([[3, 4]]), return_attention="yes"), TypeError,
     "return_attention: expected True or False"),
    (lambda m: m.greedy_decode(torch.tensor([[3, 4]]), max_len=9), ValueError,
     "max_len: expected at most config.max_len = 8"),
    (lambda m: m.greedy_decode(torch.tensor([[3, 4]]), max_len=3.0), TypeError,
     "max_len: expected an int"),
    (lambda m: m.attention_maps(torch.tensor([[3, 4]]), torch.tensor([[1.0]])), TypeError,
     "tgt_in: expected an integer tensor"),
])
def test_model_checks_its_inputs(call, error, match):
    model = Seq2SeqTransformer(SMALL)
    with pytest.raises(error, match=match):
        call(model)


def test_model_checks_once_and_its_layers_trust_it(monkeypatch):
    """The model checks its tokens once; its layers skip their own checks (same result as
    through the checked layers) but are still called as modules, so hooks run."""
    from graphcourse.nn import transformer_layers
    from graphcourse.nn.attention import MultiHeadAttention

    torch.manual_seed(9)
    model = Seq2SeqTransformer(SMALL).eval()
    src, tgt = torch.randint(3, 13, (2, 5)), torch.randint(3, 13, (2, 4))
    expected = model(src, tgt)
    mask = (src != 0)[:, None, None, :]
    memory = model.positions(model.src_embed(src) * 4.0)  # sqrt(D) = 4, through the layers'
    for layer in model.encoder:                           # checked forward
        memory = layer(memory, mask)
    assert torch.allclose(memory, model.encode(src), atol=1e-6)

    def refuse(*args, **kwargs):
        raise AssertionError("a layer checked inputs the model had checked")

    monkeypatch.setattr(transformer_layers, "_check_width", refuse)
    monkeypatch.setattr(DecoderLayer, "_check_inputs", refuse)
    monkeypatch.setattr(MultiHeadAttention, "_check_inputs", refuse)
    seen = []
    model.encoder[0].register_forward_hook(lambda module, args, out: seen.append("encoder"))
    model.decoder[0].self_attn.register_forward_hook(lambda m, a, o: seen.append("attention"))
    assert torch.equal(model(src, tgt), expected)
    assert seen == ["encoder", "attention"]
    assert model.greedy_decode(src).shape[0] == 2


@pytest.mark.parametrize("call, error, match", [
    (lambda: EncoderLayer(8, 2, 16)(torch.randn(2, 3, 6)), ValueError,
     r"x: expected shape \[B, T, 8\]"),
    (lambda: EncoderLayer(8, 2, 16)(torch.randn(2, 3, 8).double()), TypeError,
     "x: expected dtype torch.float32"),
    (lambda: EncoderLayer(8, 2, 16)(torch.randn(2, 3, 8), torch.ones(2, 3, 3, dtype=torch.bool)),
     ValueError, "mask: .*3-D mask is ambiguous"),
    (lambda: EncoderLayer(8, 2, 16, norm_first="pre"), TypeError,
     "norm_first: expected True or False"),
    (lambda: DecoderLayer(8, 2, 16)(torch.randn(2, 3, 8), torch.randn(1, 4, 8)), ValueError,
     "memory: expected batch size 2 like y"),
    (lambda: DecoderLayer(8, 2, 16)(torch.randn(2, 3, 8), torch.randn(2, 4, 8),
                                    memory_mask=torch.ones(3, 3, dtype=torch.bool)), ValueError,
     r"memory_mask: expected a tensor broadcastable to \[B, H, T_q, T_k\] = \[2, 2, 3, 4\]"),
    (lambda: PositionwiseFeedForward(8, 16)(torch.randn(2, 3, 4)), ValueError,
     r"x: expected shape \[\.\.\., 8\]"),
    (lambda: sinusoidal_encoding(4, 8, base=float("inf")), ValueError,
     "base: expected a finite number > 1, got inf"),
    (lambda: noam_lambda(64, scale=float("inf")), ValueError, "scale: expected a finite"),
    (lambda: noam_lambda(64.0), TypeError, "d_model: expected an int"),
    (lambda: label_smoothing_loss(torch.randn(2, 3), torch.tensor([0, 1]), ignore_index=0.5),
     TypeError, "ignore_index: expected an int or None"),
    (lambda: label_smoothing_loss(torch.randn(2, 3), torch.tensor([0, 3])), ValueError,
     r"target: class ids must lie in \[0, 3\)"),
    (lambda: label_smoothing_loss(torch.randn(2, 3), torch.tensor([True, False])), TypeError,
     "target: expected an integer tensor, got dtype torch.bool"),
    (lambda: TransformerConfig(norm_first=1), TypeError, "norm_first: expected True or False"),
    (lambda: TransformerConfig.from_dict([("d_model", 8)]), TypeError,
     "values: expected a dict"),
])
def test_layer_and_recipe_arguments_are_checked(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_numpy_sizes_are_stored_as_ints(tmp_path):
    import numpy as np

    config = TransformerConfig(d_model=np.int64(16), heads=np.int32(2), d_ff=32, pad_id=np.int64(0))
    assert type(config.d_model) is int and type(config.pad_id) is int
    assert config == TransformerConfig(d_model=16, heads=2, d_ff=32)
    factor = noam_lambda(np.int64(64), warmup=np.int64(10))
    assert type(factor(0)) is float
    assert label_smoothing_loss(torch.randn(2, 3), torch.tensor([0, 1]),
                                ignore_index=np.int64(0)).ndim == 0
    model = Seq2SeqTransformer(config)
    save_transformer(model, tmp_path / "m.pt")
    assert load_transformer(tmp_path / "m.pt").config == config


def test_load_transformer_needs_a_config(tmp_path):
    from graphcourse import checkpoints

    checkpoints.save(nn.Linear(2, 2), tmp_path / "plain.pt")
    with pytest.raises(ValueError, match="holds no TransformerConfig"):
        load_transformer(tmp_path / "plain.pt")
    with pytest.raises(TypeError, match="model: expected a Seq2SeqTransformer"):
        save_transformer(nn.Linear(2, 2), tmp_path / "x.pt")
