"""aligntune plugin: the ``unsloth`` RL backend.

The policy is loaded through Unsloth's ``FastLanguageModel`` (4-bit for bitsandbytes
checkpoints, LoRA adapters), then trained by the TRL backend's trainers: GRPO (the RL
path Unsloth supports) or PPO, through their public extension point
``aligntune_backend_trl.trainer_for(config, policy_loader=...)``. Unsloth is imported only once this backend is chosen and
has checked that it can run: importing it patches transformers and TRL process-wide,
and without a CUDA GPU it silently switches to a CPU mode.
"""

from __future__ import annotations

from typing import Any, Callable

from aligntune import hookimpl
from aligntune_backend_unsloth.backend import UnslothBackend

__all__ = ["UnslothBackend", "register_rl_backends"]


@hookimpl
def register_rl_backends(register: Callable[[Any], None]) -> None:
    """Register the ``unsloth`` backend."""
    register(UnslothBackend())
