"""The chapter 09 rankers on a folder of Persona-Chat / ConvAI2 files, from the command line.

    python -m graphcourse.persona --data DIR [--models ir kv_profile_memory]
        [--variants self_original] [--epochs 5] [--max-train N] [--dim 64] [--seed 0]
        [--device cpu] [--quiet]

``DIR`` is laid out as ParlAI lays out Persona-Chat (``{train,valid,test}_{variant}.txt``,
:func:`graphcourse.data.dialogue.persona_chat_files`). For every variant with a train file,
each model (the tf-idf IR baseline, Starspace, the profile memory network, the key-value
profile memory network; Zhang et al., ACL 2018) is trained on it and evaluated on the
variant's valid and test files (those present): hits@1 and hits@5 of the gold among each
turn's candidates (20 in the real files). One JSON line per model, variant and split goes to
stdout as soon as it is known::

    {"model": "kv_profile_memory", "variant": "self_original", "split": "valid",
     "hits@1": 0.51, "hits@5": 0.83, "examples": 7801, "seconds": 41.2, ...}

(``seconds``: training plus this split's evaluation); progress bars go to stderr (none with
``--quiet``). Memory stays bounded on the full ConvAI2 files (about 130k training examples):
the training file is streamed without its candidates, and the evaluation files are streamed
and scored in chunks. A missing folder, a folder without those files or a malformed line
ends the run with a one-line message on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import torch

from . import devices, train
from .data.dialogue import (
    PERSONA_VARIANTS,
    DialogueFormatError,
    RankingExample,
    iter_dialogues,
    persona_chat_files,
    ranking_examples,
)
from .nn import ir, memnet, memnet_training, text

MODELS = ("ir", "starspace", "profile_memory", "kv_profile_memory")
EVAL_SPLITS = ("valid", "test")
KS = (1, 5)
CHUNK = 4096  # evaluation examples scored at a time


def _stream_examples(path: Path, *, candidates: bool,
                    limit: int | None = None) -> Iterator[RankingExample]:
    """The ranking examples of a ParlAI file, one dialogue at a time, numbered by dialogue
    (``example.dialogue``) across the whole file; at most ``limit`` of them."""
    produced = 0
    for d, dialogue in enumerate(iter_dialogues(path, candidates=candidates)):
        for example in ranking_examples([dialogue]):
            if limit is not None and produced >= limit:
                return
            yield dataclasses.replace(example, dialogue=d)
            produced += 1


def _build_model(name: str, vocab: text.Vocabulary, args: argparse.Namespace) -> Any:
    """A fresh ranker ``name`` (one of :data:`MODELS`), weights drawn from ``args.seed``."""
    if name == "ir":
        return ir.TfidfRanker(use_persona=True, history=0)
    train.set_seed(args.seed)
    if name == "starspace":
        return memnet.StarspaceRanker(len(vocab), args.dim, use_persona=True)
    if name == "profile_memory":
        return memnet.ProfileMemoryRanker(len(vocab), args.dim)
    return memnet.KVProfileMemoryRanker(len(vocab), args.dim, memory_size=args.memory_size)


def _fit_model(model: Any, examples: list[RankingExample], vocab: text.Vocabulary,
              args: argparse.Namespace, desc: str) -> Any:
    """Fit the IR baseline, or train a neural ranker with the margin ranking loss."""
    if isinstance(model, ir.TfidfRanker):
        return model.fit(examples)
    memnet_training.train_ranker(model, examples, vocab, epochs=args.epochs, lr=args.lr,
                                 batch_size=args.batch_size, seed=args.seed,
                                 device=args.device, progress=not args.quiet, desc=desc)
    return model.to(args.device)


def _score_chunk(model: Any, chunk: list[RankingExample], vocab: text.Vocabulary,
                 totals: dict[str, float]) -> None:
    """Add the hits of ``chunk`` to ``totals``, one group per number of candidates (a few
    ParlAI files have turns with fewer than 20)."""
    groups: dict[int, list[RankingExample]] = {}
    for example in chunk:
        groups.setdefault(len(example.candidates), []).append(example)
    for count, group in groups.items():
        ks = tuple(k for k in KS if k <= count)
        result = memnet_training.evaluate_ranker(model, group, vocab, ks=ks)
        for k in KS:  # with k >= count every gold is in the top k
            totals[f"hits@{k}"] += len(group) * result.get(f"hits@{k}", 1.0)
        totals["examples"] += len(group)


def _evaluate_file(model: Any, path: Path, vocab: text.Vocabulary) -> dict[str, float]:
    """hits@1, hits@5 and the number of examples of ``model`` on a file, streamed in chunks."""
    totals = dict.fromkeys([*(f"hits@{k}" for k in KS), "examples"], 0.0)
    stream = _stream_examples(path, candidates=True)
    while chunk := list(islice(stream, CHUNK)):
        _score_chunk(model, chunk, vocab, totals)
    count = int(totals["examples"])
    if count == 0:
        raise ValueError(f"{path}: holds no turn to evaluate")
    return {**{f"hits@{k}": totals[f"hits@{k}"] / count for k in KS}, "examples": count}


def _run(args: argparse.Namespace, out: Any = sys.stdout) -> list[dict[str, Any]]:
    """Train and evaluate every requested model on every requested variant of ``args.data``;
    write each JSON line to ``out`` as it is known and return the records."""
    files = persona_chat_files(args.data)
    variants = [v for v in args.variants if ("train", v) in files]
    if not variants:
        present = sorted(path.name for path in files.values())
        raise FileNotFoundError(f"--data: no train file for the variants "
                                f"{', '.join(args.variants)} in {args.data} (present: "
                                f"{', '.join(present)})")
    from tqdm.auto import tqdm

    records = []
    jobs = tqdm(total=len(variants) * len(args.models), desc="models", unit="model",
                file=sys.stderr, disable=args.quiet)
    for variant in variants:
        examples = list(_stream_examples(files[("train", variant)], candidates=False,
                                        limit=args.max_train))
        if len(examples) < 2:
            raise ValueError(f"{files[('train', variant)]}: expected at least 2 training "
                             f"turns, found {len(examples)}")
        vocab = memnet.example_vocabulary(examples)
        for name in args.models:
            jobs.set_postfix_str(f"{name} on {variant}")
            start = time.perf_counter()
            model = _fit_model(_build_model(name, vocab, args), examples, vocab, args,
                              desc=f"{name} {variant}")
            trained = time.perf_counter() - start
            for split in EVAL_SPLITS:
                if (split, variant) not in files:
                    continue
                begin = time.perf_counter()
                result = _evaluate_file(model, files[(split, variant)], vocab)
                record = {"model": name, "variant": variant, "split": split,
                          "hits@1": round(result["hits@1"], 4),
                          "hits@5": round(result["hits@5"], 4),
                          "examples": result["examples"],
                          "seconds": round(trained + time.perf_counter() - begin, 2),
                          "train_examples": len(examples),
                          "train_seconds": round(trained, 2)}
                records.append(record)
                print(json.dumps(record), file=out, flush=True)
            jobs.update(1)
    jobs.close()
    return records


def _number(convert: Callable[[str], Any], accept: Callable[[Any], bool],
            expected: str) -> Callable[[str], Any]:
    """An argparse ``type``: ``convert`` the text, keep it if ``accept``, else say what was
    expected (argparse prints it after the option's name)."""
    def parse(value: str) -> Any:
        try:
            number = convert(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {value!r}") from None
        if not accept(number):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {value!r}")
        return number
    return parse


_positive = _number(int, lambda n: n >= 1, "a positive integer")
_seed = _number(int, lambda n: n >= 0, "an integer >= 0")
_rate = _number(float, lambda n: 0 < n < float("inf"), "a positive number")


def _device(name: str | None) -> torch.device:
    """The device named by ``--device`` (one this machine has), or the best available."""
    try:
        return devices.get_device(name)
    except ValueError as error:
        raise ValueError(str(error).replace("prefer:", "--device:", 1)) from None


def _parser() -> argparse.ArgumentParser:
    """The command line's arguments."""
    make = argparse.ArgumentParser(
        prog="python -m graphcourse.persona",
        description="Train the chapter 09 rankers (IR, Starspace, profile memory, KV profile "
                    "memory) on each train file of a ParlAI Persona-Chat folder and print "
                    "hits@1/hits@5 on the matching valid and test files, one JSON line per "
                    "model, variant and split.")
    make.add_argument("--data", required=True, type=Path, metavar="DIR",
                      help="folder with {train,valid,test}_{variant}.txt (ParlAI's layout)")
    make.add_argument("--models", nargs="+", choices=MODELS, default=list(MODELS),
                      metavar="MODEL", help=f"models to run (default all: {' '.join(MODELS)})")
    make.add_argument("--variants", nargs="+", choices=PERSONA_VARIANTS,
                      default=list(PERSONA_VARIANTS), metavar="VARIANT",
                      help=f"variants to run, those with a train file (default all: "
                           f"{' '.join(PERSONA_VARIANTS)})")
    make.add_argument("--epochs", type=_positive, default=5, help="training epochs (5)")
    make.add_argument("--max-train", type=_positive, default=None, metavar="N",
                      help="use at most N training examples per file (default all)")
    make.add_argument("--dim", type=_positive, default=64, help="embedding size (64)")
    make.add_argument("--lr", type=_rate, default=0.02, help="Adam's learning rate (0.02)")
    make.add_argument("--batch-size", type=_positive, default=64, help="batch size (64)")
    make.add_argument("--memory-size", type=_positive, default=5,
                      help="key-value memories per query for kv_profile_memory (5)")
    make.add_argument("--seed", type=_seed, default=0, help="seed of weights and batches (0)")
    make.add_argument("--device", default=None,
                      help="cpu, cuda, cuda:1, mps (default: the best available)")
    make.add_argument("--quiet", action="store_true", help="no progress bars on stderr")
    return make


def main(argv: Sequence[str] | None = None, out: Any = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); JSON lines go to ``out``
    (default stdout). Returns the exit status: 0, or 2 after a one-line message on stderr."""
    if argv is not None and (isinstance(argv, (str, bytes)) or not isinstance(argv, Sequence)
                             or not all(isinstance(a, str) for a in argv)):
        raise TypeError(f"argv: expected a list of strings such as ['--data', 'DIR'], got "
                        f"{type(argv).__name__}"
                        + ("; split it: text.split()" if isinstance(argv, str) else ""))
    if out is not None and not callable(getattr(out, "write", None)):
        raise TypeError(f"out: expected a text stream with .write (such as io.StringIO()) or "
                        f"None, got {type(out).__name__}")
    make = _parser()
    args = make.parse_args(argv)  # exits with status 2 on bad options, as argparse does
    out = sys.stdout if out is None else out
    try:
        args.device = _device(args.device)
        train.configure_threads()
        torch.manual_seed(args.seed)
        _run(args, out)
    except (DialogueFormatError, FileNotFoundError, NotADirectoryError, PermissionError,
            ValueError, TypeError) as error:
        message = " ".join(str(error).split())
        print(f"{make.prog}: error: {message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
