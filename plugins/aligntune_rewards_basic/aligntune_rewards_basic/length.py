"""``length``: is the response a sensible number of words?"""

from __future__ import annotations

import math

from aligntune.plugin_api import ConfigurationError, show
from aligntune_rewards_basic._base import BasicReward, check_number

#: Default target range, in whitespace-separated words.
DEFAULT_MIN_WORDS = 15
DEFAULT_MAX_WORDS = 120


class LengthReward(BasicReward):
    """Scores how well the word count of a response fits a target range.

    Measures: the number of whitespace-separated words. Inside
    ``[min_words, max_words]`` the score is 1.0; outside it decays smoothly (a
    half-Gaussian whose width is ``below_scale`` words under the range and
    ``above_scale`` words over it). An empty or whitespace-only text scores 0.

    Does NOT measure: whether the words are meaningful, relevant, well-formed or
    repeated (see ``coherence`` and ``helpfulness``); prompts and references are
    ignored. Build one with :func:`length_reward`.
    """

    name = "length"
    description = (
        "Word-count fit: 1.0 inside a target range (default 15-120 words), smooth decay outside, 0 when empty"
    )

    def __init__(self, min_words: int, max_words: int, below_scale: float, above_scale: float) -> None:
        super().__init__(
            min_words=min_words, max_words=max_words, below_scale=below_scale, above_scale=above_scale
        )
        self.min_words = min_words
        self.max_words = max_words
        self._below = 1.0 / (2.0 * below_scale * below_scale)
        self._above = 1.0 / (2.0 * above_scale * above_scale)

    def score_count(self, n: int) -> float:
        """The score of a text with ``n`` words."""
        if n <= 0:
            return 0.0
        if n < self.min_words:
            d = self.min_words - n
            return math.exp(-d * d * self._below)
        if n > self.max_words:
            d = n - self.max_words
            return math.exp(-d * d * self._above)
        return 1.0

    def _score_batch(self, texts, prompts, references):  # type: ignore[no-untyped-def]
        score = self.score_count
        return [score(len(t.split())) for t in texts]


def length_reward(
    min_words: int = DEFAULT_MIN_WORDS,
    max_words: int = DEFAULT_MAX_WORDS,
    *,
    below_scale: float | None = None,
    above_scale: float | None = None,
) -> LengthReward:
    """Build a ``length`` reward for a target word range.

    Args:
        min_words: Shortest word count that still scores 1.0 (default 15, >= 1).
        max_words: Longest word count that still scores 1.0 (default 120, >= min_words).
        below_scale: How many words under ``min_words`` the score falls to about 0.61
            (one standard deviation of the half-Gaussian). Default ``min_words / 2``.
        above_scale: The same over ``max_words``. Default ``max_words / 2``.

    The score measures word count only, not quality; an empty text scores 0.

    Raises:
        ConfigurationError: a bound is not a positive integer, ``max_words < min_words``,
            or a scale is not a positive number.
    """
    owner = "length_reward"
    for field, value in (("min_words", min_words), ("max_words", max_words)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigurationError(f"{owner}({field}=...) must be an integer >= 1, got {show(value)}")
    if max_words < min_words:
        raise ConfigurationError(
            f"{owner}(max_words=...) must be >= min_words ({min_words}), got {show(max_words)}"
        )
    below = check_number(
        owner, "below_scale", min_words / 2 if below_scale is None else below_scale, low=0, low_inclusive=False
    )
    above = check_number(
        owner, "above_scale", max_words / 2 if above_scale is None else above_scale, low=0, low_inclusive=False
    )
    return LengthReward(min_words, max_words, below, above)

