"""``aligntune rl --config FILE.yaml``: the YAML's ``algorithm:`` picks PPO, GRPO or RLOO."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from aligntune.cli import main
from aligntune.rl.backends import get_backend


def _write(tmp_path, data, name="rl.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def _grpo(policy_dir, prompts_file, tmp_path, **extra):
    return {"model_name": str(policy_dir), "dataset_name": str(prompts_file), "algorithm": "grpo", "backend": "trl",
            "reward_functions": ["length", "sentiment"], "output_dir": str(tmp_path / "out"), "batch_size": 2,
            "num_generations": 2, "total_episodes": 8, "response_length": 8, "learning_rate": 1e-4, **extra}


@pytest.mark.slow
def test_rl_command_runs_grpo_and_saves(policy_dir, prompts_file, tmp_path):
    config = _write(tmp_path, _grpo(policy_dir, prompts_file, tmp_path))
    result = CliRunner().invoke(main, ["rl", "--config", config])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{"):])
    assert summary["algorithm"] == "grpo" and summary["steps"] == 2
    assert (tmp_path / "out" / "policy" / "config.json").is_file()
    assert json.loads((tmp_path / "out" / "metrics.json").read_text())["summary"]["algorithm"] == "grpo"
    again = CliRunner().invoke(main, ["rl", "--config", config])  # the previous run is kept...
    assert again.exit_code == 1 and "--overwrite" in again.output
    again = CliRunner().invoke(main, ["rl", "--config", config, "--overwrite", "--set", "algorithm=rloo"])
    assert again.exit_code == 0, again.output  # ...unless replaced, and --set picks another algorithm
    assert json.loads(again.output[again.output.index("{"):])["algorithm"] == "rloo"


def test_rl_dry_run_validates_and_names_the_algorithm(policy_dir, prompts_file, tmp_path):
    config = _write(tmp_path, _grpo(policy_dir, prompts_file, tmp_path))
    result = CliRunner().invoke(main, ["rl", "--config", config, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Configuration is valid: algorithm 'grpo', backend 'trl'" in result.output
    assert not (tmp_path / "out").exists()
    result = CliRunner().invoke(main, ["rl", "--config", config, "--dry-run", "--set", "num_generations=1"])
    assert result.exit_code == 1 and "num_generations must be at least 2 for grpo" in result.output
    result = CliRunner().invoke(main, ["rl", "--config", config, "--dry-run", "--set", "algorithm=ppo"])
    assert result.exit_code == 1 and "num_generations applies to algorithm 'grpo' or 'rloo' only" in result.output


def test_rl_with_grpo_and_a_ppo_only_typo_suggests_the_closest_name(policy_dir, prompts_file, tmp_path):
    config = _write(tmp_path, _grpo(policy_dir, prompts_file, tmp_path, num_ppo_epoch=2))
    result = CliRunner().invoke(main, ["rl", "--config", config, "--dry-run"])
    assert result.exit_code == 1
    assert "unknown argument 'num_ppo_epoch'. Did you mean 'num_ppo_epochs'?" in result.output
    assert len(result.output.strip().splitlines()) == 1
    config = _write(tmp_path, _grpo(policy_dir, prompts_file, tmp_path, num_generation=2), "typo2.yaml")
    result = CliRunner().invoke(main, ["rl", "--config", config, "--dry-run"])
    assert result.exit_code == 1 and "Did you mean 'num_generations'?" in result.output


def test_rl_needs_the_config_to_name_its_algorithm_and_ppo_does_not(policy_dir, prompts_file, tmp_path):
    data = {"model_name": str(policy_dir), "dataset_name": str(prompts_file), "reward_functions": ["length"],
            "output_dir": str(tmp_path / "out")}
    config = _write(tmp_path, data)
    result = CliRunner().invoke(main, ["rl", "--config", config, "--dry-run"])
    assert result.exit_code == 1 and "names no algorithm" in result.output and "algorithm: grpo" in result.output
    result = CliRunner().invoke(main, ["rl", "--config", config, "--dry-run", "--set", "algorithm=rloo"])
    assert result.exit_code == 0 and "algorithm 'rloo'" in result.output
    result = CliRunner().invoke(main, ["ppo", "--config", config, "--dry-run"])  # ppo: unchanged, PPO by default
    if get_backend("trl").check_algorithm("ppo").available:
        assert result.exit_code == 0 and result.output.startswith("Configuration is valid: backend 'trl'")
    else:  # trl > 1.12 has no PPO: ppo says so, where rl with grpo/rloo runs
        assert result.exit_code == 1 and "cannot run 'ppo' here" in result.output
