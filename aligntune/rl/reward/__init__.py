"""The RL reward: one object that scores texts and returns the proxy, its components and the gold.

:mod:`~aligntune.rl.reward.base` (the interface and :func:`weighted_sum`), :mod:`~aligntune.rl.reward.gold`,
:mod:`~aligntune.rl.reward.local` (:class:`LocalReward`, :func:`build_reward`) and
:mod:`~aligntune.rl.reward.callables` (TRL-style text callables for GRPO and RLOO). Token ids and torch never
reach this package: PPO's adapter, which holds the policy tokenizer, lives in the TRL plugin.
"""

from aligntune.rl.reward.base import MODEL_COMPONENT, Reward, RewardBatch, weighted_sum
from aligntune.rl.reward.gold import Gold, resolve_gold
from aligntune.rl.reward.local import LocalReward, build_reward

__all__ = ["MODEL_COMPONENT", "Gold", "LocalReward", "Reward", "RewardBatch", "build_reward", "resolve_gold",
           "weighted_sum"]
