"""Reward functions: the contract, the registry and the composite reward."""

from aligntune.rewards.base import FunctionReward, RewardFunction, reward_function

__all__ = ["FunctionReward", "RewardFunction", "reward_function"]
