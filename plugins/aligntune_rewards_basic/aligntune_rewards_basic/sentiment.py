"""``sentiment``: how positive is the tone of the response (VADER)?"""

from __future__ import annotations

import functools
from typing import Any

from aligntune_rewards_basic._base import BasicReward, check_choice
from aligntune_rewards_basic._vader import build_analyzer

PREFERENCES = ("positive", "non_negative", "neutral")


@functools.lru_cache(maxsize=1)
def _analyzer() -> Any:
    """The VADER analyzer, built once (reads its lexicon) on first use.

    A subclass of the stock analyzer (:mod:`._vader`) whose ``polarity_scores`` and
    ``compound`` give the stock numbers with less work (tests compare them).
    """
    return build_analyzer()


class SentimentReward(BasicReward):
    """Scores the emotional tone of a response with VADER's compound score.

    Measures: polarity of the wording, from VADER (a lexicon- and rule-based
    sentiment model tuned for short, informal English: it handles negation,
    intensifiers, "but" clauses, capitals, punctuation emphasis and emoticons).
    The compound score ``c`` in ``[-1, 1]`` is mapped to ``[0, 1]`` according to
    ``prefer``:

    * ``"positive"`` (default): ``(c + 1) / 2`` - warmer is better, neutral is 0.5;
    * ``"non_negative"``: 1.0 for ``c >= 0``, ``1 + c`` below - only negativity costs;
    * ``"neutral"``: ``1 - |c|`` - a calm, even tone is best.

    Does NOT measure: truthfulness, helpfulness, safety or relevance; sarcasm and
    domain-specific sentiment are often misread; long texts saturate toward the
    extremes. Prompts and references are ignored. Build one with
    :func:`sentiment_reward`.
    """

    name = "sentiment"
    description = "Tone of the response from VADER's compound score mapped to [0, 1] (1 = most positive)"

    def __init__(self, prefer: str) -> None:
        super().__init__(prefer=prefer)
        self.prefer = prefer

    def map_compound(self, c: float) -> float:
        """Map a VADER compound score to this reward's ``[0, 1]`` scale."""
        if self.prefer == "positive":
            value = (c + 1.0) * 0.5
        elif self.prefer == "non_negative":
            value = 1.0 if c >= 0 else 1.0 + c
        else:
            value = 1.0 - abs(c)
        return min(1.0, max(0.0, value))

    def _score_batch(self, texts, prompts, references):  # type: ignore[no-untyped-def]
        compound = _analyzer().compound
        mapper = self.map_compound
        # VADER has no batch API: it is pure Python per text.
        return [mapper(compound(t)) if t.strip() else mapper(0.0) for t in texts]


def sentiment_reward(prefer: str = "positive") -> SentimentReward:
    """Build a ``sentiment`` reward.

    Args:
        prefer: ``"positive"`` (default: ``(compound + 1) / 2``), ``"non_negative"``
            (only negative tone lowers the score) or ``"neutral"`` (``1 - |compound|``).

    The score measures tone only, never whether the response is right or useful.

    Raises:
        ConfigurationError: ``prefer`` is not one of the three choices.
    """
    return SentimentReward(check_choice("sentiment_reward", "prefer", prefer, PREFERENCES))
