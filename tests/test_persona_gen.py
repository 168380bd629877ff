"""Generated persona dialogues (graphcourse.data.persona_gen): determinism, the shape of
personas, turns and candidates, original against revised, the difficulty the chapter relies on
(tf-idf hits@1 computed here with scikit-learn), and the ParlAI folder round trip."""

import re

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from graphcourse.data import (
    PERSONA_VARIANTS,
    generate_dialogues,
    persona_chat_files,
    persona_dialogues,
    ranking_examples,
    read_dialogues,
    write_persona_folder,
)
from graphcourse.data.persona_gen import (
    _CHITCHAT,
    _FACT_TOPIC,
    _FACTS,
    _NUM_FACTS,
    _TOPICS,
    _bank_replies,
)


@pytest.fixture(scope="module")
def pair():
    """The same 300 dialogues, original and revised."""
    return generate_dialogues(300, seed=5), generate_dialogues(300, revised=True, seed=5)


def test_deterministic(pair):
    original, revised = pair
    assert generate_dialogues(300, seed=5) == original
    assert generate_dialogues(300, revised=True, seed=5) == revised
    assert generate_dialogues(300, seed=6) != original


def test_personas_and_turns(pair):
    for dialogue in pair[0]:
        assert 4 <= len(dialogue.your_persona) <= 5
        assert 4 <= len(dialogue.partner_persona) <= 5
        assert 4 <= len(dialogue.turns) <= 7
        facts = dialogue.your_persona + dialogue.partner_persona
        assert len(set(facts)) == len(facts) and all(f.endswith(".") for f in facts)
    # options change the shape
    short = generate_dialogues(20, seed=1, persona_size=(2, 2), turns=(3, 3))
    assert {(len(d.your_persona), len(d.partner_persona), len(d.turns)) for d in short} == {
        (2, 2, 3)}


def test_candidates(pair):
    for dialogue in pair[0]:
        for turn in dialogue.turns:
            assert len(turn.candidates) == 20
            assert turn.candidates[-1] == turn.label  # gold last, as in ParlAI's files
            assert len(set(turn.candidates)) == 20  # no duplicate, none equal to the gold
    for dialogue in pair[0]:
        for k, turn in enumerate(dialogue.turns):
            earlier = {t.label for t in dialogue.turns[:k]} - {turn.label}
            assert not earlier & set(turn.candidates)  # never a reply given before
    few = generate_dialogues(5, seed=2, candidates=5)
    assert {len(t.candidates) for d in few for t in d.turns} == {5}


def test_bank_is_consistent():
    """Every reply shares a content word with its original fact and, for each question of its
    topic, one reply repeats a word of it; a revised fact shares none with either."""
    texts = [text for text, _, _ in _bank_replies()]
    assert len(texts) == len(set(texts))  # a reply identifies its fact or chit-chat kind
    for _, questions, facts in _TOPICS:
        for original, revised, *replies in facts:
            assert all(_content(r) & _content(original) for r in replies), original
            assert not _content(revised) & _content(" ".join([original, *replies])), revised
            for question in questions:
                assert any(_content(r) & _content(question) for r in replies), (question, original)
    assert not re.search(r"kilometre|colour|favourite|neighbour|\bbike\b", str(_TOPICS))


def _keys(dialogues):
    """Per turn: the gold's key (fact id or chit-chat kind) and the distractors' keys."""
    key_of = {text: key for text, key, _ in _bank_replies()}
    return [(key_of[t.label], [key_of[c] for c in t.candidates[:-1]])
            for d in dialogues for t in d.turns]


def test_distractors_follow_the_design(pair):
    """Fact turns: replies of your other facts and of the gold's topic, never the asked fact;
    chit-chat turns: the other replies of the gold's kind."""
    fact_id = {fact[0] + ".": f for f, fact in enumerate(_FACTS)}
    same_topic, own, fact_turns, chit_turns, turns = 0, 0, 0, 0, 0
    for dialogue in pair[0]:
        yours = {fact_id[line] for line in dialogue.your_persona}
        for gold, keys in _keys([dialogue]):
            turns += 1
            if gold < _NUM_FACTS:
                assert gold not in keys  # never the asked fact's other reply
                assert gold in yours  # every fact turn is about one of your facts
                fact_turns += 1
                own += len(yours & set(keys)) >= 2  # the persona alone does not give the gold
                same_topic += sum(k < _NUM_FACTS and _FACT_TOPIC[k] == _FACT_TOPIC[gold]
                                  for k in keys)
            else:
                chit_turns += 1
                kind = list(_CHITCHAT)[gold - _NUM_FACTS]
                assert keys.count(gold) >= len(_CHITCHAT[kind][1]) - 2  # 1-2 of its kind
    assert own / fact_turns > 0.95  # fewer only when your other facts' replies were all given
    assert same_topic / fact_turns > 5  # 6 same-topic replies exist; 10 are asked for
    assert fact_turns > 0.7 * turns and 0.1 < chit_turns / turns < 0.3


def test_chit_chat_turns_offer_replies_of_the_same_kind(pair):
    greetings = set(_CHITCHAT["greeting"][1])
    seen = 0
    for dialogue in pair[0]:
        for turn in dialogue.turns:
            if turn.label in greetings:
                seen += 1
                others = greetings & set(turn.candidates[:-1])
                assert len(others) == 2  # the kind alone does not give the gold
    assert seen > 50


def test_own_facts_option():
    fact_id = {fact[0] + ".": f for f, fact in enumerate(_FACTS)}

    def own_per_fact_turn(own_facts):
        counts = [sum(k in {fact_id[p] for p in d.your_persona} for k in keys)
                  for d in generate_dialogues(100, seed=1, own_facts=own_facts)
                  for gold, keys in _keys([d]) if gold < _NUM_FACTS]
        return float(np.mean(counts))

    assert own_per_fact_turn(0) < 1 and own_per_fact_turn(4) > 3  # 3-4 other facts


def test_small_calls_fall_back_to_the_bank():
    """One dialogue has too few replies of its own: the distractors come from the bank."""
    (dialogue,) = generate_dialogues(1, seed=0, own_facts=0)
    labels = {t.label for t in dialogue.turns}
    bank = {text for text, _, _ in _bank_replies()}
    for turn in dialogue.turns:
        assert len(set(turn.candidates)) == 20
        assert set(turn.candidates) <= bank
        assert len(set(turn.candidates[:-1]) - labels) >= 19 - len(labels)


def _content(text):
    return {w for w in re.findall(r"[a-z0-9]+", text) if w not in ENGLISH_STOP_WORDS}


def _overlap(dialogues):
    """Fraction of gold replies sharing a content word with one of your persona lines."""
    shared = [bool(_content(turn.label) & set().union(*map(_content, d.your_persona)))
              for d in dialogues for turn in d.turns]
    return float(np.mean(shared))


def test_revised_differs_only_in_persona_and_shares_few_words(pair):
    original, revised = pair
    for a, b in zip(original, revised):
        assert a.turns == b.turns
        assert len(a.your_persona) == len(b.your_persona)
        assert all(x != y for x, y in zip(a.your_persona + a.partner_persona,
                                          b.your_persona + b.partner_persona))
    before, after = _overlap(original), _overlap(revised)
    assert before > 0.6 and after < 0.05, (before, after)


def _tfidf_hits1(variant, train=300, test=200, query=True):
    """hits@1 of cosine(tf-idf(query + persona), tf-idf(candidate)); ties go against the gold.
    ``query=False``: the persona alone."""
    fit = ranking_examples(persona_dialogues("train", variant, count=train))
    vectorizer = TfidfVectorizer().fit(
        [e.query for e in fit] + [e.label for e in fit] + [p for e in fit for p in e.persona])
    examples = ranking_examples(persona_dialogues("test", variant, count=test))
    queries = vectorizer.transform([" ".join(((e.query,) if query else ()) + e.persona)
                                    for e in examples])
    candidates = vectorizer.transform([c for e in examples for c in e.candidates])  # [B*20, V]
    rows = np.repeat(np.arange(len(examples)), 20)
    scores = np.asarray(candidates.multiply(queries[rows]).sum(axis=1)).reshape(-1, 20)
    gold = np.array([e.candidates.index(e.label) for e in examples])
    ranks = (scores >= scores[np.arange(len(examples)), gold][:, None]).sum(axis=1)  # [B]
    return float(np.mean(ranks == 1))


def test_tfidf_difficulty():
    """Persona words give the reply away in the original files, not in the revised ones."""
    none, original, revised = (_tfidf_hits1(v) for v in
                               ("none_original", "self_original", "self_revised"))
    assert original > none + 0.15 and original > revised + 0.15, (none, original, revised)
    assert revised < none + 0.1
    # the persona alone finds your facts, not which one is asked
    persona_only = _tfidf_hits1("self_original", query=False)
    assert original > persona_only + 0.15, (original, persona_only)


def test_variants_and_splits():
    base = generate_dialogues(30, seed=3 * 4 + 1)  # valid of seed 4
    revised = generate_dialogues(30, revised=True, seed=3 * 4 + 1)
    for variant in PERSONA_VARIANTS:
        got = persona_dialogues("valid", variant, count=30, seed=4)
        source = revised if variant.endswith("revised") else base
        side = variant.split("_")[0]
        for a, b in zip(got, source):
            assert a.turns == b.turns
            assert a.your_persona == (b.your_persona if side in ("self", "both") else ())
            assert a.partner_persona == (b.partner_persona if side in ("other", "both") else ())
    splits = [persona_dialogues(split, count=30) for split in ("train", "valid", "test")]
    assert splits[0] != splits[1] != splits[2] != splits[0]
    assert len(persona_dialogues("test")) == 250


def test_folder_round_trip(tmp_path):
    written = write_persona_folder(tmp_path / "personachat", train=12, valid=5, test=4, seed=2)
    assert len(written) == 21
    assert persona_chat_files(tmp_path / "personachat") == written
    for (split, variant), path in written.items():
        expected = persona_dialogues(split, variant, count={"train": 12, "valid": 5,
                                                            "test": 4}[split], seed=2)
        assert read_dialogues(path) == expected
        assert persona_dialogues(split, variant, folder=tmp_path / "personachat") == expected
    assert len(persona_dialogues("train", folder=tmp_path / "personachat", count=3)) == 3
    first = written[("train", "both_original")].read_text().splitlines()[0]
    assert first.startswith("1 your persona: ")
    with pytest.raises(FileNotFoundError, match=r"no file train_self_original.txt in"):
        persona_dialogues(folder=tmp_path)
