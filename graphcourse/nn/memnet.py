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
  ``b_j = softmax_j(sim(q+, k_j))``, ``q++ = q+ + gamma * sum_j b_j v_j``, ``score(c) =
  cos(q++, E(c))``, gamma a learned scalar starting at 0.1 (the paper has no gamma: see the
  class). Which M pairs a query sees is chosen by tf-idf (:class:`~.ir.KeyValueMemory`).

``q+ = q + sum_i a_i p_i`` is the paper's form of the hop. ParlAI's kvmemnn differs: its hop
attends over the memories and q itself and returns ``softmax(cos(q, [p; q])) · [p; q]``, with
no ``q +`` term. ``sim`` is the cosine (``similarity="cosine"``, as ParlAI's hop and scoring)
or the dot product (``"dot"``). Padded persona sentences, memories and candidates get weight
0 and score ``-inf``. Training: :mod:`.memnet_training`.

Notation: B examples, P persona sentences, M key-value memories, C candidates (20), D the
embedding size, V the vocabulary.
"""

from __future__ import annotations

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
from .ir import KeyValueMemory
from .memnet_batch import (  # noqa: F401  (re-exported: memnet is where users look)
    EncodedExample,
    RankingBatch,
    collate,
    encode_each,
    encode_examples,
    example_vocabulary,
)

SIMILARITIES = ("cosine", "dot")



def _masked_softmax(scores: Tensor, mask: Tensor) -> Tensor:
    """softmax over the last axis counting only ``mask``'s entries; masked entries and rows
    with no entry get 0. scores, mask [B, W] -> [B, W]."""
    if scores.size(-1) == 0:
        return scores
    scores = scores.masked_fill(~mask, float("-inf"))
    top = scores.amax(dim=-1, keepdim=True).clamp_min(-1e30)  # [B, 1], finite for empty rows
    weights = torch.exp(scores - top) * mask  # [B, W]
    return weights / weights.sum(dim=-1, keepdim=True).clamp_min(1e-30)


class BagRanker(nn.Module):
    """What the three rankers share: the word embeddings (``EmbeddingBag``, mean) and the
    cosine scoring ``score(c) = cos(q, E(c))`` [B, C]. Subclasses define the query vector q
    [B, D]; this class is not a ranker by itself. Arguments as :class:`StarspaceRanker`."""

    def __init__(self, vocab_size: int, dim: int = 128, max_norm: float | None = 10.0,
                 shared: bool = True, history: int = 1) -> None:
        super().__init__()
        self.vocab_size = check_positive_int(vocab_size, "vocab_size")
        self.dim = check_positive_int(dim, "dim")
        self.max_norm = None if max_norm is None else check_number(
            max_norm, "max_norm", low=0, low_inclusive=False, finite=True)
        self.shared = check_bool(shared, "shared")
        self.history = check_positive_int(history, "history", minimum=0)
        if type(self) is BagRanker:
            raise TypeError("BagRanker: it is the base class; build a StarspaceRanker, "
                            "ProfileMemoryRanker or KVProfileMemoryRanker")
        # Input-side embeddings; the candidates' are the same unless shared=False.
        self.embedding = nn.EmbeddingBag(self.vocab_size, self.dim, mode="mean",
                                         max_norm=self.max_norm)
        self.candidate_embedding = None if self.shared else nn.EmbeddingBag(
            self.vocab_size, self.dim, mode="mean", max_norm=self.max_norm)

    def reset_parameters(self) -> None:
        self.embedding.reset_parameters()
        if self.candidate_embedding is not None:
            self.candidate_embedding.reset_parameters()

    def _bags(self, table: nn.EmbeddingBag, ids: Tensor, offsets: Tensor) -> Tensor:
        """T bags (``ids``, ``offsets`` [T]) -> [T, D] means; zeros for empty bags. With no
        bag or no word at all the table is not called: on CUDA, training on batches without
        any persona sentence (the "none" files) failed inside the embedding-bag kernels,
        where the CPU gives zeros."""
        if offsets.numel() == 0 or ids.numel() == 0:
            return table.weight.new_zeros(offsets.numel(), self.dim)
        return table(ids, offsets)

    def embed_candidates(self, ids: Tensor, offsets: Tensor) -> Tensor:
        """Candidate bags -> [T, D] (the candidate-side embeddings)."""
        table = self.embedding if self.candidate_embedding is None else self.candidate_embedding
        return self._bags(table, ids, offsets)

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
        return self._bags(self.embedding, ids, offsets).view(*mask.shape, self.dim)

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


class StarspaceRanker(BagRanker):
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
            q = self._bags(self.embedding, batch.context_ids, batch.context_offsets)  # [B, D]
        else:
            q = self._bags(self.embedding, batch.query_ids, batch.query_offsets)
        return {"query": q}

    def _extra_repr(self) -> str:
        return f", use_persona={self.use_persona}"


class ProfileMemoryRanker(BagRanker):
    """The profile memory network: one attention hop over the persona sentences.

    ``q = E(x)`` [B, D]; ``p_i = E(persona_i)`` [B, P, D]; ``a = softmax(sim(q, p))`` [B, P]
    (padded sentences get 0; without a persona q+ = q); ``q+ = q + sum_i a_i p_i``;
    ``score(c) = cos(q+, E(c))``. Arguments as :class:`StarspaceRanker`, and ``similarity``:
    ``"cosine"`` (as ParlAI's kvmemnn) or ``"dot"``. ``q+ = q + sum_i a_i p_i`` is the
    paper's hop; ParlAI's attends over [p; q] and outputs ``softmax(cos(q, [p; q])) · [p; q]``
    without the ``q +`` term.
    """

    def __init__(self, vocab_size: int, dim: int = 128, similarity: str = "cosine",
                 max_norm: float | None = 10.0, shared: bool = True, history: int = 1) -> None:
        super().__init__(vocab_size, dim, max_norm, shared, history)
        self.similarity = check_choice(similarity, "similarity", SIMILARITIES)

    def _profile_hop(self, batch: RankingBatch) -> dict[str, Tensor]:
        q = self._bags(self.embedding, batch.query_ids, batch.query_offsets)  # [B, D]
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
    ``q++ = q+ + gamma * sum_j b_j v_j`` with the values ``v_j = E(reply_j)``, and
    ``score(c) = cos(q++, E(c))``. The M pairs of each example come from tf-idf retrieval
    over the training pairs (:class:`~.ir.KeyValueMemory`, ``memory_size`` = M), kept in
    ``self.memory`` once the training helpers have built it. Other arguments as
    :class:`ProfileMemoryRanker`.

    ``gamma`` (a learned scalar, initialised to ``hop_weight``, 0.1) is our deviation from the
    paper's ``q++ = q+ + sum_j b_j v_j``. The retrieved values are other speakers' replies to
    a similar history, that is the same-topic replies the distractors are made of; added
    with weight 1 they pull q toward the distractors and the second hop hurts (hits@1 below
    the profile memory's on the generated data). ParlAI's kvmemnn blends its second hop with
    weight 0.1 (at the level of the scores); starting gamma there and learning it lets the
    training decide how much the hop helps. ``hop_weight=1.0`` with ``learn_hop_weight=False``
    is the paper's form.
    """

    def __init__(self, vocab_size: int, dim: int = 128, similarity: str = "cosine",
                 max_norm: float | None = 10.0, shared: bool = True, history: int = 1,
                 memory_size: int = 5, memory: KeyValueMemory | None = None,
                 hop_weight: float = 0.1, learn_hop_weight: bool = True) -> None:
        super().__init__(vocab_size, dim, similarity, max_norm, shared, history)
        self.memory_size = check_positive_int(memory_size, "memory_size")
        self.hop_weight = check_number(hop_weight, "hop_weight", finite=True)
        self.learn_hop_weight = check_bool(learn_hop_weight, "learn_hop_weight")
        self.gamma = nn.Parameter(torch.tensor(float(self.hop_weight)),
                                  requires_grad=self.learn_hop_weight)  # [], the hop's weight
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
        hop = (b.unsqueeze(-1) * v).sum(dim=1)  # [B, D]
        return {"query": q + self.gamma * hop, "persona": out["persona"], "keys": b}

    def reset_parameters(self) -> None:
        super().reset_parameters()
        with torch.no_grad():
            self.gamma.fill_(self.hop_weight)

    def _extra_repr(self) -> str:
        fixed = "" if self.learn_hop_weight else ", learn_hop_weight=False"
        return (f"{super()._extra_repr()}, memory_size={self.memory_size}, "
                f"hop_weight={self.hop_weight}{fixed}")
