"""Gold against proxy: what RL optimises, measured against the rules it should improve.

When the RL reward is a reward model trained from rules, the rules are the **gold** and
the model is a **proxy**: optimising the proxy hard enough makes it rise while the gold
flattens or falls (reward over-optimisation). aligntune knows the rules when

* the reward is the rules themselves (then proxy = gold, and the log says so);
* the reward model was trained by aligntune: its manifest (``aligntune.json``) records the
  functions and weights, also for a ``pretrained_local`` model;
* the user names them: ``gold_reward_functions=[...]`` (and ``gold_reward_weights``).

:class:`StepMonitor` turns one batch of (prompt, response, proxy score) into the figures
logged at every step and at every held-out evaluation: proxy, gold, each gold component,
the mean response length, and the share of responses that hit the length limit or
miss the end-of-sequence token. :class:`OverOptimisationAlarm` watches the held-out
evaluations: the proxy rising while the gold falls, for ``patience`` evaluations in a row.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aligntune.reward_model.loading import manifest_rules
from aligntune.rewards.composite import CompositeReward

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gold:
    """The rule composite used as the gold, and where it came from."""

    composite: CompositeReward
    origin: str  # "reward functions (the RL reward itself)", "the reward model's manifest", "gold_reward_functions"
    is_proxy: bool  # the RL reward is the gold itself

    @property
    def names(self) -> list[str]:
        return self.composite.names


def gold_from_manifest(manifest: dict[str, Any] | None, origin: str | None = None) -> CompositeReward | None:
    """The rules a reward model was trained from, rebuilt from its manifest (``None`` when it has none);
    a rule that is not installed is an error naming the manifest (``origin``: the model directory)."""
    return manifest_rules(manifest, origin)


def resolve_gold(config: Any, reward_model: Any = None) -> Gold | None:
    """The gold for an RL config (and its loaded reward model), or ``None`` when no rules are known."""
    if config.gold_reward_functions is not None:
        composite = CompositeReward(list(config.gold_reward_functions), config.gold_reward_weights)
        return Gold(composite, "gold_reward_functions", is_proxy=False)
    if reward_model is not None:
        composite = gold_from_manifest(getattr(reward_model, "manifest", None), getattr(reward_model, "path", None))
        if composite is not None:
            return Gold(composite, "the reward model's manifest", is_proxy=False)
        if config.reward_functions is None:
            return None
    if config.reward_functions is not None:
        composite = CompositeReward(list(config.reward_functions), config.reward_function_weights)
        return Gold(composite, "reward functions (the RL reward itself)", is_proxy=reward_model is None)
    return None


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else math.nan


class StepMonitor:
    """Proxy, gold, gold components, length and truncation of one batch of responses."""

    def __init__(self, gold: Gold | None, *, max_new_tokens: int) -> None:
        self.gold = gold
        self.max_new_tokens = max_new_tokens

    def stats(
        self,
        prompts: Sequence[str],
        responses: Sequence[str],
        proxy: Sequence[float],
        *,
        lengths: Sequence[int],
        ended: Sequence[bool],
        prefix: str = "",
        known: dict[str, Sequence[float]] | None = None,
    ) -> dict[str, float]:
        """The figures of one batch; keys are prefixed with ``prefix`` (``"eval/"`` for held-out ones).

        ``known``: rule scores of these responses the trainer already computed (a rule that is
        also the reward), by rule name; when they cover the gold, the rules are not run again.
        """
        out = {
            f"{prefix}proxy": _mean(proxy),
            f"{prefix}length_mean": _mean([float(n) for n in lengths]),
            f"{prefix}hit_length_limit": _mean([float(n >= self.max_new_tokens) for n in lengths]),
            f"{prefix}missing_eos": _mean([float(not e) for e in ended]),
        }
        if self.gold is not None and responses:
            names = self.gold.names
            if known is not None and all(name in known for name in names):
                components = {name: list(known[name]) for name in names}
                weights = self.gold.composite.weights
                total = [sum(w * components[n][i] for w, n in zip(weights, names)) for i in range(len(responses))]
            else:
                scores = self.gold.composite.score_components(list(responses), prompts=list(prompts))
                components, total = scores.components, scores.total
            out[f"{prefix}gold"] = _mean(total)
            for name in names:
                out[f"{prefix}gold/{name}"] = _mean(components[name])
        return out

    def per_response(self, prompts: Sequence[str], responses: Sequence[str]) -> list[dict[str, float]]:
        """Gold and components of each response (for the completions log)."""
        if self.gold is None or not responses:
            return [{} for _ in responses]
        scores = self.gold.composite.score_components(list(responses), prompts=list(prompts))
        return [
            {"gold": scores.total[i], **{name: scores.components[name][i] for name in self.gold.names}}
            for i in range(len(responses))
        ]


@dataclass
class OverOptimisationAlarm:
    """Fires when the held-out proxy rose while the held-out gold fell, ``patience`` evaluations in a row."""

    patience: int = 2
    history: list[tuple[int, float, float]] = field(default_factory=list)
    fired_at: int | None = None
    streak: int = 0

    def update(self, step: int, proxy: float, gold: float) -> bool:
        """Record one evaluation; ``True`` the first time the alarm fires."""
        if self.history:
            _, last_proxy, last_gold = self.history[-1]
            self.streak = self.streak + 1 if proxy > last_proxy and gold < last_gold else 0
        self.history.append((step, proxy, gold))
        if self.fired_at is None and self.streak >= self.patience:
            self.fired_at = step
            first_step, first_proxy, first_gold = self.history[-1 - self.patience]
            logger.warning(
                "Reward over-optimisation: over the last %d held-out evaluations (steps %d -> %d) the proxy rose "
                "%.4f -> %.4f while the gold (the rules) fell %.4f -> %.4f. The policy is exploiting the reward "
                "model; stop here (stop_on_overoptimization=True does it), lower the learning rate, or raise the "
                "KL coefficient",
                self.patience, first_step, step, first_proxy, proxy, first_gold, gold,
            )
            return True
        return False
