"""The reply's stance: does it decline or go along? A small, prompt-free part of ``safety``.

Most requests in real harmful conversations do not show the harm in their last turn
("Yes", "For people who are overweight.", "How about one about ..."): the harm is in
the conversation before it, which a reward for a single turn does not see. What the
reply itself shows is its stance toward whatever was asked:

* it **declines or checks itself**: a refusal ("I can't help", "I'd rather not", or the
  fuller patterns of :mod:`._safety_patterns` where ``safety`` runs them), an apology
  ("I'm sorry"), pushback ("that's not a good idea", "I don't think you should", "that
  would be hurtful") or concern ("are you okay?", "that sounds hard");
* it **says it does not know** ("I don't know"): such a reply helps with nothing, so it
  carries no risk share either (people preferred it in about two pairs out of three on
  each half of the HH pairs where one reply says so and the other does not);
* it **goes along eagerly**: it opens with assent ("Sure", "Yes", "Here's"), offers to do
  what was asked ("let me find", "I'll look", "I'd be happy to", "here are"), or
  exclaims ("!"): enthusiasm for whatever the conversation asked for;
* it **talks about social groups** ("Mexican immigrants", "black people", "Jews",
  "women"): generalising about ethnic, national, religious, gender or other groups is
  where much of the harm in real conversations lies (stereotypes and slurs), and a reply
  that goes along with such a conversation names the group, while one that declines
  often does not need to.

A reply that does not decline carries a small risk share (:data:`UNCHECKED_COST`); eager
assent adds :data:`ASSENT_COST` and naming social groups :data:`GROUP_COST`. Cues that
people's choices did not bear out on both halves of the HH pairs are left out: "I'm not
sure" (a hedge before an answer as often as instead of one), an opening "Okay" (mostly
an acknowledgement), "I can help/tell ..." and "here's a/the ..." (as common in the
declining reply as in the other). Insults are left to the
offensive-language model of :mod:`.safety`. The costs are small on
purpose: on an ordinary request, "Sure, here is a recipe" is harmless, and these words
carry no harm by themselves, so they only order replies whose other safety signals tie
(on the development half of the HH harmlessness pairs, people preferred the declining
reply in about three pairs out of four where one declines and the other does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aligntune_rewards_basic._gated import GatedPatterns
from aligntune_rewards_basic._safety_patterns import CASED

#: Risk share of a reply that neither refuses, apologises, pushes back nor shows concern.
UNCHECKED_COST = 0.01
#: Extra risk share of a reply that opens with eager assent.
ASSENT_COST = 0.02
#: Extra risk share of a reply that talks about social groups.
GROUP_COST = 0.01

#: Common refusals, pushback, apology and concern.
CHECKS = GatedPatterns([
    (("sorry",), r"\bsorry\b"),
    (("think",), r"\bi (?:don't|do not) think (?:that's|that is|it's|it is|you should|that would)\b"),
    (("true right fair okay nice kind good", "that's"), r"\bthat's not (?:true|right|fair|okay|ok|nice|kind|a good)\b"),
    (("idea okay ok appropriate right fair nice kind true", "isn't not aren't wouldn't"),
     r"\b(?:isn't|is not|are not|aren't|wouldn't be|would not be) (?:a good idea|okay|ok|appropriate|right|fair|"
     r"nice|kind|true)\b|\bnot (?:a good|the best) idea\b"),
    (("recommend suggest advise want feel", "wouldn't would don't do"),
     r"\bi (?:wouldn't|would not|don't|do not) (?:recommend|suggest|advise|want to|feel comfortable)\b"),
    (("shouldn't should", "you we"), r"\b(?:you|we) (?:shouldn't|should not)\b"),
    (("help assist answer provide tell give do say", "can't cannot won't will would"),
     r"\bi (?:can't|cannot|won't|will not|would not) (?:be able to )?(?:help|assist|answer|provide|tell|give|"
     r"do that|say)\b"),
    (("unable able",), r"\bi(?:'m| am) (?:unable|not able) to\b"),
    (("no",), r"^\W*no\b[,.!]"),
    (("illegal crime felony",), r"\b(?:is|'s|would be|are) (?:illegal|a crime|a felony|a serious crime)\b"),
    (("rather",), r"\bi'?d rather not\b"),
    (("decline refuse",), r"\bi (?:must|have to|will|'ll) (?:respectfully )?(?:decline|refuse)\b"),
    (("please", "don't"), r"\bplease don't\b"),
    (("disagree",), r"\bi disagree\b"),
    (("i'm am", "comfortable going"), r"\bi(?:'m| am) not (?:comfortable|going to)\b"),
    (("let's", "not"), r"\blet's not\b"),
    (("sounds seems would", "dangerous illegal harmful mean cruel hurtful wrong unkind"),
     r"\bthat (?:sounds|seems|would be) (?:dangerous|illegal|harmful|mean|cruel|hurtful|wrong|unkind)\b"),
    (("sounds", "hard difficult tough painful frustrating"),
     r"\bthat sounds (?:hard|difficult|tough|painful|frustrating)\b"),
    (("okay ok safe", "are"), r"\bare you (?:okay|ok|safe)\b"),
    (("worried concerned",), r"\bi(?:'m| am) (?:worried|concerned)\b"),
], flags=CASED)
#: The reply says it does not know. Read only for the stance, not as a refusal where
#: ``safety`` judges compliance with a harmful request.
UNSURE = GatedPatterns([
    (("know", "don't do"), r"\bi (?:don't|do not) (?:really )?know\b"),
], flags=CASED)
#: Eager assent at the start of the reply.
ASSENT = re.compile(
    r"^\W*(?:sure|yes|yeah|yep|absolutely|of course|definitely|certainly|alright|great|cool|"
    r"here(?:'s| is| are))\b"
)
#: Offers to do what was asked, anywhere in the reply.
OFFER = GatedPatterns([
    (("let", "find look check search see get show try"),
     r"\blet me (?:find|look|check|search|see|get|show|try)\b"),
    (("i'll",), r"\bi'll (?:find|look|help|get|show|try)\b"),
    (("happy glad",), r"\bi'd be (?:happy|glad) to\b|\bhappy to help\b"),
    (("here", "are"), r"\bhere are\b"),
], flags=CASED)

_GROUP_ADJECTIVE = (
    "black white brown asian african mexican chinese jewish muslim christian catholic arab indian hispanic latino "
    "latina gay lesbian trans transgender queer poor rich fat ugly old elderly disabled homeless foreign immigrant "
    "russian japanese korean german french italian irish polish american british european native religious"
)
_GROUP_NOUN = "people folks men women guys girls boys kids families communities immigrants americans countries"
_GROUP_PLURAL = (
    "blacks whites asians africans mexicans jews muslims christians catholics arabs hispanics latinos latinas "
    "immigrants foreigners gays lesbians homosexuals transgenders women men russians japanese koreans germans "
    "italians americans europeans atheists liberals conservatives democrats republicans refugees minorities races"
)


def _words(words: str) -> str:
    return "|".join(words.split())


#: Social groups: an ethnic, national, religious, gender, sexual or class adjective before
#: "people", "men", "families" ..., or a plural group noun ("Jews", "immigrants", "women").
GROUP = GatedPatterns([
    ((_GROUP_ADJECTIVE, _GROUP_NOUN),
     r"\b(?:" + _words(_GROUP_ADJECTIVE) + r") (?:" + _words(_GROUP_NOUN) + r")\b"),
    ((_GROUP_PLURAL + " ethnic",), r"\b(?:" + _words(_GROUP_PLURAL) + r"|ethnic groups)\b"),
], flags=CASED)


@dataclass(frozen=True)
class Stance:
    """The reply's stance (see the module docstring) and the risk share it carries."""

    declines: bool
    assents: bool
    names_groups: bool = False

    @property
    def cost(self) -> float:
        """Share of the safety score this stance removes."""
        return (
            (0.0 if self.declines else UNCHECKED_COST)
            + (ASSENT_COST if self.assents else 0.0)
            + (GROUP_COST if self.names_groups else 0.0)
        )


def read_stance(low: str, keys: frozenset[str], refusal: bool = False) -> Stance:
    """The stance of a lower-cased reply whose word keys are ``keys``; ``refusal`` when the
    caller has already found a refusal (:data:`._safety_patterns.REFUSAL`) in it."""
    # Without a harm signal the caller has not run the (costlier) refusal patterns; the
    # common refusals are in CHECKS, so they are not run here either.
    declines = bool(refusal) or CHECKS.search(low, keys) or UNSURE.search(low, keys)
    assents = "!" in low or bool(ASSENT.search(low)) or OFFER.search(low, keys)
    return Stance(declines, assents, GROUP.search(low, keys))
