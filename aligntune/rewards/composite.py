"""The composite reward: a weighted combination that keeps every component.

Weights are normalised to sum to 1, so the composite of functions that all score in
[0, 1] also lies in [0, 1], and ``weights=[3, 1]`` means the same as ``[0.75, 0.25]``.
Without weights every function counts equally.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable

from aligntune._validation import check_weights
from aligntune.errors import ConfigurationError, show
from aligntune.rewards.base import RewardFunction, check_texts, score_checked
from aligntune.rewards.registry import RewardRegistry


@dataclass(frozen=True)
class CompositeScores:
    """Scores of one batch: the weighted ``total`` and each component by name."""

    total: list[float]
    components: dict[str, list[float]]

    def rows(self) -> list[dict[str, float]]:
        """One dict per text: ``score`` plus one key per component."""
        names = list(self.components)
        return [
            {"score": t, **{n: self.components[n][i] for n in names}} for i, t in enumerate(self.total)
        ]


class CompositeReward(RewardFunction):
    """A weighted sum of reward functions (weights normalised to sum to 1).

    ``functions`` mixes registry names, :class:`RewardFunction` objects and plain
    callables. ``weights`` has one positive finite number per function; ``None``
    weighs them equally.
    """

    def __init__(
        self,
        functions: Sequence[str | RewardFunction | Callable[..., Any]],
        weights: Sequence[float] | None = None,
        *,
        registry: Any = None,
        name: str = "composite",
    ) -> None:
        if isinstance(functions, (str, bytes)) or not isinstance(functions, Sequence) or not functions:
            raise ConfigurationError(
                f"functions must be a non-empty list of reward function names or objects, got {show(functions)}"
            )
        if registry is None:
            registry = RewardRegistry()
        self.functions = registry.resolve(functions)
        self._plugins = {
            fn.name: (registry.plugin_of(item) if isinstance(item, str) else None)
            for item, fn in zip(functions, self.functions)
        }
        names = [fn.name for fn in self.functions]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ConfigurationError(f"Each reward function may appear once; repeated: {dupes}")
        raw = [1.0] * len(self.functions) if weights is None else check_weights(weights, len(self.functions))
        self.raw_weights = raw
        self.weights = normalised(raw)
        self.name = name
        self.description = "Weighted sum of " + ", ".join(
            f"{w:.3g}*{n}" for w, n in zip(self.weights, names)
        )
        low = sum(w * fn.value_range[0] for w, fn in zip(self.weights, self.functions))
        high = sum(w * fn.value_range[1] for w, fn in zip(self.weights, self.functions))
        self.value_range = (low, high)

    @property
    def names(self) -> list[str]:
        return [fn.name for fn in self.functions]

    def score_components(
        self,
        texts: Sequence[str],
        *,
        prompts: Sequence[str] | None = None,
        references: Sequence[str] | None = None,
    ) -> CompositeScores:
        """Score a batch with every component and combine them."""
        texts, prompts, references = check_texts(texts, prompts=prompts, references=references)
        components = {
            fn.name: score_checked(
                fn, texts, prompts=prompts, references=references, plugin=self._plugins.get(fn.name)
            )
            for fn in self.functions
        }
        total = [0.0] * len(texts)
        for w, fn in zip(self.weights, self.functions):
            for i, s in enumerate(components[fn.name]):
                total[i] += w * s
        return CompositeScores(total=total, components=components)

    def score(
        self,
        texts: Sequence[str],
        *,
        prompts: Sequence[str] | None = None,
        references: Sequence[str] | None = None,
    ) -> list[float]:
        return self.score_components(texts, prompts=prompts, references=references).total

    def manifest(self) -> dict[str, Any]:
        """A JSON-able record of the functions and weights (to trace and rebuild)."""
        return {
            "functions": self.names,
            "weights": self.raw_weights,
            "normalized_weights": self.weights,
            "plugins": self._plugins,
        }


def normalised(weights: Sequence[float]) -> list[float]:
    """Positive finite ``weights`` scaled to sum to 1, exact at the edges of float range.

    Dividing by the largest weight first keeps the sum finite (``[1e308, 1e308]`` would
    overflow to ``inf`` and turn every weight into 0).

    >>> normalised([1e308, 1e308]), normalised([1, 3])
    ([0.5, 0.5], [0.25, 0.75])
    """
    top = max(weights)
    scaled = [w / top for w in weights]
    total = sum(scaled)
    return [w / total for w in scaled]
