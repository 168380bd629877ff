"""The setup cell of every chapter, kept once: here.

Usage:  python tools/setup_cell.py                 print the cell
        python tools/setup_cell.py --check [NB ...]  exit 1 if a notebook's setup cell differs
        python tools/setup_cell.py --write [NB ...]  set the setup cell of each notebook

The notebooks are every ``solutions/NN-name/NN-name.ipynb`` unless others are named. The setup
cell is a notebook's first code cell. ``--write`` replaces only that cell's source: its id,
tags, outputs and every other cell stay as they are (run ``make chapters`` afterwards to carry
the change into the student notebooks). The repository address and the PyTorch Geometric
and RDKit requirements are filled in from ``pyproject.toml``, where they are kept.

What the cell does on Colab (``google.colab`` imported): it installs only what is missing,
PyTorch Geometric, RDKit (molecules, chapter 05) and then this package with ``--no-deps``, so
that Colab's own torch, numpy and ipywidgets are left as they are; it prints what it installed
and whether a GPU runtime is active. ``GRAPHCOURSE_REPO`` replaces the address pip installs the
package from (the simulated Colab run of ``make test-colab`` points it at a copy of the local
clone). Everywhere: threads, seed, device and versions through ``train.setup()``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from string import Template

import tomllib

from release import REPO, chapter_ids

TEMPLATE = Template('''\
# Setup: on Colab, install what is missing; then threads, seed, device and versions.
import importlib.util, os, subprocess, sys
REPO_URL = "$repo_url"  # = pyproject [project.urls]
if "google.colab" in sys.modules:  # Colab's own torch, numpy and ipywidgets stay as they are
    course = os.environ.get("GRAPHCOURSE_REPO", f"git+{REPO_URL}")
    wanted = {"torch_geometric": ["$pyg_requirement"], "rdkit": ["$rdkit_requirement"],
              "graphcourse": ["--no-deps", course]}  # --no-deps: upgrades nothing installed
    missing = [module for module in wanted if importlib.util.find_spec(module) is None]
    for module in missing:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *wanted[module]], check=True)
    importlib.invalidate_caches()
    print(f"installed {', '.join(missing)}" if missing else "nothing to install")
    import torch
    print("GPU runtime:", "yes" if torch.cuda.is_available() else
          "no (to use one: Runtime > Change runtime type > T4 GPU, then run all cells again)")
from graphcourse import train
device = train.setup()''')


def project(root: Path = REPO) -> dict:
    """The ``[project]`` table of ``root/pyproject.toml``."""
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirement(name: str, root: Path = REPO) -> str:
    """The requirement string for ``name`` among the package's dependencies, e.g.
    ``'torch-geometric>=2.6,<2.9'``."""
    for spec in project(root)["dependencies"]:
        if re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0].lower() == name.lower():
            return spec.replace(" ", "")
    raise KeyError(f"name: {name!r} is not a dependency in {root / 'pyproject.toml'}")


def cell_text(root: Path = REPO) -> str:
    """The setup cell's source, with the repository address and PyG requirement filled in."""
    return TEMPLATE.substitute(repo_url=project(root)["urls"]["Repository"],
                               pyg_requirement=requirement("torch-geometric", root),
                               rdkit_requirement=requirement("rdkit", root))


def notebooks(root: Path = REPO) -> list[Path]:
    """Every solution notebook, ``solutions/NN-name/NN-name.ipynb``."""
    return [root / "solutions" / chapter / f"{chapter}.ipynb" for chapter in chapter_ids(root)]


def _source(cell: dict) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def setup_cell(notebook: dict, path: Path | str = "notebook") -> dict:
    """The setup cell of a notebook (its first code cell); ValueError if there is none."""
    cell = next((c for c in notebook["cells"] if c["cell_type"] == "code"), None)
    if cell is None or not _source(cell).startswith("# Setup"):
        raise ValueError(f"{path}: expected the first code cell to be the setup cell "
                         f"(starting with '# Setup'), see CONTRIBUTING.md")
    return cell


def differs(path: Path, text: str) -> bool:
    """Whether the setup cell of the notebook at ``path`` differs from ``text``."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return _source(setup_cell(notebook, path)) != text


def write(path: Path, text: str) -> bool:
    """Set the setup cell's source of the notebook at ``path`` to ``text``; True if it changed.

    Only that cell's source changes; the file keeps Jupyter's layout (one-space indent)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cell = setup_cell(notebook, path)
    if _source(cell) == text:
        return False
    cell["source"] = text.splitlines(keepends=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true",
                        help="exit 1 if a notebook's setup cell differs from the template")
    action.add_argument("--write", action="store_true",
                        help="set every notebook's setup cell to the template")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks (default: every solution notebook)")
    args = parser.parse_args(argv)
    text = cell_text()
    if not (args.check or args.write):
        print(text)
        return 0
    status = 0
    for path in args.notebooks or notebooks():
        try:
            if args.write:
                print(f"{path}: {'written' if write(path, text) else 'unchanged'}")
            elif differs(path, text):
                print(f"{path}: setup cell differs from tools/setup_cell.py "
                      f"(python tools/setup_cell.py --write)")
                status = 1
        except ValueError as error:
            print(error, file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
