"""Where a memory network looks when it picks a reply: one turn's attention and ranking (ch. 09).

For one ranking example (a turn of a dialogue: persona, history, the partner's query, the gold
reply and its C candidates) and a trained :class:`~.memnet.ProfileMemoryRanker` or
:class:`~.memnet.KVProfileMemoryRanker`, :func:`turn_view` gathers what the chapter 09
explorer (:func:`graphcourse.widgets.persona_explorer`) draws:

- the profile hop's weights over the P persona sentences,
  ``a_i = softmax_i(sim(q, p_i))`` (``model.attention(batch)["persona"]``);
- with a key-value memory, the second hop's weights over the M retrieved keys (training
  dialogue histories) and their values (the replies that followed them),
  ``b_j = softmax_j(sim(q+, k_j))`` (``"keys"``);
- the C candidates ranked by their score ``cos(q, E(c))`` (``"scores"``), best first, the
  gold among them, its rank with ties counted against it
  (:func:`graphcourse.metrics.gold_rank`) and hits@1.

Everything is computed with the model in evaluation mode and without gradients
(:func:`._checks.evaluating`), and handed back as plain lists, strings and floats.
Notation: P persona sentences, M key-value memories, C candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import devices
from .._validate import check_bool, check_instance
from ..metrics import gold_rank
from ._checks import evaluating
from .ir import FIELDS, KeyValueMemory, check_examples, context_text
from .memnet import KVProfileMemoryRanker, ProfileMemoryRanker, encode_examples
from .text import Vocabulary

MODEL_HINT = ("the explorer reads a memory network's attention: train a "
              "nn.ProfileMemoryRanker or nn.KVProfileMemoryRanker (StarspaceRanker and "
              "TfidfRanker attend over nothing)")


@dataclass(frozen=True)
class TurnView:
    """What the persona explorer draws for one turn (plain Python values).

    - ``model``: the ranker's class name; ``dialogue``/``turn``: where the example comes from.
    - ``query``: the partner's utterance; ``context``: the model's input text (the last
      ``model.history`` earlier utterances, then the query).
    - ``persona`` [P] sentences and ``persona_weights`` [P] (sum 1 when P > 0).
    - ``keys`` [M], ``values`` [M] and ``key_weights`` [M] (sum 1 when M > 0): the retrieved
      key-value memories; empty for a :class:`~.memnet.ProfileMemoryRanker`.
    - ``candidates`` [C] and ``scores`` [C]: best first; ``order`` [C] the index of each in
      the example's own candidate list. Candidates with the gold's score come before it.
    - ``label``: the gold reply; ``gold``: its index in the example's list; ``gold_rank``:
      1 for the best (ties counted against the gold); ``hit``: ``gold_rank == 1``.
    """

    model: str
    dialogue: int
    turn: int
    query: str
    context: str
    persona: list[str]
    persona_weights: list[float]
    keys: list[str]
    values: list[str]
    key_weights: list[float]
    candidates: list[str]
    scores: list[float]
    order: list[int]
    label: str
    gold: int
    gold_rank: int
    hit: bool

    @property
    def has_keys(self) -> bool:
        """Whether the model has the second (key-value) hop."""
        return self.model == KVProfileMemoryRanker.__name__


def _check_memory_model(model: Any, name: str = "model") -> ProfileMemoryRanker:
    """``model`` if it is a profile memory network (with or without the key-value hop)."""
    return check_instance(model, name, ProfileMemoryRanker,
                          "a ProfileMemoryRanker or KVProfileMemoryRanker", MODEL_HINT)


def _check_vocab(vocab: Any, model: ProfileMemoryRanker) -> Vocabulary:
    """The model's training vocabulary: a :class:`~.text.Vocabulary` no larger than the
    model's ``vocab_size``."""
    check_instance(vocab, "vocab", Vocabulary, "the Vocabulary the model was trained with",
                   "the one passed to train_ranker")
    if len(vocab) > model.vocab_size:
        raise ValueError(f"vocab: it has {len(vocab)} words, more than the model's "
                         f"vocab_size={model.vocab_size}; pass the vocabulary the model was "
                         f"trained with")
    return vocab


def _model_memory(model: ProfileMemoryRanker, memory: Any) -> KeyValueMemory | None:
    """The key-value memory a KV model reads (``memory``, else ``model.memory``); None for a
    profile memory network."""
    if memory is not None:
        check_instance(memory, "memory", KeyValueMemory, "a KeyValueMemory or None")
    if not isinstance(model, KVProfileMemoryRanker):
        return None
    memory = memory if memory is not None else getattr(model, "memory", None)
    if memory is None:
        raise ValueError("memory: the KV ranker needs its key-value memories; pass "
                         "memory=KeyValueMemory(train_examples) or train it with "
                         "train_ranker first (which keeps one in model.memory)")
    return memory


def _check_example(example: Any, name: str = "example") -> Any:
    """One RankingExample with candidates (the label among them)."""
    if isinstance(example, (list, tuple)) and not all(hasattr(example, f) for f in FIELDS):
        raise TypeError(f"{name}: expected one RankingExample, got {type(example).__name__}; "
                        f"pass one item, examples[k]")
    if not all(hasattr(example, f) for f in FIELDS):
        raise TypeError(f"{name}: expected a RankingExample (from "
                        f"data.dialogue.ranking_examples), got {type(example).__name__}")
    return check_examples([example], name, candidates=True)[0]


def turn_view(model: ProfileMemoryRanker, example: Any, vocab: Vocabulary, *,
              memory: KeyValueMemory | None = None,
              exclude_own_dialogue: bool = False) -> TurnView:
    """The attention and the ranking of one turn by a profile memory network.

    Args:
        model: a trained :class:`~.memnet.ProfileMemoryRanker` or
            :class:`~.memnet.KVProfileMemoryRanker`.
        example: one ``RankingExample`` with its C candidates.
        vocab: the model's training vocabulary.
        memory: the key-value memory of a KV model (default ``model.memory``); ignored by a
            profile memory network.
        exclude_own_dialogue: retrieve no memory from the example's own dialogue (set it for
            an example of the memory's own training set, whose values would give the label
            away).
    Returns:
        a :class:`TurnView`. Its weights and scores are ``model.attention`` of the example
        encoded by :func:`~.memnet.encode_examples`, as ``model(batch)`` scores it.
    """
    model = _check_memory_model(model)
    example = _check_example(example)
    vocab = _check_vocab(vocab, model)
    memory = _model_memory(model, memory)
    exclude = check_bool(exclude_own_dialogue, "exclude_own_dialogue")
    batch = encode_examples([example], vocab, memory=memory, history=model.history,
                            exclude_own_dialogue=exclude)
    picked = memory.retrieve([example], exclude)[0] if memory is not None else []
    with evaluating(model):
        out = model.attention(devices.to_device(batch, devices.model_device(model)))
    scores = out["scores"][0].detach().float().cpu()  # [C]
    gold = int(batch.gold[0])
    rank = int(gold_rank(scores.view(1, -1), batch.gold.view(1))[0])
    values = scores.tolist()
    # Best first; among equal scores the gold comes last, as gold_rank counts ties.
    order = sorted(range(len(values)), key=lambda j: (-values[j], j == gold, j))
    persona = list(example.persona)
    key_weights = out["keys"][0].detach().float().cpu().tolist() if "keys" in out else []
    return TurnView(
        model=type(model).__name__, dialogue=int(example.dialogue), turn=int(example.turn),
        query=example.query, context=context_text(example, model.history), persona=persona,
        persona_weights=out["persona"][0, :len(persona)].detach().float().cpu().tolist(),
        keys=[memory.keys[j] for j in picked] if memory is not None else [],
        values=[memory.values[j] for j in picked] if memory is not None else [],
        key_weights=key_weights[:len(picked)],
        candidates=[example.candidates[j] for j in order], scores=[values[j] for j in order],
        order=order, label=example.label, gold=gold, gold_rank=rank, hit=rank == 1)
