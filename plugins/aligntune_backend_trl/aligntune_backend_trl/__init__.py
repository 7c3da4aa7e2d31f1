"""aligntune plugin: the ``trl`` RL backend (PPO on ``trl.experimental.ppo.PPOTrainer``, GRPO and
RLOO on ``trl.GRPOTrainer`` and ``trl.RLOOTrainer``).

Everything TRL-specific in aligntune lives in this package, behind a small engine
interface (:mod:`aligntune_backend_trl.engine`), so another engine can replace TRL's
without touching the core, and another backend (Unsloth) can load the policy itself
and reuse the same engines. Importing this package is light:
torch, transformers and trl load only when a trainer is built.
"""

from __future__ import annotations

from typing import Any, Callable

from aligntune import hookimpl
from aligntune_backend_trl.backend import TRLBackend

__all__ = ["TRLBackend", "register_rl_backends"]


@hookimpl
def register_rl_backends(register: Callable[[Any], None]) -> None:
    """Register the ``trl`` backend."""
    register(TRLBackend())
