"""Gold against proxy (:mod:`aligntune.rl.reward.gold`): the figures of each scored batch, and the alarm for
reward over-optimisation (optimised hard enough, the proxy rises while the gold flattens or falls).

:class:`BatchFigures` gives the figures of one scored batch (a :class:`~aligntune.rl.reward.base.RewardBatch`),
logged at every step and every held-out evaluation; :class:`OverOptimisationAlarm` watches the held-out
evaluations.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from aligntune.rl.reward.base import RewardBatch

logger = logging.getLogger(__name__)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else math.nan


class BatchFigures:
    """Proxy, gold, gold components, length and truncation of one scored batch of responses."""

    def __init__(self, *, max_new_tokens: int) -> None:
        self.max_new_tokens = max_new_tokens

    def stats(self, batch: RewardBatch, *, lengths: Sequence[int], ended: Sequence[bool],
              prefix: str = "") -> dict[str, float]:
        """The figures of one batch; keys are prefixed with ``prefix`` (``"eval/"`` for held-out ones)."""
        out = {
            f"{prefix}proxy": _mean(batch.rewards),
            f"{prefix}length_mean": _mean([float(n) for n in lengths]),
            f"{prefix}hit_length_limit": _mean([float(n >= self.max_new_tokens) for n in lengths]),
            f"{prefix}missing_eos": _mean([float(not e) for e in ended]),
        }
        if batch.gold is not None and len(batch):
            out[f"{prefix}gold"] = _mean(batch.gold)
            for name, scores in batch.gold_components.items():
                out[f"{prefix}gold/{name}"] = _mean(scores)
        return out

    @staticmethod
    def per_response(batch: RewardBatch) -> list[dict[str, float]]:
        """Gold and gold components of each response (for the completions log); empty dicts without a gold."""
        if batch.gold is None:
            return [{} for _ in batch.rewards]
        return [{"gold": batch.gold[i], **{n: s[i] for n, s in batch.gold_components.items()}}
                for i in range(len(batch))]


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
