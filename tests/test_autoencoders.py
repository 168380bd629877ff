"""graphcourse.nn.autoencoders and graphcourse.data.images: shapes, decoders, the linear
autoencoder against PCA, the VAE's ELBO over training, corruption."""

import math

import numpy as np
import pytest
import torch
from scipy.linalg import subspace_angles
from sklearn.decomposition import PCA

from graphcourse.data import images
from graphcourse.nn import autoencoders as ae
from graphcourse.train import fit


@pytest.fixture(scope="module")
def pixels():
    return images.digits().images


def test_digits_container_and_splits():
    full = images.digits()
    assert full.images.shape == (1797, 64) and full.images.dtype == torch.float32
    assert full.labels.shape == (1797,) and full.labels.dtype == torch.long
    assert float(full.images.min()) == 0.0 and float(full.images.max()) == 1.0
    assert full.side == 8
    train, test = images.digits("train", seed=3), images.digits("test", seed=3)
    assert len(train.images) == 1438 and len(test.images) == 359
    both = torch.unique(torch.cat([train.images, test.images]), dim=0, return_counts=True)
    every = torch.unique(full.images, dim=0, return_counts=True)
    assert all(torch.equal(a, b) for a, b in zip(both, every))  # disjoint and complete
    assert torch.equal(images.digits("train", seed=3).images, train.images)
    assert not torch.equal(images.digits("train", seed=4).images, train.images)


def _write_idx(path, array, gz):
    import gzip

    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(s).to_bytes(4, "big")
                                                     for s in array.shape)
    raw = header + array.astype(np.uint8).tobytes()
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(raw))
    else:
        path.write_bytes(raw)


@pytest.mark.parametrize("gz", [False, True])
def test_mnist_reads_idx_files(tmp_path, gz):
    folder = tmp_path / "MNIST" / "raw"
    folder.mkdir(parents=True)
    pixels = np.arange(3 * 28 * 28).reshape(3, 28, 28) % 256
    _write_idx(folder / "t10k-images-idx3-ubyte", pixels, gz)
    _write_idx(folder / "t10k-labels-idx1-ubyte", np.array([7, 2, 1]), gz)
    out = images.mnist(tmp_path, train=False, limit=2)
    assert out.images.shape == (2, 784) and out.side == 28
    assert out.labels.tolist() == [7, 2]
    torch.testing.assert_close(out.images[1], torch.from_numpy(
        pixels[1].reshape(-1).astype(np.float32) / 255))
    with pytest.raises(FileNotFoundError, match="MNIST/raw"):
        images.mnist(tmp_path, train=True)


def test_shapes_and_repr(pixels):
    x = pixels[:5]
    model = ae.Autoencoder(64, 16, 2)
    assert model.encode(x).shape == (5, 2)
    assert model(x).shape == (5, 64)
    assert model.decode(torch.zeros(3, 2)).shape == (3, 64)
    assert repr(model) == "Autoencoder(64 -> 2, hidden=16)"
    linear = ae.Autoencoder(64, 16, 3, linear=True, bias=False)
    assert repr(linear) == "Autoencoder(64 -> 3, linear)"
    assert linear.encoder.bias is None and linear.decoder.weight.shape == (64, 3)
    vae = ae.VAE(64, 16, 2)
    out = vae(x)
    assert [t.shape for t in out] == [(5, 64), (5, 2), (5, 2), (5, 2)]
    assert repr(vae) == "VAE(64 -> 16 -> 2, decoder='bernoulli')"
    before = vae.mu.weight.clone()
    vae.reset_parameters()
    assert not torch.equal(before, vae.mu.weight)


def test_linear_autoencoder_spans_pca_subspace(pixels):
    # Trained with the squared error, a linear autoencoder's decoder columns span the first
    # principal components (Baldi & Hornik): the largest principal angle is below 2 degrees.
    torch.manual_seed(0)
    model = ae.Autoencoder(64, 1, 2, linear=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    fit(model, optimizer, ae.reconstruction_loss, [pixels], 300, progress=False)
    pca = PCA(2).fit(pixels.numpy())
    angles = subspace_angles(model.decoder.weight.detach().double().numpy(),
                             pca.components_.T)
    assert math.degrees(angles.max()) < 2.0


def test_vae_elbo_improves(pixels):
    torch.manual_seed(0)
    model = ae.VAE(64, 64, 2)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        before, _, _ = ae.elbo_terms(model, pixels, g)
    history = fit(model, optimizer, lambda m, b: ae.elbo_terms(m, b)[0],
                  lambda: torch.split(pixels[torch.randperm(len(pixels))], 128), 15,
                  progress=False)
    with torch.no_grad():
        after, nll, kl = ae.elbo_terms(model, pixels, torch.Generator().manual_seed(0))
    assert float(after) < float(before) - 5
    assert history.loss[-1] < history.loss[0]
    assert float(kl) > 0 and float(after) == pytest.approx(float(nll + kl))


def test_elbo_terms_by_hand_and_decoders(pixels):
    x = pixels[:4]
    for decoder in ("bernoulli", "gaussian"):
        torch.manual_seed(0)
        model = ae.VAE(64, 8, 2, decoder=decoder, sigma=0.2)
        neg, nll, kl = ae.elbo_terms(model, x, torch.Generator().manual_seed(5))
        out = model(x, torch.Generator().manual_seed(5))
        if decoder == "bernoulli":
            expected = torch.nn.functional.binary_cross_entropy_with_logits(
                out.recon, x, reduction="sum") / 4
        else:
            expected = -torch.distributions.Normal(out.recon, 0.2).log_prob(x).sum() / 4
        torch.testing.assert_close(nll, expected)
        kl_hand = -0.5 * (1 + out.logvar - out.mu ** 2 - out.logvar.exp()).sum() / 4
        torch.testing.assert_close(kl, kl_hand)
        torch.testing.assert_close(neg, nll + kl)
        drawn = ae.sample(model, 6, torch.Generator().manual_seed(1))
        assert drawn.shape == (6, 64)
        assert float(drawn.min()) >= 0 and float(drawn.max()) <= 1
        assert torch.equal(drawn, ae.sample(model, 6, torch.Generator().manual_seed(1)))


def test_corrupt():
    x = torch.rand(200, 64, generator=torch.Generator().manual_seed(0))
    kept = x.clone()
    masked = ae.corrupt(x, 0.3, "masking", torch.Generator().manual_seed(1))
    assert torch.equal(x, kept)  # the input is not changed
    zeroed = float((masked == 0).float().mean())
    assert zeroed == pytest.approx(0.3, abs=0.02)
    assert torch.equal(masked[masked != 0], x[masked != 0])
    noisy = ae.corrupt(x, 0.5, generator=torch.Generator().manual_seed(1))
    assert float((noisy - x).std()) == pytest.approx(0.5, abs=0.02)
    assert torch.equal(ae.corrupt(x, 0.0), x)


def test_denoising_loss_uses_the_clean_target(pixels):
    torch.manual_seed(0)
    model = ae.Autoencoder(64, 16, 4)
    noisy = ae.corrupt(pixels[:8], 0.3, "masking", torch.Generator().manual_seed(0))
    loss = ae.reconstruction_loss(model, noisy, pixels[:8])
    expected = torch.nn.functional.binary_cross_entropy_with_logits(
        model(noisy), pixels[:8], reduction="sum") / 8
    torch.testing.assert_close(loss, expected)
