"""``coherence``: does the response read as prose, not loops or word salad?"""

from __future__ import annotations

import re

from aligntune_rewards_basic._base import BasicReward, check_number
from aligntune_rewards_basic._text import ARTICLES, FUNCTION_WORDS, NOT_AFTER_ARTICLE, ramp, sentences, words

#: Prepositions that are rarely particles (so "came in from" or "with at least" stay legal).
_PREPOSITIONS = frozenset("of to for from with into onto at by".split())
_SUBJECTS = frozenset("i he she we they".split())
#: Word pairs that English grammar (almost) never produces: "the of", "to with", "they the".
_BAD_NEXT: dict[str, frozenset[str]] = {
    **{a: NOT_AFTER_ARTICLE for a in ARTICLES},
    **{p: frozenset("of from with into onto".split()) for p in _PREPOSITIONS},
    **{s: frozenset("a an the of from with at by into onto".split()) for s in _SUBJECTS},
}
_ARTICLE_AT_END = re.compile(r"\b(?:a|an|the)\s*(?:[.!?]|$)")
_VOWEL = re.compile(r"[aeiouy]")
_LIST_MARKS = re.compile(r"[,\n;:]|(?:^|\n)\s*(?:[-*\u2022]|\d+[.)])")
_SENTENCE_PUNCT = re.compile(r"[.!?;:]")


class CoherenceReward(BasicReward):
    """Scores whether a response reads as ordinary, non-repetitive prose.

    Measures, on lower-cased word tokens, and multiplies the factors:

    * **Repetition** - adjacent repeated words ("very very very"), the share of
      repeated word trigrams, and repeated sentences. Loops score near 0.
    * **Word salad** - the share of grammatical "glue" (closed-class function words:
      articles, pronouns, prepositions, auxiliaries, conjunctions), which is roughly
      35-55% in English prose and near 0 in a heap of content words; word pairs that
      grammar almost never produces ("the of", "to with", "they the"), and an article
      right before a full stop. Lists (commas, bullets, line breaks) need less glue.
    * **Gibberish** - tokens of four or more letters with no vowel ("xkcdq").
    * **Structure** - long texts with no sentence punctuation at all, or with very
      long average sentences, lose a little.

    Does NOT measure: whether statements are true, relevant to the prompt, or follow
    logically from one another; semantic nonsense in grammatical sentences ("colorless
    green ideas sleep furiously") passes. Texts under five words are judged only on
    repetition and gibberish. English only: other languages' function words are not
    recognised, so their prose reads as word salad. Prompts and references are ignored. Build one with
    :func:`coherence_reward`.
    """

    name = "coherence"
    description = "Prose quality in [0, 1]: low for repetition loops, word salad and gibberish"

    def __init__(self, min_glue: float, target_glue: float, repetition_tolerance: float) -> None:
        super().__init__(min_glue=min_glue, target_glue=target_glue, repetition_tolerance=repetition_tolerance)
        self.min_glue = min_glue
        self.target_glue = target_glue
        self.repetition_tolerance = repetition_tolerance

    def _score_batch(self, texts, prompts, references):  # type: ignore[no-untyped-def]
        return [self.score_text(t) for t in texts]

    def score_text(self, text: str) -> float:
        """The coherence of one text."""
        low = text.lower()
        tokens = words(low)
        n = len(tokens)
        if n == 0:
            return 0.0
        tol = self.repetition_tolerance

        # repetition
        repeats = sum(1 for a, b in zip(tokens, tokens[1:]) if a == b)
        rep = ramp(repeats / max(1, n - 1), 0.05 + tol, 0.3 + tol) if n > 2 else 0.0
        if n >= 8:
            grams = list(zip(tokens, tokens[1:], tokens[2:]))
            rep = max(rep, ramp(1.0 - len(set(grams)) / len(grams), 0.1 + tol, 0.5 + tol))
        sents = sentences(low) if n >= 6 else []
        if len(sents) >= 2:
            rep = max(rep, ramp(1.0 - len(set(sents)) / len(sents), 0.05 + tol, 0.5 + tol))
        score = 1.0 - rep

        # gibberish
        long_tokens = [t for t in tokens if len(t) >= 4 and t.isalpha()]
        if long_tokens:
            gib = sum(1 for t in long_tokens if not _VOWEL.search(t)) / len(long_tokens)
            score *= 1.0 - ramp(gib, 0.05, 0.3)
        if n < 5:
            return score

        # word salad
        glue = sum(1 for t in tokens if t in FUNCTION_WORDS) / n
        glue_factor = 0.1 + 0.9 * ramp(glue, self.min_glue, self.target_glue)
        if len(_LIST_MARKS.findall(text)) / n >= 0.15:
            glue_factor = max(glue_factor, 0.8)
        bad_next = _BAD_NEXT
        bad = sum(1 for a, b in zip(tokens, tokens[1:]) if b in bad_next.get(a, ()))
        bad += len(_ARTICLE_AT_END.findall(low))
        score *= glue_factor * (1.0 - 0.85 * ramp(bad / n, 0.015, 0.1))

        # structure
        if n >= 25:
            marks = len(_SENTENCE_PUNCT.findall(text))
            if marks == 0 or n / max(1, marks) > 45:
                score *= 0.85
        return max(0.0, min(1.0, score))


def coherence_reward(
    *,
    min_glue: float = 0.0,
    target_glue: float = 0.25,
    repetition_tolerance: float = 0.0,
) -> CoherenceReward:
    """Build a ``coherence`` reward.

    Args:
        min_glue: Function-word share at or below which a (non-list) text counts as
            word salad (default 0.0).
        target_glue: Share at or above which the glue factor is 1.0 (default 0.25;
            English prose is usually 0.35-0.55).
        repetition_tolerance: Added to every repetition threshold; raise it (up to 0.4)
            for genres that repeat on purpose, such as lyrics or chants (default 0).

    Measures form only: a fluent falsehood is coherent.

    Raises:
        ConfigurationError: a value is out of range or ``min_glue >= target_glue``.
    """
    owner = "coherence_reward"
    lo = check_number(owner, "min_glue", min_glue, low=0, high=1)
    hi = check_number(owner, "target_glue", target_glue, low=0, high=1)
    if lo >= hi:
        from aligntune.errors import ConfigurationError

        raise ConfigurationError(f"{owner}: min_glue must be < target_glue, got {lo} >= {hi}")
    tol = check_number(owner, "repetition_tolerance", repetition_tolerance, low=0, high=0.4)
    return CoherenceReward(lo, hi, tol)
