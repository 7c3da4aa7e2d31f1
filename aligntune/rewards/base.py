"""The reward-function contract.

A reward function scores a batch of texts in one call and returns one float per
text, higher is better. It carries a ``name`` (unique across plugins), a
one-line ``description`` and the ``value_range`` its scores fall in.

Two ways to write one:

* subclass :class:`RewardFunction` and implement :meth:`RewardFunction.score`;
* decorate a plain function with :func:`reward_function`. A per-text function
  ``fn(text) -> float`` (optionally also taking ``prompt=`` and ``reference=``) is
  applied text by text; with ``batched=True`` the function receives the whole batch
  as ``fn(texts, prompts=None, references=None) -> list[float]``.

:func:`score_checked` is how aligntune calls any reward function: it validates the
inputs before the call and the scores after it, and names the function at fault.
"""

from __future__ import annotations

import inspect
import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, Callable, overload

from aligntune._validation import aligned
from aligntune.errors import DataError, RewardFunctionError, is_stop, show
from aligntune.rewards.limits import run_limited


class RewardFunction(ABC):
    """A named, batched, text-level reward."""

    #: Unique name used to look the function up in the registry.
    name: str = ""
    #: One line saying what the function measures.
    description: str = ""
    #: Inclusive ``(low, high)`` bounds of the scores.
    value_range: tuple[float, float] = (0.0, 1.0)

    @abstractmethod
    def score(
        self,
        texts: Sequence[str],
        *,
        prompts: Sequence[str] | None = None,
        references: Sequence[str] | None = None,
    ) -> list[float]:
        """Score ``texts`` (responses); ``prompts``/``references`` align one per text."""

    def __call__(
        self,
        texts: Sequence[str],
        *,
        prompts: Sequence[str] | None = None,
        references: Sequence[str] | None = None,
    ) -> list[float]:
        return self.score(texts, prompts=prompts, references=references)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {show(self.name)} range={self.value_range}>"


class FunctionReward(RewardFunction):
    """A :class:`RewardFunction` backed by a plain Python callable."""

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
        value_range: tuple[float, float] = (0.0, 1.0),
        batched: bool = False,
    ) -> None:
        if not callable(fn):
            raise RewardFunctionError(f"A reward function must be callable, got {show(fn)}")
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "")
        if not self.name or self.name == "<lambda>":
            raise RewardFunctionError(
                f"Reward function {show(fn)} has no usable name; pass name='my_reward'"
            )
        doc = inspect.getdoc(fn) or ""
        self.description = description if description is not None else (doc.splitlines() or [""])[0]
        self.value_range = (float(value_range[0]), float(value_range[1]))
        self.batched = batched
        params = _parameters(fn)
        self._takes_prompt = "prompt" in params or "prompts" in params
        self._takes_reference = "reference" in params or "references" in params

    def score(
        self,
        texts: Sequence[str],
        *,
        prompts: Sequence[str] | None = None,
        references: Sequence[str] | None = None,
    ) -> list[float]:
        if self.batched:
            kwargs: dict[str, Any] = {}
            if self._takes_prompt:
                kwargs["prompts"] = prompts
            if self._takes_reference:
                kwargs["references"] = references
            return list(self.fn(list(texts), **kwargs))
        out = []
        for i, text in enumerate(texts):
            kwargs = {}
            if self._takes_prompt:
                kwargs["prompt"] = prompts[i] if prompts is not None else None
            if self._takes_reference:
                kwargs["reference"] = references[i] if references is not None else None
            out.append(self.fn(text, **kwargs))
        return out


def _parameters(fn: Callable[..., Any]) -> set[str]:
    try:
        return set(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return set()


@overload
def reward_function(fn: Callable[..., Any]) -> FunctionReward: ...


@overload
def reward_function(
    fn: None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    value_range: tuple[float, float] = (0.0, 1.0),
    batched: bool = False,
) -> Callable[[Callable[..., Any]], FunctionReward]: ...


def reward_function(
    fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    value_range: tuple[float, float] = (0.0, 1.0),
    batched: bool = False,
) -> Any:
    """Turn a plain function into a :class:`RewardFunction`.

    Usable bare (``@reward_function``) or with arguments
    (``@reward_function(name="brevity", batched=True)``). The description defaults
    to the first line of the docstring.
    """

    def wrap(f: Callable[..., Any]) -> FunctionReward:
        return FunctionReward(
            f, name=name, description=description, value_range=value_range, batched=batched
        )

    return wrap(fn) if fn is not None else wrap


def as_reward_function(obj: Any) -> RewardFunction:
    """Return ``obj`` as a :class:`RewardFunction`, wrapping plain callables."""
    if isinstance(obj, RewardFunction):
        return obj
    if _looks_like_reward(obj):
        return obj  # duck-typed reward objects are accepted as they are
    if callable(obj):
        return FunctionReward(obj)
    raise RewardFunctionError(
        f"Expected a reward function (a RewardFunction or a callable), got {type(obj).__name__}: {show(obj)}"
    )


def _looks_like_reward(obj: Any) -> bool:
    return (
        isinstance(getattr(obj, "name", None), str)
        and callable(getattr(obj, "score", None))
        and hasattr(obj, "value_range")
    )


def validate_reward_object(obj: Any, *, plugin: str | None = None) -> RewardFunction:
    """Check the static parts of the contract (name, description, range, score)."""
    where = f" (registered by plugin {show(plugin)})" if plugin else ""
    try:
        fn = as_reward_function(obj)
    except RewardFunctionError as exc:
        raise RewardFunctionError(f"{exc}{where}") from None
    if not isinstance(fn.name, str) or not fn.name.strip():
        raise RewardFunctionError(f"Reward function {show(obj)}{where} has an empty name")
    if not isinstance(getattr(fn, "description", None), str):
        raise RewardFunctionError(
            f"Reward function {show(fn.name)}{where} must have a string description, "
            f"got {getattr(fn, 'description', None)!r}"
        )
    vr = getattr(fn, "value_range", None)
    if (
        not isinstance(vr, (tuple, list))
        or len(vr) != 2
        or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in vr)
        or vr[0] >= vr[1]
    ):
        raise RewardFunctionError(
            f"Reward function {show(fn.name)}{where} has value_range {show(vr)}; "
            "expected a (low, high) pair of finite numbers with low < high"
        )
    return fn


def check_texts(
    texts: Any,
    *,
    prompts: Any = None,
    references: Any = None,
    what: str = "texts",
) -> tuple[list[str], list[str] | None, list[str] | None]:
    """Validate a batch of texts and optional aligned prompts/references."""
    if isinstance(texts, str):
        raise DataError(
            f"{what} must be a list of strings, got a single string {texts[:40]!r}; wrap it in a list"
        )
    if texts is None or not isinstance(texts, Sequence):
        raise DataError(f"{what} must be a list of strings, got {type(texts).__name__}")
    if len(texts) == 0:
        raise DataError(f"{what} is empty; pass at least one text to score")
    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise DataError(
                f"{what}[{i}] must be a string, got {type(t).__name__}: {show(t)}; "
                "convert or drop non-string entries"
            )
    checked = [
        aligned(values, len(texts), label, label=label, error=DataError)
        for label, values in (("prompts", prompts), ("references", references))
    ]
    return texts, checked[0], checked[1]


def score_checked(
    fn: RewardFunction,
    texts: Sequence[str],
    *,
    prompts: Sequence[str] | None = None,
    references: Sequence[str] | None = None,
    plugin: str | None = None,
) -> list[float]:
    """Call ``fn.score`` on its own copy of the inputs and validate what comes back.

    The function gets fresh lists, so one that edits what it is given (``texts.pop()``,
    ``texts.reverse()``) cannot change the caller's texts or what the next function sees.
    The call runs under the limits of :mod:`aligntune.rewards.limits` (a stall report,
    and the ``ALIGNTUNE_REWARD_TIMEOUT`` limit when set).

    Raises :class:`RewardFunctionError` naming the function (and its plugin) if it
    raises (``SystemExit`` and its own ``BaseException`` subclasses included), takes too long, returns the wrong number of
    scores, a non-number, a number too large for a float, NaN, infinity, or a score
    outside its ``value_range``.
    """
    who = f"Reward function {show(fn.name)}" + (f" from plugin {show(plugin)}" if plugin else "")
    own = list(texts), _copy(prompts), _copy(references)
    try:
        scores = run_limited(lambda: fn.score(own[0], prompts=own[1], references=own[2]),
                             who=who, n_texts=len(texts))
    except RewardFunctionError:
        raise
    except BaseException as exc:
        if is_stop(exc):  # Ctrl-C and aligntune's own stops pass through
            raise
        raise RewardFunctionError(
            f"{who} raised {type(exc).__name__}: {exc} while scoring a batch of {len(texts)} texts"
        ) from exc
    try:
        scores = list(scores)
    except TypeError:
        raise RewardFunctionError(f"{who} must return a list of floats, got {type(scores).__name__}") from None
    if len(scores) != len(texts):
        raise RewardFunctionError(
            f"{who} returned {len(scores)} scores for {len(texts)} texts; it must return exactly one score per text"
        )
    out = check_finite([_as_score(s, i, who, fn.value_range) for i, s in enumerate(scores)], who=who, texts=texts)
    return _check_range(out, fn.value_range, who=who, texts=texts)


def _copy(values: Sequence[str] | None) -> list[str] | None:
    return None if values is None else list(values)


def _as_score(value: Any, i: int, who: str, value_range: tuple[float, float]) -> float:
    if isinstance(value, (bool, str, bytes)):
        raise RewardFunctionError(f"{who} returned {type(value).__name__} {show(value)} for text {i}; scores must be floats")
    try:
        return float(value)
    except OverflowError:
        raise RewardFunctionError(
            f"{who} returned {show(value)} for text {i}, a number too large for a float; scores must be floats "
            f"inside its value_range {_span(value_range)}"
        ) from None
    except (TypeError, ValueError):
        raise RewardFunctionError(
            f"{who} returned {type(value).__name__} {show(value)} for text {i}; scores must be floats"
        ) from None


def _span(value_range: tuple[float, float]) -> str:
    return f"[{value_range[0]:g}, {value_range[1]:g}]"


def _check_range(scores: list[float], value_range: tuple[float, float], *, who: str,
                 texts: Sequence[str]) -> list[float]:
    """``scores`` unchanged, or an error naming the first one outside ``value_range`` (float rounding allowed)."""
    low, high = value_range
    slack = 1e-9 * max(1.0, high - low)
    for i, value in enumerate(scores):
        if not low - slack <= value <= high + slack:
            raise RewardFunctionError(
                f"{who} returned {value!r} for text {i} ({texts[i][:60]!r}), outside its value_range "
                f"{_span(value_range)}; fix the function, or declare the range its scores fall in "
                "(value_range=(low, high))"
            )
    return scores


def check_finite(
    scores: list[float],
    *,
    who: str,
    verb: str = "returned",
    texts: Sequence[str] | None = None,
    unit: str = "text",
    hint: str = "",
) -> list[float]:
    """``scores`` unchanged, or a :class:`RewardFunctionError` naming the first NaN or infinite one.

    The one finite-score guard: reward functions, reward models and the RL reward bridge
    all refuse NaN and infinity here, so a bad score never reaches training.
    ``who`` and ``verb`` open the message (``"The reward model produced"``); ``texts``
    adds an excerpt of the text at fault; ``hint`` ends it with what to check.
    """
    for i, value in enumerate(scores):
        if not math.isfinite(value):
            excerpt = f" ({texts[i][:60]!r})" if texts is not None else ""
            raise RewardFunctionError(
                f"{who} {verb} {value} for {unit} {i}{excerpt}; NaN and infinite rewards are never passed on{hint}"
            )
    return scores
