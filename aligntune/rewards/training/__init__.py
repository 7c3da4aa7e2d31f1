"""Reward-model training from rule-based reward functions.

* :class:`RewardModelTrainer`: ``generate_training_data`` scores texts into a
  ``datasets.Dataset``; ``train_reward_model`` trains with ``trl.RewardTrainer`` and
  saves a Hugging Face model directory with its fidelity.
* :func:`train_from_config`: the same from a :class:`RewardModelTrainingConfig`.
* :func:`build_pairs`: the preference pairs, deterministic for a seed.

One concern per module: ``data`` (scoring), ``pairs`` (sampling), ``fit`` (TRL
set-up), ``fidelity``, ``card`` (model card and manifest), ``save`` (atomic output),
``runner`` (the steps in order), ``trainer`` (the public class).
"""

from aligntune.rewards.training.fidelity import FidelityReport
from aligntune.rewards.training.pairs import build_pairs
from aligntune.rewards.training.trainer import RewardModelTrainer, TrainedRewardModel, train_from_config

__all__ = ["FidelityReport", "RewardModelTrainer", "TrainedRewardModel", "build_pairs", "train_from_config"]
