"""What every RL backend's trainer shares, whatever library runs the steps (torch-free): :class:`RLTrainerBase`
(the TRL plugin's ``aligntune_backend_trl.base.TRLTrainerBase`` extends it) and :class:`RLResult`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from aligntune.errors import BackendError, ConfigurationError, show
from aligntune.rl.reward.base import Reward
from aligntune.rl.reward.local import build_reward
from aligntune.rl.scale_settings import policy_name
from aligntune.rl.sources import load_reward_model

logger = logging.getLogger(__name__)


@dataclass
class RLResult:
    """What an RL trainer's ``train()`` returns (PPO, GRPO and RLOO alike)."""

    steps: int
    reward_start: float
    reward_end: float
    metrics_path: str
    plot_path: str | None
    reward_model_path: str | None
    seconds: float
    #: The step whose policy ``save_model`` saves, and why (best held-out gold, or the last step).
    kept_step: int | None = None
    kept: str = ""
    history: list[dict[str, Any]] = field(repr=False, default_factory=list)


def load_reward(config: Any) -> tuple[Reward, str | None]:
    """``(reward object, reward-model path)`` of a validated RL config.

    A source whose ``load`` returns a :class:`Reward` (e.g. a remote reward service) gives the
    whole proxy, so ``reward_functions`` must then be left out; any other source returns a
    loaded reward model, mixed with the config's rules by :func:`build_reward`.
    """
    src = config.reward_source
    if src is None:
        return build_reward(config), None
    loaded = load_reward_model(src)
    path = src.model_path or src.model_name or getattr(loaded, "path", None)
    if not isinstance(loaded, Reward):
        return build_reward(config, loaded), path
    if config.reward_functions is not None:
        raise ConfigurationError(
            f"The reward source {show(src.source_type)} returns a whole reward (its own components and weights), so "
            "reward_functions cannot be mixed in here; configure the rules where that reward is served, or drop them"
        )
    loaded.check()
    return loaded, path


class RLTrainerBase:
    """The shared part of an RL trainer: the validated config, the reward object (built once), the per-step
    records, the summary and the result.

    Subclasses implement ``train()`` and ``save_model()`` (how models load, how their library's trainer is built
    and run, how the policy is saved); they call :meth:`load_reward` before scoring, append one record per step to
    :attr:`history`, and finish with :meth:`summary` and :meth:`make_result`.
    """

    def __init__(self, config: Any, *, reward: Reward | None = None) -> None:
        if reward is not None and not isinstance(reward, Reward):
            raise ConfigurationError(
                f"reward= must implement the Reward interface (score, describe, check, close), got "
                f"{type(reward).__name__}: {show(reward)}"
            )
        self.config = config
        self.reward: Reward | None = reward
        self.reward_given = reward is not None
        self.reward_model_path: str | None = None
        self.history: list[dict[str, Any]] = []
        self.result: RLResult | None = None

    @property
    def algorithm(self) -> str:
        """The algorithm's display name (``"PPO"``, ``"GRPO"``, ``"RLOO"``)."""
        return str(self.config.algorithm).upper()

    def before_reward_load(self) -> None:
        """Called before a reward source loads (it may train a model into the output directory)."""

    def load_reward(self) -> Reward:
        """The run's reward object, built once (a source that trains a reward model trains it now)."""
        if self.reward is None:
            self.before_reward_load()
            self.reward, self.reward_model_path = load_reward(self.config)
        return self.reward

    def describe_reward(self) -> str:
        """One line on the reward (for logs and the summary): the config's, or the reward object passed in."""
        if self.reward_given and self.reward is not None:
            described = self.reward.describe()
            return f"{type(self.reward).__name__} ({described.get('kind', 'reward')}: {described.get('components')})"
        return str(self.config.describe_reward())

    @property
    def reward_model(self) -> Any:
        """The local reward model the reward scores with, if any."""
        return getattr(self.reward, "reward_model", None)

    def summary(self, seconds: float, **extra: Any) -> dict[str, Any]:
        """The run's summary for ``metrics.json``: reward description, steps, start and end reward, time."""
        if not self.history:
            raise BackendError(f"{self.algorithm} ran no steps; check total_episodes/num_epochs against batch_size")
        described = self.reward.describe() if self.reward is not None else {}
        return {
            "algorithm": self.config.algorithm,
            "model_name": policy_name(self.config),
            "reward": self.describe_reward(),
            "reward_model_path": self.reward_model_path,
            "reward_weights": described.get("weights", {}),
            "steps": len(self.history),
            "reward_start": self.history[0]["reward_mean"],
            "reward_end": self.history[-1]["reward_mean"],
            "seconds": seconds,
            **extra,
        }

    def make_result(self, summary: dict[str, Any], *, metrics_path: str | None, plot_path: str | None,
                    kept_step: int | None, kept: str) -> RLResult:
        """The :class:`RLResult` of a finished run (also kept as :attr:`result`)."""
        self.result = RLResult(
            steps=summary["steps"], reward_start=summary["reward_start"], reward_end=summary["reward_end"],
            metrics_path=metrics_path or "", plot_path=plot_path, reward_model_path=self.reward_model_path,
            seconds=summary["seconds"], kept_step=kept_step, kept=kept, history=self.history,
        )
        logger.info("%s done: %d steps, mean reward %.4f -> %.4f", self.algorithm, self.result.steps,
                    self.result.reward_start, self.result.reward_end)
        return self.result

