"""The ``trl`` backend object the core registers and looks up."""

from __future__ import annotations

from typing import Any

from aligntune.plugin_api import Availability, ConfigurationError, Reward, installed_version

#: The last trl release with ``trl.experimental.ppo`` (PPO was deleted in 1.13).
LAST_TRL_WITH_PPO = "1.12.0"
#: trl versions per algorithm: PPO in 1.12 only (aligntune needs trl>=1.12; trl deleted PPO in 1.13),
#: GRPO and RLOO from 1.12 on (1.x).
TRL_RANGES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "ppo": ((1, 12), (1, 13)),
    **dict.fromkeys(("grpo", "rloo"), ((1, 12), (2, 0))),
}
#: The install line for each algorithm; the extras' pins in aligntune's pyproject.toml agree with these.
INSTALL = {
    "ppo": "pip install 'aligntune[ppo]'  (trl>=1.12,<1.13)",
    **dict.fromkeys(("grpo", "rloo"), "pip install 'aligntune[grpo]'  (trl>=1.12,<2)"),  # one extra for both
}


def _version_tuple(version: str) -> tuple[int, ...]:
    """(major, minor) of a version string: ``"1.13.0rc1"`` -> ``(1, 13)``."""
    from packaging.version import Version

    return Version(version).release[:2]


class TRLBackend:
    """PPO with TRL's ``PPOTrainer`` (trl <= 1.12), GRPO and RLOO with its core trainers; CPU or GPU."""

    name = "trl"
    algorithms: tuple[str, ...] = ("ppo", "grpo", "rloo")
    description = "PPO (trl 1.12), GRPO and RLOO (trl>=1.12) on TRL's trainers, CPU or GPU"

    def availability(self) -> Availability:
        """trl must be installed, in a 1.x release (checked without importing it)."""
        version = installed_version("trl")
        if version is None:
            return Availability(False, f"trl is not installed; install it with: {INSTALL['grpo']}")
        if not ((1, 0) <= _version_tuple(version) < (2, 0)):
            return Availability(False, f"trl {version} is installed; this backend runs trl 1.x: {INSTALL['grpo']}")
        return Availability(True)

    def check_algorithm(self, algorithm: str) -> Availability:
        """Whether the installed trl has ``algorithm`` (PPO only through 1.12)."""
        version = installed_version("trl") or "none"
        low, high = TRL_RANGES[algorithm]
        if version != "none" and low <= _version_tuple(version) < high:
            return Availability(True)
        if algorithm == "ppo":
            return Availability(
                False,
                f"trl {version} is installed, and trl removed PPO after {LAST_TRL_WITH_PPO} (the last release with "
                f"trl.experimental.ppo). Install it with: {INSTALL['ppo']}, or use algorithm='grpo' or 'rloo'",
            )
        return Availability(False, f"trl {version} is installed; {algorithm} needs trl>=1.12: {INSTALL[algorithm]}")

    def create_trainer(self, config: Any) -> Any:
        """A trainer for a validated :class:`~aligntune.rl.config.RLTrainingConfig` (loads nothing yet)."""
        if config.backend_options:
            raise ConfigurationError(
                f"The trl backend takes no backend_options, got {sorted(config.backend_options)}; every setting "
                "is a create_rl_trainer argument (see aligntune.rl.factory.valid_arguments())"
            )
        return trainer_for(config)


def trainer_for(config: Any, *, policy_loader: Any = None, reward: Reward | None = None) -> Any:
    """The trainer of ``config.algorithm``'s family, for this backend and for backends built on it.

    The extension point another backend uses (the Unsloth plugin does): ``policy_loader``
    loads the policy its own way (PPO: ``loader(config) -> PolicyBundle``; GRPO/RLOO:
    ``loader(config) -> (model, tokenizer)``), called inside ``train()``; ``reward`` is a
    ready :class:`~aligntune.plugin_api.Reward` (default: built from the config).
    torch, transformers and trl load with the trainer module, not with this one.
    """
    if config.algorithm == "ppo":
        from aligntune_backend_trl.ppo import AlignTunePPOTrainer

        return AlignTunePPOTrainer(config, policy_loader=policy_loader, reward=reward)
    from aligntune_backend_trl.grpo_rloo import AlignTuneGRPOTrainer

    return AlignTuneGRPOTrainer(config, policy_loader=policy_loader, reward=reward)
