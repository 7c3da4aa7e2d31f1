"""``coherence``: does the response read as prose, not loops or word salad?"""

from __future__ import annotations

import operator
import re

from aligntune_rewards_basic import _english as english
from aligntune_rewards_basic import _grammar as grammar
from aligntune_rewards_basic import _prose as prose
from aligntune_rewards_basic import _topic as topic
from aligntune_rewards_basic._base import BasicReward, check_number
from aligntune_rewards_basic._order import word_order_violations
from aligntune_rewards_basic._text import ARTICLES, FUNCTION_WORDS, NOT_AFTER_ARTICLE, ramp, sentences
from aligntune_rewards_basic._text import tokens as tokens_of

#: Prepositions that are rarely particles (so "came in from" or "with at least" stay legal).
_PREPOSITIONS = frozenset("of to for from with into onto at by".split())
_SUBJECTS = frozenset("i he she we they".split())
#: Possessive determiners ("his", "her", "its" double as pronouns or typos for "it's").
_POSSESSIVES = frozenset("my your our their".split())
#: After a possessive, the article list minus coordination ("my and your") and the
#: modals that are also nouns ("my will", "your might").
_NOT_AFTER_POSSESSIVE = NOT_AFTER_ARTICLE - frozenset("and or nor but so will might can must may do".split())
#: Word pairs that English grammar (almost) never produces: "the of", "to with", "they the",
#: "your a".
_BAD_NEXT: dict[str, frozenset[str]] = {
    **{a: NOT_AFTER_ARTICLE for a in ARTICLES},
    **{p: _NOT_AFTER_POSSESSIVE for p in _POSSESSIVES},
    **{p: frozenset("of from with into onto".split()) for p in _PREPOSITIONS},
    **{s: frozenset("a an the of from with at by into onto".split()) for s in _SUBJECTS},
}
_BAD_PAIRS = frozenset((a, b) for a, nexts in _BAD_NEXT.items() for b in nexts)
#: An article right before a sentence stop or the end (not "a.m."): ``\b(?:a|an|the)\s*(?:[.!?](?![a-z])|$)``,
#: written to open with a character class so that ``re`` skips ahead (a test compares the two).
_ARTICLE_AT_END = re.compile(r"[at](?<!\w[at])(?:(?<=a)n?|(?<=t)he)\s*(?:[.!?](?![a-z])|$)")

_NO_VOWEL_RUN = re.compile(r"\b[b-df-hj-np-tv-xz]{4,}\b")
_LIST_MARKS = re.compile(r"[,\n;:]|(?:^|\n)\s*(?:[-*\u2022]|\d+[.)])")
_LIST_START = re.compile(r"\s*(?:[-*\u2022]|\d+[.)])")


def list_marks(text: str) -> int:
    """``len(_LIST_MARKS.findall(text))``, counted with ``str.count``.

    The first branch takes every ",", newline, ";" and ":", so the second can only match at
    the start of the text (``^``), where it may swallow some of them ("\\n- item").
    """
    rest, found = text, 0
    if text[:1] not in (",", "\n", ";", ":"):
        m = _LIST_START.match(text)
        if m is not None:
            rest, found = text[m.end():], 1
    return found + rest.count(",") + rest.count("\n") + rest.count(";") + rest.count(":")
#: An unrelated tail after a visible restart or closing (``_topic.topic_reading``'s restart
#: drift) costs up to RESTART_COST of the score, linearly from RESTART_FROM to RESTART_TO.
RESTART_COST = 0.8
RESTART_FROM = 0.7
RESTART_TO = 0.85


class CoherenceReward(BasicReward):
    """Scores whether a response reads as ordinary, non-repetitive prose.

    Measures, on lower-cased word tokens and on the raw text, and multiplies the factors:

    * **Repetition** - adjacent repeated words ("very very very"), a sentence said
      again right after itself (the loop an LM falls into: about 0.2 for two repeats),
      and, capped at 70% of the score, the share of repeated word trigrams and of
      repeated sentences (templates and refrains repeat on purpose).
    * **Word salad** - the share of grammatical "glue" (closed-class function words),
      roughly 35-55% in English prose and near 0 in a heap of content words; word pairs
      that grammar almost never produces ("the of", "to with", "they the"), an article
      right before a full stop; agreement and auxiliary slips ("he go", "they gets",
      "can will", "do you can", "a kilometers away", from word forms in symspellpy's
      English dictionary). Lists (commas, bullets, line breaks) need less glue.
    * **Topic** (only with a prompt) - cohesion: the share of content words that recur
      in the text or come from the prompt, against a threshold that grows with length
      (2-12% at 20-50 content words, 15-30% from 120 on); word salad chained from other
      texts changes subject every few words and repeats almost nothing. And an
      unrelated tail: a late part of the text (a quarter or more) whose content words
      appear neither earlier nor in the prompt costs up to 40%; where a new answer
      visibly starts ("Sure!", "As an AI", thanks for the question, an apology) or
      after a closing formula ("hope this helps", "let me know if"), a later part whose
      content words are mostly new costs up to 80% (:func:`._topic.topic_reading`).
    * **Non-words and gibberish** - plain lower-case words missing from symspellpy's
      82,765-word English dictionary (distinct words; code, identifiers, URLs and
      capitalised names skipped), and tokens of four or more letters with no vowel.
    * **Word order** - on the raw text (see :func:`word_order_violations`): capitalised
      function words or sentence openers mid-sentence ("...you That the...", "...the
      Also, cat"), a sentence stop or comma after an article or possessive ("the.",
      "your,"), "and."/"or.", and lower-case words after sentence stops in a text that
      otherwise capitalises its sentences; plus ungrammatical pairs after possessives
      ("your the"). Line breaks, tabs and aligned columns reset the check, so lists,
      code and headings pass; names and acronyms are never counted, abbreviations are
      not stops, and one lower-case slip is forgiven.
    * **Form** - shouting (function words in capitals), emoji and "!!!"/"?!?" runs,
      bare comma lists of single words with no sentences, a text cut off
      mid-sentence (ending on a bare word with no closing punctuation: 0 on a glue
      word, 0.05 on a content word; list items, headings, verse, titles, chat and
      code pass), unbalanced brackets, quotes and bold marks.
    * **Structure** - long texts with no sentence punctuation at all, or with very
      long average sentences, lose a little.

    Does NOT measure: whether statements are true, relevant to the prompt's question,
    or follow logically from one another; semantic nonsense in grammatical sentences
    ("colorless green ideas sleep furiously") passes, and so does a short salad of
    real word pairs (under about 20 content words the topic signals stay silent, so a
    short on-topic paraphrase is not punished). Texts under five words are judged only
    on repetition, gibberish, word order and form. Word order is read from punctuation
    and capitals, so a shuffle of all-lower-case or unpunctuated text often goes
    unnoticed. A real answer that moves to a new subject for its last quarter or after
    "I hope this helps!", or a requested bare list of words, loses score; one that stops without a full stop
    after a long last sentence is read as cut off. English only: other languages'
    function words and words are not recognised, so their prose reads as word salad.
    Without a prompt the topic signals are skipped; references are ignored. Build one
    with :func:`coherence_reward`.
    """

    name = "coherence"
    description = (
        "Prose quality in [0, 1]: low for loops, word salad, shuffled words, non-words, agreement slips, "
        "shouting, spam, keyword lists, cut-off endings and (with a prompt) text off the subject"
    )

    def __init__(self, min_glue: float, target_glue: float, repetition_tolerance: float) -> None:
        super().__init__(min_glue=min_glue, target_glue=target_glue, repetition_tolerance=repetition_tolerance)
        self.min_glue = min_glue
        self.target_glue = target_glue
        self.repetition_tolerance = repetition_tolerance

    def _score_batch(self, texts, prompts, references):  # type: ignore[no-untyped-def]
        if prompts is None:
            return [self.score_text(t) for t in texts]
        cache: dict[str, set[str]] = {}
        out = []
        for text, prompt in zip(texts, prompts):
            keys = cache.get(prompt or "")
            if keys is None:
                keys = cache[prompt or ""] = topic.prompt_keys(prompt)
            out.append(self.score_text(text, keys))
        return out

    def score_text(self, text: str, prompt_keys: set[str] | frozenset[str] = frozenset()) -> float:
        """The coherence of one text; ``prompt_keys`` (from the prompt) count as its topic."""
        low = text.lower()
        tokens = tokens_of(low)
        n = len(tokens)
        if n == 0:
            return 0.0
        tol = self.repetition_tolerance

        # repetition
        repeats = sum(map(operator.eq, tokens, tokens[1:]))
        rep = ramp(repeats / max(1, n - 1), 0.05 + tol, 0.3 + tol) if n > 2 else 0.0
        if n >= 8:
            distinct_grams = len(set(zip(tokens, tokens[1:], tokens[2:])))  # of n - 2 word trigrams
            # capped: templates and refrains repeat phrases on purpose; loops are caught below
            rep = max(rep, 0.7 * ramp(1.0 - distinct_grams / (n - 2), 0.2 + tol, 0.6 + tol))
        sents = sentences(low) if n >= 6 else []
        if len(sents) >= 2:
            rep = max(rep, 0.7 * ramp(1.0 - len(set(sents)) / len(sents), 0.15 + tol, 0.6 + tol))
            # a sentence said again right after itself: the loop an LM falls into
            dups = sum(1 for a, b in zip(sents, sents[1:]) if a == b and a.count(" ") >= 2)
            if dups:
                rep = max(rep, 0.8 * ramp(dups, 0, 2) * (1.0 - tol / 0.4))
        score = 1.0 - rep
        if not score:  # every factor below is finite and >= 0: nothing can lift it
            return 0.0

        # non-words: plain lower-case words missing from symspellpy's English dictionary (none where
        # every token is an English word: the factor would be 1)
        unknown = english.unknown_words(tokens)
        if english.may_hold_nonwords(unknown):
            nonword, distinct = english.nonword_share(text)
            if distinct >= 8:
                score *= 1.0 - 0.8 * ramp(nonword, 0.2, 0.5)

        # agreement and auxiliary slips: "he go", "they gets", "can will", "do you can"
        slips = grammar.agreement_slips(text)
        if slips:
            score *= 1.0 - 0.8 * ramp(slips / n, 0.0, 0.05)

        # gibberish: long tokens with no vowel (looked at only when the text holds one - a word missing from
        # the dictionary, or one of the few in it such as "tbsp" - and some run of four such letters stands alone)
        if english.may_hold_vowelless(unknown, tokens) and _NO_VOWEL_RUN.search(low):
            long_tokens = [t for t in tokens if len(t) >= 4 and t.isalpha()]
            if long_tokens:
                gib = sum(map(english.vowelless, long_tokens)) / len(long_tokens)
                score *= 1.0 - ramp(gib, 0.05, 0.3)

        # whole-text form: shouting, spam, keyword heaps, cut-off endings, unbalanced brackets
        score *= 1.0 - 0.9 * ramp(prose.shouting(text), 0.2, 0.6)
        score *= 1.0 - 0.9 * ramp(prose.spam(text, n), 0.01, 0.05)
        score *= 1.0 - ramp(prose.keyword_list_share(text, n), 0.3, 0.7)
        cut = prose.cut_off(text)
        if cut:
            score *= 0.05 if cut < 1.0 else 0.0
            if not score:
                return 0.0
        unbalanced = prose.unbalanced(text)
        if unbalanced:
            score *= 1.0 - 0.25 * min(3, unbalanced)

        # word order: punctuation and capitals that do not line up, glue in odd places
        strong, weak = word_order_violations(text)
        if strong or weak:
            score *= 1.0 - 0.9 * ramp((strong + 0.5 * weak) / n, 0.02, 0.08)
        if n < 5:
            return score

        # word salad
        glue = sum(map(FUNCTION_WORDS.__contains__, tokens)) / n
        glue_factor = 0.1 + 0.9 * ramp(glue, self.min_glue, self.target_glue)
        if list_marks(text) / n >= 0.15:
            glue_factor = max(glue_factor, 0.8)
        bad = sum(map(_BAD_PAIRS.__contains__, zip(tokens, tokens[1:])))
        bad += len(_ARTICLE_AT_END.findall(low))
        score *= glue_factor * (1.0 - 0.85 * ramp(bad / n, 0.015, 0.1))


        # topic (only with a prompt, which anchors it): content words that recur or come from
        # the prompt; an unrelated answer appended
        if prompt_keys and n >= 16:  # fewer words cannot reach 16 content words
            share, n_keys, drift, restart = topic.topic_reading_of(low, sents or sentences(low), prompt_keys)
            if n_keys >= 20:
                # longer texts repeat their subject more: 2-12% expected at 20-50 content words,
                # 15-30% from 120 on
                grow = ramp(n_keys, 50, 120)
                score *= 0.15 + 0.85 * ramp(share, 0.02 + 0.13 * grow, 0.12 + 0.18 * grow)
            if drift is not None:
                score *= 1.0 - 0.4 * ramp(drift, 0.9, 0.98)
            if restart is not None:
                score *= 1.0 - RESTART_COST * ramp(restart, RESTART_FROM, RESTART_TO)

        # structure
        if n >= 25:
            marks = text.count(".") + text.count("!") + text.count("?") + text.count(";") + text.count(":")
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
        from aligntune.plugin_api import ConfigurationError

        raise ConfigurationError(f"{owner}: min_glue must be < target_glue, got {lo} >= {hi}")
    tol = check_number(owner, "repetition_tolerance", repetition_tolerance, low=0, high=0.4)
    return CoherenceReward(lo, hi, tol)
