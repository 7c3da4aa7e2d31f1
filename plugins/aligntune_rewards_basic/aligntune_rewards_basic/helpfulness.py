"""``helpfulness``: is the response a substantive, specific, on-topic answer?"""

from __future__ import annotations

import math
import re

from aligntune_rewards_basic import _prose as prose
from aligntune_rewards_basic import _topic as topic
from aligntune_rewards_basic._base import BasicReward, check_number
from aligntune_rewards_basic._markers import (
    CONNECTIVE_WORDS,
    MARKER_KEYS,
    SEQUENCE_WORDS,
    MarkerReading,
    read_markers,
)
from aligntune_rewards_basic._text import FUNCTION_WORDS, content_keys, normalise, ramp, words

#: Refusals and strong hedges: the response declines or admits it has no answer.
NON_ANSWER = re.compile(
    r"\bi (?:really |honestly |just )?(?:don't|do not|dont) know\b"
    r"|\bi(?:'m| am|m) not (?:entirely |really |quite |totally |100% |completely )?(?:sure|certain)\b"
    r"|\bnot (?:really )?sure\b|\b(?:i have )?no (?:idea|clue)\b|\bno clue\b"
    r"|\bi (?:can't|cannot|can not|won't|will not|am unable to|'m unable to|am not able to|'m not able to)"
    r" (?:really )?(?:help|assist|answer|say|tell|provide|give|share|comply|do that|explain|be of help)"
    r"|\bi(?:'m| am) (?:unable|not able) to\b|\bunable to (?:help|assist|answer|provide)\b"
    r"|\bi (?:don't|do not) have (?:enough |any |the )?(?:information|info|access|ability|an answer|details|"
    r"knowledge|data)\b"
    r"|\b(?:i'm|i am) sorry,? but\b|\bas an ai\b|\bi (?:must|have to) (?:decline|refuse)\b"
    r"|\b(?:hard|difficult|impossible) (?:for me )?to (?:say|tell|know)\b|\bcan't (?:really )?say\b"
    r"|\bwho knows\b|\bask (?:someone|somebody) else\b|\b(?:look it up|google it)\b"
    r"|\bfigure it out (?:yourself|on your own)\b|\bno comment\b|\bbeyond my (?:knowledge|abilities)\b",
)

#: Softer hedges: fine in moderation, costly when they pile up.
HEDGE = re.compile(
    r"\b(?:maybe|perhaps|probably|possibly|i think|i guess|i suppose|i believe|sort of|kind of|"
    r"it depends|not certain|might be|could be|or something)\b"
)

#: Filler that sounds like an answer but says nothing specific.
FILLER = re.compile(
    r"\b(?:(?:great|good|interesting|excellent) question|many people (?:wonder|ask)|"
    r"there are (?:many|lots of|a lot of|several|various) (?:options|factors|ways|possibilities|things|opinions)|"
    r"it(?:'s| is) (?:complicated|complex|a tricky one)|everyone is different|"
    r"depends on (?:what you|your (?:needs|situation|preferences)|many factors|the situation|a lot of things))\b"
)

#: Every match of NON_ANSWER, HEDGE and FILLER contains one of these strings, so a text with
#: none of them needs no regular-expression scan (substring tests are much cheaper). Each is a piece
#: that a match of one alternative must hold whole ("don't know", not "know"), so that ordinary text
#: ("make sure", "a question") rarely needs the scan.
_NON_ANSWER_WORDS = (
    "don't know", "do not know", "dont know", "to know", "who knows", "not sure", "not really sure", "i'm not ",
    "i am not ", "im not ", "no idea", "no clue", "i can't", "i cannot", "i can not", "i won't", "i will not",
    "unable to", "not able to", "i don't have", "i do not have", "sorry but", "sorry, but", "as an ai", "decline",
    "refuse", "to say", "to tell", "can't say", "can't really say", "someone else", "somebody else", "look it up",
    "google it", "figure it out", "no comment", "beyond my",
)
_HEDGE_WORDS = (
    "maybe", "perhaps", "probably", "possibly", "i think", "i guess", "i suppose", "i believe", "sort of",
    "kind of", "it depends", "not certain", "might be", "could be", "or something",
)
_FILLER_WORDS = (
    "great question", "good question", "interesting question", "excellent question", "many people wonder",
    "many people ask", "there are many ", "there are lots of ", "there are a lot of ", "there are several ",
    "there are various ", "it's compl", "it is compl", "tricky", "everyone is different", "depends on",
)


#: Before those scans, words of which every match of one alternative of NON_ANSWER, HEDGE and FILLER holds one
#: whole, between non-word characters ("know" in "i don't know", "ways" in "there are many ways"), so that it is
#: one of the text's :func:`_word_parts`: a set lookup, where the substring gates scan the text once per phrase.
#: NON_ANSWER's "i can't / won't / am unable to ... help" holds "i" and one of _REFUSAL_AUXILIARIES.
_NON_ANSWER_ANCHORS = frozenset(
    """know sure certain idea clue unable able information info access ability answer details knowledge data sorry
    ai decline refuse hard difficult impossible say knows else look google figure comment beyond""".split()
)
_REFUSAL_AUXILIARIES = frozenset("can cannot won will".split())  # "unable", "able": anchors themselves
_HEDGE_ANCHORS = frozenset(
    "maybe perhaps probably possibly think guess suppose believe sort kind depends certain might could something".split()
)
_FILLER_ANCHORS = frozenset(
    "question people options factors ways possibilities things opinions complicated complex tricky everyone depends".split()
)


def _word_parts(token_set: set[str]) -> set[str]:
    """The runs of letters and digits of a text, from its word tokens (``WORD_RE`` joins runs with "-" and "'"):
    a word that stands between non-word characters is one of them."""
    joined = " ".join(token_set)
    if "-" not in joined and "'" not in joined:
        return token_set
    return set(joined.replace("-", " ").replace("'", " ").split())


def may_refuse(parts: set[str]) -> bool:
    """Whether a text whose :func:`_word_parts` are ``parts`` can match NON_ANSWER (a gate: False rules it out)."""
    return not parts.isdisjoint(_NON_ANSWER_ANCHORS) or ("i" in parts and not parts.isdisjoint(_REFUSAL_AUXILIARIES))


def may_hedge(parts: set[str]) -> bool:
    """Whether such a text can match HEDGE (a gate, as :func:`may_refuse`)."""
    return not parts.isdisjoint(_HEDGE_ANCHORS)


def may_fill(parts: set[str]) -> bool:
    """Whether such a text can match FILLER (a gate, as :func:`may_refuse`)."""
    return not parts.isdisjoint(_FILLER_ANCHORS)


def _has_any(low: str, needles: tuple[str, ...]) -> bool:
    for needle in needles:
        if needle in low:
            return True
    return False


#: Signs of a specific answer (each kind counts once): quantities, examples,
#: explanations or contrasts, steps or lists, code, names. Quantities, examples and
#: steps count only where their markers do their job (:mod:`._markers`); the other
#: word-level signs are looked up in the token set.
_EXAMPLE_PHRASES = ("including", "like this")
_EXPLAIN_WORDS = frozenset(
    "because since therefore otherwise unless whereas unlike instead while means".split()
)
_EXPLAIN_PHRASES = ("so that", "so the ", "so you", "that's why", "as a result", "in order to", "rather than")
_LIST_LINE = re.compile(r"(?:^|\n)\s*(?:\d+[.)]|[-*\u2022])\s")
#: :data:`_LIST_LINE` at the start of the text, and after a line break: the second opens with a literal
#: "\n", so ``re`` skips ahead to the line breaks (a test compares the two forms).
_LIST_AT_START = re.compile(r"\s*(?:\d+[.)]|[-*\u2022])\s")
_LIST_AFTER_BREAK = re.compile(r"\n\s*(?:\d+[.)]|[-*\u2022])\s")


def has_list_line(text: str) -> bool:
    """Whether a line of ``text`` opens as a list item (``_LIST_LINE.search(text)``)."""
    return _LIST_AT_START.match(text) is not None or ("\n" in text and _LIST_AFTER_BREAK.search(text) is not None)


_CODE = re.compile(r"`|\w\(|\w\.\w+\(|\s=\s|::|\w_\w|--\w|[{}]|;\s*$|</?\w+>")
#: The alternatives of :data:`_CODE` that need a look, each opening with its own literal character so
#: that ``re`` skips ahead to it (``\w\.\w+\(`` needs no pattern: any match of it holds one of ``\w\(``).
_CODE_PARTS = (
    ("(", re.compile(r"\((?<=\w\()")),
    ("=", re.compile(r"=(?<=\s=)\s")),
    ("_", re.compile(r"_(?<=\w_)\w")),
    ("--", re.compile(r"--\w")),
    (";", re.compile(r";\s*$")),
    ("<", re.compile(r"</?\w+>")),
)


def looks_like_code(text: str) -> bool:
    """Whether :data:`_CODE` matches somewhere in ``text`` (one alternative at a time, each only when
    its character occurs; a test compares the two)."""
    if "`" in text or "::" in text or "{" in text or "}" in text:
        return True
    return any(needle in text and rx.search(text) is not None for needle, rx in _CODE_PARTS)


#: A capitalised word after a lower-case word, comma or semicolon and a space: ``(?<=[a-z,;] )([A-Z][a-z]+)``,
#: written to open with its character class so that ``re`` skips ahead (a test compares the two).
_PROPER_NOUN = re.compile(r"([A-Z](?<=[a-z,;] [A-Z])[a-z]+)")
#: Capitalised words that are markers, not names, when they appear mid-sentence.
_NOT_NAMES = frozenset(w.capitalize() for w in SEQUENCE_WORDS | CONNECTIVE_WORDS | {"in", "for", "step", "such"})
#: Marker density real answers stay under: at the 99th percentile of 7,560 answers by 15
#: LLMs (``../shared/data/real_responses.jsonl``) there are about 0.05 markers per word.
#: A text may hold one marker plus MARKER_DENSITY_TYPICAL per word; each marker beyond
#: that costs MARKER_EXCESS_COST of the score, up to MARKER_EXCESS_MAX.
MARKER_DENSITY_TYPICAL = 0.05
MARKER_EXCESS_COST = 0.1
MARKER_EXCESS_MAX = 0.4
#: Score share lost per misplaced marker (the product is floored at half the score).
MISPLACED_COST = 0.25
#: Share lost by an answer that stops mid-sentence (``_prose.cut_off`` sure / likely):
#: the rest of the answer, and often its point, is missing.
CUT_OFF_COST = 0.3
#: Share lost when the whole text is a bare comma list of single words (``_prose.keyword_list_share``
#: at 0.7 or more; linear from 0.3): words without sentences say nothing about them.
KEYWORD_LIST_COST = 0.6
#: With a prompt: where a later part of the answer relates neither to the prompt nor to what came
#: before (:func:`._topic.unrelated_tail`, an answer to another question appended), the answer is
#: scored as if it stopped there and loses UNRELATED_TAIL_COST of that (scaled by the reading's strength).
UNRELATED_TAIL_COST = 0.6


def specificity(text: str, low: str, token_set: frozenset[str] | set[str], reading: MarkerReading) -> int:
    """How many kinds of specific detail ``text`` shows (0-6)."""
    kinds = int(reading.quantity)
    if reading.example or _has_any(low, _EXAMPLE_PHRASES):
        kinds += 1
    if not token_set.isdisjoint(_EXPLAIN_WORDS) or _has_any(low, _EXPLAIN_PHRASES):
        kinds += 1
    if reading.steps or has_list_line(text):
        kinds += 1
    if looks_like_code(text):
        kinds += 1
    if any(m.group(1) not in _NOT_NAMES and m.group(1).lower() not in FUNCTION_WORDS
           for m in _PROPER_NOUN.finditer(text)):
        kinds += 1
    return kinds


#: Request words that say what kind of answer is wanted, not what it is about.
GENERIC_REQUEST_WORDS = frozenset(
    normalise(w)
    for w in """
    explain tell describe please help know want need give way ways good best thing things something anything
    idea question answer think like get use using does work mean means simple simply brief briefly quick
    quickly short detail details detailed example examples write list show find should could would tips
    advice suggest suggestion recommend recommendation better easy easiest step steps
    """.split()
)


class HelpfulnessReward(BasicReward):
    """Scores whether a response actually answers, with substance and on topic.

    Measures, multiplied together:

    * **Answering at all** - refusals and strong hedges ("I don't know", "I can't
      help with that", "I'm not sure", "as an AI") cut the score to at most
      ``non_answer_cap`` (a little more when substantial content follows); softer
      hedges ("maybe", "I think") cost a few percent each.
    * **Substance** - how many distinct content words the response adds beyond the
      prompt (saturating: 5 words give about 60% of the credit, 15 about 95%; marker
      words such as "additionally", "example", "three" are not content), plus
      specificity: quantities, examples, explanations or contrasts ("because",
      "whereas"), steps or lists, code, names. Empty filler ("great question", "there
      are many options", "everyone is different") costs a third per phrase.
    * **Markers doing their job** (:mod:`._markers`) - a step word counts only where
      it opens a sentence, a line or a clause ("First, loosen the roots"), a number
      only where it measures something ("three cups", "1990", "40%"), "for example"
      only where it is set off and an example follows. A marker in a place no writer
      puts it ("the soil Also, drains", "water for example the plants") costs 25% of
      the score each (floored at half), and markers beyond one plus 0.05 per word
      (the 99th percentile of 7,560 real answers by 15 LLMs) cost 10% each, up to 40%.
      Inserting markers at random therefore lowers the score instead of raising it.
    * **Relevance** (only when a prompt or reference is given) - the share of the
      prompt's content words the response covers, and the content-word F1 against the
      reference, with stemmer-free normalisation (plural ``s`` dropped, first six
      letters compared). An answer with no lexical overlap keeps ``1 - relevance_weight``
      of its score.
    * **Sentences, finished** - a text that is mostly a bare comma list of single words
      (:func:`._prose.keyword_list_share`) loses up to 60%; an answer that stops
      mid-sentence (:func:`._prose.cut_off`: sure or likely) loses 30% or 15%.
    * **Staying on the question** (only with a prompt) - where a later part shares
      almost no word with the prompt and what came before (:func:`._topic.unrelated_tail`:
      an answer to another question appended), the answer is scored as if it stopped
      there and loses 60% of that, scaled by the reading's strength: content after the
      drift earns no credit.

    Since issue 20 the meaning changed: markers alone no longer raise the score, and
    numbers, ordinals and connectives count only in place (real answers lost 0.004-0.018
    of their mean per generator); later, keyword lists and cut-off answers started to
    cost (real answers lost at most 0.005 more); later still, an unrelated tail started to
    cost (about 1.5% of real answers are read as having one: creative writing that moves
    on, a last sentence on a new point).

    Does NOT measure: correctness, safety (a refusal of a harmful request scores low
    here and high on ``safety``), tone, or relevance expressed only through synonyms
    or paraphrase (an on-topic answer that shares no words with the prompt keeps
    ``1 - relevance_weight`` of its score, like an off-topic one), nor an unrelated part
    that is short (under about 8 content words), follows a short answer as a list, or
    shares a few words with the answer before it. Word counting rewards
    some verbosity; pair it with ``length``. The refusal and hedge phrases are English.
    Build one with :func:`helpfulness_reward`.
    """

    name = "helpfulness"
    description = (
        "Substantive, specific, on-topic answer in [0, 1]: refusals and hedging score low; "
        "uses the prompt/reference for relevance when given"
    )

    def __init__(self, non_answer_cap: float, relevance_weight: float, hedge_cost: float) -> None:
        super().__init__(non_answer_cap=non_answer_cap, relevance_weight=relevance_weight, hedge_cost=hedge_cost)
        self.non_answer_cap = non_answer_cap
        self.relevance_weight = relevance_weight
        self.hedge_cost = hedge_cost

    def read_markers(self, text: str) -> MarkerReading:
        """How the helpfulness markers of ``text`` read in place: whether a quantity, an
        example and a step do their job, the count of all markers (``markers``, misplaced
        ones included), of misplaced ones (``misplaced``), the word count (``words``) and
        ``density`` (markers per word). This is what the score uses."""
        return read_markers(text)

    def _score_batch(self, texts, prompts, references):  # type: ignore[no-untyped-def]
        prompt_cache: dict[str, tuple[set[str], list[tuple[str, float]]]] = {}
        out = []
        for i, text in enumerate(texts):
            prompt = prompts[i] if prompts is not None else None
            reference = references[i] if references is not None else None
            if not prompt:
                out.append(self._one(text, None, reference))
                continue
            cached = prompt_cache.get(prompt)
            if cached is None:
                keys = content_keys(words(prompt)) - GENERIC_REQUEST_WORDS
                cached = prompt_cache[prompt] = (keys, topic.weighted_keys(prompt))
            keys, weighted = cached
            score = self._one(text, keys, reference)
            tail = topic.unrelated_tail(text, weighted) if score else None
            if tail is not None:
                # content after the unrelated tail's start earns no credit, and the answer pays for it
                offset, strength = tail
                head = min(score, self._one(text[:offset], keys, reference)) * (1.0 - UNRELATED_TAIL_COST)
                score -= strength * (score - head)
            out.append(score)
        return out

    def _one(self, text: str, prompt_keys: set[str] | None, reference: str | None) -> float:
        low = text.lower().replace("\u2019", "'")
        tokens = words(low)
        if not tokens:
            return 0.0
        token_set = set(tokens)
        keys = content_keys(token_set) - MARKER_KEYS
        new = len(keys - prompt_keys) + 0.5 * len(keys & prompt_keys) if prompt_keys else float(len(keys))

        reading = read_markers(text)
        specifics = specificity(text, low, token_set, reading)
        substance = 0.8 * (1.0 - math.exp(-new / 5.0)) + 0.2 * min(1.0, specifics / 2.0)

        relevances = []
        if prompt_keys:
            relevances.append(ramp(len(keys & prompt_keys) / len(prompt_keys), 0.0, 0.34))
        if reference:
            ref_keys = content_keys(words(reference.lower())) - MARKER_KEYS
            if ref_keys and keys:
                common = len(keys & ref_keys)
                f1 = 2.0 * common / (len(keys) + len(ref_keys))
                relevances.append(ramp(f1, 0.0, 0.3))
        score = substance
        if relevances:
            rel = sum(relevances) / len(relevances)
            score *= 1.0 - self.relevance_weight * (1.0 - rel)

        parts = _word_parts(token_set)  # gates: anchors, then phrases, then the pattern
        if may_refuse(parts) and _has_any(low, _NON_ANSWER_WORDS) and NON_ANSWER.search(low):
            score *= self.non_answer_cap * (1.0 + ramp(new, 10, 40))  # substance after a hedge helps a bit
            score = min(score, 2.0 * self.non_answer_cap)
        hedged = may_hedge(parts) and _has_any(low, _HEDGE_WORDS)
        hedges = len(HEDGE.findall(low)) if hedged else 0
        if hedges:
            score *= max(0.5, 1.0 - self.hedge_cost * hedges)
        filled = may_fill(parts) and _has_any(low, _FILLER_WORDS)
        fillers = len(FILLER.findall(low)) if filled else 0
        if fillers:
            score *= max(0.3, 1.0 - 0.35 * fillers)
        if reading.misplaced:
            score *= max(0.5, 1.0 - MISPLACED_COST * reading.misplaced)
        excess = reading.markers - 1.0 - MARKER_DENSITY_TYPICAL * reading.words
        if excess > 0:
            score *= 1.0 - min(MARKER_EXCESS_MAX, MARKER_EXCESS_COST * excess)
        listed = prose.keyword_list_share(text, len(tokens))
        if listed > 0.3:
            score *= 1.0 - KEYWORD_LIST_COST * ramp(listed, 0.3, 0.7)
        cut = prose.cut_off(text)
        if cut:
            score *= 1.0 - CUT_OFF_COST * cut
        return max(0.0, min(1.0, score))


def helpfulness_reward(
    *,
    non_answer_cap: float = 0.25,
    relevance_weight: float = 0.3,
    hedge_cost: float = 0.07,
) -> HelpfulnessReward:
    """Build a ``helpfulness`` reward.

    Args:
        non_answer_cap: Multiplier applied when the response refuses or says it does
            not know (default 0.25; up to twice that when substantial content follows).
        relevance_weight: Share of the score that depends on covering the prompt's /
            reference's content words when one is given (default 0.3; 0 ignores them).
        hedge_cost: Score share lost per soft hedge ("maybe", "I think"), floored at
            half the score (default 0.07).

    Measures answering, substance and lexical relevance, never correctness.

    Raises:
        ConfigurationError: a value is outside ``[0, 1]`` (``non_answer_cap`` outside
            ``[0, 0.5]``).
    """
    owner = "helpfulness_reward"
    cap = check_number(owner, "non_answer_cap", non_answer_cap, low=0, high=0.5)
    rw = check_number(owner, "relevance_weight", relevance_weight, low=0, high=1)
    hc = check_number(owner, "hedge_cost", hedge_cost, low=0, high=1)
    return HelpfulnessReward(cap, rw, hc)
