"""Chapter 08's training step and loop: detached fakes, zeroed gradients, 8 modes covered."""

import copy
import time

import pytest
import torch

from graphcourse.data.toy import gaussian_mixture_2d, mode_centres
from graphcourse.nn import gan_training as T
from graphcourse.nn.gans import DCDiscriminator, DCGenerator, MLPDiscriminator, MLPGenerator


def _nets(seed=0):
    torch.manual_seed(seed)
    g, d = MLPGenerator(2, 8, 2), MLPDiscriminator(2, 8)
    return g, d, torch.optim.SGD(g.parameters(), lr=0.1), torch.optim.SGD(d.parameters(), lr=0.1)


def _state(module):
    return [p.detach().clone() for p in module.parameters()]


def _same(first, second):
    return all(torch.equal(a, b) for a, b in zip(first, second))


@pytest.mark.parametrize("losses", T.LOSSES)
def test_each_step_moves_only_its_own_network(losses):
    g, d, g_opt, d_opt = _nets()
    real, noise = torch.randn(6, 2), torch.randn(6, 2)
    g_before, d_before = _state(g), _state(d)
    T.discriminator_step(g, d, d_opt, real, noise, losses)
    assert _same(_state(g), g_before) and not _same(_state(d), d_before)
    assert all(p.grad is None for p in g.parameters())  # the fakes were detached
    g_before, d_before = _state(g), _state(d)
    T.generator_step(g, d, g_opt, noise, losses)
    assert _same(_state(d), d_before) and not _same(_state(g), g_before)
    assert all(p.grad is None for p in d.parameters())


def test_two_steps_equal_two_independent_single_steps():
    g, d, g_opt, d_opt = _nets()
    batches = [(torch.randn(6, 2), torch.randn(6, 2), torch.randn(6, 2)) for _ in range(2)]

    def noise_fn(batch):
        queue = [batch[1], batch[2]]
        return lambda count: queue.pop(0)

    T.gan_step(g, d, g_opt, d_opt, batches[0][0], noise_fn(batches[0]))
    g1, d1 = copy.deepcopy(g), copy.deepcopy(d)  # the state after one step
    out = T.gan_step(g, d, g_opt, d_opt, batches[1][0], noise_fn(batches[1]))
    assert isinstance(out, T.StepLosses) and isinstance(out.discriminator, float)
    fresh = T.gan_step(g1, d1, torch.optim.SGD(g1.parameters(), lr=0.1),
                       torch.optim.SGD(d1.parameters(), lr=0.1), batches[1][0],
                       noise_fn(batches[1]))
    assert fresh == out
    assert _same(_state(g), _state(g1)) and _same(_state(d), _state(d1))


def test_swapped_or_shared_optimizers_are_refused():
    g, d, g_opt, d_opt = _nets()
    real = torch.randn(4, 2)
    with pytest.raises(ValueError, match="g_opt: it holds none of the generator's"):
        T.gan_step(g, d, d_opt, g_opt, real, lambda n: torch.randn(n, 2))
    both = torch.optim.SGD([*g.parameters(), *d.parameters()], lr=0.1)
    with pytest.raises(ValueError, match="d_opt: it also holds the generator's"):
        T.discriminator_step(g, d, both, real, torch.randn(4, 2))


def test_a_loss_that_is_not_finite_stops_training_naming_the_step():
    g, d, _, _ = _nets()
    with torch.no_grad():
        d.net[-1].bias.fill_(float("inf"))
    data = torch.randn(50, 2)
    with pytest.raises(ValueError, match=r"losses: training stopped at step 1: real_logits"):
        T.train_gan(g, d, data, 3, progress=False)


def test_history_snapshots_and_view():
    g, d, _, _ = _nets()
    data, _ = gaussian_mixture_2d(500, generator=torch.Generator().manual_seed(0))
    history = T.train_gan(g, d, data, 25, snapshot_every=10, snapshot_count=64, grid_size=12,
                          seed=3)
    assert history.steps == [0, 10, 20, 25] and len(history.d_loss) == 25
    assert len(history.samples) == 4 and history.samples[0].shape == (64, 2)
    assert history.surfaces[0].shape == (12, 12)
    assert 0 <= float(history.surfaces[-1].min()) <= float(history.surfaces[-1].max()) <= 1
    assert history.extent == pytest.approx((-3.0, 3.0, -3.0, 3.0), abs=0.3)
    torch.manual_seed(0)
    g2, d2 = MLPGenerator(2, 8, 2), MLPDiscriminator(2, 8)
    again = T.train_gan(g2, d2, data, 25, snapshot_every=10, snapshot_count=64,
                        grid_size=12, seed=3)
    assert again.d_loss == history.d_loss  # seeded: the same run twice
    view = T.gan_view(history, -1, mode_centres(), 0.05)
    assert view.step == 25 and view.index == 3 and view.coverage is not None
    assert view.d_loss.shape == (25,) and view.surface.shape == (12, 12)
    assert T.gan_view(history, 0).coverage is None


def test_images_train_without_a_surface():
    torch.manual_seed(0)
    g, d = DCGenerator(8, 4), DCDiscriminator(4)
    images = torch.rand(40, 1, 8, 8) * 2 - 1
    history = T.train_gan(g, d, images, 4, batch_size=8, snapshot_every=2, snapshot_count=5,
                          losses="lsgan")
    assert history.steps == [0, 2, 4] and history.samples[-1].shape == (5, 1, 8, 8)
    assert history.surfaces == [] and history.extent is None


def test_an_mlp_gan_covers_all_eight_modes():
    """Measured with one torch thread: 8/8 modes (std 0.05, 3-std rule) after 1,000 steps
    for seeds 0, 1 and 2 in about 3 s each; the test allows 15 s."""
    torch.manual_seed(0)
    data, _ = gaussian_mixture_2d(10000, generator=torch.Generator().manual_seed(0))
    g, d = MLPGenerator(2, 128, 2), MLPDiscriminator(2, 128)
    start = time.perf_counter()
    history = T.train_gan(g, d, data, 1000, batch_size=128, lr=1e-3, snapshot_every=250,
                          seed=0)
    seconds = time.perf_counter() - start
    view = T.gan_view(history, -1, mode_centres(), 0.05)
    assert view.coverage.covered == 8, view.coverage
    assert view.coverage.high_quality > 0.5
    assert T.gan_view(history, 0, mode_centres(), 0.05).coverage.covered < 8
    assert seconds < 15


def test_generator_steps_run_that_many_g_steps_per_d_step(monkeypatch):
    """k G steps per D step (counted on Adam's steps), and k = 1 is the default game exactly."""
    data = gaussian_mixture_2d(64, generator=torch.Generator().manual_seed(0))[0]
    original, owners = torch.optim.Adam.step, []

    def counting(self, *args, **kwargs):
        owners.append(self.param_groups[0]["params"][0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(torch.optim.Adam, "step", counting)
    runs = {}
    for k in (1, 3):
        g, d = _nets()[:2]
        owners.clear()
        runs[k] = T.train_gan(g, d, data, 4, batch_size=8, snapshot_every=4, seed=0,
                              progress=False, generator_steps=k)
        first = next(g.parameters())
        assert sum(p is first for p in owners) == 4 * k  # G's steps
        assert sum(p is not first for p in owners) == 4  # D's steps
    g, d = _nets()[:2]
    default = T.train_gan(g, d, data, 4, batch_size=8, snapshot_every=4, seed=0, progress=False)
    assert torch.equal(default.samples[-1], runs[1].samples[-1])
    assert not torch.equal(runs[3].samples[-1], runs[1].samples[-1])
