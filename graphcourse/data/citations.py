"""Planetoid citation graphs (Cora, CiteSeer, PubMed) from a local folder, a cache or PyG."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from torch_geometric.data import Data

from .._validate import check_bool, check_path

PLANETOID_NAMES = {"cora": "Cora", "citeseer": "CiteSeer", "pubmed": "PubMed"}
PLANETOID_RAW = ("x", "tx", "allx", "y", "ty", "ally", "graph", "test.index")


def data_root(root: str | os.PathLike | None = None) -> Path:
    """Where datasets live: ``root``, else ``$GRAPHCOURSE_DATA``, else ``~/.cache/graphcourse``.

    ``root`` is a folder path (``str`` or ``pathlib.Path``) or ``None``.
    """
    if root is not None:
        return check_path(root, "root").expanduser()
    env = os.environ.get("GRAPHCOURSE_DATA")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "graphcourse"


def _planetoid_key(name: Any) -> str:
    choices = ", ".join(map(repr, PLANETOID_NAMES.values()))
    if not isinstance(name, str):
        raise TypeError(f"name: expected one of {choices}, got {type(name).__name__}")
    if name.lower() not in PLANETOID_NAMES:
        raise ValueError(f"name: expected one of {choices} (any case), got {name!r}")
    return name.lower()


def planetoid_files(name: str, root: str | os.PathLike | None = None) -> list[Path]:
    """The raw files ``Planetoid(root, name)`` reads: ``root/Name/raw/ind.name.*``.

    ``name`` is Cora, CiteSeer or PubMed (any case); ``root`` as in :func:`data_root`.
    """
    key = _planetoid_key(name)
    raw = data_root(root) / PLANETOID_NAMES[key] / "raw"
    return [raw / f"ind.{key}.{suffix}" for suffix in PLANETOID_RAW]


def planetoid(name: str = "Cora", root: str | os.PathLike | None = None,
              download: bool = True, normalize_features: bool = True) -> Data:
    """A Planetoid citation graph (Cora, CiteSeer, PubMed) with the public split.

    Reads ``root/Name/raw/ind.name.{x,tx,allx,y,ty,ally,graph,test.index}`` (root from
    :func:`data_root`). When files are missing it downloads them if ``download`` is true and
    the network answers; otherwise it raises ``FileNotFoundError`` naming the files and the
    folder to put them in. Features are row-normalised as in Kipf & Welling.
    """
    from torch_geometric.datasets import Planetoid
    from torch_geometric.transforms import NormalizeFeatures

    key = _planetoid_key(name)
    base = data_root(root)
    download = check_bool(download, "download")
    normalize_features = check_bool(normalize_features, "normalize_features")
    files = planetoid_files(key, base)
    missing = [path for path in files if not path.exists()]
    transform = NormalizeFeatures() if normalize_features else None
    if missing and not download:
        raise FileNotFoundError(_missing_message(key, files, missing, "download=False"))
    try:
        dataset = Planetoid(str(base), PLANETOID_NAMES[key], transform=transform)
    except OSError as error:  # URLError, socket errors and timeouts are all OSErrors
        if not missing:
            raise
        raise FileNotFoundError(
            _missing_message(key, files, missing, f"the download failed: {error}")) from None
    return dataset[0]


def _missing_message(key: str, files: list[Path], missing: list[Path], why: str) -> str:
    folder = files[0].parent
    names = ", ".join(path.name for path in missing)
    return (f"Planetoid {PLANETOID_NAMES[key]}: {len(missing)} raw file(s) missing ({why}).\n"
            f"Put these files from the Planetoid repository (kimiyoung/planetoid, data/):\n"
            f"    {names}\ninto the folder\n    {folder}\n"
            f"or pass root=... (or set GRAPHCOURSE_DATA) to a folder holding "
            f"{PLANETOID_NAMES[key]}/raw/.")
