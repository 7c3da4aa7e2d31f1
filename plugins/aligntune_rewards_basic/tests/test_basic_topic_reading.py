"""The per-text readings the rules share must not change a result: the memoised sentence reading of
``_topic`` (same stems as keying each sentence, bounded, emptied with the token cache), the topic
signals and the unrelated tail read from it (same as the plain per-sentence forms), and the memoised
keyword-list and cut-off readings (same answer on every call)."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from test_basic_helpfulness_drift import ANSWER, OTHER, PROMPT

from aligntune_rewards_basic import _topic
from aligntune_rewards_basic._english import common_words
from aligntune_rewards_basic._prose import cut_off, keyword_list_share
from aligntune_rewards_basic._text import SENTENCE_SPLIT_RE, WORD_RE, TextMemo, clear_token_cache, ramp, sentences
from aligntune_rewards_basic._topic import (
    sentence_reading,
    topic_reading,
    topic_reading_of,
    unrelated_tail,
    weighted_keys,
)

TEXTS = [
    "",
    "   ",
    "One sentence about basil plants",
    "Water the basil. ; Keep it warm!\n\n\n- soil\n- light\n   \n---\nDone?! yes",
    "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u2014 don\u2019t stop! 100% sure? \u0130stanbul is big. The KELVIN \u212a sign.",
    "A record\x1eseparator inside. And another sentence about plants and roots.",
    ANSWER,
    ANSWER + " " + OTHER,
    ANSWER + "\n\nHope this helps! Sure! " + OTHER,
    "Sure! " + OTHER + " " + ANSWER,
]


@pytest.fixture(autouse=True)
def _fresh():
    clear_token_cache()
    yield
    clear_token_cache()


@pytest.mark.parametrize("text", TEXTS)
def test_the_reading_holds_each_sentences_stems(text: str) -> None:
    low = text.lower()
    pieces = SENTENCE_SPLIT_RE.split(low)
    common = common_words()
    for _ in range(2):  # a miss, then a hit
        reading = sentence_reading(low)
        stems = [s.split() for s in reading.stems.split(_topic._MARK)]
        rare = [s.split() for s in reading.rare.split(_topic._MARK)]
        assert stems == [_topic._keys(WORD_RE.findall(p)) for p in pieces]
        assert rare == [[k for k, w in weighted_keys(p) if w == 1.0] for p in pieces]
        assert [pieces[j].strip() for j in reading.sentences] == sentences(low)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("prompt", ["", "How do I repot a root-bound houseplant?", "When did the French Revolution begin?"])
def test_topic_read_from_the_memo_equals_the_plain_reading(text: str, prompt: str) -> None:
    low = text.lower()
    keys = _topic.prompt_keys(prompt)
    assert topic_reading_of(low, sentences(low), keys) == topic_reading(sentences(low), keys)
    with pytest.raises(ValueError):
        topic_reading_of(low, [*sentences(low), "one more"], keys)


def _plain_unrelated_tail(text: str, prompt: list[tuple[str, float]]) -> tuple[int, float] | None:
    """:func:`unrelated_tail` as first written: every sentence keyed on its own, weights as floats."""
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
    if rest < _topic.TAIL_WEIGHT:
        return None
    seen = {k for k, _ in prompt}
    head = sum(w for _, w in prompt)
    reused = sum(w for k, w in tail.items() if k in seen)
    best = None
    for i, ks in enumerate(keyed[:-1]):
        for k, w in ks:
            head += w
            if i:
                tail[k] -= w
                rest -= w
                if k in seen:
                    reused -= w
        for k in {k for k, _ in ks}.difference(seen):
            seen.add(k)
            reused += tail.get(k, 0.0)
        if rest < _topic.TAIL_WEIGHT:
            break
        reuse = reused / rest
        if head >= _topic.HEAD_WEIGHT:
            bound = _topic.REUSE_PER_DOUBLING * math.log2(head / 8.0)
            strength = 1.0 - ramp(reuse, 0.5 * bound, bound)
        elif reuse < _topic.SHORT_HEAD_REUSE and _topic._unannounced_prose(text, starts[i], bounds[i]):
            strength = 1.0 - ramp(reuse, 0.5 * _topic.SHORT_HEAD_REUSE, _topic.SHORT_HEAD_REUSE)
        else:
            continue
        if strength > 0 and (best is None or strength > best[1]) and not _topic._continues_list(
                text, starts[i], bounds[i]):
            best = (bounds[i], strength)
    return best


SHORT_THEN_OTHER = "Repot it in spring. " + OTHER
EXPANDING = "\u0130\u0130\u0130 " + ANSWER + " " + OTHER  # "\u0130" lower-cases to two characters


@pytest.mark.parametrize("text", [*TEXTS, SHORT_THEN_OTHER, EXPANDING, "- one\n- " + OTHER])
@pytest.mark.parametrize("prompt", ["", PROMPT, "When did the French Revolution begin?"])
def test_the_unrelated_tail_equals_the_plain_reading(text: str, prompt: str) -> None:
    weighted = weighted_keys(prompt)
    assert unrelated_tail(text, weighted) == _plain_unrelated_tail(text, weighted)
    assert unrelated_tail(text, weighted) == _plain_unrelated_tail(text, weighted)  # read from the memo


def test_a_tail_after_characters_that_lower_case_longer_is_found_at_the_same_place() -> None:
    found = unrelated_tail(EXPANDING, weighted_keys(PROMPT))
    assert found is not None and EXPANDING[found[0]:].startswith("The French Revolution")


def test_text_memos_are_bounded_and_emptied_with_the_token_cache() -> None:
    memo = TextMemo(100)
    texts = [f"text {i} about plants and water" for i in range(40)]
    for i, t in enumerate(texts):
        memo.put(t, i)
        assert memo.get(t) == i
        assert memo.chars <= 100
    assert 0 < len(memo) < len(texts)
    clear_token_cache()
    assert len(memo) == 0 and memo.get(texts[-1]) is None


def test_the_reading_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_topic._READINGS, "max_chars", 500)
    texts = [f"Plants number {i} need water. They also need light and good soil." for i in range(40)]
    first = [sentence_reading(t.lower()) for t in texts]
    assert _topic._READINGS.chars <= 500
    assert [sentence_reading(t.lower()) for t in texts] == first


LIST = "apples, pears, plums, figs, dates, limes, kiwis, grapes"


def test_memoised_form_readings_give_the_same_answer_every_call() -> None:
    assert keyword_list_share(LIST, 8) == 1.0
    assert keyword_list_share(LIST, 16) == 0.5  # the memo keeps the listed words, not the share
    assert keyword_list_share(LIST, 8) == 1.0
    cut = "Water the plant well and then put it in the"
    assert cut_off(cut) == cut_off(cut) == 1.0
    assert cut_off(cut + " pot.") == 0.0


def test_the_word_caches_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from aligntune_rewards_basic import _markers

    texts = [*TEXTS, *(f"Step {i}: water plant number {i} with {i + 2} cups, then wait." for i in range(30))]
    expected = [(sentence_reading(t.lower()), _markers.read_markers(t)) for t in texts]
    most = max(len(t.split()) for t in texts)
    monkeypatch.setattr(_topic, "_WORD_LIMIT", 5)
    monkeypatch.setattr(_markers, "_TOKEN_LIMIT", 5)
    for i in range(3):  # words never seen: each text empties the full caches, then learns its own
        flush = f"Quokka{i} zyzzyva{i} xylem{i}."
        sentence_reading(flush.lower())
        _markers.read_markers(flush)
        assert len(_topic._STEM) <= 6 + 3 and len(_markers._CORE) <= 5 + 3
    for text, (reading, markers) in zip(texts, expected):
        clear_token_cache()
        assert sentence_reading(text.lower()) == reading
        assert _markers.read_markers(text) == markers
        assert len(_topic._STEM) <= 6 + most and len(_markers._CORE) <= 5 + most


@pytest.mark.parametrize("text", [
    *TEXTS, "1. one", " - two", "intro:\n  * item", "x\n\n3) three", "no list - here", "2.5 cups\nand 3.5",
    "line\n-not a bullet", "a\n\u2022 b", "\n\n12. twelve", "tab\t- x", "\u00a0- nbsp",
])
def test_the_list_line_check_equals_the_single_pattern(text: str) -> None:
    from aligntune_rewards_basic.helpfulness import _LIST_LINE, has_list_line

    assert has_list_line(text) == (_LIST_LINE.search(text) is not None)


@pytest.mark.parametrize("text", [
    *TEXTS, "call f(x) now", "see (this)", "x = 1", "a=b", "std::vector", "my_var", "_x", "a--b", "-- x",
    "--verbose", "{", "end;", "end; ", "end;\n", "a; b", "<b>bold</b>", "< b >", "np.array(", "e.g. (", "\u00e9(",
    "x \u00a0=\u00a0y", "2 = 3", "snake_", "<br/>",
])
def test_the_code_check_equals_the_single_pattern(text: str) -> None:
    from aligntune_rewards_basic.helpfulness import _CODE, looks_like_code

    assert looks_like_code(text) == (_CODE.search(text) is not None)


@pytest.mark.parametrize("text", TEXTS)
def test_marked_tokens_are_the_tokens_with_each_sentence_boundary_marked(text: str) -> None:
    from aligntune_rewards_basic._text import SENTENCE_MARK, marked_tokens, tokens

    low = text.lower()
    if SENTENCE_MARK in low:
        with pytest.raises(ValueError):
            marked_tokens(low)
        assert tokens(low) == WORD_RE.findall(low)
        return
    for _ in range(2):  # a miss, then a hit
        marked = marked_tokens(low)
        assert [s.split() for s in marked.split(SENTENCE_MARK)] == [WORD_RE.findall(p) for p in SENTENCE_SPLIT_RE.split(low)]
        assert tokens(low) == WORD_RE.findall(low)
