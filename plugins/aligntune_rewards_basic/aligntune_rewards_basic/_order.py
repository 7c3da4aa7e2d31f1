"""Word order for ``coherence``: punctuation and capitals that do not line up, glue in odd places.

Shuffling fluent prose keeps its vocabulary (so its function-word share) but breaks
the alignment between sentence punctuation and capitals, and the order of glue words.
These signals look at the raw text, split on whitespace within a line.

About 70% of the whitespace tokens of real answers are plain lower-case words
(``[a-z]+``), and such a word changes the reading state the same way wherever it
stands - only the first of a run changes it at all, and only the last is read by the
token after the run - so :func:`word_order_violations` settles a run in a few steps and
reads only the other tokens closely (a test compares it with the token-by-token reading
it replaced).
"""

from __future__ import annotations

import re

from aligntune_rewards_basic._text import FUNCTION_WORDS

_OPENERS = "\"'([{*_`\u201c\u2018<"
_CLOSERS = "\"')]}*_`\u201d\u2019>"
#: "I" and its contractions are capitalised anywhere.
_I_FORMS = frozenset("i i'm i'd i'll i've i\u2019m i\u2019d i\u2019ll i\u2019ve".split())
#: Abbreviations that end in a full stop and may be followed by a lower-case word.
_ABBREVIATIONS = frozenset(
    "etc vs approx cf mr mrs ms dr st no nr fig figs eq inc ltd jr sr ca al ed eds vol pp ch sec min max "
    "avg est dept govt misc op resp viz".split()
)
#: Words that (almost) never end a sentence: possessive determiners ("keep your.");
#: "and"/"or"/"nor" before a full stop; these and "an"/"the" before a comma ("the, ").
#: Articles before a stop are counted by ``coherence``'s ``_ARTICLE_AT_END``.
_NOT_BEFORE_STOP = frozenset("my your our their".split())
_NOT_BEFORE_FULL_STOP = _NOT_BEFORE_STOP | frozenset("and or nor".split())
_NOT_BEFORE_COMMA = frozenset({"an", "the"}) | _NOT_BEFORE_STOP  # not "a": "a, b = pair"
#: Function words whose capitalised form mid-sentence means a moved sentence start;
#: not "I" forms, nor words that are also names or titles ("in May", "Will Smith").
_CAPITAL_GLUE = FUNCTION_WORDS - _I_FORMS - frozenset("may will one us it me him her".split())
#: Sentence adverbs that open a sentence with a comma ("Also,", "Finally,"); capitalised
#: with their comma between two lower-case words they are a misplaced sentence start.
_OPENERS_WITH_COMMA = _CAPITAL_GLUE | frozenset(
    """however moreover therefore furthermore finally additionally first second third next lastly instead
    meanwhile similarly consequently overall thus hence specifically importantly ultimately""".split()
)
_ENDERS = frozenset(".!?:")
#: Line breaks, tabs and runs of spaces (aligned columns, definition lists) reset the sentence.
_COLUMN_BREAK = re.compile(r"\n|\t|  +")
#: A plain lower-case word with trailing punctuation (not "iPhone", "npm.install()", "x_1").
_PLAIN_LOWER = re.compile(r"[a-z]+(?:['\u2019][a-z]+)*[,;:.!?\"')\u201d\u2019]*$")
_NAME_SLOTS = frozenset("a an the of".split())
_WORD_CORE = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")


def word_order_violations(text: str) -> tuple[int, int]:
    """Word-order evidence in ``text``: ``(strong, weak)`` violation counts.

    Strong: a capitalised function word between two lower-case words ("...you That
    the...", but not "...and The Left Hand", "the Never type", '"We'), a capitalised
    sentence opener with its comma after a lower-case word ("...the Also, cat"), a possessive
    before a sentence stop ("your."), "and"/"or"/"nor" before a full stop, and
    "an"/"the"/a possessive before a comma. Weak: a plain lower-case word at the start
    of the text or right after a sentence stop ("...staged. the..."), counted only
    where the text has a strong violation, or capitalises a word after a stop or
    mid-sentence and slips at least twice - so all-lower-case chat and a single
    "...Node. npm..." pass. Abbreviations ("e.g.", "etc.", "p.m."), ellipses and
    numbers ("1.") are not stops. Capitalised content words are never violations:
    names and acronyms appear mid-sentence. Line breaks, tabs and runs of spaces are
    boundaries where anything goes (lists, code, headings, aligned columns).
    """
    strong = 0
    capitalises = 0
    low_after_stop = 0
    text_start = True
    for line in _COLUMN_BREAK.split(text) if "  " in text or "\t" in text else text.split("\n"):
        prev_ended = True  # the previous chunk ended a sentence (or this is a line start)
        prev_stop = text_start  # ... with . ! or ? (not an abbreviation), or starts the text
        prev_lower = False  # the previous chunk starts with a lower-case letter
        pending = False  # a capitalised function word: counts if a lower-case word follows
        plain = ""  # the previous chunk if it is a plain lower-case word
        for chunk in line.split():
            if chunk.isalpha() and chunk.islower() and chunk.isascii():  # a plain lower-case word
                if not plain:  # the first of a run: only it can settle what came before
                    if pending:
                        strong += 1
                        pending = False
                    if prev_ended and prev_stop:
                        low_after_stop += 1
                    text_start = prev_stop = prev_ended = False
                    prev_lower = True
                plain = chunk
                continue
            prev_name_slot = plain in _NAME_SLOTS  # the previous chunk often precedes a name: "the", "of"
            plain = ""
            core = chunk.lstrip(_OPENERS)
            first = core[:1]
            if pending:
                strong += first.islower()
                pending = False
            if first:
                if prev_ended:
                    if prev_stop:
                        if first.islower():
                            low_after_stop += _PLAIN_LOWER.match(core) is not None
                        elif first.isupper() and not text_start:
                            w = _WORD_CORE.match(core)
                            capitalises += w is None or w.group().lower() not in _I_FORMS
                elif prev_lower and first.isupper() and len(core) == len(chunk):  # not '"We' or "(The"
                    w = _WORD_CORE.match(core)
                    if w is not None:
                        word = w.group()
                        if word[1:].islower() and word.lower() not in _I_FORMS:
                            capitalises += 1
                            # a bare word, not after "the"/"of" ("the Never type", "instances of Any")
                            pending = len(word) == len(core) and not prev_name_slot and word.lower() in _CAPITAL_GLUE
                            # a sentence opener with its comma mid-sentence: "...the Also, cat"
                            strong += core == word + "," and word.lower() in _OPENERS_WITH_COMMA
            text_start = False
            tail = chunk.rstrip(_CLOSERS)
            last = tail[-1:]
            prev_stop = False
            prev_ended = last in _ENDERS
            if prev_ended:
                if last != ":":
                    word = tail.rstrip(".!?").lstrip(_OPENERS)
                    low = word.lower()
                    if low in (_NOT_BEFORE_STOP if last == "?" else _NOT_BEFORE_FULL_STOP):
                        strong += 1
                    prev_stop = not (
                        "." in word or low in _ABBREVIATIONS or tail.endswith("..") or not word[-1:].isalpha()
                    )
            elif last == "," and tail[:-1].lower() in _NOT_BEFORE_COMMA:  # not "[a, b]"
                strong += 1
            prev_lower = first.islower() and len(tail) == len(chunk)  # not "only)"
    # Without a strong violation a single slip is forgiven ("...install Node. npm will...").
    if strong or (capitalises and low_after_stop > 1):
        weak = low_after_stop
    else:
        weak = 0
    return strong, weak
