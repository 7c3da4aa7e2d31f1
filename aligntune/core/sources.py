"""Reward-model sources: the contract and the built-in sources of the core.

A source turns a :class:`aligntune.core.rl.config.RewardModelSourceConfig` into a
loaded reward model. Plugins add sources through ``register_reward_model_sources``.
This module is registered as a built-in plugin; it must stay free of heavy imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Protocol, runtime_checkable

from aligntune.hookspecs import hookimpl

if TYPE_CHECKING:
    from aligntune.core.rl.config import RewardModelSourceConfig


@runtime_checkable
class RewardModelSource(Protocol):
    """Provides a reward model for PPO."""

    description: str

    def check(self, config: RewardModelSourceConfig) -> None:
        """Cheap validation before anything loads (paths exist, fields fit)."""

    def load(self, config: RewardModelSourceConfig, **kwargs: Any) -> Any:
        """Load (or train, then load) the reward model."""


@hookimpl
def register_reward_model_sources(register: Callable[[str, Any], None]) -> None:
    """The built-in sources are registered here once implemented."""
