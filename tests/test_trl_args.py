"""trl_args, args= and --trl-arg: checked against the installed trl's config dataclasses before any load.

These tests build TRL config objects only (no model): the keys a TRL user passes reach
trl with the field's type, and the keys aligntune owns or trl does not have are refused
with the setting to use, the close match and the installed trl version.
"""

from __future__ import annotations

from importlib import metadata

import pytest

from aligntune.errors import ConfigurationError
from aligntune.rl import trl_args as t

TRL = metadata.version("trl")


@pytest.mark.parametrize("algorithm", ["grpo", "rloo", "ppo"])
def test_trl_settings_pass_with_their_types(algorithm):
    given = {"save_steps": 2, "gradient_checkpointing": True, "lr_scheduler_type": "cosine", "save_total_limit": 1}
    if algorithm != "ppo":
        given.update(max_steps=3, use_vllm=False, vllm_mode="colocate", epsilon=0.3)
    checked = t.check_trl_args(given, algorithm)
    assert {k: checked[k] for k in given} == given
    assert checked["save_strategy"] == "steps"  # save_steps alone turns step checkpoints on


def test_cli_text_is_read_as_each_fields_type():
    items = ["max_steps=3", "save_steps=2", "gradient_checkpointing=false", "lr_scheduler_type=cosine",
             "gradient_checkpointing_kwargs={use_reentrant: false}", "hub_model_id=me/model", "push_to_hub=true",
             "save_total_limit=none", "epsilon=0.25"]
    checked = t.check_trl_args(t.parse_cli(items), "grpo")
    assert checked["max_steps"] == 3 and type(checked["max_steps"]) is int
    assert checked["gradient_checkpointing"] is False and checked["push_to_hub"] is True
    assert checked["gradient_checkpointing_kwargs"] == {"use_reentrant": False}
    assert checked["save_total_limit"] is None and checked["epsilon"] == 0.25
    assert checked["hub_model_id"] == "me/model" and checked["lr_scheduler_type"] == "cosine"


def test_an_unknown_key_gets_the_close_match_and_the_trl_version():
    with pytest.raises(ConfigurationError, match=rf"'max_step'.*not a field of GRPOConfig in the installed trl {TRL}\. "
                                                 r"Did you mean 'max_steps'"):
        t.check_trl_args({"max_step": 3}, "grpo")


@pytest.mark.parametrize("key,setting", [("output_dir", "output_dir"), ("learning_rate", "learning_rate"),
                                         ("per_device_train_batch_size", "batch_size"), ("num_generations", "num_generations")])
def test_a_key_aligntune_owns_names_the_aligntune_setting(key, setting):
    with pytest.raises(ConfigurationError, match=rf"trl_args\['{key}'\] is set by aligntune .* pass {setting}="):
        t.check_trl_args({key: 1}, "grpo")


def test_ppo_refuses_max_steps_which_trls_ppo_ignores():
    with pytest.raises(ConfigurationError, match=r"total_episodes \(TRL.s PPO counts episodes and ignores max_steps\); pass total_episodes="):
        t.check_trl_args({"max_steps": 3}, "ppo")


def test_a_value_of_the_wrong_type_is_refused_with_the_field():
    with pytest.raises(ConfigurationError, match=r"GRPOConfig\.use_vllm\) must be bool, got int: 1"):
        t.check_trl_args({"use_vllm": 1}, "grpo")
    with pytest.raises(ConfigurationError, match=r"max_steps.*must be int, got text: 'ten'"):
        t.check_trl_args(t.parse_cli(["max_steps=ten"]), "grpo")
    with pytest.raises(ConfigurationError, match="KEY=VALUE"):
        t.parse_cli(["max_steps"])


def test_max_steps_and_total_episodes_are_one_setting_too_many():
    with pytest.raises(ConfigurationError, match="both set the length of the run"):
        t.check_against_config({"max_steps": 3}, algorithm="grpo", total_episodes=8)


def test_a_built_trl_config_gives_its_changed_fields():
    from trl import GRPOConfig

    built = GRPOConfig(bf16=False, max_steps=3, lr_scheduler_type="cosine", output_dir="runs/x", report_to="none")
    mapping = t.from_args(built, "grpo", {"output_dir": "runs/x", "report_to": "none", "bf16": False})
    assert mapping == {"max_steps": 3, "lr_scheduler_type": "cosine"}
    with pytest.raises(ConfigurationError, match=r"args\.learning_rate=0\.001 is set by aligntune .*pass learning_rate="):
        t.from_args(GRPOConfig(bf16=False, learning_rate=1e-3), "grpo", {"learning_rate": 3e-6})
    with pytest.raises(ConfigurationError, match=r"args= must be a trl\..*RLOOConfig for algorithm='rloo'"):
        t.from_args(built, "rloo", {})


def test_cli_trl_arg_is_read_as_the_fields_type_and_checked(tmp_path, tiny_gpt2_dir):
    import yaml
    from click.testing import CliRunner

    from aligntune.cli import main

    config = tmp_path / "rl.yaml"
    config.write_text(yaml.safe_dump({
        "model_name": str(tiny_gpt2_dir), "algorithm": "grpo", "reward_functions": ["length"], "batch_size": 2,
        "num_generations": 2, "output_dir": str(tmp_path / "run"), "trl_args": {"save_steps": 5}}), encoding="utf-8")
    ok = CliRunner().invoke(main, ["rl", "--config", str(config), "--trl-arg", "max_steps=3",
                                   "--trl-arg", "gradient_checkpointing=false", "--dry-run"])
    assert ok.exit_code == 0, ok.output
    bad = CliRunner().invoke(main, ["rl", "--config", str(config), "--trl-arg", "max_steps=ten", "--dry-run"])
    assert bad.exit_code == 1 and "trl_args['max_steps'] (GRPOConfig.max_steps) must be int, got text: 'ten'" in bad.output
    typo = CliRunner().invoke(main, ["rl", "--config", str(config), "--trl-arg", "save_step=3", "--dry-run"])
    assert typo.exit_code == 1 and "Did you mean 'save_steps'" in typo.output
