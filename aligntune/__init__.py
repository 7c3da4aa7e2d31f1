"""aligntune: turn rule-based rewards into reward models and run RL (PPO, GRPO, RLOO) with them.

The names most programs need are importable from here::

    from aligntune import RewardModelTrainer, create_rl_trainer, default_reward_base

Importing this package stays light: it does not import torch or transformers, and the
names below load their modules on first use (PEP 562), so ``import aligntune`` costs no
more than the plugin core. The longer import paths (``aligntune.core.backend_factory``,
``aligntune.rewards.training``, ...) keep working and name the same objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aligntune._lazy import lazy_attributes
from aligntune.errors import AlignTuneError
from aligntune.hookspecs import hookimpl

__version__ = "0.2.0"

#: Public name -> module that defines it.
_LAZY: dict[str, str] = {
    "create_rl_trainer": "aligntune.rl.factory",
    "RewardModelTrainer": "aligntune.reward_model.api",
    "RewardModelTrainingConfig": "aligntune.reward_model.config",
    "RewardModelSourceConfig": "aligntune.rl.config",
    "RLTrainingConfig": "aligntune.rl.config",
    "PPOTrainingConfig": "aligntune.rl.config",
    "TextRewardModel": "aligntune.reward_model.scoring",
    "RewardRegistry": "aligntune.rewards.registry",
    "reward_function": "aligntune.rewards.base",
    "load_bundled_corpus": "aligntune.data.corpus",
    "default_reward_base": "aligntune.defaults",
}

__all__ = ["AlignTuneError", "__version__", "hookimpl", *_LAZY]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from aligntune.data.corpus import load_bundled_corpus
    from aligntune.defaults import default_reward_base
    from aligntune.reward_model.config import RewardModelTrainingConfig
    from aligntune.reward_model.scoring import TextRewardModel
    from aligntune.reward_model.api import RewardModelTrainer
    from aligntune.rewards.base import reward_function
    from aligntune.rewards.registry import RewardRegistry
    from aligntune.rl.config import PPOTrainingConfig, RewardModelSourceConfig, RLTrainingConfig
    from aligntune.rl.factory import create_rl_trainer


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())
