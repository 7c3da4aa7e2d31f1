"""The guide's PPO examples with backend="trl", end to end on tiny local models.

Each run checks that PPO's rewards were computed from the decoded response text: the
reward recorded for every sampled response equals an independent scoring of that
text, TRL's own mean score per step matches, and responses the reward scores higher
got higher PPO rewards. The saved policy loads with AutoModelForCausalLM.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from ppo_helpers import fast_ppo_kwargs
from transformers import AutoModelForCausalLM, AutoTokenizer

from aligntune.core.backend_factory import create_rl_trainer
from aligntune.reward_model.scoring import TextRewardModel


def _check_run(trainer, score_samples, tmp_path: Path) -> None:
    result = trainer.train()
    assert result.steps == 2
    samples = [s for step in result.history for s in step["samples"]]
    assert samples, "no scored responses were recorded"
    expected = score_samples(samples)
    got = [s["reward"] for s in samples]
    assert got == pytest.approx(expected, abs=1e-4)
    ranked = sorted(range(len(got)), key=lambda i: expected[i])
    assert [got[i] for i in ranked] == sorted(got)
    for step in result.history:  # TRL's own reward metric is the mean of what the adapter returned
        assert step["objective/scores"] == pytest.approx(step["reward_mean"], abs=1e-4)
    log = json.loads(Path(result.metrics_path).read_text())
    assert [s["reward_mean"] for s in log["steps"]] == [s["reward_mean"] for s in result.history]
    assert Path(result.plot_path).read_bytes()[:4] == b"\x89PNG"
    saved = trainer.save_model()
    model = AutoModelForCausalLM.from_pretrained(saved)
    tok = AutoTokenizer.from_pretrained(saved)
    assert model.config.vocab_size == len(tok)
    assert not list(Path(saved).parent.glob(".policy.tmp-*"))


def _texts(fn):
    """Score samples by their decoded response text (and prompt)."""
    return lambda samples: fn([s["response"] for s in samples], [s["prompt"] for s in samples])


@pytest.mark.slow
def test_rule_functions_as_the_reward(policy_dir, prompts_file, tmp_path):
    from aligntune.rewards.composite import CompositeReward

    trainer = create_rl_trainer(
        model_name=str(policy_dir), dataset_name=str(prompts_file),
        reward_functions=["length", "sentiment"], reward_function_weights=[0.4, 0.6], **fast_ppo_kwargs(tmp_path),
    )
    composite = CompositeReward(["length", "sentiment"], [0.4, 0.6])
    _check_run(trainer, _texts(lambda texts, prompts: composite.score(texts, prompts=prompts)), tmp_path)


@pytest.mark.slow
def test_pretrained_local_same_tokenizer(policy_dir, prompts_file, same_tok_rm_dir, tmp_path):
    trainer = create_rl_trainer(
        model_name=str(policy_dir), dataset_name=str(prompts_file), reward_model_path=str(same_tok_rm_dir),
        **fast_ppo_kwargs(tmp_path),
    )
    rm = TextRewardModel.from_pretrained(same_tok_rm_dir)

    def from_ids(samples):
        # Same vocabulary: the fast path scores the generated ids themselves (a random policy's
        # ids do not survive decode + re-encode), so score each id sequence on its own here.
        with torch.no_grad():
            return [rm.model(input_ids=torch.tensor([s["response_ids"]])).logits[0, 0].item() for s in samples]

    _check_run(trainer, from_ids, tmp_path)
    assert trainer.adapter.token_reward.fast_path


@pytest.mark.slow
def test_pretrained_hf_with_a_local_directory_as_name_cross_tokenizer(policy_dir, prompts_file, cross_tok_rm_dir, tmp_path):
    trainer = create_rl_trainer(
        model_name=str(policy_dir), dataset_name=str(prompts_file), reward_model_name=str(cross_tok_rm_dir),
        **fast_ppo_kwargs(tmp_path),
    )
    rm = TextRewardModel.from_pretrained(cross_tok_rm_dir)
    _check_run(trainer, _texts(lambda texts, prompts: rm.score(texts)), tmp_path)
    assert not trainer.adapter.token_reward.fast_path


@pytest.mark.slow
def test_mixed_cross_tokenizer_model_and_rules(policy_dir, prompts_file, cross_tok_rm_dir, tmp_path):
    from aligntune.rewards.composite import CompositeReward

    trainer = create_rl_trainer(
        model_name=str(policy_dir), dataset_name=str(prompts_file), reward_model_path=str(cross_tok_rm_dir),
        reward_functions=["length"], reward_model_weight=3.0, **fast_ppo_kwargs(tmp_path),
    )
    rm = TextRewardModel.from_pretrained(cross_tok_rm_dir)
    length = CompositeReward(["length"])

    def expected(texts, prompts):
        return [0.75 * m + 0.25 * r for m, r in zip(rm.score(texts), length.score(texts, prompts=prompts))]

    _check_run(trainer, _texts(expected), tmp_path)


@pytest.mark.slow
def test_custom_trained_reward_model_then_ppo(policy_dir, prompts_file, tiny_bert_dir, ppo_corpus, tmp_path):
    rm_dir = tmp_path / "reward_models" / "custom_ppo"
    trainer = create_rl_trainer(
        model_name=str(policy_dir), dataset_name=str(prompts_file),
        train_custom_reward_model=True,
        reward_training_texts=ppo_corpus.texts[:60],
        reward_functions=["length", "sentiment", "safety", "coherence", "helpfulness"],
        reward_function_weights=[0.15, 0.15, 0.35, 0.20, 0.15],
        reward_training_base_model=str(tiny_bert_dir),
        reward_training_output_dir=str(rm_dir),
        reward_training_epochs=1, reward_training_lr=1e-3, reward_training_batch_size=16, reward_training_max_length=128,
        **fast_ppo_kwargs(tmp_path),
    )
    assert not rm_dir.exists()  # nothing trains before train()
    holder = {}

    def expected(texts, prompts):
        holder.setdefault("rm", TextRewardModel.from_pretrained(rm_dir))
        return holder["rm"].score(texts)

    _check_run(trainer, _texts(expected), tmp_path)
    assert (rm_dir / "config.json").is_file()
    assert trainer.reward_model_path == str(rm_dir) or Path(trainer.reward_model_path).resolve() == rm_dir.resolve()
    assert trainer.result.reward_model_path is not None
