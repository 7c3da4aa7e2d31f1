"""The RL reward's interface: texts in, numbers out (no torch, no policy tokenizer).

A :class:`Reward` scores a batch of (prompt, completion) texts and returns a :class:`RewardBatch`
(the proxy, its components and, when known, the gold). PPO's adapter, GRPO/RLOO's reward callables
and the gold tracker all read their numbers from one such batch, so the weighted sum is computed once
(:func:`weighted_sum`). A reward served over HTTP is the same interface (:meth:`RewardBatch.to_json`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from aligntune.rl.reward.json_form import batch_fields, batch_json

#: The component name of a reward model's score (rule components carry their rule's name).
MODEL_COMPONENT = "reward_model"


def weighted_sum(components: Mapping[str, Sequence[float]], weights: Mapping[str, float]) -> list[float]:
    """``sum_c weights[c] * components[c][i]`` for every text ``i`` (the one weighted sum of the RL reward)."""
    names = list(weights)
    n = len(components[names[0]]) if names else 0
    return [sum(weights[c] * components[c][i] for c in names) for i in range(n)]


@dataclass(frozen=True)
class RewardBatch:
    """One scored batch: proxy, its components and weights, and the gold with its own.

    ``rewards`` has one float per text (the proxy: what RL optimises). ``components``
    maps ``"reward_model"`` and/or each rule's name to its unweighted scores;
    ``weights`` maps the same names to weights that sum to 1. ``gold`` is the rule
    composite (``None`` when no rules are known), with ``gold_components`` and
    ``gold_weights`` as above.
    """

    rewards: list[float]
    components: dict[str, list[float]]
    weights: dict[str, float]
    gold: list[float] | None = None
    gold_components: dict[str, list[float]] = field(default_factory=dict)
    gold_weights: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rewards)

    @classmethod
    def concat(cls, batches: Sequence[RewardBatch]) -> RewardBatch:
        """One batch of several scored by the same reward, in order (e.g. a step's rollout chunks)."""
        first = batches[0]

        def join(get: Any) -> dict[str, list[float]]:
            return {name: [s for b in batches for s in get(b)[name]] for name in get(first)}

        gold = None if first.gold is None else [g for b in batches for g in b.gold or []]
        return cls([r for b in batches for r in b.rewards], join(lambda b: b.components), dict(first.weights), gold,
                   join(lambda b: b.gold_components), dict(first.gold_weights))

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe dict (plain lists, dicts and floats) that :meth:`from_json` reads back: the wire format
        of a served reward (:func:`aligntune.rl.reward.json_form.batch_json`)."""
        return batch_json(self)

    @classmethod
    def from_json(cls, data: Any, *, expected: int | None = None) -> RewardBatch:
        """The batch :meth:`to_json` wrote, checked (:func:`aligntune.rl.reward.json_form.batch_fields`): one finite score
        per text in every list, weights that name the components. ``expected``: the number of texts sent.

        Raises :class:`~aligntune.errors.RewardSourceError` naming the field at fault.
        """
        return cls(**batch_fields(data, expected=expected))


@runtime_checkable
class Reward(Protocol):
    """What RL scores with: texts in, a :class:`RewardBatch` out.

    The local implementation (:class:`aligntune.rl.reward.local.LocalReward`) wraps a
    reward model, rules and their weights; a remote one sends the texts to a reward
    server. Trainers take any object with these four methods.
    """

    def score(self, prompts: Sequence[str], completions: Sequence[str]) -> RewardBatch:
        """Score each completion (after its prompt); one value per completion in every list."""

    def describe(self) -> dict[str, Any]:
        """JSON-safe description: ``kind``, ``components``, ``weights``, ``gold`` (functions, weights, origin)
        and, where known, the reward model's manifest and fidelity."""

    def check(self) -> None:
        """A cheap readiness check (a remote reward contacts its server); raises when not ready."""

    def close(self) -> None:
        """Release what the reward holds (connections, models)."""
