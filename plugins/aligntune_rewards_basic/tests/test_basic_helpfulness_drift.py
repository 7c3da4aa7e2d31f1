"""``helpfulness`` against an answer to another question appended (issue 20's "drift" class),
on texts written for these tests."""

from __future__ import annotations

from aligntune.rewards.composite import CompositeReward
from aligntune_rewards_basic import helpfulness_reward
from aligntune_rewards_basic._topic import unrelated_tail, weighted_keys

PROMPT = "How do I repot a root-bound houseplant without killing it?"
ANSWER = (
    "Water the plant a day before, so the root ball slides out of the old pot in one piece. Choose a new pot "
    "about two inches wider, with a drainage hole. Tip the plant out, loosen the circling roots with your "
    "fingers and trim any roots that are brown or mushy. Set the plant in fresh potting mix at the same depth "
    "as before, firm the mix around the roots and water it well. Keep the repotted plant out of direct sun "
    "for a week while the roots settle."
)
#: An answer to another question, as a policy that drifts appends.
OTHER = (
    "The French Revolution began in 1789, when a financial crisis, bread shortages and resentment of "
    "aristocratic privilege pushed the Estates-General to declare itself a National Assembly. The storming "
    "of the Bastille in July became its symbol; the monarchy fell in 1792 and Louis XVI was executed the "
    "following year."
)
#: The guide's Complete Example: the composite the gaming bench scores.
FUNCTIONS = ["length", "sentiment", "safety", "coherence", "helpfulness"]
WEIGHTS = [0.15, 0.15, 0.35, 0.20, 0.15]


def helpfulness(text: str, prompt: str | None = PROMPT) -> float:
    return helpfulness_reward().score([text], prompts=[prompt])[0]


def tail(text: str, prompt: str = PROMPT) -> tuple[int, float] | None:
    return unrelated_tail(text, weighted_keys(prompt))


def test_an_unrelated_answer_appended_is_found_where_it_starts():
    found = tail(ANSWER + " " + OTHER)
    assert found is not None
    offset, strength = found
    assert offset == len(ANSWER) + 1 and strength == 1.0
    assert tail(ANSWER) is None


def test_an_unrelated_answer_appended_scores_lower_on_helpfulness_and_the_composite():
    drifted = ANSWER + " " + OTHER
    assert helpfulness(drifted) < 0.5 * helpfulness(ANSWER)
    composite = CompositeReward(FUNCTIONS, WEIGHTS)
    original, copy = composite.score([ANSWER, drifted], prompts=[PROMPT, PROMPT])
    assert copy < original - 0.03
    # without a prompt there is no topic to drift from: helpfulness does not read the tail
    assert helpfulness(drifted, None) >= helpfulness(ANSWER, None) - 0.05


def test_a_later_part_about_the_same_subject_is_not_a_tail():
    more = ANSWER + (
        " If the roots have filled the new pot again within a year, repot the plant in spring into a pot "
        "another two inches wider, and water less in winter while the plant grows slowly."
    )
    assert tail(more) is None
    assert helpfulness(more) >= helpfulness(ANSWER) - 0.02


SHORT_ANSWER = "Repot it in spring into a pot two inches wider, with fresh potting mix."


def test_a_short_answer_then_unrelated_prose_is_a_tail_but_a_list_after_an_intro_is_not():
    found = tail(SHORT_ANSWER + " " + OTHER)
    assert found is not None and found[0] == len(SHORT_ANSWER) + 1
    assert helpfulness(SHORT_ANSWER + " " + OTHER) < helpfulness(SHORT_ANSWER)
    # a first sentence that announces a list, whose items share no word with it, is an answer
    prompt = "Which houseplants survive in a dark flat?"
    listed = (
        "These five cope with little light:\n"
        "1. Snake plant, whose stiff leaves store water for weeks.\n"
        "2. ZZ plant, with glossy leaves and thick rhizomes.\n"
        "3. Pothos, a trailing vine that grows almost anywhere.\n"
        "4. Cast-iron plant, nearly impossible to kill.\n"
        "5. Peace lily, which droops when thirsty and recovers fast."
    )
    assert tail(listed, prompt) is None
