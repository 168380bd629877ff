"""Chapter 08's networks (shapes, DCGAN's rules, init, repr) and the mode-coverage metric."""

import pytest
import torch
from torch import nn

from graphcourse.data.toy import mode_centres
from graphcourse.nn import gans


def test_mlp_shapes_and_repr():
    g, d = gans.MLPGenerator(2, 16, 2), gans.MLPDiscriminator(2, 16)
    z = torch.randn(5, 2)
    assert g(z).shape == (5, 2) and d(g(z)).shape == (5, 1)
    assert repr(g) == "MLPGenerator(2 -> 16 x 2 -> 2)"
    assert repr(d) == "MLPDiscriminator(2 -> 16 x 2 -> 1)"
    before = [p.clone() for p in d.parameters()]
    d.reset_parameters()
    assert any(not torch.equal(a, b) for a, b in zip(before, d.parameters()))


def _kinds(module):
    return [type(m).__name__ for m in module.modules()
            if not isinstance(m, (nn.Sequential,)) and m is not module]


def test_dcgan_shapes_and_batchnorm_placement():
    g, d = gans.DCGenerator(16, 8), gans.DCDiscriminator(8)
    images = g(torch.randn(4, 16))
    assert images.shape == (4, 1, 8, 8) and images.abs().max() <= 1
    assert d(images).shape == (4, 1)
    g_layers, d_layers = _kinds(g), _kinds(d)
    # G: no BatchNorm after its last (transposed) convolution, Tanh at the output
    assert g_layers[-2:] == ["ConvTranspose2d", "Tanh"] and "ReLU" in g_layers
    assert g_layers.count("BatchNorm2d") == 2 and "Conv2d" not in g_layers
    # D: no BatchNorm right after its input convolution, LeakyReLU 0.2
    assert d_layers[:2] == ["Conv2d", "LeakyReLU"] and d_layers.count("BatchNorm2d") == 1
    assert all(m.negative_slope == 0.2 for m in d.modules() if isinstance(m, nn.LeakyReLU))
    assert repr(g) == "DCGenerator(noise=16, channels=8, classes=0, side=8, out_channels=1)"
    assert repr(d) == "DCDiscriminator(channels=8, outputs=1, classes=0, side=8, in_channels=1)"


def test_dcgan_init_statistics():
    torch.manual_seed(0)
    g = gans.DCGenerator(64, 64)
    weights = torch.cat([m.weight.flatten() for m in g.modules()
                         if isinstance(m, (nn.ConvTranspose2d, nn.Conv2d))])
    assert abs(float(weights.mean())) < 1e-3 and abs(float(weights.std()) - 0.02) < 1e-3
    scales = torch.cat([m.weight for m in g.modules() if isinstance(m, nn.BatchNorm2d)])
    assert abs(float(scales.mean()) - 1) < 0.01 and abs(float(scales.std()) - 0.02) < 0.01
    linear = gans.dcgan_init(nn.Linear(200, 200))
    assert abs(float(linear.weight.std()) - 0.02) < 1e-3 and float(linear.bias.abs().max()) == 0


def test_conditional_generator_and_acgan_sgan_discriminators():
    g = gans.DCGenerator(8, 4, classes=10)
    labels = torch.arange(6)
    assert g(torch.randn(6, 8), labels).shape == (6, 1, 8, 8)
    torch.manual_seed(0)
    z = torch.randn(2, 8)
    g.eval()
    assert not torch.allclose(g(z, torch.tensor([0, 0])), g(z, torch.tensor([1, 1])))
    source, classes = gans.DCDiscriminator(4, classes=10)(torch.randn(3, 1, 8, 8))
    assert source.shape == (3, 1) and classes.shape == (3, 10)
    assert gans.DCDiscriminator(4, outputs=11)(torch.randn(3, 1, 8, 8)).shape == (3, 11)
    with pytest.raises(TypeError, match="labels: expected class labels"):
        g(torch.randn(2, 8))


def test_translator_and_patch_discriminator():
    t, d = gans.Translator(8), gans.PatchDiscriminator(8)
    x = torch.rand(3, 1, 8, 8) * 2 - 1
    assert t(x).shape == (3, 1, 8, 8) and d(x).shape == (3, 1, 2, 2)
    layers = _kinds(t)
    assert layers[-2:] == ["ConvTranspose2d", "Tanh"] and layers.count("BatchNorm2d") == 5
    assert all(m.negative_slope == 0.05 for m in t.modules() if isinstance(m, nn.LeakyReLU))
    assert all(m.bias is None for m in list(t.modules())[:-2]
               if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)))
    assert repr(t) == "Translator(1 -> 1, channels=8, side=8)"
    assert repr(d) == "PatchDiscriminator(in_channels=1, channels=8, outputs=1, side=8)"
    t.reset_parameters()


def test_defaults_keep_the_8x8_networks():
    """The defaults are the 8x8 one-channel networks: parameter shapes, in order."""
    shapes = {name: [tuple(p.shape) for p in net.parameters()] for name, net in {
        "g": gans.DCGenerator(16, 4), "d": gans.DCDiscriminator(4),
        "t": gans.Translator(4), "p": gans.PatchDiscriminator(4)}.items()}
    assert shapes["g"] == [(16, 8, 4, 4), (8,), (8,), (8, 4, 4, 4), (4,), (4,), (4, 1, 3, 3),
                           (1,)]
    assert shapes["d"] == [(4, 1, 4, 4), (4,), (8, 4, 4, 4), (8,), (8,), (1, 8, 2, 2), (1,)]
    assert shapes["p"] == [(4, 1, 4, 4), (4,), (8, 4, 4, 4), (8,), (8,), (1, 8, 3, 3), (1,)]
    assert shapes["t"][0] == (4, 1, 4, 4) and shapes["t"][-2:] == [(4, 1, 4, 4), (1,)]
    torch.manual_seed(0)
    a = gans.DCGenerator(16, 4)
    torch.manual_seed(0)
    b = gans.DCGenerator(16, 4, classes=0, side=8, out_channels=1)
    assert all(torch.equal(x, y) for x, y in zip(a.parameters(), b.parameters()))


@pytest.mark.parametrize("channels", [1, 3])
def test_dcgan_at_32x32(channels):
    g = gans.DCGenerator(10, 4, side=32, out_channels=channels)
    d = gans.DCDiscriminator(4, side=32, in_channels=channels, classes=10)
    images = g(torch.randn(3, 10))
    assert images.shape == (3, channels, 32, 32) and images.abs().max() <= 1
    source, classes = d(images)
    assert source.shape == (3, 1) and classes.shape == (3, 10)
    g_layers, d_layers = _kinds(g), _kinds(d)
    # the same rules as at 8x8: widths 8c -> c in G, c -> 8c in D
    assert g_layers[-2:] == ["ConvTranspose2d", "Tanh"] and g_layers.count("BatchNorm2d") == 4
    assert [m.out_channels for m in g.modules() if isinstance(m, nn.ConvTranspose2d)] == [
        32, 16, 8, 4, channels]
    assert d_layers[:2] == ["Conv2d", "LeakyReLU"] and d_layers.count("BatchNorm2d") == 3
    assert d.features[0].in_channels == channels and d.source.in_channels == 32
    torch.manual_seed(0)
    big = gans.DCGenerator(64, 64, side=32)
    weights = torch.cat([m.weight.flatten() for m in big.modules()
                         if isinstance(m, nn.ConvTranspose2d)])
    assert abs(float(weights.std()) - 0.02) < 1e-3
    scales = torch.cat([m.weight for m in big.modules() if isinstance(m, nn.BatchNorm2d)])
    assert abs(float(scales.mean()) - 1) < 0.01 and float(scales.std()) < 0.03
    assert repr(g) == ("DCGenerator(noise=10, channels=4, classes=0, side=32, "
                       f"out_channels={channels})")
    with pytest.raises(ValueError, match=r"side: expected an image side in \(8, 32\), got 28"):
        gans.DCDiscriminator(4, side=28)


def test_translation_networks_at_32x32_mnist_to_svhn():
    """G12: MNIST [B, 1, 32, 32] -> SVHN [B, 3, 32, 32]; G21 back; D1/D2 one score per image."""
    g12, g21 = gans.Translator(4, 1, 3, side=32), gans.Translator(4, 3, 1, side=32)
    d1, d2 = gans.PatchDiscriminator(4, 1, side=32), gans.PatchDiscriminator(4, 3, side=32)
    mnist = torch.rand(2, 1, 32, 32) * 2 - 1
    svhn = g12(mnist)
    assert svhn.shape == (2, 3, 32, 32) and g21(svhn).shape == (2, 1, 32, 32)
    assert d1(mnist).shape == (2, 1, 1, 1) and d2(svhn).shape == (2, 1, 1, 1)
    # mnist-svhn-transfer's D: 64-128-256 for conv_dim 64, BatchNorm except the first
    assert [m.out_channels for m in d2.modules() if isinstance(m, nn.Conv2d)] == [4, 8, 16, 1]
    assert _kinds(d2)[:2] == ["Conv2d", "LeakyReLU"] and _kinds(d2).count("BatchNorm2d") == 2
    assert _kinds(g12).count("BatchNorm2d") == 5 and _kinds(g12)[-1] == "Tanh"
    assert repr(g12) == "Translator(1 -> 3, channels=4, side=32)"
    with pytest.raises(ValueError, match=r"x: expected images of shape \[B, 1, 32, 32\]"):
        g12(torch.zeros(2, 1, 8, 8))


def test_one_training_step_at_32x32():
    from graphcourse.nn import gan_losses, gan_training

    torch.manual_seed(0)
    g, d = gans.DCGenerator(8, 4, side=32, out_channels=3), gans.DCDiscriminator(
        4, side=32, in_channels=3)
    g_opt, d_opt = (torch.optim.Adam(g.parameters(), 2e-4), torch.optim.Adam(d.parameters(),
                                                                              2e-4))
    before = [p.clone() for p in g.parameters()]
    losses = gan_training.gan_step(g, d, g_opt, d_opt, torch.rand(4, 3, 32, 32) * 2 - 1,
                                   lambda b: torch.randn(b, 8))
    assert all(map(lambda v: v == v, losses))
    assert any(not torch.equal(a, b) for a, b in zip(before, g.parameters()))
    g12, g21 = gans.Translator(4, 1, 3, side=32), gans.Translator(4, 3, 1, side=32)
    d2 = gans.PatchDiscriminator(4, 3, side=32)
    opt = torch.optim.Adam([*g12.parameters(), *g21.parameters()], 2e-4)
    x1 = torch.rand(4, 1, 32, 32) * 2 - 1
    fake = g12(x1)
    loss = gan_losses.lsgan_generator_loss(d2(fake)) + 10 * gan_losses.cycle_loss(x1, g21(fake))
    loss.backward()
    opt.step()
    assert torch.isfinite(loss)


def _around(centres, per_mode, std=0.05, seed=0):
    gen = torch.Generator().manual_seed(seed)
    chosen = centres.repeat_interleave(torch.as_tensor(per_mode), 0)
    return chosen + std * torch.randn(chosen.shape, generator=gen)


def test_mode_coverage_all_one_none():
    centres = mode_centres(8, 2.0)
    everywhere = _around(centres, [50] * 8)
    result = gans.mode_coverage(everywhere, centres, 0.05)
    assert result.covered == 8 and result.high_quality > 0.95
    assert result.counts.tolist() == pytest.approx([50] * 8, abs=3)
    collapsed = _around(centres, [400, 0, 0, 0, 0, 0, 0, 0])
    assert gans.mode_coverage(collapsed, centres, 0.05).covered == 1
    nowhere = torch.zeros(100, 2)  # the centre of the ring, 2 away from every mode
    result = gans.mode_coverage(nowhere, centres, 0.05)
    assert result.covered == 0 and result.high_quality == 0
    # a mode with fewer than 1% of the samples is not covered
    rare = _around(centres, [300, 300, 2, 0, 0, 0, 0, 0])
    assert gans.mode_coverage(rare, centres, 0.05).covered == 2
    assert gans.mode_coverage(rare, centres, 0.05, min_fraction=0.0).covered == 3
