"""Training and evaluating the chapter 09 rankers: the margin loss with sampled negatives,
``train_ranker`` (through :func:`graphcourse.train.fit`) and ``evaluate_ranker`` (hits@k of
the gold among the C candidates of each example).

The loss (Starspace's margin loss, which ParlAI's kvmemnn also trains its rankers with): for
the input vector q of an example, its label y+ and k negatives y-_1..y-_k (other examples'
labels),

    ranking: L = mean_j max(0, margin - cos(q, y+) + cos(q, y-_j))
    cosine:  L = (1 - cos(q, y+)) + sum_j max(0, cos(q, y-_j) - margin)

"cosine" is ParlAI kvmemnn's ``CosineEmbeddingLoss(margin)`` (one positive and up to k = 10
negatives per example). ParlAI draws the negatives from a cache of 1,000 labels that, once
full, has a random slot overwritten by each new label (not "the 1,000 most recent"), and
makes at most 3k - 1 draws, so an example may get fewer than k negatives. Here the
negatives are k labels of the same mini-batch, drawn with a seeded generator, never one
equal to the example's own label.

Deviations from ParlAI's recipe, for speed on a CPU: mini-batches (``batch_size``) with Adam
(``optimizer="sgd"`` gives ParlAI's optimiser; it used lr 0.1 with batch size 1), embeddings
of 128 rather than 500, the negatives from the batch rather than a label cache.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from .. import devices
from .._validate import (
    check_bool,
    check_choice,
    check_instance,
    check_number,
    check_positive_int,
    optional_int,
)
from ..metrics import hits_at_k
from ..train import History, course_seed, fit
from ._checks import evaluating
from .ir import KeyValueMemory, TfidfRanker, check_examples, gold_index
from .memnet import (
    BagRanker,
    KVProfileMemoryRanker,
    RankingBatch,
    collate,
    encode_each,
    encode_examples,
)
from .text import Vocabulary

LOSSES = ("ranking", "cosine")
OPTIMIZERS = ("adam", "sgd")


def sample_negatives(label_key: Tensor, k: int,
                     generator: torch.Generator | None = None) -> tuple[Tensor, Tensor]:
    """For each of B examples, k other examples of the batch whose label serves as a negative.

    ``label_key`` [B] (equal for equal label texts; ``RankingBatch.label_key``) -> indices
    [B, k'] and ``valid`` [B, k'] (False where the batch had too few different labels), with
    k' = min(k, B - 1). Drawn uniformly without replacement with ``generator``.
    """
    if not isinstance(label_key, Tensor) or label_key.dim() != 1:
        raise TypeError("label_key: expected a 1-D tensor (RankingBatch.label_key), got "
                        f"{type(label_key).__name__}")
    k = check_positive_int(k, "k")
    size = label_key.size(0)
    k = min(k, max(size - 1, 0))
    keys = torch.rand(size, size, generator=generator).to(label_key.device)  # [B, B]
    same = label_key.view(-1, 1) == label_key.view(1, -1)  # [B, B], the diagonal too
    keys = keys.masked_fill(same, 2.0)
    picked = keys.argsort(dim=1)[:, :k]  # [B, k]
    return picked, keys.gather(1, picked) < 2.0


def ranking_loss(model: BagRanker, batch: RankingBatch, negatives: int = 10,
                 margin: float = 0.1, kind: str = "ranking",
                 generator: torch.Generator | None = None) -> Tensor:
    """The margin loss of a ranker on a batch (see the module's docstring); a scalar.

    q = ``model.query_embedding(batch)`` [B, D], y+ = the labels' embeddings [B, D], the
    negatives the labels of ``negatives`` other examples (:func:`sample_negatives`).
    """
    check_instance(model, "model", BagRanker, "a StarspaceRanker, ProfileMemoryRanker or "
                   "KVProfileMemoryRanker")
    check_instance(batch, "batch", RankingBatch, "a RankingBatch")
    negatives = check_positive_int(negatives, "negatives")
    margin = check_number(margin, "margin", finite=True)
    kind = check_choice(kind, "kind", LOSSES)
    q = model.query_embedding(batch)  # [B, D]
    y = model.embed_candidates(batch.label_ids, batch.label_offsets)  # [B, D]
    picked, valid = sample_negatives(batch.label_key, negatives, generator)  # [B, k]
    pos = F.cosine_similarity(q, y, dim=-1)  # [B]
    neg = F.cosine_similarity(q.unsqueeze(1), y[picked], dim=-1)  # [B, k]
    if kind == "ranking":
        hinge = torch.relu(margin - pos.unsqueeze(1) + neg) * valid  # [B, k]
        return hinge.sum() / valid.sum().clamp_min(1)
    hinge = (torch.relu(neg - margin) * valid).sum(dim=1)  # [B]
    return (1 - pos + hinge).mean()


def _model_memory(model: Any, memory: Any) -> KeyValueMemory | None:
    if memory is not None:
        return check_instance(memory, "memory", KeyValueMemory, "a KeyValueMemory or None")
    return getattr(model, "memory", None)


def train_ranker(model: BagRanker, examples: Iterable[Any], vocab: Vocabulary, *,
                 epochs: int, lr: float, batch_size: int, negatives: int = 10,
                 margin: float = 0.1, loss: str = "ranking", optimizer: str = "adam",
                 memory: KeyValueMemory | None = None, seed: int | None = None,
                 device: torch.device | str | None = None, progress: bool | None = None,
                 desc: str = "training") -> History:
    """Train a neural ranker on ``examples`` with :func:`ranking_loss` through ``fit``.

    Each epoch shuffles the examples (seeded by ``seed``, default the run's
    ``course_seed()``) into batches of ``batch_size`` and takes one optimiser step per batch.
    The inputs hold ``model.history`` earlier utterances. A :class:`KVProfileMemoryRanker`
    needs key-value memories: ``memory``, else ``model.memory``, else one built here from
    ``examples`` (``KeyValueMemory(examples, model.memory_size, model.history)``) and kept
    in ``model.memory``; training examples never see pairs of their own dialogue.
    Returns the :class:`~graphcourse.train.History` (mean loss per epoch).
    """
    check_instance(model, "model", BagRanker, "a StarspaceRanker, ProfileMemoryRanker or "
                   "KVProfileMemoryRanker", "TfidfRanker is fitted with .fit(examples)"
                   if isinstance(model, TfidfRanker) else "")
    examples = check_examples(examples)
    if len(examples) < 2:
        raise ValueError("examples: expected at least 2 (negatives are other examples' "
                         "labels)")
    check_instance(vocab, "vocab", Vocabulary, "a Vocabulary")
    if len(vocab) > model.vocab_size:
        raise ValueError(f"vocab: it has {len(vocab)} words, more than the model's "
                         f"vocab_size={model.vocab_size}; build the model with len(vocab)")
    epochs = check_positive_int(epochs, "epochs")
    lr = check_number(lr, "lr", low=0, low_inclusive=False, finite=True)
    batch_size = check_positive_int(batch_size, "batch_size", minimum=2)
    negatives = check_positive_int(negatives, "negatives")
    margin = check_number(margin, "margin", finite=True)
    loss = check_choice(loss, "loss", LOSSES)
    optimizer = check_choice(optimizer, "optimizer", OPTIMIZERS)
    seed = course_seed() if seed is None else optional_int(seed, "seed")
    memory = _model_memory(model, memory)
    if isinstance(model, KVProfileMemoryRanker):
        if memory is None:
            memory = KeyValueMemory(examples, model.memory_size, model.history)
        model.memory = memory
    else:
        memory = None
    encoded = encode_each(examples, vocab, memory=memory, history=model.history,
                          exclude_own_dialogue=True, candidates=False)
    generator = torch.Generator().manual_seed(seed)

    def batches() -> list[RankingBatch]:
        order = torch.randperm(len(encoded), generator=generator).tolist()
        starts = list(range(0, len(order), batch_size))
        if len(order) - starts[-1] < 2 and len(starts) > 1:
            starts.pop()  # a last batch of one example joins the one before
        ends = starts[1:] + [len(order)]
        return [collate([encoded[i] for i in order[a:b]]) for a, b in zip(starts, ends)]

    opt_class = torch.optim.Adam if optimizer == "adam" else torch.optim.SGD
    opt = opt_class(model.parameters(), lr=lr)
    loss_fn = functools.partial(ranking_loss, negatives=negatives, margin=margin, kind=loss,
                                generator=generator)
    return fit(model, opt, loss_fn, batches, epochs, desc=desc, progress=progress,
               device=device)


def evaluate_ranker(ranker: Any, examples: Iterable[Any], vocab: Vocabulary | None = None, *,
                    ks: Iterable[int] = (1, 5), memory: KeyValueMemory | None = None,
                    batch_size: int = 512,
                    exclude_own_dialogue: bool = False) -> dict[str, float]:
    """hits@k of a ranker: the fraction of examples whose gold reply ranks in the top k of
    its C candidates (ties count against the gold; :func:`~graphcourse.metrics.gold_rank`).

    ``ranker`` is a fitted :class:`~.ir.TfidfRanker` (``vocab`` unused) or a neural ranker
    (``vocab`` its training vocabulary; a KV model uses ``memory`` or ``model.memory``). Every
    example needs the same number of candidates, its label among them. Returns
    ``{"hits@1": ..., "hits@5": ..., "examples": n}`` (one key per k in ``ks``).

    Candidates other than the gold whose text equals the label's exactly (it happens in the
    real Persona-Chat files) are not competitors: they get score ``-inf`` before ranking, as
    ParlAI judges a reply by its text, not its position.

    ``exclude_own_dialogue`` is passed to :func:`~.memnet.encode_examples`. Set it when
    evaluating a KV ranker on its memory's own training examples: otherwise an example
    retrieves its own pair, whose key is its query and whose value is its label, and the
    score is inflated by that leak (train_ranker always excludes). Dialogues are matched by
    :func:`~.ir.dialogue_key`.
    """
    examples = check_examples(examples, candidates=True)
    if isinstance(ks, (str, bytes)) or not isinstance(ks, Iterable):
        raise TypeError(f"ks: expected a list of ints such as (1, 5), got {type(ks).__name__}")
    ks = [check_positive_int(k, "ks") for k in ks]
    count = len(examples[0].candidates)
    if any(k > count for k in ks):
        raise ValueError(f"ks: expected values in [1, {count}] (the number of candidates), "
                         f"got {max(ks)}")
    batch_size = check_positive_int(batch_size, "batch_size")
    exclude = check_bool(exclude_own_dialogue, "exclude_own_dialogue")
    gold = gold_index(examples)
    if isinstance(ranker, TfidfRanker):
        scores = ranker.score(examples)
    else:
        check_instance(ranker, "ranker", (BagRanker,), "a TfidfRanker or a neural ranker "
                       "(StarspaceRanker, ProfileMemoryRanker, KVProfileMemoryRanker)")
        check_instance(vocab, "vocab", Vocabulary, "the Vocabulary the ranker was trained "
                       "with", "a neural ranker needs it to encode the texts")
        memory = _model_memory(ranker, memory)
        if isinstance(ranker, KVProfileMemoryRanker) and memory is None:
            raise ValueError("memory: the KV ranker needs its key-value memories; pass "
                             "memory=KeyValueMemory(train_examples) or train it first")
        device = devices.model_device(ranker)
        parts = []
        with evaluating(ranker):
            for start in range(0, len(examples), batch_size):
                batch = encode_examples(examples[start:start + batch_size], vocab,
                                        memory=memory, history=ranker.history,
                                        exclude_own_dialogue=exclude)
                parts.append(ranker(devices.to_device(batch, device)).cpu())
        scores = torch.cat(parts)
    same = torch.tensor([[c == e.label for c in e.candidates] for e in examples])  # [B, C]
    same[torch.arange(len(examples)), gold] = False  # the gold itself competes
    scores = scores.masked_fill(same, float("-inf"))
    out: dict[str, float] = {f"hits@{k}": hits_at_k(scores, gold, k) for k in ks}
    out["examples"] = len(examples)
    return out
