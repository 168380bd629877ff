"""The chapter 09 command line: python -m graphcourse.persona --data DIR."""

import io
import json
import subprocess
import sys

import pytest

from graphcourse import persona
from graphcourse.data import write_persona_folder

KEYS = {"model", "variant", "split", "hits@1", "hits@5", "examples", "seconds"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("personachat")
    write_persona_folder(path, train=12, valid=3, test=3, seed=0)
    return path


def _run(argv):
    out = io.StringIO()
    status = persona.main([str(a) for a in argv], out=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return status, lines


def test_one_json_line_per_model_variant_and_split(folder):
    status, lines = _run(["--data", folder, "--variants", "self_original", "none_original",
                          "--epochs", "1", "--dim", "8", "--quiet"])
    assert status == 0
    assert len(lines) == 4 * 2 * 2
    assert {(r["model"], r["variant"], r["split"]) for r in lines} == {
        (m, v, s) for m in persona.MODELS for v in ("self_original", "none_original")
        for s in ("valid", "test")}
    for record in lines:
        assert KEYS <= set(record)
        assert 0.0 <= record["hits@1"] <= record["hits@5"] <= 1.0
        assert record["examples"] > 0 and record["seconds"] >= 0
    # the same examples are scored for every model of a variant and split
    counts = {(r["variant"], r["split"]): r["examples"] for r in lines}
    assert all(r["examples"] == counts[(r["variant"], r["split"])] for r in lines)


def test_the_counts_are_those_of_the_files(folder):
    from graphcourse.data import ranking_examples, read_dialogues

    status, lines = _run(["--data", folder, "--variants", "self_revised", "--models", "ir",
                          "--quiet"])
    expected = {split: len(ranking_examples(read_dialogues(folder / f"{split}_self_revised.txt")))
                for split in ("valid", "test")}
    assert status == 0
    assert {r["split"]: r["examples"] for r in lines} == expected
    assert all(r["train_examples"] == len(ranking_examples(read_dialogues(
        folder / "train_self_revised.txt", candidates=False))) for r in lines)


def test_the_hits_agree_with_evaluate_ranker(folder):
    from graphcourse.data import ranking_examples, read_dialogues
    from graphcourse.nn import TfidfRanker, evaluate_ranker

    _, lines = _run(["--data", folder, "--variants", "self_original", "--models", "ir",
                     "--quiet"])
    train = ranking_examples(read_dialogues(folder / "train_self_original.txt"))
    valid = ranking_examples(read_dialogues(folder / "valid_self_original.txt"))
    expected = evaluate_ranker(TfidfRanker(use_persona=True).fit(train), valid)
    shown = next(r for r in lines if r["split"] == "valid")
    assert shown["hits@1"] == pytest.approx(expected["hits@1"], abs=1e-4)
    assert shown["hits@5"] == pytest.approx(expected["hits@5"], abs=1e-4)


def test_evaluation_in_chunks_gives_the_same_hits(folder, monkeypatch):
    argv = ["--data", folder, "--variants", "self_original", "--models", "profile_memory",
            "--epochs", "1", "--dim", "8", "--quiet"]
    _, whole = _run(argv)
    monkeypatch.setattr(persona, "CHUNK", 5)
    _, chunked = _run(argv)
    for a, b in zip(whole, chunked):
        assert (a["hits@1"], a["hits@5"], a["examples"]) == pytest.approx(
            (b["hits@1"], b["hits@5"], b["examples"]), abs=1e-4)


def test_max_train_caps_the_training_examples(folder):
    status, lines = _run(["--data", folder, "--variants", "self_original", "--models",
                          "starspace", "--max-train", "10", "--epochs", "1", "--dim", "8",
                          "--quiet"])
    assert status == 0 and {r["train_examples"] for r in lines} == {10}


def test_training_examples_keep_their_dialogue(folder):
    examples = list(persona._stream_examples(folder / "train_self_original.txt",
                                            candidates=False))
    assert examples[0].dialogue == 0 and examples[-1].dialogue == 11
    assert all(e.candidates == () for e in examples)
    assert [e.turn for e in examples if e.dialogue == 1][0] == 0
    assert len(list(persona._stream_examples(folder / "train_self_original.txt",
                                            candidates=False, limit=7))) == 7


def test_a_malformed_line_exits_2_naming_the_file_and_line(tmp_path, capsys):
    write_persona_folder(tmp_path, train=3, valid=2, test=2)
    path = tmp_path / "valid_self_original.txt"
    lines = path.read_text().splitlines()
    lines[4] = lines[4].replace("\t\t", "\tx\t", 1)  # a reward where none belongs
    path.write_text("\n".join(lines) + "\n")
    status, _ = _run(["--data", tmp_path, "--variants", "self_original", "--models", "ir",
                      "--quiet"])
    error = capsys.readouterr().err
    assert status == 2
    assert "valid_self_original.txt:5:" in error
    assert "Traceback" not in error and len(error.strip().splitlines()) == 1


@pytest.mark.parametrize("argv, message", [
    (["--data", "MISSING"], r"is not a folder"),
    (["--data", "EMPTY"], r"holds none of ParlAI's Persona-Chat files"),
    (["--data", "ONLY_VALID", "--quiet"], r"--data: no train file for the variants"),
])
def test_a_folder_without_the_files_exits_2(tmp_path, capsys, argv, message):
    import re

    (tmp_path / "empty").mkdir()
    only = tmp_path / "only"
    write_persona_folder(only, train=2, valid=2, test=2)
    for path in only.glob("train_*"):
        path.unlink()
    where = {"MISSING": tmp_path / "nope", "EMPTY": tmp_path / "empty", "ONLY_VALID": only}
    status, lines = _run([where.get(a, a) for a in argv])
    error = capsys.readouterr().err
    assert status == 2 and lines == []
    assert re.search(message, error) and "Traceback" not in error
    assert error.startswith("python -m graphcourse.persona: error: ")


@pytest.mark.parametrize("argv", [["--epochs", "0"], ["--models", "gpt"], ["--dim", "x"],
                                  ["--variants", "self"], ["--seed", "-1"], []])
def test_bad_options_exit_2(folder, capsys, argv):
    data = [] if argv == [] else ["--data", str(folder)]
    with pytest.raises(SystemExit) as stop:
        persona.main(data + argv)
    assert stop.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_an_unavailable_device_exits_2(folder, capsys):
    status, _ = _run(["--data", folder, "--device", "tpu", "--quiet"])
    assert status == 2 and "--device: expected one of" in capsys.readouterr().err


def test_help_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "graphcourse.persona", "--help"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    for option in ("--data", "--models", "--variants", "--epochs", "--max-train", "--dim",
                   "--seed", "--device", "--quiet"):
        assert option in done.stdout


def test_the_module_prints_json_on_stdout_and_progress_on_stderr(folder):
    done = subprocess.run([sys.executable, "-m", "graphcourse.persona", "--data", str(folder),
                           "--variants", "none_original", "--models", "ir", "starspace",
                           "--epochs", "1", "--dim", "8"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["model"], r["split"]) for r in records] == [
        ("ir", "valid"), ("ir", "test"), ("starspace", "valid"), ("starspace", "test")]
    assert "models" in done.stderr  # the progress bar
