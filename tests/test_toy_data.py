"""Chapter 08's toy data: the ring of 2-D Gaussians and the two unpaired digit domains."""

import importlib
import math

import torch

from graphcourse.data import toy
from graphcourse.data.images import digits


def test_mode_centres_lie_evenly_on_the_circle():
    centres = toy.mode_centres(8, 2.0)
    assert centres.shape == (8, 2)
    torch.testing.assert_close(centres.norm(dim=1), torch.full((8,), 2.0))
    torch.testing.assert_close(centres[2], torch.tensor([0.0, 2.0]), atol=1e-6, rtol=0)
    gaps = (centres - centres.roll(1, 0)).norm(dim=1)
    torch.testing.assert_close(gaps, torch.full((8,), 2 * 2.0 * math.sin(math.pi / 8)))


def test_mixture_points_sit_around_their_mode_and_repeat_with_the_generator():
    points, ids = toy.gaussian_mixture_2d(4000, std=0.05,
                                          generator=torch.Generator().manual_seed(0))
    assert points.shape == (4000, 2) and ids.shape == (4000,) and ids.dtype == torch.long
    offsets = points - toy.mode_centres()[ids]
    assert abs(float(offsets.std()) - 0.05) < 0.003
    counts = torch.bincount(ids, minlength=8)
    assert int(counts.min()) > 400  # about 500 each
    again, _ = toy.gaussian_mixture_2d(4000, std=0.05,
                                       generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(points, again)


def test_digit_domains_are_disjoint_scaled_and_transformed():
    domains = toy.digit_domains("inverted")
    assert domains.first.shape[1:] == (1, 8, 8) and domains.second.shape[1:] == (1, 8, 8)
    assert len(domains.first) + len(domains.second) == 1797
    assert len(domains.first_labels) == len(domains.first)
    assert domains.first.min() >= -1 and domains.first.max() <= 1
    # the first domain has a dark background (-1), the inverted one a light one (+1)
    assert float(domains.first.mean()) < -0.3 < 0.3 < float(domains.second.mean())
    images = digits().images * 2 - 1  # [1797, 64]
    flat_first = domains.first.reshape(-1, 64)
    undone = toy.domain_transform(domains.second, "inverted").reshape(-1, 64)
    every = torch.cat([flat_first, undone])
    # each image of the data set appears exactly once, in one domain only
    assert torch.cdist(every, images).min(1).values.max() < 1e-6
    assert torch.cdist(flat_first, undone).min() > 0


def test_rotated_domain_and_transform():
    x = torch.arange(4.0).reshape(1, 1, 2, 2)
    torch.testing.assert_close(toy.domain_transform(x, "rotated"),
                               torch.tensor([[[[1.0, 3.0], [0.0, 2.0]]]]))
    torch.testing.assert_close(toy.domain_transform(x, "inverted"), -x)
    domains = toy.digit_domains("rotated", split="train", seed=1)
    assert len(domains.first) + len(domains.second) == 1438 and domains.kind == "rotated"


def _write_svhn(folder, name, count, labels=None):
    """A tiny file in SVHN's cropped-digits format: X [32, 32, 3, M] uint8, y [M, 1] in 1..10."""
    import numpy as np
    from scipy.io import savemat

    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(32, 32, 3, count), dtype=np.uint8)
    labels = np.arange(1, count + 1).reshape(-1, 1) % 10 + 1 if labels is None else labels
    (folder / "SVHN").mkdir(exist_ok=True)
    savemat(folder / "SVHN" / name, {"X": pixels, "y": labels})
    return pixels, labels


def test_svhn_reads_the_official_layout(tmp_path):
    import pytest

    svhn = importlib.import_module("graphcourse.data.svhn")  # the module, not the function

    pixels, labels = _write_svhn(tmp_path, "train_32x32.mat", 12)
    got = svhn.svhn(tmp_path)
    assert got.images.shape == (12, 3, 32, 32) and got.images.dtype == torch.float32
    # image 5, channel 2 (blue), row 7, column 11 is X[7, 11, 2, 5] / 255
    assert float(got.images[5, 2, 7, 11]) == pytest.approx(float(pixels[7, 11, 2, 5]) / 255.0)
    assert got.labels.tolist() == [int(v) % 10 for v in labels.reshape(-1)]  # 10 -> digit 0
    assert 0 in got.labels.tolist() and bool(((got.images >= 0) & (got.images <= 1)).all())
    assert svhn.svhn(tmp_path, limit=3).images.shape == (3, 3, 32, 32)
    _write_svhn(tmp_path, "test_32x32.mat", 4)
    assert len(svhn.svhn(tmp_path, train=False).labels) == 4


def test_svhn_names_what_is_missing_or_wrong(tmp_path):
    import numpy as np
    import pytest

    svhn = importlib.import_module("graphcourse.data.svhn")  # the module, not the function

    with pytest.raises(FileNotFoundError, match="train_32x32.mat"):
        svhn.svhn(tmp_path)
    _write_svhn(tmp_path, "train_32x32.mat", 3, labels=np.array([[0], [1], [2]]))
    with pytest.raises(ValueError, match="expected 1..10"):
        svhn.svhn(tmp_path)


def _write_mnist(folder, train, count, gzipped=False, pixels=None):
    """A tiny MNIST pair in the raw IDX format: images [M, 28, 28] (random unless ``pixels``
    gives them) and labels [M], uint8."""
    import gzip

    import numpy as np

    rng = np.random.default_rng(1)
    if pixels is None:
        pixels = rng.integers(0, 256, size=(count, 28, 28), dtype=np.uint8)
    labels = (np.arange(count) % 10).astype(np.uint8)
    stem = "train" if train else "t10k"
    raw = folder / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, array in ((f"{stem}-images-idx3-ubyte", pixels), (f"{stem}-labels-idx1-ubyte",
                                                                 labels)):
        header = (0x0800 + array.ndim).to_bytes(4, "big") + b"".join(
            size.to_bytes(4, "big") for size in array.shape)
        opener, name = (gzip.open, name + ".gz") if gzipped else (open, name)
        with opener(raw / name, "wb") as handle:
            handle.write(header + array.tobytes())
    return pixels, labels


def test_missing_domain_files_names_each_file(tmp_path):
    assert [p.name for p in toy.missing_domain_files(root=tmp_path)] == [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "train_32x32.mat"]
    _write_mnist(tmp_path, True, 5, gzipped=True)
    assert [p.name for p in toy.missing_domain_files(root=tmp_path)] == ["train_32x32.mat"]
    assert toy.missing_domain_files("mnist", root=tmp_path) == []
    _write_svhn(tmp_path, "train_32x32.mat", 4)
    assert toy.missing_domain_files(root=tmp_path) == []
    assert len(toy.missing_domain_files(root=tmp_path, train=False)) == 3


def test_image_domains_are_32x32_in_minus_one_one(tmp_path):
    import numpy as np
    import pytest
    from PIL import Image

    # image 0 constant, 1 a ramp along the columns, 2 along the rows, the rest random
    pixels = np.random.default_rng(1).integers(0, 256, size=(20, 28, 28), dtype=np.uint8)
    pixels[0] = 200
    pixels[1] = 9 * np.arange(28)[None, :]  # column j holds 9 j (0..243)
    pixels[2] = 9 * np.arange(28)[:, None]
    _, labels = _write_mnist(tmp_path, True, 20, pixels=pixels)
    images, got = toy.image_domain("mnist", tmp_path)
    assert images.shape == (20, 1, 32, 32) and images.dtype == torch.float32
    assert got.tolist() == labels.tolist()
    assert float(images.min()) >= -1 and float(images.max()) <= 1
    # a constant image stays constant: 200 -> 2 * 200 / 255 - 1
    torch.testing.assert_close(images[0], torch.full((1, 32, 32), 2 * 200 / 255 - 1))
    # bilinear with pixel centres aligned (align_corners=False): output i samples the input at
    # u = (i + 1/2) 28/32 - 1/2, held inside [0, 27] at the borders; a ramp 9 u is linear there
    u = np.clip((np.arange(32) + 0.5) * 28 / 32 - 0.5, 0, 27)
    ramp = torch.from_numpy(2 * 9 * u / 255 - 1).float()  # [32]
    torch.testing.assert_close(images[1, 0], ramp[None, :].expand(32, 32), atol=1e-5, rtol=0)
    torch.testing.assert_close(images[2, 0], ramp[:, None].expand(32, 32), atol=1e-5, rtol=0)
    # every image against PIL's bilinear resize (rounded to bytes: within 2/255 on [0, 1])
    pil = np.stack([np.asarray(Image.fromarray(p).resize((32, 32), Image.BILINEAR))
                    for p in pixels]).astype(np.float32) / 255  # [20, 32, 32]
    assert float(((images[:, 0] + 1) / 2 - torch.from_numpy(pil)).abs().max()) <= 2 / 255
    # SVHN: pixel p of the file becomes 2 p / 255 - 1
    svhn_pixels, _ = _write_svhn(tmp_path, "train_32x32.mat", 6)
    colour, digits_ = toy.image_domain("svhn", tmp_path, limit=4)
    assert colour.shape == (4, 3, 32, 32) and len(digits_) == 4
    assert float(colour[1, 0, 2, 3]) == pytest.approx(svhn_pixels[2, 3, 0, 1] / 255 * 2 - 1)


def test_mnist_svhn_domains_from_fixture_files(tmp_path):
    import pytest

    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte.*train_32x32.mat"):
        toy.mnist_svhn_domains(tmp_path)
    _write_mnist(tmp_path, True, 30)
    with pytest.raises(FileNotFoundError, match="root: missing .*SVHN.*train_32x32.mat"):
        toy.mnist_svhn_domains(tmp_path)
    _write_svhn(tmp_path, "train_32x32.mat", 12)
    domains = toy.mnist_svhn_domains(tmp_path)
    assert domains.kind == "mnist-svhn"
    assert domains.first.shape == (30, 1, 32, 32) and domains.second.shape == (12, 3, 32, 32)
    assert len(domains.first_labels) == 30 and len(domains.second_labels) == 12
    assert set(domains.second_labels.tolist()) <= set(range(10))
    for images in (domains.first, domains.second):
        assert float(images.min()) >= -1 and float(images.max()) <= 1
    assert toy.mnist_svhn_domains(tmp_path, limit=5).first.shape == (5, 1, 32, 32)
    _write_mnist(tmp_path, False, 7)
    _write_svhn(tmp_path, "test_32x32.mat", 3)
    test = toy.mnist_svhn_domains(tmp_path, train=False)
    assert len(test.first) == 7 and len(test.second) == 3
