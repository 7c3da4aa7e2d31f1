"""VADER for ``sentiment``: the stock analyzer's numbers, computed with less work.

``vaderSentiment``'s ``polarity_scores`` is pure Python and spends most of its time on
work that does not change the result: it rebuilds the text character by character to
replace emoji, lower-cases the whole token list again for every sentiment word its
negation and idiom checks look at (quadratic in the text length), and calls a method
for every word that is not in its lexicon only to append 0. :func:`build_analyzer`
returns a subclass of the stock analyzer that

* keeps ``polarity_scores`` (the negation and idiom checks get only the window of
  tokens they read, with the index shifted to match), and
* adds :meth:`compound`, the compound score alone: the same steps over one list of
  lower-cased tokens, only at the lexicon's words, skipping the no-op emoji pass (texts with an emoji character take
  ``polarity_scores`` itself; ASCII texts are not even looked at, as no emoji key is ASCII), the calls for words
  outside the lexicon, the "but" pass when there is no "but", the idiom look-ups when no idiom's key word is
  in the text, and the positive/negative/neutral shares. Each whitespace token's punctuation-stripped form is
  cached (bounded), since vocabularies repeat. The "but" pass gives the stock's numbers without its
  quadratic list surgery (:func:`but_check`).

Tests compare both with the stock analyzer on hand-written and generated texts.
"""

from __future__ import annotations

import string
from itertools import compress
from typing import Any

_PUNCTUATION = string.punctuation
#: whitespace token -> ``SentiText._strip_punc_if_word(token)``; bounded (cleared past the limit).
_STRIPPED: dict[str, str] = {}
_STRIPPED_LIMIT = 200_000


def _strip_punc_if_word(token: str) -> str:
    """VADER's token: punctuation stripped from both ends unless two or fewer characters are left."""
    stripped = token.strip(_PUNCTUATION)
    _STRIPPED[token] = result = token if len(stripped) <= 2 else stripped
    return result


def but_check(lows: list[str], sentiments: list[float]) -> None:
    """VADER's ``_but_check`` on ``sentiments`` in place, for a text whose lower-cased tokens ``lows`` hold "but".

    The stock pass walks every position and, for the value found there, scales the *first*
    position holding an equal value (``list.index``): by 0.5 before the first "but", by 1.5
    after it, not at it. A position is only ever rescaled at its own step or a later one,
    so the value read at each step is the original one; zeros stay zero whichever zero is
    hit. Walking only the non-zero positions, with the same ``index`` look-up, therefore
    leaves the same list, duplicates and the stock's quirks included.
    """
    bi = lows.index("but")
    for k in [k for k, v in enumerate(sentiments) if v != 0]:
        value = sentiments[k]
        si = sentiments.index(value)
        if si < bi:
            sentiments[si] = value * 0.5
        elif si > bi:
            sentiments[si] = value * 1.5


def build_analyzer() -> Any:
    """A new analyzer (reads VADER's lexicon)."""
    from vaderSentiment import vaderSentiment as vs

    booster: dict[str, float] = vs.BOOSTER_DICT
    special: dict[str, float] = vs.SPECIAL_CASES
    negate = frozenset(vs.NEGATE)
    n_scalar, c_incr = vs.N_SCALAR, vs.C_INCR
    # The idiom look-ups match tokens joined by spaces against the multi-word keys of both
    # tables, so a phrase can only match where each of its words is: one word of each will do
    # to skip a text that holds none.
    idiom_words = frozenset(max(key.split(), key=len) for key in (*special, *booster) if " " in key)
    scalar_inc_dec, normalize = vs.scalar_inc_dec, vs.normalize

    def negated(word: str) -> bool:  # vs.negated([word])
        return word in negate or "n't" in word

    def negation_check(valence: float, lows: list[str], start_i: int, i: int) -> float:
        if start_i == 0:
            if negated(lows[i - 1]):
                valence = valence * n_scalar
        elif start_i == 1:
            if lows[i - 2] == "never" and (lows[i - 1] == "so" or lows[i - 1] == "this"):
                valence = valence * 1.25
            elif lows[i - 2] == "without" and lows[i - 1] == "doubt":
                pass
            elif negated(lows[i - 2]):
                valence = valence * n_scalar
        else:
            if (lows[i - 3] == "never" and (lows[i - 2] == "so" or lows[i - 2] == "this")) or (
                lows[i - 1] == "so" or lows[i - 1] == "this"
            ):
                valence = valence * 1.25
            elif lows[i - 3] == "without" and (lows[i - 2] == "doubt" or lows[i - 1] == "doubt"):
                pass
            elif negated(lows[i - 3]):
                valence = valence * n_scalar
        return valence

    def special_idioms_check(valence: float, lows: list[str], i: int) -> float:
        onezero = f"{lows[i - 1]} {lows[i]}"
        twoonezero = f"{lows[i - 2]} {lows[i - 1]} {lows[i]}"
        twoone = f"{lows[i - 2]} {lows[i - 1]}"
        threetwoone = f"{lows[i - 3]} {lows[i - 2]} {lows[i - 1]}"
        threetwo = f"{lows[i - 3]} {lows[i - 2]}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in special:
                valence = special[seq]
                break
        n = len(lows)
        if n - 1 > i:
            zeroone = f"{lows[i]} {lows[i + 1]}"
            if zeroone in special:
                valence = special[zeroone]
        if n - 1 > i + 1:
            zeroonetwo = f"{lows[i]} {lows[i + 1]} {lows[i + 2]}"
            if zeroonetwo in special:
                valence = special[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in booster:
                valence = valence + booster[n_gram]
        return valence

    class WindowedAnalyzer(vs.SentimentIntensityAnalyzer):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            #: ``polarity_scores`` replaces only characters that are keys of the emoji lexicon.
            self._emoji_chars = frozenset(k for k in self.emojis if len(k) == 1)
            #: whether no emoji key is ASCII (true of vaderSentiment 3.3): then ASCII texts skip the look
            self._ascii_has_no_emoji = not any(c.isascii() for c in self._emoji_chars)
            self._lexicon_words = frozenset(self.lexicon)

        def _negation_check(self, valence, words_and_emoticons, start_i, i):  # type: ignore[no-untyped-def]
            lo = max(0, i - 3)
            return super()._negation_check(valence, words_and_emoticons[lo : i + 1], start_i, i - lo)

        def _special_idioms_check(self, valence, words_and_emoticons, i):  # type: ignore[no-untyped-def]
            lo = max(0, i - 3)
            return super()._special_idioms_check(valence, words_and_emoticons[lo : i + 3], i - lo)

        def compound(self, text: str) -> float:
            """``polarity_scores(text)["compound"]``, the same number."""
            if not (self._ascii_has_no_emoji and text.isascii()) and not self._emoji_chars.isdisjoint(text):
                return float(self.polarity_scores(text)["compound"])
            text = text.strip()
            raw = text.split()
            n = len(raw)
            if not n:
                return 0.0
            tokens = list(map(_STRIPPED.get, raw))
            if None in tokens:  # tokens not seen before
                if len(_STRIPPED) > _STRIPPED_LIMIT:
                    _STRIPPED.clear()
                tokens = [_strip_punc_if_word(t) if s is None else s for t, s in zip(raw, tokens)]
            lows = list(map(str.lower, tokens))
            sentiments: list[float] = [0] * n  # words outside the lexicon (and boosters) add 0
            present = self._lexicon_words.intersection(lows)
            if present:
                caps = sum(map(str.isupper, tokens))
                cap_diff = 0 < n - caps < n
                idioms = not idiom_words.isdisjoint(lows)
                for i in compress(range(n), map(present.__contains__, lows)):  # the lexicon's words only
                    low = lows[i]
                    if low in booster or (low == "kind" and i < n - 1 and lows[i + 1] == "of"):
                        continue
                    sentiments[i] = self._valence(tokens, lows, i, cap_diff, idioms)
            if "but" in lows:
                but_check(lows, sentiments)
            total = float(sum(sentiments))
            emphasis = self._punctuation_emphasis(text)
            if total > 0:
                total += emphasis
            elif total < 0:
                total -= emphasis
            return round(normalize(total), 4)

        def _valence(self, tokens: list[str], lows: list[str], i: int, cap_diff: bool, idioms: bool) -> float:
            """``sentiment_valence`` for the lexicon word at ``i``; ``idioms``: whether the text holds a
            word of a multi-word idiom or booster phrase (without one the idiom look-ups find nothing)."""
            lexicon = self.lexicon
            low = lows[i]
            valence = lexicon[low]
            if low == "no" and i != len(lows) - 1 and lows[i + 1] in lexicon:
                valence = 0.0
            if (i > 0 and lows[i - 1] == "no") or (i > 1 and lows[i - 2] == "no") or (
                i > 2 and lows[i - 3] == "no" and lows[i - 1] in ("or", "nor")
            ):
                valence = lexicon[low] * n_scalar
            if cap_diff and tokens[i].isupper():
                if valence > 0:
                    valence += c_incr
                else:
                    valence -= c_incr
            for start_i in range(3):
                j = i - (start_i + 1)
                if j >= 0 and lows[j] not in lexicon:
                    s = scalar_inc_dec(tokens[j], valence, cap_diff) if lows[j] in booster else 0.0
                    if start_i == 1 and s != 0:
                        s = s * 0.95
                    if start_i == 2 and s != 0:
                        s = s * 0.9
                    valence = valence + s
                    valence = negation_check(valence, lows, start_i, i)
                    if start_i == 2 and idioms:
                        valence = special_idioms_check(valence, lows, i)
            if i > 1 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
                if lows[i - 2] != "at" and lows[i - 2] != "very":
                    valence = valence * n_scalar
            elif i > 0 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
                valence = valence * n_scalar
            return valence

    return WindowedAnalyzer()
