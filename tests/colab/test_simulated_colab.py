"""The simulated Colab run of `make test-colab`: every chapter's setup cell and first sections
in a venv that holds only what Colab holds for this course.

Runs only where ``GRAPHCOURSE_COLAB_SIM=1`` (set by `make test-colab`, which runs it with the
Python of ``.venv-colab``: torch as pinned here, numpy, ipywidgets 7.7.x, ..., but neither
torch-geometric nor graphcourse); skipped everywhere else, `make test` included.

For every solution notebook:

1. the venv is put back in Colab's state (``pip uninstall`` torch-geometric, rdkit and
   graphcourse)
   and the versions of torch, numpy and ipywidgets are recorded;
2. a kernel of that venv runs, in an empty working folder (Colab's ``/content``), with a
   stand-in ``google.colab`` on ``PYTHONPATH`` that IPython imports at start as Colab's kernel
   does, and ``GRAPHCOURSE_REPO`` pointing at a copy of this clone's package (a copy, so that
   pip's build leaves the working tree alone);
3. it executes the setup cell as tools/setup_cell.py makes it (what every notebook holds once
   `python tools/setup_cell.py --write` ran), the chapter's code cells before its first
   exercise (at most ``FIRST_CELLS``), then a check cell that imports the package's modules and
   shows an explorer;
4. the run must raise nothing; the setup must print that it installed torch_geometric, rdkit
   and graphcourse and whether a GPU runtime is active; torch, numpy and ipywidgets keep their
   versions (ipywidgets still 7.7.x); graphcourse is imported from the venv, not the clone; the
   explorer comes back as a widget and draws its figure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import setup_cell

from release import REPO, chapter_ids

pytestmark = pytest.mark.skipif(os.environ.get("GRAPHCOURSE_COLAB_SIM") != "1",
                                reason="the simulated Colab run: `make test-colab`")

KEPT = ("torch", "numpy", "ipywidgets")          # Colab's own: must not change
ADDED = ("torch-geometric", "rdkit", "graphcourse")  # what the setup cell installs
FIRST_CELLS = 10      # at most this many code cells after the setup cell
SETUP_TIMEOUT_S = 300  # the setup cell (its pip installs), and each command the test runs
CELL_TIMEOUT_S = 120   # any other cell
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

CHECK_CELL = """\
import json, sys
import google.colab, graphcourse, ipywidgets, numpy, torch, torch_geometric
import graphcourse.checks, graphcourse.data, graphcourse.graphs, graphcourse.nn
import graphcourse.train, graphcourse.viz, graphcourse.widgets
print(json.dumps({"prefix": sys.prefix, "graphcourse": graphcourse.__file__,
                  "torch": torch.__version__, "numpy": numpy.__version__,
                  "ipywidgets": ipywidgets.__version__}))
graphcourse.widgets.khop_explorer(graphcourse.data.karate_club(), node=0, depth=1)"""

STAND_IN = '''"""Stand-in for Colab's google.colab: the setup cell asks only whether it is
imported."""
'''


def _run(*args: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, *args], cwd=cwd, check=True, text=True,
                          capture_output=True, timeout=SETUP_TIMEOUT_S)
    return done.stdout


def _versions(cwd: Path) -> dict[str, str | None]:
    """Installed versions of KEPT and ADDED in this venv (None: not installed)."""
    code = ("import importlib.metadata as m, json\n"
            "def v(name):\n"
            "    try:\n        return m.version(name)\n"
            "    except m.PackageNotFoundError:\n        return None\n"
            f"print(json.dumps({{name: v(name) for name in {KEPT + ADDED!r}}}))")
    return json.loads(_run("-c", code, cwd=cwd))


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs
                   if o.output_type == "stream" and o.name == "stdout")


def _seconds(cell) -> float:
    """How long a cell ran, from the timestamps nbclient records."""
    from datetime import datetime

    stamps = cell.metadata.get("execution", {})
    start, end = stamps.get("iopub.execute_input"), stamps.get("shell.execute_reply")
    if not (start and end):
        return float("nan")
    return (datetime.fromisoformat(end.rstrip("Z")) -
            datetime.fromisoformat(start.rstrip("Z"))).total_seconds()


def _drawn(notebook) -> bool:
    """Whether the explorer's widgets hold a figure: an Image widget with its PNG or an Output
    widget with a PNG output (in the widget state that nbclient keeps, as a frontend would)."""
    state = notebook.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for model in state.values():
        if model["model_name"] == "ImageModel" and any(b.get("data")
                                                       for b in model.get("buffers", [])):
            return True
        if model["model_name"] == "OutputModel" and any(
                "image/png" in output.get("data", {})
                for output in model["state"].get("outputs", [])):
            return True
    return False


def _first_sections(chapter: str) -> list[str]:
    """Sources of the chapter's code cells after its setup cell and before its first exercise
    (the first nbgrader cell), at most FIRST_CELLS of them."""
    import nbformat

    path = REPO / "solutions" / chapter / f"{chapter}.ipynb"
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    sources = []
    for cell in code[1:]:
        if "nbgrader" in cell.metadata or len(sources) == FIRST_CELLS:
            break
        sources.append(cell.source)
    return sources


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """The pieces of the simulated Colab: a kernel spec for this venv's Python with the
    stand-in google.colab, a copy of the package to install, an empty working folder."""
    root = tmp_path_factory.mktemp("colab")
    for package in ("google", "google/colab"):
        (root / "stand-in" / package).mkdir(parents=True)
    # google is a namespace shared with other distributions (google.protobuf, ...).
    (root / "stand-in/google/__init__.py").write_text(
        "__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n")
    (root / "stand-in/google/colab/__init__.py").write_text(STAND_IN)
    startup = root / "ipython/profile_default/startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab  # as Colab's kernel does\n")

    package = root / "graphcourse-clone"
    package.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, package / name)
    shutil.copytree(REPO / "graphcourse", package / "graphcourse",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    spec = root / "kernels/colab-sim"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "simulated Colab", "language": "python",
        "env": {"PYTHONPATH": str(root / "stand-in"), "IPYTHONDIR": str(root / "ipython"),
                "GRAPHCOURSE_REPO": str(package),
                "MPLBACKEND": "module://matplotlib_inline.backend_inline"},  # as on Colab
    }))
    content = root / "content"
    content.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(root))  # finds kernels/colab-sim first
        yield content


def test_this_is_the_colab_venv(colab):
    versions = _versions(colab)
    assert versions["ipywidgets"].startswith("7.7."), versions
    assert Path(sys.prefix).name == ".venv-colab", sys.prefix


@pytest.mark.parametrize("chapter", chapter_ids())
def test_setup_and_first_sections_on_colab(chapter, colab):
    import nbformat
    from nbclient import NotebookClient

    _run("-m", "pip", "uninstall", "--yes", "--quiet", *ADDED, cwd=colab)
    before = _versions(colab)
    assert all(before[name] is None for name in ADDED), before
    assert before["ipywidgets"].startswith("7.7."), before

    sections = _first_sections(chapter)
    cells = [setup_cell.cell_text(), *sections, CHECK_CELL]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    setup_source = notebook.cells[0].source
    client = NotebookClient(
        notebook, kernel_name="colab-sim", resources={"metadata": {"path": str(colab)}},
        timeout_func=lambda cell: SETUP_TIMEOUT_S if cell.source == setup_source
        else CELL_TIMEOUT_S)
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError on the first cell that fails
    seconds = time.perf_counter() - start

    after = _versions(colab)
    assert {k: after[k] for k in KEPT} == {k: before[k] for k in KEPT}, (before, after)
    assert after["torch-geometric"] and after["rdkit"] and after["graphcourse"], after

    setup = _stdout(notebook.cells[0])
    assert "installed torch_geometric, rdkit, graphcourse" in setup, setup
    assert "GPU runtime: " in setup and "device " in setup, setup

    check = notebook.cells[-1]
    seen = json.loads(next(line for line in _stdout(check).splitlines()
                           if line.startswith("{")))
    assert Path(seen["prefix"]).resolve() == Path(sys.prefix).resolve(), seen
    assert "site-packages" in seen["graphcourse"], seen  # the installed copy, not the clone
    assert seen["ipywidgets"].startswith("7.7.") and seen["ipywidgets"] == before["ipywidgets"]
    assert seen["numpy"] == before["numpy"], seen
    assert seen["torch"] == before["torch"], seen
    assert any(WIDGET_VIEW in o.get("data", {}) for o in check.outputs), check.outputs
    assert _drawn(notebook), "the explorer drew no figure"

    print(f"\n{chapter}: setup cell {_seconds(notebook.cells[0]):.0f} s, {len(sections)} cells "
          f"after it, {seconds:.0f} s in all; "
          f"{setup.splitlines()[0]}; torch {after['torch']}, numpy {after['numpy']}, "
          f"ipywidgets {after['ipywidgets']} kept; torch-geometric {after['torch-geometric']}")
