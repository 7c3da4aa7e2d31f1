"""The demo's held-out prompts and its before/after comparison (no model needed)."""

from __future__ import annotations

import pytest

from aligntune.data.corpus import load_bundled_corpus
from aligntune.data.heldout import load_heldout_prompts, load_validation_prompts
from aligntune.data.templates import TOPICS
from aligntune.demo.evaluate import PolicyEval, compare, paired_interval


def test_held_out_prompts_are_new_topics_and_phrasings():
    test, validation = load_heldout_prompts(), load_validation_prompts()
    assert len(test) >= 64 and len(validation) >= 16
    held = test + validation
    assert len(set(held)) == len(held)
    training = {p for prompts, _ in TOPICS.values() for p in prompts}
    assert not training & set(held)
    assert not set(load_bundled_corpus(500).prompts) & set(held)
    # no held-out prompt shares a content word of four letters or more with a training topic's name
    topic_words = {w for name in TOPICS for w in name.split("_") if len(w) >= 4}
    for prompt in held:
        words = {w.strip("?.,!'").lower() for w in prompt.split()}
        assert not words & topic_words, prompt


def test_paired_interval_finds_a_shift_and_no_shift():
    before = [0.5 + 0.01 * (i % 7) for i in range(80)]
    same = paired_interval(before, before)
    assert same["gain"] == 0 and same["low"] == 0 and same["high"] == 0
    up = paired_interval(before, [b + 0.05 + 0.02 * ((i % 3) - 1) for i, b in enumerate(before)])
    assert up["low"] > 0.04 and up["high"] < 0.06 and up["low"] < up["gain"] < up["high"]
    noisy = paired_interval(before, [b + (0.1 if i % 2 else -0.1) for i, b in enumerate(before)])
    assert noisy["low"] < 0 < noisy["high"]


def _eval(prompts, gold, words):
    return PolicyEval(prompts=prompts, proxy=gold, gold=gold, gold_without=gold,
                      components={"length": gold}, words=words, samples=[])


def test_compare_reports_each_figure_before_and_after():
    prompts = [f"p{i}" for i in range(20)]
    result = compare(_eval(prompts, [0.5] * 20, [10.0] * 20), _eval(prompts, [0.6] * 20, [20.0] * 20))
    assert result["gold"]["gain"] == pytest.approx(0.1) and result["gold"]["low"] == pytest.approx(0.1)
    assert result["mean_words"] == {"before": 10.0, "after": 20.0} and result["prompts"] == 20
    with pytest.raises(ValueError, match="same prompts"):
        compare(_eval(prompts, [0.5] * 20, [1.0] * 20), _eval(prompts[::-1], [0.5] * 20, [1.0] * 20))
