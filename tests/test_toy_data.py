"""Chapter 08's toy data: the ring of 2-D Gaussians and the two unpaired digit domains."""

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
