"""A throw-away nbgrader course built from this repository, for the grading tests."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from release import REPO


def nbgrader(root, *args, check=True):
    """Run ``nbgrader *args`` in the course ``root`` with this environment's bin/ on PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"], cwd=root,
                          env=env, check=check, capture_output=True, text=True, timeout=900)


def grade_ids(notebook, solution):
    """grade_id -> cell index of the answer cells (``solution=True``) or the graded tests."""
    return {cell.metadata["nbgrader"]["grade_id"]: index
            for index, cell in enumerate(notebook.cells)
            if cell.metadata.get("nbgrader", {}).get("solution") == solution
            and (solution or cell.metadata["nbgrader"].get("grade"))}


class Course:
    """A course in ``root`` holding ``chapters``, released with a gradebook."""

    def __init__(self, root, chapters):
        self.root = Path(root)
        shutil.copy(REPO / "nbgrader_config.py", self.root)
        for chapter in chapters:
            shutil.copytree(REPO / "solutions" / chapter, self.root / "solutions" / chapter)
            nbgrader(self.root, "generate_assignment", chapter, "--force")
        self.students = set()

    def notebooks(self, chapter):
        """(solution, student) notebooks of a chapter."""
        name = f"{chapter}/{chapter}.ipynb"
        return (nbformat.read(self.root / "solutions" / name, 4),
                nbformat.read(self.root / "chapters" / name, 4))

    def points(self, chapter):
        _, student = self.notebooks(chapter)
        return {gid: student.cells[i].metadata["nbgrader"]["points"]
                for gid, i in grade_ids(student, solution=False).items()}

    def submission(self, chapter, replace=None, edit_tests=None, delete_tests=()):
        """The student notebook with answer cells replaced: by default with the solution; a
        value "stub" keeps the student's stub; any other string is the new source."""
        solution, student = self.notebooks(chapter)
        answers, tests = grade_ids(student, True), grade_ids(student, False)
        solved = {gid: solution.cells[i].source for gid, i in grade_ids(solution, True).items()}
        notebook = nbformat.reads(nbformat.writes(student), 4)  # a copy with string sources
        for gid, index in answers.items():
            source = (replace or {}).get(gid, "solution")
            notebook.cells[index].source = solved[gid] if source == "solution" else (
                notebook.cells[index].source if source == "stub" else source)
        for gid, text in (edit_tests or {}).items():
            notebook.cells[tests[gid]].source = text
        dropped = {tests[gid] for gid in delete_tests}
        notebook.cells = [c for i, c in enumerate(notebook.cells) if i not in dropped]
        return notebook

    def submit(self, chapter, student, notebook):
        folder = self.root / "submitted" / student / chapter
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{chapter}.ipynb")
        if student not in self.students:
            nbgrader(self.root, "db", "student", "add", student)
            self.students.add(student)

    def autograde(self, chapter, timeout=30):
        """Autograde every submission of ``chapter``; return {student: {grade_id: score}}."""
        result = nbgrader(self.root, "autograde", chapter, "--force",
                          f"--Execute.timeout={timeout}", check=False)
        assert result.returncode == 0, f"autograde crashed:\n{result.stdout}\n{result.stderr}"
        from nbgrader.api import Gradebook

        points = self.points(chapter)
        scores = {}
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            for submission in gradebook.assignment_submissions(chapter):
                notebook = gradebook.find_submission_notebook(chapter, chapter,
                                                              submission.student.id)
                scores[submission.student.id] = {g.name: g.score for g in notebook.grades
                                                 if g.name in points}
        return scores


def cell_seconds(root, chapter, student):
    """Seconds each code cell of an autograded notebook took (from nbclient's timing record)."""
    from datetime import datetime

    path = Path(root) / "autograded" / student / chapter / f"{chapter}.ipynb"
    seconds = []
    for cell in nbformat.read(path, 4).cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            start, end = (datetime.fromisoformat(timing[key].replace("Z", "+00:00"))
                          for key in ("iopub.execute_input", "shell.execute_reply"))
            seconds.append((end - start).total_seconds())
    return seconds


def check_autograde_time(root, chapter, scores, budget=75.0):
    """Autograding the solution takes about its nbval time: no cell comes near the 120 s
    per-cell limit (an explorer that blocked a headless kernel showed up as exactly 120 s),
    and all cells together stay within twice the chapter's nbval budget on a busy 2-core
    machine. ``scores`` is the autograde result: asking for it makes sure grading has run."""
    seconds = cell_seconds(root, chapter, "solution")
    assert seconds, "no timing recorded in the autograded notebook"
    assert max(seconds) < 90, f"a cell took {max(seconds):.0f} s"
    assert sum(seconds) < 2 * budget, f"the cells took {sum(seconds):.0f} s in all"
