"""Agreement and auxiliary slips for ``coherence``, read off word pairs.

Word forms come from symspellpy's English dictionary (:mod:`._english`): a word is
taken as a verb's base form when its ``-s``, ``-ing`` and ``-ed`` forms are English
words too (``sound``/``sounds``/``sounding``/``sounded``), and as a third-person or
plural ``-s`` form when it drops that ``s`` to such a base. Nouns that also inflect
like verbs (``plant``, ``water``) pass these tests; a slip needs the grammatical
context on both sides, so "he go", "they gets", "a kilometers" and "can will" count,
while "does he know", "let it go" and "a series" do not.
"""

from __future__ import annotations

import functools
import re

from aligntune_rewards_basic._english import word_ranks
from aligntune_rewards_basic._text import FUNCTION_WORDS


_HE_SHE = frozenset({"he", "she"})
_PLURAL_SUBJECTS = frozenset({"i", "we", "they"})
#: Before "he"/"she", these make a base form correct: "does he know", "will she go".
_QUESTION_AUX = frozenset(
    "do does did will would can could shall should may might must let make made help watch saw see hear heard".split()
)
_NOT_AFTER_HE = frozenset("have do are".split())
_NOT_AFTER_THEY = frozenset("is has does".split())
#: Past tenses spelled like a base form that inflects ("he hit", "she found", "he saw").
_PAST_LIKE_BASE = frozenset(
    """hit put set cut let read spread cost hurt quit shut bet cast burst split saw found fell lay bore wound
    ground rose left felt led fed bid rid fit wed sped slid spat upset met""".split()
)
_DO_FORMS = frozenset("do does did".split())
_PRONOUNS = frozenset("i you he she it we they".split())
_MODALS = frozenset("can could will would shall should may might must".split())
_SINGULAR_DETERMINERS = frozenset("a an another each every".split())


def _by_first_letter(words: frozenset[str]) -> str:
    """``words`` as one alternation grouped by first letter (``a(?:nother|n|)|c(?:ould|an)|...``).

    ``re`` tries the alternatives one by one at every word start; grouped, a word start costs one test per
    first letter (10) instead of one per word (22). The trigger must be followed by a space, so at most one
    alternative can match anywhere and their order does not matter.
    """
    groups: dict[str, list[str]] = {}
    for word in sorted(words):  # a fixed pattern text, whatever the set's order
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(sorted(rests, key=len, reverse=True))})" for first, rests in groups.items())


#: A trigger word - a subject ("he", "they"), a modal, a form of "do" or a singular determiner - and the one or
#: two words after it, joined by single spaces only.
_TRIGGER = re.compile(
    rf"\b({_by_first_letter(_HE_SHE | _PLURAL_SUBJECTS | _MODALS | _DO_FORMS | _SINGULAR_DETERMINERS)})"
    r"(?= ([a-z]+)\b(?:(?! [a-z])|(?= ([a-z]+)\b)))"
)
#: Words ending in "s" that are singular (or uncountable) although a shorter word exists.
_S_SINGULARS = frozenset(
    """news means series species lens bus gas yes thus plus always perhaps various previous famous
    serious obvious nervous this his its us as physics mathematics economics
    politics ethics genetics statistics athletics electronics graphics logistics dynamics mechanics
    tactics basics analytics aerobics diabetes herpes measles mumps rabies headquarters crossroads
    whereabouts savings outskirts premises lots odds""".split()
)


@functools.lru_cache(maxsize=65536)
def _is_base_verb(word: str) -> bool:
    ranks = word_ranks()
    if word not in ranks or len(word) < 2:
        return False
    stem = word[:-1] if word.endswith("e") else word
    has_s = (word + "s") in ranks or (word + "es") in ranks
    has_ing = (stem + "ing") in ranks or (word + word[-1] + "ing") in ranks
    has_ed = (stem + "ed") in ranks or (word + "d") in ranks or (word + word[-1] + "ed") in ranks
    return has_s and (has_ing or has_ed)


@functools.lru_cache(maxsize=65536)
def _is_s_form(word: str) -> bool:
    """``word`` is a verb's third-person form or a noun's plural: ``gets``, ``kilometers``."""
    if len(word) < 4 or word[-1] != "s" or word in _S_SINGULARS or word.endswith(("ss", "us", "is", "ics")):
        return False
    if word not in word_ranks():
        return False
    base = word[:-2] if word.endswith("es") and _is_base_verb(word[:-2]) else word[:-1]
    return _is_base_verb(base) or (base in word_ranks() and base + "s" == word)


def agreement_slips(text: str) -> int:
    """Count agreement and auxiliary slips in ``text``.

    * "he"/"she" + a verb's base form or "have"/"do"/"are" ("he go", "she have"),
      unless an auxiliary or a verb such as "let"/"make" comes before the pronoun
      ("does he know", "will she go"); past forms that look like base forms ("he hit",
      "she saw", "he met") pass;
    * "I"/"we"/"they" + a third-person ``-s`` form, "we"/"they" + "is"/"has"/"does"
      ("they gets", "we is");
    * a modal + a modal or a third-person ``-s`` form ("can will", "will goes"), and
      "do"/"does"/"did" + a pronoun + a modal ("do you can");
    * "a"/"an"/"each"/"every"/"another" + a plural ``-s`` form followed by a function
      word or the end ("a kilometers away"; not the noun adjunct in "a sports car").

    Words are paired only across a single space, so punctuation ends a clause: "If you
    do, you should" or "May, seasons" never count.
    """
    slips = 0
    low = text.lower()
    for m in _TRIGGER.finditer(low):
        a, b, c = m.group(1), m.group(2), m.group(3)
        if a in _HE_SHE:
            before = low[max(0, m.start() - 8) : m.start()].rsplit(" ", 2)
            prev = before[-2] if len(before) >= 2 and before[-1] == "" else ""
            if prev in _QUESTION_AUX:
                continue
            if b in _NOT_AFTER_HE or (
                b[-1] != "s" and b not in FUNCTION_WORDS and b not in _PAST_LIKE_BASE and _is_base_verb(b)
            ):
                slips += 1
        elif a in _PLURAL_SUBJECTS:
            if (b in _NOT_AFTER_THEY and a != "i") or (b not in FUNCTION_WORDS and _verb_s_form(b)):
                slips += 1
        elif a in _MODALS:
            if b in _MODALS or _verb_s_form(b):
                slips += 1
        elif a in _DO_FORMS:
            slips += b in _PRONOUNS and c in _MODALS
        elif _is_s_form(b):  # a singular determiner
            # not a noun adjunct ("a sports car", "a rewards program"): glue or the end follows
            slips += c is None or c in FUNCTION_WORDS
    return slips


def _verb_s_form(word: str) -> bool:
    if not _is_s_form(word):
        return False
    return _is_base_verb(word[:-1]) or (word.endswith("es") and _is_base_verb(word[:-2]))
