"""Persona-Chat / ConvAI2 dialogues in ParlAI's text format: read, write, list, rank (ch. 09).

The format (ParlAI's ``personachat`` task, Zhang et al., ACL 2018; ConvAI2 uses the same), one
line per persona fact or per turn, numbered from 1 in each episode (dialogue)::

    1 your persona: i like to ski.
    2 partner's persona: i am a nurse.
    3 hi , how are you ?<TAB>i am great , just back from skiing .<TAB><TAB>cand a|...|gold
    4 do you have pets ?<TAB>yes , two dogs .<TAB><TAB>cand c|...|yes , two dogs .
    1 your persona: i am a chef.
    ...

A turn line holds the partner's utterance (the query), the gold reply (the label), an empty
third field (ParlAI's reward) and the candidates joined by ``|``: 20 in the Persona-Chat files,
gold last. Persona lines have no TAB and come before the first turn of their episode. The
"self" files carry ``your persona`` lines, "other" files ``partner's persona`` lines, "both"
files both and "none" files none; "revised" files rephrase the facts.

Reading accepts what real files hold: CRLF line ends, a final newline or none, blank lines at
the end, any number (>= 1) of candidates as long as the label is among them (a few ParlAI train
files have fewer than 20). Anything else is a :class:`DialogueFormatError` naming the file and
line; the dialogues read before the bad line are kept (see the error's attributes).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._validate import check_bool, check_choice, check_path, check_positive_int

YOUR_PREFIX = "your persona:"
PARTNER_PREFIX = "partner's persona:"
SPLITS = ("train", "valid", "test")
PERSONA_VARIANTS = ("none_original", "self_original", "self_revised", "other_original",
                    "other_revised", "both_original", "both_revised")
PERSONA_CHOICES = ("none", "self", "other", "both")
TURN_SHAPE = "expected '<n> <text>\\t<label>\\t\\t<candidates>' or a persona line"


def _texts(value: Any, name: str) -> tuple[str, ...]:
    """``value`` (a list or tuple of str) as a tuple, or raise naming ``name``."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{name}: expected a tuple (or list) of str, got "
                        f"{type(value).__name__}")
    for k, item in enumerate(value):
        if not isinstance(item, str):
            raise TypeError(f"{name}[{k}]: expected a str, got {type(item).__name__}")
    return tuple(value)


@dataclass(frozen=True)
class Turn:
    """One example: the partner's utterance ``text``, the gold reply ``label`` and the
    ``candidates`` (the gold among them; 20 with the gold last in the Persona-Chat files;
    ``()`` when read with ``candidates=False``). Lists are stored as tuples."""

    text: str
    label: str
    candidates: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("text", "label"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name}: expected a str, got "
                                f"{type(getattr(self, name)).__name__}")
        candidates = _texts(self.candidates, "candidates")
        if candidates and self.label not in candidates:
            raise ValueError(f"candidates: the label {self.label[:80]!r} is not among the "
                             f"{len(candidates)} candidates")
        object.__setattr__(self, "candidates", candidates)


@dataclass(frozen=True)
class Dialogue:
    """One episode: the persona facts (without their ``your persona: `` / ``partner's
    persona: `` prefixes) and the turns, in order. Lists are stored as tuples."""

    your_persona: tuple[str, ...]
    partner_persona: tuple[str, ...]
    turns: tuple[Turn, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "your_persona", _texts(self.your_persona, "your_persona"))
        object.__setattr__(self, "partner_persona",
                           _texts(self.partner_persona, "partner_persona"))
        if isinstance(self.turns, Turn) or not isinstance(self.turns, (list, tuple)):
            raise TypeError(f"turns: expected a tuple (or list) of Turn, got "
                            f"{type(self.turns).__name__}")
        for k, turn in enumerate(self.turns):
            if not isinstance(turn, Turn):
                raise TypeError(f"turns[{k}]: expected a Turn, got {type(turn).__name__}")
        object.__setattr__(self, "turns", tuple(self.turns))


class DialogueFormatError(ValueError):
    """A line that breaks the format: ``"<file>:<line>: <what is wrong> (got '<line>')"``.

    Attributes: ``path`` (the file), ``line`` (1-based line number), ``problem`` (what is
    wrong), ``dialogues`` (the complete dialogues read before the bad line: filled by
    :func:`read_dialogues`; empty from :func:`iter_dialogues`, which has already handed them
    out) and ``complete`` (how many complete dialogues came before the bad line).
    """

    def __init__(self, path: Path, line: int, problem: str, text: str,
                 complete: int = 0) -> None:
        shown = text if len(text) <= 80 else text[:77] + "..."
        super().__init__(f"{path}:{line}: {problem} (got {shown!r})")
        self.path, self.line, self.problem = path, line, problem
        self.complete = complete
        self.dialogues: list[Dialogue] = []


def _persona_fact(text: str, prefix: str) -> str:
    rest = text[len(prefix):]
    return rest[1:] if rest.startswith(" ") else rest


def _parse_turn(text: str, candidates: bool) -> tuple[Turn | None, str]:
    """The turn in ``text`` (the line after its number), or ``(None, what is wrong)``."""
    fields = text.split("\t")
    if not candidates and len(fields) == 2:  # a file without candidates
        fields += ["", ""]
    if len(fields) != 4:
        return None, (f"{TURN_SHAPE}; found {len(fields)} TAB-separated field(s) instead "
                      f"of 4")
    query, label, reward, joined = fields
    if not label:
        return None, "the label (second field) is empty"
    if reward:
        return None, "the third field (ParlAI's reward) should be empty"
    if not candidates:
        return Turn(query, label), ""
    options = tuple(joined.split("|"))
    if label not in options:
        return None, f"the label is not among the {len(options)} candidates"
    return Turn(query, label, options), ""


def iter_dialogues(path: str | os.PathLike, *, candidates: bool = True) -> Iterator[Dialogue]:
    """Stream the dialogues of a ParlAI Persona-Chat / ConvAI2 text file, one at a time.

    Only the dialogue being read is in memory, so a 130k-example ConvAI2 file is never held
    twice. ``candidates=False`` skips splitting the candidate field (training needs none):
    turns get ``candidates=()``, and lines without the two last fields are accepted too.

    Args:
        path: the file (``str`` or ``pathlib.Path``).
        candidates: whether to split and check the candidates.
    Yields:
        :class:`Dialogue` objects in file order.
    Raises:
        FileNotFoundError: no such file.
        DialogueFormatError: a malformed line (file and 1-based line number in the message);
            the dialogues before it have been yielded already (``.complete`` counts them).
    """
    path = check_path(path, "path")
    candidates = check_bool(candidates, "candidates")
    if not path.is_file():
        raise FileNotFoundError(f"path: no such file {path}")
    return _stream(path, candidates)  # checks above run at the call, not at the first next()


def _stream(path: Path, candidates: bool) -> Iterator[Dialogue]:
    complete = 0
    yours: list[str] = []
    partners: list[str] = []
    turns: list[Turn] = []
    last = 0          # number of the previous line of this episode (0: before the first)
    start = 0         # the line where this episode began
    blank = 0         # the first blank line seen (only allowed at the end)

    def fail(number: int, problem: str, text: str) -> DialogueFormatError:
        return DialogueFormatError(path, number, problem, text, complete)

    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                blank = blank or number
                continue
            if blank:
                raise fail(blank, "a blank line inside the file (blank lines are only "
                                  "allowed at the end)", "")
            head, _, text = line.partition(" ")
            if not (head.isascii() and head.isdigit()):
                raise fail(number, f"{TURN_SHAPE}; the line should start with its number "
                                   f"and a space", line)
            n = int(head)
            if n == 1 and last:
                if not turns:
                    raise fail(number, f"the episode starting on line {start} has persona "
                                       f"lines but no turn", line)
                yield Dialogue(tuple(yours), tuple(partners), tuple(turns))
                complete += 1
                yours, partners, turns = [], [], []
                last = 0
            if n != last + 1:
                problem = ("the first line of a file should be numbered 1" if not last
                           else f"numbering jumps from {last} to {n}")
                raise fail(number, problem, line)
            if last == 0:
                start = number
            last = n
            if "\t" not in text and text.startswith((YOUR_PREFIX, PARTNER_PREFIX)):
                if turns:
                    raise fail(number, "a persona line after the first turn of its episode",
                               line)
                mine = text.startswith(YOUR_PREFIX)
                fact = _persona_fact(text, YOUR_PREFIX if mine else PARTNER_PREFIX)
                (yours if mine else partners).append(fact)
                continue
            if "\t" not in text:
                raise fail(number, TURN_SHAPE, line)
            turn, problem = _parse_turn(text, candidates)
            if turn is None:
                raise fail(number, problem, line)
            turns.append(turn)
    if last:
        if not turns:
            raise fail(start, "the last episode has persona lines but no turn", "")
        yield Dialogue(tuple(yours), tuple(partners), tuple(turns))


def read_dialogues(path: str | os.PathLike, *, candidates: bool = True) -> list[Dialogue]:
    """All dialogues of a ParlAI text file as a list (see :func:`iter_dialogues`).

    On a malformed line the :class:`DialogueFormatError` carries, in ``.dialogues``, every
    complete dialogue read before it, so a caller can keep them::

        try:
            dialogues = read_dialogues(path)
        except DialogueFormatError as error:
            dialogues = error.dialogues   # the good part, then report error.line
    """
    dialogues: list[Dialogue] = []
    try:
        for dialogue in iter_dialogues(path, candidates=candidates):
            dialogues.append(dialogue)
    except DialogueFormatError as error:
        error.dialogues = dialogues
        raise
    return dialogues


def _check_line_text(text: str, where: str, *, bar: bool = False) -> None:
    for char, words in (("\t", "a TAB"), ("\n", "a newline"), ("\r", "a carriage return"),
                        ("|", "a '|'")):
        if char == "|" and not bar:
            continue
        if char in text:
            raise ValueError(f"{where}: contains {words}, which the format uses as a "
                             f"separator: {text[:80]!r}")


def _check_for_writing(dialogue: Any, k: int) -> Dialogue:
    if not isinstance(dialogue, Dialogue):
        raise TypeError(f"dialogues[{k}]: expected a Dialogue, got {type(dialogue).__name__}")
    if not dialogue.turns:
        raise ValueError(f"dialogues[{k}]: has no turns; the format cannot hold it")
    for side, facts in (("your_persona", dialogue.your_persona),
                        ("partner_persona", dialogue.partner_persona)):
        for i, fact in enumerate(facts):
            _check_line_text(fact, f"dialogues[{k}].{side}[{i}]")
    for t, turn in enumerate(dialogue.turns):
        where = f"dialogues[{k}].turns[{t}]"
        if not turn.candidates:
            raise ValueError(f"{where}: has no candidates (read with candidates=False?); "
                             f"the format needs them")
        if not turn.label:
            raise ValueError(f"{where}.label: is empty")
        _check_line_text(turn.text, f"{where}.text")
        _check_line_text(turn.label, f"{where}.label", bar=True)
        for c, candidate in enumerate(turn.candidates):
            _check_line_text(candidate, f"{where}.candidates[{c}]", bar=True)
    return dialogue


def write_dialogues(dialogues: Iterable[Dialogue], path: str | os.PathLike, *,
                    persona: str = "self") -> Path:
    """Write dialogues in the ParlAI text format (the inverse of :func:`read_dialogues`).

    ``persona`` says which persona lines are written: ``"none"``, ``"self"`` (your persona),
    ``"other"`` (the partner's) or ``"both"`` (yours first). With ``"both"``,
    ``read_dialogues(write_dialogues(d, p, persona="both")) == d``. Every check runs before
    the file is opened: texts may not hold a TAB, newline or carriage return, candidates and
    labels no ``|``, and every turn needs its candidates. Parent folders are created.

    Returns:
        the path written, as a ``pathlib.Path``.
    """
    if isinstance(dialogues, (Dialogue, str)) or not isinstance(dialogues, Iterable):
        raise TypeError(f"dialogues: expected an iterable of Dialogue such as [dialogue], "
                        f"got {type(dialogues).__name__}")
    path = check_path(path, "path")
    persona = check_choice(persona, "persona", PERSONA_CHOICES)
    checked = [_check_for_writing(dialogue, k) for k, dialogue in enumerate(dialogues)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for dialogue in checked:
            lines = []
            if persona in ("self", "both"):
                lines += [f"{YOUR_PREFIX} {fact}" for fact in dialogue.your_persona]
            if persona in ("other", "both"):
                lines += [f"{PARTNER_PREFIX} {fact}" for fact in dialogue.partner_persona]
            lines += [f"{turn.text}\t{turn.label}\t\t{'|'.join(turn.candidates)}"
                      for turn in dialogue.turns]
            handle.writelines(f"{n} {line}\n" for n, line in enumerate(lines, start=1))
    return path


def persona_chat_files(folder: str | os.PathLike) -> dict[tuple[str, str], Path]:
    """The ParlAI Persona-Chat files present in ``folder``, keyed by (split, variant).

    Looks for ``{train,valid,test}_{variant}.txt`` with ``variant`` in
    :data:`PERSONA_VARIANTS` (``none_original``, ``self_original``, ``self_revised``, ...),
    the names of ParlAI's ``data/Persona-Chat/personachat/`` folder. Other files are ignored.

    Raises:
        FileNotFoundError: the folder does not exist, or holds none of those files (the
            message lists the names looked for).
    """
    folder = check_path(folder, "folder")
    wanted = {(split, variant): folder / f"{split}_{variant}.txt"
              for split in SPLITS for variant in PERSONA_VARIANTS}
    looked = (f"{{{','.join(SPLITS)}}}_{{{','.join(PERSONA_VARIANTS)}}}.txt "
              f"(for example train_self_original.txt)")
    if not folder.is_dir():
        raise FileNotFoundError(f"folder: {folder} is not a folder; expected one holding "
                                f"ParlAI's Persona-Chat files {looked}")
    found = {key: path for key, path in wanted.items() if path.is_file()}
    if not found:
        raise FileNotFoundError(f"folder: {folder} holds none of ParlAI's Persona-Chat files; "
                                f"looked for {looked}")
    return found


@dataclass(frozen=True)
class RankingExample:
    """One next-utterance ranking example: rank ``candidates`` given the context.

    ``persona``: the persona lines the file gives (own first, then the partner's; ``()`` in
    "none" files); ``history``: the earlier utterances of the dialogue, oldest first
    (partner, self, partner, self, ...), without ``query``; ``query``: the partner's last
    utterance; ``label``: the gold reply; ``dialogue``/``turn``: where it comes from.
    """

    persona: tuple[str, ...]
    history: tuple[str, ...]
    query: str
    label: str
    candidates: tuple[str, ...]
    dialogue: int
    turn: int

    def __post_init__(self) -> None:
        for name in ("persona", "history", "candidates"):
            object.__setattr__(self, name, _texts(getattr(self, name), name))
        for name in ("query", "label"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name}: expected a str, got "
                                f"{type(getattr(self, name)).__name__}")
        for name in ("dialogue", "turn"):
            object.__setattr__(self, name,
                               check_positive_int(getattr(self, name), name, minimum=0))
        if self.candidates and self.label not in self.candidates:
            raise ValueError(f"candidates: the label {self.label[:80]!r} is not among the "
                             f"{len(self.candidates)} candidates")


def ranking_examples(dialogues: Iterable[Dialogue]) -> list[RankingExample]:
    """One :class:`RankingExample` per turn of every dialogue, in order.

    For turn t of dialogue d: ``persona = your_persona + partner_persona``, ``history`` =
    (text_0, label_0, ..., text_{t-1}, label_{t-1}), ``query = text_t``, ``label = label_t``.
    """
    if isinstance(dialogues, (Dialogue, str)) or not isinstance(dialogues, Iterable):
        raise TypeError(f"dialogues: expected an iterable of Dialogue such as [dialogue], "
                        f"got {type(dialogues).__name__}")
    examples = []
    for d, dialogue in enumerate(dialogues):
        if not isinstance(dialogue, Dialogue):
            raise TypeError(f"dialogues[{d}]: expected a Dialogue, got "
                            f"{type(dialogue).__name__}")
        persona = dialogue.your_persona + dialogue.partner_persona
        history: list[str] = []
        for t, turn in enumerate(dialogue.turns):
            examples.append(RankingExample(persona, tuple(history), turn.text, turn.label,
                                           turn.candidates, d, t))
            history += [turn.text, turn.label]
    return examples
