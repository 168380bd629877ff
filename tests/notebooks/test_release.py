"""The student notebooks in chapters/ are exactly what nbgrader generates from solutions/."""

import json
import shutil

import pytest

from release import REPO, chapter_ids, release

CHAPTERS = chapter_ids()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / "solutions", root / "solutions")
    release(root)
    return root


def test_every_solution_has_a_student_version():
    assert CHAPTERS, "no chapters found in solutions/"
    released = sorted(p.name for p in (REPO / "chapters").iterdir() if p.is_dir())
    assert released == CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapters_are_current(regenerated, chapter):
    name = f"{chapter}/{chapter}.ipynb"
    fresh = json.loads((regenerated / "chapters" / name).read_text())
    committed = json.loads((REPO / "chapters" / name).read_text())
    assert committed == fresh, f"chapters/{name} is stale: run `make chapters` and commit"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_version_hides_solutions_and_outputs(chapter):
    text = (REPO / "chapters" / chapter / f"{chapter}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS"):
        assert marker not in text
    notebook = json.loads(text)
    assert all(not cell.get("outputs") for cell in notebook["cells"] if cell["cell_type"] == "code")
    assert "widgets" not in notebook["metadata"], "saved widget state is an output too"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solutions_keep_no_widget_state(chapter):
    notebook = json.loads((REPO / "solutions" / chapter / f"{chapter}.ipynb").read_text())
    assert "widgets" not in notebook["metadata"], "explorers recompute when run; save no state"
