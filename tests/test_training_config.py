"""RewardModelTrainingConfig validation, train_from_config, and the train-reward-model command."""

from __future__ import annotations

import json
import math

import attrs
import pytest
import yaml
from click.testing import CliRunner

from aligntune.core.rl.config import RewardModelTrainingConfig
from aligntune.errors import ConfigurationError

TEXTS = [f"Response number {i} with {'many ' * (i % 7)}words, thanks!" for i in range(12)]


@pytest.fixture
def valid(text_rewards, tmp_path):
    return {
        "base_model_name": "some/model",
        "training_texts": TEXTS,
        "reward_functions": text_rewards[:2],
        "output_dir": str(tmp_path / "out"),
    }


@pytest.mark.parametrize("field", ["base_model_name", "training_texts", "reward_functions", "output_dir"])
def test_required_fields_must_be_non_empty(valid, field):
    empty = [] if field in ("training_texts", "reward_functions") else ""
    with pytest.raises(ConfigurationError, match=rf"RewardModelTrainingConfig\.{field} .*(required|must not be empty)"):
        RewardModelTrainingConfig(**{**valid, field: empty})


def test_at_least_ten_training_texts(valid):
    with pytest.raises(ConfigurationError, match=r"training_texts needs at least 10 training texts, got 3"):
        RewardModelTrainingConfig(**{**valid, "training_texts": TEXTS[:3]})


def test_unknown_function_lists_the_available_ones(valid, text_rewards):
    with pytest.raises(ConfigurationError, match=r"Unknown reward function 'politenes'.*Did you mean 'politeness'.*Available: .*word_count"):
        RewardModelTrainingConfig(**{**valid, "reward_functions": ["politenes"]})


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([0.5], r"one weight per reward function: got 1 weights"),
        ([0.5, -1], r"reward_weights\[1\] must be a positive finite number, got -1"),
        ([0.5, 0], r"reward_weights\[1\] must be a positive finite number, got 0"),
        ([0.5, math.inf], r"reward_weights\[1\] must be a positive finite number, got inf"),
        ([0.5, math.nan], r"reward_weights\[1\] must be a positive finite number, got nan"),
    ],
)
def test_weights_positive_finite_one_per_function(valid, weights, message):
    with pytest.raises(ConfigurationError, match=message):
        RewardModelTrainingConfig(**{**valid, "reward_weights": weights})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("num_epochs", 0, r"num_epochs must be > 0, got 0"),
        ("learning_rate", -1e-5, r"learning_rate must be > 0, got -1e-05"),
        ("batch_size", 0, r"batch_size must be >= 1, got 0"),
        ("batch_size", 2.5, r"batch_size must be an integer >= 1, got float"),
    ],
)
def test_training_numbers_must_be_positive(valid, field, value, message):
    with pytest.raises(ConfigurationError, match=rf"RewardModelTrainingConfig\.{message}"):
        RewardModelTrainingConfig(**{**valid, field: value})


def test_references_and_prompts_one_per_text(valid):
    with pytest.raises(ConfigurationError, match=r"reference_texts must be a list with one entry per training text: got 2 for 12"):
        RewardModelTrainingConfig(**{**valid, "reference_texts": ["a", "b"]})
    with pytest.raises(ConfigurationError, match=r"training_prompts must be a list with one entry per training text"):
        RewardModelTrainingConfig(**{**valid, "training_prompts": ["a"]})


def test_guide_config_example_constructs(valid, text_rewards):
    config = RewardModelTrainingConfig(
        base_model_name="microsoft/DialoGPT-medium",
        training_texts=TEXTS,
        reward_functions=text_rewards[:2],
        output_dir="./reward_models/custom",
        reward_weights=[0.5, 0.5],
        num_epochs=3,
        learning_rate=1e-5,
        batch_size=8,
        gradient_accumulation_steps=4,
        max_length=512,
    )
    assert config.gradient_accumulation_steps == 4 and config.reward_weights == [0.5, 0.5]


@pytest.mark.slow
def test_train_from_config_runs_the_whole_pipeline(text_rewards, tiny_bert_dir, corpus_40, tmp_path):
    from aligntune.rewards.training import RewardModelTrainer, train_from_config

    config = RewardModelTrainingConfig(
        base_model_name=str(tiny_bert_dir),
        training_texts=corpus_40.texts,
        training_prompts=corpus_40.prompts,
        reward_functions=text_rewards,
        reward_weights=[2, 1, 1],
        output_dir=str(tmp_path / "rm"),
        num_epochs=1,
        learning_rate=1e-3,
        batch_size=8,
        max_length=64,
        eval_fraction=0.1,
    )
    trainer = RewardModelTrainer.from_config(config)
    assert trainer.composite.weights == pytest.approx([0.5, 0.25, 0.25])
    path = train_from_config(config)
    assert path == str((tmp_path / "rm").resolve())
    manifest = json.loads((tmp_path / "rm" / "aligntune.json").read_text())
    assert manifest["reward_functions"]["functions"] == text_rewards
    assert manifest["data"]["uses_prompts"] is True and manifest["data"]["n_texts"] == 40
    assert path.fidelity.n_texts == 4


@pytest.mark.slow
def test_cli_trains_from_yaml_with_overrides(text_rewards, tiny_bert_dir, corpus_40, tmp_path):
    from aligntune.cli import main

    texts_file = tmp_path / "texts.jsonl"
    texts_file.write_text(
        "\n".join(json.dumps({"text": t, "prompt": p}) for t, p in zip(corpus_40.texts, corpus_40.prompts)) + "\n"
    )
    config = tmp_path / "rm.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "base_model_name": str(tiny_bert_dir),
                "training_texts_file": "texts.jsonl",
                "reward_functions": text_rewards[:2],
                "output_dir": str(tmp_path / "ignored"),
                "num_epochs": 1,
                "learning_rate": 1e-3,
                "max_length": 64,
            }
        )
    )
    out = tmp_path / "from-cli"
    result = CliRunner().invoke(
        main, ["train-reward-model", "--config", str(config), "--output-dir", str(out), "--batch-size", "4"]
    )
    assert result.exit_code == 0, result.output
    assert "Fidelity: Spearman" in result.stdout and "politeness" in result.stdout
    assert f"Reward model saved to: {out.resolve()}" in result.stdout
    manifest = json.loads((out / "aligntune.json").read_text())
    assert manifest["training"]["batch_size"] == 4 and manifest["data"]["uses_prompts"] is True
    assert not (tmp_path / "ignored").exists()


def test_cli_reports_config_errors_in_one_line(text_rewards, tmp_path):
    from aligntune.cli import main

    config = tmp_path / "bad.yaml"
    config.write_text(yaml.safe_dump({"reward_functions": ["politeness"], "training_texts": ["a", "b"],
                                      "output_dir": str(tmp_path / "o"), "base_model_name": "x/y"}))
    result = CliRunner().invoke(main, ["train-reward-model", "--config", str(config)])
    assert result.exit_code == 1
    # named by its YAML key, as the user wrote it (issue 25), not as RewardModelTrainingConfig.training_texts
    assert "Error: training_texts needs at least 10 training texts, got 2" in result.output
    assert "RewardModelTrainingConfig" not in result.output
    assert "Traceback" not in result.output
    config.write_text(yaml.safe_dump({"reward_function": ["politeness"]}))
    result = CliRunner().invoke(main, ["train-reward-model", "--config", str(config)])
    assert result.exit_code == 1 and "Unknown field(s) ['reward_function']" in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_cli_scores_with_prompts_when_the_model_was_trained_with_them(text_rewards, tiny_bert_dir, corpus_40, tmp_path):
    from aligntune.cli import main
    from aligntune.reward_model.scoring import load_text_reward_model
    from aligntune.rewards.training import train_from_config

    config = RewardModelTrainingConfig(
        base_model_name=str(tiny_bert_dir), training_texts=corpus_40.texts, training_prompts=corpus_40.prompts,
        reward_functions=text_rewards[:1], output_dir=str(tmp_path / "rm"), num_epochs=1, max_length=64,
        objective="pairs",  # a one-step model whose scores move with its input (the heads of 'rules' start fitted)
    )
    path = train_from_config(config, training_args={"max_steps": 1})
    rm = load_text_reward_model(path)
    assert rm.uses_prompts
    text, prompt = corpus_40.texts[0], corpus_40.prompts[0]
    result = CliRunner().invoke(main, ["rewards", "score", "--model", str(path), "--text", text, "--prompt", prompt])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["score"] == pytest.approx(rm.score([text], prompts=[prompt])[0], abs=1e-5)
    assert json.loads(result.stdout)["score"] != pytest.approx(rm.score([text])[0], abs=1e-7)


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"resume_from_checkpoint": True}, "resume_from_checkpoint=True needs checkpoint_dir"),
        ({"resume_from_checkpoint": "  "}, "must be True, False or a checkpoint directory"),
        ({"resume_from_checkpoint": 3}, "must be True, False or a checkpoint directory, got int: 3"),
        ({"save_steps": 0}, "save_steps"),
        ({"checkpoint_dir": "SAME"}, "checkpoint_dir must differ from output_dir"),
    ],
)
def test_checkpoint_fields_are_validated(valid, extra, message):
    if extra.get("checkpoint_dir") == "SAME":
        extra = {"checkpoint_dir": valid["output_dir"]}
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(")):
        RewardModelTrainingConfig(**valid, **extra)


@pytest.mark.slow
def test_cli_checkpoints_and_resumes(text_rewards, tiny_bert_dir, corpus_40, tmp_path):
    """--checkpoint-dir keeps TRL checkpoints every --save-steps; --resume continues from the latest one."""
    from aligntune.cli import main

    texts_file = tmp_path / "texts.jsonl"
    texts_file.write_text("\n".join(json.dumps({"text": t}) for t in corpus_40.texts) + "\n")
    ckpt = tmp_path / "ckpt"
    common = ["train-reward-model", "--base-model", str(tiny_bert_dir), "--functions", ",".join(text_rewards[:2]),
              "--texts", str(texts_file), "--learning-rate", "1e-3", "--max-length", "64", "--batch-size", "4",
              "--checkpoint-dir", str(ckpt), "--save-steps", "3", "--min-score-gap", "0.0"]
    first = CliRunner().invoke(main, [*common, "--output-dir", str(tmp_path / "a"), "--num-epochs", "1"])
    assert first.exit_code == 0, first.output
    saved = sorted(p.name for p in ckpt.iterdir() if p.name.startswith("checkpoint-"))
    steps = json.loads((tmp_path / "a" / "aligntune.json").read_text())["training"]["global_steps"]
    assert saved and f"checkpoint-{steps}" in saved
    state_file = ckpt / f"checkpoint-{steps}" / "trainer_state.json"
    state = json.loads(state_file.read_text())
    state["log_history"].append({"step": 0, "marker": "from the first run"})
    state_file.write_text(json.dumps(state))
    second = CliRunner().invoke(main, [*common, "--output-dir", str(tmp_path / "b"), "--num-epochs", "2", "--resume"])
    assert second.exit_code == 0, second.output
    manifest = json.loads((tmp_path / "b" / "aligntune.json").read_text())
    assert manifest["training"]["global_steps"] == 2 * steps
    assert manifest["data"]["min_score_gap"] == 0.0
    resumed_state = json.loads((ckpt / f"checkpoint-{2 * steps}" / "trainer_state.json").read_text())
    assert {"step": 0, "marker": "from the first run"} in resumed_state["log_history"]  # the state was loaded


def test_the_docs_table_of_settings_is_the_one_the_config_derives():
    from pathlib import Path

    from aligntune.reward_model.config import spellings_markdown

    docs = (Path(__file__).resolve().parent.parent / "docs" / "reward-model-training.md").read_text(encoding="utf-8")
    assert spellings_markdown() in docs


def test_every_spelling_reaches_the_same_field():
    """The trainer keywords, create_rl_trainer keywords and CLI options are derived from the config fields."""
    import inspect

    from aligntune.cli.train_cmd import train_reward_model as command
    from aligntune.reward_model.config import FIELDS, rl_keywords
    from aligntune.rewards.training import RewardModelTrainer
    from aligntune.rl.factory import REWARD_TRAINING_ARGS, valid_arguments

    assert REWARD_TRAINING_ARGS == rl_keywords()
    assert REWARD_TRAINING_ARGS["reward_training_lr"] == "learning_rate"
    assert set(REWARD_TRAINING_ARGS) <= set(valid_arguments())
    params = {
        **inspect.signature(RewardModelTrainer.__init__).parameters,
        **inspect.signature(RewardModelTrainer.train_reward_model).parameters,
    }
    for f in FIELDS.values():
        arg = f.metadata.get("arg") or f.name
        if f.metadata.get("stage") in ("trainer", "train"):
            assert arg in params, arg
            if f.default is not attrs.NOTHING:
                assert params[arg].default == f.default, arg  # the trainer's defaults are the config's
    options = {opt for p in command.params for opt in p.opts}
    assert {f.metadata["cli"] for f in FIELDS.values() if f.metadata.get("cli")} <= options


def test_a_plain_argument_is_checked_with_its_config_rule(valid):
    from aligntune.rewards.training import RewardModelTrainer

    with pytest.raises(ConfigurationError, match=r"RewardModelTrainer\.eval_fraction must be between 0 and 1"):
        RewardModelTrainer("some/model", valid["reward_functions"], eval_fraction=1.5)
    with pytest.raises(ConfigurationError, match=r"RewardModelTrainingConfig\.eval_fraction must be between 0 and 1"):
        RewardModelTrainingConfig(**{**valid, "eval_fraction": 1.5})
