"""The usual mistakes, one submission per chapter: plausible wrong answers that students
really write. Each chapter's file ``chNN.py`` holds ``MISTAKES = {answer grade_id: (source,
case)}``: ``case`` is the words that the failing visible test and the grading feedback must
show, so that the student learns which case went wrong."""

import importlib
import re


def mistakes(chapter: str) -> dict[str, tuple[str, str]]:
    """The usual-mistake answers of ``chapter`` ("03-message-passing-gat" -> mistakes/ch03.py)."""
    try:
        module = importlib.import_module(f"mistakes.ch{chapter[:2]}")
    except ModuleNotFoundError:  # a chapter without the file fails its own test, not the others
        return {}
    return module.MISTAKES


def exercise(grade_id: str) -> str:
    """"ex3" for "ex3-logits" or "ex3-tests-mean"."""
    return re.match(r"ex\d+", grade_id).group(0)


def check_graded(course, chapter: str, scores: dict[str, float]) -> None:
    """The "mistakes" student of ``course``: each usual mistake costs points on its exercise,
    and the grading feedback names its case."""
    from nbgrader_course import nbgrader

    assert len(mistakes(chapter)) >= 3
    points = course.points(chapter)
    nbgrader(course.root, "generate_feedback", chapter, "--student", "mistakes", "--force")
    html = (course.root / "feedback" / "mistakes" / chapter / f"{chapter}.html").read_text()
    html = html.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
    for gid, (_, case) in mistakes(chapter).items():
        earned = sum(v for g, v in scores.items() if exercise(g) == exercise(gid))
        full = sum(v for g, v in points.items() if exercise(g) == exercise(gid))
        assert earned < full, f"{gid}: the usual mistake kept full points"
        assert case in html, f"{gid}: the feedback does not name {case!r}"
