"""The shared base class of the basic rewards: input checks, then a batch scorer."""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Sequence
from typing import Any

from aligntune.plugin_api import ConfigurationError, show
from aligntune.plugin_api import RewardFunction, check_texts


class BasicReward(RewardFunction):
    """A reward in ``[0, 1]`` whose ``score`` validates the batch once, then scores it.

    Subclasses implement :meth:`_score_batch`, which receives the checked lists
    (``prompts``/``references`` are ``None`` or one entry per text, entries may be
    ``None``), and record their factory arguments in :attr:`params`.
    """

    value_range = (0.0, 1.0)

    def __init__(self, **params: Any) -> None:
        #: The factory arguments this instance was built with.
        self.params: dict[str, Any] = dict(params)

    def score(
        self,
        texts: Sequence[str],
        *,
        prompts: Sequence[str | None] | None = None,
        references: Sequence[str | None] | None = None,
    ) -> list[float]:
        """Score a batch of responses; ``prompts``/``references`` align one per text."""
        checked, p, r = check_texts(texts, prompts=prompts, references=references)
        return self._score_batch(checked, p, r)

    @abstractmethod
    def _score_batch(
        self,
        texts: list[str],
        prompts: list[str | None] | None,
        references: list[str | None] | None,
    ) -> list[float]:
        """Score checked inputs."""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={show(v)}" for k, v in self.params.items())
        return f"<{type(self).__name__} {show(self.name)} ({args})>"


def check_number(
    owner: str,
    field: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
) -> float:
    """Validate a numeric factory argument; raise :class:`ConfigurationError` naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigurationError(
            f"{owner}({field}=...) must be a finite number, got {type(value).__name__}: {show(value)}"
        )
    if low is not None and (value < low or (value == low and not low_inclusive)):
        bound = ">=" if low_inclusive else ">"
        raise ConfigurationError(f"{owner}({field}=...) must be {bound} {low}, got {show(value)}")
    if high is not None and value > high:
        raise ConfigurationError(f"{owner}({field}=...) must be <= {high}, got {show(value)}")
    return float(value)


def check_choice(owner: str, field: str, value: Any, choices: Sequence[str]) -> str:
    """Validate a string factory argument against ``choices``."""
    if value not in choices:
        raise ConfigurationError(
            f"{owner}({field}=...) must be one of {', '.join(map(repr, choices))}, got {show(value)}"
        )
    return str(value)
