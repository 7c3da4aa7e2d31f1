"""Reward-model training errors name settings as the caller wrote them (issue 25).

``create_rl_trainer(reward_training_texts=...)`` hears about ``reward_training_texts``, not
``RewardModelTrainingConfig.training_texts``; ``aligntune train-reward-model`` about
``--learning-rate`` and ``--overwrite`` (or the YAML key it read), not ``overwrite=True``; an
offline hub name given as ``reward_model_name`` is told to use ``reward_model_path``, not
``base_model_name``. The config's own names stay for code that builds the config itself.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aligntune.cli import main
from aligntune.core.backend_factory import create_rl_trainer
from aligntune.core.rl.config import RewardModelTrainingConfig
from aligntune.errors import AlignTuneError, ConfigurationError

TEXTS = [f"Answer number {i}: " + "and more words " * (3 * i) for i in range(12)]  # lengths the length rule tells apart


def _rl(tmp_path, **reward):
    return create_rl_trainer(model_name="unused/policy", backend="trl", algorithm="ppo",
                             output_dir=str(tmp_path / "run"), **reward)


@pytest.mark.parametrize(
    "reward, message",
    [
        ({"reward_training_texts": TEXTS[:3]}, r"^reward_training_texts needs at least 10 training texts, got 3"),
        ({"reward_training_texts": TEXTS, "reward_training_lr": -1}, r"^reward_training_lr must be > 0, got -1"),
        ({"reward_training_texts": TEXTS, "reward_function_weights": [1, 2]},
         r"^reward_function_weights must have one weight per reward function"),
        ({"reward_training_texts": TEXTS[:4] + ["bad \ud800"] + TEXTS[5:]},
         r"^reward_training_texts\[4\] holds a lone surrogate"),
        ({"reward_training_texts": TEXTS, "reward_training_resume_from_checkpoint": True},
         r"^reward_training_resume_from_checkpoint=True needs reward_training_checkpoint_dir="),
    ],
    ids=["too-few-texts", "learning-rate", "weights", "surrogate", "resume-without-checkpoint-dir"],
)
def test_create_rl_trainer_names_its_own_keywords(tmp_path, reward, message):
    with pytest.raises(AlignTuneError, match=message) as info:
        _rl(tmp_path, train_custom_reward_model=True, reward_functions=["length"], **reward)
    assert "RewardModelTrainingConfig" not in str(info.value)


def test_the_config_itself_keeps_its_field_names(tmp_path):
    with pytest.raises(ConfigurationError, match=r"^RewardModelTrainingConfig.learning_rate must be > 0"):
        RewardModelTrainingConfig(base_model_name="base", training_texts=TEXTS, reward_functions=["length"],
                                  output_dir=str(tmp_path / "rm"), learning_rate=-1)


def test_an_uncached_reward_model_name_suggests_reward_model_path(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigurationError) as info:
        _rl(tmp_path, reward_model_name="someone/not-a-cached-reward-model")
    assert "reward_model_path='/path/to/model'" in str(info.value)
    assert "base_model_name" not in str(info.value)


def test_rl_reward_training_base_model_is_named_as_given(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigurationError) as info:
        _rl(tmp_path, train_custom_reward_model=True, reward_functions=["length"], reward_training_texts=TEXTS,
            reward_training_base_model="someone/not-a-cached-base")
    assert "reward_training_base_model='/path/to/model'" in str(info.value)
    assert "base_model_name" not in str(info.value)


def _train(tmp_path, *args):
    texts = tmp_path / "texts.txt"
    texts.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    return CliRunner().invoke(main, ["train-reward-model", "--functions", "length", "--texts", str(texts), *args])


def test_the_cli_names_its_options(tmp_path, tiny_bert_dir):
    result = _train(tmp_path, "--base-model", str(tiny_bert_dir), "--output-dir", str(tmp_path / "rm"),
                    "--learning-rate=-1")
    assert result.exit_code == 1
    assert "Error: --learning-rate must be > 0, got -1" in result.output


def test_the_cli_says_overwrite_as_a_flag(tmp_path, tiny_bert_dir):
    out = tmp_path / "rm"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = _train(tmp_path, "--base-model", str(tiny_bert_dir), "--output-dir", str(out))
    assert result.exit_code == 1
    assert f"--output-dir '{out}' already exists and is not empty" in result.output
    assert "pass --overwrite to replace it" in result.output and "overwrite=True" not in result.output
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_cli_names_a_yaml_key_by_its_key(tmp_path, tiny_bert_dir):
    config = tmp_path / "rm.yaml"
    config.write_text(f"base_model_name: {tiny_bert_dir}\noutput_dir: {tmp_path / 'rm'}\nlearning_rate: -1\n",
                      encoding="utf-8")
    result = _train(tmp_path, "--config", str(config))
    assert result.exit_code == 1
    assert "Error: learning_rate must be > 0, got -1" in result.output
    assert "RewardModelTrainingConfig" not in result.output


def test_the_cli_names_an_uncached_base_model_as_an_option(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = _train(tmp_path, "--base-model", "someone/not-a-cached-base", "--output-dir", str(tmp_path / "rm"))
    assert result.exit_code == 1
    assert "--base-model /path/to/model" in result.output and "base_model_name=" not in result.output
    assert "Scoring texts" not in result.output  # said before the texts are scored
