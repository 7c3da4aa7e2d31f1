"""Best-by-gold: ties go to the later step, the kept step is printed and written, and a gold is required.

Before: held-out evaluations whose gold tied kept step 0 under ``keep_best="gold"`` (the default
once evaluations exist), so ``aligntune rl`` saved a policy bit-identical to the start one and
printed only its path; ``keep_best='gold'`` with a reward model that names no rules passed
validation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from aligntune.cli import main
from aligntune.core.backend_factory import create_rl_trainer
from aligntune.errors import ConfigurationError


@pytest.fixture
def constant_gold():
    """A gold every response scores the same on: every held-out evaluation ties."""
    from aligntune.rewards.base import reward_function
    from aligntune.rewards.registry import RewardRegistry

    registry = RewardRegistry()
    registry.register_reward_function(reward_function(lambda text: 0.5, name="always_half"))
    try:
        yield "always_half"
    finally:
        registry.unregister_reward_function("always_half")


def _weights(directory: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(directory / "model.safetensors"))


@pytest.mark.slow
def test_tied_evaluations_keep_the_trained_policy_and_say_so(constant_gold, text_rewards, policy_dir, prompts_file,
                                                             tmp_path):
    config = tmp_path / "rl.yaml"
    config.write_text(yaml.safe_dump({
        "model_name": str(policy_dir), "dataset_name": str(prompts_file), "algorithm": "grpo", "backend": "trl",
        "reward_functions": ["word_count"], "gold_reward_functions": [constant_gold], "eval_steps": 1,
        "eval_prompts": 2, "output_dir": str(tmp_path / "out"), "batch_size": 2, "num_generations": 2,
        "total_episodes": 8, "response_length": 8, "learning_rate": 1e-2, "seed": 0,
    }))
    result = CliRunner().invoke(main, ["rl", "--config", str(config)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output[result.output.index("{"):])
    start, saved = _weights(policy_dir), _weights(Path(printed["policy"]))
    assert any(not start[name].equal(saved[name]) for name in start), "the saved policy is the start policy"
    # the command line says which step was kept and why
    assert printed["kept_step"] == printed["steps"] == 2
    assert "tie goes to the later step" in printed["kept"]
    card = (Path(printed["policy"]) / "README.md").read_text()
    assert "Kept: step 2, the last step's policy (step 2), which has the best held-out gold (0.5000)" in card


def test_keep_best_gold_without_a_gold_is_refused_before_loading(no_model_loads, policy_dir, prompts_file,
                                                                 same_tok_rm_dir, tmp_path):
    # a reward model with no aligntune manifest: nothing names the rules it stands for
    with pytest.raises(ConfigurationError, match=r"keep_best='gold' keeps the policy with the best held-out gold, "
                                                 r"but this run has no gold.*gold_reward_functions=\[\.\.\.\].*"
                                                 r"keep_best='last'"):
        create_rl_trainer(model_name=str(policy_dir), dataset_name=str(prompts_file), algorithm="grpo", backend="trl",
                          reward_model_path=str(same_tok_rm_dir), eval_steps=1, eval_prompts=2, keep_best="gold",
                          output_dir=str(tmp_path / "out"), batch_size=2, num_generations=2)
    assert not (tmp_path / "out").exists()


def test_keep_best_gold_with_named_gold_rules_passes(no_model_loads, policy_dir, prompts_file, same_tok_rm_dir,
                                                     tmp_path):
    trainer = create_rl_trainer(model_name=str(policy_dir), dataset_name=str(prompts_file), algorithm="grpo",
                                backend="trl", reward_model_path=str(same_tok_rm_dir), eval_steps=1, eval_prompts=2,
                                keep_best="gold", gold_reward_functions=["length"], output_dir=str(tmp_path / "out"),
                                batch_size=2, num_generations=2)
    assert trainer.config.keep_best == "gold"


@pytest.mark.parametrize(("algorithm", "own", "foreign"), [
    ("grpo", ["num_generations=4", "max_completion_length=48", "loss_type='dapo'"],
     ["kl_coef", "response_length", "cliprange", "normalize_advantages"]),
    ("rloo", ["num_generations=3", "max_completion_length=20", "beta=0.1"],
     ["kl_coef", "response_length", "loss_type"]),
    ("ppo", ["response_length=48", "kl_coef=0.05", "num_ppo_epochs=4"],
     ["num_generations", "max_completion_length", "beta"]),
])
def test_the_policy_card_lists_the_algorithms_own_settings(algorithm, own, foreign, policy_dir):
    from aligntune.core.rl.config import PPOTrainingConfig
    from aligntune_backend_trl.policy_card import policy_card

    extra = {"grpo": dict(loss_type="dapo"), "rloo": dict(num_generations=3, max_completion_length=20, beta=0.1),
             "ppo": {}}[algorithm]
    config = PPOTrainingConfig(model_name=str(policy_dir), algorithm=algorithm, reward_functions=["length"], **extra)
    card = policy_card(config, None, None, "the last step's policy")
    settings = next(line for line in card.splitlines() if line.startswith("- Settings:"))
    for name in own:
        assert f"`{name}`" in settings, settings
    for name in foreign:
        assert f"`{name}=" not in settings, settings


def test_keep_best_gold_with_a_reward_model_whose_manifest_names_its_rules_passes(no_model_loads, policy_dir,
                                                                                   prompts_file, same_tok_rm_dir,
                                                                                   tmp_path):
    import shutil

    rm = tmp_path / "rm"
    shutil.copytree(same_tok_rm_dir, rm)
    (rm / "aligntune.json").write_text(json.dumps({"reward_functions": {"functions": ["length"], "weights": [1.0]}}))
    trainer = create_rl_trainer(model_name=str(policy_dir), dataset_name=str(prompts_file), algorithm="grpo",
                                backend="trl", reward_model_path=str(rm), eval_steps=1, eval_prompts=2,
                                keep_best="gold", output_dir=str(tmp_path / "out"), batch_size=2, num_generations=2)
    assert trainer.config.keep_best == "gold"
