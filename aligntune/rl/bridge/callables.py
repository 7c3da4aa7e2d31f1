"""Rewards as text callables, for trainers that score decoded completions (TRL's GRPO and RLOO).

``reward_callables(...)`` turns a config's reward into TRL-style reward functions,
``fn(prompts=..., completions=..., **kwargs) -> list[float]``, and their weights:

* a reward model is one callable, named ``reward_model``, that scores each completion
  the way the model was trained (the completion alone, or after its prompt when the
  model was trained with prompts, with the model's own tokenizer and special tokens),
  not TRL's ``prompt + completion`` re-tokenised without special tokens;
* each rule function is a callable of its own, named after the function, so the trainer
  logs every rule separately (``rewards/<name>/mean``);
* the weights (the model's and the rules') are normalised to sum to 1, as aligntune's
  composite documents them.

Every callable refuses NaN and infinite scores (TRL would turn a missing reward into NaN
and sum it away), and keeps its last batch (``last``) so a backend can report it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aligntune.errors import RewardFunctionError, show
from aligntune.rewards.base import RewardFunction, check_finite, score_checked
from aligntune.rewards.composite import CompositeReward, normalised


def _texts(values: Sequence[Any], what: str) -> list[str]:
    """Completions/prompts as strings (a conversational one is its last message's content)."""
    out = []
    for i, value in enumerate(values):
        if isinstance(value, list) and value and isinstance(value[-1], dict):
            value = value[-1].get("content", "")
        if not isinstance(value, str):
            raise RewardFunctionError(f"{what}[{i}] is a {type(value).__name__}, not text: {show(value)}")
        out.append(value)
    return out


@dataclass
class Batch:
    """The last batch a reward callable scored."""

    prompts: list[str] = field(default_factory=list)
    completions: list[str] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    #: The completions' token ids, when the trainer passes them (TRL does: ``completion_ids``).
    completion_ids: list[list[int]] = field(default_factory=list)


class _TextReward:
    """Base of the callables: text in, checked floats out, last batch kept."""

    __name__ = "reward"

    def __init__(self) -> None:
        self.last = Batch()
        self.calls = 0

    def __call__(self, prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any) -> list[float]:
        prompt_texts, completion_texts = _texts(prompts, "prompts"), _texts(completions, "completions")
        scores = self.score(prompt_texts, completion_texts)
        ids = [list(row) for row in kwargs.get("completion_ids") or []]
        self.last = Batch(prompt_texts, completion_texts, scores, ids)
        self.calls += 1
        return scores

    def score(self, prompts: list[str], completions: list[str]) -> list[float]:  # pragma: no cover - abstract
        raise NotImplementedError


class RewardModelReward(_TextReward):
    """A loaded reward model (``score(texts, prompts=..., batch_size=...)``) as a callable."""

    __name__ = "reward_model"

    def __init__(self, reward_model: Any, *, batch_size: int = 32) -> None:
        super().__init__()
        self.reward_model = reward_model
        self.batch_size = batch_size
        self.uses_prompts = bool(getattr(reward_model, "uses_prompts", False))

    def score(self, prompts: list[str], completions: list[str]) -> list[float]:
        scores = self.reward_model.score(
            completions, prompts=prompts if self.uses_prompts else None, batch_size=self.batch_size
        )
        return check_finite([float(s) for s in scores], who="The reward model", verb="produced", unit="completion")


class RuleReward(_TextReward):
    """One rule function as a callable (judged with the prompts, as the composite does)."""

    def __init__(self, function: RewardFunction) -> None:
        super().__init__()
        self.function = function
        self.__name__ = function.name

    def score(self, prompts: list[str], completions: list[str]) -> list[float]:
        return score_checked(self.function, completions, prompts=prompts)


def reward_callables(
    *,
    reward_model: Any = None,
    reward_functions: Sequence[Any] | None = None,
    reward_function_weights: Sequence[float] | None = None,
    reward_model_weight: float | None = None,
    batch_size: int = 32,
) -> tuple[list[_TextReward], list[float]]:
    """The callables and their normalised weights for a model, rules, or a weighted mix of both."""
    callables: list[_TextReward] = []
    raw: list[float] = []
    if reward_model is not None:
        callables.append(RewardModelReward(reward_model, batch_size=batch_size))
        raw.append(1.0 if reward_functions is None else float(reward_model_weight or 1.0))
    if reward_functions is not None:
        rules = CompositeReward(list(reward_functions), reward_function_weights)
        callables += [RuleReward(fn) for fn in rules.functions]
        raw += rules.raw_weights
    if not callables:
        raise RewardFunctionError("No reward: pass a reward model, reward functions, or both")
    return callables, normalised(raw)


def score_texts(callables: Sequence[_TextReward], weights: Sequence[float], prompts: list[str],
                completions: list[str]) -> list[float]:
    """The weighted reward of new completions (what the trainer would optimise), leaving ``last`` as it is."""
    per_callable = [c.score(prompts, completions) for c in callables]
    return [sum(w * scores[i] for scores, w in zip(per_callable, weights)) for i in range(len(completions))]


def combined(callables: Sequence[_TextReward], weights: Sequence[float]) -> list[float]:
    """The weighted reward of each completion in the callables' last batch (what the trainer optimised)."""
    n = len(callables[0].last.scores)
    return [sum(w * c.last.scores[i] for c, w in zip(callables, weights)) for i in range(n)]
