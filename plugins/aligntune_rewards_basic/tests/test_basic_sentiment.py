"""``sentiment``: hand-written pairs and the factory's parameters."""

from __future__ import annotations

import pytest

from aligntune.errors import ConfigurationError
from aligntune_rewards_basic import sentiment_reward

# (prompt, clearly better (warmer) response, clearly worse (hostile/negative) response)
PAIRS = [
    (
        "How was your trip to Japan?",
        "It was wonderful! The people were friendly, the trains were spotless and the food was amazing.",
        "It was awful. The hotel was filthy, it rained every day and the staff were rude.",
    ),
    (
        "Can you review my essay draft?",
        "Great work! Your argument is clear and your examples are compelling; tightening the conclusion "
        "would make it even stronger.",
        "This essay is weak and confusing, and the examples are boring and poorly chosen.",
    ),
    (
        "I failed my driving test today.",
        "That's frustrating, but lots of people pass on their second try, and you'll be better prepared "
        "next time. You've got this!",
        "That's pathetic. You obviously didn't practice and you'll probably fail again.",
    ),
    (
        "My order arrived two days late.",
        "Thank you for your patience, and we're glad it finally reached you. We'd be happy to refund the "
        "shipping cost as a thank-you.",
        "Stop complaining. Late deliveries happen and we are not going to do anything about it.",
    ),
    (
        "What do you think of my startup idea?",
        "I love it: it solves a real problem for small shops, and your pricing looks smart and fair.",
        "Honestly it sounds like a terrible idea that will fail and waste your savings.",
    ),
    (
        "Rate this restaurant.",
        "Delicious food, cozy atmosphere and friendly service. Highly recommended!",
        "Bland food, cold plates and a rude waiter. Avoid it.",
    ),
    (
        "How's the new job going?",
        "Going great, thanks! My team is supportive and I'm learning a lot every week.",
        "I hate it. My boss yells constantly and the work is pointless and depressing.",
    ),
    (
        "Any feedback on my presentation?",
        "Excellent pacing and beautiful slides; the audience was clearly engaged and impressed.",
        "It was dull, far too long and frankly painful to sit through.",
    ),
    ("How do you feel today?", "THIS IS THE BEST DAY EVER!!! :)", "this is the worst day ever :("),
    (
        "Tell me about your neighbourhood.",
        "It's a lovely, peaceful place with a lively market, a beautiful park and kind neighbours.",
        "It's a dangerous, dirty place full of noise, crime and angry people.",
    ),
    (
        "Did you enjoy the concert?",
        "Absolutely, the band was brilliant and the crowd was having so much fun.",
        "No, the sound was terrible, the band seemed bored and I regret buying the tickets.",
    ),
]


@pytest.mark.parametrize("prompt,better,worse", PAIRS, ids=[p[0][:30] for p in PAIRS])
def test_sentiment_ranks_hand_written_pairs(prompt, better, worse):
    fn = sentiment_reward()
    good, bad = fn.score([better, worse], prompts=[prompt, prompt])
    assert good > bad, (good, bad)
    assert good > 0.5 > bad


def test_neutral_text_sits_in_the_middle():
    fn = sentiment_reward()
    assert fn.score(["The meeting is at 3 pm in room 204."])[0] == pytest.approx(0.5)


def test_factory_preference_changes_the_mapping():
    texts = [
        "The meeting is at 3 pm in room 204.",
        "I absolutely love this, it is fantastic!",
        "This is horrible and I hate it.",
    ]
    neutral_text, happy, angry = range(3)
    positive = sentiment_reward().score(texts)
    non_negative = sentiment_reward(prefer="non_negative").score(texts)
    calm = sentiment_reward(prefer="neutral").score(texts)
    assert positive[happy] > positive[neutral_text] > positive[angry]
    assert non_negative[neutral_text] == non_negative[happy] == 1.0 > non_negative[angry]
    assert calm[neutral_text] == 1.0 > calm[happy] and calm[neutral_text] > calm[angry]


def test_factory_rejects_unknown_preference():
    with pytest.raises(ConfigurationError, match=r"prefer=.*'positive', 'non_negative', 'neutral', got 'happy'"):
        sentiment_reward(prefer="happy")


def test_windowed_vader_matches_the_stock_analyzer_exactly():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from aligntune_rewards_basic.sentiment import _analyzer

    stock, fast = SentimentIntensityAnalyzer(), _analyzer()
    texts = [t for pair in PAIRS for t in pair] + [
        "I never so loved this film.",
        "Without doubt the best meal I've had.",
        "It was kind of good, sort of.",
        "No good at all, not even a little.",
        "This party is the shit, the band is the bomb.",
        "At least it's not the worst, but not least it was cheap.",
        "NEVER this good!!! :)",
        "There was no money nor love in it, no time or joy.",
        "The food was great but the service was terrible and the room wasn't clean.",
        " ".join(["The hotel was not bad, never awful, and the staff were kind of helpful."] * 8),
    ]
    for text in texts:
        assert fast.polarity_scores(text) == stock.polarity_scores(text), text
        assert fast.compound(text) == stock.polarity_scores(text)["compound"], text


def test_fast_compound_matches_the_stock_analyzer_on_generated_texts():
    """Random mixes of what VADER's rules react to: negations, boosters in capitals, idioms,
    "kind of", "no", "least", "but", "!!!"/"??", emoji, punctuation around words."""
    import random

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from aligntune_rewards_basic.sentiment import _analyzer

    vocab = (
        "good bad great awful love hate kind of sort no not never so this without doubt least at very "
        "but BUT extremely EXTREMELY barely hardly isn't don't nor or the shit bomb bad ass yeah right "
        "cut the mustard GOOD Great! (happy) sad... \"nice\" :) :-( \U0001f600 \u2764 ?? !!! ok plants water"
    ).split()
    rng = random.Random(7)
    stock, fast = SentimentIntensityAnalyzer(), _analyzer()
    for _ in range(600):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 30)))
        assert fast.compound(text) == stock.polarity_scores(text)["compound"], text


def test_but_check_leaves_the_stock_list():
    """The "but" pass without the stock's list surgery: the same list, equal values (which the stock
    rescales at their first position) and zeros included."""
    import random

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from aligntune_rewards_basic._vader import but_check

    rng = random.Random(3)
    for _ in range(2000):
        n = rng.randint(1, 12)
        lows = [rng.choice(["good", "but", "ok", "bad"]) for _ in range(n)]
        if "but" not in lows:
            lows[rng.randrange(n)] = "but"
        sentiments = [rng.choice([0, 0, 0.0, 1.0, 0.5, 1.5, -2.0, -1.0, 0.75, 2.25]) for _ in range(n)]
        expected = SentimentIntensityAnalyzer._but_check(list(lows), list(sentiments))
        but_check(lows, sentiments)
        assert sentiments == expected, (lows, sentiments)
