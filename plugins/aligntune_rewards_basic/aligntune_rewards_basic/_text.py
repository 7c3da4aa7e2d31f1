"""Text helpers shared by the basic rewards: tokens, function words, sentences.

Everything here is plain Python over precompiled regular expressions, so that a
batch of short texts is scored in microseconds per text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

#: Lower-case word tokens: letters/digits, keeping apostrophe and hyphen compounds
#: together (``don't``, ``by-product``). Other punctuation and symbols are dropped.
WORD_RE = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")

#: Sentence boundaries: terminal punctuation runs before whitespace or the end
#: (``[.!?;]+(?:\s+|$)``), or line breaks (``\n+``). Written to open with one character
#: class, which lets ``re`` skip ahead to the next candidate character instead of trying
#: every position (about 3x faster; a test compares it with the plain form).
SENTENCE_SPLIT_RE = re.compile(r"[.!?;\n](?:(?<=\n)\n*|(?<=[.!?;])[.!?;]*(?:\s+|$))")

#: Closed-class English words (articles, determiners, pronouns, prepositions,
#: conjunctions, auxiliaries, modals, negation and common particles). These are the
#: grammatical "glue" of a sentence; every other token is treated as a content word.
FUNCTION_WORDS: frozenset[str] = frozenset(
    """
    a an the this that these those some any each every either neither no another such
    what which who whom whose whatever whichever whoever
    i me my mine myself we us our ours ourselves you your yours yourself yourselves
    he him his himself she her hers herself it its itself they them their theirs
    themselves one ones
    i'm i've i'll i'd you're you've you'll you'd he's she's it's we're we've we'll
    we'd they're they've they'll they'd that's there's here's what's who's let's
    about above across after against along among around as at before behind below
    beneath beside besides between beyond by despite down during except for from in
    inside into like near of off on onto out outside over past per since than through
    throughout till to toward towards under underneath unlike until up upon via with
    within without
    and or but nor so yet because although though while whereas if unless whether
    once when whenever where wherever why how then than also too
    am is are was were be been being have has had having do does did doing done
    will would shall should can could may might must ought
    isn't aren't wasn't weren't haven't hasn't hadn't don't doesn't didn't won't
    wouldn't shan't shouldn't can't cannot couldn't mightn't mustn't
    not very just only even still already almost quite rather really more most less
    least much many few several all both half there here now again ever never always
    often sometimes usually perhaps maybe yes own same other
    """.split()
)

#: Articles: an article followed by one of :data:`NOT_AFTER_ARTICLE` is ungrammatical
#: ("the of", "a and", "an is").
ARTICLES: frozenset[str] = frozenset({"a", "an", "the"})
NOT_AFTER_ARTICLE: frozenset[str] = frozenset(
    """
    a an the of to in on at by for from with into onto about and or but nor so because
    if although though while is are was were be been am has have had do does did will
    would shall should can could may might must i me he him she it we us they them you
    not this that these those than as
    """.split()
)


#: lower-cased text -> its word tokens joined by single spaces (no token holds whitespace), with a
#: :data:`SENTENCE_MARK` at each sentence boundary (:func:`marked_tokens`). Safety, coherence
#: and helpfulness each tokenise the same texts (the composite scores a batch rule after rule), so a text is
#: read by :data:`WORD_RE` once and split again by the others (a C-level ``str.split``, several times faster).
#: Bounded: cleared when the characters it holds (keys and values) pass :data:`_TOKEN_CACHE_CHARS`
#: (16 million: about 32 MB at most, room for the batches of 10,000 texts the throughput bench scores).
_TOKENS: dict[str, str] = {}
_TOKEN_CACHE_CHARS = 16_000_000
_token_chars = 0


#: Stands for a sentence boundary among the tokens the cache keeps (whitespace to ``str.split``, so
#: :func:`tokens` drops it; never part of a token).
SENTENCE_MARK = "\x1e"
_TOKEN_OR_MARK = re.compile(f"{WORD_RE.pattern}|{SENTENCE_MARK}")


def tokens(low: str) -> list[str]:
    """Word tokens of an already lower-cased ``low`` (``WORD_RE.findall(low)``; a new list each call)."""
    found = _TOKEN_LISTS.get(low)
    if found is None:
        found = tuple(_joined(low).split())
        _TOKEN_LISTS.put(low, found)
    return list(found)  # type: ignore[call-overload]


def marked_tokens(low: str) -> str:
    """The word tokens of ``low`` joined by single spaces, with :data:`SENTENCE_MARK` as a token of its own
    at every sentence boundary (:data:`SENTENCE_SPLIT_RE`), for a ``low`` that holds no such mark itself."""
    if SENTENCE_MARK in low:
        raise ValueError("the text holds the sentence mark itself")
    return _joined(low)


def _joined(low: str) -> str:
    global _token_chars
    joined = _TOKENS.get(low)
    if joined is not None:
        return joined
    if SENTENCE_MARK in low:  # the mark cannot stand for boundaries here (:func:`marked_tokens` refuses)
        joined = " ".join(WORD_RE.findall(low))
    else:  # one pass over the sentences joined by the mark
        pieces = tuple(SENTENCE_SPLIT_RE.split(low))
        _PIECES.put(low, pieces)
        joined = " ".join(_TOKEN_OR_MARK.findall(SENTENCE_MARK.join(pieces)))
    _token_chars += len(low) + len(joined)
    if _token_chars > _TOKEN_CACHE_CHARS:
        _TOKENS.clear()
        _token_chars = len(low) + len(joined)
    _TOKENS[low] = joined
    return joined


class TextMemo:
    """A bounded memo of one reading per text (``text -> value``), for readings that more than one rule
    takes of the same texts (the composite scores a batch rule after rule).

    Bounded: emptied when the characters of the texts it holds pass ``max_chars``. A value must depend on
    its text alone, so a hit gives what a fresh reading would. :func:`clear_token_cache` empties every memo.
    """

    __slots__ = ("_values", "_chars", "max_chars")

    def __init__(self, max_chars: int) -> None:
        self._values: dict[str, object] = {}
        self._chars = 0
        self.max_chars = max_chars
        _MEMOS.append(self)

    def get(self, text: str) -> object | None:
        """The value kept for ``text``, or ``None``."""
        return self._values.get(text)

    def put(self, text: str, value: object) -> None:
        """Keep ``value`` for ``text`` (emptying the memo first when it would pass ``max_chars``)."""
        self._chars += len(text)
        if self._chars > self.max_chars:
            self._values.clear()
            self._chars = len(text)
        self._values[text] = value

    def clear(self) -> None:
        self._values.clear()
        self._chars = 0

    def __len__(self) -> int:
        return len(self._values)

    @property
    def chars(self) -> int:
        """The characters of the texts held."""
        return self._chars


_MEMOS: list[TextMemo] = []
#: lower-cased text -> its pieces between sentence boundaries (``SENTENCE_SPLIT_RE.split``), kept when its
#: tokens are read (:func:`sentence_pieces`); bounded at 8 million characters of text.
_PIECES = TextMemo(8_000_000)
#: lower-cased text -> its word tokens (:func:`tokens`): the rules that ask copy a list of the same words
#: (a C-level copy of references, their hashes already known) instead of splitting the text again. About
#: ten bytes per character of text (each token a string of its own), so bounded at 4 million characters
#: (about 40 MB; a batch of 8,000 texts of the bundled corpus's length).
_TOKEN_LISTS = TextMemo(4_000_000)


def clear_token_cache() -> None:
    """Forget the tokens and other per-text readings (:class:`TextMemo`) of the texts read so far
    (benches time fresh texts with this)."""
    global _token_chars
    _TOKENS.clear()
    _token_chars = 0
    for memo in _MEMOS:
        memo.clear()


def words(text: str) -> list[str]:
    """Lower-case word tokens of ``text``."""
    return tokens(text.lower())


def normalise(word: str) -> str:
    """A stemmer-free key for matching word forms.

    Drops a possessive ``'s`` and a plural ``s`` (not ``ss``) and keeps at most the first six letters, so
    ``recursion``/``recursive`` and ``plant``/``plants`` compare equal. Crude, but
    deterministic, dependency-free and fast.
    """
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:6]


#: token -> its content key (:func:`normalise`), or "" for function words and words under
#: three characters. Bounded: cleared when it outgrows :data:`_CACHE_LIMIT` entries.
_CONTENT_KEY: dict[str, str] = {}
_CACHE_LIMIT = 200_000


def _content_key(word: str) -> str:
    return normalise(word) if len(word) > 2 and word not in FUNCTION_WORDS else ""


def content_keys(tokens: Iterable[str]) -> set[str]:
    """Normalised content words (not function words, at least three letters) of ``tokens`` (a list or set)."""
    distinct = set(tokens)
    get = _CONTENT_KEY.get
    keys = set(map(get, distinct))
    if None in keys:  # words not seen before
        if len(_CONTENT_KEY) > _CACHE_LIMIT:
            _CONTENT_KEY.clear()
        keys = set()
        for w in distinct:
            key = get(w)
            if key is None:
                key = _CONTENT_KEY[w] = _content_key(w)
            keys.add(key)
    keys.discard("")
    return keys


def sentence_pieces(text: str) -> Sequence[str]:
    """``SENTENCE_SPLIT_RE.split(text)``: the pieces between sentence boundaries, whitespace-only ones
    included (kept from when the text's tokens were read, or split now)."""
    pieces = _PIECES.get(text)
    return SENTENCE_SPLIT_RE.split(text) if pieces is None else pieces  # type: ignore[return-value]


def sentences(text: str) -> list[str]:
    """Non-empty sentences of ``text`` (split on terminal punctuation and newlines)."""
    return list(filter(None, map(str.strip, sentence_pieces(text))))


def clamp01(value: float) -> float:
    """``value`` clipped to ``[0, 1]``."""
    if value <= 0.0:
        return 0.0
    if value >= 1.0:
        return 1.0
    return value


def ramp(value: float, low: float, high: float) -> float:
    """0 at or below ``low``, 1 at or above ``high``, linear in between."""
    return clamp01((value - low) / (high - low))
