"""The RL reward as text callables, for trainers that score decoded completions (TRL's GRPO and RLOO).

TRL calls each reward function as ``fn(prompts=..., completions=..., **kwargs) -> list[float]``
and sums their outputs with ``reward_weights``. :class:`RewardCallables` hands it one
``proxy`` callable (weight 1), which scores the batch once with the reward object, and
one callable per component (weight 0), which return that same batch's component scores
so TRL logs each of them (``rewards/<name>/mean``) without adding them again. So what
TRL optimises is exactly the reward object's proxy, and :attr:`RewardCallables.last`
holds the whole scored batch (components and gold included) for the run's records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aligntune.errors import RewardFunctionError, show
from aligntune.rl.reward.base import Reward, RewardBatch

#: The name of the callable that returns the proxy (what TRL optimises).
PROXY = "proxy"


def as_texts(values: Sequence[Any], what: str) -> list[str]:
    """Completions/prompts as strings (a conversational one is its last message's content)."""
    out = []
    for i, value in enumerate(values):
        if isinstance(value, list) and value and isinstance(value[-1], dict):
            value = value[-1].get("content", "")
        if not isinstance(value, str):
            raise RewardFunctionError(f"{what}[{i}] is a {type(value).__name__}, not text: {show(value)}")
        out.append(value)
    return out


@dataclass(frozen=True)
class ScoredBatch:
    """One scored batch: its texts, the completions' token ids and the reward object's numbers."""

    prompts: list[str]
    completions: list[str]
    numbers: RewardBatch
    #: The completions' token ids, when the trainer passes them (TRL does: ``completion_ids``).
    completion_ids: list[list[int]] = field(default_factory=list)


class _Callable:
    """One TRL reward function named ``name`` (not a ``functools.partial``: TRL names those after the wrapped one)."""

    def __init__(self, owner: RewardCallables, name: str) -> None:
        self.owner = owner
        self.__name__ = name

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any) -> list[float]:
        return self.owner.call(self.__name__, prompts, completions, kwargs.get("completion_ids"))


class RewardCallables:
    """TRL-style reward callables backed by one :class:`~aligntune.rl.reward.base.Reward`.

    ``functions`` and ``weights`` go to the trainer (``reward_funcs=``, ``reward_weights=``);
    ``last`` is the last scored batch.
    """

    def __init__(self, reward: Reward, components: Sequence[str]) -> None:
        self.reward = reward
        self.components = list(components)
        if PROXY in self.components:
            raise RewardFunctionError(f"A reward component may not be named {PROXY!r}; rename it")
        self.functions = [_Callable(self, PROXY), *(_Callable(self, name) for name in self.components)]
        self.weights = [1.0] + [0.0] * len(self.components)
        self.last: ScoredBatch | None = None

    def call(self, name: str, prompts: Sequence[Any], completions: Sequence[Any], ids: Any) -> list[float]:
        """The proxy (scoring the batch) or a component of the batch the proxy just scored."""
        if name == PROXY:
            prompt_texts, texts = as_texts(prompts, "prompts"), as_texts(completions, "completions")
            numbers = self.reward.score(prompt_texts, texts)
            self.last = ScoredBatch(prompt_texts, texts, numbers, [list(row) for row in ids or []])
            return list(numbers.rewards)
        last = self.last
        if last is None or last.completions != as_texts(completions, "completions"):
            raise RewardFunctionError(
                f"Reward component {name!r} was called before the {PROXY!r} callable scored this batch; pass "
                "RewardCallables.functions to the trainer in their order"
            )
        if name not in last.numbers.components:
            raise RewardFunctionError(f"The reward returned no component {name!r}; it returned "
                                      f"{sorted(last.numbers.components)}")
        return list(last.numbers.components[name])
