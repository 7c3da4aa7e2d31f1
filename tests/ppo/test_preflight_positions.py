"""Pre-flight: what fails after the models load is refused before, and what can be cut to fit is cut.

* the position check counts the completion length of the algorithm that runs
  (``max_completion_length`` for GRPO and RLOO, ``response_length`` for PPO);
* GRPO and RLOO prompts, and the held-out prompts of every algorithm, are cut to
  ``max_prompt_length`` tokens, so a long prompt never runs past the policy's positions;
* ``eval_prompts`` is counted against the prompts before anything loads, with the right count
  and the right fix;
* a missing eval file and a ``report_to`` integration that is not installed fail ``--dry-run``.
"""

from __future__ import annotations

import importlib.util
import json

import pytest
import yaml
from click.testing import CliRunner

from aligntune.cli import main
from aligntune.core.backend_factory import create_rl_trainer
from aligntune.errors import ConfigurationError, DataError


def _base(policy_dir, prompts_file, tmp_path, **extra):
    return dict(model_name=str(policy_dir), dataset_name=str(prompts_file), backend="trl",
                reward_functions=["length"], output_dir=str(tmp_path / "out"), batch_size=2, seed=0, **extra)


def _long_prompts(tmp_path, n=8, words=400):
    """Prompts far longer than the tiny policy's 256 positions."""
    path = tmp_path / "long.jsonl"
    path.write_text("".join(json.dumps({"prompt": f"question {i}: " + "tell me more about rivers " * (words // 5)})
                            + "\n" for i in range(n)), encoding="utf-8")
    return path


@pytest.mark.parametrize("algorithm", ["grpo", "rloo"])
def test_the_position_check_counts_max_completion_length(algorithm, no_model_loads, policy_dir, prompts_file,
                                                         tmp_path):
    # 200 + 48 (response_length) fits 256 positions; 200 + 100 (the completion length GRPO/RLOO use) does not
    with pytest.raises(ConfigurationError,
                       match=r"has 256 positions, fewer than max_prompt_length \+ max_completion_length = "
                             r"200 \+ 100 = 300"):
        create_rl_trainer(**_base(policy_dir, prompts_file, tmp_path, algorithm=algorithm, num_generations=2,
                                  max_prompt_length=200, max_completion_length=100))


def test_eval_prompts_that_hold_out_every_prompt_are_refused_before_loading(no_model_loads, policy_dir,
                                                                            prompts_file, tmp_path):
    with pytest.raises(ConfigurationError, match=r"eval_prompts=8 holds out every prompt: the prompts dataset .* "
                                                 r"has only 8.*Lower eval_prompts \(at most 6\).*eval_dataset_name="):
        create_rl_trainer(**_base(policy_dir, prompts_file, tmp_path, algorithm="ppo", eval_steps=1, eval_prompts=8))
    assert not (tmp_path / "out").exists()


def test_eval_prompts_leaving_less_than_a_batch_name_eval_prompts(no_model_loads, policy_dir, prompts_file, tmp_path):
    with pytest.raises(ConfigurationError, match=r"has 8 prompts, and eval_prompts=7 of them are held out for "
                                                 r"evaluation, leaving 1, fewer than one batch .*= 2 \* 1 = 2.*"
                                                 r"lower eval_prompts \(at most 6\)"):
        create_rl_trainer(**_base(policy_dir, prompts_file, tmp_path, algorithm="grpo", num_generations=2,
                                  eval_steps=1, eval_prompts=7))


def test_a_missing_eval_file_fails_the_dry_run(policy_dir, prompts_file, tmp_path):
    config = tmp_path / "rl.yaml"
    config.write_text(yaml.safe_dump(_base(policy_dir, prompts_file, tmp_path, algorithm="grpo", num_generations=2,
                                           eval_steps=1, eval_dataset_name=str(tmp_path / "eval.jsonl"))))
    result = CliRunner().invoke(main, ["rl", "--config", str(config), "--dry-run"])
    assert result.exit_code == 1, result.output
    assert "Configuration is valid" not in result.output and "Traceback" not in result.output
    assert "eval_dataset_name=" in result.output and "eval.jsonl' does not exist" in result.output


@pytest.mark.skipif(importlib.util.find_spec("tensorboard") is not None, reason="tensorboard is installed here")
def test_report_to_an_integration_that_is_not_installed_fails_the_dry_run(policy_dir, prompts_file, tmp_path):
    config = tmp_path / "rl.yaml"
    config.write_text(yaml.safe_dump(_base(policy_dir, prompts_file, tmp_path, algorithm="ppo",
                                           report_to="tensorboard")))
    result = CliRunner().invoke(main, ["rl", "--config", str(config), "--dry-run"])
    assert result.exit_code == 1, result.output
    assert "the tensorboard integration is not installed" in result.output
    assert "pip install tensorboard" in result.output and "report_to='none'" in result.output
    assert not (tmp_path / "out").exists()


def test_an_unknown_integration_is_refused(no_model_loads, policy_dir, prompts_file, tmp_path):
    with pytest.raises(ConfigurationError, match=r"'tensorbaord' is not a logging integration; use one of .*tensorboard"):
        create_rl_trainer(**_base(policy_dir, prompts_file, tmp_path, algorithm="ppo", report_to=["tensorbaord"]))


def test_fit_prompts_cuts_from_the_left_to_max_prompt_length(policy_dir):
    from transformers import AutoTokenizer

    from aligntune_backend_trl.data import fit_prompts

    tokenizer = AutoTokenizer.from_pretrained(policy_dir)
    prompts = ["short prompt", "a long beginning that goes on " * 30 + "and the question at the end?"]
    fitted = fit_prompts(tokenizer, prompts, max_tokens=20)
    assert fitted[0] == prompts[0]
    assert len(tokenizer(fitted[1])["input_ids"]) <= 20
    assert fitted[1].endswith("and the question at the end?")
    with pytest.raises(DataError, match=r"cannot be cut to max_prompt_length=0 tokens"):
        fit_prompts(tokenizer, prompts[1:], max_tokens=0)


@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ["grpo", "rloo"])
def test_grpo_and_rloo_cut_long_prompts_and_train(algorithm, policy_dir, tmp_path):
    """Prompts of ~500 tokens on a 256-position policy: an IndexError after loading before the fix."""
    trainer = create_rl_trainer(**_base(policy_dir, _long_prompts(tmp_path), tmp_path, algorithm=algorithm,
                                        num_generations=2, total_episodes=4, response_length=8,
                                        max_prompt_length=64, learning_rate=1e-4))
    result = trainer.train()
    assert result.steps >= 1
    tokenizer = trainer.tokenizer
    for step in result.history:
        for sample in step["samples"]:
            assert len(tokenizer(sample["prompt"])["input_ids"]) <= 64


@pytest.mark.slow
def test_ppo_held_out_prompts_are_cut_like_the_training_prompts(policy_dir, tmp_path):
    """PPO cut its training prompts but generated on the whole held-out prompts: an IndexError at step 0."""
    trainer = create_rl_trainer(**_base(policy_dir, _long_prompts(tmp_path), tmp_path, algorithm="ppo",
                                        total_episodes=4, response_length=8, max_prompt_length=64, num_ppo_epochs=1,
                                        eval_steps=1, eval_prompts=2, learning_rate=1e-4))
    result = trainer.train()
    assert result.steps >= 1
    tokenizer = trainer.bundle.tokenizer
    assert trainer.tracker.eval_prompts and all(len(tokenizer(p)["input_ids"]) <= 64
                                                for p in trainer.tracker.eval_prompts)
    assert [e["step"] for e in trainer.tracker.evaluations][0] == 0
