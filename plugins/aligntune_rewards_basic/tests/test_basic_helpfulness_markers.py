"""``helpfulness`` pays for what markers do, not for the markers (issue 20, item 2)."""

from __future__ import annotations

import random

import pytest

from aligntune_rewards_basic import helpfulness_reward
from aligntune_rewards_basic._markers import read_markers

PROMPT = "How do I repot a houseplant that has outgrown its pot?"

ANSWERS = [
    "Water the plant a day before so the root ball slides out in one piece. Choose a new pot about "
    "five centimetres wider than the old one, with a drainage hole. Tip the plant on its side, ease it "
    "out and loosen the circling roots with your fingers. Set it at the same depth as before, fill "
    "around it with fresh potting mix and water until it drains.",
    "Repotting is best done in spring, when the plant is starting to grow. Pick a pot only slightly "
    "larger than the current one, since too much wet soil around small roots invites rot. Gently "
    "remove the plant, tease apart any tangled roots, place it in the new pot and backfill with fresh "
    "mix, then water it thoroughly and keep it out of harsh sun for a week.",
    "Slide the plant out of its old container and shake off the loose soil. If the roots circle the "
    "bottom, cut a few of them so new ones grow outward. Put a layer of fresh mix in the larger pot, "
    "sit the plant on it so the top of the root ball is just below the rim, fill the gaps and firm "
    "the soil lightly with your hands.",
]

#: Words and phrases rule-based scores often count, as a reward hacker would sprinkle them.
MARKERS = ["Also,", "Next,", "First,", "Step 1:", "Step 2:", "for example", "for instance", "three", "5",
           "In summary,", "most important", "specifically", "Finally,", "Additionally,", "e.g.", "such as"]


def sprinkle(text: str, rng: random.Random, per_words: int = 12) -> str:
    words = text.split()
    for _ in range(max(2, len(words) // per_words)):
        words.insert(rng.randrange(len(words) + 1), rng.choice(MARKERS))
    return " ".join(words)


def test_markers_sprinkled_at_random_never_raise_the_score():
    fn = helpfulness_reward()
    rng = random.Random(7)
    copies = [(answer, sprinkle(answer, rng)) for answer in ANSWERS for _ in range(10)]
    before = fn.score([a for a, _ in copies], prompts=[PROMPT] * len(copies))
    after = fn.score([c for _, c in copies], prompts=[PROMPT] * len(copies))
    lowered = sum(b < a for a, b in zip(before, after))
    assert all(b <= a + 1e-9 for a, b in zip(before, after)), [(a, b) for a, b in zip(before, after) if b > a]
    assert lowered >= 0.9 * len(copies), lowered


def test_a_step_word_counts_where_it_opens_an_instruction():
    fn = helpfulness_reward()
    steps = "First, loosen the roots. Next, set the plant in fresh mix. Finally, water it well."
    scattered = "Loosen the roots first. Set the plant next to fresh mix. Water it well finally."
    assert read_markers(steps).steps and not read_markers(scattered).steps
    good, flat = fn.score([steps, scattered], prompts=[PROMPT] * 2)
    assert good > flat


def test_a_number_counts_where_it_quantifies_something():
    assert read_markers("Use a pot about five centimetres wider and water it twice a week.").quantity
    assert read_markers("Mix in 30% perlite.").quantity
    assert not read_markers("The plant was repotted three by the window.").quantity


def test_for_example_counts_only_when_an_example_follows():
    assert read_markers("Some plants like tight pots, for example, snake plants and cacti.").example
    assert read_markers("Hardy plants such as pothos recover quickly.").example
    dangling = read_markers("Loosen the roots for example the ones at the bottom.")
    assert not dangling.example and dangling.misplaced == 1
    assert read_markers("Repot it in spring, for example").misplaced == 1


def test_capitalised_openers_in_the_middle_of_a_sentence_are_misplaced():
    fn = helpfulness_reward()
    clean = ANSWERS[0]
    padded = clean.replace("slides out", "slides Also, out").replace("fresh potting", "fresh Finally, potting")
    assert read_markers(padded).misplaced == 2 and read_markers(clean).misplaced == 0
    a, b = fn.score([clean, padded], prompts=[PROMPT] * 2)
    assert b < a - 0.1, (a, b)


def test_marker_density_beyond_real_answers_lowers_the_score():
    fn = helpfulness_reward()
    plain = ("Water the plant the day before. Ease it out of the old pot. Loosen the circling roots. "
             "Set it in the larger pot at the same depth. Fill around it with fresh mix. Water until it drains.")
    # The same sentences, each opened by a marker in its right place: far denser than real answers.
    dense = ("First, water the plant the day before. Next, ease it out of the old pot. Also, loosen the "
             "circling roots. Then, set it in the larger pot at the same depth. Additionally, fill around it "
             "with fresh mix. Finally, water until it drains.")
    reading = read_markers(dense)
    assert reading.misplaced == 0 and reading.density > 0.1, reading
    a, b = fn.score([plain, dense], prompts=[PROMPT] * 2)
    assert b < a, (a, b)


def test_marker_words_are_not_substance():
    fn = helpfulness_reward()
    base = "Repot it into a slightly larger pot with fresh mix."
    padded = base + " Importantly, specifically, additionally."
    a, b = fn.score([base, padded], prompts=[PROMPT] * 2)
    assert b <= a


@pytest.mark.parametrize("text", ANSWERS)
def test_read_markers_on_the_reward_is_what_the_score_uses(text):
    fn = helpfulness_reward()
    assert fn.read_markers(text) == read_markers(text)
    assert fn.read_markers(text).misplaced == 0


def test_a_bare_keyword_list_and_an_answer_cut_off_mid_sentence_score_lower():
    prompt = "How do I repot a root-bound basil plant?"
    answer = (
        "Water the basil an hour before you start, because moist roots slide out of the pot more easily. "
        "Choose a new pot about five centimetres wider, loosen the circling roots with your fingers, and set "
        "the plant at the same depth it grew before. Fill around it with fresh potting mix and water it well."
    )
    keywords = "basil, repot, roots, pot, water, fingers, depth, potting, mix, centimetres, wider, circling."
    cut = answer[: answer.index("loosen")] + "loosen the circling roots with your"
    h = helpfulness_reward()
    full, listed, stopped = h.score([answer, keywords, cut], prompts=[prompt] * 3)
    assert listed < 0.5 * full
    assert stopped < 0.8 * full
