"""coherence against the gaming classes of issue 20, on texts written for these tests."""

from __future__ import annotations

import pytest

from aligntune_rewards_basic import coherence_reward
from aligntune_rewards_basic._english import nonword_share, word_ranks
from aligntune_rewards_basic._grammar import agreement_slips
from aligntune_rewards_basic._prose import cut_off, keyword_list_share, shouting
from aligntune_rewards_basic._topic import topic
from aligntune_rewards_basic._text import sentences

PROMPT = "How do I look after a sourdough starter?"
ANSWER = (
    "Feed your sourdough starter once a day with equal weights of flour and water. Keep the starter in a "
    "clean glass jar at room temperature, loosely covered so it can breathe. Before each feeding, discard "
    "about half of the starter, then stir in the fresh flour and water until no dry flour is left. A healthy "
    "starter doubles within six to eight hours and smells pleasantly sour. If you bake only at weekends, "
    "keep the jar in the fridge and feed the starter once a week, then give it two feedings at room "
    "temperature before you bake. A grey liquid on top means the starter is hungry: pour it off and feed it."
)
#: An answer to another question, as an undertrained policy drifts into.
OTHER = (
    "Choosing a laptop for programming comes down to memory, keyboard and screen. Sixteen gigabytes of memory "
    "let you run an editor, a browser and containers side by side. A comfortable keyboard matters more than a "
    "thin case, because you type all day. A high resolution screen shows more code at once, and a matte "
    "finish reduces glare in bright offices. Battery life above eight hours helps when you work away from a "
    "desk, and a fast solid state drive shortens build times noticeably."
)


def score(text: str, prompt: str | None = PROMPT) -> float:
    return coherence_reward().score([text], prompts=[prompt])[0]


def test_the_plain_answer_is_coherent():
    assert score(ANSWER) >= 0.95
    assert score(ANSWER, None) >= 0.95


def test_shouting_in_capitals_costs_most_of_the_score():
    assert shouting(ANSWER.upper()) == 1.0
    assert shouting("Use the NASA API and the AWS CLI to fetch it.") == 0.0  # acronyms are content words
    assert score(ANSWER.upper()) <= 0.2


def test_emoji_and_exclamation_spam_costs_most_of_the_score():
    spam = ANSWER.replace(". ", "!!! \U0001f525\U0001f525\U0001f389 ")
    assert score(spam) <= 0.2
    assert score(ANSWER.replace("sour.", "sour! \U0001f642")) >= 0.9  # one emoji is fine


def test_bare_keyword_list_scores_near_zero_but_a_series_in_a_sentence_does_not():
    keywords = "sourdough, starter, flour, water, jar, fridge, feeding, discard, bake, weekend, sour, liquid."
    assert keyword_list_share(keywords, 12) == 1.0
    assert score(keywords) <= 0.05
    series = "You need flour, water, a jar, a spoon, a scale, a cloth and some patience to start one."
    assert keyword_list_share(series, 17) == 0.0


@pytest.mark.parametrize(
    "cut,expected",
    [
        (" ".join(ANSWER.split()[:60]), 0.5),  # a content word, mid-sentence
        ("Feed the starter every day and keep the jar at room temperature so that the", 1.0),  # an article
        ("Here is what you need: * flour * water * a clean glass jar *", 1.0),  # an empty list marker
    ],
)
def test_a_text_cut_off_mid_sentence_is_caught(cut, expected):
    assert cut_off(cut) == expected
    assert score(cut) <= 0.2


@pytest.mark.parametrize(
    "text",
    [
        "Steps:\n- Feed it daily\n- Keep it warm\n- Discard half before feeding",  # list items
        "Roses are red\nViolets are blue\nSugar is sweet\nAnd so are you",  # verse
        "ok thanks. will try that tonight and let you know",  # lower-case chat
        "How To Keep A Sourdough Starter Alive",  # a title
        "See https://example.org/starter",  # a URL
    ],
)
def test_texts_that_end_without_a_full_stop_on_purpose_are_not_cut_off(text):
    assert cut_off(text) == 0.0


def test_an_unrelated_answer_appended_lowers_the_score():
    assert score(ANSWER + " " + OTHER) < score(ANSWER) - 0.2
    share, n_keys, drift = topic(sentences(ANSWER + " " + OTHER), set())
    assert drift is not None and drift >= 0.9
    assert topic(sentences(ANSWER), set())[2] < 0.9


def test_word_salad_from_other_texts_scores_low_with_a_prompt():
    # pairs of words that each occur in the two texts above, chained: locally plausible, globally adrift
    salad = (
        "Feed your laptop for programming comes down to the fridge and screen. Sixteen gigabytes of flour let "
        "you bake only at weekends, keep the browser and containers side by side. A comfortable keyboard "
        "matters more than a healthy starter doubles within six to eight hours of memory. A grey liquid on top "
        "means the battery life above eight hours helps when you type all day. If you work away from a matte "
        "finish reduces glare in a clean glass jar at room temperature, loosely covered so it can breathe. "
        "Before each feeding, discard about half of code at once, and smells pleasantly sour."
    )
    assert score(salad) < 0.6 and score(salad) < score(ANSWER) - 0.4


def test_a_sentence_said_again_right_after_itself_is_a_loop():
    first, rest = ANSWER.split(". ", 1)
    looped = f"{first}. {first}. {first}. {rest}"
    assert score(looped) <= 0.3
    # a refrain that comes back later is not a loop
    song = "We sing all night. The moon is bright. We sing all night. The stars are out. We sing all night."
    assert coherence_reward(repetition_tolerance=0.4).score([song])[0] >= 0.6


@pytest.mark.parametrize(
    "slip,fixed",
    [
        ("He go to the bakery every morning before work.", "He goes to the bakery every morning before work."),
        ("They gets the bread before the shop opens.", "They get the bread before the shop opens."),
        ("You can will see the bubbles after a day.", "You will see the bubbles after a day."),
        ("Do you can feed it twice a day?", "Can you feed it twice a day?"),
        ("She have fed the starter already today.", "She has fed the starter already today."),
    ],
)
def test_agreement_and_auxiliary_slips_are_counted(slip, fixed):
    assert agreement_slips(slip) == 1
    assert agreement_slips(fixed) == 0
    assert score(slip, None) < score(fixed, None)


@pytest.mark.parametrize(
    "text",
    [
        "Does he know how often to feed it?",
        "He hit the jar by accident and she saw the mess.",
        "If you do, you should feed it twice.",
        "Buy a sports bag and a rewards card.",
        "A series of feedings makes it strong.",
    ],
)
def test_grammatical_pairs_are_not_slips(text):
    assert agreement_slips(text) == 0


def test_non_words_come_from_symspellpys_dictionary():
    assert len(word_ranks()) > 80_000
    share, distinct = nonword_share("The quixotic florbish wended its glombrous way throught the marketplce.")
    assert distinct >= 8 and share >= 0.3
    assert nonword_share(ANSWER)[0] == 0.0
    # code, identifiers, URLs and names are not English words and are skipped
    assert nonword_share("Call `np.fromfile` or read https://numpy.org with Zorblax.")[0] == 0.0
    gibberish = "The florbish glombrous quandle sprock and the flimbat wendled a mornable dask in the zibbet."
    assert score(gibberish, None) < 0.6


#: A short answer that closes itself, then another answer that opens with assent.
SHORT_ANSWER = (
    "Feed the sourdough starter once a day with equal weights of flour and water, and keep the jar "
    "loosely covered. I hope this helps!"
)
RESTARTED = "Sure! Here are three tips for choosing a laptop: buy sixteen gigabytes of memory, a comfortable keyboard and a matte screen."


def test_an_answer_restarted_after_a_closing_formula_lowers_the_score():
    # too short for the length-based drift reading alone; the restart marks the boundary
    from aligntune_rewards_basic._topic import topic_reading

    joined = SHORT_ANSWER + " " + RESTARTED
    restart = topic_reading(sentences(joined.lower()), set())[3]
    assert restart is not None and restart >= 0.85
    assert score(joined) < score(SHORT_ANSWER) - 0.5
    # the same answer going on about its own subject after "hope this helps" is not a restart
    own = SHORT_ANSWER + " If the starter smells of nail varnish, feed the starter flour and water twice a day."
    assert topic_reading(sentences(own.lower()), set())[3] < 0.7
    assert score(own) >= 0.9
