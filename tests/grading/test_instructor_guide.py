"""The recipes of INSTRUCTORS.md work as written: a misspelled student folder is refused,
a late submission gets the configured penalty, and a re-grade needs ``--force`` (without it
nbgrader keeps the old grade). Runs chapter 01 for three submissions."""

import csv

import pytest

from nbgrader_course import Course, grade_ids, nbgrader

CHAPTER = "01-graphs-and-pyg"
DUE = "2026-03-01 12:00:00 UTC"
pytestmark = pytest.mark.slow


def _write_timestamp(course, student, when):
    (course.root / "submitted" / student / CHAPTER / "timestamp.txt").write_text(when)


def _scores(course):
    nbgrader(course.root, "export", "--to", "grades.csv")
    with open(course.root / "grades.csv") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("guide"), [CHAPTER])
    nbgrader(course.root, "db", "assignment", "add", CHAPTER, f"--duedate={DUE}")
    stub = {gid: "stub" for gid in grade_ids(course.notebooks(CHAPTER)[1], solution=True)}
    course.submit(CHAPTER, "alice", course.submission(CHAPTER))
    _write_timestamp(course, "alice", "2026-03-01 11:59:00.000000 UTC")
    course.submit(CHAPTER, "bob", course.submission(CHAPTER, stub))
    _write_timestamp(course, "bob", "2026-03-02 09:00:00.000000 UTC")
    (course.root / "nbgrader_config.py").open("a").write(
        '\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    return course


def test_a_misspelled_student_folder_is_refused(course):
    course.submit(CHAPTER, "alcie", course.submission(CHAPTER))  # registered: remove it again
    nbgrader(course.root, "db", "student", "remove", "alcie")
    course.students.discard("alcie")
    result = nbgrader(course.root, "autograde", CHAPTER, "--student", "alcie", check=False)
    assert result.returncode != 0
    assert "No student with ID 'alcie' exists in the database" in result.stdout + result.stderr
    import shutil

    shutil.rmtree(course.root / "submitted" / "alcie")


def test_late_penalty_and_regrade_recipe(course):
    total = sum(course.points(CHAPTER).values())
    course.autograde(CHAPTER)
    rows = _scores(course)
    assert float(rows["alice"]["score"]) == total  # on time
    assert float(rows["bob"]["raw_score"]) == 0  # untouched

    # Bob hands in a corrected notebook, still late. Without --force nothing is re-graded.
    folder = course.root / "submitted" / "bob" / CHAPTER
    (folder / f"{CHAPTER}.ipynb").unlink()
    import nbformat

    nbformat.write(course.submission(CHAPTER), folder / f"{CHAPTER}.ipynb")
    nbgrader(course.root, "autograde", CHAPTER, "--student", "bob")
    assert float(_scores(course)["bob"]["raw_score"]) == 0

    # With --force it is, and the late penalty ("zero") takes the score back to 0.
    nbgrader(course.root, "autograde", CHAPTER, "--student", "bob", "--force")
    rows = _scores(course)
    assert float(rows["bob"]["raw_score"]) == total
    assert float(rows["bob"]["late_submission_penalty"]) == total
    assert float(rows["bob"]["score"]) == 0
    assert float(rows["alice"]["late_submission_penalty"]) == 0

    # Feedback follows only with --force as well.
    nbgrader(course.root, "generate_feedback", CHAPTER, "--student", "bob", "--force")
    html = (course.root / "feedback" / "bob" / CHAPTER / f"{CHAPTER}.html").read_text()
    assert "NotImplementedError" not in html
