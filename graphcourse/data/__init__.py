"""Datasets of the course, offline by default, one module per kind of data.

- ``graphs``: single graphs for node classification: Zachary's karate club (shipped inside
  PyG), a k-nearest-neighbour graph over scikit-learn's 8x8 digits with a Planetoid-style split
  (``split_per_class``), and the pixel grid of an image as a graph.
- ``citations``: Planetoid Cora / CiteSeer / PubMed through PyG's ``Planetoid``, from a local
  folder or cache; with no files and no network it says which files to put where.
- ``synthetic``: CSL (circular skip links) generated as benchmarking-gnns has it, or read from
  the official files; pairs of graphs that 1-WL cannot tell apart.
- ``molecules``: SMILES as PyG ``Data``, the penalized-logP target recomputed with RDKit, the
  NCI molecules that ship with RDKit, and PyG's ZINC from local files.
- ``images``: flat images for the autoencoders: scikit-learn's 8x8 digits (offline) and MNIST
  from its raw IDX files when they are on disk.
- ``toy``: a ring of 2-D Gaussians and two unpaired digit domains for the GANs (08), and
  MNIST and SVHN as 32x32 domains in [-1, 1] for the full profile.
- ``svhn``: SVHN's 32x32 colour digits from the official ``.mat`` files, when they are on disk
  (08, full profile).
- ``sbm``: CLUSTER and PATTERN, stochastic-block-model node classification generated as
  Benchmarking-GNNs has it.
- ``dialogue``: Persona-Chat / ConvAI2 dialogues in ParlAI's text format (read, stream,
  write, list a folder's files) and the next-utterance ranking examples built from them (09).
- ``persona_gen``: offline persona dialogues generated in that format (original and revised
  personas), and a folder of them laid out as ParlAI lays out Persona-Chat.
"""

from .citations import PLANETOID_NAMES, PLANETOID_RAW, data_root, planetoid, planetoid_files
from .dialogue import (
    PERSONA_VARIANTS,
    Dialogue,
    DialogueFormatError,
    RankingExample,
    Turn,
    iter_dialogues,
    persona_chat_files,
    ranking_examples,
    read_dialogues,
    write_dialogues,
)
from .graphs import digits_graph, grid_graph, karate_club, split_per_class
from .images import DigitImages, digits, mnist, mnist_folder
from .molecules import (
    ATOM_TYPES,
    BOND_TYPES,
    molecules,
    nci_smiles,
    penalized_logp,
    penalized_logp_terms,
    smiles_to_data,
    zinc,
)
from .persona_gen import generate_dialogues, persona_dialogues, write_persona_folder
from .sbm import (
    CLUSTER_CLASSES,
    CLUSTER_FEATURES,
    PATTERN_CLASSES,
    PATTERN_FEATURES,
    cluster,
    pattern,
)
from .svhn import SVHN_FILES, SVHNImages, svhn, svhn_folder
from .synthetic import CSL_NODES, CSL_SKIPS, csl, csl_graph, csl_splits, wl_pairs
from .toy import (
    DOMAIN_KINDS,
    DigitDomains,
    digit_domains,
    domain_transform,
    gaussian_mixture_2d,
    image_domain,
    missing_domain_files,
    mnist_svhn_domains,
    mode_centres,
)

__all__ = [
    "PLANETOID_NAMES", "PLANETOID_RAW", "data_root", "planetoid", "planetoid_files",
    "digits_graph", "grid_graph", "karate_club", "split_per_class",
    "ATOM_TYPES", "BOND_TYPES", "molecules", "nci_smiles", "penalized_logp",
    "penalized_logp_terms", "smiles_to_data", "zinc",
    "CSL_NODES", "CSL_SKIPS", "csl", "csl_graph", "csl_splits", "wl_pairs",
    "CLUSTER_CLASSES", "CLUSTER_FEATURES", "PATTERN_CLASSES", "PATTERN_FEATURES", "cluster",
    "pattern", "DigitImages", "digits", "mnist", "mnist_folder",
    "DOMAIN_KINDS", "DigitDomains", "digit_domains", "domain_transform", "gaussian_mixture_2d",
    "image_domain", "missing_domain_files", "mnist_svhn_domains", "mode_centres",
    "SVHN_FILES", "SVHNImages", "svhn", "svhn_folder",
    "PERSONA_VARIANTS", "Dialogue", "DialogueFormatError", "RankingExample", "Turn",
    "iter_dialogues", "persona_chat_files", "ranking_examples", "read_dialogues",
    "write_dialogues", "generate_dialogues", "persona_dialogues", "write_persona_folder",
]
