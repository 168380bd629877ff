"""nbgrader preprocessors for the course's feedback (loaded by ``nbgrader_config.py``).

Feedback shows each graded test cell with its score and the message of its first failed
check. It must not show what a hidden test fed the student's code: a ``print`` left in a graded
function would copy the hidden inputs into the feedback, and hidden inputs are the same for
every student of every year.
"""

from __future__ import annotations

import re
from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

MAX_MESSAGE = 200  # characters of an error message kept in the feedback
HIDDEN = re.compile(r"[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*\n?", re.DOTALL)


class HideTestOutput(Preprocessor):
    """In graded test cells: remove the hidden tests from the source, keep only the error among
    the outputs (printed text and displays are dropped) and cut it to one line
    ``Name: message`` of at most ``MAX_MESSAGE`` characters.

    The course's checks raise short ``AssertionError`` messages that name the case and never
    echo expected values (``graphcourse.checks``); this preprocessor makes sure nothing else
    that ran in the cell reaches the student. (It replaces nbgrader's ``ClearHiddenTests`` in
    feedback, which warns about an nbconvert option it does not know.)
    """

    enabled = Bool(True, help="nbconvert runs a preprocessor only when this is True").tag(
        config=True)

    def preprocess_cell(self, cell: Any, resources: dict, index: int) -> tuple[Any, dict]:
        """Strip one cell (nbconvert calls this for every cell of the notebook)."""
        if not isinstance(cell, dict) or "cell_type" not in cell or "metadata" not in cell:
            raise TypeError(f"cell: expected a notebook cell (nbformat.NotebookNode with "
                            f"cell_type and metadata), got {type(cell).__name__}")
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            return cell, resources
        cell.source = HIDDEN.sub("", cell.source)
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            message = " ".join(str(output.get("evalue", "")).split())
            if len(message) > MAX_MESSAGE:
                message = message[:MAX_MESSAGE - 3] + "..."
            output["evalue"] = message
            output["traceback"] = [f"{output.get('ename', 'Error')}: {message}"]
            kept.append(output)
        cell.outputs = kept
        return cell, resources
