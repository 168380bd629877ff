"""Every public function and class of graphcourse refuses bad input clearly.

The rows live in ``tests/bad_inputs/rows_*.py``. This file runs each row (right exception
type, message naming the argument) and checks that no public name of the package is left
without a row, so that a new function without checks stands out.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import bad_inputs
import graphcourse

ROW_MODULES = sorted(info.name for info in pkgutil.iter_modules(bad_inputs.__path__)
                     if info.name.startswith("rows_"))
MODULES = [importlib.import_module(f"bad_inputs.{name}") for name in ROW_MODULES]
ROWS = [row for module in MODULES for row in module.ROWS]
# Each rows file may exempt public names that take no argument a user could get wrong
# (``EXEMPT = {"graphcourse.data:karate_club": "no arguments"}``), saying why.
EXEMPT = {name: why for module in MODULES for name, why in getattr(module, "EXEMPT", {}).items()}


def _public_names() -> set[str]:
    """``module:name`` for every public function and class defined in a public module."""
    names = set()
    for info in pkgutil.walk_packages(graphcourse.__path__, prefix="graphcourse."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != info.name:
                continue
            if inspect.isfunction(value) or inspect.isclass(value):
                names.add(f"{info.name}:{name}")
    return names


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.covers.split(':')[1]}: {row.case}"
                                           for row in ROWS])
def test_bad_input_is_refused_clearly(row):
    with pytest.raises(row.error) as caught:
        row.call()
    assert re.search(row.match, str(caught.value)), (
        f"message {str(caught.value)!r} does not contain {row.match!r}")


def test_rows_name_real_public_names():
    public = _public_names()
    unknown = sorted({row.covers for row in ROWS} - public)
    assert not unknown, f"rows cover names that are not public: {unknown}"
    stale = sorted(set(EXEMPT) - public)
    assert not stale, f"exemptions for names that do not exist: {stale}"


def test_every_public_name_has_a_row():
    missing = sorted(_public_names() - {row.covers for row in ROWS} - set(EXEMPT))
    assert not missing, "public names without a bad-input row: " + ", ".join(missing)
