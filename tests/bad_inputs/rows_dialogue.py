"""Bad inputs for the dialogue data of chapter 09: ParlAI's text format and the generator."""

import pathlib
import tempfile

from graphcourse import data
from graphcourse.data import Dialogue, RankingExample, Turn

from . import Bad

D = "graphcourse.data.dialogue"
P = "graphcourse.data.persona_gen"

EXEMPT = {
    f"{D}:DialogueFormatError": "raised by the readers, never built from a user's argument",
}

TURN = Turn("do you have pets ?", "yes , two dogs .", ("no .", "yes , two dogs ."))
DIALOGUE = Dialogue(("i have two dogs.",), (), (TURN,))
GOOD = "\tok .\t\tx|ok ."


# One folder for the whole run, removed when the interpreter exits.
_SCRATCH = tempfile.TemporaryDirectory(prefix="graphcourse-rows-")


def _fresh() -> pathlib.Path:
    return pathlib.Path(tempfile.mkdtemp(dir=_SCRATCH.name))


def _file(*lines: str) -> pathlib.Path:
    """A fresh file holding ``lines`` (one per line)."""
    path = _fresh() / "train_self_original.txt"
    path.write_text("".join(line + "\n" for line in lines))
    return path


def _empty_folder() -> pathlib.Path:
    return _fresh()


def _missing() -> pathlib.Path:
    return _fresh() / "absent"


ROWS = [
    # the records
    Bad(f"{D}:Turn", "text not a str",
        lambda: Turn(3, "ok"), TypeError, r"text: expected a str, got int"),
    Bad(f"{D}:Turn", "candidates as one joined string",
        lambda: Turn("hi", "ok", "x|ok"), TypeError,
        r"candidates: expected a tuple \(or list\) of str, got str"),
    Bad(f"{D}:Turn", "a candidate that is not a str",
        lambda: Turn("hi", "ok", ("ok", 2)), TypeError, r"candidates\[1\]: expected a str"),
    Bad(f"{D}:Turn", "label not among the candidates",
        lambda: Turn("hi", "ok", ("x", "y")), ValueError,
        r"candidates: the label 'ok' is not among the 2 candidates"),
    Bad(f"{D}:Dialogue", "one Turn instead of a tuple",
        lambda: Dialogue((), (), TURN), TypeError,
        r"turns: expected a tuple \(or list\) of Turn, got Turn"),
    Bad(f"{D}:Dialogue", "persona as one string",
        lambda: Dialogue("i ski.", (), (TURN,)), TypeError,
        r"your_persona: expected a tuple \(or list\) of str, got str"),
    Bad(f"{D}:Dialogue", "a turn as a tuple of strings",
        lambda: Dialogue((), (), [("hi", "ok")]), TypeError,
        r"turns\[0\]: expected a Turn, got tuple"),
    Bad(f"{D}:RankingExample", "negative dialogue index",
        lambda: RankingExample((), (), "hi", "ok", ("ok",), -1, 0), ValueError,
        r"dialogue: expected an int >= 0"),
    Bad(f"{D}:RankingExample", "float turn index",
        lambda: RankingExample((), (), "hi", "ok", ("ok",), 0, 1.0), TypeError,
        r"turn: expected an int"),
    Bad(f"{D}:RankingExample", "history as one string",
        lambda: RankingExample((), "hi", "hi", "ok", ("ok",), 0, 0), TypeError,
        r"history: expected a tuple \(or list\) of str"),
    Bad(f"{D}:RankingExample", "label not among the candidates",
        lambda: RankingExample((), (), "hi", "ok", ("x",), 0, 0), ValueError,
        r"candidates: the label 'ok' is not among"),
    # reading
    Bad(f"{D}:iter_dialogues", "path not a path",
        lambda: data.iter_dialogues(3), TypeError, r"path: expected a file path"),
    Bad(f"{D}:iter_dialogues", "empty path",
        lambda: data.iter_dialogues(""), ValueError, r"path: expected a file path"),
    Bad(f"{D}:iter_dialogues", "no such file (raised at the call)",
        lambda: data.iter_dialogues(_missing()), FileNotFoundError, r"path: no such file"),
    Bad(f"{D}:iter_dialogues", "candidates as a string",
        lambda: data.iter_dialogues(_file(f"1 hi{GOOD}"), candidates="no"), TypeError,
        r"candidates: expected True or False"),
    Bad(f"{D}:iter_dialogues", "numbering jumps",
        lambda: list(data.iter_dialogues(_file(f"1 hi{GOOD}", f"3 hi{GOOD}"))),
        data.DialogueFormatError, r"train_self_original.txt:2: numbering jumps from 1 to 3"),
    Bad(f"{D}:read_dialogues", "label not among the candidates",
        lambda: data.read_dialogues(_file(f"1 hi{GOOD}", "2 hi\tok .\t\tx|y")), ValueError,
        r":2: the label is not among the 2 candidates"),
    Bad(f"{D}:read_dialogues", "a line without TABs",
        lambda: data.read_dialogues(_file(f"1 hi{GOOD}", "2 hello")), ValueError,
        r":2: expected '<n> <text>\\t<label>\\t\\t<candidates>' or a persona line"),
    Bad(f"{D}:read_dialogues", "persona line after a turn",
        lambda: data.read_dialogues(_file(f"1 hi{GOOD}", "2 your persona: i ski.")),
        ValueError, r":2: a persona line after the first turn"),
    Bad(f"{D}:read_dialogues", "a folder instead of a file",
        lambda: data.read_dialogues(_empty_folder()), FileNotFoundError, r"no such file"),
    # writing
    Bad(f"{D}:write_dialogues", "one Dialogue instead of a list",
        lambda: data.write_dialogues(DIALOGUE, _missing()), TypeError,
        r"dialogues: expected an iterable of Dialogue such as \[dialogue\]"),
    Bad(f"{D}:write_dialogues", "a list of turns",
        lambda: data.write_dialogues([TURN], _missing()), TypeError,
        r"dialogues\[0\]: expected a Dialogue, got Turn"),
    Bad(f"{D}:write_dialogues", "unknown persona choice",
        lambda: data.write_dialogues([DIALOGUE], _missing(), persona="all"), ValueError,
        r"persona: expected one of 'none', 'self', 'other', 'both'"),
    Bad(f"{D}:write_dialogues", "path None",
        lambda: data.write_dialogues([DIALOGUE], None), TypeError,
        r"path: expected a file path"),
    Bad(f"{D}:write_dialogues", "a TAB in a query",
        lambda: data.write_dialogues([Dialogue((), (), (Turn("a\tb", "ok", ("ok",)),))],
                                     _missing()), ValueError,
        r"dialogues\[0\].turns\[0\].text: contains a TAB"),
    Bad(f"{D}:write_dialogues", "a '|' in a candidate",
        lambda: data.write_dialogues([Dialogue((), (), (Turn("a", "ok", ("ok", "x|y")),))],
                                     _missing()), ValueError,
        r"candidates\[1\]: contains a '\|'"),
    Bad(f"{D}:write_dialogues", "turns read without candidates",
        lambda: data.write_dialogues([Dialogue((), (), (Turn("a", "ok"),))], _missing()),
        ValueError, r"turns\[0\]: has no candidates"),
    # the folder and the examples
    Bad(f"{D}:persona_chat_files", "folder None",
        lambda: data.persona_chat_files(None), TypeError, r"folder: expected a file path"),
    Bad(f"{D}:persona_chat_files", "folder missing",
        lambda: data.persona_chat_files(_missing()), FileNotFoundError,
        r"folder: .* is not a folder; .*train_self_original.txt"),
    Bad(f"{D}:persona_chat_files", "folder without ParlAI files",
        lambda: data.persona_chat_files(_empty_folder()), FileNotFoundError,
        r"holds none of ParlAI's Persona-Chat files; looked for"),
    Bad(f"{D}:ranking_examples", "one Dialogue instead of a list",
        lambda: data.ranking_examples(DIALOGUE), TypeError,
        r"dialogues: expected an iterable of Dialogue such as \[dialogue\]"),
    Bad(f"{D}:ranking_examples", "a list of turns",
        lambda: data.ranking_examples([TURN]), TypeError,
        r"dialogues\[0\]: expected a Dialogue, got Turn"),
    Bad(f"{D}:ranking_examples", "a file path",
        lambda: data.ranking_examples("train_self_original.txt"), TypeError,
        r"dialogues: expected an iterable of Dialogue"),
    # the generator
    Bad(f"{P}:generate_dialogues", "no dialogues",
        lambda: data.generate_dialogues(0), ValueError, r"count: expected an int >= 1"),
    Bad(f"{P}:generate_dialogues", "float count",
        lambda: data.generate_dialogues(2.0), TypeError, r"count: expected an int"),
    Bad(f"{P}:generate_dialogues", "revised as a string",
        lambda: data.generate_dialogues(2, revised="yes"), TypeError,
        r"revised: expected True or False"),
    Bad(f"{P}:generate_dialogues", "negative seed",
        lambda: data.generate_dialogues(2, seed=-1), ValueError, r"seed: expected an int >= 0"),
    Bad(f"{P}:generate_dialogues", "persona_size as one int",
        lambda: data.generate_dialogues(2, persona_size=4), TypeError,
        r"persona_size: expected a pair \(min, max\) of ints"),
    Bad(f"{P}:generate_dialogues", "persona_size min above max",
        lambda: data.generate_dialogues(2, persona_size=(5, 4)), ValueError,
        r"persona_size\[1\]: expected an int >= 5"),
    Bad(f"{P}:generate_dialogues", "personas larger than the bank allows",
        lambda: data.generate_dialogues(2, persona_size=(4, 20)), ValueError,
        r"persona_size: expected at most 15"),
    Bad(f"{P}:generate_dialogues", "no turns",
        lambda: data.generate_dialogues(2, turns=(0, 3)), ValueError,
        r"turns\[0\]: expected an int >= 1"),
    Bad(f"{P}:generate_dialogues", "one candidate",
        lambda: data.generate_dialogues(2, candidates=1), ValueError,
        r"candidates: expected an int >= 2"),
    Bad(f"{P}:generate_dialogues", "more candidates than the bank has replies",
        lambda: data.generate_dialogues(2, candidates=400), ValueError,
        r"candidates: the bank has too few replies"),
    Bad(f"{P}:generate_dialogues", "same_topic above 1",
        lambda: data.generate_dialogues(2, same_topic=1.5), ValueError,
        r"same_topic: expected a probability in \[0, 1\]"),
    Bad(f"{P}:generate_dialogues", "follow_up and chit_chat above 1 together",
        lambda: data.generate_dialogues(2, follow_up=0.6, chit_chat=0.6), ValueError,
        r"follow_up, chit_chat: expected a sum <= 1"),
    Bad(f"{P}:generate_dialogues", "own_facts negative",
        lambda: data.generate_dialogues(2, own_facts=-1), ValueError,
        r"own_facts: expected an int >= 0"),
    Bad(f"{P}:generate_dialogues", "own_facts more than the distractors",
        lambda: data.generate_dialogues(2, candidates=3, own_facts=3), ValueError,
        r"own_facts: expected at most candidates - 1 = 2"),
    Bad(f"{P}:generate_dialogues", "greeting above 1",
        lambda: data.generate_dialogues(2, greeting=2), ValueError,
        r"greeting: expected a probability"),
    Bad(f"{P}:generate_dialogues", "partner_share as a string",
        lambda: data.generate_dialogues(2, partner_share="0.3"), TypeError,
        r"partner_share: expected a probability"),
    Bad(f"{P}:persona_dialogues", "unknown split",
        lambda: data.persona_dialogues("dev"), ValueError,
        r"split: expected one of 'train', 'valid', 'test', got 'dev'"),
    Bad(f"{P}:persona_dialogues", "variant not in PERSONA_VARIANTS",
        lambda: data.persona_dialogues("train", "none_revised"), ValueError,
        r"variant: expected one of 'none_original', 'self_original'"),
    Bad(f"{P}:persona_dialogues", "variant as a number",
        lambda: data.persona_dialogues("train", 1), TypeError, r"variant: expected one of"),
    Bad(f"{P}:persona_dialogues", "no dialogues",
        lambda: data.persona_dialogues(count=0), ValueError, r"count: expected an int >= 1"),
    Bad(f"{P}:persona_dialogues", "negative seed",
        lambda: data.persona_dialogues(count=2, seed=-2), ValueError,
        r"seed: expected an int >= 0"),
    Bad(f"{P}:persona_dialogues", "folder without the file",
        lambda: data.persona_dialogues(folder=_empty_folder()), FileNotFoundError,
        r"folder: no file train_self_original.txt in"),
    Bad(f"{P}:persona_dialogues", "folder as a number",
        lambda: data.persona_dialogues(folder=3), TypeError, r"folder: expected a file path"),
    Bad(f"{P}:write_persona_folder", "no training dialogues",
        lambda: data.write_persona_folder(_missing(), train=0, valid=1, test=1), ValueError,
        r"train: expected an int >= 1"),
    Bad(f"{P}:write_persona_folder", "float valid count",
        lambda: data.write_persona_folder(_missing(), train=2, valid=1.5, test=1), TypeError,
        r"valid: expected an int"),
    Bad(f"{P}:write_persona_folder", "folder None",
        lambda: data.write_persona_folder(None, train=2, valid=1, test=1), TypeError,
        r"folder: expected a file path"),
    Bad(f"{P}:write_persona_folder", "seed as a string",
        lambda: data.write_persona_folder(_missing(), train=2, valid=1, test=1, seed="0"),
        TypeError, r"seed: expected an int"),
]
