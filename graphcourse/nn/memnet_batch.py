"""Chapter 09's examples as tensors for the neural rankers of :mod:`.memnet`: each
RankingExample encoded as bags of word ids (:func:`encode_each`), stacked into a padded
:class:`RankingBatch` with masks (:func:`collate`), or both at once (:func:`encode_examples`).

Notation: B examples, P persona sentences, M key-value memories, C candidates (20).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

import torch
from torch import Tensor

from .._validate import (
    check_bool,
    check_instance,
    check_positive_int,
)
from .ir import KeyValueMemory, check_examples, context_text
from .text import Vocabulary, pack_bags


@dataclass
class RankingBatch:
    """B examples as tensors (so that ``train.fit`` can move them): bags of words as
    ``(ids, offsets)`` pairs for ``EmbeddingBag`` (:func:`~.text.bag_of_words`), padded grids
    with boolean masks (True for a real entry).

    - ``query_ids``/``query_offsets``: [B] bags, the input (history + query).
    - ``context_ids``/``context_offsets``: [B] bags, the input and the persona in one bag.
    - ``persona_ids``/``persona_offsets``: [B*P] bags; ``persona_mask`` [B, P].
    - ``key_ids``/``key_offsets``, ``value_ids``/``value_offsets``: [B*M] bags;
      ``memory_mask`` [B, M] (M = 0 without a key-value memory).
    - ``cand_ids``/``cand_offsets``: [B*C] bags; ``cand_mask`` [B, C] (C = 0 when not encoded).
    - ``label_ids``/``label_offsets``: [B] bags, the gold replies; ``label_key`` [B]: equal
      for equal label texts (a negative must not be the label itself).
    - ``gold`` [B]: the label's index among the candidates (-1 without candidates).
    """

    query_ids: Tensor
    query_offsets: Tensor
    context_ids: Tensor
    context_offsets: Tensor
    persona_ids: Tensor
    persona_offsets: Tensor
    persona_mask: Tensor
    key_ids: Tensor
    key_offsets: Tensor
    value_ids: Tensor
    value_offsets: Tensor
    memory_mask: Tensor
    cand_ids: Tensor
    cand_offsets: Tensor
    cand_mask: Tensor
    label_ids: Tensor
    label_offsets: Tensor
    label_key: Tensor
    gold: Tensor

    def to(self, device: torch.device | str) -> RankingBatch:
        """A copy with every tensor on ``device`` (this batch is not changed)."""
        return RankingBatch(**{f.name: getattr(self, f.name).to(device) for f in fields(self)})

    def __len__(self) -> int:
        return self.persona_mask.size(0)

    def __repr__(self) -> str:
        return (f"RankingBatch(B={len(self)}, P={self.persona_mask.size(1)}, "
                f"M={self.memory_mask.size(1)}, C={self.cand_mask.size(1)})")


def _grid(rows: list[list[list[int]]]) -> tuple[Tensor, Tensor, Tensor]:
    """B lists of bags, padded with empty bags to the longest: (ids, offsets [B*W], mask
    [B, W])."""
    width = max((len(r) for r in rows), default=0)
    mask = torch.zeros(len(rows), width, dtype=torch.bool)
    flat: list[list[int]] = []
    for b, row in enumerate(rows):
        mask[b, :len(row)] = True
        flat.extend(row)
        flat.extend([] for _ in range(width - len(row)))
    return (*pack_bags(flat), mask)


@dataclass(frozen=True)
class EncodedExample:
    """One example's word ids, before batching (:func:`encode_each`, :func:`collate`): the
    input bag ``query`` (history + query) and ``context`` (the input and the persona), the
    persona sentences [P bags], the retrieved keys and values [M bags each], the candidates
    [C bags, or none], the label's bag and text, and ``gold``, the label's index among the
    candidates (-1 without them)."""

    query: list[int]
    context: list[int]
    persona: list[list[int]]
    keys: list[list[int]]
    values: list[list[int]]
    cands: list[list[int]]
    label: list[int]
    label_text: str
    gold: int


def encode_each(examples: Iterable[Any], vocab: Vocabulary, *,
                memory: KeyValueMemory | None = None, history: int = 1,
                exclude_own_dialogue: bool = False,
                candidates: bool = True) -> list[EncodedExample]:
    """Each example's word ids as an :class:`EncodedExample` (B of them), to be batched in any
    grouping by :func:`collate`; :func:`encode_examples` is ``collate(encode_each(...))``.
    Arguments as :func:`encode_examples` (the KV memories are retrieved here, once)."""
    examples = check_examples(examples, candidates=candidates)
    check_instance(vocab, "vocab", Vocabulary, "a Vocabulary",
                   "build it with text.Vocabulary.build(training texts)")
    if memory is not None:
        check_instance(memory, "memory", KeyValueMemory, "a KeyValueMemory or None")
    history = check_positive_int(history, "history", minimum=0)
    exclude = check_bool(exclude_own_dialogue, "exclude_own_dialogue")
    candidates = check_bool(candidates, "candidates")
    cache: dict[str, list[int]] = {}

    def ids(text: str) -> list[int]:
        if text not in cache:
            cache[text] = vocab.encode(text)
        return cache[text]

    picks = memory.retrieve(examples, exclude) if memory is not None else None
    out = []
    for i, e in enumerate(examples):
        query = ids(context_text(e, history))
        persona = [ids(p) for p in e.persona]
        chosen = picks[i] if picks is not None else []
        cands = [ids(c) for c in e.candidates] if candidates else []
        gold = list(e.candidates).index(e.label) if candidates else -1
        out.append(EncodedExample(query, query + [w for p in persona for w in p], persona,
                                  [ids(memory.keys[j]) for j in chosen],
                                  [ids(memory.values[j]) for j in chosen], cands,
                                  ids(e.label), e.label, gold))
    return out


def collate(items: Iterable[EncodedExample]) -> RankingBatch:
    """B :class:`EncodedExample` s as one :class:`RankingBatch`: persona sentences, memories
    and candidates padded with empty bags to the batch's largest P, M and C, with masks
    [B, P], [B, M], [B, C] (True for a real entry); ``label_key`` [B] numbers the distinct
    label texts. Items may hold different numbers of candidates (the padded ones score
    ``-inf``)."""
    if isinstance(items, EncodedExample) or not isinstance(items, Iterable):
        raise TypeError(f"items: expected a list of EncodedExample (from encode_each), got "
                        f"{type(items).__name__}")
    items = list(items)
    if not items:
        raise ValueError("items: expected at least one EncodedExample, got an empty list")
    for i, it in enumerate(items):
        check_instance(it, f"items[{i}]", EncodedExample, "an EncodedExample",
                       "build them with memnet.encode_each(examples, vocab)")
    keys: dict[str, int] = {}
    label_key = torch.tensor([keys.setdefault(it.label_text, len(keys)) for it in items])
    persona = _grid([it.persona for it in items])
    key = _grid([it.keys for it in items])
    value = _grid([it.values for it in items])
    cand = _grid([it.cands for it in items])
    return RankingBatch(*pack_bags([it.query for it in items]),
                        *pack_bags([it.context for it in items]),
                        *persona, *key[:2], *value[:2], key[2], *cand,
                        *pack_bags([it.label for it in items]), label_key.long(),
                        torch.tensor([it.gold for it in items], dtype=torch.long))


def example_vocabulary(examples: Iterable[Any], min_count: int = 1) -> Vocabulary:
    """The vocabulary a ranker is built for: the words of the examples' queries, gold replies
    and persona sentences (the training split's; candidates are left out, so distractors'
    words the training replies never use are ``<unk>``), each text counted once per example,
    most frequent first (:meth:`~.text.Vocabulary.build`)."""
    examples = check_examples(examples, allow_empty=False)
    return Vocabulary.build([t for e in examples for t in (e.query, e.label, *e.persona)],
                            min_count=min_count)


def encode_examples(examples: Iterable[Any], vocab: Vocabulary, *,
                    memory: KeyValueMemory | None = None, history: int = 1,
                    exclude_own_dialogue: bool = False, candidates: bool = True) -> RankingBatch:
    """``examples`` as one :class:`RankingBatch`.

    Args:
        examples: RankingExamples (``graphcourse.data.dialogue.ranking_examples``).
        vocab: the training :class:`~.text.Vocabulary` (unknown words become ``<unk>``).
        memory: a :class:`~.ir.KeyValueMemory` whose M best pairs per example fill the keys and
            values (the KV model needs one; the others ignore them).
        history: earlier utterances before the query in the input bag (1: one's own last
            reply, as ParlAI's kvmemnn).
        exclude_own_dialogue: retrieve no memory from the example's own dialogue (set it when
            the examples are the memory's own training examples: an example's own pair has
            its history as key and its label as value). Dialogues are matched by
            :func:`~.ir.dialogue_key`.
        candidates: encode the candidates (every example needs the same number, the label
            among them); training batches need only the labels.
    """
    return collate(encode_each(examples, vocab, memory=memory, history=history,
                               exclude_own_dialogue=exclude_own_dialogue,
                               candidates=candidates))
