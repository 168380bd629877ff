"""graphcourse.nn.memnet and memnet_training: the memory hops against a loop over examples,
padding that changes nothing, attention rows, invariance to the order of the persona, the
margin losses against torch's, and learning a task that needs the persona."""

import itertools
import random
import time

import pytest
import torch
import torch.nn.functional as F

from graphcourse.data.dialogue import RankingExample
from graphcourse.devices import to_device
from graphcourse.nn import ir
from graphcourse.nn.ir import KeyValueMemory
from graphcourse.nn.memnet import (
    KVProfileMemoryRanker,
    ProfileMemoryRanker,
    RankingBatch,
    StarspaceRanker,
    collate,
    encode_each,
    encode_examples,
    example_vocabulary,
)
from graphcourse.nn.memnet_training import (
    evaluate_ranker,
    ranking_loss,
    sample_negatives,
    train_ranker,
)
from graphcourse.nn.text import Vocabulary

TOPICS = {  # topic: (words, persona fact, question, reply)
    "pet": (["dog", "cat", "horse", "parrot", "snake", "rabbit", "turtle", "hamster"],
            "my pet is a {}.", "what pet do you have ?", "i have a {} at home ."),
    "food": (["pizza", "sushi", "pasta", "tacos", "curry", "salad", "burgers", "soup"],
             "i love eating {}.", "what is your favorite food ?", "i really like {} ."),
    "color": (["red", "blue", "green", "yellow", "purple", "orange", "black", "white"],
              "my favorite color is {}.", "which color do you like ?", "{} is the best color ."),
}


def persona_task(count, seed):
    """Dialogues whose right reply names the persona's word of the topic asked about; 19
    distractors name other words (seven of the same topic), so without the persona the
    reply cannot be told apart."""
    rng = random.Random(seed)
    examples = []
    for d in range(count):
        choice = {t: rng.choice(v[0]) for t, v in TOPICS.items()}
        persona = tuple(TOPICS[t][1].format(w) for t, w in choice.items())
        history = []
        for turn, topic in enumerate(rng.sample(list(TOPICS), 2)):
            words, _, question, reply = TOPICS[topic]
            label = reply.format(choice[topic])
            same = [reply.format(w) for w in words if w != choice[topic]]
            other = [TOPICS[u][3].format(w) for u in TOPICS if u != topic for w in TOPICS[u][0]]
            cands = (*rng.sample(same, 7), *rng.sample(other, 12), label)
            examples.append(RankingExample(persona, tuple(history), question, label, cands,
                                           d, turn))
            history += [question, label]
    return examples


TRAIN, TEST = persona_task(150, 0), persona_task(40, 1)
VOCAB = example_vocabulary(TRAIN)


def ragged():
    """Three examples with 3, 1 and 0 persona sentences."""
    e = TEST[:3]
    return [RankingExample(e[0].persona[:3], e[0].history, e[0].query, e[0].label,
                           e[0].candidates, 0, 0),
            RankingExample(e[1].persona[:1], e[1].history, e[1].query, e[1].label,
                           e[1].candidates, 1, 0),
            RankingExample((), e[2].history, e[2].query, e[2].label, e[2].candidates, 2, 0)]


def models(seed=0):
    torch.manual_seed(seed)
    return [StarspaceRanker(len(VOCAB), 8), StarspaceRanker(len(VOCAB), 8, use_persona=False),
            ProfileMemoryRanker(len(VOCAB), 8), ProfileMemoryRanker(len(VOCAB), 8, "dot"),
            KVProfileMemoryRanker(len(VOCAB), 8, memory_size=3)]


MEMORY = KeyValueMemory(TRAIN, size=3)


def test_batch_fields_repr_and_device_path():
    batch = encode_examples(ragged(), VOCAB, memory=MEMORY)
    assert repr(batch) == "RankingBatch(B=3, P=3, M=3, C=20)"
    assert batch.persona_mask.tolist() == [[True] * 3, [True, False, False], [False] * 3]
    assert batch.gold.tolist() == [19, 19, 19]
    moved = to_device(batch, "cpu")  # what train.fit does with every batch
    assert isinstance(moved, RankingBatch) and torch.equal(moved.cand_ids, batch.cand_ids)
    training = encode_examples(TRAIN[:4], VOCAB, candidates=False)
    assert training.cand_mask.shape == (4, 0) and training.gold.tolist() == [-1] * 4
    with pytest.raises(ValueError, match="batch: it holds no candidates"):
        models()[0](training)


def test_repr_and_reset_parameters():
    star, _, profile, _, kv = models()
    v = len(VOCAB)
    assert repr(star) == (f"StarspaceRanker(vocab={v}, dim=8, use_persona=True, history=1, "
                          "max_norm=10.0)")
    assert repr(profile) == (f"ProfileMemoryRanker(vocab={v}, dim=8, similarity='cosine', "
                             "history=1, max_norm=10.0)")
    assert repr(kv).startswith(f"KVProfileMemoryRanker(vocab={v}, dim=8, similarity='cosine', "
                               "memory_size=3, hop_weight=0.1, history=1")
    with torch.no_grad():
        kv.gamma.fill_(0.7)
    kv.reset_parameters()
    assert float(kv.gamma.detach()) == pytest.approx(0.1) and kv.gamma.requires_grad
    paper = KVProfileMemoryRanker(v, 8, hop_weight=1.0, learn_hop_weight=False)
    assert "hop_weight=1.0, learn_hop_weight=False" in repr(paper)
    assert not paper.gamma.requires_grad
    before = profile.embedding.weight.detach().clone()
    profile.reset_parameters()
    assert not torch.equal(before, profile.embedding.weight)
    assert len(list(profile.parameters())) == 1  # one shared table
    assert len(list(ProfileMemoryRanker(10, 4, shared=False).parameters())) == 2


def _mean(weight, text):
    ids = VOCAB.encode(text)
    return weight[ids].mean(0) if ids else torch.zeros(weight.size(1))


@pytest.mark.parametrize("kv", [False, True])
def test_memory_hops_equal_a_loop_over_examples(kv):
    torch.manual_seed(1)
    model = (KVProfileMemoryRanker(len(VOCAB), 8, memory_size=3) if kv
             else ProfileMemoryRanker(len(VOCAB), 8))
    examples = ragged()
    batch = encode_examples(examples, VOCAB, memory=MEMORY if kv else None)
    with torch.no_grad():
        scores = model(batch)
        weight = model.embedding.weight
        picks = MEMORY.retrieve(examples)
        for b, e in enumerate(examples):
            q = _mean(weight, " ".join((*e.history[-1:], e.query)))
            if e.persona:
                p = torch.stack([_mean(weight, s) for s in e.persona])
                a = torch.softmax(F.cosine_similarity(q.view(1, -1), p), 0)
                q = q + (a.view(-1, 1) * p).sum(0)
            if kv:
                k = torch.stack([_mean(weight, MEMORY.keys[j]) for j in picks[b]])
                v = torch.stack([_mean(weight, MEMORY.values[j]) for j in picks[b]])
                q = q + model.gamma * (torch.softmax(F.cosine_similarity(q.view(1, -1), k), 0)
                                       .view(-1, 1) * v).sum(0)
            c = torch.stack([_mean(weight, t) for t in e.candidates])
            torch.testing.assert_close(scores[b], F.cosine_similarity(q.view(1, -1), c))


def test_padding_changes_nothing_and_attention_rows_sum_to_one():
    examples = ragged()
    for model in models():
        memory = MEMORY if isinstance(model, KVProfileMemoryRanker) else None
        with torch.no_grad():
            together = model.attention(encode_examples(examples, VOCAB, memory=memory))
            for b, e in enumerate(examples):
                alone = model.attention(encode_examples([e], VOCAB, memory=memory))
                torch.testing.assert_close(together["scores"][b], alone["scores"][0])
                for name in ("persona", "keys"):
                    if name in alone:
                        width = alone[name].size(1)
                        torch.testing.assert_close(together[name][b, :width], alone[name][0])
                        assert not together[name][b, width:].any()  # padding: weight 0
        if "persona" in together:
            sums = together["persona"].sum(1)
            torch.testing.assert_close(sums, torch.tensor([1.0, 1.0, 0.0]))  # no persona: 0
        if "keys" in together:
            torch.testing.assert_close(together["keys"].sum(1), torch.ones(3))


def test_the_order_of_the_persona_does_not_matter():
    model = models()[2]
    e = TEST[0]
    with torch.no_grad():
        reference = model(encode_examples([e], VOCAB))
        for order in itertools.permutations(range(len(e.persona))):
            shuffled = RankingExample(tuple(e.persona[i] for i in order), e.history, e.query,
                                      e.label, e.candidates, 0, 0)
            torch.testing.assert_close(model(encode_examples([shuffled], VOCAB)), reference)


def test_margin_losses_equal_torch_on_a_hand_case():
    torch.manual_seed(2)
    model = ProfileMemoryRanker(len(VOCAB), 8)
    batch = encode_examples(TRAIN[:2], VOCAB, candidates=False)  # B = 2: each other's negative
    q = model.query_embedding(batch)
    y = model.embed_candidates(batch.label_ids, batch.label_offsets)
    pos = F.cosine_similarity(q, y)
    neg = F.cosine_similarity(q, y.flip(0))
    ours = ranking_loss(model, batch, negatives=1, margin=0.3)
    torch.testing.assert_close(ours, F.margin_ranking_loss(pos, neg, torch.ones(2), margin=0.3))
    ours = ranking_loss(model, batch, negatives=1, margin=0.1, kind="cosine")
    pairs_x = torch.cat([q, q])  # each example with its label (+1) and its negative (-1)
    pairs_y = torch.cat([y, y.flip(0)])
    target = torch.tensor([1.0, 1.0, -1.0, -1.0])
    expected = F.cosine_embedding_loss(pairs_x, pairs_y, target, margin=0.1,
                                       reduction="sum") / 2
    torch.testing.assert_close(ours, expected)


def test_negatives_are_other_examples_with_other_labels():
    label_key = torch.tensor([0, 1, 0, 2, 3])
    picked, valid = sample_negatives(label_key, 3, torch.Generator().manual_seed(0))
    assert picked.shape == valid.shape == (5, 3)
    for b in range(5):
        assert all(label_key[j] != label_key[b] for j, ok in zip(picked[b], valid[b]) if ok)
    assert valid.sum(1).tolist() == [3, 3, 3, 3, 3]
    picked, valid = sample_negatives(torch.tensor([0, 0, 1]), 5)
    assert picked.shape == (3, 2) and valid.sum(1).tolist() == [1, 1, 2]


def test_profile_memory_learns_what_the_persona_says():
    start = time.perf_counter()
    torch.manual_seed(0)
    blind = StarspaceRanker(len(VOCAB), 16, use_persona=False)
    profile = ProfileMemoryRanker(len(VOCAB), 16)
    kv = KVProfileMemoryRanker(len(VOCAB), 16, memory_size=3)
    results = {}
    for name, model in (("blind", blind), ("profile", profile), ("kv", kv)):
        history = train_ranker(model, TRAIN, VOCAB, epochs=10, lr=0.05, batch_size=32, seed=0,
                               progress=False)
        assert history.loss[-1] < history.loss[0]
        results[name] = evaluate_ranker(model, TEST, VOCAB)
    assert results["blind"]["hits@1"] < 0.3  # replies of the topic cannot be told apart
    assert results["profile"]["hits@1"] > 0.6 and results["kv"]["hits@1"] > 0.5
    assert results["profile"]["examples"] == len(TEST)
    assert isinstance(kv.memory, KeyValueMemory) and len(kv.memory) == len(TRAIN)
    assert time.perf_counter() - start < 30


def test_padded_candidates_and_memories_change_nothing():
    # Example 0 keeps 5 of its 20 candidates (the gold among them); the memory holds two
    # dialogues of two turns, so with exclusion each example sees 2 pairs, fewer than M = 3.
    e = TRAIN[1]
    short = RankingExample(e.persona, e.history, e.query, e.label, e.candidates[-5:],
                           e.dialogue, e.turn)
    full = TRAIN[2]
    memory = KeyValueMemory(TRAIN[:4], size=3)
    torch.manual_seed(3)
    model = KVProfileMemoryRanker(len(VOCAB), 8, memory_size=3)
    items = [*encode_each([short], VOCAB, memory=memory, exclude_own_dialogue=True),
             *encode_each([full], VOCAB, memory=memory, exclude_own_dialogue=True)]
    assert [len(it.cands) for it in items] == [5, 20]
    assert [len(it.keys) for it in items] == [2, 2]  # own dialogue left out: 2 of 4 pairs
    batch = collate(items)
    assert batch.cand_mask.sum(1).tolist() == [5, 20]
    with torch.no_grad():
        out = model.attention(batch)
        assert torch.isneginf(out["scores"][0, 5:]).all()  # padded candidates
        assert torch.isfinite(out["scores"][0, :5]).all() and torch.isfinite(out["scores"][1]).all()
        assert out["keys"].shape == (2, 2)
        wide = collate([*items, *encode_each([TEST[0]], VOCAB, memory=memory)])  # M = 3
        out3 = model.attention(wide)
        assert wide.memory_mask.sum(1).tolist() == [2, 2, 3]
        assert (out3["keys"][:2, 2] == 0).all()  # padded keys weigh 0
        torch.testing.assert_close(out3["keys"].sum(1), torch.ones(3))
        for b, item in enumerate(items):
            alone = model.attention(collate([item]))
            width = len(item.cands)
            torch.testing.assert_close(out3["scores"][b, :width], alone["scores"][0])
            torch.testing.assert_close(out3["keys"][b, :2], alone["keys"][0])
            torch.testing.assert_close(out3["persona"][b], alone["persona"][0])


def test_evaluating_on_training_examples_can_exclude_their_own_dialogue(monkeypatch):
    kv = KVProfileMemoryRanker(len(VOCAB), 8, memory_size=3, memory=MEMORY)
    seen = []
    retrieve = KeyValueMemory.retrieve

    def spy(self, examples, exclude_own_dialogue=False, chunk=256):
        picks = retrieve(self, examples, exclude_own_dialogue, chunk)
        seen.append((list(examples), picks))
        return picks

    monkeypatch.setattr(KeyValueMemory, "retrieve", spy)
    evaluate_ranker(kv, TRAIN[:30], VOCAB, exclude_own_dialogue=True)
    (examples, picks), = seen
    for e, pick in zip(examples, picks):
        assert len(pick) == 3
        assert all(ir.dialogue_key(TRAIN[j]) != ir.dialogue_key(e) for j in pick)
    seen.clear()
    evaluate_ranker(kv, TRAIN[:30], VOCAB)  # the leak: examples find their own pairs
    assert sum(i in pick for i, pick in enumerate(seen[0][1])) > 5


def test_a_candidate_with_the_label_text_does_not_compete():
    # A repeated gold text ties with the gold: gold_rank alone would put it second.
    base = TEST[0]
    cands = (base.label, *base.candidates[1:])  # the label's text at 0 and at 19
    copy = RankingExample(base.persona, base.history, base.query, base.label, cands, 0, 0)
    ranker = ir.TfidfRanker().fit(TRAIN)
    scores = ranker.score([copy])
    assert scores[0, 0] == scores[0, 19] and int(scores[0].argmax()) in (0, 19)
    assert evaluate_ranker(ranker, [copy], ks=(1,))["hits@1"] == 1.0
    assert evaluate_ranker(ranker, [base], ks=(1,))["hits@1"] == 1.0
    model = models()[2]
    with torch.no_grad():
        gold_score = model(encode_examples([copy], VOCAB))[0, 0]
        rank_alone = 1 + int((model(encode_examples([copy], VOCAB))[0, 1:19] >= gold_score).sum())
    assert evaluate_ranker(model, [copy], VOCAB, ks=(1,))["hits@1"] == float(rank_alone == 1)


def _without_persona(examples):
    return [RankingExample((), e.history, e.query, e.label, e.candidates, e.dialogue, e.turn)
            for e in examples]


def test_a_batch_without_any_persona_sentence_or_memory():
    """No persona sentence in the whole batch (the "none" files) and no memory: the hops
    add nothing and the scores are those of the query alone."""
    batch = encode_examples(_without_persona(TEST[:4]), VOCAB)
    assert batch.persona_mask.shape == (4, 0) and batch.memory_mask.shape == (4, 0)
    torch.manual_seed(0)
    profile = ProfileMemoryRanker(len(VOCAB), 8)
    out = profile.attention(batch)
    assert out["persona"].shape == (4, 0)
    q = profile.embedding(batch.query_ids, batch.query_offsets)
    c = profile.embed_candidates(batch.cand_ids, batch.cand_offsets).view(4, 20, 8)
    assert torch.allclose(out["scores"], F.cosine_similarity(q.unsqueeze(1), c, dim=-1))


@pytest.mark.cuda
def test_every_ranker_trains_and_scores_on_cuda():
    """On CUDA, training on batches without any persona sentence or memory works (it failed
    inside the embedding-bag kernels before ``BagRanker._bags``); the model comes back."""
    rows = _without_persona(TRAIN[:40]) + TRAIN[40:80]
    for model in models():
        train_ranker(model, rows, VOCAB, epochs=1, lr=0.05, batch_size=16, device="cuda")
        assert next(model.parameters()).device.type == "cpu"
        scores = model.cuda()(encode_examples(_without_persona(TEST[:4]), VOCAB,
                                              memory=getattr(model, "memory", None)).to("cuda"))
        assert scores.shape == (4, 20) and torch.isfinite(scores).all()


def test_the_example_vocabulary_holds_queries_replies_and_personas_only():
    e = RankingExample(("i have a dog .",), (), "any pets ?", "yes , a dog .",
                       ("a cat .", "yes , a dog ."), 0, 0)
    vocab = example_vocabulary([e, e])
    expected = Vocabulary.build(["any pets ?", "yes , a dog .", "i have a dog ."] * 2)
    assert vocab.words == expected.words and "cat" not in vocab
    assert vocab.words[1:4] == [".", "a", "dog"]  # most frequent first, ties by spelling
