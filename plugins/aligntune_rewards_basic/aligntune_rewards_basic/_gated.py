"""Regular expressions gated by trigger words, so most texts skip most patterns.

A large alternation of word patterns costs Python's ``re`` a few hundred
microseconds on a 60-word text, because every alternative is tried at every
position. Each pattern here carries the words one of which any match must contain;
the text's word keys (the first five characters of each token) are computed once,
and a pattern runs only when its trigger keys appear. Five-character keys let one
trigger cover inflections ("detonate" covers "detonator" and "detonation").
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator, Sequence

from aligntune_rewards_basic._text import tokens

KEY_LENGTH = 5


_KEY_OF = operator.itemgetter(slice(KEY_LENGTH))


def word_keys(low: str) -> frozenset[str]:
    """Keys of the words of a lower-cased text (each token's first five characters)."""
    return frozenset(map(_KEY_OF, tokens(low)))


def _keys(words: str) -> frozenset[str]:
    return frozenset(w[:KEY_LENGTH] for w in words.split())


class GatedPatterns:
    """An ordered list of ``(triggers, pattern)`` entries searched as one.

    ``triggers`` is ``None`` (always run the pattern) or a sequence of groups, each a
    space-separated string of words: the pattern runs only when every group has a
    word whose key occurs in the text. Triggers are a necessary condition that must
    hold for every possible match, never a sufficient one.
    """

    def __init__(self, entries: Iterable[tuple[Sequence[str] | None, str]], flags: int = re.IGNORECASE) -> None:
        self._entries: list[tuple[tuple[frozenset[str], ...], re.Pattern[str]]] = []
        self._always: list[int] = []
        by_key: dict[str, list[int]] = {}
        for index, (triggers, pattern) in enumerate(entries):
            groups = () if triggers is None else tuple(_keys(g) for g in triggers)
            self._entries.append((groups, re.compile(pattern, flags)))
            if not groups:
                self._always.append(index)
            for key in groups[0] if groups else ():
                by_key.setdefault(key, []).append(index)
        # Inverted index on each entry's first group: a text visits only the entries
        # one of its own keys points to, instead of testing every entry.
        self._by_key = {key: tuple(indices) for key, indices in by_key.items()}
        self._index_keys = frozenset(by_key)
        #: per entry: the trigger groups after the first, and the pattern
        self._rest = [(groups[1:], rx) for groups, rx in self._entries]
        self._always_rx = [self._entries[index][1] for index in self._always]

    def _active(self, keys: frozenset[str]) -> list[re.Pattern[str]]:
        """The patterns whose triggers all occur in ``keys`` (in no particular order)."""
        hits = self._index_keys.intersection(keys)
        if not hits:
            return self._always_rx
        if len(hits) == 1:
            (key,) = hits
            indices: Iterable[int] = self._by_key[key]
        else:
            indices = {index for key in hits for index in self._by_key[key]}
        active = []
        rest = self._rest
        for index in indices:
            groups, rx = rest[index]
            for group in groups:  # a loop, not all() over a generator: most entries have one group or none
                if keys.isdisjoint(group):
                    break
            else:
                active.append(rx)
        active.extend(self._always_rx)
        return active

    def search(self, low: str, keys: frozenset[str]) -> bool:
        """Whether any pattern matches ``low`` (whose word keys are ``keys``)."""
        for rx in self._active(keys):
            if rx.search(low):
                return True
        return False

    def count(self, low: str, keys: frozenset[str]) -> int:
        """The number of distinct matched strings over all patterns."""
        found: set[str] = set()
        for rx in self._active(keys):
            found.update(rx.findall(low))
        return len(found)

    def finditer(self, low: str, keys: frozenset[str]) -> Iterator[re.Match[str]]:
        """Every match of every active pattern, pattern by pattern (for callers that
        need the match positions, e.g. to look at the words before a match)."""
        for rx in self._active(keys):
            yield from rx.finditer(low)

    def search_ungated(self, low: str) -> bool:
        """Like :meth:`search` but runs every pattern (to check that triggers hide no match)."""
        return any(rx.search(low) for _, rx in self._entries)

    def __len__(self) -> int:
        return len(self._entries)
