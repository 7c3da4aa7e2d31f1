"""The plugins and rewards commands, driven through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aligntune import hookimpl
from aligntune.cli import main
from aligntune.plugins import PluginManager, set_plugin_manager
from aligntune.rewards.base import reward_function


class CliRewards:
    __name__ = "cli-rewards"

    @hookimpl
    def register_reward_functions(self, register):
        register(reward_function(lambda text: min(1.0, len(text.split()) / 10), name="wordy", description="Words/10."))
        register(reward_function(lambda text: float("please" in text.lower()), name="polite", description="Says please."))


@pytest.fixture
def plugins():
    pm = PluginManager()
    pm.register(CliRewards())
    previous = set_plugin_manager(pm)
    try:
        yield pm
    finally:
        set_plugin_manager(previous)


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_plugins_json_lists_registrations(plugins):
    result = run("plugins", "--json")
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["cli-rewards"]["registers"]["reward_functions"] == ["polite", "wordy"]
    assert rows["cli-rewards"]["origin"] == "in-process"
    assert rows["aligntune.rl.builtin_sources"]["distribution"] == "aligntune"


def test_plugins_text(plugins):
    result = run("plugins")
    assert result.exit_code == 0
    assert "cli-rewards  [in-process]" in result.output
    assert "reward_functions: polite, wordy" in result.output


def test_rewards_list(plugins):
    result = run("rewards", "list")
    assert result.exit_code == 0
    assert "polite" in result.output and "Says please." in result.output and "(cli-rewards)" in result.output


def test_score_text_with_weights(plugins):
    result = run("rewards", "score", "--function", "wordy,polite", "--weights", "1,3", "--text", "please do it")
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert row["wordy"] == pytest.approx(0.3)
    assert row["polite"] == 1.0
    assert row["score"] == pytest.approx(0.25 * 0.3 + 0.75 * 1.0)


def test_score_jsonl_file_to_jsonl(plugins, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"text": t, "id": i}) for i, t in enumerate(["a b", "please a b c d"])))
    out = tmp_path / "out.jsonl"
    result = run("rewards", "score", "--function", "wordy,polite", "--input", str(src), "--output", str(out))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["text"] for r in rows] == ["a b", "please a b c d"]
    assert rows[1]["score"] > rows[0]["score"]
    assert set(rows[0]) == {"text", "score", "wordy", "polite"}


def test_score_csv_file(plugins, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("body,other\nplease help,1\nno,2\n")
    result = run("rewards", "score", "--function", "polite", "--input", str(src), "--text-column", "body")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["polite"] for line in result.output.splitlines()] == [1.0, 0.0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--function", "wordyy", "--text", "x"], "Unknown reward function 'wordyy'. Did you mean 'wordy'?"),
        (["--function", "wordy,polite", "--weights", "1,0", "--text", "x"], "weights[1] must be a positive finite number, got 0"),
        (["--function", "wordy,polite", "--weights", "1", "--text", "x"], "got 1 weights [1.0] for 2 functions"),
        (["--function", "wordy", "--weights", "a", "--text", "x"], "--weights must be comma-separated numbers, got 'a'"),
        (["--function", "wordy", "--input", "/nonexistent/in.jsonl"], "'/nonexistent/in.jsonl' does not exist"),
        (["--function", "wordy"], "Give texts to score with --text, or a file with --input"),
        (["--text", "x"], "Choose what scores: --function"),
    ],
)
def test_expected_errors_are_one_line_without_traceback(plugins, args, message):
    result = run("rewards", "score", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_unreadable_input_lines(plugins, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{not json}\n')
    result = run("rewards", "score", "--function", "wordy", "--input", str(bad))
    assert result.exit_code == 1
    assert "bad.jsonl:2 is not valid JSON" in result.output
    nocol = tmp_path / "nocol.jsonl"
    nocol.write_text('{"body": "ok"}\n')
    result = run("rewards", "score", "--function", "wordy", "--input", str(nocol))
    assert "has no 'text' field" in result.output and result.exit_code == 1
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = run("rewards", "score", "--function", "wordy", "--input", str(binary))
    assert result.exit_code == 1 and "not a readable CSV" in result.output
