"""create_rl_trainer / PPOTrainingConfig: every bad input fails with a clear error before any model loads."""

from __future__ import annotations

import json

import pytest

from aligntune.core.backend_factory import create_rl_trainer
from aligntune.rl.factory import build_rl_config, valid_arguments
from aligntune.core.rl.config import PPOTrainingConfig, RewardModelSourceConfig
from aligntune.errors import BackendError, ConfigurationError, DataError

TEXTS = [f"This is helpful response number {i}, explained step by step." for i in range(12)]


@pytest.fixture
def base(policy_dir, prompts_file, tmp_path):
    return dict(model_name=str(policy_dir), dataset_name=str(prompts_file), backend="trl", output_dir=str(tmp_path / "run"))


def test_guide_arguments_are_all_accepted():
    guide = {
        "model_name", "dataset_name", "algorithm", "backend", "train_custom_reward_model", "reward_training_texts",
        "reward_functions", "reward_function_weights", "reward_training_base_model", "reward_training_output_dir",
        "reward_training_epochs", "reward_training_lr", "reward_training_batch_size", "reward_model_name",
        "reward_model_path", "num_epochs", "batch_size", "learning_rate", "max_samples",
        "output_dir", "response_length", "kl_coef", "num_ppo_epochs", "seed", "report_to",
    }
    assert guide <= set(valid_arguments())


def test_unknown_keyword_suggests_the_closest(no_model_loads, base):
    with pytest.raises(ConfigurationError, match="unknown argument 'reward_model_pth'.*Did you mean 'reward_model_path'"):
        create_rl_trainer(**base, reward_model_pth="x")


def test_two_reward_sources_are_refused(no_model_loads, base, same_tok_rm_dir):
    with pytest.raises(ConfigurationError, match="exactly one source, got model_name and model_path|Exactly one reward source"):
        create_rl_trainer(**base, reward_model_name=str(same_tok_rm_dir), reward_model_path=str(same_tok_rm_dir))
    with pytest.raises(ConfigurationError, match="train_custom_reward_model=True trains one, but reward_model_path"):
        create_rl_trainer(**base, train_custom_reward_model=True, reward_training_texts=TEXTS,
                          reward_functions=["length"], reward_model_path=str(same_tok_rm_dir))
    with pytest.raises(ConfigurationError, match="got two: reward_source .*pretrained_local.* and reward_functions"):
        create_rl_trainer(**base, reward_model_path=str(same_tok_rm_dir), reward_functions=["length"])


def test_no_reward_source_is_refused(no_model_loads, base):
    with pytest.raises(ConfigurationError, match="exactly one reward source, got none"):
        create_rl_trainer(**base)


def test_training_texts_empty_or_too_few(no_model_loads, base):
    common = dict(train_custom_reward_model=True, reward_functions=["length", "safety"])
    with pytest.raises(ConfigurationError, match="training_texts is required and must not be empty"):
        create_rl_trainer(**base, **common, reward_training_texts=[])
    with pytest.raises(ConfigurationError, match="at least 10 training texts, got 3"):
        create_rl_trainer(**base, **common, reward_training_texts=TEXTS[:3])
    with pytest.raises(ConfigurationError, match="needs reward_training_texts"):
        create_rl_trainer(**base, train_custom_reward_model=True, reward_functions=["length"])


def test_reward_training_checkpoint_and_gap_options_reach_the_config(no_model_loads, base):
    from aligntune.rl.factory import REWARD_TRAINING_ARGS

    assert REWARD_TRAINING_ARGS["reward_training_min_score_gap"] == "min_score_gap"
    common = dict(train_custom_reward_model=True, reward_training_texts=TEXTS, reward_functions=["length"])
    with pytest.raises(ConfigurationError,
                       match="^reward_training_resume_from_checkpoint=True needs reward_training_checkpoint_dir"):
        create_rl_trainer(**base, **common, reward_training_resume_from_checkpoint=True)
    with pytest.raises(ConfigurationError, match="min_score_gap"):
        create_rl_trainer(**base, **common, reward_training_min_score_gap=-0.1)
    with pytest.raises(ConfigurationError, match="save_steps"):
        create_rl_trainer(**base, **common, reward_training_checkpoint_dir="ck", reward_training_save_steps=0)


@pytest.mark.parametrize(
    "weights, message",
    [
        ([0.5], r"one weight per reward function: got 1 weights \[0.5\] for 2 functions"),
        ([0.5, 0.0], r"\[1\] must be a positive finite number, got 0.0"),
        ([0.5, -1.0], r"\[1\] must be a positive finite number, got -1.0"),
    ],
)
def test_bad_weights(no_model_loads, base, weights, message):
    with pytest.raises(ConfigurationError, match=message):
        create_rl_trainer(**base, train_custom_reward_model=True, reward_training_texts=TEXTS,
                          reward_functions=["length", "safety"], reward_function_weights=weights)
    with pytest.raises(ConfigurationError, match=message):
        create_rl_trainer(**base, reward_functions=["length", "safety"], reward_function_weights=weights)


def test_unknown_algorithm_lists_the_available_ones(no_model_loads, base):
    with pytest.raises(ConfigurationError, match=r"algorithm must be one of \['ppo', 'grpo', 'rloo'\], got 'dpo'"):
        create_rl_trainer(**base, algorithm="dpo", reward_functions=["length"])


def test_unknown_backend_lists_the_installed_ones(no_model_loads, base):
    with pytest.raises(BackendError, match="Unknown RL backend 'trll'.*Did you mean 'trl'.*Installed backends: .*trl"):
        create_rl_trainer(**{**base, "backend": "trll"}, reward_functions=["length"])


def test_unsloth_backend_gives_one_clear_error_here(no_model_loads, base):
    import torch

    if torch.cuda.is_available():
        pytest.skip("a CUDA GPU is present")
    with pytest.raises(BackendError, match="unsloth") as info:
        create_rl_trainer(**{**base, "backend": "unsloth"}, reward_functions=["length"])
    message = str(info.value)
    assert "backend='trl'" in message or "pip install 'aligntune[unsloth]'" in message


def test_missing_dataset_file(no_model_loads, base, tmp_path):
    base["dataset_name"] = str(tmp_path / "nope.jsonl")
    with pytest.raises(DataError, match="Dataset file .*nope.jsonl' does not exist"):
        create_rl_trainer(**base, reward_functions=["length"])


def test_dataset_without_a_prompt_column(no_model_loads, base, tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"instruction": "hi", "output": "hello"}) + "\n", encoding="utf-8")
    base["dataset_name"] = str(path)
    with pytest.raises(DataError, match=r"Could not find a prompt column .*\['instruction', 'output'\].*prompt_column="):
        create_rl_trainer(**base, reward_functions=["length"])


def test_batch_size_zero(no_model_loads, base):
    with pytest.raises(ConfigurationError, match="RLTrainingConfig.batch_size must be >= 1, got 0"):
        create_rl_trainer(**base, reward_functions=["length"], batch_size=0)


def test_reward_model_path_that_is_not_a_model_dir(no_model_loads, base, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigurationError, match="reward_model_path=.*empty.*no config.json"):
        create_rl_trainer(**base, reward_model_path=str(empty))
    with pytest.raises(ConfigurationError, match="reward_model_path=.*missing.*does not exist"):
        create_rl_trainer(**base, reward_model_path=str(tmp_path / "missing"))


def test_reward_model_dir_without_tokenizer(no_model_loads, base, same_tok_rm_dir, tmp_path):
    import shutil

    copy = tmp_path / "rm"
    shutil.copytree(same_tok_rm_dir, copy)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        (copy / name).unlink(missing_ok=True)
    with pytest.raises(ConfigurationError, match="no tokenizer files"):
        create_rl_trainer(**base, reward_model_path=str(copy))


def test_offline_hub_reward_model_says_to_pass_a_local_path(no_model_loads, base, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigurationError, match="reward_model_name='someorg/not-cached-rm'.*local directory"):
        create_rl_trainer(**base, reward_model_name="someorg/not-cached-rm")


def test_missing_policy_dir(no_model_loads, base, tmp_path):
    base["model_name"] = str(tmp_path / "no-policy")
    with pytest.raises(ConfigurationError, match="model_name=.*no-policy.*does not exist"):
        create_rl_trainer(**base, reward_functions=["length"])


def test_mixing_needs_an_explicit_model_weight(base, same_tok_rm_dir):
    config = build_rl_config(**base, reward_model_path=str(same_tok_rm_dir), reward_functions=["length"],
                             reward_model_weight=0.5)
    assert config.reward_kind == "mixed"
    with pytest.raises(ConfigurationError, match="reward_model_weight=.*needs both reward_source and reward_functions"):
        build_rl_config(**base, reward_functions=["length"], reward_model_weight=0.5)


def test_source_config_fields_must_fit_the_type():
    with pytest.raises(ConfigurationError, match="source_type='pretrained_local'\\) takes model_path=, got model_name="):
        RewardModelSourceConfig(source_type="pretrained_local", model_name="x")
    with pytest.raises(ConfigurationError, match="exactly one source, got none"):
        RewardModelSourceConfig(source_type="pretrained_hf")


def test_config_messages_name_the_field():
    with pytest.raises(ConfigurationError, match="RLTrainingConfig.response_length must be >= 1, got 0"):
        PPOTrainingConfig(model_name="m", reward_functions=["length"], response_length=0)
    with pytest.raises(ConfigurationError, match="RLTrainingConfig.learning_rate must be > 0, got -1"):
        PPOTrainingConfig(model_name="m", reward_functions=["length"], learning_rate=-1)
    with pytest.raises(ConfigurationError, match="num_mini_batches must divide"):
        PPOTrainingConfig(model_name="m", reward_functions=["length"], batch_size=3, num_mini_batches=2)


def test_flags_must_be_booleans():
    with pytest.raises(ConfigurationError, match="RLTrainingConfig.whiten_rewards must be True or False, got str: 'no'"):
        PPOTrainingConfig(model_name="m", reward_functions=["length"], whiten_rewards="no")


def test_corrupted_policy_config_fails_validation(no_model_loads, base, policy_dir, tmp_path):
    import shutil

    bad = tmp_path / "policy"
    shutil.copytree(policy_dir, bad)
    (bad / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="model_name=.*config.json' is corrupted"):
        create_rl_trainer(**{**base, "model_name": str(bad)}, reward_functions=["length"])
