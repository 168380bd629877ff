"""Bad inputs for chapter 09's explorer (analysis, drawing, widget) and command line."""

import torch

from graphcourse import persona
from graphcourse.data.dialogue import RankingExample
from graphcourse.nn import ir, memnet, memnet_analysis, text
from graphcourse.viz import persona as viz_persona
from graphcourse.widgets import persona_explorer

from . import Bad

EX = RankingExample(("i have a dog.", "i ski."), ("hi",), "any pets ?", "a dog .",
                    ("a cat .", "no .", "a fish .", "ski .", "a dog ."), 0, 1)
BARE = RankingExample(("i have a dog.",), (), "any pets ?", "a dog .", (), 0, 0)
VOCAB = text.Vocabulary.build(["i have a dog .", "any pets ?", "a cat .", "i ski ."])
MEMORY = ir.KeyValueMemory([EX, RankingExample((), (), "hi", "hello .", (), 1, 0)], size=2)


def profile():
    torch.manual_seed(0)
    return memnet.ProfileMemoryRanker(len(VOCAB), 4)


def kv(memory=None):
    torch.manual_seed(0)
    return memnet.KVProfileMemoryRanker(len(VOCAB), 4, memory_size=2, memory=memory)


def view(model=None):
    return memnet_analysis.turn_view(model or profile(), EX, VOCAB)


def ax():
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


ROWS = [
    # memnet_analysis
    Bad("graphcourse.nn.memnet_analysis:turn_view", "a Starspace ranker (no attention)",
        lambda: memnet_analysis.turn_view(memnet.StarspaceRanker(len(VOCAB), 4), EX, VOCAB),
        TypeError, r"model: expected a ProfileMemoryRanker or KVProfileMemoryRanker"),
    Bad("graphcourse.nn.memnet_analysis:turn_view", "the tf-idf ranker",
        lambda: memnet_analysis.turn_view(ir.TfidfRanker(), EX, VOCAB), TypeError,
        r"model: expected a ProfileMemoryRanker.*TfidfRanker attend over nothing"),
    Bad("graphcourse.nn.memnet_analysis:turn_view", "a list of examples",
        lambda: memnet_analysis.turn_view(profile(), [EX, EX], VOCAB), TypeError,
        r"example: expected one RankingExample, got list; pass one item"),
    Bad("graphcourse.nn.memnet_analysis:turn_view", "a string as the example",
        lambda: memnet_analysis.turn_view(profile(), "any pets ?", VOCAB), TypeError,
        r"example: expected a RankingExample"),
    Bad("graphcourse.nn.memnet_analysis:turn_view", "an example without candidates",
        lambda: memnet_analysis.turn_view(profile(), BARE, VOCAB), ValueError,
        r"example: the examples have no candidates"),
    Bad("graphcourse.nn.memnet_analysis:turn_view", "a dict as vocabulary",
        lambda: memnet_analysis.turn_view(profile(), EX, {"dog": 1}), TypeError,
        r"vocab: expected the Vocabulary the model was trained with"),
    Bad("graphcourse.nn.memnet_analysis:turn_view", "a larger vocabulary than the model's",
        lambda: memnet_analysis.turn_view(memnet.ProfileMemoryRanker(3, 4), EX, VOCAB),
        ValueError, r"vocab: it has \d+ words, more than the model's vocab_size=3"),
    Bad("graphcourse.nn.memnet_analysis:turn_view", "a KV ranker without memories",
        lambda: memnet_analysis.turn_view(kv(), EX, VOCAB), ValueError,
        r"memory: the KV ranker needs its key-value memories"),
    Bad("graphcourse.nn.memnet_analysis:turn_view", "a list as memory",
        lambda: memnet_analysis.turn_view(kv(), EX, VOCAB, memory=[("hi", "hello")]),
        TypeError, r"memory: expected a KeyValueMemory or None"),
    Bad("graphcourse.nn.memnet_analysis:turn_view", "exclude_own_dialogue as a string",
        lambda: memnet_analysis.turn_view(kv(MEMORY), EX, VOCAB, exclude_own_dialogue="yes"),
        TypeError, r"exclude_own_dialogue"),
    # viz.persona
    Bad("graphcourse.viz.persona:render_persona", "the attention dict instead of a TurnView",
        lambda: viz_persona.render_persona({"persona": [1.0]}), TypeError,
        r"view: expected a TurnView.*turn_view"),
    Bad("graphcourse.viz.persona:render_persona", "more candidates than the turn has",
        lambda: viz_persona.render_persona(view(), top=6), ValueError,
        r"top: expected at most 5"),
    Bad("graphcourse.viz.persona:render_persona", "top 0",
        lambda: viz_persona.render_persona(view(), top=0), ValueError, r"top: expected an int"),
    Bad("graphcourse.viz.persona:persona_summary", "a float top",
        lambda: viz_persona.persona_summary(view(), top=2.0), TypeError, r"top"),
    Bad("graphcourse.viz.persona:persona_summary", "None as the view",
        lambda: viz_persona.persona_summary(None), TypeError, r"view: expected a TurnView"),
    Bad("graphcourse.viz.persona:draw_candidates", "top beyond C",
        lambda: viz_persona.draw_candidates(view(), top=99), ValueError,
        r"top: expected at most 5"),
    Bad("graphcourse.viz.persona:draw_candidates", "a figure instead of axes",
        lambda: viz_persona.draw_candidates(view(), ax=ax().figure), TypeError,
        r"ax: expected a matplotlib Axes"),
    Bad("graphcourse.viz.persona:draw_persona_attention", "a list of weights",
        lambda: viz_persona.draw_persona_attention([0.5, 0.5]), TypeError,
        r"view: expected a TurnView"),
    Bad("graphcourse.viz.persona:draw_persona_attention", "a string as ax",
        lambda: viz_persona.draw_persona_attention(view(), ax="left"), TypeError,
        r"ax: expected a matplotlib Axes"),
    Bad("graphcourse.viz.persona:draw_key_attention", "a KV view's tensors",
        lambda: viz_persona.draw_key_attention(torch.ones(2)), TypeError,
        r"view: expected a TurnView"),
    # widgets.persona
    Bad("graphcourse.widgets.persona:persona_explorer", "a Starspace ranker",
        lambda: persona_explorer(memnet.StarspaceRanker(len(VOCAB), 4), [EX], VOCAB),
        TypeError, r"model: expected a ProfileMemoryRanker or KVProfileMemoryRanker"),
    Bad("graphcourse.widgets.persona:persona_explorer", "one example instead of a list",
        lambda: persona_explorer(profile(), EX, VOCAB), TypeError,
        r"examples: expected a list of RankingExample.*wrap one example in a list"),
    Bad("graphcourse.widgets.persona:persona_explorer", "no examples",
        lambda: persona_explorer(profile(), [], VOCAB), ValueError,
        r"examples: expected at least one example"),
    Bad("graphcourse.widgets.persona:persona_explorer", "examples without candidates",
        lambda: persona_explorer(profile(), [BARE], VOCAB), ValueError,
        r"examples: the examples have no candidates"),
    Bad("graphcourse.widgets.persona:persona_explorer", "a turn past the examples",
        lambda: persona_explorer(profile(), [EX, EX], VOCAB, turn=2), ValueError,
        r"turn: expected an example index in \[0, 2\), got 2"),
    Bad("graphcourse.widgets.persona:persona_explorer", "a float turn",
        lambda: persona_explorer(profile(), [EX], VOCAB, turn=0.0), TypeError,
        r"turn: expected an example index \(an int\)"),
    Bad("graphcourse.widgets.persona:persona_explorer", "more candidates shown than exist",
        lambda: persona_explorer(profile(), [EX], VOCAB, top=10), ValueError,
        r"top: expected at most 5"),
    Bad("graphcourse.widgets.persona:persona_explorer", "a KV ranker without memories",
        lambda: persona_explorer(kv(), [EX], VOCAB), ValueError,
        r"memory: the KV ranker needs its key-value memories"),
    Bad("graphcourse.widgets.persona:persona_explorer", "a wrong vocabulary type",
        lambda: persona_explorer(profile(), [EX], ["dog"]), TypeError,
        r"vocab: expected the Vocabulary"),
    # the command line
    Bad("graphcourse.persona:main", "one string of arguments",
        lambda: persona.main("--data DIR"), TypeError,
        r"argv: expected a list of strings.*split it"),
    Bad("graphcourse.persona:main", "a path object among the arguments",
        lambda: persona.main(["--data", object()]), TypeError,
        r"argv: expected a list of strings"),
    Bad("graphcourse.persona:main", "a file name as out",
        lambda: persona.main(["--data", "x"], out="results.jsonl"), TypeError,
        r"out: expected a text stream with \.write"),
]

EXEMPT = {
    "graphcourse.nn.memnet_analysis:TurnView": "a record that turn_view fills; every reader "
                                               "checks that it is given one",
}
