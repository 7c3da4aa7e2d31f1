"""The end-to-end demo, shrunk to seconds (the full-size run is timed separately)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.mark.slow
def test_demo_runs_end_to_end_and_saves_everything(tmp_path, tiny_bert_dir, capsys):
    from aligntune.demo import run_demo

    out = tmp_path / "demo"
    summary = run_demo(out, corpus_size=80, warmup_steps=5, reward_epochs=1, reward_max_length=64, ppo_episodes=8,
                       ppo_batch_size=4, response_length=8, reward_base_model=str(tiny_bert_dir), eval_prompts=4)
    printed = capsys.readouterr().out
    assert "fidelity" in printed and "mean reward per step: first" in printed
    assert summary["ppo_steps"] == 2 and not summary["fast_path"]  # BPE policy vs BERT tokenizer
    assert summary["fidelity"]["spearman"] is not None
    for key in ("reward_model", "policy", "reward_curve", "metrics"):
        assert Path(summary[key]).exists(), key
    assert (Path(summary["reward_model"]) / "config.json").is_file()
    assert json.loads((out / "demo_summary.json").read_text())["ppo_steps"] == 2
    assert (out / "ppo_config.yaml").read_text().startswith("# Rerun")
    with pytest.raises(ValueError, match="not empty"):
        run_demo(out)


@pytest.mark.slow
def test_demo_config_file_validates_with_the_cli(tmp_path, tiny_bert_dir):
    from click.testing import CliRunner

    from aligntune.cli import main
    from aligntune.demo import run_demo

    out = tmp_path / "demo"
    run_demo(out, corpus_size=40, warmup_steps=2, reward_max_length=64, ppo_episodes=4, ppo_batch_size=4,
             response_length=4, reward_base_model=str(tiny_bert_dir), eval_prompts=2)
    result = CliRunner().invoke(main, ["ppo", "--config", str(out / "ppo_config.yaml"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "reward model (custom_trained" in result.output


@pytest.mark.slow
def test_demo_with_grpo_runs_and_its_config_names_the_algorithm(tmp_path, tiny_bert_dir, capsys):
    import yaml
    from click.testing import CliRunner

    from aligntune.cli import main
    from aligntune.demo import run_demo

    out = tmp_path / "demo"
    summary = run_demo(out, algorithm="grpo", corpus_size=40, warmup_steps=2, reward_max_length=64, ppo_episodes=16,
                       ppo_batch_size=2, num_generations=4, response_length=6, reward_base_model=str(tiny_bert_dir),
                       eval_prompts=2)
    printed = capsys.readouterr().out
    assert "[3/3] GRPO with backend='trl' (16 completions, 4 per prompt" in printed
    assert "GRPO (2 steps" in printed and "mean reward per step: first" in printed
    assert summary["algorithm"] == "grpo" and summary["grpo_steps"] == 2 and "ppo_steps" not in summary
    assert json.loads(Path(summary["metrics"]).read_text())["summary"]["algorithm"] == "grpo"
    assert Path(summary["policy"]).is_dir() and Path(summary["reward_model"]).is_dir()
    text = (out / "ppo_config.yaml").read_text()
    assert text.startswith("# Rerun the demo's GRPO flow: aligntune rl --config")
    config = yaml.safe_load(text)
    assert config["algorithm"] == "grpo" and config["num_generations"] == 4 and config["max_completion_length"] == 6
    assert not {"kl_coef", "num_ppo_epochs", "response_length"} & set(config)
    result = CliRunner().invoke(main, ["rl", "--config", str(out / "ppo_config.yaml"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "algorithm 'grpo'" in result.output and "reward model (custom_trained" in result.output
