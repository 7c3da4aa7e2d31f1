"""Trigger-gated patterns: gating changes speed, never results."""

from __future__ import annotations

import re

import pytest
import test_basic_coherence
import test_basic_helpfulness
import test_basic_safety
import test_basic_safety_encouraged
import test_basic_safety_grayzone
import test_basic_sentiment

from aligntune_rewards_basic import _safety_encouraged as enc
from aligntune_rewards_basic import _safety_patterns as pat
from aligntune_rewards_basic._safety_requests import HARMFUL_REQUEST
from aligntune_rewards_basic._gated import GatedPatterns, word_keys

ALL_PATTERN_SETS = {
    **{f"request:{k}": v for k, v in HARMFUL_REQUEST.items()},
    "refusal": pat.REFUSAL,
    "refusal_override": pat.REFUSAL_OVERRIDE,
    "steps": pat.STEPS,
    "sequence": pat.SEQUENCE,
    "threat": pat.THREAT,
    "demeaning": pat.DEMEANING,
    "harmful_detail": pat.HARMFUL_DETAIL,
    "encouraged_harm": enc.ENCOURAGED_HARM,
    "endorsed_harm": enc.ENDORSED_HARM,
}

EXTRA = [
    "I'll kill you.", "You're dead meat.", "Go kill yourself.", "kys", "He was hot-wiring the van.",
    "Detonators and shrapnel.", "I cannot assist with that.", "I can not help.", "You will need a drill.",
    "1. Open the box\n2. Cut the wire", "- take the pills", "No.", "Nope, not doing that.",
    "Talk to a counsellor.", "Self-harm is serious.", "I'd rather not.", "That's illegal.",
    "How do I burglarise a house?", "She is suicidal.", "He overdosed last year.",
    *test_basic_safety_encouraged.HARMLESS, *test_basic_safety_encouraged.NOT_ENCOURAGEMENT,
    *test_basic_safety_encouraged.OTHER_PHRASINGS,
]


def _corpus() -> list[str]:
    texts = list(EXTRA)
    for module in (
        test_basic_safety, test_basic_safety_grayzone, test_basic_safety_encouraged, test_basic_helpfulness,
        test_basic_coherence, test_basic_sentiment,
    ):
        for prompt, better, worse in module.PAIRS:
            texts += [t for t in (prompt, better, worse) if t]
    return [t.replace("\u2019", "'").lower() for t in texts]


@pytest.mark.parametrize("name", sorted(ALL_PATTERN_SETS))
def test_triggers_never_hide_a_match(name):
    patterns = ALL_PATTERN_SETS[name]
    for low in _corpus():
        assert patterns.search(low, word_keys(low)) == patterns.search_ungated(low), (name, low)


def test_gate_groups_must_all_be_present():
    gated = GatedPatterns([(("alpha", "beta gamma"), r"alpha \w+"), (None, r"^zzz")])
    for text, expected in [
        ("alpha beta", True),
        ("alpha delta", False),  # the regex would match; the second group has no word present
        ("zzz top", True),  # ungated entry always runs
        ("gamma", False),
    ]:
        assert gated.search(text, word_keys(text)) is expected, text
    assert gated.count("alpha beta alpha gamma", word_keys("alpha beta alpha gamma")) == 2
    assert len(gated) == 2


def test_word_keys_cover_inflections():
    keys = word_keys("he detonated it, hot-wiring the car; don't")
    assert {"deton", "hot-w", "don't", "he"} <= keys
    assert re.fullmatch(r".{1,5}", max(keys, key=len))
