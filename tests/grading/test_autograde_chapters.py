"""Every chapter grades as promised: the solution earns full points, the untouched student
version earns nothing, a submission that answers every exercise by calling the package's
finished version (or a library function the statement rules out) earns nothing for those
exercises, and the usual mistakes lose points with feedback that names the failing case.
(Chapter 01's test file covers wrong answers and tampering in depth.)"""

import functools

import pytest

from mistakes import check_graded, mistakes
from nbgrader_course import Course, check_autograde_time, grade_ids
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
        course.submit(chapter, "mistakes", course.submission(
            chapter, {gid: source for gid, (source, _) in mistakes(chapter).items()}))
    course.scores = functools.cache(lambda chapter: course.autograde(chapter, timeout=120))
    return course


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_full_points_untouched_none(course, chapter):
    points = course.points(chapter)
    scores = course.scores(chapter)
    assert len(points) >= 5
    assert scores["solution"] == points
    assert scores["untouched"] == {gid: 0 for gid in points}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_shortcuts_through_the_package_earn_nothing(course, chapter):
    assert len(shortcuts(chapter)) >= 3
    assert course.scores(chapter)["shortcut"] == expected_scores(chapter, course.points(chapter))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_usual_mistakes_lose_points_and_feedback_names_the_case(course, chapter):
    check_graded(course, chapter, course.scores(chapter)["mistakes"])



@pytest.mark.parametrize("chapter", CHAPTERS)
def test_autograde_never_waits_for_a_cell_timeout(course, chapter):
    check_autograde_time(course.root, chapter, course.scores(chapter))

