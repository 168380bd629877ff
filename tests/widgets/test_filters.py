"""The chapter 02 explorers: controls wired to graphs.images and viz.spectral."""

import pytest
import torch

from graphcourse import viz
from graphcourse.graphs import images
from graphcourse.widgets import filter_playground, spectral_explorer
from harness import widget_tree


def test_views_build_and_react():
    ipywidgets = pytest.importorskip("ipywidgets")
    box = filter_playground(height=8, width=8, degree=2)
    assert isinstance(box, ipywidgets.VBox)
    operator = box.children[0].children[1]
    sliders = box.children[2].children
    picture, numbers = box.children[3:]
    first = bytes(picture.value)
    assert first.startswith(b"\x89PNG") and "touches 1 pixels" in numbers.value
    operator.value = "L"
    assert sliders[2].max < 1.0  # higher powers of L get narrower ranges
    operator.value = "sym"
    assert sliders[2].max == 1.0
    sliders[1].value = 0.5
    assert box.view.degree == 1 and box.view.support == 5  # w_1 L_sym: one hop, 5 pixels
    assert "touches 5 pixels (all within 1 hops)" in numbers.value
    assert bytes(picture.value).startswith(b"\x89PNG") and bytes(picture.value) != first
    explorer = spectral_explorer(image=images.sample_image(10, 12), max_k=5)
    assert isinstance(explorer, ipywidgets.VBox)
    k_slider, m_slider = explorer.children[0].children
    picture, numbers = explorer.children[1:]
    first = bytes(picture.value)
    assert explorer.view.k == 1 and explorer.view.m == 50 and "first 50 components" in numbers.value
    m_slider.value = 7
    assert explorer.view.m == 7 and "first 7 components" in numbers.value
    k_slider.value = 0
    assert explorer.view.k == 0 and abs(explorer.view.club_value) < 1e-9
    assert bytes(picture.value).startswith(b"\x89PNG") and bytes(picture.value) != first


def test_views_draw_without_output_widgets_or_open_figures():
    # A cell that writes into an ipywidgets.Output makes a headless client (nbclient under
    # nbconvert, nbval and nbgrader) send comm messages to the kernel while it waits for the
    # cell's reply, and nbclient can then miss the reply until the cell's timeout.
    ipywidgets = pytest.importorskip("ipywidgets")
    plt = pytest.importorskip("matplotlib.pyplot")
    plt.close("all")
    box = filter_playground(height=8, width=8, degree=1)
    box.children[2].children[1].value = 0.2
    explorer = spectral_explorer(image=images.sample_image(10, 12), max_k=5)
    explorer.children[0].children[0].value = 3
    for widget in (box, explorer):
        assert not any(isinstance(w, ipywidgets.Output) for w in widget_tree(widget))
    assert plt.get_fignums() == []  # nothing displayed or left open through pyplot


def test_summaries_name_repeated_eigenvalues():
    image = images.sample_image(16, 16)
    view = images.spectral_view(image, 1, 3)  # u_1 of a square grid: a repeated eigenvalue
    grid_line, club_line, image_line = viz.spectral_summary(view)
    assert view.grid_multiplicity == 2 and "repeated 2 times" in grid_line
    assert view.club_multiplicity == 1 and "(simple)" in club_line
    assert abs(view.club_value - view.club_rayleigh) < 1e-9
    assert image_line == f"image from its first 3 components: relative error {view.error:.3f}"
    pixel = images.playground("pixel", [0.0, 0.0, 1.0], "L", (4, 4), 9, 9)
    assert viz.playground_summary(pixel) == [
        "highest non-zero power: 2; the kernel touches 13 pixels (all within 2 hops)"]


@pytest.mark.slow
def test_explorer_cells_never_wait_for_a_front_end():
    """Run the explorer cells repeatedly in a kernel as nbgrader does: the client never has to
    mimic a widget (an Output widget could make it wait for the full timeout)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    import time

    cells = [nbformat.v4.new_code_cell("from graphcourse import widgets\n"
                                       "from graphcourse.graphs import images\n"
                                       "photo = images.sample_image(12, 16)"),
             nbformat.v4.new_code_cell("widgets.filter_playground(height=10, width=10, degree=2)"),
             nbformat.v4.new_code_cell("widgets.spectral_explorer(photo, max_k=5)")]
    notebook = nbformat.v4.new_notebook(cells=cells)
    client = nbclient.NotebookClient(notebook, timeout=30, kernel_name="python3",
                                     interrupt_on_timeout=True)
    with client.setup_kernel():
        client.execute_cell(cells[0], 0)
        for _ in range(5):
            for index in (1, 2):
                start = time.perf_counter()
                client.execute_cell(cells[index], index)
                assert time.perf_counter() - start < 20
    assert client.comm_objects == {}  # no Output widget for the client to stand in for
    for cell in cells[1:]:
        assert any("application/vnd.jupyter.widget-view+json" in output.get("data", {})
                   for output in cell.outputs)




def _hidden(picture):
    return picture.layout.display == "none"


def test_explorer_arguments_are_checked_before_any_control_is_built():
    with pytest.raises(ValueError, match="max_k: expected at most 33"):
        spectral_explorer(image=images.sample_image(10, 12), max_k=40)
    with pytest.raises(ValueError, match="max_k: expected at most 5"):
        spectral_explorer(image=torch.rand(2, 3), max_k=6)  # 6 pixels: eigenvectors 0..5
    with pytest.raises(TypeError, match="image: expected a floating-point tensor"):
        spectral_explorer(image=torch.zeros(4, 4, dtype=torch.long))
    with pytest.raises(ValueError, match="image: expected finite values"):
        spectral_explorer(image=torch.full((4, 4), float("nan")))
    with pytest.raises(TypeError, match="degree: expected an int, got float"):
        filter_playground(degree=2.0)
    with pytest.raises(ValueError, match="height: expected an int >= 1"):
        filter_playground(height=0)


def test_default_k_range_covers_both_graphs():
    box = spectral_explorer(image=images.sample_image(10, 12))
    assert box.children[0].children[0].max == 33  # the karate club's last eigenvector
    small = spectral_explorer(image=torch.rand(2, 3))
    assert small.children[0].children[0].max == 5 and small.view.k == 1

