"""aligntune plugin: the ``trl`` RL backend: PPO on ``trl.experimental.ppo.PPOTrainer`` (trl 1.12), GRPO and
RLOO on ``trl.GRPOTrainer`` and ``trl.RLOOTrainer``, all of one trainer shape (:mod:`aligntune_backend_trl.base`).
Another backend builds on it through :func:`~aligntune_backend_trl.backend.trainer_for`, as the Unsloth plugin does.
Importing this package is light: torch, transformers and trl load only when a trainer is built.
"""

from __future__ import annotations

from typing import Any, Callable

from aligntune import hookimpl
from aligntune_backend_trl.backend import TRLBackend, trainer_for
from aligntune_backend_trl.models import PolicyBundle

__all__ = ["PolicyBundle", "TRLBackend", "register_rl_backends", "trainer_for"]


@hookimpl
def register_rl_backends(register: Callable[[Any], None]) -> None:
    """Register the ``trl`` backend."""
    register(TRLBackend())
