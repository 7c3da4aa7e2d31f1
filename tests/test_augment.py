"""Rule-aware augmentation: each copy is the user's own text edited once, and the edit moves the rule it aims at."""

from __future__ import annotations

import pytest

from aligntune.reward_model.augment import KINDS, augment_texts, join_sentences, split_sentences

ANSWERS = [
    "To repot a fern, water it the day before. Then lift it out gently and loosen the roots. "
    "Put it in a pot one size bigger with fresh compost, and water it well afterwards.",
    "A budget starts with your income. Write down every fixed cost, like rent and insurance.\n"
    "Then track what you spend for a month, because small purchases add up quickly.",
    "Boil the pasta in salted water for ten minutes. Drain it, keep a cup of the water, and toss the pasta "
    "with the sauce. Add a little of the water if it looks dry.",
    "Stretch your calves before the run. Start slowly for the first five minutes, then settle into a pace "
    "at which you can still talk. Walk for a few minutes at the end to cool down.",
    "The bus is cheaper than a taxi, and it stops right outside the station. It runs every twenty minutes "
    "until midnight, so you can catch the last one after the concert.",
    "1. Unplug the router.\n2. Wait thirty seconds.\n3. Plug it back in and wait for the lights to settle.",
]
PROMPTS = [
    "How do I repot a fern?", "How do I make a budget?", "How do I cook pasta?",
    "How should I start running?", "How do I get to the concert hall?", "My wifi stopped working, what do I do?",
]


def test_sentences_split_and_join_back_to_the_same_text():
    for text in [*ANSWERS, "One sentence without a stop", "Hi!  Spaces.\n\nNew paragraph? Yes.", "",
                 "\n  Leading space. Trailing space.  \n", 'He said "stop." Then "go!" ok']:
        pieces, seps = split_sentences(text)
        assert join_sentences(pieces, seps) == text
    assert len(split_sentences(ANSWERS[0])[0]) == 3
    assert split_sentences('He said "stop." Then left.')[0] == ['He said "stop."', "Then left."]


def test_copies_are_edited_deterministic_and_spread_over_every_kind():
    copies = augment_texts(ANSWERS * 5, PROMPTS * 5, copies_per_text=2.0, seed=3)
    assert len(copies.texts) == 60 and len(copies.prompts) == 60
    again = augment_texts(ANSWERS * 5, PROMPTS * 5, copies_per_text=2.0, seed=3)
    assert again == copies
    assert augment_texts(ANSWERS * 5, PROMPTS * 5, copies_per_text=2.0, seed=4).texts != copies.texts
    counts = copies.counts()
    assert list(counts) == list(KINDS) and sum(counts.values()) == 60
    assert all(n >= 3 for n in counts.values()), counts  # every kind is made, none crowds the others out
    sources = (ANSWERS * 5)
    for text, prompt, kind, source in zip(copies.texts, copies.prompts, copies.kinds, copies.sources):
        assert text.strip()
        if kind == "other_prompt":
            assert text == sources[source] and prompt != (PROMPTS * 5)[source] and prompt in PROMPTS
        else:
            assert text != sources[source] and prompt == (PROMPTS * 5)[source]


def test_without_prompts_no_copy_gets_another_prompt_and_zero_copies_is_off():
    copies = augment_texts(ANSWERS, None, copies_per_text=3.0, seed=0)
    assert copies.prompts is None and "other_prompt" not in copies.kinds and len(copies.texts) == 18
    off = augment_texts(ANSWERS, PROMPTS, copies_per_text=0, seed=0)
    assert off.texts == [] and sum(off.counts().values()) == 0
    with pytest.raises(ValueError, match="unknown augmentation kinds"):
        augment_texts(ANSWERS, PROMPTS, kinds=["truncate", "paraphrase"])


def _rule_change(kind: str, rule: str) -> list[float]:
    from aligntune.rewards.composite import CompositeReward

    copies = augment_texts(ANSWERS * 2, PROMPTS * 2, copies_per_text=1.0, seed=11, kinds=[kind])
    composite = CompositeReward([rule])
    before = composite.score_components([(ANSWERS * 2)[i] for i in copies.sources],
                                        prompts=[(PROMPTS * 2)[i] for i in copies.sources]).components[rule]
    after = composite.score_components(copies.texts, prompts=copies.prompts).components[rule]
    return [a - b for a, b in zip(after, before)]


@pytest.mark.parametrize(
    ("kind", "rule"),
    [("harmful", "safety"), ("hedge", "helpfulness"), ("shuffle", "coherence"), ("repeat", "coherence"),
     ("rude", "sentiment")],
)
def test_each_edit_lowers_the_rule_it_aims_at(kind, rule):
    pytest.importorskip("aligntune_rewards_basic")
    changes = _rule_change(kind, rule)
    assert sum(changes) / len(changes) < -0.05, changes
    assert sum(c < 0 for c in changes) >= len(changes) // 2, changes


def test_truncated_copies_are_shorter_and_keep_the_start():
    copies = augment_texts(ANSWERS, PROMPTS, copies_per_text=2.0, seed=5, kinds=["truncate"])
    for text, source in zip(copies.texts, copies.sources):
        assert len(text.split()) < len(ANSWERS[source].split())
        assert ANSWERS[source].startswith(text)
