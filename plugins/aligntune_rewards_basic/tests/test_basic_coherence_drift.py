"""``coherence`` against an answer to another question appended (issue 20's "drift" class), sentence
bounds after closing quotes, and names in capitals after an article, on texts written for these tests."""

from __future__ import annotations

from aligntune_rewards_basic import coherence_reward
from aligntune_rewards_basic._text import sentences

PROMPT = "How do I repot a root-bound houseplant without killing it?"
ANSWER = (
    "Water the plant a day before, so the root ball slides out of the old pot in one piece. Choose a new pot "
    "about two inches wider, with a drainage hole. Tip the plant out, loosen the circling roots with your "
    "fingers and trim any roots that are brown or mushy. Set the plant in fresh potting mix at the same depth "
    "as before, firm the mix around the roots and water it well."
)
#: An answer to another question, as a policy that drifts appends.
OTHER = (
    "The French Revolution began in 1789, when a financial crisis, bread shortages and resentment of "
    "aristocratic privilege pushed the Estates-General to declare itself a National Assembly. The storming "
    "of the Bastille in July became its symbol; the monarchy fell in 1792 and Louis XVI was executed the "
    "following year."
)


def coherence(text: str, prompt: str | None = PROMPT) -> float:
    return coherence_reward().score([text], prompts=None if prompt is None else [prompt])[0]


def test_an_unrelated_answer_appended_costs_coherence_with_a_prompt():
    drifted = ANSWER + " " + OTHER
    assert coherence(ANSWER) >= 0.9
    # the unrelated tail costs half the score (the late-drift reading alone left 0.6)
    assert coherence(drifted) <= 0.55
    # an appended answer that shares a word or two with the first ("new"), which the late-drift reading
    # alone lets pass at 0.72
    shares = ANSWER + (
        " The French Revolution began in 1789, when bread ran short and a new assembly met in Paris. The crowd "
        "took the Bastille; the king lost his crown in 1792 and was executed the year after, and the "
        "revolutionary wars spread the ideas across Europe."
    )
    assert coherence(shares) <= 0.55
    # without a prompt there is no subject to leave: both read as prose
    assert coherence(drifted, None) >= 0.9


def test_an_answer_that_goes_on_about_its_subject_keeps_its_coherence():
    more = ANSWER + (
        " Keep the repotted plant out of direct sun for a week while the roots settle, and wait a month "
        "before you feed the plant, since fresh potting mix holds enough nutrients for the roots."
    )
    assert coherence(more) >= 0.9


def test_a_sentence_ends_after_a_closing_quote():
    # (the bound takes the stop and the quote with it, as it takes the stop alone)
    assert sentences('She shouted "Run!" Then the lights went out.') == ['She shouted "Run', "Then the lights went out"]
    assert sentences("He wrote 'done.' We left (at last.) Home") == ["He wrote 'done", "We left (at last", "Home"]
    # no boundary inside a word or before a closing quote that is not followed by a space
    assert sentences("It's 5.5 \"units\".Next") == ["It's 5.5 \"units\".Next"]


def test_a_name_in_capitals_after_an_article_is_not_a_grammar_slip():
    assert coherence("Yes, the US border is open to Canada again.", None) >= 0.95
    assert coherence("Ask the IT desk to reset the password for you.", None) >= 0.95
    # the same pair in lower case, or an all-capitals article before a pronoun, is still a slip
    assert coherence("Yes, the us border is open to Canada again.", None) < 0.5
