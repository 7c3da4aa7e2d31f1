"""The RL algorithms aligntune knows, and the settings only some of them have.

PPO (``trl.experimental.ppo``, trl <= 1.12), GRPO and RLOO (TRL's core trainers, trl >= 1.12).
GRPO and RLOO sample ``num_generations`` completions per prompt and compare them within
the group, so ``batch_size`` counts prompts and a step generates ``batch_size *
num_generations`` completions per process. Their own knobs (:data:`ONLY_FOR`) are refused
with any other algorithm, so a setting never silently does nothing.
"""

from __future__ import annotations

from typing import Any

from aligntune.errors import ConfigurationError, show

#: RL algorithms aligntune knows; a backend lists the ones it implements.
ALGORITHMS: tuple[str, ...] = ("ppo", "grpo", "rloo")

#: Algorithms that score a group of completions per prompt.
GROUP_ALGORITHMS: tuple[str, ...] = ("grpo", "rloo")

#: Settings that only some algorithms have (``None`` in the config: not given).
ONLY_FOR: dict[str, tuple[str, ...]] = {
    "num_generations": GROUP_ALGORITHMS,
    "max_completion_length": GROUP_ALGORITHMS,
    "beta": GROUP_ALGORITHMS,
    "loss_type": ("grpo",),
    "scale_rewards": ("grpo",),
    "normalize_advantages": ("rloo",),
}

#: PPO's own settings, each passed to ``trl.experimental.ppo.PPOConfig`` under its own name.
PPO_SETTINGS: tuple[str, ...] = ("response_length", "kl_coef", "kl_estimator", "num_ppo_epochs", "num_mini_batches",
                                 "cliprange", "vf_coef", "cliprange_value", "gamma", "lam", "whiten_rewards",
                                 "missing_eos_penalty")

#: GRPO loss formulations of trl's GRPOConfig (1.12).
LOSS_TYPES: tuple[str, ...] = ("grpo", "dr_grpo", "dapo", "bnpo", "cispo", "sapo", "luspo", "vespo")
#: GRPO reward scaling of trl's GRPOConfig.
SCALE_REWARDS: tuple[Any, ...] = ("group", "batch", "none", True, False)

#: Completions per prompt when ``num_generations`` is not given.
DEFAULT_GENERATIONS = 4


def check_algorithm_options(config: Any) -> None:
    """Refuse a setting the chosen algorithm does not have, and a group that cannot be formed."""
    algorithm = config.algorithm
    for name, algorithms in ONLY_FOR.items():
        if getattr(config, name) is not None and algorithm not in algorithms:
            hint = " (PPO's is response_length)" if name == "max_completion_length" else ""
            hint = " (PPO's KL coefficient is kl_coef)" if name == "beta" else hint
            raise ConfigurationError(
                f"RLTrainingConfig.{name} applies to algorithm {' or '.join(map(repr, algorithms))} only, "
                f"not {algorithm!r}{hint}; drop it, or choose that algorithm"
            )
    if config.scale_rewards is not None and config.scale_rewards not in SCALE_REWARDS:
        raise ConfigurationError(
            f"RLTrainingConfig.scale_rewards must be one of {list(SCALE_REWARDS)}, got {show(config.scale_rewards)}"
        )
    if algorithm in GROUP_ALGORITHMS and generations(config) < 2:
        raise ConfigurationError(
            f"RLTrainingConfig.num_generations must be at least 2 for {algorithm}, got {generations(config)}: "
            f"{algorithm} compares the completions of one prompt with each other, so a group needs two"
        )


def generations(config: Any) -> int:
    """Completions per prompt (1 for PPO)."""
    if config.algorithm not in GROUP_ALGORITHMS:
        return 1
    return config.num_generations if config.num_generations is not None else DEFAULT_GENERATIONS


def completion_length(config: Any) -> int:
    """New tokens per completion: ``max_completion_length`` (GRPO/RLOO), else ``response_length``."""
    return config.max_completion_length if config.max_completion_length is not None else config.response_length
