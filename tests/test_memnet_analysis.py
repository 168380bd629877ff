"""One turn seen through a profile memory network: turn_view against the model's own outputs."""

import pytest
import torch

from graphcourse import metrics
from graphcourse.nn import ir, memnet, memnet_analysis, text
from graphcourse.viz import persona as viz_persona
from harness import trained_memory_networks


@pytest.fixture(scope="module")
def setting():
    return trained_memory_networks(40, 6, memory_size=3)


@pytest.mark.parametrize("name", ["ProfileMemoryRanker", "KVProfileMemoryRanker"])
def test_turn_view_matches_the_models_attention_and_scores(setting, name):
    _, valid, vocab, models = setting
    model = models[name]
    for example in valid[:4]:
        view = memnet_analysis.turn_view(model, example, vocab)
        batch = memnet.encode_examples([example], vocab, memory=getattr(model, "memory", None),
                                       history=model.history)
        model.eval()
        with torch.no_grad():
            out = model.attention(batch)
            scores = model(batch)[0]
        model.train()
        assert view.model == name and view.has_keys == (name == "KVProfileMemoryRanker")
        assert view.query == example.query and view.label == example.label
        assert view.persona == list(example.persona)
        assert view.persona_weights == pytest.approx(out["persona"][0].tolist(), abs=1e-6)
        assert sum(view.persona_weights) == pytest.approx(1.0, abs=1e-5)
        torch.testing.assert_close(out["scores"][0], scores)
        # ranked best first, each candidate with its own score
        assert sorted(view.order) == list(range(len(example.candidates)))
        assert view.scores == sorted(view.scores, reverse=True)
        for k, j in enumerate(view.order):
            assert view.candidates[k] == example.candidates[j]
            assert view.scores[k] == pytest.approx(float(scores[j]), abs=1e-6)
        gold = list(example.candidates).index(example.label)
        rank = int(metrics.gold_rank(scores.view(1, -1), torch.tensor([gold]))[0])
        assert view.gold == gold and view.gold_rank == rank and view.hit == (rank == 1)
        assert view.candidates[rank - 1] == example.label
        if name == "KVProfileMemoryRanker":
            picked = model.memory.retrieve([example])[0]
            assert view.keys == [model.memory.keys[j] for j in picked]
            assert view.values == [model.memory.values[j] for j in picked]
            assert len(view.keys) == 3
            assert view.key_weights == pytest.approx(out["keys"][0].tolist(), abs=1e-6)
            assert sum(view.key_weights) == pytest.approx(1.0, abs=1e-5)
        else:
            assert view.keys == view.values == view.key_weights == []


def test_ties_put_the_gold_after_the_candidates_it_ties_with(setting):
    _, valid, vocab, _ = setting
    model = memnet.ProfileMemoryRanker(len(vocab), 8)
    with torch.no_grad():
        model.embedding.weight.fill_(1.0)  # every bag the same vector: every score equal
    view = memnet_analysis.turn_view(model, valid[0], vocab)
    count = len(valid[0].candidates)
    assert view.gold_rank == count and not view.hit
    assert view.candidates[-1] == valid[0].label
    assert len(set(view.scores)) == 1


def test_the_model_keeps_its_training_mode_and_gets_no_gradient(setting):
    _, valid, vocab, models = setting
    model = models["KVProfileMemoryRanker"]
    model.train()
    model.zero_grad(set_to_none=True)
    memnet_analysis.turn_view(model, valid[0], vocab)
    assert model.training
    assert all(p.grad is None for p in model.parameters())


def test_an_example_of_the_memorys_own_dialogue_can_be_kept_from_its_own_pairs(setting):
    train, _, vocab, models = setting
    model = models["KVProfileMemoryRanker"]
    example = train[2]
    own = memnet_analysis.turn_view(model, example, vocab, exclude_own_dialogue=False)
    assert own.keys[0] == ir.context_text(example, model.history)  # finds itself
    kept = memnet_analysis.turn_view(model, example, vocab, exclude_own_dialogue=True)
    picked = model.memory.retrieve([example], exclude_own_dialogue=True)[0]
    assert picked and all(model.memory.dialogues[j] != example.dialogue for j in picked)
    assert kept.keys == [model.memory.keys[j] for j in picked]


def test_a_file_without_persona_gives_no_persona_weights(setting):
    _, valid, vocab, models = setting
    bare = [e.__class__(**{**e.__dict__, "persona": ()}) for e in valid[:2]]
    view = memnet_analysis.turn_view(models["ProfileMemoryRanker"], bare[0], vocab)
    assert view.persona == [] and view.persona_weights == []
    lines = viz_persona.persona_summary(view)
    assert "no persona sentences" in lines


@pytest.mark.parametrize("name", ["ProfileMemoryRanker", "KVProfileMemoryRanker"])
def test_the_drawing_and_the_summary(setting, name):
    import matplotlib.pyplot as plt

    plt.close("all")
    _, valid, vocab, models = setting
    view = memnet_analysis.turn_view(models[name], valid[1], vocab)
    png = viz_persona.render_persona(view, top=5)
    assert png.startswith(b"\x89PNG")
    lines = viz_persona.persona_summary(view, top=3)
    assert lines[1] == f"partner: {valid[1].query}"
    assert any(line.startswith("gold: ") for line in lines)
    assert sum(line.startswith("   ") or line.startswith("  ") for line in lines) >= 3
    assert ("most attended memory" in "\n".join(lines)) == (name == "KVProfileMemoryRanker")
    assert plt.get_fignums() == []


def test_a_gold_below_the_shown_candidates_is_still_drawn(setting):
    import matplotlib.pyplot as plt

    _, valid, vocab, _ = setting
    model = memnet.ProfileMemoryRanker(len(vocab), 8)
    with torch.no_grad():
        model.embedding.weight.fill_(1.0)
    view = memnet_analysis.turn_view(model, valid[0], vocab)
    ax = viz_persona.draw_candidates(view, top=3)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 4 and labels[-1].endswith("(gold)")
    assert labels[-1].startswith(f"{len(valid[0].candidates)}.")
    plt.close("all")


@pytest.mark.parametrize("change, error, match", [
    ({"model": memnet.StarspaceRanker(10, 4)}, TypeError,
     r"model: expected a ProfileMemoryRanker or KVProfileMemoryRanker.*StarspaceRanker"),
    ({"model": ir.TfidfRanker()}, TypeError, r"model: expected a ProfileMemoryRanker"),
    ({"example": "hi"}, TypeError, r"example: expected a RankingExample"),
    ({"example": "LIST"}, TypeError, r"example: expected one RankingExample, got list; pass"),
    ({"example": "NOCANDS"}, ValueError, r"example: the examples have no candidates"),
    ({"vocab": {"a": 1}}, TypeError, r"vocab: expected the Vocabulary the model was trained"),
    ({"vocab": "BIG"}, ValueError, r"vocab: it has \d+ words, more than the model's"),
    ({"model": "KV_NO_MEMORY"}, ValueError, r"memory: the KV ranker needs its key-value"),
    ({"memory": [1]}, TypeError, r"memory: expected a KeyValueMemory or None"),
])
def test_bad_arguments(setting, change, error, match):
    _, valid, vocab, models = setting
    arguments = {"model": models["ProfileMemoryRanker"], "example": valid[0], "vocab": vocab,
                 **change}
    if arguments["example"] == "LIST":
        arguments["example"] = valid[:2]
    if arguments["example"] == "NOCANDS":
        arguments["example"] = valid[0].__class__(**{**valid[0].__dict__, "candidates": ()})
    if arguments["vocab"] == "BIG":
        arguments["vocab"] = text.Vocabulary([f"w{i}" for i in range(len(vocab) + 5)])
    if arguments["model"] == "KV_NO_MEMORY":
        arguments["model"] = memnet.KVProfileMemoryRanker(len(vocab), 8)
    with pytest.raises(error, match=match):
        memnet_analysis.turn_view(**arguments)
