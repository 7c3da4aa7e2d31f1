"""GRPO and RLOO through create_rl_trainer on tiny local models, with every reward source.

Each run checks that the rewards TRL optimised were computed from the decoded completion
text: the reward recorded for every sampled completion equals an independent scoring of
that text (each rule on its own and the weighted sum), TRL's own ``reward`` metric is
their mean, and the saved policy loads with AutoModelForCausalLM.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from transformers import AutoModelForCausalLM, AutoTokenizer

from aligntune.core.backend_factory import create_rl_trainer
from aligntune.core.rl.config import RewardModelSourceConfig, RewardModelTrainingConfig
from aligntune.reward_model.scoring import TextRewardModel
from aligntune.rewards.composite import CompositeReward

ALGORITHMS = ["grpo", "rloo"]


def _kwargs(policy_dir, prompts_file, tmp_path, algorithm, **overrides):
    base = dict(model_name=str(policy_dir), dataset_name=str(prompts_file), algorithm=algorithm, backend="trl",
                output_dir=str(tmp_path / algorithm), batch_size=2, num_generations=2, total_episodes=8,
                response_length=10, learning_rate=1e-4, seed=0)
    base.update(overrides)
    return base


def _check(trainer, expected_of, *, names):
    result = trainer.train()
    assert result.steps == 2
    samples = [s for step in result.history for s in step["samples"]]
    assert samples
    prompts, texts = [s["prompt"] for s in samples], [s["response"] for s in samples]
    expected = expected_of(texts, prompts)
    assert [s["reward"] for s in samples] == pytest.approx(expected, abs=1e-4)
    for step in result.history:  # TRL's reward metric is the mean of what the callables returned
        assert step["reward"] == pytest.approx(step["reward_mean"], abs=1e-4)
        assert {f"rewards/{name}" for name in names} <= set(step)
    log = json.loads(Path(result.metrics_path).read_text())
    assert log["summary"]["algorithm"] == trainer.config.algorithm
    assert sorted(log["summary"]["reward_weights"]) == sorted(names)
    saved = trainer.save_model()
    model = AutoModelForCausalLM.from_pretrained(saved)
    assert model.config.vocab_size == len(AutoTokenizer.from_pretrained(saved))
    return result


@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_rules_alone_each_logged_on_its_own(algorithm, policy_dir, prompts_file, tmp_path):
    trainer = create_rl_trainer(**_kwargs(policy_dir, prompts_file, tmp_path, algorithm,
                                          reward_functions=["length", "sentiment"], reward_function_weights=[1, 3]))
    composite = CompositeReward(["length", "sentiment"], [1, 3])
    _check(trainer, lambda texts, prompts: composite.score(texts, prompts=prompts), names=["length", "sentiment"])


@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_local_reward_model_with_another_tokenizer(algorithm, policy_dir, prompts_file, cross_tok_rm_dir, tmp_path):
    trainer = create_rl_trainer(**_kwargs(policy_dir, prompts_file, tmp_path, algorithm,
                                          reward_model_path=str(cross_tok_rm_dir)))
    rm = TextRewardModel.from_pretrained(cross_tok_rm_dir)
    _check(trainer, lambda texts, prompts: rm.score(texts), names=["reward_model"])


@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_reward_model_with_the_policys_tokenizer(algorithm, policy_dir, prompts_file, same_tok_rm_dir, tmp_path):
    trainer = create_rl_trainer(**_kwargs(policy_dir, prompts_file, tmp_path, algorithm,
                                          reward_source=RewardModelSourceConfig(source_type="pretrained_local",
                                                                                model_path=str(same_tok_rm_dir))))
    rm = TextRewardModel.from_pretrained(same_tok_rm_dir)
    _check(trainer, lambda texts, prompts: rm.score(texts), names=["reward_model"])


@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_mix_of_a_reward_model_and_rules(algorithm, policy_dir, prompts_file, cross_tok_rm_dir, tmp_path):
    trainer = create_rl_trainer(**_kwargs(policy_dir, prompts_file, tmp_path, algorithm,
                                          reward_model_path=str(cross_tok_rm_dir), reward_functions=["length"],
                                          reward_function_weights=[1.0], reward_model_weight=3.0))
    rm = TextRewardModel.from_pretrained(cross_tok_rm_dir)
    composite = CompositeReward(["length"])

    def expected(texts, prompts):
        return [0.75 * m + 0.25 * r for m, r in zip(rm.score(texts), composite.score(texts, prompts=prompts))]

    _check(trainer, expected, names=["reward_model", "length"])


@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_custom_trained_reward_model(algorithm, policy_dir, prompts_file, tiny_bert_dir, ppo_corpus, tmp_path):
    trainer = create_rl_trainer(**_kwargs(
        policy_dir, prompts_file, tmp_path, algorithm, train_custom_reward_model=True,
        reward_training_texts=list(ppo_corpus.texts[:40]), reward_functions=["length"],
        reward_training_base_model=str(tiny_bert_dir), reward_training_epochs=1, reward_training_batch_size=8,
        reward_training_max_length=48,
    ))
    result = trainer.train()
    rm_dir = Path(tmp_path / algorithm / "reward_model")
    assert result.reward_model_path == str(rm_dir.resolve()) and (rm_dir / "aligntune.json").is_file()
    rm = TextRewardModel.from_pretrained(rm_dir)
    samples = [s for step in result.history for s in step["samples"]]
    assert [s["reward"] for s in samples] == pytest.approx(rm.score([s["response"] for s in samples]), abs=1e-4)
    assert AutoModelForCausalLM.from_pretrained(trainer.save_model()) is not None


@pytest.mark.slow
def test_a_reward_model_trained_with_prompts_is_given_the_prompts(policy_dir, prompts_file, tiny_bert_dir, ppo_corpus,
                                                                   tmp_path):
    from aligntune.reward_model.api import train_from_config

    rm_dir = train_from_config(RewardModelTrainingConfig(
        base_model_name=str(tiny_bert_dir), training_texts=list(ppo_corpus.texts[:40]),
        training_prompts=list(ppo_corpus.prompts[:40]), reward_functions=["length"], output_dir=str(tmp_path / "rm"),
        num_epochs=1, batch_size=8, max_length=64,
    ))
    trainer = create_rl_trainer(**_kwargs(policy_dir, prompts_file, tmp_path, "grpo", reward_model_path=str(rm_dir)))
    rm = TextRewardModel.from_pretrained(rm_dir)
    assert rm.uses_prompts
    _check(trainer, lambda texts, prompts: rm.score(texts, prompts=prompts), names=["reward_model"])


@pytest.mark.parametrize("algorithm", ["ppo", *ALGORITHMS])
def test_sharded_weights_are_refused_before_the_first_step(algorithm, policy_dir, prompts_file, tmp_path, monkeypatch):
    """FSDP (like DeepSpeed ZeRO-3) leaves each process a shard of the policy, while aligntune saves, snapshots by
    gold and generates from the main process's whole copy: every algorithm refuses it once TRL's trainer is built.

    A CPU has no FSDP (accelerate drops the plugin there), so accelerate's state is made to report one, as it does
    under ``accelerate launch`` with an FSDP config on GPUs; ``beta=0`` spares GRPO and RLOO a reference model, which
    TRL would wrap in FSDP itself while it builds the trainer (that needs the process group a launcher starts).
    """
    from accelerate.state import AcceleratorState
    from accelerate.utils import FullyShardedDataParallelPlugin

    from aligntune.errors import ConfigurationError

    if algorithm == "ppo":  # the newer-trl lane runs this file on a trl without PPO (removed after 1.12)
        pytest.importorskip("trl.experimental.ppo", reason="the installed trl has no PPO")
    monkeypatch.setattr(AcceleratorState, "fsdp_plugin", FullyShardedDataParallelPlugin(), raising=False)
    overrides = {"num_generations": None} if algorithm == "ppo" else {"beta": 0.0}
    trainer = create_rl_trainer(**_kwargs(policy_dir, prompts_file, tmp_path, algorithm, reward_functions=["length"],
                                          **overrides))
    with pytest.raises(ConfigurationError, match=rf"^{algorithm.upper()} with the trl backend does not support FSDP: "
                                                 r"it shards the parameters .* DeepSpeed ZeRO stage 1 or 2"):
        trainer.train()
    assert trainer.history == [] and not (tmp_path / algorithm / "metrics.json").exists()
