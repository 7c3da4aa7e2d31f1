"""English word statistics from ``symspellpy``'s frequency dictionaries, read once.

``symspellpy`` (MIT) ships, inside its wheel, an English unigram dictionary (82,765 words
with counts from Google Books Ngram data, intersected with SCOWL spell-checker lists)
and a bigram dictionary (243,342 word pairs). Only the data files are read here - the
spell-checker itself is never imported or built - so loading costs a few hundred
milliseconds once per process, and lookups are plain ``dict``/``set`` membership.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import re
from collections.abc import Iterable
from pathlib import Path

from aligntune.plugin_api import ConfigurationError

logger = logging.getLogger(__name__)

_UNIGRAMS = "frequency_dictionary_en_82_765.txt"
_BIGRAMS = "frequency_bigramdictionary_en_243_342.txt"
#: Words at or above this frequency rank are "common": glue and everyday vocabulary
#: that any topic uses; rarer words carry a text's subject.
COMMON_RANK = 3000


def _data_file(name: str) -> Path:
    spec = importlib.util.find_spec("symspellpy")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(
            "coherence needs the symspellpy package for its English word lists; "
            "install it with `pip install symspellpy` (or reinstall aligntune-rewards-basic)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / name
    if not path.is_file():
        raise ConfigurationError(f"symspellpy is installed but its data file {name} is missing at {path}; reinstall it")
    return path


@functools.lru_cache(maxsize=1)
def word_ranks() -> dict[str, int]:
    """Lower-case English word -> frequency rank (0 = most frequent)."""
    ranks: dict[str, int] = {}
    with _data_file(_UNIGRAMS).open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            word = line.split(" ", 1)[0]
            ranks.setdefault(word, i)
    logger.debug("read %d English words from symspellpy", len(ranks))
    return ranks


@functools.lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The :data:`COMMON_RANK` most frequent English words."""
    return frozenset(w for w, r in word_ranks().items() if r < COMMON_RANK)


#: Code blocks and inline code, whose identifiers are not English words.
_CODE = re.compile(r"```.*?(?:```|$)|`[^`\n]*`", re.S)
#: Plain lower-case words of three or more letters, not part of an identifier, path,
#: URL, e-mail address, hashtag or call ("numpy.array", "https:", "x_1", "f(").
_PLAIN = re.compile(r"(?<![\w'`/.@#$\\-])[a-z]{3,}(?![\w'`/.@(:\\-])")


def vowelless(word: str) -> bool:
    """Whether ``word`` is four or more letters with no vowel (``aeiouy``): "tbsp", or gibberish."""
    return len(word) >= 4 and word.isalpha() and not any(v in word for v in "aeiouy")


def unknown_words(tokens: Iterable[str]) -> set[str]:
    """The distinct ``tokens`` that are not in the dictionary (as they stand: no plural ``s`` dropped)."""
    return set(tokens).difference(word_ranks())


def may_hold_nonwords(unknown: set[str]) -> bool:
    """Whether :func:`nonword_share` of a text can be above 0, from its :func:`unknown_words` (of its
    lower-cased word tokens, ``WORD_RE``): every word it counts as missing is one of them, so a text whose
    tokens are all English words (or short, or not plain letters) has none. Set lookups instead of reading
    the text with a regular expression."""
    ranks = word_ranks()
    for w in unknown:
        if len(w) >= 3 and w.isalpha() and not (w[-1] == "s" and w[:-1] in ranks):
            return True
    return False


def may_hold_vowelless(unknown: set[str], tokens: list[str]) -> bool:
    """Whether a text's word ``tokens`` hold one of four or more letters with no vowel (``aeiouy``), from its
    :func:`unknown_words` and the few dictionary words of that kind (:func:`vowelless_words`)."""
    return any(map(vowelless, unknown)) or not vowelless_words().isdisjoint(tokens)


@functools.lru_cache(maxsize=1)
def vowelless_words() -> frozenset[str]:
    """Dictionary words of four or more letters with no vowel (``aeiouy``): "tbsp", "bldg", "psst"."""
    return frozenset(w for w in word_ranks() if w.isascii() and vowelless(w))


def nonword_share(text: str) -> tuple[float, int]:
    """The share of distinct plain lower-case words that are not English words.

    Returns ``(share, distinct_words)``. A word counts as English when it, or it without
    a plural ``s``, is in symspellpy's 82,765-word dictionary. Capitalised words (names,
    brands, sentence starts), code spans, identifiers and URLs are skipped; distinct
    words are counted so that one technical term used ten times is one miss.
    """
    if "`" in text:
        text = _CODE.sub(" ", text)
    distinct = set(_PLAIN.findall(text))
    if not distinct:
        return 0.0, 0
    ranks = word_ranks()
    missing = sum(1 for w in distinct.difference(ranks) if not (w[-1] == "s" and w[:-1] in ranks))
    return missing / len(distinct), len(distinct)
