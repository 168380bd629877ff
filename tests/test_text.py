"""graphcourse.nn.text: normalising and tokenising as ParlAI's kvmemnn, the vocabulary's
<unk> and min_count, bags of words against a Python loop and torch.nn.EmbeddingBag."""

import pytest
import torch

from graphcourse.nn.text import UNK, Vocabulary, bag_of_words, normalize, tokenize


@pytest.mark.parametrize("text, expected", [
    ("I DON'T know", "i do not know"),
    ("can't won't isn't", "ca not wo not is not"),
    ("Hello , World .", "hello , world ."),
    ("", ""),
])
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Hi, I can't!", ["hi", ",", "i", "ca", "not", "!"]),
    ("i am great , just back from skiing .",
     ["i", "am", "great", ",", "just", "back", "from", "skiing", "."]),
    ("i'm 25 years old", ["i", "'", "m", "25", "years", "old"]),
    ("   ", []),
])
def test_tokenize(text, expected):
    assert tokenize(text) == expected


def test_vocabulary_unk_and_min_count():
    texts = ["the dog barks", "the cat", "The dog ."]
    vocab = Vocabulary.build(texts)
    assert vocab.words[0] == UNK and len(vocab) == 6
    assert vocab.words[1:3] == ["the", "dog"]  # most frequent first
    assert vocab.words[3:] == [".", "barks", "cat"]  # ties in alphabetical order
    assert vocab.encode("the dog") == [vocab.index["the"], vocab.index["dog"]]
    assert vocab.encode("the zebra") == [vocab.index["the"], 0]  # unknown word: <unk>
    frequent = Vocabulary.build(texts, min_count=2)
    assert frequent.words == [UNK, "the", "dog"]
    assert frequent.encode("cat barks") == [0, 0]
    assert "dog" in frequent and "cat" not in frequent
    assert repr(frequent) == "Vocabulary(3 words: <unk>, the, dog)"
    assert Vocabulary.build(texts).words == vocab.words  # deterministic


def test_bag_of_words_matches_a_loop_and_embedding_bag():
    vocab = Vocabulary.build(["a b c d", "e f"])
    texts = ["a b", "", "d e f a", "zzz"]
    ids, offsets = bag_of_words(texts, vocab)
    expected_ids, expected_offsets, position = [], [], 0
    for text in texts:
        expected_offsets.append(position)
        for word in tokenize(text):
            expected_ids.append(vocab.index.get(word, 0))
            position += 1
    assert ids.tolist() == expected_ids and offsets.tolist() == expected_offsets
    assert ids.dtype == offsets.dtype == torch.long
    bag = torch.nn.EmbeddingBag(len(vocab), 4, mode="mean")
    out = bag(ids, offsets)
    weight = bag.weight.detach()
    assert out.shape == (4, 4)
    torch.testing.assert_close(out[0], weight[[vocab.index["a"], vocab.index["b"]]].mean(0))
    torch.testing.assert_close(out[1], torch.zeros(4))  # an empty text: a zero vector
    torch.testing.assert_close(out[3], weight[0])  # <unk>
    empty_ids, empty_offsets = bag_of_words([], vocab)
    assert empty_ids.shape == (0,) and empty_offsets.shape == (0,)
