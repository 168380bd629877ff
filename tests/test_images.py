"""graphcourse.graphs.images: filters, kernels and spectra of images on their pixel grid."""

import numpy as np
import pytest
import torch

from graphcourse import graphs
from graphcourse.data import grid_graph, karate_club
from graphcourse.graphs import images


def test_kernel_by_hand_on_a_grid():
    # w_1 L + w_2 L^2 at an interior pixel of a 4-neighbour grid: L_vv = 4, (L^2)_vv = 16 + 4.
    kernel = images.filter_kernel(8, 8, [0.0, 1.0, 0.5], (3, 3), "L")
    assert kernel[3, 3] == pytest.approx(4 + 0.5 * 20)
    assert kernel[3, 4] == pytest.approx(-1 + 0.5 * -8)  # one hop: L = -1, L^2 = -2 * 4
    assert kernel[3, 5] == pytest.approx(0.5)  # two hops in a line: one walk
    assert kernel[2, 4] == pytest.approx(1.0)  # two hops diagonal: two walks
    assert int((kernel != 0).sum()) == 13  # the diamond of radius 2


@pytest.mark.parametrize("operator", ["L", "sym", "cheb"])
def test_kernel_is_local_and_matches_the_filter_matrix(operator):
    height, width, degree = 7, 9, 3
    weights = [0.2, -0.4, 0.3, 0.1]
    distance = graphs.hop_distances(grid_graph(height, width), height * width)
    for pixel in [(0, 0), (3, 4), (6, 8)]:
        kernel = images.filter_kernel(height, width, weights, pixel, operator).reshape(-1)
        v = pixel[0] * width + pixel[1]
        assert bool((kernel[distance[v] > degree] == 0).all())
        M = images.grid_operator(height, width, operator)
        if operator == "cheb":
            eye = torch.eye(height * width, dtype=torch.float64)
            row = graphs.chebyshev_filter(graphs.to_dense(M).double(), eye, weights)[v]
        else:
            row = graphs.filter_matrix(M, weights)[v]
        assert (kernel.double() - row).abs().max() < 1e-5


def test_kernels_differ_at_the_border():
    weights = [0.0, 1.0]
    corner = images.filter_kernel(6, 6, weights, (0, 0))
    inside = images.filter_kernel(6, 6, weights, (3, 3))
    assert corner[0, 0] == 2.0 and inside[3, 3] == 4.0


def test_numpy_ints_are_accepted_where_ints_are():
    kernel = images.filter_kernel(np.int64(6), 6, [0.0, 1.0], (np.int64(3), np.int32(3)))
    assert torch.equal(kernel, images.filter_kernel(6, 6, [0.0, 1.0], (3, 3)))


def test_apply_filter_is_linear_and_identity_for_w0():
    image = images.make_input("noise", 10, 12, seed=1)
    assert torch.allclose(images.apply_filter(image, [1.0], "sym"), image)
    a, b = [0.5, -0.2, 0.1], [0.0, 0.3]
    both = images.apply_filter(image, [0.5, 0.1, 0.1], "L")
    assert torch.allclose(both, images.apply_filter(image, a, "L") +
                          images.apply_filter(image, b, "L"), atol=1e-5)


def test_cheb_operator_spectrum_and_limits():
    values = torch.linalg.eigvalsh(graphs.to_dense(images.grid_operator(6, 7, "cheb")).double())
    assert values.min() >= -1 - 1e-6 and abs(float(values.max()) - 1) < 1e-6
    assert images.slider_limit("sym", 3) == 1.0
    assert images.slider_limit("L", 0) == 1.0
    assert images.slider_limit("L", 2) < images.slider_limit("L", 1) < 1.0


def test_make_input_kinds():
    pixel = images.make_input("pixel", 5, 6, pixel=(1, 2))
    assert pixel.sum() == 1.0 and pixel[1, 2] == 1.0
    digit = images.make_input("digit", 16, 16, digit=3)
    assert digit.shape == (16, 16) and 0.0 <= float(digit.min()) and float(digit.max()) <= 1.0
    assert torch.equal(images.make_input("noise", 4, 4, seed=2),
                       images.make_input("noise", 4, 4, seed=2))


def test_playground_view_recomputes():
    first = images.playground("pixel", [1.0, 0.0], "L", (4, 4), 9, 9)
    second = images.playground("pixel", [0.0, 0.0, 1.0], "L", (4, 4), 9, 9)
    assert first.support == 1 and first.degree == 0
    assert second.support == 13 and second.degree == 2
    assert not torch.equal(first.output, second.output)
    digit = images.playground("digit", [0.5, -0.1], "cheb", (0, 0), 16, 16, digit=5)
    assert digit.kernel[0, 0] != 0 and digit.output.shape == (16, 16)


def test_eigenvectors_and_rayleigh_quotients():
    data = karate_club()
    image, value = images.grid_eigenvector(5, 6, 1)
    assert image.shape == (5, 6) and value > 0
    vector, value, quotient = graphs.eigenvector(data.edge_index, 34, 3)
    assert vector.shape == (34,) and abs(value - quotient) < 1e-9


def test_spectral_reconstruction_improves_with_m():
    image = images.sample_image(12, 16)
    assert image.shape == (12, 16) and 0 <= float(image.min()) <= float(image.max()) <= 1
    errors = [images.spectral_reconstruction(image, m)[1] for m in (1, 10, 50, 192)]
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] < 1e-10
    rebuilt, _ = images.spectral_reconstruction(image, 1)
    assert torch.allclose(rebuilt, torch.full_like(image, float(image.mean())), atol=1e-5)


def test_spectral_view_names_repeated_eigenvalues():
    image = images.sample_image(16, 16)
    view = images.spectral_view(image, 1, 3)  # u_1 of a square grid: a repeated eigenvalue
    assert view.grid_multiplicity == 2 and view.club_multiplicity == 1
    assert abs(view.club_value - view.club_rayleigh) < 1e-9
    assert view.rebuilt.shape == (16, 16) and 0 < view.error < 1


@pytest.mark.parametrize("k, error", [("1", TypeError), (1.0, TypeError), (True, TypeError),
                                      (-1, ValueError), (30, ValueError)])
def test_eigenvector_index_is_checked_the_same_way(k, error):
    edge_index = grid_graph(5, 6)
    with pytest.raises(error, match="k: expected an eigenvector index"):
        graphs.eigenvector(edge_index, 30, k)
    with pytest.raises(error, match="k: expected an eigenvector index"):
        images.grid_eigenvector(5, 6, k)


def test_multiplicity_flags_repeated_eigenvalues():
    # 16 x 16 grid: u_1, u_2 tie (horizontal and vertical half-waves), u_3 is simple.
    assert [images.grid_multiplicity(16, 16, k) for k in range(4)] == [1, 2, 2, 1]
    assert graphs.multiplicity(torch.tensor([0.0, 2.0, 2.0, 4.0]), 2) == 2
    assert graphs.multiplicity(torch.tensor([0.0, 2.0, 2.0, 4.0]), 3) == 1
    with pytest.raises(ValueError, match="k: expected an eigenvalue index"):
        graphs.multiplicity(torch.tensor([0.0, 1.0]), 2)
    with pytest.raises(ValueError, match="k: expected an eigenvalue index"):
        images.grid_multiplicity(4, 4, 16)
