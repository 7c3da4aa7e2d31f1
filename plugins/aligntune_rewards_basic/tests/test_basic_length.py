"""``length``: hand-written pairs and the factory's parameters."""

from __future__ import annotations

import pytest

from aligntune.errors import ConfigurationError
from aligntune_rewards_basic import length_reward

ESSAY = (
    "Hamlet, Prince of Denmark, returns home to find his father dead and his uncle Claudius married to his "
    "mother. The ghost of the old king tells him that Claudius poisoned him, and Hamlet swears revenge. "
    "Unsure whether the ghost is honest, he feigns madness and stages a play that mirrors the murder; "
    "Claudius's reaction convinces him. He then kills Polonius by mistake, is sent to England, escapes, and "
    "returns to find Ophelia drowned. Laertes, her brother, challenges him to a duel rigged with a poisoned "
    "blade and a poisoned cup. Gertrude drinks the poison, Laertes and Hamlet are both wounded, and Hamlet "
    "finally kills Claudius before dying himself. Fortinbras of Norway arrives to find the court in ruins "
    "and takes the throne. Critics have read the play as a study of delay, of grief, of the limits of "
    "certainty and of the corrosive effect of political corruption on private life. Its soliloquies, above "
    "all 'To be, or not to be', have become some of the most quoted passages in English, and the role has "
    "tempted nearly every major actor since Richard Burbage first played it at the Globe around 1600. "
    "Directors have set it in Victorian drawing rooms, in modern corporate offices and in military "
    "dictatorships, and each staging finds a different balance between the philosophical and the political. "
    "Scholars still argue about which of the early printed texts is closest to what Shakespeare wrote."
)

TRAVEL_RAMBLE = " ".join(
    [
        "Lisbon is a wonderful city to visit in spring, when the weather is mild and the crowds are thin.",
        "Start in the Alfama district, where narrow lanes wind up toward the castle and the views over the river.",
        "Tram 28 is famous but often packed, so walking is usually faster and far more pleasant.",
        "Belem deserves half a day for the monastery, the tower and the custard tarts that gave the area fame.",
        "In the evening, head to Bairro Alto for dinner, then listen to fado in one of the small family bars.",
        "A day trip to Sintra is worth it for the palaces and gardens, though you should book tickets early.",
        "Cascais and Estoril are an easy train ride away if you want a beach afternoon before flying home.",
        "Public transport is cheap, and the Viva Viagem card works on the metro, trams, buses and ferries.",
        "Most restaurants serve a fixed lunch menu that is excellent value compared with dinner prices.",
        "Bring comfortable shoes, because the hills and the polished stone pavements are hard on your feet.",
        "If you have more time, the Alentejo region to the south offers quiet villages and superb wine.",
        "Porto, three hours north by train, makes a fine second stop with its own port cellars and bridges.",
        "Summer can be very hot and busy, so late spring and early autumn are the best seasons overall.",
        "Tipping is modest, usually rounding up or leaving five to ten percent in sit-down restaurants.",
        "Finally, learn a few words of Portuguese; people appreciate the effort even if they reply in English.",
    ]
)

# (prompt, clearly better response, clearly worse response)
PAIRS = [
    (
        "What is the capital of Australia?",
        "The capital of Australia is Canberra, a planned city chosen in 1908 as a compromise between Sydney "
        "and Melbourne.",
        "Canberra.",
    ),
    (
        "Summarise the plot of Hamlet.",
        "Prince Hamlet learns from his father's ghost that his uncle Claudius murdered the king. He feigns "
        "madness, confirms the guilt with a play, and the story ends in a duel where Hamlet, Laertes, "
        "Gertrude and Claudius all die.",
        ESSAY,
    ),
    ("Say something about your day.", "It was a quiet day: I worked on a report, went for a run along "
     "the canal and cooked a big pot of lentil soup for the week.", ""),
    (
        "How do I boil an egg?",
        "Lower the egg into boiling water, simmer for seven minutes for a jammy yolk or ten for hard-boiled, "
        "then move it to cold water so it peels easily.",
        "Boil it.",
    ),
    (
        "Can you recommend a science-fiction novel?",
        "Try 'The Left Hand of Darkness' by Ursula K. Le Guin: a thoughtful story about an envoy on a planet "
        "whose people have no fixed gender.",
        "Dune.",
    ),
    ("Any tips for Lisbon?", " ".join(TRAVEL_RAMBLE.split()[:90]), TRAVEL_RAMBLE),
    (
        "Explain the difference between TCP and UDP.",
        "TCP sets up a connection and guarantees ordered, reliable delivery with retransmission and flow "
        "control, which suits web pages and file transfers. UDP just sends datagrams with no handshake or "
        "delivery guarantee, which is lighter and faster, so games, voice calls and DNS often use it.",
        "TCP is reliable, UDP isn't.",
    ),
    ("Is it going to rain tomorrow?", "The forecast shows a seventy percent chance of showers after noon, "
     "so take an umbrella if you are out in the afternoon.", "   \n  "),
    (
        "Describe your ideal weekend.",
        "Sleeping in, a long walk in the hills with friends, then a slow dinner and an early night.",
        "Sleeping.",
    ),
    (
        "Write a short product description for a steel water bottle.",
        "Keep drinks cold for 24 hours or hot for 12 with this double-walled stainless steel bottle. It is "
        "leak-proof, fits standard cup holders and comes with a bamboo lid.",
        " ".join([ESSAY, TRAVEL_RAMBLE]),
    ),
    ("What's 2 + 2?", "Two plus two equals four, which you can check by counting two apples and then two more.",
     "4"),
]


@pytest.mark.parametrize("prompt,better,worse", PAIRS, ids=[p[0][:30] for p in PAIRS])
def test_length_ranks_hand_written_pairs(prompt, better, worse):
    fn = length_reward()
    good, bad = fn.score([better, worse], prompts=[prompt, prompt])
    assert good > bad, (good, bad)


def test_plateau_inside_range_and_smooth_decay_outside():
    fn = length_reward()
    counts = [1, 5, 10, 14, 15, 60, 120, 121, 150, 200, 400]
    scores = fn.score([" ".join(["word"] * n) for n in counts])
    by_count = dict(zip(counts, scores))
    assert by_count[15] == by_count[60] == by_count[120] == 1.0
    assert 0.9 < by_count[14] < 1.0 and 0.99 < by_count[121] < 1.0  # smooth, not a cliff
    assert by_count[1] < by_count[5] < by_count[10] < by_count[14]
    assert by_count[400] < by_count[200] < by_count[150] < by_count[121]
    assert fn.score([""])[0] == 0.0


def test_factory_parameters_change_the_target_range():
    default, tight = length_reward(), length_reward(min_words=3, max_words=8)
    short = "Water boils at one hundred degrees."
    long = " ".join(["word"] * 60)
    assert tight.score([short])[0] == 1.0 > default.score([short])[0]
    assert default.score([long])[0] == 1.0 > tight.score([long])[0]
    steep = length_reward(above_scale=5)
    assert steep.score([" ".join(["w"] * 140)])[0] < default.score([" ".join(["w"] * 140)])[0]
    assert tight.params == {"min_words": 3, "max_words": 8, "below_scale": 1.5, "above_scale": 4.0}


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"min_words": 0}, r"min_words=.*integer >= 1, got 0"),
        ({"min_words": 20, "max_words": 10}, r"max_words=.*>= min_words \(20\), got 10"),
        ({"max_words": 12.5}, r"max_words=.*integer >= 1, got 12.5"),
        ({"below_scale": 0}, r"below_scale=.*> 0, got 0"),
        ({"above_scale": float("nan")}, r"above_scale=.*finite number"),
    ],
)
def test_factory_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        length_reward(**kwargs)
