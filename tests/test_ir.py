"""graphcourse.nn.ir: the tf-idf IR baseline against a direct scikit-learn computation, the
query with and without the persona, and the retrieval of key-value memories."""

import numpy as np
import pytest
import torch
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from graphcourse.data.dialogue import RankingExample
from graphcourse.nn.ir import (
    KeyValueMemory,
    TfidfRanker,
    check_examples,
    context_text,
    dialogue_key,
    gold_index,
)
from graphcourse.nn.text import tokenize


def example(query, label, candidates, persona=(), history=(), dialogue=0, turn=0):
    return RankingExample(tuple(persona), tuple(history), query, label, tuple(candidates),
                          dialogue, turn)


TRAIN = [
    example("do you have pets ?", "yes , two dogs .", ["cats .", "yes , two dogs ."],
            ["i have two dogs.", "i like to ski."], dialogue=0),
    example("what do you do ?", "i am a chef .", ["i ski .", "i am a chef ."],
            ["i am a chef.", "i hate the cold."], dialogue=1),
    example("hi , how are you ?", "great , just back from skiing .",
            ["hello .", "great , just back from skiing ."], ["i like to ski."],
            history=("hello !", "hi there ."), dialogue=2, turn=1),
]
TEST = [
    example("any pets ?", "two dogs !", ["no , i cook .", "i ski a lot .", "two dogs !"],
            ["i have two dogs.", "i cook."], history=("hey", "hello")),
    example("what is your job ?", "chef , i cook .", ["a dog .", "chef , i cook .", "ski ."],
            ["i am a chef."]),
]


@pytest.mark.parametrize("use_persona", [True, False])
def test_tfidf_ranker_equals_scikit_learn(use_persona):
    ranker = TfidfRanker(use_persona=use_persona).fit(TRAIN)
    texts = list(dict.fromkeys(t for e in TRAIN for t in (e.query, e.label, *e.persona)))
    reference = TfidfVectorizer(analyzer=tokenize).fit(texts)
    scores = ranker.score(TEST)
    assert scores.shape == (2, 3) and scores.dtype == torch.float32
    for b, e in enumerate(TEST):
        query = " ".join((e.query, *e.persona)) if use_persona else e.query
        expected = cosine_similarity(reference.transform([query]),
                                     reference.transform(list(e.candidates)))[0]
        np.testing.assert_allclose(scores[b].numpy(), expected, rtol=1e-5, atol=1e-6)


def test_the_persona_helps_the_ir_baseline():
    with_persona = TfidfRanker().fit(TRAIN).score(TEST)
    without = TfidfRanker(use_persona=False).fit(TRAIN).score(TEST)
    assert int(with_persona[0].argmax()) == 2  # "two dogs": the persona says so
    assert float(without[0, 2]) == 0.0  # no word in common with the query alone
    assert repr(TfidfRanker()) == "TfidfRanker(use_persona=True, history=0, not fitted)"
    with pytest.raises(RuntimeError, match="not fitted"):
        TfidfRanker().score(TEST)


def test_context_text_and_gold_index():
    assert context_text(TEST[0]) == "any pets ?"
    assert context_text(TEST[0], 1) == "hello any pets ?"
    assert context_text(TEST[0], 5) == "hey hello any pets ?"
    assert gold_index(TEST).tolist() == [2, 1]


def test_key_value_memory_retrieves_by_tfidf_outside_its_own_dialogue():
    memory = KeyValueMemory(TRAIN, size=2, history=1)
    assert len(memory) == 3 and memory.values[1] == "i am a chef ."
    assert memory.keys[2] == "hi there . hi , how are you ?"
    picks = memory.retrieve(TEST)
    assert [len(p) for p in picks] == [2, 2]
    assert picks[1][0] == 1  # "what is your job ?" is most like "what do you do ?"
    # Brute force: the order of the cosine similarities, ties by index.
    sims = cosine_similarity(memory.vectorizer.transform([context_text(e, 1) for e in TEST]),
                             memory.matrix)
    for row, pick in zip(sims, picks):
        assert pick == sorted(range(3), key=lambda j: (-row[j], j))[:2]
    own = memory.retrieve(TRAIN, exclude_own_dialogue=True)
    assert all(i not in p for i, p in enumerate(own))  # each training dialogue is its own
    assert repr(memory) == "KeyValueMemory(3 pairs, size=2, history=1)"
    assert KeyValueMemory(TRAIN[:1], size=3).retrieve(TRAIN[:1], True) == [[]]


def test_exclusion_tells_apart_dialogues_of_equal_index_from_other_files():
    # Two files both number their dialogues from 0: dialogue 0 of the second file is another
    # dialogue and may be retrieved; the example's own dialogue (turn 1 of it) may not.
    first = example("do you have pets ?", "yes , two dogs .", ["x .", "yes , two dogs ."],
                    ["i have two dogs."], dialogue=0)
    later = example("what kind ?", "labradors .", ["x .", "labradors ."],
                    ["i have two dogs."], history=("do you have pets ?", "yes , two dogs ."),
                    dialogue=0, turn=1)
    other = example("do you have pets ?", "no , a fish .", ["x .", "no , a fish ."],
                    ["i have a fish."], dialogue=0)
    assert dialogue_key(first) == dialogue_key(later) != dialogue_key(other)
    memory = KeyValueMemory([first, later, other], size=3, history=0)
    picks = memory.retrieve([first, later, other], exclude_own_dialogue=True)
    assert picks[0] == [2] and picks[1] == [2] and sorted(picks[2]) == [0, 1]


def test_check_examples_refuses_a_string_persona_or_history():
    good = TRAIN[0]
    assert check_examples([good]) == [good]

    class Loose:  # what a hand-made example might look like
        def __init__(self, **changes):
            for f in ("persona", "history", "query", "label", "candidates", "dialogue", "turn"):
                setattr(self, f, changes.get(f, getattr(good, f)))

    with pytest.raises(TypeError, match=r"examples: item 0: expected persona as a tuple .*"
                                        r"got str; wrap one sentence"):
        check_examples([Loose(persona="i have two dogs.")])
    with pytest.raises(TypeError, match=r"item 0: history\[1\]: expected a str, got int"):
        check_examples([Loose(history=("hi", 3))])
    with pytest.raises(TypeError, match=r"expected candidates as a tuple"):
        check_examples([Loose(candidates="yes , two dogs .")], candidates=True)
