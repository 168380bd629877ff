"""The feedback preprocessor keeps a graded test cell's error and drops everything else."""

import nbformat

from graphcourse.grading import MAX_MESSAGE, HideTestOutput


def _cell(nbgrader, outputs):
    cell = nbformat.v4.new_code_cell("# Checks f.\nassert f(1) == 2\n### BEGIN HIDDEN TESTS\n"
                                     "assert f(7) == 8\n### END HIDDEN TESTS\n")
    cell.metadata["nbgrader"] = nbgrader
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


PRINTED = {"output_type": "stream", "name": "stdout", "text": "hidden input tensor([1, 2])\n"}
ERROR = {"output_type": "error", "ename": "ValueError", "evalue": "x " * 300,
         "traceback": ["line 1 of a long traceback", "ValueError: x x x"]}


def test_the_preprocessor_is_enabled_when_nbgrader_builds_it():
    assert HideTestOutput().enabled  # nbconvert skips a preprocessor whose enabled is False


def test_graded_test_cells_keep_only_a_short_error():
    cell = _cell({"grade": True, "solution": False, "points": 2}, [PRINTED, ERROR])
    cell, _ = HideTestOutput().preprocess_cell(cell, {}, 0)
    assert [o.output_type for o in cell.outputs] == ["error"]
    error = cell.outputs[0]
    assert len(error.evalue) == MAX_MESSAGE and error.evalue.endswith("...")
    assert error.traceback == [f"ValueError: {error.evalue}"]
    assert cell.source == "# Checks f.\nassert f(1) == 2\n"  # hidden tests removed


def test_other_cells_are_left_alone():
    for meta in ({}, {"grade": False, "solution": True}, {"grade": True, "solution": True}):
        cell = _cell(meta, [PRINTED])
        cell, _ = HideTestOutput().preprocess_cell(cell, {}, 0)
        assert len(cell.outputs) == 1 and "f(7)" in cell.source
    markdown = nbformat.v4.new_markdown_cell("text")
    assert HideTestOutput().preprocess_cell(markdown, {}, 0)[0] is markdown


def test_the_preprocessor_refuses_what_is_not_a_cell():
    import pytest

    with pytest.raises(TypeError, match="cell: expected a notebook cell"):
        HideTestOutput().preprocess_cell({"source": "x = 1"}, {}, 0)
