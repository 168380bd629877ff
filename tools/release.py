"""Release the student notebooks: chapters/NN-name/ from solutions/NN-name/ with nbgrader.

Usage:  python tools/release.py [--root DIR]     (what `make chapters` runs)

Runs ``nbgrader generate_assignment NN-name --force --no-db`` for every chapter folder in
``solutions/`` under the course root (this repository by default), with the committed
``nbgrader_config.py``: solutions and hidden tests are removed, outputs cleared, and test cells
locked with checksums. tests/notebooks/test_release.py regenerates into a temporary copy and
fails if ``chapters/`` differs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def chapter_ids(root: Path = REPO) -> list[str]:
    """Chapter folders in solutions/ that hold a notebook of the same name."""
    return sorted(p.name for p in (root / "solutions").iterdir()
                  if p.is_dir() and (p / f"{p.name}.ipynb").exists())


def release(root: Path = REPO, chapters: list[str] | None = None) -> None:
    """Generate ``root/chapters/<id>/`` for each chapter id (all by default)."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    for chapter in chapters or chapter_ids(root):
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", chapter,
                        "--force", "--no-db", "--log-level=WARN"],
                       cwd=root, env=env, check=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO, help="course root (default: repo)")
    release(parser.parse_args().root)
