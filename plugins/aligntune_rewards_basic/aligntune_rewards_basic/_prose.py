"""Whole-text form signals for ``coherence``: shouting, spam, bare keyword lists, cut-off
endings, unbalanced brackets, topical cohesion and an unrelated answer appended; and, for
``helpfulness``, where an unrelated tail starts (:func:`unrelated_tail`).

Each function returns a plain number that ``coherence`` turns into a factor. All of them
are single passes over precompiled regular expressions and small sets.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import chain

from aligntune_rewards_basic._english import common_words
from aligntune_rewards_basic._text import FUNCTION_WORDS, SENTENCE_SPLIT_RE, WORD_RE, normalise, ramp, words

_LETTER_WORD = re.compile(r"[A-Za-z]{2,}")
_TWO_CAPS = re.compile(r"[A-Z]{2}")
#: Emoji and pictographs (the main emoji blocks, dingbats and symbols).
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")
#: Runs of two or more ! or ? (with optional spaces between), "!?!", "..!!".
_MARK_RUN = re.compile(r"[!?](?:\s*[!?])+")
_SPAM = re.compile(f"{_EMOJI.pattern}|{_MARK_RUN.pattern}")
#: A line that is a list item, heading, quote, table row or code rather than a sentence.
_NOT_PROSE_LINE = re.compile(r"\s*(?:[-*+#|>\u2022]|```|\d+[.)]\s|[A-Za-z][.)]\s|[A-Z]\s+-\s)")
_BULLET = re.compile(r"[-*+\u2022]")
_BARE_END = re.compile(r"[A-Za-z0-9]+(?:['\u2019-][A-Za-z0-9]+)*,?")
_NOT_BRACKET = re.compile(r"(?m)^\s*\w{1,2}\)|[:;]-?\)")
_CLAUSE_END = re.compile(r"[.!?:;]\s")
_COMMA_ITEM = re.compile(r"\s*,\s*")
_ENDS_OK = frozenset(".!?:;)]}>\"'`\u201d\u2019|")
#: Characters that end a finished line (its last non-space character).
_LINE_END_CHARS = frozenset(".!?:;)]}>\"'`*\u201d\u2019|")
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("\u201c", "\u201d"))
#: Words that cannot end a finished sentence: articles, prepositions, conjunctions,
#: possessive determiners, auxiliaries and modals.
_NO_END = frozenset(
    """a an the of to in on at by for from with into onto about and or but nor so because if although though
    while whereas my your our their its his is are was were be been am has have had do does did will would
    shall should can could may might must very than as that which who whose this these those every each""".split()
)


def shouting(text: str) -> float:
    """The share of the text's function words written in capitals ("THE", "AND").

    Acronyms are content words, so "NASA" or "API" never count; a few words in capitals
    for emphasis stay under a few percent.
    """
    if not _TWO_CAPS.search(text):
        return 0.0
    total = caps = 0
    for w in _LETTER_WORD.findall(text):
        low = w.lower()
        if low in FUNCTION_WORDS:
            total += 1
            caps += w.isupper()
    return caps / total if total else 0.0


def spam(text: str, n_words: int) -> float:
    """Emoji and runs of '!'/'?' per word."""
    if "!" not in text and "?" not in text and (not text or max(text) < "\u2600"):
        return 0.0  # no mark and no character in an emoji block (all of them are >= U+2600)
    return len(_SPAM.findall(text)) / max(1, n_words)


def keyword_list_share(text: str, n_words: int) -> float:
    """The share of the words that sit in bare comma lists of single words with no glue.

    A line counts when it has at least six comma-separated items, nearly all one or two
    words long, and few function words (at most about one word in three): "apple, banana, orchard, harvest, ...".
    A list of phrases, a sentence with a series in it or a bulleted list does not.
    """
    if text.count(",") < 5:
        return 0.0
    listed = 0
    for line in text.split("\n"):
        if line.count(",") < 5:
            continue
        items = [i for i in _COMMA_ITEM.split(line.strip().rstrip(".;:!?")) if i]
        if len(items) < 6:
            continue
        toks = words(line)
        short = sum(1 for i in items if len(i.split()) <= 2)
        glue = sum(1 for t in toks if t in FUNCTION_WORDS)
        if short >= 0.85 * len(items) and glue <= 0.35 * len(toks):
            listed += len(toks)
    return listed / max(1, n_words)


def cut_off(text: str) -> float:
    """Evidence that the text stops mid-sentence: 0 (no), 0.5 (likely) or 1 (surely).

    The last line must be three or more words long and end on a bare word or number
    with no closing punctuation ("... which means the", "... in heavy traffic the car");
    ending on an article, preposition, conjunction, auxiliary or demonstrative is sure,
    and so is a list marker opened and left empty ("... * **U2** *"). Short list items,
    headings, quotes, table rows, code, verse (a text whose lines mostly end without
    punctuation), titles, all-lower-case chat and lines that end in a bracket, quote,
    emphasis mark, URL or emoji pass.
    """
    stripped = text.rstrip()
    if not stripped or stripped[-1] in _ENDS_OK:  # the common case: a closing mark ("*" may be a bullet)
        return 0.0
    last_line = stripped[stripped.rfind("\n") + 1 :]  # not blank: ``stripped`` ends in a non-space
    toks = last_line.split()
    if len(toks) >= 5 and _BULLET.fullmatch(toks[-1]):
        return 1.0  # a new list item opened and left empty: "... * **U2** *"
    # ``stripped`` ends in a non-space that is not in _ENDS_OK: of _LINE_END_CHARS only "*" is left
    if stripped[-1] == "*" or len(toks) < 3:
        return 0.0
    if stripped.count("\n") >= 2:
        lines = [ln for ln in stripped.split("\n") if ln.strip()]
        if len(lines) >= 3 and sum(ln.rstrip()[-1] in _LINE_END_CHARS for ln in lines[:-1]) < 0.5 * (len(lines) - 1):
            return 0.0  # verse, lists or tables: lines that end without punctuation are the style
    last = toks[-1]
    if not _BARE_END.fullmatch(last):
        return 0.0  # URLs, code, symbols, emoji
    if text.islower() or sum(1 for t in toks if t[:1].isupper()) >= 0.6 * len(toks):
        return 0.0  # all-lower-case chat, or a title ("How To Choose A Laptop")
    if last.lower() in _NO_END:
        return 1.0
    if _NOT_PROSE_LINE.match(last_line) and len(toks) < 20:
        return 0.0  # a list item, heading or table row may end on a noun
    # a bare content word: in a long text, or after a long unfinished sentence
    # (short chat such as "ok thanks. see you then" often drops the last full stop)
    fragment = _CLAUSE_END.split(last_line)[-1]
    # at most 25 pieces, the 25th only when 25 or more words: ``len(text.split()) >= 25``
    return 0.5 if len(fragment.split()) >= 6 or len(text.split(None, 24)) >= 25 else 0.0


def unbalanced(text: str) -> int:
    """Unmatched brackets, curly quotes, straight double quotes and ``**`` bold marks.

    List labels ("1)", "a)") and smileys (":)") are not brackets.
    """
    if ")" in text:
        text = _NOT_BRACKET.sub(" ", text)
    bad = sum(abs(text.count(a) - text.count(b)) for a, b in _PAIRS)
    return bad + text.count('"') % 2 + text.count("**") % 2


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
    keyed = [_keys(find(p)) for p in parts]
    counts = Counter(chain.from_iterable(keyed))
    total = sum(counts.values())
    if not total:
        return 1.0, 0, None, None
    linked = sum(c for k, c in counts.items() if c > 1 or k in prompt_keys)
    share = linked / total
    if len(parts) < 2 or total < 16:
        return share, total, None, None
    after = counts  # consumed below: later words still to come, per stem
    seen: set[str] = set(prompt_keys)
    new = sum(c for k, c in after.items() if k not in seen)  # later words whose stem is not yet seen
    before = 0
    worst = 0.0
    restart: float | None = None
    low_before, low_after = max(8, 0.1 * total), max(8, 0.25 * total)
    closed = False
    # every match of _CLOSING contains one of these: most texts need no search per sentence
    may_close = any(t in p for p in parts[:-1] for t in _CLOSING_WORDS)
    for i, ks in enumerate(keyed[:-1]):
        before += len(ks)
        for k in ks:
            after[k] -= 1
        fresh = set(ks).difference(seen)
        if fresh:  # whole numbers: the order of these sums does not matter
            new -= sum(map(fresh.__contains__, ks)) + sum(map(after.__getitem__, fresh))
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
    bounds = [m.end() for m in SENTENCE_SPLIT_RE.finditer(text)]
    if not bounds:
        return None
    starts = [0, *bounds]
    keyed = [weighted_keys(text[a:b]) for a, b in zip(starts, [*bounds, len(text)])]
    tail: Counter[str] = Counter()
    for ks in keyed[1:]:
        for k, w in ks:
            tail[k] += w
    rest = sum(tail.values())
    if rest < TAIL_WEIGHT:
        return None
    seen = {k for k, _ in prompt}
    head = sum(w for _, w in prompt)
    reused = sum(w for k, w in tail.items() if k in seen)
    best: tuple[int, float] | None = None
    for i, ks in enumerate(keyed[:-1]):
        for k, w in ks:
            head += w
            if i:  # the first sentence was never counted in ``tail``
                tail[k] -= w
                rest -= w
                if k in seen:
                    reused -= w
        for k in {k for k, _ in ks}.difference(seen):
            seen.add(k)
            reused += tail.get(k, 0.0)
        if rest < TAIL_WEIGHT:  # weights are quarters: these sums are exact
            break
        reuse = reused / rest
        if head >= HEAD_WEIGHT:
            bound = REUSE_PER_DOUBLING * math.log2(head / 8.0)
            strength = 1.0 - ramp(reuse, 0.5 * bound, bound)
        elif reuse < SHORT_HEAD_REUSE and _unannounced_prose(text, starts[i], bounds[i]):
            strength = 1.0 - ramp(reuse, 0.5 * SHORT_HEAD_REUSE, SHORT_HEAD_REUSE)
        else:
            continue
        if strength > 0 and (best is None or strength > best[1]) and not _continues_list(text, starts[i], bounds[i]):
            best = (bounds[i], strength)
    return best
