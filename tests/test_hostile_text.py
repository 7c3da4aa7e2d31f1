"""Hostile text and files: what aligntune accepts, and how what it refuses is refused.

Accepted: a UTF-8 byte-order mark (JSONL, CSV, .txt, YAML), control characters and NUL inside
texts (scored as they are), an empty --input (an empty output and a warning). Refused, with a
one-line message that names the file and line and shows at most a few hundred characters of the
bad value: everything in the ``hostile text`` block of tests/test_bad_inputs.py, and the cases
below that need more than the table checks (atomic outputs, timing, message length).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligntune.cli import main
from aligntune.errors import ConfigurationError, DataError
from aligntune.textio import iter_records, read_text_file

TEXTS = [f"Text number {i}: please restart the router and wait." for i in range(12)]


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def _jsonl(path: Path, rows: list[dict], *, prefix: bytes = b"") -> Path:
    path.write_bytes(prefix + "".join(json.dumps(r) + "\n" for r in rows).encode("utf-8"))
    return path


def _scores(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if ".tmp-" in p.name)


# -- --output: never the input, written whole or not at all ---------------------------------------


def test_output_that_is_the_input_is_refused_before_reading(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"text": t} for t in TEXTS * 50])  # 600 rows: more than one batch
    before = src.read_bytes()
    result = run("rewards", "score", "--function", "length", "--input", src, "--output", src)
    assert result.exit_code == 1, result.output
    assert "is also the input; writing it would destroy the input" in result.output
    assert src.read_bytes() == before
    link = tmp_path / "link.jsonl"
    link.symlink_to(src)
    result = run("rewards", "score", "--function", "length", "--input", src, "--output", link)
    assert result.exit_code == 1 and "is also the input" in result.output
    assert src.read_bytes() == before and link.is_symlink()


def test_output_that_is_a_directory_is_refused(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"text": "hello"}])
    result = run("rewards", "score", "--function", "length", "--input", src, "--output", tmp_path)
    assert result.exit_code == 2 and "is a directory" in result.output


def test_an_error_part_way_leaves_the_previous_output_untouched(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in TEXTS) + "{not json\n", encoding="utf-8")
    out = tmp_path / "scores.jsonl"
    out.write_text("the previous scores\n", encoding="utf-8")
    result = run("rewards", "score", "--function", "length", "--input", src, "--output", out, "--batch-size", "2")
    assert result.exit_code == 1, result.output
    assert "in.jsonl:13 is not valid JSON" in result.output
    assert out.read_text(encoding="utf-8") == "the previous scores\n"
    assert _leftovers(tmp_path) == []


def test_an_error_part_way_creates_no_output(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": "ok"}) + "\n" + json.dumps({"text": 3}) + "\n", encoding="utf-8")
    out = tmp_path / "new.jsonl"
    result = run("rewards", "score", "--function", "length", "--input", src, "--output", out, "--batch-size", "1")
    assert result.exit_code == 1 and "'text' must be a string, got int: 3" in result.output
    assert not out.exists() and _leftovers(tmp_path) == []


def test_a_successful_run_replaces_the_output(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [{"text": t} for t in TEXTS])
    out = tmp_path / "scores.jsonl"
    out.write_text("old\n", encoding="utf-8")
    result = run("rewards", "score", "--function", "length", "--input", src, "--output", out, "--batch-size", "5")
    assert result.exit_code == 0, result.output
    assert [row["text"] for row in _scores(out.read_text(encoding="utf-8"))] == TEXTS
    assert _leftovers(tmp_path) == []


# -- byte-order marks are accepted ---------------------------------------------------------------


def test_bom_jsonl_and_csv_are_scored(tmp_path):
    bom = "\ufeff".encode()
    jsonl = _jsonl(tmp_path / "bom.jsonl", [{"text": "hello there"}, {"text": "second"}], prefix=bom)
    csv_file = tmp_path / "bom.csv"
    csv_file.write_bytes(bom + b"text,id\r\nhello there,1\r\nsecond,2\r\n")
    for src in (jsonl, csv_file):
        result = run("rewards", "score", "--function", "length", "--input", src)
        assert result.exit_code == 0, result.output
        assert [row["text"] for row in _scores(result.output)] == ["hello there", "second"]


def test_bom_files_are_read_for_training_and_prompts(tmp_path):
    from aligntune.reward_model.inputs import open_texts
    from aligntune.rl.prompts import load_prompt_dataset

    bom = "\ufeff".encode()
    jsonl = _jsonl(tmp_path / "bom.jsonl", [{"text": t, "prompt": "p"} for t in TEXTS], prefix=bom)
    csv_file = tmp_path / "bom.csv"
    csv_file.write_bytes(bom + ("text,prompt\n" + "".join(f"{t},p\n" for t in TEXTS)).encode())
    txt = tmp_path / "bom.txt"
    txt.write_bytes(bom + "\n".join(TEXTS).encode())
    for src in (jsonl, csv_file, txt):
        read = read_text_file(src, field="--texts")
        assert read.texts == TEXTS, src
    for src in (jsonl, csv_file):
        assert read_text_file(src, field="--texts").prompts == ["p"] * 12
        assert open_texts(str(src))["text"] == TEXTS
        assert load_prompt_dataset(str(src)).column == "prompt"
    # A byte-order mark where two files were concatenated is accepted too.
    joined = tmp_path / "joined.jsonl"
    joined.write_bytes(jsonl.read_bytes() * 2)
    assert len(list(iter_records(joined))) == 24


def test_bom_yaml_config_is_read(tmp_path):
    config = tmp_path / "bom.yaml"
    config.write_bytes("\ufeffmodel_name: x\n".encode())
    from aligntune.textio import read_yaml_file

    assert read_yaml_file(config) == {"model_name": "x"}


# -- control characters are texts like any other -------------------------------------------------


CONTROL_TEXTS = ["nul \x00 inside", "bell \x07 and escape \x1b[31m", "tab\tand form feed \x0c here", "sep \u2028 line"]


def test_control_characters_are_scored_as_they_are(tmp_path):
    jsonl = _jsonl(tmp_path / "ctl.jsonl", [{"text": t} for t in CONTROL_TEXTS])
    csv_file = tmp_path / "ctl.csv"
    csv_file.write_text("text\n" + "".join(f'"{t}"\n' for t in CONTROL_TEXTS), encoding="utf-8", newline="")
    for src in (jsonl, csv_file):
        result = run("rewards", "score", "--function", "length", "--input", src)
        assert result.exit_code == 0, result.output
        rows = _scores(result.output)
        assert [row["text"] for row in rows] == CONTROL_TEXTS  # each output line is valid JSON
        assert all(0.0 <= row["score"] <= 1.0 for row in rows)


def test_txt_lines_end_only_at_line_breaks(tmp_path):
    """A form feed, a NUL or U+2028 inside a line stays in its text (str.splitlines would split there)."""
    txt = tmp_path / "ctl.txt"
    txt.write_text("\n".join(CONTROL_TEXTS) + "\r\nlast\rafter a lone CR\n", encoding="utf-8", newline="")
    assert read_text_file(txt, field="--texts").texts == [*CONTROL_TEXTS, "last", "after a lone CR"]


# -- empty inputs --------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\n\n", b"text,id\n"], ids=["empty", "blank-lines", "header-only"])
def test_empty_input_gives_an_empty_output_and_a_warning(tmp_path, content):
    src = tmp_path / ("in.csv" if content.startswith(b"text") else "in.jsonl")
    src.write_bytes(content)
    out = tmp_path / "scores.jsonl"
    out.write_text("old\n")
    result = run("rewards", "score", "--function", "length", "--input", src, "--output", out)
    assert result.exit_code == 0, result.output
    assert "has no rows to score; the output is empty" in result.output
    assert out.read_text() == ""


def test_the_empty_input_rule_is_in_the_help():
    result = run("rewards", "score", "--help")
    assert "no rows" in result.output and "empty output" in result.output


# -- bounded messages: billion laughs, 10 MB lines -------------------------------------------------


def _laughs(levels: int = 9) -> str:
    """A YAML flow value of about 400 characters that stands for 9**levels values ("billion laughs").

    Each level is a list: the anchored definition of the level below, then eight aliases of it,
    so the first element (the one an error names first) is itself the whole bomb but one level.
    """
    names = "abcdefghij"[:levels]
    value = f"&{names[0]} [" + ", ".join(["x"] * 9) + "]"
    for prev, name in itertools.pairwise(names):
        value = f"&{name} [{value}, " + ", ".join(f"*{prev}" for _ in range(8)) + "]"
    return value


def _laughs_config(tmp_path: Path, field: str, base: str) -> Path:
    path = tmp_path / f"laughs-{field}.yaml"
    path.write_text(f"{base}{field}: {_laughs()}\n")
    assert len(path.read_bytes()) < 800
    return path


@pytest.mark.parametrize("field", ["reward_functions", "learning_rate", "no_such_key"])
@pytest.mark.parametrize("command", ["train-reward-model", "ppo"])
def test_a_billion_laughs_config_is_refused_quickly_in_one_line(tmp_path, command, field):
    # Every other field is set, so without the reader's check the bomb reaches the field's validator.
    base = ("model_name: ./policy\noutput_dir: out\n" if command == "ppo" else
            "base_model_name: ./base\noutput_dir: out\ntraining_texts: [" + ", ".join(f"t{i}" for i in range(12)) + "]\n")
    if field != "reward_functions":
        base += "reward_functions: [length]\n"
    config = _laughs_config(tmp_path, field, base)
    args = ["--config", config] + (["--dry-run"] if command == "ppo" else [])
    start = time.perf_counter()
    result = run(command, *args)
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"took {elapsed:.1f} s"
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    message = result.output.strip()
    assert "\n" not in message and len(message) < 2000, message[:3000]
    assert "billion laughs" in message


def test_a_billion_laughs_set_value_is_refused(tmp_path):
    config = tmp_path / "ppo.yaml"
    config.write_text("model_name: ./policy\noutput_dir: out\nreward_functions: [length]\n")
    value = _laughs()
    start = time.perf_counter()
    result = run("ppo", "--config", config, "--set", f"reward_functions={value}", "--dry-run")
    assert time.perf_counter() - start < 5
    assert result.exit_code == 1 and "--set 'reward_functions'" in result.output and "billion laughs" in result.output


def test_a_self_referencing_alias_is_refused():
    from aligntune.textio import parse_yaml

    with pytest.raises(ConfigurationError, match="an alias inside the value it names"):
        parse_yaml("a: &a [1, *a]\n", origin="cfg")


def test_ordinary_anchors_and_merge_keys_still_work():
    from aligntune.textio import parse_yaml

    doc = "base: &b {lr: 0.1, epochs: 2}\nrun:\n  <<: *b\n  epochs: 3\nlist: &l [1, 2]\nagain: *l\n"
    assert parse_yaml(doc, origin="cfg") == {
        "base": {"lr": 0.1, "epochs": 2}, "run": {"lr": 0.1, "epochs": 3}, "list": [1, 2], "again": [1, 2]}


TEN_MB = 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("long.jsonl", '{"text": "' + "x" * TEN_MB + "\n", "is not valid JSON: Unterminated string"),
        ("long-list.jsonl", '{"text": [' + "1, " * (TEN_MB // 3) + "1]}\n", "'text' must be a string, got list"),
        ("long-key.jsonl", '{"' + "k" * TEN_MB + '": 1}\n', "has no 'text' field"),
        ("long.csv", "text\n" + "y" * TEN_MB + "\n", "field larger than field limit"),
        ("deep.jsonl", "[" * TEN_MB + "\n", "nested too deeply"),
    ],
)
def test_a_10_mb_line_gives_a_short_message(tmp_path, name, content, fragment):
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    start = time.perf_counter()
    result = run("rewards", "score", "--function", "length", "--input", src)
    assert time.perf_counter() - start < 10
    assert result.exit_code == 1, result.output[:2000]
    message = result.output.strip()
    assert fragment in message and f"{name}:" in message
    assert "\n" not in message and len(message) < 1000, message[:2000]


def test_a_10_mb_text_is_scored(tmp_path):
    src = _jsonl(tmp_path / "big.jsonl", [{"text": "word " * (TEN_MB // 5)}, {"text": "short"}])
    result = run("rewards", "score", "--function", "length", "--input", src)
    assert result.exit_code == 0, result.output[:2000]
    assert len(_scores(result.output)) == 2


# -- the readers as functions -----------------------------------------------------------------------


def test_invalid_utf8_names_the_line_in_every_reader(tmp_path):
    from aligntune.reward_model.inputs import open_texts
    from aligntune.rl.prompts import load_prompt_dataset

    jsonl = tmp_path / "bad.jsonl"
    jsonl.write_bytes(b'{"text": "ok", "prompt": "p"}\n{"text": "caf\xe9", "prompt": "p"}\n')
    txt = tmp_path / "bad.txt"
    txt.write_bytes(b"ok\nalso ok\ncaf\xe9\n")
    with pytest.raises(DataError, match=r"bad.jsonl:2 is not UTF-8 text: byte 14 of the line is 0xe9"):
        list(iter_records(jsonl))
    with pytest.raises(DataError, match=r"bad.jsonl:2 is not UTF-8"):
        open_texts(str(jsonl))
    with pytest.raises(DataError, match=r"bad.jsonl:2 is not UTF-8"):
        load_prompt_dataset(str(jsonl))
    with pytest.raises(DataError, match=r"--texts: .*bad.txt:3 is not UTF-8 text"):
        read_text_file(txt, field="--texts")


def test_utf16_files_are_named_as_such(tmp_path):
    src = tmp_path / "wide.jsonl"
    src.write_bytes('{"text": "hello"}\n'.encode("utf-16"))
    with pytest.raises(DataError, match=r"wide.jsonl:1 is not UTF-8 text: it is UTF-16"):
        list(iter_records(src))


def test_messages_do_not_grow_with_the_value(tmp_path):
    src = tmp_path / "wide.jsonl"
    src.write_text(json.dumps({"text": {"k": "v" * 100_000}}) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        list(iter_records(src))
    assert len(str(info.value)) < 600
    assert os.fspath(src) in str(info.value)
