"""Every chapter grades as promised: the solution earns full points, the untouched student
version earns nothing, and a submission that answers every exercise by calling the package's
finished version (or a library function the statement rules out) earns nothing for those
exercises. (Chapter 01's test file covers wrong answers and tampering in depth.)"""

import pytest
from nbgrader_course import Course, grade_ids
from release import chapter_ids
from shortcuts import expected_scores, shortcuts

CHAPTERS = [c for c in chapter_ids() if not c.startswith("01-")]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("course"), CHAPTERS)
    for chapter in CHAPTERS:
        stub = {gid: "stub" for gid in grade_ids(course.notebooks(chapter)[1], solution=True)}
        course.submit(chapter, "solution", course.submission(chapter))
        course.submit(chapter, "untouched", course.submission(chapter, stub))
        course.submit(chapter, "shortcut", course.submission(chapter, shortcuts(chapter)))
    return course


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_full_points_untouched_none(course, chapter):
    points = course.points(chapter)
    scores = course.autograde(chapter, timeout=120)
    assert len(points) >= 5
    assert scores["solution"] == points
    assert scores["untouched"] == {gid: 0 for gid in points}
    assert len(shortcuts(chapter)) >= 3
    assert scores["shortcut"] == expected_scores(chapter, points)
