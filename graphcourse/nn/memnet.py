"""The neural rankers of chapter 09: supervised embeddings (Starspace), the profile memory
network and the key-value profile memory network (Zhang et al., ACL 2018, "Personalizing
Dialogue Agents: I have a dog, do you have pets too?", Section 4; ParlAI
``projects/personachat/kvmemnn``).

Every text is a bag of words embedded as the mean of its word embeddings,
``E(x) = mean_{w in x} W[w]`` (``torch.nn.EmbeddingBag(mode="mean")``: the scale of a bag does
not grow with its length, so in ``q + sum_i a_i p_i`` a long persona sentence does not drown
the query, and ParlAI's encoder averages too). Candidates are scored by cosine.

- ``StarspaceRanker``: ``score(c) = cos(E(x), E(c))``, x the input (the query after the last
  ``history`` utterances; with ``use_persona`` the persona's words join the same bag).
- ``ProfileMemoryRanker``: ``q = E(x)``, memories ``p_i = E(persona sentence i)``,
  ``a_i = softmax_i(sim(q, p_i))``, ``q+ = q + sum_i a_i p_i``, ``score(c) = cos(q+, E(c))``.
- ``KVProfileMemoryRanker``: after that hop a second one over M key-value memories (keys
  ``k_j`` = training dialogue histories, values ``v_j`` = the replies that followed them):
  ``b_j = softmax_j(sim(q+, k_j))``, ``q++ = q+ + sum_j b_j v_j``, ``score(c) = cos(q++,
  E(c))``. Which M pairs a query sees is chosen by tf-idf (:class:`~.ir.KeyValueMemory`).

``sim`` is the cosine (``similarity="cosine"``, ParlAI's ``nn.CosineSimilarity`` in both the
hop and the scoring) or the dot product (``"dot"``). Padded persona sentences, memories and
candidates get weight 0 and score ``-inf``. Training: :mod:`.memnet_training`.

Notation: B examples, P persona sentences, M key-value memories, C candidates (20), D the
embedding size, V the vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .._validate import (
    check_bool,
    check_choice,
    check_instance,
    check_number,
    check_positive_int,
)
from .ir import KeyValueMemory, _check_examples, context_text
from .text import Vocabulary

SIMILARITIES = ("cosine", "dot")


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


def _pack(bags: list[list[int]]) -> tuple[Tensor, Tensor]:
    """Id lists -> (ids [total], offsets [len(bags)])."""
    lengths = torch.tensor([len(b) for b in bags], dtype=torch.long)
    offsets = torch.zeros(len(bags), dtype=torch.long)
    if len(bags) > 1:
        offsets[1:] = torch.cumsum(lengths, 0)[:-1]
    return torch.tensor([i for b in bags for i in b], dtype=torch.long), offsets


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
    return (*_pack(flat), mask)


@dataclass(frozen=True)
class _Encoded:
    """One example's id lists (see :func:`_collate`)."""

    query: list[int]
    context: list[int]
    persona: list[list[int]]
    keys: list[list[int]]
    values: list[list[int]]
    cands: list[list[int]]
    label: list[int]
    label_text: str
    gold: int


def _encode_all(examples: list[Any], vocab: Vocabulary, memory: KeyValueMemory | None,
                history: int, exclude_own_dialogue: bool, candidates: bool) -> list[_Encoded]:
    cache: dict[str, list[int]] = {}

    def ids(text: str) -> list[int]:
        if text not in cache:
            cache[text] = vocab.encode(text)
        return cache[text]

    picks = memory.retrieve(examples, exclude_own_dialogue) if memory is not None else None
    out = []
    for i, e in enumerate(examples):
        query = ids(context_text(e, history))
        persona = [ids(p) for p in e.persona]
        chosen = picks[i] if picks is not None else []
        cands = [ids(c) for c in e.candidates] if candidates else []
        gold = list(e.candidates).index(e.label) if candidates else -1
        out.append(_Encoded(query, query + [w for p in persona for w in p], persona,
                            [ids(memory.keys[j]) for j in chosen],
                            [ids(memory.values[j]) for j in chosen], cands, ids(e.label),
                            e.label, gold))
    return out


def _collate(items: list[_Encoded]) -> RankingBatch:
    keys: dict[str, int] = {}
    label_key = torch.tensor([keys.setdefault(it.label_text, len(keys)) for it in items])
    persona = _grid([it.persona for it in items])
    key = _grid([it.keys for it in items])
    value = _grid([it.values for it in items])
    cand = _grid([it.cands for it in items])
    return RankingBatch(*_pack([it.query for it in items]), *_pack([it.context for it in items]),
                        *persona, *key[:2], *value[:2], key[2], *cand,
                        *_pack([it.label for it in items]), label_key.long(),
                        torch.tensor([it.gold for it in items], dtype=torch.long))


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
            the examples are the memory's own training examples).
        candidates: encode the candidates (every example needs the same number, the label
            among them); training batches need only the labels.
    """
    examples = _check_examples(examples, candidates=candidates)
    check_instance(vocab, "vocab", Vocabulary, "a Vocabulary",
                   "build it with text.Vocabulary.build(training texts)")
    if memory is not None:
        check_instance(memory, "memory", KeyValueMemory, "a KeyValueMemory or None")
    history = check_positive_int(history, "history", minimum=0)
    exclude = check_bool(exclude_own_dialogue, "exclude_own_dialogue")
    candidates = check_bool(candidates, "candidates")
    return _collate(_encode_all(examples, vocab, memory, history, exclude, candidates))


def _masked_softmax(scores: Tensor, mask: Tensor) -> Tensor:
    """softmax over the last axis counting only ``mask``'s entries; masked entries and rows
    with no entry get 0. scores, mask [B, W] -> [B, W]."""
    if scores.size(-1) == 0:
        return scores
    scores = scores.masked_fill(~mask, float("-inf"))
    top = scores.amax(dim=-1, keepdim=True).clamp_min(-1e30)  # [B, 1], finite for empty rows
    weights = torch.exp(scores - top) * mask  # [B, W]
    return weights / weights.sum(dim=-1, keepdim=True).clamp_min(1e-30)


class _BagRanker(nn.Module):
    """What the three rankers share: the word embeddings and the cosine scoring."""

    def __init__(self, vocab_size: int, dim: int = 128, max_norm: float | None = 10.0,
                 shared: bool = True, history: int = 1) -> None:
        super().__init__()
        self.vocab_size = check_positive_int(vocab_size, "vocab_size")
        self.dim = check_positive_int(dim, "dim")
        self.max_norm = None if max_norm is None else check_number(
            max_norm, "max_norm", low=0, low_inclusive=False, finite=True)
        self.shared = check_bool(shared, "shared")
        self.history = check_positive_int(history, "history", minimum=0)
        # Input-side embeddings; the candidates' are the same unless shared=False.
        self.embedding = nn.EmbeddingBag(self.vocab_size, self.dim, mode="mean",
                                         max_norm=self.max_norm)
        self.candidate_embedding = None if self.shared else nn.EmbeddingBag(
            self.vocab_size, self.dim, mode="mean", max_norm=self.max_norm)

    def reset_parameters(self) -> None:
        self.embedding.reset_parameters()
        if self.candidate_embedding is not None:
            self.candidate_embedding.reset_parameters()

    def embed_candidates(self, ids: Tensor, offsets: Tensor) -> Tensor:
        """Candidate bags -> [T, D] (the candidate-side embeddings)."""
        table = self.embedding if self.candidate_embedding is None else self.candidate_embedding
        return table(ids, offsets)

    def _check(self, batch: Any) -> RankingBatch:
        check_instance(batch, "batch", RankingBatch, "a RankingBatch",
                       "build one with memnet.encode_examples(examples, vocab)")
        for name in ("query_ids", "persona_ids", "key_ids", "value_ids", "cand_ids",
                     "label_ids", "context_ids"):
            ids = getattr(batch, name)
            if ids.numel() and int(ids.max()) >= self.vocab_size:
                raise ValueError(f"batch: {name} holds word id {int(ids.max())}, beyond the "
                                 f"model's vocab_size={self.vocab_size}; encode with the "
                                 f"vocabulary the model was built for")
        return batch

    def _similarity(self, q: Tensor, m: Tensor) -> Tensor:
        """sim(q, m_i): q [B, D], m [B, W, D] -> [B, W]."""
        if getattr(self, "similarity", "cosine") == "dot":
            return (m @ q.unsqueeze(-1)).squeeze(-1)
        return F.cosine_similarity(q.unsqueeze(1), m, dim=-1)

    def _grid(self, ids: Tensor, offsets: Tensor, mask: Tensor) -> Tensor:
        """Bags of a [B, W] grid -> [B, W, D]."""
        return self.embedding(ids, offsets).view(*mask.shape, self.dim)

    def _outputs(self, batch: RankingBatch) -> dict[str, Tensor]:
        raise NotImplementedError

    def query_embedding(self, batch: RankingBatch) -> Tensor:
        """The vector candidates are compared with: [B, D]."""
        return self._outputs(self._check(batch))["query"]

    def attention(self, batch: RankingBatch) -> dict[str, Tensor]:
        """The memory attention and the scores: ``"persona"`` [B, P] and (KV) ``"keys"``
        [B, M] weights (0 on padding), ``"scores"`` [B, C]."""
        out = self._outputs(self._check(batch))
        out["scores"] = self._score(out["query"], batch)
        del out["query"]
        return out

    def _score(self, q: Tensor, batch: RankingBatch) -> Tensor:
        if batch.cand_mask.size(1) == 0:
            raise ValueError("batch: it holds no candidates; encode it with candidates=True")
        cands = self.embed_candidates(batch.cand_ids, batch.cand_offsets)
        cands = cands.view(*batch.cand_mask.shape, self.dim)  # [B, C, D]
        scores = F.cosine_similarity(q.unsqueeze(1), cands, dim=-1)  # [B, C]
        return scores.masked_fill(~batch.cand_mask, float("-inf"))

    def forward(self, batch: RankingBatch) -> Tensor:
        """Scores of the candidates, cos(query vector, E(c)): [B, C]."""
        return self._score(self.query_embedding(batch), batch)

    def _extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        shared = "" if self.shared else ", shared=False"
        return (f"{type(self).__name__}(vocab={self.vocab_size}, dim={self.dim}"
                f"{self._extra_repr()}, history={self.history}, max_norm={self.max_norm}"
                f"{shared})")


class StarspaceRanker(_BagRanker):
    """Supervised embeddings (Starspace, Wu et al. 2018): ``score(c) = cos(E(x), E(c))``.

    Args:
        vocab_size: V. dim: D (ParlAI: 500; 128 here for speed). use_persona: put the
        persona's words into the input bag (the paper concatenates the profile to the query).
        max_norm: the largest norm of a word vector (ParlAI: 10). shared: one embedding table
        for inputs and candidates (ParlAI's ``-shareEmb True``). history: earlier utterances
        in the input (set when the batch is encoded by the training helpers).
    Shapes: a RankingBatch of B examples -> scores [B, C].
    """

    def __init__(self, vocab_size: int, dim: int = 128, use_persona: bool = True,
                 max_norm: float | None = 10.0, shared: bool = True, history: int = 1) -> None:
        super().__init__(vocab_size, dim, max_norm, shared, history)
        self.use_persona = check_bool(use_persona, "use_persona")

    def _outputs(self, batch: RankingBatch) -> dict[str, Tensor]:
        if self.use_persona:
            q = self.embedding(batch.context_ids, batch.context_offsets)  # [B, D]
        else:
            q = self.embedding(batch.query_ids, batch.query_offsets)
        return {"query": q}

    def _extra_repr(self) -> str:
        return f", use_persona={self.use_persona}"


class ProfileMemoryRanker(_BagRanker):
    """The profile memory network: one attention hop over the persona sentences.

    ``q = E(x)`` [B, D]; ``p_i = E(persona_i)`` [B, P, D]; ``a = softmax(sim(q, p))`` [B, P]
    (padded sentences get 0; without a persona q+ = q); ``q+ = q + sum_i a_i p_i``;
    ``score(c) = cos(q+, E(c))``. Arguments as :class:`StarspaceRanker`, and ``similarity``:
    ``"cosine"`` (ParlAI) or ``"dot"``.
    """

    def __init__(self, vocab_size: int, dim: int = 128, similarity: str = "cosine",
                 max_norm: float | None = 10.0, shared: bool = True, history: int = 1) -> None:
        super().__init__(vocab_size, dim, max_norm, shared, history)
        self.similarity = check_choice(similarity, "similarity", SIMILARITIES)

    def _profile_hop(self, batch: RankingBatch) -> dict[str, Tensor]:
        q = self.embedding(batch.query_ids, batch.query_offsets)  # [B, D]
        p = self._grid(batch.persona_ids, batch.persona_offsets, batch.persona_mask)  # [B, P, D]
        a = _masked_softmax(self._similarity(q, p), batch.persona_mask)  # [B, P]
        return {"query": q + (a.unsqueeze(-1) * p).sum(dim=1), "persona": a}

    def _outputs(self, batch: RankingBatch) -> dict[str, Tensor]:
        return self._profile_hop(batch)

    def _extra_repr(self) -> str:
        return f", similarity={self.similarity!r}"


class KVProfileMemoryRanker(ProfileMemoryRanker):
    """The key-value profile memory network: the profile hop, then a hop over key-value
    memories of training dialogues.

    ``b = softmax(sim(q+, k))`` [B, M] over the keys ``k_j = E(history_j)``,
    ``q++ = q+ + sum_j b_j v_j`` with the values ``v_j = E(reply_j)``, and
    ``score(c) = cos(q++, E(c))``. The M pairs of each example come from tf-idf retrieval
    over the training pairs (:class:`~.ir.KeyValueMemory`, ``memory_size`` = M), kept in
    ``self.memory`` once the training helpers have built it. Other arguments as
    :class:`ProfileMemoryRanker`.
    """

    def __init__(self, vocab_size: int, dim: int = 128, similarity: str = "cosine",
                 max_norm: float | None = 10.0, shared: bool = True, history: int = 1,
                 memory_size: int = 5, memory: KeyValueMemory | None = None) -> None:
        super().__init__(vocab_size, dim, similarity, max_norm, shared, history)
        self.memory_size = check_positive_int(memory_size, "memory_size")
        if memory is not None:
            check_instance(memory, "memory", KeyValueMemory, "a KeyValueMemory or None")
        self.memory = memory

    def _outputs(self, batch: RankingBatch) -> dict[str, Tensor]:
        out = self._profile_hop(batch)
        q = out["query"]  # [B, D], q+
        mask = batch.memory_mask
        if mask.size(1) == 0:
            raise ValueError("batch: it holds no key-value memories; encode it with "
                             "memory=KeyValueMemory(train_examples) (train_ranker and "
                             "evaluate_ranker use model.memory)")
        k = self._grid(batch.key_ids, batch.key_offsets, mask)  # [B, M, D]
        v = self._grid(batch.value_ids, batch.value_offsets, mask)  # [B, M, D]
        b = _masked_softmax(self._similarity(q, k), mask)  # [B, M]
        return {"query": q + (b.unsqueeze(-1) * v).sum(dim=1), "persona": out["persona"],
                "keys": b}

    def _extra_repr(self) -> str:
        return f"{super()._extra_repr()}, memory_size={self.memory_size}"
