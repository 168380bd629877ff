"""Test-wide settings. Set before any kernel starts, so notebook kernels inherit them."""

import os
from pathlib import Path

os.environ.setdefault("GRAPHCOURSE_QUIET", "1")       # no progress bars in tests
os.environ.setdefault("MPLBACKEND", "Agg")            # no GUI backend
os.environ.setdefault("GRAPHCOURSE_PROFILE", "fast")

import torch  # noqa: E402

torch.set_num_threads(1)


def pytest_collection_modifyitems(config, items):
    """Mark the end-to-end grading tests (everything under tests/grading/) ``grading``, so
    ``make test`` can leave them to ``make test-grading``; tests marked ``cuda`` skip cleanly on
    machines without a CUDA device (CI has none)."""
    import pytest

    grading = Path(__file__).resolve().parent / "grading"
    skip = None if torch.cuda.is_available() else pytest.mark.skip(reason="needs a CUDA device")
    for item in items:
        if grading in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.grading)
        if skip is not None and item.get_closest_marker("cuda") is not None:
            item.add_marker(skip)
