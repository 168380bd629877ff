"""tf-idf for chapter 09: the IR baseline ranker and the retrieval of key-value memories.

- ``TfidfRanker``: the IR baseline of Zhang et al. (ACL 2018), "Personalizing Dialogue
  Agents": each candidate c is scored by the tf-idf weighted cosine between its bag of words
  and the query's, ``score(c) = tfidf(x)·tfidf(c) / (||tfidf(x)|| ||tfidf(c)||)``, where x is
  the partner's last utterance (optionally after the last ``history`` earlier utterances)
  and, with ``use_persona``, the persona's sentences too: the paper adds the profile to the
  query's bag of words. The tf-idf weights are scikit-learn's ``TfidfVectorizer`` (smoothed
  idf, l2 normalisation) fitted on the training texts with :func:`~.text.tokenize`.
- ``KeyValueMemory``: the (dialogue history -> next utterance) pairs of a training set, the
  keys and values of the key-value profile memory network, with a tf-idf search for the M
  pairs whose history is most like a given one (see :class:`KeyValueMemory`).

Examples are ``RankingExample``s (``graphcourse.data.dialogue``) or any object with their
fields: ``persona``, ``history``, ``query``, ``label``, ``candidates``, ``dialogue``, ``turn``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import torch
from torch import Tensor

from .._validate import check_bool, check_positive_int
from .text import tokenize

FIELDS = ("persona", "history", "query", "label", "candidates", "dialogue", "turn")


def _string_tuple(value: Any, name: str, i: int, field: str) -> None:
    """Raise unless ``value`` is a tuple or list of str (a lone str would be read character by
    character)."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{name}: item {i}: expected {field} as a tuple (or list) of str, got "
                        f"{type(value).__name__}"
                        + ("; wrap one sentence in a tuple: (text,)" if isinstance(value, str)
                           else ""))
    for k, item in enumerate(value):
        if not isinstance(item, str):
            raise TypeError(f"{name}: item {i}: {field}[{k}]: expected a str, got "
                            f"{type(item).__name__}")


def check_examples(examples: Any, name: str = "examples", *, candidates: bool = False,
                   allow_empty: bool = False) -> list[Any]:
    """``examples`` as a list of B RankingExample-like objects, or a TypeError/ValueError
    naming ``name``.

    Each item needs the fields of ``RankingExample``, str ``query`` and ``label``, and
    ``persona`` and ``history`` as tuples (or lists) of str. With ``candidates``, every item
    holds the same number C >= 1 of str candidates, its label among them (what a [B, C] score
    grid needs). ``allow_empty`` accepts B = 0.
    """
    if isinstance(examples, (str, bytes)) or not isinstance(examples, Iterable) or all(
            hasattr(examples, f) for f in FIELDS):
        raise TypeError(f"{name}: expected a list of RankingExample, got "
                        f"{type(examples).__name__}"
                        + ("; wrap one example in a list" if hasattr(examples, "query") else ""))
    examples = list(examples)
    if not examples and not allow_empty:
        raise ValueError(f"{name}: expected at least one example, got an empty list")
    for i, example in enumerate(examples):
        missing = [f for f in FIELDS if not hasattr(example, f)]
        if missing:
            raise TypeError(f"{name}: expected RankingExample objects (from "
                            f"data.dialogue.ranking_examples), item {i} is "
                            f"{type(example).__name__} without {', '.join(missing)}")
        if not isinstance(example.query, str) or not isinstance(example.label, str):
            raise TypeError(f"{name}: item {i}: expected str query and label")
        _string_tuple(example.persona, name, i, "persona")
        _string_tuple(example.history, name, i, "history")
    if candidates and examples:
        count = len(examples[0].candidates)
        if count == 0:
            raise ValueError(f"{name}: the examples have no candidates; read the files with "
                             f"candidates=True")
        for i, example in enumerate(examples):
            _string_tuple(example.candidates, name, i, "candidates")
            if len(example.candidates) != count:
                raise ValueError(f"{name}: expected the same number of candidates in every "
                                 f"example, item 0 has {count}, item {i} has "
                                 f"{len(example.candidates)}")
            if example.label not in example.candidates:
                raise ValueError(f"{name}: item {i}: the label is not among its candidates "
                                 f"(read the files with candidates=True)")
    return examples


def dialogue_key(example: Any) -> tuple:
    """What identifies the dialogue an example comes from when excluding it from retrieval:
    ``(example.dialogue, its first utterance, its persona)``.

    ``RankingExample.dialogue`` alone is not enough: it restarts at 0 with every
    ``ranking_examples`` call, so examples concatenated from several files share indices.
    The dialogue's first utterance (``history[0]``, or the query at turn 0) and the persona
    are the same for every turn of one dialogue and tell apart dialogues of equal index.
    """
    if not all(hasattr(example, f) for f in ("dialogue", "history", "query", "persona")):
        raise TypeError(f"example: expected a RankingExample, got {type(example).__name__}")
    first = example.history[0] if len(example.history) else example.query
    return (int(example.dialogue), first, tuple(example.persona))


def context_text(example: Any, history: int = 0) -> str:
    """The input text of ``example``: its last ``history`` earlier utterances, then the
    query, joined by spaces (``history=1`` adds one's own previous reply, as ParlAI's
    kvmemnn does)."""
    history = check_positive_int(history, "history", minimum=0)
    earlier = tuple(example.history[-history:]) if history else ()
    return " ".join((*earlier, example.query))


def gold_index(examples: Iterable[Any]) -> Tensor:
    """The index of each example's label among its candidates, [B] long (the last one, 19,
    in the Persona-Chat files)."""
    examples = check_examples(examples, candidates=True)
    return torch.tensor([list(e.candidates).index(e.label) for e in examples], dtype=torch.long)


def _vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=tokenize)  # our tokens; smooth idf, l2 rows (defaults)


class TfidfRanker:
    """The IR baseline: rank candidates by tf-idf weighted cosine with the query.

    Args:
        use_persona: add the persona's sentences to the query's bag of words (the paper's way
            of giving the IR baseline a profile). Examples from the "none" files have none.
        history: how many earlier utterances of the dialogue to add to the query (0: the
            partner's last utterance only).
    ``fit(train_examples)`` learns the idf from the training texts (queries, labels, persona
    sentences, each distinct text once); ``score(examples)`` returns [B, C] cosines in [0, 1].
    """

    def __init__(self, use_persona: bool = True, history: int = 0) -> None:
        self.use_persona = check_bool(use_persona, "use_persona")
        self.history = check_positive_int(history, "history", minimum=0)
        self.vectorizer = None

    def fit(self, examples: Iterable[Any]) -> TfidfRanker:
        examples = check_examples(examples)
        texts = dict.fromkeys(t for e in examples for t in (e.query, e.label, *e.persona))
        self.vectorizer = _vectorizer().fit(list(texts))
        return self

    def _query(self, example: Any) -> str:
        text = context_text(example, self.history)
        return " ".join((text, *example.persona)) if self.use_persona else text

    def score(self, examples: Iterable[Any]) -> Tensor:
        """tf-idf cosine of each example's query with each of its C candidates: [B, C]."""
        if self.vectorizer is None:
            raise RuntimeError("TfidfRanker: not fitted; call fit(train_examples) first")
        examples = check_examples(examples, candidates=True)
        count = len(examples[0].candidates)
        queries = self.vectorizer.transform([self._query(e) for e in examples])  # [B, V]
        cands = self.vectorizer.transform([c for e in examples for c in e.candidates])
        rows = np.repeat(np.arange(len(examples)), count)  # [B*C] the query of each candidate
        cosine = np.asarray(queries[rows].multiply(cands).sum(axis=1)).reshape(-1, count)
        return torch.from_numpy(cosine).float()  # [B, C]

    def __repr__(self) -> str:
        fitted = "fitted" if self.vectorizer is not None else "not fitted"
        return (f"{type(self).__name__}(use_persona={self.use_persona}, "
                f"history={self.history}, {fitted})")


class KeyValueMemory:
    """The key-value memories of the KV profile memory network: every training pair
    (key = the dialogue history before a reply, value = that reply).

    Zhang et al. take the keys and values from the training set; attending over all of them
    for every query is too slow for a course, so each query attends over only the M pairs
    whose key is most similar to its own history by tf-idf cosine (our retrieval step; ParlAI's
    differs, see below). A training example must never retrieve pairs of its
    own dialogue (``exclude_own_dialogue=True``): its own pair has its history as the key and
    its label as the value, which gives the answer away. ``train_ranker`` sets it; pass
    ``exclude_own_dialogue=True`` to ``evaluate_ranker`` too when evaluating on the memory's
    own training examples, or the scores are inflated by that leak. A dialogue is recognised
    by :func:`dialogue_key` (its index, first utterance and persona), so examples
    concatenated from several ``ranking_examples`` calls, whose indices restart at 0, are
    still told apart.

    ParlAI's kvmemnn chooses its memories differently: its second hop takes a shortlist of
    the stored training (history, reply) pairs by cosine of the learned embeddings (the top
    100, of which the next utterances of the top 10 are used) and blends the resulting
    scores with the first hop's with weight 0.1. Our shortlist is by tf-idf, fixed before
    training, and the blend is :class:`~.memnet.KVProfileMemoryRanker`'s weight ``gamma``.

    Args:
        examples: the training examples the pairs come from.
        size: M, the memories retrieved per query.
        history: earlier utterances in a key (and in the history a query is matched with).
    """

    def __init__(self, examples: Iterable[Any], size: int = 5, history: int = 1) -> None:
        examples = check_examples(examples)
        self.size = check_positive_int(size, "size")
        self.history = check_positive_int(history, "history", minimum=0)
        self.keys = [context_text(e, self.history) for e in examples]
        self.values = [e.label for e in examples]
        self.dialogues = np.array([int(e.dialogue) for e in examples])
        self._ids: dict[tuple, int] = {}  # dialogue_key -> a number, for the exclusion
        self._dialogue_ids = np.array([self._ids.setdefault(dialogue_key(e), len(self._ids))
                                       for e in examples])
        self.vectorizer = _vectorizer().fit(self.keys)
        self.matrix = self.vectorizer.transform(self.keys)  # [N, V]

    def __len__(self) -> int:
        return len(self.keys)

    def retrieve(self, examples: Iterable[Any], exclude_own_dialogue: bool = False,
                 chunk: int = 256) -> list[list[int]]:
        """For each example, the indices of its M most similar keys, best first (fewer if
        the memory has fewer pairs outside the example's dialogue). With
        ``exclude_own_dialogue``, no pair of a dialogue with the example's
        :func:`dialogue_key` is returned."""
        examples = check_examples(examples, allow_empty=True)
        exclude = check_bool(exclude_own_dialogue, "exclude_own_dialogue")
        chunk = check_positive_int(chunk, "chunk")
        out: list[list[int]] = []
        for start in range(0, len(examples), chunk):
            part = examples[start:start + chunk]
            query = self.vectorizer.transform([context_text(e, self.history) for e in part])
            sims = (query @ self.matrix.T).toarray()  # [b, N]
            if exclude:
                own = np.array([self._ids.get(dialogue_key(e), -1) for e in part])  # [b]
                sims[own[:, None] == self._dialogue_ids[None, :]] = -np.inf
            m = min(self.size, sims.shape[1])
            top = np.argpartition(-sims, m - 1, axis=1)[:, :m]  # [b, m], unordered
            for row, idx in zip(sims, top):
                idx = sorted(idx.tolist(), key=lambda j: (-row[j], j))
                out.append([j for j in idx if row[j] > -np.inf])
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} pairs, size={self.size}, " \
               f"history={self.history})"

