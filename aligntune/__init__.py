"""aligntune: turn rule-based rewards into reward models and run RL (PPO, GRPO, RLOO) with them.

The names most programs need are importable from here::

    from aligntune import RewardModelTrainer, create_rl_trainer, default_reward_base

Importing this package stays light: it does not import torch or transformers, and the
names below load their modules on first use (PEP 562), so ``import aligntune`` costs no
more than the plugin core. The longer import paths (``aligntune.core.backend_factory``,
``aligntune.rewards.training``, ...) keep working and name the same objects.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from aligntune.errors import AlignTuneError
from aligntune.hookspecs import hookimpl

__version__ = "0.2.0"

#: Public name -> (module that defines it, attribute there).
_LAZY: dict[str, tuple[str, str]] = {
    "create_rl_trainer": ("aligntune.rl.factory", "create_rl_trainer"),
    "RewardModelTrainer": ("aligntune.reward_model.api", "RewardModelTrainer"),
    "RewardModelTrainingConfig": ("aligntune.reward_model.config", "RewardModelTrainingConfig"),
    "RewardModelSourceConfig": ("aligntune.rl.config", "RewardModelSourceConfig"),
    "RLTrainingConfig": ("aligntune.rl.config", "RLTrainingConfig"),
    "PPOTrainingConfig": ("aligntune.rl.config", "PPOTrainingConfig"),
    "TextRewardModel": ("aligntune.reward_model.scoring", "TextRewardModel"),
    "RewardRegistry": ("aligntune.rewards.registry", "RewardRegistry"),
    "reward_function": ("aligntune.rewards.base", "reward_function"),
    "load_bundled_corpus": ("aligntune.data.corpus", "load_bundled_corpus"),
    "default_reward_base": ("aligntune.defaults", "default_reward_base"),
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


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use (PEP 562) and cache the object here."""
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'aligntune' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
