import nbformat

from graphcourse.grading import HideTestOutput

from . import Bad

ROWS = [
    Bad("graphcourse.grading:HideTestOutput", "a cell's source instead of the cell",
        lambda: HideTestOutput().preprocess_cell("assert f(1) == 2", {}, 0), TypeError,
        r"cell: expected a notebook cell \(nbformat.NotebookNode with cell_type and metadata\), "
        r"got str"),
    Bad("graphcourse.grading:HideTestOutput", "a whole notebook instead of a cell",
        lambda: HideTestOutput().preprocess_cell(nbformat.v4.new_notebook(), {}, 0), TypeError,
        r"cell: expected a notebook cell .* got NotebookNode"),
]
