"""Whole-text form signals for ``coherence`` (and, some of them, ``helpfulness``): shouting,
spam, bare keyword lists, cut-off endings, unbalanced brackets. Topic signals (cohesion, an
unrelated answer appended) are in :mod:`._topic`.

Each function returns a plain number that ``coherence`` turns into a factor. All of them
are single passes over precompiled regular expressions and small sets.
"""

from __future__ import annotations

import re
from operator import itemgetter

from aligntune_rewards_basic._text import FUNCTION_WORDS, TextMemo, words

_LETTER_WORD = re.compile(r"[A-Za-z]{2,}")
#: Two capitals in a row: ``[A-Z]{2}``, written out so that ``re`` skips ahead to the capitals (a pattern
#: that opens with a repeat gets no such start).
_TWO_CAPS = re.compile(r"[A-Z][A-Z]")
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
_FIRST = itemgetter(0)
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
    # no character in an emoji block (all of them are >= U+2600; ``isascii`` answers without reading the text)
    if text.isascii() or max(text) < "\u2600":
        if text.count("!") + text.count("?") < 2:
            return 0.0  # no run of marks either
        return len(_MARK_RUN.findall(text)) / max(1, n_words)  # the only matches _SPAM can find here
    return len(_SPAM.findall(text)) / max(1, n_words)


def keyword_list_share(text: str, n_words: int) -> float:
    """The share of the words that sit in bare comma lists of single words with no glue.

    A line counts when it has at least six comma-separated items, nearly all one or two
    words long, and few function words (at most about one word in three): "apple, banana, orchard, harvest, ...".
    A list of phrases, a sentence with a series in it or a bulleted list does not.
    """
    if text.count(",") < 5:
        return 0.0
    listed = _LISTED.get(text)
    if listed is None:  # coherence and helpfulness both ask, with their own word counts
        listed = _listed_words(text)
        _LISTED.put(text, listed)
    return listed / max(1, n_words)  # type: ignore[operator]


#: text -> :func:`_listed_words` (bounded; emptied with the token cache).
_LISTED = TextMemo(16_000_000)


def _listed_words(text: str) -> int:
    """The word tokens of ``text``'s lines that are bare comma lists (:func:`keyword_list_share`)."""
    listed = 0
    for line in text.split("\n"):
        if line.count(",") < 5:
            continue
        # the items of ``_COMMA_ITEM.split`` (``\s*,\s*``) but for whitespace at their ends
        items = [i for i in map(str.strip, line.strip().rstrip(".;:!?").split(",")) if i]
        if len(items) < 6:
            continue
        short = sum(1 for i in items if len(i.split()) <= 2)
        if short < 0.85 * len(items):
            continue
        toks = words(line)
        glue = sum(map(FUNCTION_WORDS.__contains__, toks))
        if glue <= 0.35 * len(toks):
            listed += len(toks)
    return listed


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
    found = _CUT.get(text)
    if found is None:  # coherence and helpfulness both ask
        found = _cut_off(text, stripped)
        _CUT.put(text, found)
    return found  # type: ignore[return-value]


#: text -> :func:`cut_off` for texts that do not end in a closing mark (bounded; emptied with the token cache).
_CUT = TextMemo(16_000_000)


def _cut_off(text: str, stripped: str) -> float:
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
    # tokens of str.split are never empty: ``t[:1]`` is ``t[0]``
    if text.islower() or sum(map(str.isupper, map(_FIRST, toks))) >= 0.6 * len(toks):
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
