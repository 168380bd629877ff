"""Autograde sample submissions of chapter 01 with nbgrader, as an instructor would.

A temporary course is built from solutions/ and nbgrader_config.py; students submit: the
solution (full points), the untouched student version (0), a mix of right, wrong, half-right,
raising and endlessly looping answers (only the right ones and the right parts score: the two
exercises graded in two parts earn one part each; the loop is cut by the per-cell timeout and
the other cells are still graded), the package's finished versions (0 on those exercises),
the usual mistakes (each loses points, and the feedback names its case), and three
submissions with wrong answers that tamper with the tests in every way we know (no points):
edited and deleted test cells, redefined and monkeypatched check helpers, objects whose
``__eq__`` is always true, a patched ``torch.allclose``, a patched ``importlib.reload`` that
keeps stubbed checks, and a patched builtin ``abs``. The grader must finish without
crashing, export a CSV and write feedback that does not reveal the hidden tests.
"""

import csv

import pytest

from mistakes import check_graded, mistakes
from nbgrader_course import Course, check_autograde_time, grade_ids, nbgrader
from shortcuts import expected_scores, shortcuts

CHAPTER = "01-graphs-and-pyg"
pytestmark = pytest.mark.slow

WRONG_MEAN = '''def mean_aggregate(x, edge_index):
    sources, targets = edge_index
    return torch.zeros_like(x).index_add_(0, targets, x[sources])  # a sum, not a mean
'''
LOOPED_MEAN = '''def mean_aggregate(x, edge_index):
    out, count = torch.zeros_like(x), [0] * x.size(0)
    for source, target in edge_index.t().tolist():  # right, but one edge at a time
        out[target] += x[source]
        count[target] += 1
    for node, incoming in enumerate(count):
        if incoming:
            out[node] /= incoming
    return out
'''
ALL_LABELS = '''def train_node_model(data, epochs=100, lr=0.01):
    torch.manual_seed(0)
    model = gcnn.NodeClassifier(data.num_node_features, 32, int(data.y.max()) + 1, layer="sage")
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=5e-4)
    model.train()
    for _ in range(epochs):  # learns, but from every label, not only train_mask
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(data.x, data.edge_index), data.y).backward()
        optimizer.step()
    return model.eval()
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
WRONG = {
    "ex1-edge-index": "def edge_index_from_adjlist(adjacency):\n"
                      "    return torch.zeros(2, 0, dtype=torch.long)\n",
    "ex2-relabel": "def relabel(edge_index, perm):\n    return edge_index\n",
    "ex3-mean": WRONG_MEAN,
    "ex4-sage": ALWAYS_EQUAL.replace(".as_subclass(AlwaysEqual)", ""),
    "ex5-accuracy": "def masked_accuracy(logits, y, mask):\n    return 0.5\n",
    "ex6-train": "def train_node_model(data, epochs=100, lr=0.01):\n"
                 "    return gcnn.NodeClassifier(data.num_node_features, 32, 10)\n",
}
PRINTS_INPUTS = '''def edge_index_from_adjlist(adjacency):
    print("PRINTED-BY-" + "STUDENT", adjacency)  # a debugging print left in a right answer
    sources = [int(node) for node, targets in adjacency.items() for _ in targets]
    targets = [int(t) for targets in adjacency.values() for t in targets]
    return torch.tensor([sources, targets], dtype=torch.long).view(2, -1)
'''
STUB_RELOAD = '''import importlib
import graphcourse.checks as checks
importlib.reload = lambda module: module
for _name in dir(checks):
    if not _name.startswith("__") and callable(getattr(checks, _name)):
        setattr(checks, _name, lambda *args, **kwargs: None)
'''
PATCH_ABS = '''import builtins
builtins.abs = lambda value: 0.0
'''
PATCH_ALLCLOSE = '''torch.allclose = lambda *args, **kwargs: True
torch.Tensor.__eq__ = lambda self, other: torch.ones_like(self, dtype=torch.bool)

def train_node_model(data, epochs=100, lr=0.01):
    return gcnn.NodeClassifier(data.num_node_features, 32, int(data.y.max()) + 1)
'''


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("course"), [CHAPTER])
    stub = {gid: "stub" for gid in grade_ids(course.notebooks(CHAPTER)[1], solution=True)}
    submissions = {
        "solution": course.submission(CHAPTER),
        "untouched": course.submission(CHAPTER, stub),
        "mixed": course.submission(CHAPTER, {"ex1-edge-index": PRINTS_INPUTS,
                                             "ex2-relabel": RAISES, "ex3-mean": LOOPED_MEAN,
                                             "ex4-sage": WRONG["ex4-sage"],
                                             "ex5-accuracy": ENDLESS, "ex6-train": ALL_LABELS}),
        "tamper": course.submission(
            CHAPTER,
            {"ex1-edge-index": "def edge_index_from_adjlist(adjacency):\n    return None\n",
             "ex2-relabel": "def relabel(edge_index, perm):\n    return edge_index\n",
             "ex3-mean": TAMPER_HELPERS, "ex4-sage": ALWAYS_EQUAL,
             "ex5-accuracy": FAKE_NUMBER, "ex6-train": PATCH_ALLCLOSE},
            edit_tests={"ex1-tests": "# edited by the student\npass\n"},
            delete_tests=("ex2-tests",)),
        "reload": course.submission(
            CHAPTER, WRONG | {"ex1-edge-index": STUB_RELOAD + WRONG["ex1-edge-index"]}),
        "builtins": course.submission(
            CHAPTER, WRONG | {"ex1-edge-index": PATCH_ABS + WRONG["ex1-edge-index"]}),
        "shortcut": course.submission(CHAPTER, shortcuts(CHAPTER)),
        "mistakes": course.submission(
            CHAPTER, {gid: source for gid, (source, _) in mistakes(CHAPTER).items()}),
    }
    for name, notebook in submissions.items():
        course.submit(CHAPTER, name, notebook)
    return course


@pytest.fixture(scope="module")
def graded(course):
    return course.root, course.autograde(CHAPTER), course.points(CHAPTER)


def test_solution_earns_full_points(graded):
    _, scores, points = graded
    assert scores["solution"] == points
    assert sum(points.values()) >= 10 and len(points) >= 5


def test_untouched_student_version_earns_nothing(graded):
    _, scores, points = graded
    assert scores["untouched"] == {gid: 0 for gid in points}


def test_wrong_raising_and_endless_answers_lose_only_their_points(graded):
    _, scores, points = graded
    # Exercises 3 and 6 are graded in two parts: the loop keeps the values, the model trained
    # on every label keeps the accuracy on clean data.
    assert {"ex3-tests-values", "ex3-tests-vectorised", "ex6-tests-learns",
            "ex6-tests-train-mask"} <= set(points)
    expected = dict(points) | {"ex2-tests": 0, "ex3-tests-vectorised": 0, "ex4-tests": 0,
                               "ex5-tests": 0, "ex6-tests-train-mask": 0}
    assert scores["mixed"] == expected


def test_shortcuts_through_the_package_earn_nothing(graded):
    _, scores, points = graded
    assert len(shortcuts(CHAPTER)) >= 3
    assert scores["shortcut"] == expected_scores(CHAPTER, points)


def test_usual_mistakes_lose_points_and_feedback_names_the_case(course, graded):
    _, scores, _ = graded
    check_graded(course, CHAPTER, scores["mistakes"])


@pytest.mark.parametrize("student", ["tamper", "reload", "builtins"])
def test_tampering_earns_nothing(graded, student):
    _, scores, points = graded
    assert scores[student] == {gid: 0 for gid in points}


def test_grades_export_to_csv(graded):
    root, _, points = graded
    nbgrader(root, "export", "--to", "grades.csv")
    with open(root / "grades.csv") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert float(rows["solution"]["raw_score"]) == sum(points.values())
    assert float(rows["untouched"]["raw_score"]) == 0
    assert float(rows["solution"]["max_score"]) == sum(points.values())


def test_feedback_hides_hidden_tests(graded):
    root, _, _ = graded
    nbgrader(root, "generate_feedback", CHAPTER, "--force")
    for name in ("solution", "mixed"):
        html = (root / "feedback" / name / CHAPTER / f"{CHAPTER}.html").read_text()
        assert "same_edges" in html  # visible tests are shown
        assert "BEGIN HIDDEN TESTS" not in html and "_scrambled" not in html
    mixed = (root / "feedback" / "mixed" / CHAPTER / f"{CHAPTER}.html").read_text()
    # What graded code printed stays out (the source spells the marker in two pieces).
    ran = (root / "autograded" / "mixed" / CHAPTER / f"{CHAPTER}.ipynb").read_text()
    assert "PRINTED-BY-STUDENT" in ran and "PRINTED-BY-STUDENT" not in mixed
    assert "not today" in mixed  # the error of a failed exercise is still shown


def test_autograde_never_waits_for_a_cell_timeout(graded):
    root, scores, _ = graded
    check_autograde_time(root, CHAPTER, scores, budget=60.0)
