"""Synthetic sequence tasks for the Transformer chapter: reverse, sort or copy digit strings.

Tokens: ``PAD = 0``, ``BOS = 1``, ``EOS = 2`` and the digits 0-9 as ids 3-12
(``VOCAB_SIZE = 13``), shared by source and target. A source is a digit string (padded with
PAD when lengths vary); its target is ``BOS, f(digits), EOS`` (then PAD), where f reverses,
sorts or copies. For teacher forcing the decoder reads ``target[:, :-1]`` and is trained to
predict ``target[:, 1:]``.

Reversing needs to know where each digit stands; sorting only needs which digits occur; that
difference is the point of the no-positional-encoding experiment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from ._validate import (
    _as_int,
    check_bool,
    check_choice,
    check_instance,
    check_positive_int,
    check_tensor,
)
from .devices import model_device, to_device

PAD, BOS, EOS = 0, 1, 2
DIGIT_OFFSET = 3
VOCAB_SIZE = 13
TASKS = ("reverse", "sort", "copy")
_SYMBOLS = {PAD: "_", BOS: "<s>", EOS: "</s>"}


def _ints(values: Sequence[int] | Tensor, name: str, low: int, high: int,
          what: str) -> list[int]:
    """``values`` (a sequence of ints, or a 1-D integer tensor) as ints in [low, high]; a float
    or a string among them is a ``TypeError`` (never truncated), an int out of range a
    ``ValueError`` naming it and the range."""
    if isinstance(values, Tensor):
        values = check_tensor(values, name, ndim=1, floating=False).tolist()
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{name}: expected a sequence of {what}, got {type(values).__name__}")
    out = []
    for value in values:
        value = _as_int(value, name, f"{what} (ints)")
        if not low <= value <= high:
            raise ValueError(f"{name}: {value} is not one of the {what}: expected ints in "
                             f"[{low}, {high}]")
        out.append(value)
    return out


def apply_task(task: str, digits: Sequence[int]) -> list[int]:
    """The answer for ``digits`` (ints 0-9): reversed, sorted ascending, or copied."""
    check_choice(task, "task", TASKS)
    digits = _ints(digits, "digits", 0, 9, "digits 0-9")
    if task == "reverse":
        return digits[::-1]
    if task == "sort":
        return sorted(digits)
    return digits


def encode(digits: Sequence[int] | str) -> list[int]:
    """Digits (ints 0-9 or a string such as ``'3141'``) -> token ids (no BOS/EOS)."""
    if isinstance(digits, str):
        text = digits.replace(" ", "").replace(",", "")
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"digits: expected a string of digits 0-9, got {digits!r}")
        digits = [int(ch) for ch in text]
    return [d + DIGIT_OFFSET for d in _ints(digits, "digits", 0, 9, "digits 0-9")]


def decode(tokens: Sequence[int] | Tensor, strip: bool = True) -> str:
    """Token ids -> text: digits as ``0-9``; with ``strip``, stop at EOS and drop BOS/PAD,
    otherwise show them as ``<s>``, ``</s>`` and ``_``. Tokens are ints in
    [0, VOCAB_SIZE): a float token is a ``TypeError``, one outside the vocabulary a
    ``ValueError``."""
    tokens = _ints(tokens, "tokens", 0, VOCAB_SIZE - 1, "token ids")
    strip = check_bool(strip, "strip")
    pieces = []
    for token in tokens:
        if strip and token == EOS:
            break
        if token >= DIGIT_OFFSET:
            pieces.append(str(token - DIGIT_OFFSET))
        elif not strip:
            pieces.append(_SYMBOLS[token])
    return ("" if strip else " ").join(pieces)


def token_labels(tokens: Sequence[int] | Tensor) -> list[str]:
    """One short label per token (ints in [0, VOCAB_SIZE)), for heatmap axes: digits,
    ``<s>``, ``</s>``, ``_``."""
    tokens = _ints(tokens, "tokens", 0, VOCAB_SIZE - 1, "token ids")
    return [str(t - DIGIT_OFFSET) if t >= DIGIT_OFFSET else _SYMBOLS[t] for t in tokens]


@dataclass
class SequenceTask:
    """A set of examples: ``src`` [N, L] digit tokens (PAD-padded) and ``tgt`` [N, L + 2]
    (BOS, answer, EOS, then PAD)."""

    task: str
    src: Tensor
    tgt: Tensor

    def __post_init__(self) -> None:
        check_choice(self.task, "task", TASKS)
        check_tensor(self.src, "src", ndim=2, floating=False)
        check_tensor(self.tgt, "tgt", ndim=2, floating=False)
        if self.tgt.shape != (self.src.size(0), self.src.size(1) + 2):
            raise ValueError(f"tgt: expected shape [{self.src.size(0)}, {self.src.size(1) + 2}] "
                             f"(BOS, answer, EOS per source row), got {list(self.tgt.shape)}")

    def __len__(self) -> int:
        return self.src.size(0)


def make_task(task: str = "reverse", num_examples: int = 1000, length: int = 8,
              min_length: int | None = None, seed: int = 0) -> SequenceTask:
    """Random digit strings and their answers, reproducible from ``seed``.

    Lengths are drawn uniformly from ``min_length..length`` (default: all exactly ``length``).
    ``num_examples``, ``length`` and ``min_length`` are ints >= 1, ``seed`` an int >= 0.
    """
    check_choice(task, "task", TASKS)
    num_examples = check_positive_int(num_examples, "num_examples")
    length = check_positive_int(length, "length")
    min_length = length if min_length is None else check_positive_int(min_length, "min_length")
    if min_length > length:
        raise ValueError(f"min_length: expected at most length = {length}, got {min_length}")
    seed = check_positive_int(seed, "seed", minimum=0)
    generator = torch.Generator().manual_seed(seed)
    digits = torch.randint(0, 10, (num_examples, length), generator=generator)  # [N, L]
    lengths = torch.randint(min_length, length + 1, (num_examples,), generator=generator)
    src = torch.full((num_examples, length), PAD, dtype=torch.long)
    tgt = torch.full((num_examples, length + 2), PAD, dtype=torch.long)
    for i in range(num_examples):
        n = int(lengths[i])
        row = digits[i, :n].tolist()
        src[i, :n] = torch.tensor(encode(row))
        tgt[i, : n + 2] = torch.tensor([BOS, *encode(apply_task(task, row)), EOS])
    return SequenceTask(task, src, tgt)


def batches(data: SequenceTask, batch_size: int = 64, shuffle: bool = True,
            seed: int = 0) -> Callable[[], Iterator[tuple[Tensor, Tensor]]]:
    """A callable for :func:`graphcourse.train.fit`: each call yields ``(src, tgt)`` batches,
    reshuffled every epoch (reproducibly, from ``seed``) when ``shuffle``."""
    check_instance(data, "data", SequenceTask, "a SequenceTask (from make_task)")
    batch_size = check_positive_int(batch_size, "batch_size")
    shuffle = check_bool(shuffle, "shuffle")
    generator = torch.Generator().manual_seed(check_positive_int(seed, "seed", minimum=0))

    def epoch() -> Iterator[tuple[Tensor, Tensor]]:
        count = len(data)
        order = torch.randperm(count, generator=generator) if shuffle else torch.arange(count)
        for start in range(0, count, batch_size):
            index = order[start:start + batch_size]
            yield data.src[index], data.tgt[index]

    return epoch


def greedy_accuracy(model, data: SequenceTask, batch_size: int = 256) -> dict[str, float]:
    """Decode ``data.src`` greedily with ``model.greedy_decode`` and compare with ``data.tgt``.

    Returns ``token`` accuracy (over the target's non-PAD tokens after BOS, EOS included;
    a missing token counts as wrong) and ``sequence`` accuracy (every token right), as plain
    Python floats. Each batch goes to the model's device (``model_device``: where its first
    parameter lives, so a model that trains on a GPU is evaluated there, as
    :func:`graphcourse.train.fit` expects of an ``evaluate`` callback); the decoded tokens
    come back to the CPU to be counted. ``model`` is anything with a
    ``greedy_decode(src, max_len)`` method returning token ids [b, <= max_len].
    """
    if not callable(getattr(model, "greedy_decode", None)):
        raise TypeError(f"model: expected a model with a greedy_decode(src, max_len) method "
                        f"such as graphcourse.nn.Seq2SeqTransformer, got {type(model).__name__}")
    check_instance(data, "data", SequenceTask, "a SequenceTask (from make_task)")
    if len(data) == 0:
        raise ValueError("data: expected at least one example, got an empty SequenceTask")
    batch_size = check_positive_int(batch_size, "batch_size")
    device = model_device(model) if isinstance(model, torch.nn.Module) else torch.device("cpu")
    right = total = exact = 0
    for start in range(0, len(data), batch_size):
        src = to_device(data.src[start:start + batch_size], device)
        want = data.tgt[start:start + batch_size, 1:]  # [b, L + 1], on the CPU
        got = model.greedy_decode(src, max_len=data.tgt.size(1))
        check_tensor(got, "model.greedy_decode(...)", ndim=2, floating=False)
        if got.size(0) != src.size(0):
            raise ValueError(f"model.greedy_decode(...): expected {src.size(0)} rows (one per "
                             f"source), got {got.size(0)}")
        got = got[:, 1:].cpu()  # [b, <= L + 1]
        if got.size(1) < want.size(1):  # pad early stops
            got = torch.cat([got, got.new_full((got.size(0), want.size(1) - got.size(1)), PAD)], 1)
        got = got[:, : want.size(1)]
        keep = want != PAD
        hits = (got == want) & keep
        right += int(hits.sum())
        total += int(keep.sum())
        exact += int((hits | ~keep).all(dim=1).sum())
    return {"token": float(right / max(total, 1)), "sequence": float(exact / len(data))}
