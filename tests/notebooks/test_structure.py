"""Every solution notebook follows the course skeleton and grades what it claims."""

import json
import re

import pytest
import tomllib

from release import REPO, chapter_ids

CHAPTERS = chapter_ids()
REPO_URL = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["urls"]["Repository"]


def _cells(chapter):
    return json.loads((REPO / "solutions" / chapter / f"{chapter}.ipynb").read_text())["cells"]


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_colab_badge_and_setup_use_the_one_repository_url(chapter):
    cells = _cells(chapter)
    badge = f"colab.research.google.com/github/{REPO_URL.removeprefix('https://github.com/')}" \
            f"/blob/main/chapters/{chapter}/{chapter}.ipynb"
    assert badge in _source(cells[0]), "title cell must carry the Colab badge for this chapter"
    setup = next(c for c in cells if c["cell_type"] == "code")
    text = _source(setup)
    assert f'REPO_URL = "{REPO_URL}"' in text and "train.setup(" in text
    assert "nbval-ignore-output" in setup["metadata"].get("tags", [])
    urls = set(re.findall(r"https://github\.com/[\w.-]+/[\w.-]+", "".join(map(_source, cells))))
    assert urls <= {REPO_URL}, f"other repository addresses in the notebook: {urls - {REPO_URL}}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_exercises_have_solutions_tests_hidden_tests_and_points(chapter):
    cells = _cells(chapter)
    answers = [c for c in cells if c["metadata"].get("nbgrader", {}).get("solution")]
    tests = [c for c in cells if c["metadata"].get("nbgrader", {}).get("grade")
             and not c["metadata"]["nbgrader"].get("solution")]
    assert len(answers) >= 5 and len(tests) >= 5
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in answers + tests]
    assert len(ids) == len(set(ids)), "grade ids must be unique"
    for cell in answers:
        assert "### BEGIN SOLUTION" in _source(cell) and "### END SOLUTION" in _source(cell)
    for cell in tests:
        text = _source(cell)
        meta = cell["metadata"]["nbgrader"]
        assert meta["locked"] and meta["points"] > 0
        assert text.startswith("#"), "a test cell opens with a comment saying what it checks"
        assert "### BEGIN HIDDEN TESTS" in text and "checks.untampered()" in text
        assert "importlib.reload(checks)" in text
        assert "checks.untampered.__code__.co_filename == checks.__file__" in text
        assert "torch.allclose" not in text, "test cells must not trust torch.allclose"
        visible, hidden = text.split("### BEGIN HIDDEN TESTS")
        assert "checks.forbid(" in visible and "checks.forbid(" in hidden, \
            "visible and hidden tests call the student's function inside checks.forbid"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_skeleton_sections(chapter):
    markdown = "\n".join(_source(c) for c in _cells(chapter) if c["cell_type"] == "markdown")
    for heading in ("What you will learn", "Prerequisites", "Summary",
                    "Check your understanding", "Further reading"):
        assert heading.lower() in markdown.lower(), f"missing section: {heading}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_settings_come_from_the_chapters_table(chapter):
    """The cell after the setup cell reads the chapter's settings; no notebook picks its own
    fast/full values."""
    from graphcourse import settings

    code = [c for c in _cells(chapter) if c["cell_type"] == "code"]
    number = chapter[:2]
    assert code[1].get("id") == "chapter-settings", "the settings cell follows the setup cell"
    assert f'settings.chapter("{number}")' in _source(code[1])
    assert "nbval-check-output" in code[1]["metadata"].get("tags", [])
    assert number in settings.CHAPTERS
    for cell in code:
        assert not re.search(r"\bpick\(|settings\.profile\(\)|train\.profile\(",
                             _source(cell)), "fast/full values belong in graphcourse/settings.py"
