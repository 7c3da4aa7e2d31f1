"""aligntune-rewards-example: an example third-party aligntune plugin.

Registers, through the ``aligntune`` entry-point group (entry point ``rewards_example``):

* the reward function ``readability`` (:mod:`aligntune_rewards_example.readability`);
* the reward-model source ``model_store`` (:mod:`aligntune_rewards_example.model_store`).

Importing this module is light (no torch, no transformers): aligntune imports every
plugin when it lists them.
"""

from __future__ import annotations

from typing import Any, Callable

from aligntune import hookimpl
from aligntune_rewards_example.model_store import ModelStoreSource
from aligntune_rewards_example.readability import ReadabilityReward, flesch_reading_ease

__all__ = ["ModelStoreSource", "ReadabilityReward", "flesch_reading_ease"]


@hookimpl
def register_reward_functions(register: Callable[[Any], None]) -> None:
    """Register ``readability``."""
    register(ReadabilityReward())


@hookimpl
def register_reward_model_sources(register: Callable[[str, Any], None]) -> None:
    """Register ``model_store``."""
    register("model_store", ModelStoreSource())
