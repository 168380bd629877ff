"""Molecules as graphs: SMILES to PyG ``Data``, the penalized-logP target, NCI molecules that
ship with RDKit (offline), and PyG's ZINC from local files (chapter 05)."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import torch
from torch_geometric.data import Data

from .._validate import check_bool, check_choice, check_positive_int, optional_int
from .citations import data_root

ATOM_TYPES = ("C", "N", "O", "F", "P", "S", "Cl", "Br", "I", "other")  # x = index here
BOND_TYPES = {"SINGLE": 1, "DOUBLE": 2, "TRIPLE": 3}  # edge_attr (0 = no bond, as in ZINC)
ZINC_RAW = ("train.pickle", "val.pickle", "test.pickle", "train.index", "val.index",
            "test.index")


def _rdkit() -> Any:
    try:
        from rdkit import Chem
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("molecules need RDKit: pip install rdkit") from None
    return Chem


def _parse(smiles: Any, name: str = "smiles") -> Any:
    """An RDKit ``Mol`` from a SMILES string (or a ``Mol``), with clear errors."""
    Chem = _rdkit()
    if isinstance(smiles, Chem.Mol):
        mol = smiles
    else:
        if not isinstance(smiles, str):
            raise TypeError(f"{name}: expected a SMILES string (or an RDKit Mol), got "
                            f"{type(smiles).__name__}")
        from rdkit import rdBase

        with rdBase.BlockLogs():
            mol = Chem.MolFromSmiles(smiles)
        if mol is None:
            raise ValueError(f"{name}: RDKit could not parse the SMILES {smiles!r}")
    if mol.GetNumAtoms() == 0:
        raise ValueError(f"{name}: expected a molecule with at least one atom, got an empty "
                         f"one ({smiles!r})")
    return mol


def smiles_to_data(smiles: str) -> Data:
    """A molecule as a graph: atoms are nodes, bonds are edges (both directions).

    Hydrogens are implicit (not nodes); aromatic rings are kekulized, so bonds are single,
    double or triple, as in the ZINC files. Returns a ``Data`` with ``x`` [N, 1] long (the
    atom's index in ``ATOM_TYPES``, ``"other"`` for rarer elements), ``edge_index`` [2, E],
    ``edge_attr`` [E] long (1 single, 2 double, 3 triple) and ``smiles``.
    """
    Chem = _rdkit()
    mol = Chem.Mol(_parse(smiles))
    Chem.Kekulize(mol, clearAromaticFlags=True)
    index = {symbol: i for i, symbol in enumerate(ATOM_TYPES)}
    x = torch.tensor([[index.get(atom.GetSymbol(), len(ATOM_TYPES) - 1)]
                      for atom in mol.GetAtoms()], dtype=torch.long)  # [N, 1]
    rows, kinds = [], []
    for bond in mol.GetBonds():
        i, j = bond.GetBeginAtomIdx(), bond.GetEndAtomIdx()
        kind = BOND_TYPES.get(str(bond.GetBondType()), 1)  # dative and others count as single
        rows += [(i, j), (j, i)]
        kinds += [kind, kind]
    edge_index = torch.tensor(rows, dtype=torch.long).reshape(-1, 2).t().contiguous()  # [2, E]
    text = smiles if isinstance(smiles, str) else Chem.MolToSmiles(mol)
    return Data(x=x, edge_index=edge_index, edge_attr=torch.tensor(kinds, dtype=torch.long),
                num_nodes=x.size(0), smiles=text)


@lru_cache(maxsize=1)
def _sascorer() -> Any:
    """RDKit's Contrib ``sascorer`` (Ertl & Schuffenhauer 2009), loaded from the wheel."""
    from rdkit.Chem import RDConfig

    path = Path(RDConfig.RDContribDir) / "SA_Score" / "sascorer.py"
    if not path.exists():  # pragma: no cover - depends on the RDKit build
        raise ImportError(f"RDKit's SA score is missing ({path}); install the PyPI wheel "
                          f"(pip install rdkit), which ships Contrib/SA_Score")
    spec = importlib.util.spec_from_file_location("graphcourse_sascorer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def penalized_logp_terms(smiles: str) -> tuple[float, float, float]:
    """``(logP, SA, cycle)``, the three terms of :func:`penalized_logp`.

    logP is Crippen's octanol-water partition coefficient (``Descriptors.MolLogP``); SA the
    synthetic-accessibility score, 1 (easy) to 10 (hard), of RDKit's Contrib ``sascorer``;
    cycle = max(0, length of the largest ring in a cycle basis - 6), as the JT-VAE-lineage
    scripts compute it (networkx ``cycle_basis`` of the molecular graph).
    """
    import networkx as nx
    from rdkit.Chem import Descriptors

    mol = _parse(smiles)
    logp = float(Descriptors.MolLogP(mol))
    sa = float(_sascorer().calculateScore(mol))
    graph = nx.Graph([(b.GetBeginAtomIdx(), b.GetEndAtomIdx()) for b in mol.GetBonds()])
    largest = max((len(cycle) for cycle in nx.cycle_basis(graph)), default=0)
    return logp, sa, float(max(0, largest - 6))


def penalized_logp(smiles: str) -> float:
    """Penalized logP ("constrained solubility"), the ZINC regression target, recomputed.

    ``y = logP - SA - cycle`` (see :func:`penalized_logp_terms`). This approximates the stored
    ZINC targets only: those were precomputed by the dataset's authors, the scripts that made
    them often z-normalise each term over the training set, and RDKit versions differ slightly.
    ``smiles`` is a SMILES string (or an RDKit ``Mol``).
    """
    logp, sa, cycle = penalized_logp_terms(smiles)
    return logp - sa - cycle


def nci_smiles() -> list[str]:
    """The 5,000 NCI SMILES that ship with RDKit (``rdkit/Data/NCI/first_5K.smi``), in order."""
    from rdkit import RDConfig

    path = Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"
    return [line.split()[0] for line in path.read_text().splitlines() if line.strip()]


def molecules(count: int | None = None, min_atoms: int = 9, max_atoms: int = 37) -> list[Data]:
    """Molecules from RDKit's NCI sample as graphs with a penalized-logP target, offline.

    Keeps, in file order, the SMILES that parse, hold one fragment (no ``.``) and have
    ``min_atoms`` to ``max_atoms`` heavy atoms (9-37 like the ZINC subset; about 4,300 of the
    5,000 qualify), and returns the first ``count`` of them (all with ``None``). Each ``Data``
    is :func:`smiles_to_data`'s with ``y`` [1] = :func:`penalized_logp`, an approximation of
    the stored ZINC targets computed with RDKit (about 2 s per 1,000 molecules).
    """
    count = None if count is None else check_positive_int(count, "count")
    min_atoms = check_positive_int(min_atoms, "min_atoms")
    max_atoms = check_positive_int(max_atoms, "max_atoms")
    if min_atoms > max_atoms:
        raise ValueError(f"max_atoms: expected >= min_atoms={min_atoms}, got {max_atoms}")
    Chem = _rdkit()
    from rdkit import rdBase

    kept = []  # (smiles, mol) that qualify, found before the slower targets are computed
    with rdBase.BlockLogs():
        for smiles in nci_smiles():
            if count is not None and len(kept) == count:
                break
            mol = Chem.MolFromSmiles(smiles) if "." not in smiles else None
            if mol is not None and min_atoms <= mol.GetNumAtoms() <= max_atoms:
                kept.append((smiles, mol))
    if count is not None and len(kept) < count:
        raise ValueError(f"count: only {len(kept)} NCI molecules have {min_atoms}-{max_atoms} "
                         f"atoms, fewer than count={count}")
    graphs = []
    for smiles, mol in kept:
        graph = smiles_to_data(smiles)
        graph.y = torch.tensor([penalized_logp(mol)], dtype=torch.float)
        graphs.append(graph)
    return graphs


def zinc(root: str | os.PathLike | None = None, split: str = "train", subset: bool = True,
         count: int | None = None) -> list[Data]:
    """PyG's ZINC (the 12k subset by default) from local files, with the interface of
    :func:`molecules`: ``x`` [N, 1] long (28 atom types), ``edge_attr`` [E] long (bond types
    1-3), ``y`` [1] the stored penalized logP.

    Reads ``root/raw/{train,val,test}.pickle`` and ``{train,val,test}.index`` (root from
    :func:`~graphcourse.data.data_root`) through ``torch_geometric.datasets.ZINC``; never
    downloads: missing files give a ``FileNotFoundError`` naming them. ``count`` keeps the
    first graphs of the split.
    """
    split = check_choice(split, "split", ("train", "val", "test"))
    subset = check_bool(subset, "subset")
    count = optional_int(count, "count")
    if count is not None and count < 1:
        raise ValueError(f"count: expected an int >= 1 or None, got {count}")
    base = data_root(root)
    missing = [name for name in ZINC_RAW if not (base / "raw" / name).exists()]
    if missing:
        raise FileNotFoundError(
            f"ZINC: {', '.join(missing)} not found in {base / 'raw'}. Put the benchmarking-gnns "
            f"molecules files there (PyG's ZINC layout), or use molecules() for the offline set.")
    from torch_geometric.datasets import ZINC

    dataset = ZINC(str(base), subset=subset, split=split)
    graphs = [dataset[i] for i in range(len(dataset) if count is None else
                                        min(count, len(dataset)))]
    for graph in graphs:
        graph.y = graph.y.reshape(1)
    return graphs
