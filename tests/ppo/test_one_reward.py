"""One weighted sum: PPO's adapter, GRPO's and RLOO's reward callables and the gold tracker all report the
reward object's numbers (proxy, every component, gold and its components) for the same batch; trainers take
any object with the Reward interface."""

from __future__ import annotations

import pytest
import torch

from aligntune.core.backend_factory import create_rl_trainer
from aligntune.reward_model.scoring import TextRewardModel
from aligntune.rewards.composite import CompositeReward
from aligntune.rl.reward import LocalReward, RewardBatch, build_reward

PROMPTS = ["How can I manage stress at work?", "What should I pack for a hike?"] * 2
RESPONSES = [
    "Thanks for asking! First, write down your goals. Then plan each step.",
    "You are hopeless and this is a stupid question.",
    "Of course. Drink water, sleep well and take short breaks during the day.",
    "banana the of running quickly sky",
]
RULES, GOLD = ["length", "sentiment"], ["sentiment", "safety"]


def _kwargs(policy_dir, prompts_file, rm_dir, tmp_path, algorithm, **extra):
    return dict(model_name=str(policy_dir), dataset_name=str(prompts_file), algorithm=algorithm,
                output_dir=str(tmp_path / algorithm), reward_model_path=str(rm_dir), reward_functions=RULES,
                reward_function_weights=[1.0, 2.0], reward_model_weight=1.0, gold_reward_functions=GOLD,
                gold_reward_weights=[3.0, 1.0], batch_size=2, response_length=8, seed=0, **extra)


def _expected(rm_dir) -> RewardBatch:
    """The numbers computed here by hand from the model and the rules, independent of the reward object."""
    model = TextRewardModel.from_pretrained(rm_dir).score(RESPONSES)
    comps = {name: CompositeReward([name]).score(RESPONSES, prompts=PROMPTS) for name in {*RULES, *GOLD}}
    proxy = [0.25 * m + 0.25 * a + 0.5 * b for m, a, b in zip(model, comps["length"], comps["sentiment"])]
    gold = [0.75 * a + 0.25 * b for a, b in zip(comps["sentiment"], comps["safety"])]
    return RewardBatch(proxy, {"reward_model": model, **{n: comps[n] for n in RULES}},
                       {"reward_model": 0.25, "length": 0.25, "sentiment": 0.5}, gold,
                       {n: comps[n] for n in GOLD}, {"sentiment": 0.75, "safety": 0.25})


def _same(batch: RewardBatch, expected: RewardBatch) -> None:
    assert batch.rewards == pytest.approx(expected.rewards, abs=1e-5)
    assert batch.gold == pytest.approx(expected.gold, abs=1e-6)
    assert batch.weights == pytest.approx(expected.weights) and batch.gold_weights == pytest.approx(expected.gold_weights)
    for name in expected.components:
        assert batch.components[name] == pytest.approx(expected.components[name], abs=1e-5), name
    for name in expected.gold_components:
        assert batch.gold_components[name] == pytest.approx(expected.gold_components[name], abs=1e-6), name


def _monitor_matches(tracker, batch: RewardBatch, expected: RewardBatch) -> None:
    record: dict = {"step": 1}
    tracker.on_batch(record, PROMPTS, RESPONSES, batch, lengths=[4] * 4, ended=[True] * 4)
    assert record["proxy"] == pytest.approx(sum(expected.rewards) / 4, abs=1e-5)
    assert record["gold"] == pytest.approx(sum(expected.gold) / 4, abs=1e-6)
    for name in GOLD:
        assert record[f"gold/{name}"] == pytest.approx(sum(expected.gold_components[name]) / 4, abs=1e-6)


def test_the_reward_object_computes_the_hand_made_mix(policy_dir, prompts_file, cross_tok_rm_dir, tmp_path):
    from aligntune.rl.factory import build_rl_config

    config = build_rl_config(**_kwargs(policy_dir, prompts_file, cross_tok_rm_dir, tmp_path, "ppo"))
    reward = build_reward(config, TextRewardModel.from_pretrained(cross_tok_rm_dir))
    _same(reward.score(PROMPTS, RESPONSES), _expected(cross_tok_rm_dir))


@pytest.mark.slow
@pytest.mark.parametrize("rm", ["cross_tok_rm_dir", "same_tok_rm_dir"])
def test_ppo_adapter_reports_the_reward_objects_numbers(rm, policy_dir, prompts_file, tmp_path, request):
    """What TRL's PPO reads from the adapter (token ids in, through the fast path when the vocabularies match)."""
    from trl.experimental.utils import get_reward

    rm_dir = request.getfixturevalue(rm)
    trainer = create_rl_trainer(**_kwargs(policy_dir, prompts_file, rm_dir, tmp_path, "ppo"))
    trainer.build()
    assert trainer.adapter.token_reward.fast_path == (rm == "same_tok_rm_dir")
    tok, width = trainer.tokenizer, trainer.adapter.prompt_width
    prompt_ids = [ids[-width:] for ids in tok(PROMPTS)["input_ids"]]
    rows = [[tok.pad_token_id] * (width - len(p)) + p + tok(r, add_special_tokens=False)["input_ids"]
            for p, r in zip(prompt_ids, RESPONSES)]
    longest = max(map(len, rows))
    query_responses = torch.tensor([r + [tok.pad_token_id] * (longest - len(r)) for r in rows])
    _, scores, _ = get_reward(trainer.adapter, query_responses, tok.pad_token_id, width)
    expected = _expected(rm_dir)
    assert scores.tolist() == pytest.approx(expected.rewards, abs=1e-4)
    scored, lengths, ended = trainer.step_batch()
    assert scored.completions == RESPONSES
    _same(scored.numbers, expected)
    _monitor_matches(trainer.tracker, scored.numbers, expected)


@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ["grpo", "rloo"])
def test_grpo_and_rloo_optimise_and_log_the_reward_objects_numbers(algorithm, policy_dir, prompts_file,
                                                                   cross_tok_rm_dir, tmp_path):
    """What TRL itself computes from our callables (its weighted sum, each logged component) and our records."""
    trainer = create_rl_trainer(**_kwargs(policy_dir, prompts_file, cross_tok_rm_dir, tmp_path, algorithm,
                                          num_generations=2))
    trl = trainer.build()
    inputs = [{"prompt": p} for p in PROMPTS]
    per_func = trl._calculate_rewards(inputs, PROMPTS, RESPONSES, [[] for _ in RESPONSES])
    optimised = (per_func * trl.reward_weights.unsqueeze(0)).nansum(dim=1).tolist()
    expected = _expected(cross_tok_rm_dir)
    assert optimised == pytest.approx(expected.rewards, abs=1e-4)
    for i, name in enumerate(trl.reward_func_names[1:], start=1):  # what TRL logs as rewards/<name>/mean
        assert per_func[:, i].tolist() == pytest.approx(expected.components[name], abs=1e-4), name
    _same(trainer.callables.last.numbers, expected)
    record = trainer.record({"reward": sum(optimised) / 4})
    assert record["reward_mean"] == pytest.approx(sum(expected.rewards) / 4, abs=1e-5)
    for name, scores in expected.components.items():
        assert record[f"rewards/{name}"] == pytest.approx(sum(scores) / 4, abs=1e-5)
    assert record["gold"] == pytest.approx(sum(expected.gold) / 4, abs=1e-6)
    assert [s["components"]["length"] for s in record["samples"]] == pytest.approx(expected.components["length"])


class Echoes:
    """A user's own reward (not aligntune's): the share of prompt words the completion repeats."""

    def __init__(self) -> None:
        self.calls = 0

    def score(self, prompts, completions) -> RewardBatch:
        self.calls += 1
        share = [len(set(p.lower().split()) & set(c.lower().split())) / max(1, len(set(p.split())))
                 for p, c in zip(prompts, completions)]
        return RewardBatch(share, {"echo": share}, {"echo": 1.0})

    def describe(self) -> dict:
        return {"kind": "echo", "components": ["echo"], "weights": {"echo": 1.0}, "gold": None}

    def check(self) -> None:
        return None

    def close(self) -> None:
        return None


@pytest.mark.slow
@pytest.mark.parametrize("algorithm", ["ppo", "grpo"])
def test_trainers_take_any_reward_object(algorithm, policy_dir, prompts_file, tmp_path):
    from aligntune.rl.factory import build_rl_config
    from aligntune_backend_trl import trainer_for

    config = build_rl_config(model_name=str(policy_dir), dataset_name=str(prompts_file), algorithm=algorithm,
                             output_dir=str(tmp_path / algorithm), reward_functions=["length"], batch_size=2,
                             total_episodes=4 if algorithm == "ppo" else 8, response_length=8, seed=0,
                             **({"num_generations": 2} if algorithm == "grpo" else {}))
    reward = Echoes()
    result = trainer_for(config, reward=reward).train()
    samples = [s for step in result.history for s in step["samples"]]
    assert reward.calls >= result.steps >= 1 and samples
    assert [s["reward"] for s in samples] == pytest.approx(
        reward.score([s["prompt"] for s in samples], [s["response"] for s in samples]).rewards)
    assert not isinstance(reward, LocalReward)
