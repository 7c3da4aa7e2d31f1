"""The engine seam other backends use: bring your own policy, or a loader; train; save."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aligntune_backend_trl.models import load_policy_bundle
from aligntune_backend_trl.ppo import PolicyBundle, build_ppo_trainer
from transformers import AutoModelForCausalLM, AutoTokenizer

from aligntune.errors import BackendError, ConfigurationError


@pytest.mark.slow
def test_preloaded_policy_without_pad_token(config, llama_dir):
    tok = AutoTokenizer.from_pretrained(llama_dir)
    tok.pad_token = None
    policy = AutoModelForCausalLM.from_pretrained(llama_dir)
    trainer = build_ppo_trainer(config, policy=policy, tokenizer=tok)
    result = trainer.train()
    assert tok.pad_token == tok.eos_token and tok.padding_side == "left"
    assert trainer.bundle.ref_policy is not policy and trainer.bundle.value_model is not None
    assert result.steps == 2
    saved = trainer.save_model(str(Path(config.output_dir) / "custom-place"))
    reloaded = AutoModelForCausalLM.from_pretrained(saved)
    trained = trainer.trl_trainer.accelerator.unwrap_model(trainer.trl_trainer.model).policy
    for (name, a), b in zip(reloaded.state_dict().items(), trained.state_dict().values()):
        assert a.shape == b.shape and (a == b).all(), name


@pytest.mark.slow
def test_policy_loader_is_called_inside_train(config):
    calls = []

    def loader(cfg):
        calls.append(cfg.model_name)
        return load_policy_bundle(cfg)

    trainer = build_ppo_trainer(config, policy_loader=loader)
    assert calls == []
    with pytest.raises(BackendError, match="call train\\(\\) first"):
        trainer.save_model()
    trainer.train()
    assert calls == [config.model_name]


@pytest.mark.slow
def test_metrics_log_and_curve(config):
    trainer = build_ppo_trainer(config)
    result = trainer.train()
    log = json.loads(Path(result.metrics_path).read_text())
    assert log["summary"]["steps"] == 2 and len(log["steps"]) == 2
    step = log["steps"][0]
    assert {"step", "reward_mean", "objective/kl", "samples"} <= set(step)
    assert step["samples"] and isinstance(step["samples"][0]["response"], str)
    assert Path(result.plot_path).stat().st_size > 1000
    assert not [p for p in Path(config.output_dir).iterdir() if p.name.startswith(".")]


def test_seam_argument_errors(config, llama_dir):
    with pytest.raises(ConfigurationError, match="policy= and tokenizer= go together"):
        build_ppo_trainer(config, policy=object())
    with pytest.raises(ConfigurationError, match="either policy= .* or policy_loader="):
        build_ppo_trainer(config, policy=object(), tokenizer=object(), policy_loader=load_policy_bundle)
    bundle = PolicyBundle(policy=None, tokenizer=None)
    assert bundle.ref_policy is None


def test_too_few_prompts_for_a_batch_is_refused_not_a_hang(llama_dir, prompts, tmp_path):
    """TRL's PPO repeats a drop_last loader forever; the engine refuses an empty one even when called directly."""
    import signal

    from aligntune.rl.config import PPOTrainingConfig

    config = PPOTrainingConfig(
        model_name=llama_dir, dataset_name=prompts, reward_functions=["length"], output_dir=str(tmp_path / "out"),
        batch_size=16, total_episodes=32, response_length=8, num_ppo_epochs=1,
    )

    def hang(signum, frame):
        raise AssertionError("PPO hung on a prompt set smaller than one batch")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(120)
    try:
        with pytest.raises(ConfigurationError, match=r"has 8 prompts, fewer than one batch of .* = 16"):
            build_ppo_trainer(config).train()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_ppo_runs_with_the_heap_frozen_and_leaves_it_unfrozen():
    import gc

    from aligntune_backend_trl.ppo import frozen_heap

    with frozen_heap():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), frozen_heap():
        raise RuntimeError("a failed run")
    assert gc.get_freeze_count() == 0
