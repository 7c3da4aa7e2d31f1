"""Speed-ups that must not change a result: the per-text token cache the rules share (same tokens as the
tokeniser, fresh lists, bounded), patterns rewritten to open with a character class (same matches), the
offensive-language model's own term counts (scikit-learn's matrix) and safety's case-sensitive patterns."""

from __future__ import annotations

import re

import pytest
import test_basic_coherence

from aligntune_rewards_basic import _text
from aligntune_rewards_basic import default_rewards
from aligntune_rewards_basic._text import WORD_RE, clear_token_cache, tokens, words
from aligntune_rewards_basic.coherence import _ARTICLE_AT_END

TEXTS = [
    "",
    "   ",
    "Don't mix bleach and ammonia; it's a by-product you never want.",
    "I can't  say.\n\n- step one\n- step two: 3.5 litres of water",
    "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u2014 don\u2019t stop! 100% sure?",
    "the the the the the",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_token_cache()
    yield
    clear_token_cache()


@pytest.mark.parametrize("text", TEXTS)
def test_cached_tokens_equal_the_tokeniser(text: str) -> None:
    low = text.lower()
    first, second = tokens(low), tokens(low)  # a miss, then a hit
    assert first == second == WORD_RE.findall(low)
    assert words(text) == WORD_RE.findall(low)


def test_each_call_gets_its_own_list() -> None:
    low = "keep the plant in bright light"
    mine = tokens(low)
    mine.append("poison")
    mine[0] = "kill"
    assert tokens(low) == ["keep", "the", "plant", "in", "bright", "light"]


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_text, "_TOKEN_CACHE_CHARS", 200)
    texts = [f"text number {i} says something about plants and water" for i in range(50)]
    for t in texts:
        tokens(t)
    assert sum(len(k) + len(v) for k, v in _text._TOKENS.items()) <= 200
    assert all(tokens(t) == WORD_RE.findall(t) for t in texts)


def test_scores_do_not_depend_on_what_was_read_before() -> None:
    texts = TEXTS[2:] + ["Water the basil every morning and keep it in a sunny window."]
    prompts = ["How do I keep basil alive?"] * len(texts)
    rules = default_rewards()
    cold = []
    for rule in rules:
        clear_token_cache()
        cold.append(rule.score(texts, prompts=prompts))
    warm = [rule.score(texts, prompts=prompts) for rule in rules]  # tokens cached by the runs above
    assert warm == cold


ARTICLE_ENDS = [
    "I bought a.", "Put it in the .", "the", "a", "an", "than a", "theta.", "data.", "the.m", "at 9 a.m. sharp",
    "Give me an!", "Is it the?\n", "a\n", "the end.", "an. The", "seta. beta an.", "_the.", "9a.", "\u00e9the.",
    "Use the\t.\nand a  ?", "that's the!? thing", "'the.'", "-an.", "The.", "was it a", "xa", "a b the",
]


def test_article_at_end_matches_the_plain_form() -> None:
    plain = re.compile(r"\b(?:a|an|the)\s*(?:[.!?](?![a-z])|$)")
    texts = ARTICLE_ENDS + [t.lower() for pair in test_basic_coherence.PAIRS for t in pair] + [t.lower() for t in TEXTS]
    for text in texts:
        assert _ARTICLE_AT_END.findall(text) == plain.findall(text), text


def test_offensive_counts_equal_scikit_learns() -> None:
    """The offensive-language model counts terms itself (a bytes path for ASCII strings): the same matrix as
    the vectorizer's own ``CountVectorizer.transform``."""
    from sklearn.feature_extraction.text import CountVectorizer

    from aligntune_rewards_basic._offensive import offensive_model

    model = offensive_model()
    docs = TEXTS + [t for pair in test_basic_coherence.PAIRS for t in pair] + [
        "You IDIOT, you absolute_idiot!!! 2nd try: x y z", "The and of it's a__b __ _", "caf\u00e9_bar DAMN damn",
        "\u0130stanbul \u039f\u0394\u039f\u03a3", "\t\n", "a b c d e f g h",
    ]
    got, expected = model.counts(docs), CountVectorizer.transform(model.vectorizer, docs)
    assert got.shape == expected.shape
    assert (got.indptr == expected.indptr).all() and (got.indices == expected.indices).all()
    assert (got.data == expected.data).all() and got.data.dtype == expected.data.dtype


def test_safety_patterns_match_as_with_ignored_case() -> None:
    """``safety``'s pattern sets run case-sensitively (faster): on lower-cased text, the matches of
    ``re.IGNORECASE``."""
    import test_basic_gated

    from aligntune_rewards_basic import _safety_grading, _safety_stance, _safety_topics
    from aligntune_rewards_basic._gated import GatedPatterns

    stance = [v for v in vars(_safety_stance).values() if isinstance(v, GatedPatterns)]
    sets = [*test_basic_gated.ALL_PATTERN_SETS.values(), *_safety_topics.TOPIC_CUES.values(),
            _safety_grading.MITIGATION_PHRASES, *stance]
    texts = test_basic_gated._corpus()
    for patterns in sets:
        for _, rx in patterns._entries:
            assert not rx.flags & re.IGNORECASE
            folded = re.compile(rx.pattern, re.IGNORECASE)
            assert all(rx.findall(low) == folded.findall(low) for low in texts), rx.pattern
