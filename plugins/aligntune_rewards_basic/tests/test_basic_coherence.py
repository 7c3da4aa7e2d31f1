"""``coherence``: hand-written pairs and the factory's parameters."""

from __future__ import annotations

import pytest

from aligntune.errors import ConfigurationError
from aligntune_rewards_basic import coherence_reward

# (prompt, clearly better (coherent) response, clearly worse (loop / word salad / gibberish) response)
PAIRS = [
    (
        "How do I keep basil alive indoors?",
        "Put it on a sunny windowsill with at least six hours of light, water when the top inch of soil is "
        "dry, and pinch off flower buds so the leaves stay tender.",
        "basil basil basil basil basil basil basil basil basil basil",
    ),
    (
        "Explain photosynthesis briefly.",
        "Plants capture sunlight with chlorophyll and use its energy to turn water and carbon dioxide into "
        "glucose, releasing oxygen as a by-product.",
        "Green purple elephant quickly the of sun table running blue.",
    ),
    (
        "Tell me about your weekend.",
        "On Saturday I went hiking with my sister, and on Sunday we stayed in and watched old films.",
        "I went to the park. I went to the park. I went to the park. I went to the park. I went to the park.",
    ),
    (
        "What is a neural network?",
        "A neural network is a model made of layers of simple units; each layer transforms its input with "
        "learned weights, and training adjusts those weights to reduce the error on examples.",
        "Neural network layer weights gradient descent backpropagation tensor activation loss epoch "
        "optimizer neuron bias matrix dropout convolution pooling.",
    ),
    (
        "What happened next in the story?",
        "The detective finally opened the letter, and it named the gardener as the thief.",
        "And then and then and then and then and then and then and then and then and then.",
    ),
    (
        "Describe the view from your window.",
        "I can see a row of brick houses, a cherry tree in bloom and, behind them, the grey tower of the "
        "old mill.",
        "asdf qwrtz xkcdq blrp zzzz hjkl mnbvc trwq plkjh",
    ),
    (
        "Why is the sky blue?",
        "Sunlight is scattered by air molecules, and blue light is scattered much more than red because it "
        "has a shorter wavelength, so the sky looks blue from every direction.",
        "the to of and sky a blue the quickly is of the light in the with an the",
    ),
    (
        "Can you apologise for the mistake?",
        "I'm sorry for the mistake in the invoice; I have corrected it and sent you a new copy.",
        "I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry I'm sorry",
    ),
    (
        "Is that correct?",
        "Yes, that's right.",
        "yes yes yes yes yes yes yes yes",
    ),
    (
        "What do I need for pancakes?",
        "You'll need flour, eggs, milk, a pinch of salt and some butter for the pan.",
        "flour flour eggs eggs milk milk salt salt butter butter pan pan",
    ),
    (
        "Summarise the meeting.",
        "We agreed to move the launch to May. Priya will update the budget, and Tom will brief the sales "
        "team on Friday.",
        "Meeting launch May budget Priya update sales Tom Friday brief team agreed move decision quarter "
        "revenue forecast slide deck review action items owner deadline risk",
    ),
    (
        "How do I restart the router?",
        "Unplug the router, wait thirty seconds, plug it back in and give it two minutes to reconnect.",
        "Unplug the router wait and unplug the router wait and unplug the router wait and unplug the router "
        "wait and unplug the router wait and unplug the router wait.",
    ),
]


@pytest.mark.parametrize("prompt,better,worse", PAIRS, ids=[p[0][:30] for p in PAIRS])
def test_coherence_ranks_hand_written_pairs(prompt, better, worse):
    fn = coherence_reward()
    good, bad = fn.score([better, worse], prompts=[prompt, prompt])
    assert good > bad, (good, bad)
    assert good >= 0.8 and bad <= 0.4, (good, bad)


def test_ordinary_prose_of_different_kinds_scores_high():
    texts = [
        "Run `pip install requests`, then import it and call requests.get(url).json() to fetch the data.",
        "Dear Ms Patel, thank you for your letter of 3 March. I have enclosed the signed contract.",
        "The French Revolution began in 1789, when financial crisis and bread shortages pushed the Third "
        "Estate to declare itself a National Assembly. Within weeks the Bastille had fallen.",
        "Ingredients: flour, sugar, butter, eggs, vanilla.",
        "No.",
    ]
    assert min(coherence_reward().score(texts)) >= 0.8


def test_empty_text_scores_zero():
    assert coherence_reward().score(["", "   ", "!!!"]) == [0.0, 0.0, 0.0]


def test_factory_parameters_change_behaviour():
    chant = "Row, row, row your boat, gently down the stream. Row, row, row your boat, gently down the stream."
    assert coherence_reward(repetition_tolerance=0.4).score([chant])[0] > coherence_reward().score([chant])[0]
    terse = "Fix: restart service, clear cache, check logs, update config, redeploy build."
    strict = coherence_reward(min_glue=0.3, target_glue=0.5)
    telegraphic = "Server restarted yesterday evening after database migration finished successfully overnight."
    assert strict.score([telegraphic])[0] < coherence_reward().score([telegraphic])[0]
    assert strict.score([terse])[0] >= 0.8  # lists keep the relaxed glue requirement


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"min_glue": 0.3, "target_glue": 0.2}, r"min_glue must be < target_glue, got 0.3 >= 0.2"),
        ({"repetition_tolerance": 0.9}, r"repetition_tolerance=.*<= 0.4, got 0.9"),
        ({"target_glue": -1}, r"target_glue=.*>= 0, got -1"),
    ],
)
def test_factory_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        coherence_reward(**kwargs)


def test_list_marks_count_like_the_pattern():
    import random

    from aligntune_rewards_basic.coherence import _LIST_MARKS, list_marks

    rng = random.Random(2)
    alphabet = list(",\n;: -*\u20221.)ab2 \t") + ["\n- ", " 3) ", "12.", "\u2022 x"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    for text in texts + ["\n- item, and; more: yes", " 1. one\n2. two", ",x", "* a, b"]:
        assert list_marks(text) == len(_LIST_MARKS.findall(text)), repr(text)
