"""``helpfulness``: hand-written pairs, relevance and the factory's parameters."""

from __future__ import annotations

import pytest

from aligntune.errors import ConfigurationError
from aligntune_rewards_basic import helpfulness_reward, safety_reward

# (prompt, clearly better (substantive, on-topic) response, clearly worse response)
PAIRS = [
    (
        "How do I keep basil alive indoors?",
        "Put it on a sunny windowsill with at least six hours of light, water when the top inch of soil is "
        "dry, and pinch off flower buds so the leaves stay tender.",
        "I don't know.",
    ),
    (
        "How do I reverse a list in Python?",
        "Use `my_list.reverse()` to reverse the list in place, or `my_list[::-1]` to get a reversed copy "
        "without changing the original.",
        "I'm not sure, you could try searching online.",
    ),
    (
        "What causes the seasons on Earth?",
        "Earth's axis is tilted about 23.5 degrees, so as it orbits the Sun each hemisphere leans toward it "
        "for part of the year. More direct sunlight and longer days make summer; the opposite makes winter.",
        "That's a great question! Seasons are interesting and many people wonder about them.",
    ),
    (
        "Can you recommend a laptop for programming under $1000?",
        "The MacBook Air M2 (8-core CPU, 16 GB RAM) or a ThinkPad T14 with a Ryzen 7 and 16 GB are both under "
        "$1000 and handle compilers, Docker and an IDE comfortably; get at least 512 GB of storage.",
        "It depends on what you need. There are many options out there.",
    ),
    (
        "How do I fix a leaky faucet?",
        "Turn off the water under the sink, remove the handle, unscrew the cartridge or stem, and replace the "
        "worn washer or O-ring; then reassemble and turn the water back on to check for drips.",
        "Sorry, but I can't help with that.",
    ),
    (
        "What is the boiling point of water at sea level?",
        "Water boils at 100 °C (212 °F) at sea level, because atmospheric pressure there is about 101.3 kPa; "
        "at higher altitudes the boiling point is lower.",
        "Basil grows best on a sunny windowsill with six hours of light and soil that dries out between "
        "waterings.",
    ),
    (
        "Translate 'good morning' into Spanish.",
        "'Good morning' in Spanish is 'Buenos días', usually said until around noon.",
        "As an AI, I cannot be certain about translations.",
    ),
    (
        "How many days are in a leap year?",
        "A leap year has 366 days: the extra day, February 29, keeps the calendar aligned with Earth's orbit.",
        "Maybe 365? I think it might be something like that, not sure.",
    ),
    (
        "Write a SQL query to count users by country.",
        "SELECT country, COUNT(*) AS users FROM users GROUP BY country ORDER BY users DESC;",
        "I don't have access to your database, so I can't answer that.",
    ),
    (
        "What's a healthy breakfast?",
        "Oatmeal with berries and a spoon of nut butter, or Greek yogurt with fruit and seeds, gives you "
        "fibre, protein and slow-release energy for the morning.",
        "Food.",
    ),
    (
        "How can I improve my sleep?",
        "Keep a fixed wake-up time, avoid caffeine after 2 pm, dim screens an hour before bed, and keep the "
        "bedroom cool (around 18 °C) and dark.",
        "Hard to say, everyone is different. Who knows really.",
    ),
    (
        "What is the difference between a virus and a bacterium?",
        "Bacteria are living single cells that can reproduce on their own and are often treated with "
        "antibiotics; a virus is much smaller, has no metabolism and can only copy itself inside a host "
        "cell, so antibiotics do not work on it.",
        "The stock market rose sharply on Tuesday after the central bank held interest rates steady for "
        "the third month in a row.",
    ),
]


@pytest.mark.parametrize("prompt,better,worse", PAIRS, ids=[p[0][:30] for p in PAIRS])
def test_helpfulness_ranks_hand_written_pairs(prompt, better, worse):
    fn = helpfulness_reward()
    good, bad = fn.score([better, worse], prompts=[prompt, prompt])
    assert good > bad + 0.1, (good, bad)
    assert good >= 0.55, (good, bad)


def test_non_answers_score_low_without_a_prompt():
    fn = helpfulness_reward()
    non_answers = [
        "I don't know.",
        "I'm not sure.",
        "I can't help with that.",
        "No idea, sorry.",
        "I'm sorry, but I am unable to provide that information.",
    ]
    answer = (
        "Preheat the oven to 200 °C, toss the potatoes in olive oil and salt, and roast them for 40 minutes, "
        "turning once, until golden."
    )
    scores = fn.score(non_answers + [answer])
    assert max(scores[:-1]) < 0.15 < 0.6 < scores[-1]


def test_reference_makes_the_right_answer_win():
    fn = helpfulness_reward()
    prompt = "Who wrote Pride and Prejudice?"
    reference = "Jane Austen wrote Pride and Prejudice, first published in 1813."
    right = "It was written by Jane Austen and first published in 1813."
    wrong = "It was written by Charles Dickens during the Victorian era."
    good, bad = fn.score([right, wrong], prompts=[prompt] * 2, references=[reference] * 2)
    assert good > bad + 0.1
    # without the reference both are equally "substantive", so the reference did the work
    plain = fn.score([right, wrong], prompts=[prompt] * 2)
    assert abs(plain[0] - plain[1]) < good - bad


def test_refusing_a_harmful_request_is_unhelpful_but_safe():
    prompt = ["How do I make a pipe bomb?"]
    refusal = ["I can't help with making explosives; they are illegal and can kill people."]
    assert helpfulness_reward().score(refusal, prompts=prompt)[0] < 0.3
    assert safety_reward().score(refusal, prompts=prompt)[0] > 0.85


def test_factory_parameters_change_behaviour():
    prompt = ["What is the boiling point of water at sea level?"]
    off_topic = ["Basil grows best on a sunny windowsill with six hours of light and well-drained soil."]
    blind = helpfulness_reward(relevance_weight=0.0)
    assert blind.score(off_topic, prompts=prompt)[0] > helpfulness_reward().score(off_topic, prompts=prompt)[0]
    hedge = ["I'm not sure, but I think water boils at 100 degrees Celsius at sea level."]
    assert helpfulness_reward(non_answer_cap=0.5).score(hedge)[0] > helpfulness_reward().score(hedge)[0]
    soft = ["Maybe it is probably around 100 degrees, I guess, perhaps a bit less at altitude."]
    assert helpfulness_reward(hedge_cost=0.0).score(soft)[0] > helpfulness_reward().score(soft)[0]


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"non_answer_cap": 0.9}, r"non_answer_cap=.*<= 0.5, got 0.9"),
        ({"relevance_weight": 2}, r"relevance_weight=.*<= 1, got 2"),
        ({"hedge_cost": True}, r"hedge_cost=.*finite number, got bool"),
    ],
)
def test_factory_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        helpfulness_reward(**kwargs)


def test_substring_gates_never_hide_a_pattern_match():
    """``helpfulness`` runs NON_ANSWER/HEDGE/FILLER only on texts holding one of their gate
    strings; every match must contain one, or a refusal or hedge would go unnoticed."""
    import random

    from aligntune_rewards_basic import helpfulness as h

    pieces = (
        "i really honestly just don't do not dont know i'm am im not entirely sure certain no idea clue "
        "i have can't cannot can won't will unable to able help say tell information access sorry, but as "
        "an ai must decline refuse hard difficult impossible for me who knows ask someone somebody else "
        "look it up google figure out yourself on your own comment beyond my knowledge abilities maybe "
        "perhaps probably possibly think guess suppose believe sort kind of it depends might be could or "
        "something great good interesting excellent question many people wonder there are lots a several "
        "options factors ways it's is complicated complex tricky one everyone different depends on what you "
        "your needs situation the plants water ."
    ).split() + ["it's a tricky one", "it is complex", "there are many options", "everyone is different",
                 "no comment", "who knows", "look it up", "google it", "can't really say", "or something"]
    rng = random.Random(5)
    pairs = ((h.NON_ANSWER, h._NON_ANSWER_WORDS), (h.HEDGE, h._HEDGE_WORDS), (h.FILLER, h._FILLER_WORDS))
    found = 0
    for _ in range(4000):
        low = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        for pattern, gate in pairs:
            if pattern.search(low):
                found += 1
                assert h._has_any(low, gate), (pattern.pattern[:40], low)
    assert found > 500  # the generated texts do exercise the patterns


def test_rewritten_patterns_match_their_plain_forms():
    """Two patterns are written to start with a character class (so ``re`` can skip ahead);
    they must find exactly what their plain forms find."""
    import random
    import re

    from aligntune_rewards_basic import helpfulness as h
    from aligntune_rewards_basic._text import SENTENCE_SPLIT_RE

    plain_split = re.compile(r"[.!?;]+(?:\s+|$)|\n+")
    plain_proper = re.compile(r"(?<=[a-z,;] )([A-Z][a-z]+)")
    rng = random.Random(4)
    alphabet = list(".!?;\n \t\r\x0b\u2028\u00a0abAB,") + ["...", "?!", "\n\n", ". ", "e.g. ", "x, Paris", "; Then"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20))) for _ in range(20000)]
    for text in texts:
        assert SENTENCE_SPLIT_RE.split(text) == plain_split.split(text), repr(text)
        assert h._PROPER_NOUN.findall(text) == plain_proper.findall(text), repr(text)
