"""The ``readability`` reward: Flesch reading ease, mapped to [0, 1].

Flesch reading ease is ``206.835 - 1.015 * words/sentences - 84.6 * syllables/words``.
Plain prose with short sentences scores 60-100; dense academic prose scores below 30.
The reward clips it to [0, 100] and divides by 100, so higher is easier to read.

Syllables are counted with a vowel-group heuristic (English only): each run of vowels
is one syllable, a silent final "e" is dropped, and every word has at least one.
A text without any word scores 0: there is nothing to read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aligntune.rewards.base import RewardFunction

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def count_syllables(word: str) -> int:
    """Syllables in an English word (vowel groups, silent final 'e'); at least 1."""
    w = word.lower().replace("'", "")
    groups = len(_VOWEL_GROUP.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    return max(1, groups)


def flesch_reading_ease(text: str) -> float | None:
    """The Flesch reading-ease score of ``text``, or ``None`` when it has no words."""
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    syllables = sum(count_syllables(w) for w in words)
    return 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (syllables / len(words))


class ReadabilityReward(RewardFunction):
    """Flesch reading ease of each text, clipped to [0, 100] and scaled to [0, 1]."""

    name = "readability"
    description = "Flesch reading ease mapped to [0, 1]: short sentences and short words score high"
    value_range = (0.0, 1.0)

    def score(
        self,
        texts: Sequence[str],
        *,
        prompts: Sequence[str] | None = None,
        references: Sequence[str] | None = None,
    ) -> list[float]:
        out = []
        for text in texts:
            ease = flesch_reading_ease(text)
            out.append(0.0 if ease is None else min(100.0, max(0.0, ease)) / 100.0)
        return out
