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

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from ._validate import check_positive_int, check_tensor
from .train import model_device, to_device

PAD, BOS, EOS = 0, 1, 2
DIGIT_OFFSET = 3
VOCAB_SIZE = 13
TASKS = ("reverse", "sort", "copy")
_SYMBOLS = {PAD: "_", BOS: "<s>", EOS: "</s>"}


def apply_task(task: str, digits: Sequence[int]) -> list[int]:
    """The answer for ``digits`` (ints 0-9): reversed, sorted ascending, or copied."""
    if task not in TASKS:
        raise ValueError(f"task: expected one of {', '.join(TASKS)}, got {task!r}")
    digits = [int(d) for d in digits]
    if any(not 0 <= d <= 9 for d in digits):
        raise ValueError(f"digits: expected ints 0-9, got {digits}")
    if task == "reverse":
        return digits[::-1]
    if task == "sort":
        return sorted(digits)
    return digits


def encode(digits: Sequence[int] | str) -> list[int]:
    """Digits (ints 0-9 or a string such as ``'3141'``) -> token ids (no BOS/EOS)."""
    if isinstance(digits, str):
        text = digits.replace(" ", "").replace(",", "")
        if not text.isdigit():
            raise ValueError(f"digits: expected a string of digits 0-9, got {digits!r}")
        digits = [int(ch) for ch in text]
    out = []
    for d in digits:
        if isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 9:
            raise ValueError(f"digits: expected ints 0-9, got {d!r}")
        out.append(d + DIGIT_OFFSET)
    return out


def decode(tokens: Sequence[int] | Tensor, strip: bool = True) -> str:
    """Token ids -> text: digits as ``0-9``; with ``strip``, stop at EOS and drop BOS/PAD,
    otherwise show them as ``<s>``, ``</s>`` and ``_``."""
    if isinstance(tokens, Tensor):
        check_tensor(tokens, "tokens", ndim=1, floating=False)
        tokens = tokens.tolist()
    pieces = []
    for token in tokens:
        token = int(token)
        if strip and token == EOS:
            break
        if token >= DIGIT_OFFSET:
            pieces.append(str(token - DIGIT_OFFSET))
        elif not strip:
            pieces.append(_SYMBOLS.get(token, "?"))
    return ("" if strip else " ").join(pieces)


def token_labels(tokens: Sequence[int] | Tensor) -> list[str]:
    """One short label per token, for heatmap axes: digits, ``<s>``, ``</s>``, ``_``."""
    if isinstance(tokens, Tensor):
        tokens = tokens.tolist()
    return [str(t - DIGIT_OFFSET) if t >= DIGIT_OFFSET else _SYMBOLS.get(int(t), "?")
            for t in tokens]


@dataclass
class SequenceTask:
    """A set of examples: ``src`` [N, L] digit tokens (PAD-padded) and ``tgt`` [N, L + 2]
    (BOS, answer, EOS, then PAD)."""

    task: str
    src: Tensor
    tgt: Tensor

    def __len__(self) -> int:
        return self.src.size(0)


def make_task(task: str = "reverse", num_examples: int = 1000, length: int = 8,
              min_length: int | None = None, seed: int = 0) -> SequenceTask:
    """Random digit strings and their answers, reproducible from ``seed``.

    Lengths are drawn uniformly from ``min_length..length`` (default: all exactly ``length``).
    """
    if task not in TASKS:
        raise ValueError(f"task: expected one of {', '.join(TASKS)}, got {task!r}")
    check_positive_int(num_examples, "num_examples")
    check_positive_int(length, "length")
    min_length = length if min_length is None else check_positive_int(min_length, "min_length")
    if min_length > length:
        raise ValueError(f"min_length: expected at most length = {length}, got {min_length}")
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
    if not isinstance(data, SequenceTask):
        raise TypeError(f"data: expected a SequenceTask, got {type(data).__name__}")
    check_positive_int(batch_size, "batch_size")
    generator = torch.Generator().manual_seed(seed)

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
    come back to the CPU to be counted.
    """
    if not isinstance(data, SequenceTask):
        raise TypeError(f"data: expected a SequenceTask, got {type(data).__name__}")
    check_positive_int(batch_size, "batch_size")
    device = model_device(model) if isinstance(model, torch.nn.Module) else torch.device("cpu")
    right = total = exact = 0
    for start in range(0, len(data), batch_size):
        src = to_device(data.src[start:start + batch_size], device)
        want = data.tgt[start:start + batch_size, 1:]  # [b, L + 1], on the CPU
        got = model.greedy_decode(src, max_len=data.tgt.size(1))[:, 1:].cpu()
        if got.size(1) < want.size(1):  # pad early stops
            got = torch.cat([got, got.new_full((got.size(0), want.size(1) - got.size(1)), PAD)], 1)
        got = got[:, : want.size(1)]
        keep = want != PAD
        hits = (got == want) & keep
        right += int(hits.sum())
        total += int(keep.sum())
        exact += int((hits | ~keep).all(dim=1).sum())
    return {"token": float(right / max(total, 1)), "sequence": float(exact / len(data))}
