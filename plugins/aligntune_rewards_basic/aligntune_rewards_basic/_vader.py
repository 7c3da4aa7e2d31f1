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
  outside the lexicon, the "but" pass when there is no "but", and the positive/negative/neutral shares. Each
  whitespace token's punctuation-stripped form is cached (bounded), since vocabularies repeat.

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


def build_analyzer() -> Any:
    """A new analyzer (reads VADER's lexicon)."""
    from vaderSentiment import vaderSentiment as vs

    booster: dict[str, float] = vs.BOOSTER_DICT
    special: dict[str, float] = vs.SPECIAL_CASES
    negate = frozenset(vs.NEGATE)
    n_scalar, c_incr = vs.N_SCALAR, vs.C_INCR
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
                for i in compress(range(n), map(present.__contains__, lows)):  # the lexicon's words only
                    low = lows[i]
                    if low in booster or (low == "kind" and i < n - 1 and lows[i + 1] == "of"):
                        continue
                    sentiments[i] = self._valence(tokens, lows, i, cap_diff)
            if "but" in lows:
                sentiments = self._but_check(tokens, sentiments)
            total = float(sum(sentiments))
            emphasis = self._punctuation_emphasis(text)
            if total > 0:
                total += emphasis
            elif total < 0:
                total -= emphasis
            return round(normalize(total), 4)

        def _valence(self, tokens: list[str], lows: list[str], i: int, cap_diff: bool) -> float:
            """``sentiment_valence`` for the lexicon word at ``i``."""
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
                    if start_i == 2:
                        valence = special_idioms_check(valence, lows, i)
            if i > 1 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
                if lows[i - 2] != "at" and lows[i - 2] != "very":
                    valence = valence * n_scalar
            elif i > 0 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
                valence = valence * n_scalar
            return valence

    return WindowedAnalyzer()
