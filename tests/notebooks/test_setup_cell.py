"""The setup cell is kept once, in tools/setup_cell.py: every solution notebook holds it as is."""

import json
import sys

import pytest
import setup_cell
import tomllib

from release import REPO, chapter_ids

CHAPTERS = chapter_ids()
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_setup_cell_is_the_template(chapter):
    cells = _cells(REPO / "solutions" / chapter / f"{chapter}.ipynb")
    setup = next(c for c in cells if c["cell_type"] == "code")
    assert _source(setup) == setup_cell.cell_text(), \
        "the setup cell differs from tools/setup_cell.py: run `python tools/setup_cell.py --write`"


def test_template_fills_in_pyproject_and_keeps_the_skeleton():
    text = setup_cell.cell_text()
    assert f'REPO_URL = "{PROJECT["urls"]["Repository"]}"  # = pyproject [project.urls]' in text
    pyg = next(d for d in PROJECT["dependencies"] if d.startswith("torch-geometric"))
    assert f'"{pyg.replace(" ", "")}"' in text
    assert text.startswith("# Setup") and text.endswith("\ndevice = train.setup()")
    assert '"--no-deps"' in text and 'os.environ.get("GRAPHCOURSE_REPO"' in text
    assert "$" not in text
    assert all(len(line) <= 100 for line in text.splitlines())
    compile(text, "setup cell", "exec")


def test_template_off_colab_only_calls_setup(monkeypatch):
    """Off Colab the cell installs nothing: it imports the package and calls train.setup()."""
    calls = []
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr("subprocess.run", lambda *a, **k: calls.append(a))
    monkeypatch.setattr("graphcourse.train.setup", lambda: "the device")
    namespace = {}
    exec(setup_cell.cell_text(), namespace)
    assert namespace["device"] == "the device" and calls == []


def test_write_and_check_on_a_copy(tmp_path, capsys):
    source = REPO / "solutions" / CHAPTERS[0] / f"{CHAPTERS[0]}.ipynb"
    notebook = json.loads(source.read_text(encoding="utf-8"))
    index = next(i for i, c in enumerate(notebook["cells"]) if c["cell_type"] == "code")
    notebook["cells"][index]["source"] = ["# Setup: an older version\n", "device = None"]
    copy = tmp_path / source.name
    copy.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    before = _cells(copy)

    assert setup_cell.main(["--check", str(copy)]) == 1
    assert setup_cell.main(["--write", str(copy)]) == 0
    after = _cells(copy)
    assert _source(after[index]) == setup_cell.cell_text()
    assert after[index]["source"][-1] == "device = train.setup()"  # Jupyter's list of lines
    assert {k: v for k, v in after[index].items() if k != "source"} == \
        {k: v for k, v in before[index].items() if k != "source"}  # id, tags, outputs kept
    assert after[:index] + after[index + 1:] == before[:index] + before[index + 1:]
    assert setup_cell.main(["--check", str(copy)]) == 0
    written = copy.read_bytes()
    assert setup_cell.main(["--write", str(copy)]) == 0 and copy.read_bytes() == written
    assert "unchanged" in capsys.readouterr().out


def test_write_refuses_a_notebook_without_a_setup_cell(tmp_path):
    path = tmp_path / "bare.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                           "execution_count": None, "source": "x = 1"}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    text = path.read_text()
    assert setup_cell.main(["--write", str(path)]) == 1
    assert path.read_text() == text
