"""The gold: the rules a proxy reward stands for, and where they come from.

When the RL reward is a reward model trained from rules, the rules are the **gold** and
the model is a **proxy**. aligntune knows the rules when

* the reward is the rules themselves (then proxy = gold);
* the reward model was trained by aligntune: its manifest (``aligntune.json``) records the
  functions and weights, also for a ``pretrained_local`` model;
* the user names them: ``gold_reward_functions=[...]`` (and ``gold_reward_weights``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aligntune.reward_model.loading import manifest_rules
from aligntune.rewards.composite import CompositeReward


@dataclass(frozen=True)
class Gold:
    """The rule composite used as the gold, and where it came from."""

    composite: CompositeReward
    origin: str  # "reward functions (the RL reward itself)", "the reward model's manifest", "gold_reward_functions"
    is_proxy: bool  # the RL reward is the gold itself

    @property
    def names(self) -> list[str]:
        return self.composite.names

    def describe(self) -> dict[str, Any]:
        """JSON-safe: the functions, their normalised weights, the origin, and whether proxy = gold."""
        return {"functions": self.names, "weights": dict(zip(self.names, self.composite.weights)),
                "origin": self.origin, "proxy_is_gold": self.is_proxy}


def resolve_gold(config: Any, reward_model: Any = None) -> Gold | None:
    """The gold for an RL config (and its loaded reward model), or ``None`` when no rules are known."""
    if config.gold_reward_functions is not None:
        composite = CompositeReward(list(config.gold_reward_functions), config.gold_reward_weights)
        return Gold(composite, "gold_reward_functions", is_proxy=False)
    if reward_model is not None:
        # the rules a reward model was trained from (a rule not installed is an error naming its directory)
        composite = manifest_rules(getattr(reward_model, "manifest", None), getattr(reward_model, "path", None))
        if composite is not None:
            return Gold(composite, "the reward model's manifest", is_proxy=False)
    if config.reward_functions is not None:
        composite = CompositeReward(list(config.reward_functions), config.reward_function_weights)
        return Gold(composite, "reward functions (the RL reward itself)", is_proxy=reward_model is None)
    return None
