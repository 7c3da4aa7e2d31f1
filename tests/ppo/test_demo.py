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
