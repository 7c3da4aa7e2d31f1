"""Gold against proxy during RL: per-step figures, held-out evaluations, the alarm, best-by-gold, samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ppo_helpers import fast_ppo_kwargs

from aligntune.core.backend_factory import create_rl_trainer
from aligntune.rewards.base import reward_function
from aligntune.rewards.registry import RewardRegistry


@pytest.mark.slow
def test_ppo_with_a_custom_trained_reward_model_logs_gold_and_proxy(policy_dir, prompts_file, tiny_bert_dir,
                                                                      ppo_corpus, tmp_path):
    trainer = create_rl_trainer(
        model_name=str(policy_dir), dataset_name=str(prompts_file), train_custom_reward_model=True,
        reward_training_texts=list(ppo_corpus.texts[:40]), reward_functions=["length", "sentiment"],
        reward_training_base_model=str(tiny_bert_dir), reward_training_epochs=1, reward_training_batch_size=8,
        reward_training_max_length=48, eval_steps=1, eval_prompts=2, log_completions_steps=1,
        **fast_ppo_kwargs(tmp_path, batch_size=2, total_episodes=4, max_samples=None),
    )
    result = trainer.train()
    out = Path(tmp_path / "ppo")
    log = json.loads((out / "metrics.json").read_text())
    assert log["summary"]["monitor"]["gold"] == {"functions": ["length", "sentiment"],
                                                 "origin": "the reward model's manifest", "proxy_is_gold": False}
    for step in log["steps"]:  # proxy, gold, each component, KL, length and truncation, every step
        assert {"reward_mean", "proxy", "gold", "gold/length", "gold/sentiment", "objective/kl", "length_mean",
                "hit_length_limit", "missing_eos"} <= set(step)
        assert step["proxy"] == pytest.approx(step["reward_mean"], abs=1e-6)
    evaluations = log["evaluations"]
    assert [e["step"] for e in evaluations] == [0, 1, 2] and result.steps == 2
    assert all({"eval/proxy", "eval/gold", "eval/gold/length", "eval/length_mean"} <= set(e) for e in evaluations)
    rows = [json.loads(line) for line in (out / "completions.jsonl").read_text().splitlines()]
    assert {r["split"] for r in rows} == {"train", "eval"}
    assert all({"step", "prompt", "response", "proxy", "gold", "length", "sentiment"} <= set(r) for r in rows)
    # eval_prompts=2 of the file's 8 prompts are held out (Dataset.train_test_split), and no step trains on them
    file_prompts = {json.loads(line)["prompt"] for line in Path(prompts_file).read_text().splitlines()}
    held, trained = ({r["prompt"] for r in rows if r["split"] == split} for split in ("eval", "train"))
    assert len(held) == 2 and held <= file_prompts and not held & trained
    assert (out / "rl_report.png").read_bytes()[:4] == b"\x89PNG"
    card = (Path(trainer.save_model()) / "README.md").read_text()
    assert "Gold (the rules the reward stands for): length, sentiment, from the reward model's manifest" in card
    assert "| start | 0 |" in card and "| end | 2 |" in card


@pytest.fixture
def hackable_rewards():
    """A proxy that pays for long completions, and a gold that penalises them: optimising one hurts the other."""
    registry = RewardRegistry()

    @reward_function(name="long_text")
    def long_text(text: str) -> float:
        return min(1.0, len(text) / 60)

    @reward_function(name="short_text")
    def short_text(text: str) -> float:
        return 1.0 - min(1.0, len(text) / 60)

    for fn in (long_text, short_text):
        registry.register_reward_function(fn)
    try:
        yield
    finally:
        for name in ("long_text", "short_text"):
            registry.unregister_reward_function(name)


@pytest.mark.slow
def test_the_alarm_fires_on_a_hackable_proxy_and_the_best_gold_is_kept(hackable_rewards, policy_dir, prompts_file,
                                                                        tmp_path):
    trainer = create_rl_trainer(
        model_name=str(policy_dir), dataset_name=str(prompts_file), algorithm="grpo", backend="trl",
        reward_functions=["long_text"], gold_reward_functions=["short_text"], keep_best="gold",
        eval_steps=1, eval_prompts=2, overoptimization_patience=1, output_dir=str(tmp_path / "run"),
        batch_size=3, num_generations=4, total_episodes=12 * 8, response_length=12, learning_rate=3e-3, seed=0,
    )
    result = trainer.train()
    monitor = json.loads(Path(result.metrics_path).read_text())["summary"]["monitor"]
    assert monitor["gold"]["origin"] == "gold_reward_functions"
    assert monitor["overoptimization_alarm_step"] is not None
    evaluations = json.loads(Path(result.metrics_path).read_text())["evaluations"]
    last = evaluations[-1]["step"]
    assert monitor["kept_step"] is not None and monitor["kept_step"] < last
    assert monitor["kept_gold"] == max(e["eval/gold"] for e in evaluations)
    card = (Path(trainer.save_model()) / "README.md").read_text()
    assert f"the policy of step {monitor['kept_step']}, the best held-out gold" in card
    assert "over-optimisation alarm fired" in card
