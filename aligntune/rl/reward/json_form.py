"""A scored batch as JSON: what :meth:`RewardBatch.to_json` writes and :meth:`RewardBatch.from_json` reads back.

Plain lists, dicts and floats: the reward service answers with it (:mod:`aligntune.serve.batching`) and its
client reads it back (:mod:`aligntune.serve.client`). It lives beside the batch, not in the service, so the RL
reward does not import the service. Reading checks every field: one finite score per text in every list,
weights that name the components.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from aligntune.errors import RewardSourceError, show


def batch_json(batch: Any) -> dict[str, Any]:
    """A scored batch (:class:`~aligntune.rl.reward.base.RewardBatch`) as a JSON-safe dict (plain lists, dicts
    and floats) that :func:`batch_fields` reads back."""
    return {
        "rewards": [float(r) for r in batch.rewards],
        "components": {k: [float(s) for s in v] for k, v in batch.components.items()},
        "weights": {k: float(w) for k, w in batch.weights.items()},
        "gold": None if batch.gold is None else [float(g) for g in batch.gold],
        "gold_components": {k: [float(s) for s in v] for k, v in batch.gold_components.items()},
        "gold_weights": {k: float(w) for k, w in batch.gold_weights.items()},
    }


def batch_fields(data: Any, *, expected: int | None = None) -> dict[str, Any]:
    """The fields of the batch :func:`batch_json` wrote, checked: one finite score per text in every list, weights
    that name the components. ``expected``: the number of texts sent (a mismatch is an error).

    Raises :class:`~aligntune.errors.RewardSourceError` naming the field at fault.
    """
    if not isinstance(data, Mapping):
        raise RewardSourceError(f"A reward batch must be a JSON object, got {type(data).__name__}: {show(data)}")
    rewards = _floats(data.get("rewards"), "rewards", expected)
    n = len(rewards)
    components = _float_table(data.get("components"), "components", n)
    weights = _weights(data.get("weights"), "weights", components)
    gold = None if data.get("gold") is None else _floats(data.get("gold"), "gold", n)
    gold_components = _float_table(data.get("gold_components") or {}, "gold_components", n)
    gold_weights = _weights(data.get("gold_weights") or {}, "gold_weights", gold_components)
    return {"rewards": rewards, "components": components, "weights": weights, "gold": gold,
            "gold_components": gold_components, "gold_weights": gold_weights}


def _floats(values: Any, name: str, expected: int | None) -> list[float]:
    bad = not isinstance(values, list) or (expected is not None and len(values) != expected)
    for i, value in enumerate(values if isinstance(values, list) else []):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise RewardSourceError(f"Reward batch field {name}[{i}] must be a finite number, got {show(value)}")
    if bad:
        raise RewardSourceError(f"Reward batch field {name!r} must be a list of {expected or 'some'} numbers (one per "
                                f"text), got {show(values)}")
    return [float(v) for v in values]


def _float_table(values: Any, name: str, n: int) -> dict[str, list[float]]:
    if not isinstance(values, Mapping) or not all(isinstance(k, str) for k in values):
        raise RewardSourceError(f"Reward batch field {name!r} must map names to lists of numbers, got {show(values)}")
    return {k: _floats(v, f"{name}.{k}", n) for k, v in values.items()}


def _weights(values: Any, name: str, components: Mapping[str, Any]) -> dict[str, float]:
    if not isinstance(values, Mapping) or set(values) != set(components):
        raise RewardSourceError(
            f"Reward batch field {name!r} must give one weight per component {sorted(components)}, got {show(values)}"
        )
    return {k: _floats([values[k]], f"{name}.{k}", 1)[0] for k in components}
