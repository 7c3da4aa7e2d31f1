"""The ``trl`` backend object the core registers and looks up."""

from __future__ import annotations

from importlib import metadata
from typing import Any

from aligntune.rl.backends import Availability

#: The trl versions whose ``trl.experimental.ppo`` this backend runs on.
TRL_RANGE = ((1, 0), (1, 13))
INSTALL = "pip install 'trl>=1.0,<1.13'"


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


class TRLBackend:
    """PPO with TRL's ``PPOTrainer``; runs on CPU or GPU."""

    name = "trl"
    algorithms: tuple[str, ...] = ("ppo",)
    description = "PPO on trl.experimental.ppo.PPOTrainer (trl>=1.0,<1.13), CPU or GPU"

    def availability(self) -> Availability:
        """trl must be installed in the PPO-capable range (checked without importing it)."""
        try:
            version = metadata.version("trl")
        except metadata.PackageNotFoundError:
            return Availability(False, f"trl is not installed; install it with: {INSTALL}")
        low, high = TRL_RANGE
        if not (low <= _version_tuple(version) < high):
            return Availability(
                False,
                f"trl {version} is installed, but PPO (trl.experimental.ppo) exists only in trl>=1.0,<1.13; "
                f"install it with: {INSTALL}",
            )
        return Availability(True)

    def create_trainer(self, config: Any) -> Any:
        """A trainer for a validated :class:`~aligntune.rl.config.PPOTrainingConfig` (loads nothing yet)."""
        from aligntune.errors import ConfigurationError
        from aligntune_backend_trl.engine import build_ppo_trainer

        if config.backend_options:
            raise ConfigurationError(
                f"The trl backend takes no backend_options, got {sorted(config.backend_options)}; every PPO setting "
                "is a create_rl_trainer argument (see aligntune.core.backend_factory.valid_arguments())"
            )
        return build_ppo_trainer(config)
