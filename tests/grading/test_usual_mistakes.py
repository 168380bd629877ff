"""Students see their usual mistakes before grading does: each chapter's usual-mistake
submission (tests/grading/mistakes/) fails the VISIBLE test of every exercise it touches,
with a message that names the case, when the student version runs as a student runs it."""

import pytest
from nbclient import NotebookClient

from mistakes import exercise, mistakes
from nbgrader_course import Course, grade_ids
from release import chapter_ids

CHAPTERS = chapter_ids()
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return Course(tmp_path_factory.mktemp("mistakes"), CHAPTERS)


def _text(output):
    return output.get("evalue", "") + output.get("text", "")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_visible_tests_catch_the_usual_mistakes(course, chapter):
    wrong = mistakes(chapter)
    assert len(wrong) >= 3
    notebook = course.submission(chapter, {gid: source for gid, (source, _) in wrong.items()})
    NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(course.root)}}).execute()
    tests = grade_ids(notebook, solution=False)
    for gid, (_, case) in wrong.items():
        cells = [notebook.cells[i] for test, i in tests.items() if exercise(test) == exercise(gid)]
        errors = [_text(o) for cell in cells for o in cell.outputs if o.output_type == "error"]
        assert errors, f"{gid}: the usual mistake passed the visible test"
        assert any(case in text for text in errors), f"{gid}: no visible error names {case!r}"
