"""The RL reward object: one weighted sum, proxy and gold from one batch, a JSON round trip."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from aligntune.errors import ConfigurationError, RewardFunctionError, RewardSourceError
from aligntune.rewards.base import reward_function
from aligntune.rewards.composite import CompositeReward
from aligntune.rl.reward import Gold, LocalReward, Reward, RewardBatch

PROMPTS = ["How do I water a fern?", "What is a good first bike?"]
TEXTS = ["Thanks for asking! Water it weekly and keep the soil moist.", "no"]


def _counting(name: str, calls: list[str]):
    def fn(text: str) -> float:
        calls.append(name)
        return min(1.0, len(text) / 40)

    return reward_function(fn, name=name)


def test_rules_reward_sums_normalised_weights_and_reuses_rule_scores_for_the_gold():
    calls: list[str] = []
    brevity = _counting("brevity_probe", calls)
    rules = CompositeReward([brevity, "sentiment"], [1, 3])
    gold = Gold(CompositeReward([brevity, "sentiment"], [3, 1]), "gold_reward_functions", is_proxy=False)
    batch = LocalReward(rules=rules, gold=gold).score(PROMPTS, TEXTS)
    assert batch.weights == {"brevity_probe": 0.25, "sentiment": 0.75}
    assert batch.gold_weights == {"brevity_probe": 0.75, "sentiment": 0.25}
    comp = batch.components
    assert batch.rewards == pytest.approx([0.25 * b + 0.75 * s for b, s in zip(comp["brevity_probe"], comp["sentiment"])])
    assert batch.gold == pytest.approx([0.75 * b + 0.25 * s for b, s in zip(comp["brevity_probe"], comp["sentiment"])])
    assert batch.gold_components == comp
    assert len(calls) == len(TEXTS)  # the gold reused the proxy's rule scores: each text scored once


def test_batch_round_trips_through_json_and_refuses_bad_numbers():
    gold = Gold(CompositeReward(["length"]), "gold_reward_functions", is_proxy=False)
    batch = LocalReward(rules=CompositeReward(["sentiment"]), gold=gold).score(PROMPTS, TEXTS)
    assert RewardBatch.from_json(json.loads(json.dumps(batch.to_json())), expected=2) == batch
    data = batch.to_json()
    with pytest.raises(RewardSourceError, match="list of 3 numbers"):
        RewardBatch.from_json(data, expected=3)
    with pytest.raises(RewardSourceError, match=r"rewards\[1\] must be a finite number"):
        RewardBatch.from_json({**data, "rewards": [0.1, None]})
    with pytest.raises(RewardSourceError, match="one weight per component"):
        RewardBatch.from_json({**data, "weights": {}})


def test_local_reward_is_a_reward_and_describes_itself_in_json():
    reward = LocalReward(rules=CompositeReward(["length", "sentiment"], [1, 1]))
    assert isinstance(reward, Reward)
    described = json.loads(json.dumps(reward.describe()))
    assert described["components"] == ["length", "sentiment"] and described["gold"] is None
    assert described["weights"] == {"length": 0.5, "sentiment": 0.5}


def test_bad_inputs_are_refused_before_scoring():
    with pytest.raises(ConfigurationError, match="No reward"):
        LocalReward()
    reward = LocalReward(rules=CompositeReward(["length"]))
    with pytest.raises(RewardFunctionError, match="2 prompts for 1 completions"):
        reward.score(PROMPTS, TEXTS[:1])
    nan = reward_function(lambda text: float("nan"), name="always_nan_probe")
    with pytest.raises(RewardFunctionError, match="always_nan_probe"):
        LocalReward(rules=CompositeReward([nan])).score(PROMPTS, TEXTS)


def test_the_interface_is_torch_free():
    code = "import sys, aligntune.rl.reward as r; r.RewardBatch; r.LocalReward; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
