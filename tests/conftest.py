"""Test-wide settings. Set before any kernel starts, so notebook kernels inherit them."""

import os

os.environ.setdefault("GRAPHCOURSE_QUIET", "1")       # no progress bars in tests
os.environ.setdefault("MPLBACKEND", "Agg")            # no GUI backend
os.environ.setdefault("GRAPHCOURSE_PROFILE", "fast")

import torch  # noqa: E402

torch.set_num_threads(1)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``cuda`` skip cleanly on machines without a CUDA device (CI has none)."""
    import pytest

    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA device")
    for item in items:
        if item.get_closest_marker("cuda") is not None:
            item.add_marker(skip)
