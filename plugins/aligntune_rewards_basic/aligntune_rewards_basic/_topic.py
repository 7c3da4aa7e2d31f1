"""Topic signals read sentence by sentence: cohesion and an unrelated answer appended, for
``coherence`` (:func:`topic_reading`), and where an unrelated tail starts, for ``helpfulness``
(:func:`unrelated_tail`).

Both key every sentence of a text (the stems of its content words). The composite scores a batch
rule after rule, so a text's sentence reading (:func:`sentence_reading`: sentence bounds and each
sentence's stems and weights) is kept per lower-cased text in a bounded memo and read once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import chain, compress, repeat
from typing import NamedTuple

from aligntune_rewards_basic._english import common_words
from aligntune_rewards_basic._prose import _NOT_PROSE_LINE
from aligntune_rewards_basic._text import (
    FUNCTION_WORDS,
    SENTENCE_MARK,
    SENTENCE_SPLIT_RE,
    WORD_RE,
    TextMemo,
    marked_tokens,
    normalise,
    ramp,
    sentence_pieces,
    words,
)

#: word -> its normalised content-word key, or "" for glue, short words and numbers.
_KEY_CACHE: dict[str, str] = {}


def _key(word: str) -> str:
    key = "" if len(word) < 3 or word in FUNCTION_WORDS or not word.isalpha() else normalise(word)
    if len(_KEY_CACHE) > 200_000:  # a bounded cache: vocabularies are far smaller in practice
        _KEY_CACHE.clear()
    _KEY_CACHE[word] = key
    return key


def _token_keys(tokens: list[str]) -> list[str]:
    """Each token's stem, ``""`` for a token that is not a content word (one per token, in order)."""
    keys = list(map(_KEY_CACHE.get, tokens))
    if None in keys:  # words not seen before
        keys = [_key(w) if k is None else k for w, k in zip(tokens, keys)]
    return keys


def _keys(tokens: list[str]) -> list[str]:
    return list(filter(None, _token_keys(tokens)))


def prompt_keys(prompt: str | None) -> set[str]:
    """The stems of the prompt's content words (empty without a prompt)."""
    return set(_keys(words(prompt))) if prompt else set()


#: A sentence that opens an answer, not one that continues it: assent, a greeting, thanks
#: for the question, an assistant's self-description or apology. Inside a real answer these
#: rarely start a sentence that is followed by new subject matter; an answer to another
#: question appended often starts so. (Letter salutations and sign-offs, "Dear ...",
#: "Sincerely", are left out: requested letters put them mid-text.)
_RESTART = re.compile(
    r"\W*(?:sure|certainly|of course|absolutely|hi|hello|hey|thank you for|thanks for|"
    r"(?:that's a |what a |this is a )?(?:great|good|interesting|fascinating|excellent) question|as an ai|"
    r"i'm (?:just )?an ai|as a (?:helpful|language model|large)|i'm sorry|i am sorry|i apologi[sz]e|"
    r"once upon a time)\b"
)
#: A formula that closes an answer ("hope this helps", "let me know if").
_CLOSING = re.compile(
    r"\b(?:hope (?:this|that|these|it) helps?|let me know if|feel free to|good luck|"
    r"have a (?:great|nice|good|wonderful) (?:day|time))\b"
)
_CLOSING_WORDS = ("hope", "let me know if", "feel free to", "good luck", "have a")


def topic(parts: list[str], prompt_keys: set[str] | frozenset[str]) -> tuple[float, int, float | None]:
    """Topical consistency of a text: ``(cohesion, content_words, appended_drift)``
    (the first three values of :func:`topic_reading`)."""
    return topic_reading(parts, prompt_keys)[:3]


def topic_reading(
    parts: list[str], prompt_keys: set[str] | frozenset[str]
) -> tuple[float, int, float | None, float | None]:
    """Topical consistency of a text: ``(cohesion, content_words, appended_drift, restart_drift)``.

    ``parts`` are the text's lower-case sentences (:func:`._text.sentences`).

    *Cohesion* is the share of content words (stems of non-glue words of three or more
    letters) that recur in the text or come from the prompt. Prose about one subject
    repeats its subject's words; a chain of locally plausible word pairs drifts from
    topic to topic every few words and repeats almost nothing.

    *Appended drift* is, over every sentence boundary that leaves at least 10% of the
    content words (and 8) before it and 25% (and 8) after it, the largest share of the
    later content words whose stem appears neither earlier nor in the prompt (``None``
    for texts with fewer than 16 content words or one sentence). An answer to another
    question appended to a real answer shares almost nothing with what came before; a
    real answer's later part reuses some of its subject's words.

    *Restart drift* is the same share over the boundaries where a new answer visibly
    starts - the next sentence opens with assent, a greeting, a salutation, an
    assistant's apology or a title (:data:`_RESTART`), or an earlier sentence closed
    the answer ("hope this helps", "let me know if": :data:`_CLOSING`) - with only 4
    content words needed before the boundary and 8 after (``None`` where no such
    boundary is found).
    """
    find = WORD_RE.findall
    return _topic(parts, [_keys(find(p)) for p in parts], prompt_keys)


def topic_reading_of(
    low: str, parts: list[str], prompt_keys: set[str] | frozenset[str]
) -> tuple[float, int, float | None, float | None]:
    """:func:`topic_reading` of the lower-cased text ``low`` whose sentences are ``parts``
    (``sentences(low)``), with the stems of its memoised :func:`sentence_reading`."""
    reading = sentence_reading(low)
    segments = reading.stems.split(_MARK)
    keyed = [segments[j].split() for j in reading.sentences]
    if len(keyed) != len(parts):
        raise ValueError("parts are not the sentences of this text")
    return _topic(parts, keyed, prompt_keys)


def _topic(
    parts: list[str], keyed: list[list[str]] | list[tuple[str, ...]], prompt_keys: set[str] | frozenset[str]
) -> tuple[float, int, float | None, float | None]:
    """:func:`topic_reading` of ``parts`` whose content-word stems are ``keyed`` (one sequence per part)."""
    counts = Counter(chain.from_iterable(keyed))
    total = sum(counts.values())
    if not total:
        return 1.0, 0, None, None
    in_prompt = set(prompt_keys).intersection(counts)
    # whole numbers: every word, less those whose stem occurs once and not in the prompt
    linked = total - list(counts.values()).count(1) + sum(counts[k] == 1 for k in in_prompt)
    share = linked / total
    if len(parts) < 2 or total < 16:
        return share, total, None, None
    seen: set[str] = set(prompt_keys)
    # later words whose stem is not yet seen: every word of a stem leaves it once the stem is seen (all of
    # them come at or after the sentence that shows the stem first), so no word needs counting down
    new = total - sum(map(counts.__getitem__, in_prompt))
    before = 0
    worst = 0.0
    restart: float | None = None
    low_before, low_after = max(8, 0.1 * total), max(8, 0.25 * total)
    closed = False
    # every match of _CLOSING contains one of these: most texts need no search per sentence
    head = "\n".join(parts[:-1])  # no closing word holds a line break
    may_close = any(t in head for t in _CLOSING_WORDS)
    for i, ks in enumerate(keyed[:-1]):
        before += len(ks)
        fresh = set(ks).difference(seen)
        if fresh:  # whole numbers: the order of these sums does not matter
            new -= sum(map(counts.__getitem__, fresh))
            seen |= fresh
        rest = total - before
        if rest < 8:
            break
        if rest >= low_after and before >= low_before:
            worst = max(worst, new / rest)
        if may_close and not closed:
            closed = _CLOSING.search(parts[i]) is not None
        if before >= 4 and (closed or _RESTART.match(parts[i + 1]) is not None):
            restart = max(restart or 0.0, new / rest)
    return share, total, worst, restart


#: :func:`unrelated_tail`: a common word (one of the 3,000 most frequent English words) weighs
#: COMMON_WEIGHT, any other content word 1: rare words carry a text's subject.
COMMON_WEIGHT = 0.25
#: The least weight of content words the prompt and the text before a boundary must hold, and
#: the text after it: under these a later part that shares no word is ordinary (a first
#: sentence, then a list; a closing sentence).
HEAD_WEIGHT = 16.0
TAIL_WEIGHT = 8.0
#: The share of the later part's weight that may reuse earlier words and still count as
#: unrelated grows by REUSE_PER_DOUBLING per doubling of the earlier weight (from 0 at 8):
#: the more was said before, the more of any related continuation repeats it.
REUSE_PER_DOUBLING = 0.03
#: After less than HEAD_WEIGHT, a later part counts only when it reuses under SHORT_HEAD_REUSE
#: of its weight and is unannounced prose (:func:`_unannounced_prose`): a first sentence
#: followed by a list, a recipe or verse shares no word with it either.
SHORT_HEAD_REUSE = 0.02
#: The share of list, heading, table or code lines at which a part reads as structured, not prose.
LIST_LINES = 0.3


def _continues_list(text: str, start: int, boundary: int) -> bool:
    """Whether the boundary lies between two list items (a line break with list lines on both sides)."""
    if "\n" not in text[start:boundary]:
        return False
    before = text[:boundary].rstrip().rsplit("\n", 1)[-1]
    after = text[boundary:].lstrip("\n").split("\n", 1)[0]
    return bool(_NOT_PROSE_LINE.match(before)) and bool(_NOT_PROSE_LINE.match(after))


def _unannounced_prose(text: str, start: int, boundary: int) -> bool:
    """Whether the sentence ``text[start:boundary]`` does not announce what follows (it does not
    end with a colon) and ``text[boundary:]`` is prose: under :data:`LIST_LINES` of its lines
    are list items, headings, quotes, table rows or code."""
    if text[start:boundary].rstrip().endswith(":"):
        return False
    lines = [ln for ln in text[boundary:].split("\n") if ln.strip()]
    return sum(1 for ln in lines if _NOT_PROSE_LINE.match(ln)) < LIST_LINES * len(lines)


def weighted_keys(text: str) -> list[tuple[str, float]]:
    """``(stem, weight)`` of each content word of ``text`` (:data:`COMMON_WEIGHT` for common words)."""
    common = common_words()
    toks = WORD_RE.findall(text.lower())
    return [(key, COMMON_WEIGHT if w in common else 1.0) for w, key in zip(toks, _token_keys(toks)) if key]


class SentenceReading(NamedTuple):
    """A text's sentences as the topic signals read them. Its segments are the pieces between sentence
    boundaries (:data:`._text.SENTENCE_SPLIT_RE`), one more than the boundaries.

    ``stems``: the stems of the content words of each segment in order, joined by spaces, the segments
    joined by :data:`_MARK` (``stems.split(_MARK)[j].split()`` are segment ``j``'s); ``rare``: the same
    for the content words that are not common words (those weigh 1 in :func:`unrelated_tail`, common
    ones :data:`COMMON_WEIGHT`); ``sentences``: the segments that hold more than whitespace (the parts
    of :func:`._text.sentences`).
    """

    stems: str
    rare: str
    sentences: tuple[int, ...]


#: Stands for a sentence boundary among a text's words (whitespace to ``str.split``, never in a word).
_MARK = SENTENCE_MARK
#: lower-cased text -> its :class:`SentenceReading` (two strings no longer than the text). Bounded at
#: 8 million characters of text; emptied with the token cache (:func:`._text.clear_token_cache`).
_READINGS = TextMemo(8_000_000)
#: word -> its stem (:func:`_key`, ``""`` for glue), and -> its stem if it is not a common word, else
#: ``""``; the mark stands for itself. Bounded: emptied past :data:`_WORD_LIMIT` words.
_STEM: dict[str, str] = {_MARK: _MARK}
_RARE_STEM: dict[str, str] = {_MARK: _MARK}
_WORD_LIMIT = 200_000


def sentence_reading(low: str) -> SentenceReading:
    """The :class:`SentenceReading` of the lower-cased text ``low`` (memoised)."""
    reading = _READINGS.get(low)
    if reading is None:
        reading = _read(low, lowered=True)
        _READINGS.put(low, reading)
    return reading  # type: ignore[return-value]


def _read(text: str, *, lowered: bool) -> SentenceReading:
    """The segments of ``text``; their words from ``text`` itself (``lowered``) or lower-cased."""
    pieces = sentence_pieces(text)
    if lowered and _MARK not in text:  # the tokens the rules share, with the boundaries marked
        joined = marked_tokens(text)
        items = joined.split(" ") if joined else []
    else:
        items = []
        for j, piece in enumerate(pieces):
            if j:
                items.append(_MARK)
            items.extend(WORD_RE.findall(piece if lowered else piece.lower()))
    stems = list(map(_STEM.get, items))
    if None in stems:  # words not seen before
        _learn(items)
        stems = list(map(_STEM.__getitem__, items))
    rare = map(_RARE_STEM.__getitem__, items)
    kept = tuple(compress(range(len(pieces)), map(str.strip, pieces)))  # pieces with more than whitespace
    return SentenceReading(" ".join(filter(None, stems)), " ".join(filter(None, rare)), kept)


def _learn(items: list[str]) -> None:
    """Learn the words of one text that are not known yet (after emptying the caches when full)."""
    if len(_STEM) > _WORD_LIMIT:
        _STEM.clear()
        _RARE_STEM.clear()
        _STEM[_MARK] = _RARE_STEM[_MARK] = _MARK
    common = common_words()
    for word in set(items).difference(_STEM):
        key = _KEY_CACHE.get(word)
        if key is None:
            key = _key(word)
        _STEM[word] = key
        _RARE_STEM[word] = key if key and word not in common else ""


def unrelated_tail(text: str, prompt: list[tuple[str, float]]) -> tuple[int, float] | None:
    """Where a later part of ``text`` that relates neither to what came before nor to the prompt
    starts: ``(character offset, strength in (0, 1])``, or ``None``.

    ``prompt`` is :func:`weighted_keys` of the prompt. At every sentence boundary (``.``, ``!``,
    ``?``, ``;``, line breaks) with at least :data:`HEAD_WEIGHT` of content words in the prompt
    and the text before it and :data:`TAIL_WEIGHT` after it, *reuse* is the weighted share of the
    later content words whose stem appeared earlier (in the prompt or the text). An answer to
    another question appended shares almost no word with the answer it follows, rare or not; a
    real answer's later part repeats its subject. The boundary counts where reuse is at most
    ``REUSE_PER_DOUBLING * log2(earlier weight / 8)``; strength is 1 at half that bound, falling
    to 0 at the bound. After less than :data:`HEAD_WEIGHT` the bound is :data:`SHORT_HEAD_REUSE`
    and the later part must be unannounced prose (:func:`_unannounced_prose`). A boundary between
    two list items (:func:`_continues_list`) never counts: items of one list need not share words.
    The boundary with the most strength (then the earliest) is returned.
    """
    low = text.lower()
    # lower-casing that keeps every character one character keeps the offsets
    reading = sentence_reading(low) if len(low) == len(text) else _read(text, lowered=False)
    keys = [segment.split() for segment in reading.stems.split(_MARK)]
    if len(keys) < 2:
        return None
    rare = [segment.split() for segment in reading.rare.split(_MARK)]
    # weights in quarters (a common word 1, any other 4): whole numbers, so every sum is exact and the
    # shares and comparisons are those of the weights themselves
    later_rare = list(chain.from_iterable(rare[1:]))
    rest = sum(map(len, keys[1:])) + 3 * len(later_rare)
    if rest < 4 * TAIL_WEIGHT:
        return None
    # each later stem's weight: once per word, three more times per rare word
    tail = Counter(chain(chain.from_iterable(keys[1:]), later_rare, later_rare, later_rare))
    seen = {k for k, _ in prompt}
    head = sum(int(4 * w) for _, w in prompt)
    # reused: the weight after the boundary whose stem is seen. Counted as the whole later weight of every
    # seen stem less the weight of the sentences passed (all of their stems are seen by then), so no word
    # needs counting down
    reused = sum(map(tail.__getitem__, seen.intersection(tail)))
    bounds: list[int] = []
    best: tuple[int, float] | None = None
    for i, ks in enumerate(keys[:-1]):
        rs = rare[i]
        weight = len(ks) + 3 * len(rs)
        head += weight
        if i:  # the first sentence was never counted in ``tail``
            rest -= weight
            reused -= weight
        fresh = set(ks).difference(seen)  # stems first seen here (a set per sentence, not a copy of all seen)
        if fresh:
            reused += sum(map(tail.get, fresh, repeat(0)))
            seen |= fresh
        if rest < 4 * TAIL_WEIGHT:
            break
        reuse = reused / rest
        if head >= 4 * HEAD_WEIGHT:
            bound = REUSE_PER_DOUBLING * math.log2(head / 4 / 8.0)
            strength = 1.0 - ramp(reuse, 0.5 * bound, bound)
        elif reuse < SHORT_HEAD_REUSE:
            bounds = bounds or [m.end() for m in SENTENCE_SPLIT_RE.finditer(text)]
            if not _unannounced_prose(text, ([0, *bounds])[i], bounds[i]):
                continue
            strength = 1.0 - ramp(reuse, 0.5 * SHORT_HEAD_REUSE, SHORT_HEAD_REUSE)
        else:
            continue
        if strength > 0 and (best is None or strength > best[1]):
            bounds = bounds or [m.end() for m in SENTENCE_SPLIT_RE.finditer(text)]
            if not _continues_list(text, ([0, *bounds])[i], bounds[i]):
                best = (bounds[i], strength)
    return best
