"""Words for the dialogue rankers of chapter 09: normalising, tokenising, a vocabulary and the
bags of words that ``torch.nn.EmbeddingBag`` reads.

- ``normalize``: lower-case and ``"n't"`` -> ``" not"``, as ParlAI's key-value memory network
  parses every text (``projects/personachat/kvmemnn``).
- ``tokenize``: the words and punctuation marks of the normalised text (``\\w+`` or one
  mark, the pattern of ParlAI's default ``re`` tokenizer).
- ``Vocabulary``: word <-> id, built from training texts with a minimum count; id 0 is
  ``<unk>``, the id of every word it does not know (an unknown word is not an error).
- ``bag_of_words``: T texts as one flat id tensor and T offsets, the input of
  ``EmbeddingBag(ids, offsets)``; an empty text is an empty bag. ``pack_bags`` does the
  same for bags already encoded (lists of ids).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import torch
from torch import Tensor

from .._validate import check_instance, check_positive_int

UNK = "<unk>"
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _check_text(text: object, name: str = "text") -> str:
    return check_instance(text, name, str, "a str",
                          "pass one utterance; for several use a list and a loop"
                          if isinstance(text, (list, tuple)) else "")


def normalize(text: str) -> str:
    """``text`` lower-cased with ``"n't"`` replaced by ``" not"``: ``"I don't"`` ->
    ``"i do not"`` (ParlAI's kvmemnn ``parse``). Contractions then share the word ``not``."""
    return _check_text(text).lower().replace("n't", " not")


def tokenize(text: str) -> list[str]:
    """The tokens of ``normalize(text)``: runs of letters, digits and ``_``, and each other
    non-space character on its own. ``"Hi, I can't!"`` -> ``['hi', ',', 'i', 'ca', 'not',
    '!']``."""
    return _TOKEN.findall(normalize(text))


def _check_texts(texts: object, name: str = "texts") -> list[str]:
    if isinstance(texts, str) or not isinstance(texts, Iterable):
        raise TypeError(f"{name}: expected a list of strings, got {type(texts).__name__}"
                        + ("; wrap one text in a list: [text]" if isinstance(texts, str) else ""))
    texts = list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"{name}: expected a list of strings, item {i} is "
                            f"{type(text).__name__}")
    return texts


class Vocabulary:
    """Word ids for bags of words: ``<unk>`` is id 0, then the words seen at least
    ``min_count`` times, the most frequent first (ties in alphabetical order, so the same
    texts always give the same ids).

    ``Vocabulary.build(texts, min_count=1)`` builds one; ``encode(text)`` gives the ids of
    ``tokenize(text)`` (``<unk>``'s id 0 for a word not in the vocabulary); ``len(vocab)``
    counts ``<unk>`` too; ``vocab.words[i]`` is the word of id i.
    """

    def __init__(self, words: Iterable[str]) -> None:
        words = _check_texts(words, "words")
        if UNK in words:
            raise ValueError(f"words: {UNK!r} is added as id 0; leave it out")
        if len(set(words)) != len(words):
            raise ValueError("words: expected distinct words, found a repeated one")
        self.words: list[str] = [UNK, *words]
        self.index: dict[str, int] = {word: i for i, word in enumerate(self.words)}

    @classmethod
    def build(cls, texts: Iterable[str], min_count: int = 1) -> Vocabulary:
        """The vocabulary of the words occurring at least ``min_count`` times in ``texts``."""
        texts = _check_texts(texts)
        min_count = check_positive_int(min_count, "min_count")
        counts = Counter(token for text in texts for token in tokenize(text))
        kept = sorted((w for w, c in counts.items() if c >= min_count),
                      key=lambda w: (-counts[w], w))
        return cls(kept)

    def encode(self, text: str) -> list[int]:
        """The ids of the tokens of ``text``; a word the vocabulary lacks gets id 0 (<unk>)."""
        return [self.index.get(token, 0) for token in tokenize(text)]

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __repr__(self) -> str:
        shown = ", ".join(self.words[1:6])
        more = ", ..." if len(self.words) > 6 else ""
        return f"Vocabulary({len(self)} words: <unk>, {shown}{more})"


def bag_of_words(texts: Iterable[str], vocab: Vocabulary) -> tuple[Tensor, Tensor]:
    """Bags of words for ``torch.nn.EmbeddingBag``: the ids of every text, one after the
    other, and where each text's ids start.

    Returns ``ids`` [total] (long) and ``offsets`` [T] (long, ``offsets[0] = 0``); bag t is
    ``ids[offsets[t]:offsets[t + 1]]`` and may be empty. ``EmbeddingBag(mode="mean")(ids,
    offsets)`` then gives the mean embedding of each text, [T, D] (zeros for an empty one).
    """
    texts = _check_texts(texts)
    check_instance(vocab, "vocab", Vocabulary, "a Vocabulary", "build one with "
                   "Vocabulary.build(training_texts)")
    return pack_bags([vocab.encode(text) for text in texts])


def pack_bags(bags: Iterable[Iterable[int]]) -> tuple[Tensor, Tensor]:
    """T bags of word ids (lists of ints) as ``EmbeddingBag``'s ``(ids, offsets)``.

    ``ids`` [total] (long) is the bags one after the other; ``offsets`` [T] (long) where each
    starts: ``offsets[0] = 0``, ``offsets[t] = len(bag_0) + ... + len(bag_{t-1})``. Empty bags
    are allowed (two equal offsets). :func:`bag_of_words` is ``pack_bags`` of the encoded texts.
    """
    if isinstance(bags, (str, bytes)) or not isinstance(bags, Iterable):
        raise TypeError(f"bags: expected a list of lists of word ids, got {type(bags).__name__}")
    bags = [list(b) if isinstance(b, (list, tuple)) else b for b in bags]
    for t, bag in enumerate(bags):
        if not isinstance(bag, list):
            raise TypeError(f"bags: expected a list of lists of word ids, item {t} is "
                            f"{type(bag).__name__}"
                            + ("; wrap one bag in a list: [ids]" if isinstance(bag, int) else ""))
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in bag):
            raise TypeError(f"bags: item {t}: expected int word ids (Vocabulary.encode)")
        if bag and min(bag) < 0:
            raise ValueError(f"bags: item {t}: expected word ids >= 0, got {min(bag)}")
    lengths = torch.tensor([len(b) for b in bags], dtype=torch.long)  # [T]
    offsets = torch.zeros(len(bags), dtype=torch.long)  # [T]
    if len(bags) > 1:
        offsets[1:] = torch.cumsum(lengths, 0)[:-1]
    ids = torch.tensor([i for b in bags for i in b], dtype=torch.long)  # [total]
    return ids, offsets
