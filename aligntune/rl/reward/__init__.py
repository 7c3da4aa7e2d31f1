"""The RL reward: one object that scores texts and returns the proxy, its components and the gold.

* ``base``: :class:`RewardBatch` (JSON round-trip), the :class:`Reward` protocol and
  :func:`weighted_sum`, the one weighted sum of the RL reward. Torch-free.
* ``gold``: the rules a proxy stands for (:func:`resolve_gold`).
* ``local``: :class:`LocalReward` (reward model, rules, weights, mix) and
  :func:`build_reward`, which builds it once from an RL config.
* ``callables``: the reward as TRL-style text callables (GRPO, RLOO).

Token ids never reach this package: PPO's adapter, which holds the policy tokenizer,
lives in the TRL plugin. Nothing here imports torch.
"""

from aligntune.rl.reward.base import MODEL_COMPONENT, Reward, RewardBatch, weighted_sum
from aligntune.rl.reward.gold import Gold, resolve_gold
from aligntune.rl.reward.local import LocalReward, build_reward

__all__ = ["MODEL_COMPONENT", "Gold", "LocalReward", "Reward", "RewardBatch", "build_reward", "resolve_gold",
           "weighted_sum"]
