"""``helpfulness`` looks for refusals, hedges and filler only in texts that hold one of a few anchor words
(a set lookup before 69 phrase scans). A gate that stays shut on a phrase the pattern matches would drop
that penalty without a sound, so every string the three patterns can match is put in several contexts here
and must open its gate; a new alternative without its anchor fails this test, not a user's score."""

from __future__ import annotations

from typing import Callable

import pytest

try:  # the regular-expression parser (named sre_parse before Python 3.11)
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

from aligntune_rewards_basic import helpfulness as h
from aligntune_rewards_basic._text import words

#: Where a phrase may stand: alone, mid-sentence, hyphenated, quoted, with a possessive, in brackets, on a line.
CONTEXTS = ("{}", "x {} y", "-{}-", "'{}'", "a-{}-b", "it's {}'s", "({}).", "x\n{}\ny")


def _strings(items: object) -> list[str]:
    """Every string a parsed pattern can match, taking each repeat zero times (when allowed) and once, and a
    digit for a character class (the patterns use classes only for "100%"-style numbers)."""
    out = [""]
    for op, arg in items:  # type: ignore[attr-defined]
        if op is sre_constants.LITERAL:
            alts = [chr(arg)]
        elif op is sre_constants.AT:
            alts = [""]
        elif op is sre_constants.BRANCH:
            alts = [s for branch in arg[1] for s in _strings(branch)]
        elif op is sre_constants.SUBPATTERN:
            alts = _strings(arg[3])
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, sub = arg
            alts = ([""] if low == 0 else []) + (_strings(sub) if high >= 1 else [])
        elif op is sre_constants.IN:
            alts = ["0"]
        else:
            raise AssertionError(f"the expansion does not know {op}; extend _strings")
        out = [a + b for a in out for b in alts]
    return out


@pytest.mark.parametrize(
    "pattern, gate",
    [(h.NON_ANSWER, h.may_refuse), (h.HEDGE, h.may_hedge), (h.FILLER, h.may_fill)],
    ids=["non-answer", "hedge", "filler"],
)
def test_every_phrase_the_pattern_matches_opens_its_gate(pattern, gate: Callable[[set[str]], bool]):
    phrases = set(_strings(sre_parse.parse(pattern.pattern)))
    assert len(phrases) >= 10  # the expansion reached the alternatives
    checked, shut = 0, []
    for phrase in phrases:
        for context in CONTEXTS:
            low = context.format(phrase)
            if pattern.search(low):
                checked += 1
                if not gate(h._word_parts(set(words(low)))):
                    shut.append(low)
    assert checked > len(phrases)
    assert shut == []


def test_a_refusal_still_costs_what_it_did():
    reward = h.helpfulness_reward()
    plain, refusing = reward.score(["Boil the pasta for ten minutes, then drain it and add the sauce.",
                                    "I don't know. Boil the pasta for ten minutes, then drain it and add the sauce."])
    assert refusing < plain
