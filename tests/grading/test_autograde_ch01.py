"""Autograde sample submissions of chapter 01 with nbgrader, as an instructor would.

A temporary course is built from solutions/ and nbgrader_config.py; five students submit:
the solution (full points), the untouched student version (0), a mix of right, wrong,
raising and endlessly looping answers (only the right ones score; the loop is cut by the
per-cell timeout and the other cells are still graded), and a submission that tampers with the
tests in every way we know (no points). The grader must finish without crashing, export a CSV
and write feedback that does not reveal the hidden tests.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from release import REPO

CHAPTER = "01-graphs-and-pyg"
pytestmark = pytest.mark.slow

WRONG_MEAN = '''def mean_aggregate(x, edge_index):
    sources, targets = edge_index
    return torch.zeros_like(x).index_add_(0, targets, x[sources])  # a sum, not a mean
'''
RAISES = '''def relabel(edge_index, perm):
    raise ValueError("not today")
'''
ENDLESS = '''while True:
    pass

def masked_accuracy(logits, y, mask):
    return 1.0
'''
TAMPER_HELPERS = '''import graphcourse.checks as checks
checks.close = lambda *args, **kwargs: None
checks.tensor = lambda value, *args, **kwargs: value
checks.untampered = lambda: None

def close(*args, **kwargs):
    return None

def mean_aggregate(x, edge_index):
    return x * 0
'''
ALWAYS_EQUAL = '''class AlwaysEqual(torch.Tensor):
    def __eq__(self, other):
        return True

class SAGEMean(torch.nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.lin = torch.nn.Linear(2 * in_channels, out_channels)

    def forward(self, x, edge_index):
        return torch.zeros(x.size(0), self.lin.out_features).as_subclass(AlwaysEqual)
'''
FAKE_NUMBER = '''class Anything(float):
    def __eq__(self, other):
        return True
    def __sub__(self, other):
        return 0.0

def masked_accuracy(logits, y, mask):
    return Anything(0.0)
'''
PATCH_ALLCLOSE = '''torch.allclose = lambda *args, **kwargs: True
torch.Tensor.__eq__ = lambda self, other: torch.ones_like(self, dtype=torch.bool)

def train_node_model(data, epochs=100, lr=0.01):
    return gcnn.NodeClassifier(data.num_node_features, 32, int(data.y.max()) + 1)
'''


def _nbgrader(root, *args, check=True):
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"], cwd=root,
                          env=env, check=check, capture_output=True, text=True, timeout=900)


def _grade_ids(notebook, solution):
    return {cell.metadata["nbgrader"]["grade_id"]: index
            for index, cell in enumerate(notebook.cells)
            if cell.metadata.get("nbgrader", {}).get("solution") == solution
            and (solution or cell.metadata["nbgrader"].get("grade"))}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / "solutions" / CHAPTER, root / "solutions" / CHAPTER)
    _nbgrader(root, "generate_assignment", CHAPTER, "--force")

    solution = nbformat.read(root / "solutions" / CHAPTER / f"{CHAPTER}.ipynb", 4)
    student = nbformat.read(root / "chapters" / CHAPTER / f"{CHAPTER}.ipynb", 4)
    answers = _grade_ids(student, solution=True)
    tests = _grade_ids(student, solution=False)
    solved = {gid: solution.cells[i].source for gid, i in _grade_ids(solution, True).items()}
    points = {gid: student.cells[i].metadata["nbgrader"]["points"] for gid, i in tests.items()}

    def submission(replace, edit_tests=None, delete_tests=()):
        notebook = nbformat.from_dict(json.loads(nbformat.writes(student)))
        for gid, index in answers.items():
            source = replace.get(gid, "solution")
            notebook.cells[index].source = solved[gid] if source == "solution" else (
                notebook.cells[index].source if source == "stub" else source)
        for gid, text in (edit_tests or {}).items():
            notebook.cells[tests[gid]].source = text
        notebook.cells = [c for i, c in enumerate(notebook.cells)
                          if i not in {tests[g] for g in delete_tests}]
        return notebook

    stub = {gid: "stub" for gid in answers}
    submissions = {
        "solution": submission({}),
        "untouched": submission(stub),
        "mixed": submission({"ex2-relabel": RAISES, "ex3-mean": WRONG_MEAN,
                             "ex5-accuracy": ENDLESS}),
        "tamper": submission(
            {"ex1-edge-index": "def edge_index_from_adjlist(adjacency):\n    return None\n",
             "ex2-relabel": "def relabel(edge_index, perm):\n    return edge_index\n",
             "ex3-mean": TAMPER_HELPERS, "ex4-sage": ALWAYS_EQUAL,
             "ex5-accuracy": FAKE_NUMBER, "ex6-train": PATCH_ALLCLOSE},
            edit_tests={"ex1-tests": "# edited by the student\npass\n"},
            delete_tests=("ex2-tests",)),
    }
    for name, notebook in submissions.items():
        folder = root / "submitted" / name / CHAPTER
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{CHAPTER}.ipynb")
        _nbgrader(root, "db", "student", "add", name)

    result = _nbgrader(root, "autograde", CHAPTER, "--force", "--Execute.timeout=30", check=False)
    assert result.returncode == 0, f"autograde crashed:\n{result.stdout}\n{result.stderr}"

    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for name in submissions:
            notebook = gradebook.find_submission_notebook(CHAPTER, CHAPTER, name)
            scores[name] = {grade.name: grade.score for grade in notebook.grades
                            if grade.name in points}
    return root, scores, points


def test_solution_earns_full_points(graded):
    _, scores, points = graded
    assert scores["solution"] == points
    assert sum(points.values()) >= 10 and len(points) >= 5


def test_untouched_student_version_earns_nothing(graded):
    _, scores, points = graded
    assert scores["untouched"] == {gid: 0 for gid in points}


def test_wrong_raising_and_endless_answers_lose_only_their_points(graded):
    _, scores, points = graded
    expected = dict(points) | {"ex2-tests": 0, "ex3-tests": 0, "ex5-tests": 0}
    assert scores["mixed"] == expected


def test_tampering_earns_nothing(graded):
    _, scores, points = graded
    assert scores["tamper"] == {gid: 0 for gid in points}


def test_grades_export_to_csv(graded):
    root, _, points = graded
    _nbgrader(root, "export", "--to", "grades.csv")
    with open(root / "grades.csv") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert float(rows["solution"]["raw_score"]) == sum(points.values())
    assert float(rows["untouched"]["raw_score"]) == 0
    assert float(rows["solution"]["max_score"]) == sum(points.values())


def test_feedback_hides_hidden_tests(graded):
    root, _, _ = graded
    _nbgrader(root, "generate_feedback", CHAPTER, "--force")
    for name in ("solution", "mixed"):
        html = (root / "feedback" / name / CHAPTER / f"{CHAPTER}.html").read_text()
        assert "same_edges" in html  # visible tests are shown
        assert "BEGIN HIDDEN TESTS" not in html and "_scrambled" not in html
