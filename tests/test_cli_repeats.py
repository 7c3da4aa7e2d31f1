"""An option given twice to train-reward-model, ppo or rl is refused, never silently replaced by the last."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aligntune.cli import main


@pytest.mark.parametrize(
    "args",
    [
        ["train-reward-model", "--functions", "length", "--functions", "sentiment", "--texts", "t.txt"],
        ["train-reward-model", "--output-dir", "a", "--output-dir", "b", "--functions", "length"],
        ["train-reward-model", "--texts", "a.txt", "--texts", "b.txt", "--functions", "length"],
        ["train-reward-model", "--learning-rate", "1e-4", "--learning-rate", "1e-3", "--functions", "length"],
    ],
    ids=["functions", "output-dir", "texts", "learning-rate"],
)
def test_train_reward_model_refuses_a_repeated_option(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "given 2 times" in result.output and "give it once" in result.output
    assert not list(tmp_path.iterdir()), "nothing may be written"


@pytest.mark.parametrize("command", ["ppo", "rl"])
def test_rl_commands_refuse_two_configs(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("model_name: ./policy\noutput_dir: ./out\n", encoding="utf-8")
    result = CliRunner().invoke(main, [command, "--config", "a.yaml", "--config", "b.yaml", "--dry-run"])
    assert result.exit_code == 2, result.output
    assert "given 2 times ('a.yaml', 'b.yaml')" in result.output
