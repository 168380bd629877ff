"""Shortcut submissions: every exercise answered by calling the package's finished version or
a library function that the statement rules out. Each chapter's file ``chNN.py`` holds
``SHORTCUTS = {answer grade_id: source}``; its graded tests must all score 0 while every other
exercise keeps full points."""

import importlib
import re


def shortcuts(chapter: str) -> dict[str, str]:
    """The shortcut answers of ``chapter`` ("02-graph-convolutions" -> shortcuts/ch02.py)."""
    try:
        module = importlib.import_module(f"shortcuts.ch{chapter[:2]}")
    except ModuleNotFoundError:  # a chapter without the file fails its own test, not the others
        return {}
    return module.SHORTCUTS


def expected_scores(chapter: str, points: dict[str, float]) -> dict[str, float]:
    """Full points, except 0 for the tests of each exercise answered by a shortcut."""
    replaced = {re.match(r"ex\d+", gid).group(0) for gid in shortcuts(chapter)}
    return {gid: 0 if re.match(r"ex\d+", gid).group(0) in replaced else score
            for gid, score in points.items()}
