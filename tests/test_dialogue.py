"""ParlAI's Persona-Chat / ConvAI2 text format (graphcourse.data.dialogue): reading real-file
quirks, rejecting malformed lines with the file and line, keeping what came before, streaming,
writing, round trips (hand-made and random), the folder layout and the ranking examples."""

import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphcourse.data import (
    PERSONA_VARIANTS,
    Dialogue,
    DialogueFormatError,
    RankingExample,
    Turn,
    iter_dialogues,
    persona_chat_files,
    ranking_examples,
    read_dialogues,
    write_dialogues,
)

T = "\t"


def _cands(gold, tag):
    """19 distractors then the gold, joined as in the files."""
    return "|".join([f"cand {tag}{k}" for k in range(19)] + [gold])


# REFERENCE §9's fixture, with the 20 candidates written out.
FIXTURE = [
    "1 your persona: i like to ski.",
    "2 your persona: i have two dogs.",
    f"3 hi , how are you ?{T}i am great , just back from skiing .{T}{T}"
    + _cands("i am great , just back from skiing .", "a"),
    f"4 do you have pets ?{T}yes , two dogs .{T}{T}" + _cands("yes , two dogs .", "c"),
    "1 your persona: i am a chef.",
    "2 partner's persona: i am a nurse.",
    f"3 hello !{T}hi , i cook for a living .{T}{T}" + _cands("hi , i cook for a living .", "e"),
]


def _write(tmp_path, lines, name="valid_self_original.txt", end="\n"):
    path = tmp_path / name
    path.write_bytes(end.join(lines).encode() + end.encode())
    return path


def test_reads_the_fixture(tmp_path):
    dialogues = read_dialogues(_write(tmp_path, FIXTURE))
    assert len(dialogues) == 2
    first, second = dialogues
    assert first.your_persona == ("i like to ski.", "i have two dogs.")
    assert first.partner_persona == ()
    assert [turn.text for turn in first.turns] == ["hi , how are you ?", "do you have pets ?"]
    assert first.turns[1].label == "yes , two dogs ."
    assert len(first.turns[1].candidates) == 20
    assert first.turns[1].candidates[-1] == "yes , two dogs ."
    assert second.your_persona == ("i am a chef.",)
    assert second.partner_persona == ("i am a nurse.",)
    assert second.turns == (Turn("hello !", "hi , i cook for a living .",
                                 tuple(_cands("hi , i cook for a living .", "e").split("|"))),)


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_real_file_quirks(tmp_path, end):
    """CRLF, blank lines at the end, no final newline, a byte-order mark: same dialogues."""
    expected = read_dialogues(_write(tmp_path, FIXTURE, "plain.txt"))
    blank_end = _write(tmp_path, FIXTURE + ["", "  "], "blank.txt", end=end)
    assert read_dialogues(blank_end) == expected
    no_newline = tmp_path / "no_newline.txt"
    no_newline.write_bytes(end.join(FIXTURE).encode())
    assert read_dialogues(no_newline) == expected
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + end.join(FIXTURE).encode())
    assert read_dialogues(bom) == expected


def test_fewer_candidates_and_any_gold_position(tmp_path):
    lines = [f"1 hi{T}hello .{T}{T}hello .|bye .", f"2 and ?{T}fine .{T}{T}fine .",
             f"1 yo{T}hey .{T}{T}a|hey .|b"]
    dialogues = read_dialogues(_write(tmp_path, lines))
    assert [t.candidates for d in dialogues for t in d.turns] == [
        ("hello .", "bye ."), ("fine .",), ("a", "hey .", "b")]


def test_without_candidates(tmp_path):
    dialogues = read_dialogues(_write(tmp_path, FIXTURE), candidates=False)
    assert all(turn.candidates == () for d in dialogues for turn in d.turns)
    assert dialogues[0].turns[1].label == "yes , two dogs ."
    # files without the candidate field load too, but only with candidates=False
    bare = _write(tmp_path, [f"1 hi{T}hello ."], "bare.txt")
    assert read_dialogues(bare, candidates=False)[0].turns == (Turn("hi", "hello ."),)
    with pytest.raises(DialogueFormatError, match=r"bare.txt:1: expected '<n> <text>"):
        read_dialogues(bare)


GOOD = f"{T}ok .{T}{T}x|ok ."
MALFORMED = [
    # (lines, bad line number, fragment of the message)
    ([f"1 hi{GOOD}", "2 hello there"], 2,
     r"expected '<n> <text>\\t<label>\\t\\t<candidates>' or a persona line"),
    ([f"1 hi{GOOD}", f"2 hi{T}ok .{T}{T}"], 2, r"the label is not among the 1 candidates"),
    ([f"1 hi{GOOD}", f"2 hi{T}ok .{T}{T}x|y"], 2, r"the label is not among the 2 candidates"),
    ([f"1 hi{GOOD}", f"2 hi{T}ok ."], 2, r"found 2 TAB-separated field"),
    ([f"1 hi{GOOD}", f"2 hi{T}ok .{T}1{T}ok ."], 2, r"third field \(ParlAI's reward\)"),
    ([f"1 hi{GOOD}", f"2 hi{T}{T}{T}ok ."], 2, r"the label \(second field\) is empty"),
    ([f"1 hi{GOOD}", f"2 hi{GOOD}", f"3 hi{GOOD}", f"5 hi{GOOD}"], 4,
     r"numbering jumps from 3 to 5"),
    ([f"1 hi{GOOD}", f"1 hi{GOOD}", f"3 hi{GOOD}"], 3, r"numbering jumps from 1 to 3"),
    ([f"2 hi{GOOD}"], 1, r"the first line of a file should be numbered 1"),
    ([f"1 hi{GOOD}", "2 your persona: i ski."], 2, r"a persona line after the first turn"),
    ([f"1 hi{GOOD}", f"x hi{GOOD}"], 2, r"should start with its number and a space"),
    ([f"1 hi{GOOD}", f"two hi{GOOD}"], 2, r"should start with its number"),
    ([f"1 hi{GOOD}", "", f"2 hi{GOOD}"], 2, r"a blank line inside the file"),
    ([f"1 hi{GOOD}", "1 your persona: i ski.", f"1 hi{GOOD}"], 3,
     r"the episode starting on line 2 has persona lines but no turn"),
    ([f"1 hi{GOOD}", "1 your persona: i ski."], 2, r"the last episode has persona lines"),
]


@pytest.mark.parametrize("lines, number, fragment", MALFORMED,
                         ids=[case[2][:30] for case in MALFORMED])
def test_malformed_lines_name_file_and_line(tmp_path, lines, number, fragment):
    path = _write(tmp_path, lines, "train_self_original.txt")
    with pytest.raises(DialogueFormatError, match=fragment) as caught:
        read_dialogues(path)
    error = caught.value
    assert isinstance(error, ValueError)
    assert str(error).startswith(f"{path}:{number}: ")
    assert error.line == number and error.path == path


def test_the_error_keeps_what_came_before(tmp_path):
    lines = FIXTURE + ["1 your persona: i am tall.", f"2 hi{GOOD}", f"4 hi{GOOD}"]
    path = _write(tmp_path, lines)
    good = read_dialogues(_write(tmp_path, FIXTURE, "good.txt"))
    with pytest.raises(DialogueFormatError) as caught:
        read_dialogues(path)
    error = caught.value
    assert error.line == len(lines) and error.complete == 2
    assert error.dialogues == good  # the two complete dialogues; the broken third is dropped
    assert "(got '4 hi\\tok .\\t\\tx|ok .')" in str(error)

    # streaming: the dialogues before the bad line come out before the error
    stream = iter_dialogues(path)
    assert [next(stream), next(stream)] == good
    with pytest.raises(DialogueFormatError, match=r"numbering jumps from 2 to 4"):
        next(stream)


def test_long_bad_lines_are_cut_in_the_message(tmp_path):
    path = _write(tmp_path, ["1 " + "word " * 50])
    with pytest.raises(DialogueFormatError) as caught:
        read_dialogues(path)
    got = str(caught.value).split("(got ")[1]
    assert len(got) < 90 and "..." in got


def test_iter_dialogues_streams_and_checks_at_the_call(tmp_path):
    path = _write(tmp_path, FIXTURE)
    stream = iter_dialogues(path)
    assert inspect.isgenerator(stream)
    assert next(stream).your_persona == ("i like to ski.", "i have two dogs.")
    with pytest.raises(FileNotFoundError, match="no such file"):
        iter_dialogues(tmp_path / "absent.txt")  # raised at the call, not at next()


def test_write_then_read_round_trip(tmp_path):
    dialogues = read_dialogues(_write(tmp_path, FIXTURE))
    path = write_dialogues(dialogues, tmp_path / "out" / "both.txt", persona="both")
    assert path.exists() and read_dialogues(path) == dialogues
    # the exact bytes: real TABs, persona lines first, numbering restarting at 1
    text = path.read_text()
    assert text.splitlines()[0] == "1 your persona: i like to ski."
    assert text.splitlines()[2] == FIXTURE[2]
    assert text.splitlines()[5] == "2 partner's persona: i am a nurse."


@pytest.mark.parametrize("persona, yours, partners", [
    ("none", False, False), ("self", True, False), ("other", False, True),
    ("both", True, True)])
def test_write_persona_choice(tmp_path, persona, yours, partners):
    dialogues = read_dialogues(_write(tmp_path, FIXTURE))
    back = read_dialogues(write_dialogues(dialogues, tmp_path / "x.txt", persona=persona))
    for before, after in zip(dialogues, back):
        assert after.turns == before.turns
        assert after.your_persona == (before.your_persona if yours else ())
        assert after.partner_persona == (before.partner_persona if partners else ())


@pytest.mark.parametrize("turn, fragment", [
    (Turn("a\tb", "ok", ("ok",)), r"turns\[0\].text: contains a TAB"),
    (Turn("a\nb", "ok", ("ok",)), r"turns\[0\].text: contains a newline"),
    (Turn("a", "o|k", ("o|k",)), r"turns\[0\].label: contains a '\|'"),
    (Turn("a", "ok", ("ok", "x|y")), r"turns\[0\].candidates\[1\]: contains a '\|'"),
    (Turn("a", "ok", ("ok", "x\ry")), r"candidates\[1\]: contains a carriage return"),
    (Turn("a", "ok"), r"turns\[0\]: has no candidates"),
])
def test_write_refuses_what_the_format_cannot_hold(tmp_path, turn, fragment):
    path = tmp_path / "never.txt"
    with pytest.raises(ValueError, match=fragment):
        write_dialogues([Dialogue(("fine.",), (), (turn,))], path)
    assert not path.exists()  # checked before the file is opened
    with pytest.raises(ValueError, match=r"your_persona\[0\]: contains a TAB"):
        write_dialogues([Dialogue(("a\tb",), (), (Turn("a", "ok", ("ok",)),))], path)


_TEXT = st.text(st.characters(blacklist_characters="\t\n\r|", blacklist_categories=("Cs",)),
                max_size=12)


@st.composite
def _dialogues(draw):
    dialogues = []
    for _ in range(draw(st.integers(1, 3))):
        turns = []
        for _ in range(draw(st.integers(1, 3))):
            label = draw(_TEXT.filter(bool))
            others = draw(st.lists(_TEXT, max_size=4))
            spot = draw(st.integers(0, len(others)))
            turns.append(Turn(draw(_TEXT), label, tuple(others[:spot] + [label] + others[spot:])))
        dialogues.append(Dialogue(tuple(draw(st.lists(_TEXT, max_size=3))),
                                  tuple(draw(st.lists(_TEXT, max_size=2))), tuple(turns)))
    return dialogues


@settings(max_examples=60, deadline=None)
@given(_dialogues())
def test_round_trip_of_random_texts(tmp_path_factory, dialogues):
    path = tmp_path_factory.mktemp("rt") / "both.txt"
    assert read_dialogues(write_dialogues(dialogues, path, persona="both")) == dialogues


def test_persona_chat_files(tmp_path):
    for name in ("train_self_original.txt", "valid_none_original.txt",
                 "test_both_revised.txt", "train_self_original_no_cands.txt", "notes.txt"):
        (tmp_path / name).write_text("")
    found = persona_chat_files(tmp_path)
    assert found == {("train", "self_original"): tmp_path / "train_self_original.txt",
                     ("valid", "none_original"): tmp_path / "valid_none_original.txt",
                     ("test", "both_revised"): tmp_path / "test_both_revised.txt"}
    assert len(PERSONA_VARIANTS) == 7


def test_persona_chat_files_errors_list_the_names(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"is not a folder.*train_self_original.txt"):
        persona_chat_files(tmp_path / "absent")
    (tmp_path / "readme.txt").write_text("")
    with pytest.raises(FileNotFoundError, match=r"holds none of .*self_revised"):
        persona_chat_files(tmp_path)


def test_ranking_examples(tmp_path):
    dialogues = read_dialogues(_write(tmp_path, FIXTURE))
    examples = ranking_examples(dialogues)
    assert len(examples) == 3
    second = examples[1]
    assert second == RankingExample(
        persona=("i like to ski.", "i have two dogs."),
        history=("hi , how are you ?", "i am great , just back from skiing ."),
        query="do you have pets ?", label="yes , two dogs .",
        candidates=dialogues[0].turns[1].candidates, dialogue=0, turn=1)
    third = examples[2]
    assert third.persona == ("i am a chef.", "i am a nurse.")  # own first, then partner's
    assert third.history == () and (third.dialogue, third.turn) == (1, 0)
    assert ranking_examples(iter(dialogues)) == examples  # any iterable


def test_dataclasses_store_tuples_and_check():
    turn = Turn("hi", "ok", ["x", "ok"])
    assert turn.candidates == ("x", "ok")
    dialogue = Dialogue(["a."], [], [turn])
    assert dialogue.your_persona == ("a.",) and dialogue.turns == (turn,)
    with pytest.raises(ValueError, match=r"candidates: the label 'ok' is not among"):
        Turn("hi", "ok", ("x",))
    with pytest.raises(TypeError, match=r"turns: expected a tuple \(or list\) of Turn"):
        Dialogue((), (), turn)
