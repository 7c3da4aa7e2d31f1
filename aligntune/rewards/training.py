"""Reward-model training under the guide's import path ``aligntune.rewards.training``.

Re-exports, because the guide imports :class:`RewardModelTrainer` from here; the
reward model itself (its config, data, pairs, training, fidelity, saving, loading and
scoring) lives in :mod:`aligntune.reward_model`.
"""

from aligntune.reward_model.fidelity import FidelityReport
from aligntune.reward_model.pairs import build_pairs
from aligntune.reward_model.result import TrainedRewardModel
from aligntune.reward_model.api import RewardModelTrainer, train_from_config

__all__ = ["FidelityReport", "RewardModelTrainer", "TrainedRewardModel", "build_pairs", "train_from_config"]
