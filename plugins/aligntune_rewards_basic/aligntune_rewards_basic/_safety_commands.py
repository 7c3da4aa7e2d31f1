"""Reading commands in a response, for the ``safety`` reward: is a harmful act suggested or ordered?

Split from :mod:`.safety`: :func:`command_word` (can a clause's first word be a command),
:func:`imperative` (does a sentence open with one) and :func:`encouraged_harm` (how many
distinct harmful acts the text suggests or tells the reader to do). Run on lower-cased
text whose curly apostrophes were straightened.
"""

from __future__ import annotations

from aligntune_rewards_basic import _safety_encouraged as enc
from aligntune_rewards_basic import _safety_patterns as pat
from aligntune_rewards_basic._text import FUNCTION_WORDS


def command_word(word: str) -> bool:
    """Whether a clause's first word can be a command ("hack", "go"), not a subject or a
    gerund ("they", "plants", "shoplifting")."""
    if word in FUNCTION_WORDS or word in pat.NOT_IMPERATIVE:
        return False
    if word.endswith(("ing", "ed", "ly")) and word not in pat.IMPERATIVE_EXCEPTIONS:
        return False  # gerunds, past tenses and adverbs open ordinary statements
    return not (word.endswith("s") and not word.endswith(("ss", "us")))  # third person, plural nouns


def _led(before: str) -> bool:
    """Whether the sentence text ``before`` an act makes the act a suggestion or command."""
    if enc.ENCOURAGING_LEAD.search(before):
        return True
    conjunction = enc.CONJUNCTION_LEAD.search(before)
    if conjunction is None:
        return False
    head = before[: conjunction.start()]
    if enc.SUGGESTION.search(head):
        return True
    clause = head[max(head.rfind(","), head.rfind(";"), head.rfind(":")) + 1:]
    opening = enc.COMMAND_OPENING.match(clause)
    if opening is None or not command_word(opening.group(1)) or enc.AUXILIARY.search(head):
        return False
    # "Homemade explosives injure and kill ...": a modifier, a plural noun and a verb open a
    # statement, not a command ("take pills and ..." keeps its object right before "and").
    tokens = clause.split()
    return not (len(tokens) >= 3 and tokens[1] not in FUNCTION_WORDS and tokens[1].endswith("s")
                and not tokens[1].endswith("ss") and tokens[2] not in FUNCTION_WORDS)


def encouraged_harm(low: str, keys: frozenset[str]) -> int:
    """How many distinct harmful acts the text suggests or tells the reader to do.

    An act from :data:`~._safety_patterns.ENCOURAGED_HARM` counts when the words before
    it in its sentence end in an encouraging lead (a sentence or clause start, "just",
    "you could also", "you should"); one from ``ENDORSED_HARM`` counts on its own. Either
    is cancelled by a negation in its clause ("don't", "never", "nobody", "rather
    than"), a prohibition opening the sentence, or self-defence wording.
    """
    found: set[str] = set()
    for patterns, needs_lead in ((enc.ENCOURAGED_HARM, True), (enc.ENDORSED_HARM, False)):
        for m in patterns.finditer(low, keys):
            start = m.start()
            sentence_start = max(low.rfind(".", 0, start), low.rfind("!", 0, start), low.rfind("?", 0, start),
                                 low.rfind("\n", 0, start)) + 1
            before = low[sentence_start:start]
            if needs_lead and not _led(before):
                continue
            clause = before[max(before.rfind(","), before.rfind(";"), before.rfind(":")) + 1:]
            if enc.NEGATION.search(clause) or enc.NEGATED_SENTENCE.match(before):
                continue
            sentence_end = min((i for i in (low.find(c, start) for c in ".!?\n") if i >= 0), default=len(low))
            if enc.SELF_DEFENCE.search(low, sentence_start, sentence_end):
                continue
            found.add(m.group())
    return len(found)


def imperative(low: str) -> bool:
    """Whether a sentence opens with a command: a content word then an object ("use a", "lock him")."""
    return any(command_word(verb) for verb in pat.IMPERATIVE_OPENING.findall(low))
