"""Offline persona dialogues in the Persona-Chat format, generated for this course (ch. 09).

Provenance: every sentence below (topics, questions, facts, replies, rephrased facts) was
written for this course in the style of Persona-Chat (Zhang et al., ACL 2018: lower-case,
tokens separated by spaces, facts such as ``i like to ski.``); no text is taken from
Persona-Chat. A NumPy ``Generator`` seeded with ``seed`` draws everything, so a seed gives the
same dialogues on any machine.

The bank: 30 topics, each with two partner questions sharing a topic word and four mutually
exclusive facts. A fact has its original wording, a **revised** wording that shares no content
word with the original or its replies, and two replies that state it in other words sharing
content words with the original (at least one of them also repeats the topic word of each
question). A dialogue:

- your persona: 4-5 facts on distinct topics; the partner's persona: 4-5 facts on other topics;
- 4-7 turns (fewer than the maximum when every fact has been asked): a greeting first in half
  of the dialogues, then mostly a question about the topic of one of your facts (gold reply:
  one of that fact's replies, one that repeats the question's topic word), sometimes a
  follow-up ("tell me more .", gold: the fact's other reply, so the history helps) or
  chit-chat (gold independent of any fact); the partner sometimes opens its question by
  stating one of its own facts;
- candidates: 19 distractors then the gold (last, as in ParlAI's files). On a fact turn,
  ``own_facts`` distractors (3) are replies of your OTHER persona facts, so the persona alone
  does not single out the gold; a fraction ``same_topic`` of the rest are replies of the gold's
  topic from other dialogues (the topic's other facts: only the persona tells them apart); the
  others are drawn at random from the replies of the other dialogues. On a chit-chat turn the
  other replies of the same kind are always among the distractors. Never the asked fact's
  other reply or a reply given earlier in this dialogue. Too small a call (no other dialogues
  to draw from) falls back to the bank's replies.

What a ranker can do. Without a persona it can find the topic from the question but not the
fact: about 1 in 7 on fact turns (the gold and the topic's other facts' replies). With the
persona but without the question it can find your facts but not which one is asked: about 1
in 4. Only the question and the persona together single out the gold. With the original
persona word overlap (tf-idf) does much of this; with the revised one it no longer does, and
only a model that learned which words go together (the memory networks) still can. Chit-chat
turns (about a fifth of the turns) depend on no fact: any ranker can find the kind from the
question, none can tell the 2-3 replies of that kind apart (1 in 2 or 3 at best, with or
without a persona).
"""

from __future__ import annotations

import dataclasses
import os
from itertools import islice
from pathlib import Path

import numpy as np

from .._validate import (
    check_bool,
    check_choice,
    check_path,
    check_positive_int,
    check_probability,
)
from ._persona_bank import BANK as _BANK
from ._persona_bank import CHITCHAT as _CHITCHAT
from ._persona_bank import FOLLOW_UPS as _FOLLOW_UPS
from .dialogue import (
    PERSONA_VARIANTS,
    SPLITS,
    Dialogue,
    Turn,
    iter_dialogues,
    read_dialogues,
    write_dialogues,
)

DEFAULT_COUNTS = {"train": 2000, "valid": 250, "test": 250}



def _sentence(text: str) -> str:
    """An utterance in Persona-Chat style: words and punctuation separated by spaces."""
    return text if text.endswith((".", "?", "!")) else text + " ."


def _parse_bank() -> tuple[list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]], int]:
    """Topics as (name, questions, facts); each fact is (original, revised, reply, reply)."""
    topics: list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]] = []
    for line in _BANK.strip().splitlines():
        parts = tuple(part.strip() for part in line.lstrip("= ").split("|"))
        if line.startswith("="):
            topics.append((parts[0], tuple(_sentence(q) for q in parts[1:]), []))
        elif line.startswith(" "):  # the replies of the fact above
            facts = topics[-1][2]
            facts[-1] = facts[-1] + tuple(_sentence(r) for r in parts)
        else:
            topics[-1][2].append(parts[:2] + tuple(_sentence(r) for r in parts[2:]))
    return topics, sum(len(facts) for _, _, facts in topics)


_TOPICS, _NUM_FACTS = _parse_bank()
_FACTS = [fact for _, _, facts in _TOPICS for fact in facts]          # fact id -> fact
_FACT_TOPIC = [t for t, (_, _, facts) in enumerate(_TOPICS) for _ in facts]
_TOPIC_SIZE = np.array([len(facts) for _, _, facts in _TOPICS])
_FIRST_FACT = np.cumsum(_TOPIC_SIZE) - _TOPIC_SIZE                   # topic -> first fact id
_CHIT_TOPIC = len(_TOPICS)                                           # chit-chat's pseudo-topic
_CHIT_KEY = {kind: _NUM_FACTS + k for k, kind in enumerate(_CHITCHAT)}


# Words of the partner's questions that say nothing about the topic.
_QUESTION_STOP = frozenset("""a about an any anything are best big can did do doing early for go
good have in is kind like me much of on other tell the to up what when where which with you
your ?""".split())


def _answers(question: str, fact: int) -> tuple[str, ...]:
    """The fact's replies that repeat a topic word of ``question`` (all when none does)."""
    words = set(question.split()) - _QUESTION_STOP
    echo = tuple(reply for reply in _FACTS[fact][2:] if words & set(reply.split()))
    return echo or tuple(_FACTS[fact][2:])


def _bank_replies() -> list[tuple[str, int, int]]:
    """Every reply of the bank as (text, key, topic); key = fact id or chit-chat kind."""
    replies = [(reply, f, _FACT_TOPIC[f]) for f, fact in enumerate(_FACTS)
               for reply in fact[2:]]
    return replies + [(reply, _CHIT_KEY[kind], _CHIT_TOPIC)
                      for kind, (_, answers) in _CHITCHAT.items() for reply in answers]


def _draw_dialogue(rng: np.random.Generator, persona_size: tuple[int, int],
                   turns: tuple[int, int], greeting: float, follow_up: float, chit_chat: float,
                   partner_share: float) -> tuple[list[int], list[int], list[tuple[str, str, int]]]:
    """Fact ids of your persona and the partner's, and the turns as (query, gold, key)."""
    mine = int(rng.integers(persona_size[0], persona_size[1] + 1))
    theirs = int(rng.integers(persona_size[0], persona_size[1] + 1))
    order = rng.permutation(len(_TOPICS))[:mine + theirs]  # distinct topics
    facts = (_FIRST_FACT[order] + rng.integers(0, _TOPIC_SIZE[order])).tolist()
    yours, partners = facts[:mine], facts[mine:mine + theirs]
    length = int(rng.integers(turns[0], turns[1] + 1))
    result = []
    if rng.random() < greeting:
        questions, answers = _CHITCHAT["greeting"]
        result.append((questions[rng.integers(len(questions))],
                       answers[rng.integers(len(answers))], _CHIT_KEY["greeting"]))
    to_ask = [yours[k] for k in rng.permutation(mine)]
    shared = 0
    previous = None  # (fact id, gold) of the previous turn when it was a fact turn
    while len(result) < length:
        if not to_ask and len(result) >= turns[0]:
            break  # every fact asked: end rather than pad with chit-chat
        draw = rng.random()
        if previous is not None and draw < follow_up:
            fact, gold = previous
            other = [reply for reply in _FACTS[fact][2:] if reply != gold][0]
            result.append((_FOLLOW_UPS[rng.integers(len(_FOLLOW_UPS))], other, fact))
            previous = None
        elif not to_ask or draw < follow_up + chit_chat:
            kind = ("activity", "weather")[rng.integers(2)]
            questions, answers = _CHITCHAT[kind]
            result.append((questions[rng.integers(len(questions))],
                           answers[rng.integers(len(answers))], _CHIT_KEY[kind]))
            previous = None
        else:
            fact = to_ask.pop()
            questions = _TOPICS[_FACT_TOPIC[fact]][1]
            query = question = questions[rng.integers(len(questions))]
            if shared < len(partners) and rng.random() < partner_share:
                query = f"{_sentence(_FACTS[partners[shared]][0])} {question}"
                shared += 1
            answers = _answers(question, fact)
            gold = answers[rng.integers(len(answers))]
            result.append((query, gold, fact))
            previous = (fact, gold)
    return yours, partners, result


class _Pool:
    """Replies to draw distractors from: texts, their keys and topics, indices by topic."""

    def __init__(self, replies: list[tuple[str, int, int]]) -> None:
        self.texts = [text for text, _, _ in replies]
        self.keys = [key for _, key, _ in replies]
        self.by_topic: dict[int, list[int]] = {}
        for i, (_, _, topic) in enumerate(replies):
            self.by_topic.setdefault(topic, []).append(i)

    def draw(self, rng: np.random.Generator, topic: int, same: int, total: int,
             banned_keys: set[int], banned_texts: set[str]) -> list[str] | None:
        """``total`` distinct allowed texts, ``same`` of them (at most) from ``topic``;
        None when the pool has too few."""
        def allowed(i: int) -> bool:
            return self.keys[i] not in banned_keys and self.texts[i] not in banned_texts

        near = [i for i in self.by_topic.get(topic, []) if allowed(i)]
        chosen = [near[k] for k in rng.permutation(len(near))[:same]] if same else []
        taken = set(chosen)
        for i in rng.integers(len(self.texts), size=3 * total).tolist():  # rejection sampling
            if len(chosen) == total:
                break
            if i not in taken and allowed(i):
                chosen.append(i)
                taken.add(i)
        if len(chosen) < total:  # rare: an exhaustive draw
            rest = [i for i in range(len(self.texts)) if i not in taken and allowed(i)]
            if len(rest) < total - len(chosen):
                return None
            chosen += [rest[k] for k in rng.permutation(len(rest))[:total - len(chosen)]]
        return [self.texts[i] for i in chosen]


def _forced(rng: np.random.Generator, key: int, yours: list[int], own_facts: int,
            given: set[str]) -> list[str]:
    """The distractors every turn gets whatever the pool: on a fact turn, one reply of each of
    ``own_facts`` other facts of your persona; on a chit-chat turn, the other replies of the
    gold's kind. Never a reply in ``given`` (the gold and the replies given before it)."""
    if key >= _NUM_FACTS:
        kind = list(_CHITCHAT)[key - _NUM_FACTS]
        return [reply for reply in _CHITCHAT[kind][1] if reply not in given]
    chosen = []
    for fact in [yours[k] for k in rng.permutation(len(yours))]:
        if len(chosen) == own_facts:
            break
        replies = [reply for reply in _FACTS[fact][2:] if reply not in given]
        if fact != key and replies:
            chosen.append(replies[rng.integers(len(replies))])
    return chosen


def _check_range(value: object, name: str, low: int, high: int) -> tuple[int, int]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{name}: expected a pair (min, max) of ints, got "
                        f"{type(value).__name__}")
    first = check_positive_int(value[0], f"{name}[0]", minimum=low)
    last = check_positive_int(value[1], f"{name}[1]", minimum=first)
    if last > high:
        raise ValueError(f"{name}: expected at most {high}, got {last}")
    return first, last


def generate_dialogues(count: int, *, revised: bool = False, seed: int = 0,
                       persona_size: tuple[int, int] = (4, 5), turns: tuple[int, int] = (4, 7),
                       candidates: int = 20, same_topic: float = 0.5, own_facts: int = 3,
                       greeting: float = 0.5, follow_up: float = 0.15, chit_chat: float = 0.1,
                       partner_share: float = 0.3) -> list[Dialogue]:
    """``count`` persona dialogues with both personas, in ParlAI's Persona-Chat shape.

    See the module docstring for the design. The same ``seed`` gives the same dialogues,
    turns and candidates for ``revised=False`` and ``revised=True``: only the persona facts
    are rephrased.

    Args:
        count: number of dialogues (>= 1).
        revised: rephrase the persona facts (Persona-Chat's "revised" files).
        seed: seed (>= 0) of the one NumPy generator that draws everything.
        persona_size: (min, max) facts per persona, within 1..15 (two personas need
            distinct topics out of 30).
        turns: (min, max) turns per dialogue, within 1..20.
        candidates: candidates per turn, gold included and last (>= 2).
        same_topic: fraction of the distractors taken from the gold's topic when it has
            enough (at most 6 for a fact's reply).
        own_facts: on a fact turn, how many distractors are replies of your other persona
            facts (>= 0; fewer when the persona has fewer facts left to use).
        greeting: probability that a dialogue opens with a greeting turn.
        follow_up, chit_chat: probability that a turn after a fact turn is a follow-up, and
            that a turn is chit-chat; their sum at most 1.
        partner_share: probability that the partner states one of its facts before a question.
    Returns:
        a list of :class:`~graphcourse.data.dialogue.Dialogue`.
    """
    count = check_positive_int(count, "count")
    revised = check_bool(revised, "revised")
    seed = check_positive_int(seed, "seed", minimum=0)
    persona_size = _check_range(persona_size, "persona_size", 1, len(_TOPICS) // 2)
    turns = _check_range(turns, "turns", 1, 20)
    candidates = check_positive_int(candidates, "candidates", minimum=2)
    same_topic = check_probability(same_topic, "same_topic", inclusive_high=True)
    own_facts = check_positive_int(own_facts, "own_facts", minimum=0)
    if own_facts > candidates - 1:
        raise ValueError(f"own_facts: expected at most candidates - 1 = {candidates - 1}, "
                         f"got {own_facts}")
    greeting = check_probability(greeting, "greeting", inclusive_high=True)
    follow_up = check_probability(follow_up, "follow_up", inclusive_high=True)
    chit_chat = check_probability(chit_chat, "chit_chat", inclusive_high=True)
    if follow_up + chit_chat > 1:
        raise ValueError(f"follow_up, chit_chat: expected a sum <= 1, got "
                         f"{follow_up + chit_chat}")
    partner_share = check_probability(partner_share, "partner_share", inclusive_high=True)
    rng = np.random.default_rng(seed)
    drawn = [_draw_dialogue(rng, persona_size, turns, greeting, follow_up, chit_chat,
                            partner_share) for _ in range(count)]
    seen: dict[str, tuple[str, int, int]] = {}
    for _, _, dialogue_turns in drawn:
        for _, gold, key in dialogue_turns:
            topic = _FACT_TOPIC[key] if key < _NUM_FACTS else _CHIT_TOPIC
            seen.setdefault(gold, (gold, key, topic))
    split_pool, bank_pool = _Pool(list(seen.values())), None
    dialogues = []
    for yours, partners, dialogue_turns in drawn:
        given: set[str] = set()  # the replies of this dialogue up to the current turn
        made = []
        for query, gold, key in dialogue_turns:
            given.add(gold)
            forced = _forced(rng, key, yours, own_facts, given)[:candidates - 1]
            rest = candidates - 1 - len(forced)
            topic = _CHIT_TOPIC if key >= _NUM_FACTS else _FACT_TOPIC[key]
            same = min(int(same_topic * (candidates - 1) + 0.5), rest)
            args = (rng, topic, same, rest, {key}, given | set(forced))
            drawn_texts = split_pool.draw(*args)
            if drawn_texts is None:  # too few other dialogues: use the whole bank
                bank_pool = bank_pool or _Pool(_bank_replies())
                drawn_texts = bank_pool.draw(*args)
            if drawn_texts is None:
                raise ValueError(f"candidates: the bank has too few replies for "
                                 f"{candidates} candidates; use fewer")
            distractors = forced + drawn_texts
            order = rng.permutation(len(distractors)).tolist()
            made.append(Turn(query, gold, tuple(distractors[k] for k in order) + (gold,)))
        column = 1 if revised else 0
        dialogues.append(Dialogue(tuple(_FACTS[f][column] + "." for f in yours),
                                  tuple(_FACTS[f][column] + "." for f in partners),
                                  tuple(made)))
    return dialogues


def _split_seed(seed: int, split: str) -> int:
    """Disjoint seeds for every (seed, split): 3 * seed + the split's index."""
    return 3 * seed + SPLITS.index(split)


def _with_variant(dialogues: list[Dialogue], variant: str) -> list[Dialogue]:
    """Keep the persona lines that ``variant`` ("none_*", "self_*", ...) carries."""
    side = variant.split("_")[0]
    keep_yours, keep_partners = side in ("self", "both"), side in ("other", "both")
    return [dataclasses.replace(d, your_persona=d.your_persona if keep_yours else (),
                                partner_persona=d.partner_persona if keep_partners else ())
            for d in dialogues]


def persona_dialogues(split: str = "train", variant: str = "self_original", *,
                      folder: str | os.PathLike | None = None, count: int | None = None,
                      seed: int = 0) -> list[Dialogue]:
    """The dialogues of one split and variant: generated, or read from ParlAI's files.

    ``folder=None``: generated with :func:`generate_dialogues` (``count`` defaults to
    ``DEFAULT_COUNTS[split]``: 2000 / 250 / 250); train, valid and test use disjoint seeds
    (``3 * seed + 0, 1, 2``). ``variant`` (one of ``PERSONA_VARIANTS``) picks the persona lines
    kept ("none_*": none, "self_*": yours, "other_*": the partner's, "both_*": both) and
    whether they are revised. ``folder`` given: the file ``{folder}/{split}_{variant}.txt``
    (real Persona-Chat / ConvAI2) read with :func:`~graphcourse.data.dialogue.read_dialogues`,
    its first ``count`` dialogues when ``count`` is given.
    """
    split = check_choice(split, "split", SPLITS)
    variant = check_choice(variant, "variant", PERSONA_VARIANTS)
    if count is not None:
        count = check_positive_int(count, "count")
    seed = check_positive_int(seed, "seed", minimum=0)
    if folder is None:
        dialogues = generate_dialogues(DEFAULT_COUNTS[split] if count is None else count,
                                       revised=variant.endswith("revised"),
                                       seed=_split_seed(seed, split))
        return _with_variant(dialogues, variant)
    folder = check_path(folder, "folder")
    path = folder / f"{split}_{variant}.txt"
    if not path.is_file():
        present = sorted(p.name for p in folder.glob("*.txt")) if folder.is_dir() else []
        raise FileNotFoundError(f"folder: no file {path.name} in {folder} (present: "
                                f"{', '.join(present) or 'no .txt file'})")
    if count is None:
        return read_dialogues(path)
    return list(islice(iter_dialogues(path), count))


def write_persona_folder(folder: str | os.PathLike, *, train: int, valid: int, test: int,
                         seed: int = 0) -> dict[tuple[str, str], Path]:
    """Write generated dialogues as every file of ParlAI's Persona-Chat folder.

    ``{train,valid,test}_{variant}.txt`` for the 7 variants of ``PERSONA_VARIANTS`` (21 files),
    with ``train``/``valid``/``test`` dialogues each, the same dialogues as
    :func:`persona_dialogues` gives for that ``seed``. The folder is created if needed.

    Returns:
        ``{(split, variant): path}`` as :func:`~graphcourse.data.dialogue.persona_chat_files`.
    """
    folder = check_path(folder, "folder")
    counts = {split: check_positive_int(value, split)
              for split, value in (("train", train), ("valid", valid), ("test", test))}
    seed = check_positive_int(seed, "seed", minimum=0)
    written = {}
    for split, count in counts.items():
        versions = {revised: generate_dialogues(count, revised=revised,
                                                seed=_split_seed(seed, split))
                    for revised in (False, True)}
        for variant in PERSONA_VARIANTS:
            side = variant.split("_")[0]
            path = folder / f"{split}_{variant}.txt"
            written[(split, variant)] = write_dialogues(
                versions[variant.endswith("revised")], path,
                persona="none" if side == "none" else side)
    return written
