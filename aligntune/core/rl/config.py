"""The configs under the guide's import path ``aligntune.core.rl.config``.

Re-exports, because the guide imports them from here: :class:`RewardModelTrainingConfig`
(defined in :mod:`aligntune.reward_model.config`, with every setting's spellings),
:class:`RewardModelSourceConfig` and :class:`RLTrainingConfig` (defined in
:mod:`aligntune.rl.config`; ``PPOTrainingConfig`` is its former name, an alias for one release).
"""

from aligntune.reward_model.config import RewardModelTrainingConfig
from aligntune.rl.config import PPOTrainingConfig, RewardModelSourceConfig, RLTrainingConfig

__all__ = ["PPOTrainingConfig", "RLTrainingConfig", "RewardModelSourceConfig", "RewardModelTrainingConfig"]
