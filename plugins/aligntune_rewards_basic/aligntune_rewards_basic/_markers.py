"""Helpfulness markers read in place: does each one do its job where it stands?

Words such as "First,", "Also,", "for example", "three" or "Step 1:" are what an answer
with structure and detail contains, so a rule that counts them anywhere pays a policy for
sprinkling them. Here a marker counts only where it works:

* a **sequencing word** ("First", "Next", "Then", "Finally", "Step 2:") counts as a step
  when it opens a sentence, a line or a clause ("..., then bake it", "you then add") and
  a word that is not another marker follows it;
* a **number** counts as a quantity when it measures something: a unit or a plural noun
  follows ("three cups", "5 minutes", "three main reasons", "10 of them"), it carries its
  own structure ("1990", "3.5", "$20", "40%", "5-minute") or it sits in a formula ("x = -2");
* **"for example" / "for instance" / "e.g."** count when set off as an example (after a
  sentence start, a comma, a colon or a parenthesis, or followed by a comma or colon)
  and words follow; **"such as"** counts after a noun or a comma.

A marker in a place no writer puts it is padding and counts as **misplaced**: a
capitalised opener in the middle of a sentence ("the soil Also, drains", "In summary,"
mid-sentence), a comma opener before a new sentence start ("Next, The capital"), an
example phrase with nothing setting it off ("water for example the plants") or with no
example after it, "such as" after a function word.

Every marker occurrence, placed or not, counts toward the density per word, and so do
"most important" and number words that measure nothing mid-sentence ("created three
by"). Ordinals and adverbs inside a sentence ("the first batch", "is also known") are
ordinary words, not markers, and digits never count toward density (tables, dates).

Pure Python over one whitespace tokenisation of the raw text (case and punctuation kept);
only candidate tokens are looked at closely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress

from aligntune_rewards_basic._text import FUNCTION_WORDS, normalise

#: Words that open a step of a sequence.
SEQUENCE_WORDS = frozenset(
    "first firstly second secondly third thirdly next then finally lastly afterwards afterward".split()
)
#: Openers that join or sum up ("Also,", "In summary,"); they carry no content of their own.
CONNECTIVE_WORDS = frozenset(
    "also additionally moreover furthermore besides importantly specifically overall".split()
)
#: Number words that can quantify ("one" is left out: it is mostly a pronoun).
NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty hundred "
    "hundreds thousand thousands million millions billion dozen dozens".split()
)
#: Units and measure words a number quantifies even when singular ("5 kg", "2 cup").
UNITS = frozenset(
    "mg g kg lb lbs oz ml l cm mm m km ft in inch mile miles km/h mph kb mb gb tb hz ghz v w kw kwh "
    "percent degree degrees x am pm cup tbsp tsp pound ounce gram liter litre minute hour day week month "
    "year second times".split()
)
#: Normalised keys of marker vocabulary: never counted as substance (content words).
MARKER_KEYS = frozenset(
    normalise(w)
    for w in (
        " ".join(SEQUENCE_WORDS | CONNECTIVE_WORDS | NUMBER_WORDS)
        + " step steps example examples instance summary conclusion important"
    ).split()
)

_STRIP = "\"'()[]{}*_,.;:!?\u2026\u201c\u201d\u2018\u2019`<>-\u2013\u2014#"
_DIGITS = re.compile(r"^\$?\d+(?:[.,:/]\d+)*%?$")
_STRUCTURED_NUMBER = re.compile(r"^\$|%$|\d[.,:/]\d|^\d{3,}$")
_BOUNDARY_END = (".", "!", "?", ":", ";")
_SET_OFF_BEFORE = (",", "(", ";", ":", "\u2014", "-", "\u2013")
_BULLET = re.compile(r"^(?:[-*\u2022]|\d+[.)]|[a-z][.)])$")
_EXAMPLE_PHRASES = (("for", "example"), ("for", "instance"))
#: Lower-cased cores worth a closer look (numbers are recognised by their first character).
_CANDIDATES = SEQUENCE_WORDS | CONNECTIVE_WORDS | NUMBER_WORDS | {"step", "for", "e.g", "such", "most", "in"}
#: Words that cannot be the content a marker introduces.
_NOT_CONTENT = SEQUENCE_WORDS | CONNECTIVE_WORDS | {"step", "e.g", "such", "most"}


_MATH = re.compile(r"\d[a-z^]|[a-z^(]\d|\d[=+*/<>]|[=+*/<>]\d")
_OPERATORS = frozenset("= + - * / x \u00d7 ^ < > \u2264 \u2265 \u2212".split())
#: Words after which a lower-case sequencing word still opens a step ("you then add", "and then").
_BEFORE_STEP = frozenset("and or i you we they he she would will should can could must to".split())
_COMPOUND_NUMBER = re.compile(r"^\d+(?:-\w+)+$")
#: The line boundaries of ``str.splitlines`` (one search finds the first, where a set's ``isdisjoint`` would
#: look up every character of the text).
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _measured(word: str) -> bool:
    """Whether ``word`` can be what a number quantifies: a unit or a plural noun."""
    return word in UNITS or (
        len(word) > 3 and word.endswith("s") and not word.endswith("ss") and word not in FUNCTION_WORDS
        and normalise(word) not in MARKER_KEYS)


@dataclass(frozen=True)
class MarkerReading:
    """What the markers of one text do.

    ``quantity``, ``example`` and ``steps`` say whether at least one marker of that kind does
    its job; ``markers`` counts every marker occurrence, ``misplaced`` those in a place no
    writer puts them; ``words`` is the number of whitespace tokens.
    """

    quantity: bool
    example: bool
    steps: bool
    markers: int
    misplaced: int
    words: int

    @property
    def density(self) -> float:
        """Markers per word (0 for an empty text)."""
        return self.markers / self.words if self.words else 0.0


#: whitespace token -> its lower-cased core (stripped of :data:`_STRIP`), and -> whether its core is worth
#: a closer look (in :data:`_CANDIDATES`, or a number: it starts with a digit or "$"). Bounded: emptied
#: past :data:`_TOKEN_LIMIT` tokens.
_CORE: dict[str, str] = {}
_CANDIDATE: dict[str, bool] = {}
_TOKEN_LIMIT = 200_000


def _learn(tokens: list[str]) -> None:
    """Learn the tokens of one text that are not known yet (after emptying the caches when full)."""
    if len(_CORE) > _TOKEN_LIMIT:
        _CORE.clear()
        _CANDIDATE.clear()
    for token in set(tokens).difference(_CORE):
        core = _CORE[token] = token.lower().strip(_STRIP)
        _CANDIDATE[token] = core in _CANDIDATES or core[:1].isdigit() or core[:1] == "$"


def read_markers(text: str) -> MarkerReading:
    """Read every marker of ``text`` in place (see the module docstring)."""
    # The tokens of every line, in order, are the whitespace tokens of the whole text, and
    # lower-casing neither makes nor removes whitespace nor touches _STRIP's characters, so
    # each token's lower-cased core is its token lower-cased and stripped.
    raws = text.split()
    n = len(raws)
    worth = list(map(_CANDIDATE.get, raws))
    if None in worth:  # tokens not seen before
        _learn(raws)
        worth = list(map(_CANDIDATE.__getitem__, raws))
    candidates = list(compress(range(n), worth))
    if not candidates:
        return MarkerReading(False, False, False, 0, 0, n)
    cores = list(map(_CORE.__getitem__, raws))
    if _LINE_BREAK.search(text) is None:
        line_starts = {0}
    else:
        line_starts = set()
        count = 0
        for line in text.splitlines():
            width = len(line.split())
            if width:
                line_starts.add(count)
                count += width
    quantity = example = steps = False
    markers = misplaced = 0
    core_of = cores.__getitem__

    def opens(i: int) -> bool:
        """Token ``i`` starts a sentence, a line or a list item."""
        if i in line_starts:
            return True
        prev = raws[i - 1]
        return prev.endswith(_BOUNDARY_END) or bool(_BULLET.match(prev))

    def word_follows(i: int) -> bool:
        """A word that is not itself a marker follows token ``i``."""
        return i + 1 < n and any(c.isalnum() for c in raws[i + 1]) and core_of(i + 1) not in _NOT_CONTENT


    skip_to = 0
    for i in candidates:
        if i < skip_to:
            continue
        raw = raws[i]
        core = cores[i]
        # "Step 2:" / "step 3."
        if core == "step" and i + 1 < n and _DIGITS.match(core_of(i + 1)):
            markers += 1
            if opens(i):
                steps = steps or word_follows(i + 1)
            elif raw[0].isupper() and raws[i + 1].endswith((",", ":", ".")):
                misplaced += 1
            skip_to = i + 2
            continue
        if core == "in" and i + 1 < n and core_of(i + 1) in ("summary", "conclusion"):
            markers += 1  # "In summary," sums up; mid-sentence and capitalised it is padding
            if not opens(i) and raw[0].isupper() and raws[i - 1][-1:] not in _BOUNDARY_END:
                misplaced += 1
            skip_to = i + 2
            continue
        if core in SEQUENCE_WORDS or core in CONNECTIVE_WORDS:
            # "First, The capital": a comma opener followed by a new sentence start is padding
            restart = raw.endswith(",") and i + 1 < n and raws[i + 1][:1].isupper() and (
                core_of(i + 1) in FUNCTION_WORDS and core_of(i + 1) != "i")
            if restart:
                markers += 1
                misplaced += 1
            elif opens(i) or raws[i - 1].endswith(",") or raws[i - 1] in _BEFORE_STEP:  # "..., then bake it"
                markers += 1
                steps = steps or (core in SEQUENCE_WORDS and word_follows(i))
            elif raw[0].isupper() and raw.endswith((",", ":")) and raws[i - 1][-1:] not in _BOUNDARY_END:
                markers += 1
                misplaced += 1  # "... the soil Also, drains"
            # otherwise an ordinal or adverb inside a sentence ("the first batch", "is also"): not a marker
            continue
        if i + 1 < n and (core, core_of(i + 1)) in _EXAMPLE_PHRASES or core in ("e.g", "e.g."):
            width = 1 if core.startswith("e.g") else 2
            last = raws[i + width - 1]
            markers += 1
            set_off = opens(i) or raws[i - 1].endswith(_SET_OFF_BEFORE) or raw.startswith("(") or (
                last.endswith((",", ":")))
            nxt = i + width
            if set_off and (last.endswith(":") and nxt < n or word_follows(nxt - 1)):
                example = True
            else:
                misplaced += 1  # nothing sets it off, or no example follows
            skip_to = i + width
            continue
        if core == "most" and i + 1 < n and core_of(i + 1) == "important":
            markers += 1  # emphasis without content: counted for density only
            skip_to = i + 2
            continue
        if core == "such" and i + 1 < n and core_of(i + 1) == "as":
            markers += 1
            after_noun = i > 0 and (raws[i - 1].endswith(",") or (
                core_of(i - 1) not in FUNCTION_WORDS and normalise(core_of(i - 1)) not in MARKER_KEYS))
            if after_noun and word_follows(i + 1):
                example = True
            elif not after_noun:
                misplaced += 1
            skip_to = i + 2
            continue
        if not quantity and core[:1].isdigit() and (_MATH.search(raw) or any(
                raws[j] in _OPERATORS for j in (i - 1, i + 1) if 0 <= j < n)):
            quantity = True  # a number in a formula: "x = -2", "2k + 1"
        elif not quantity and (core in NUMBER_WORDS or _DIGITS.match(core) or _COMPOUND_NUMBER.match(core)):
            if (_STRUCTURED_NUMBER.search(core) or _COMPOUND_NUMBER.match(core)) and not opens(i):
                quantity = True
            else:
                # the next word, or the one after an adjective ("three main reasons")
                nxt = core_of(i + 1) if i + 1 < n else ""
                quantity = (nxt in ("of", "or", "to") or _measured(nxt) or (
                    i + 2 < n and _measured(core_of(i + 2)))) and not raws[i].endswith((",", ".", ":", ";"))
                if not quantity and core in NUMBER_WORDS and not opens(i) and raw[-1:].isalnum():
                    markers += 1  # a number word that measures nothing: "created three by"
    return MarkerReading(quantity, example, steps, markers, misplaced, n)
