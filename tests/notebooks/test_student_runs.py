"""Each student notebook runs without error up to its first exercise stub."""

import os

import nbformat
import pytest
from nbclient import NotebookClient

from release import REPO, chapter_ids


@pytest.mark.slow
@pytest.mark.parametrize("chapter", chapter_ids())
def test_runs_until_first_exercise(chapter):
    path = REPO / "chapters" / chapter / f"{chapter}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    first = next(i for i, cell in enumerate(notebook.cells)
                 if cell.metadata.get("nbgrader", {}).get("solution"))
    assert "raise NotImplementedError()" in notebook.cells[first].source
    notebook.cells = notebook.cells[:first]
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=dict(os.environ))  # raises CellExecutionError on the first error
