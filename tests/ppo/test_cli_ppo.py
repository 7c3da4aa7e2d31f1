"""``aligntune ppo --config FILE.yaml`` through click's CliRunner."""

from __future__ import annotations

import json
import signal

import pytest
import yaml
from click.testing import CliRunner

from aligntune.cli import main


def _write(tmp_path, data):
    path = tmp_path / "ppo.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


@pytest.mark.slow
def test_ppo_command_runs_and_saves(policy_dir, prompts_file, tmp_path):
    config = _write(tmp_path, {
        "model_name": str(policy_dir), "dataset_name": str(prompts_file), "backend": "trl",
        "reward_functions": ["length"], "output_dir": str(tmp_path / "out"), "batch_size": 4,
        "total_episodes": 4, "response_length": 8, "num_ppo_epochs": 1,
    })
    result = CliRunner().invoke(main, ["ppo", "--config", config])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{"):])
    assert summary["steps"] == 1
    assert (tmp_path / "out" / "policy" / "config.json").is_file()


def test_ppo_command_errors_are_one_line(policy_dir, prompts_file, tmp_path):
    config = _write(tmp_path, {"model_name": str(policy_dir), "dataset_name": str(prompts_file),
                               "reward_functions": ["length"], "batch_size": 0})
    result = CliRunner().invoke(main, ["ppo", "--config", config])
    assert result.exit_code == 1
    assert "Error: RLTrainingConfig.batch_size must be >= 1, got 0" in result.output
    result = CliRunner().invoke(main, ["ppo", "--config", config, "--set", "batch_size=2", "--set", "learning_rat=1",
                                       "--dry-run"])
    assert result.exit_code == 1 and "Did you mean 'learning_rate'" in result.output
    result = CliRunner().invoke(main, ["ppo", "--config", config, "--set", "batch_size=2", "--dry-run"])
    assert result.exit_code == 0 and "Configuration is valid" in result.output


def test_training_texts_from_a_file(policy_dir, prompts_file, tmp_path):
    texts = tmp_path / "texts.txt"
    texts.write_text("\n".join(["only one text"] * 3), encoding="utf-8")
    config = _write(tmp_path, {"model_name": str(policy_dir), "dataset_name": str(prompts_file),
                               "train_custom_reward_model": True, "reward_training_texts": str(texts),
                               "reward_functions": ["length"]})
    result = CliRunner().invoke(main, ["ppo", "--config", config, "--dry-run"])
    assert result.exit_code == 1 and "at least 10 training texts, got 3" in result.output


def test_a_prompt_column_in_the_training_texts_file_is_used(tmp_path):
    from aligntune.cli.ppo_cmd import read_texts

    rows = tmp_path / "texts.jsonl"
    rows.write_text('{"text": "a", "prompt": "p1"}\n{"text": "b", "prompt": "p2"}\n', encoding="utf-8")
    assert read_texts(str(rows)) == (["a", "b"], ["p1", "p2"])
    partial = tmp_path / "partial.jsonl"
    partial.write_text('{"text": "a", "prompt": "p1"}\n{"text": "b"}\n', encoding="utf-8")
    assert read_texts(str(partial)) == (["a", "b"], None)
    assert read_texts(["x", "y"]) == (["x", "y"], None)


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code", "word"), [("SIGTERM", 143, "Terminated"), ("SIGINT", -signal.SIGINT, "Interrupted")])
def test_a_signal_mid_ppo_stops_cleanly_and_writes_no_policy(policy_dir, prompts_file, tmp_path, start_process,
                                                            signal_when, sig, code, word):
    """SIGTERM or Ctrl-C during `aligntune ppo`: one line, exit 143 or death by SIGINT, no policy, no half-written metrics."""
    import sys

    out = tmp_path / "out"
    config = _write(tmp_path, {
        "model_name": str(policy_dir), "dataset_name": str(prompts_file), "backend": "trl",
        "reward_functions": ["length"], "output_dir": str(out), "batch_size": 4,
        "total_episodes": 100_000, "response_length": 8, "num_ppo_epochs": 1,
    })
    proc = start_process([sys.executable, "-m", "aligntune.cli", "ppo", "--config", config], tmp_path)
    # once the run has started writing, and 3 s later it is in the PPO loop
    output = signal_when(proc, (out / "aligntune-output.json").is_file, getattr(signal, sig), settle=3)
    assert proc.returncode == code, output
    assert f"{word} (" in output and "Traceback" not in output
    assert sorted(p.name for p in out.iterdir()) == ["aligntune-output.json"]  # no policy, no metrics, no staging
