"""The offensive-language model of ``safety`` (``alt-profanity-check``), batched without repeats.

``safety`` needs the model's probability for every text and for every distinct sentence
of the texts that have more than one. The model is a TF-IDF vectorizer (scikit-learn,
word unigrams) and a calibrated linear classifier. Tokens never span the breaks that
:func:`._text.sentences` splits on (runs of ``.!?;`` before a space or the end, line
breaks), so a multi-sentence text's term counts are the sums of its sentences' counts:
:meth:`OffensiveModel.probabilities` tokenises each distinct sentence once and sums the
counts for such texts instead of tokenising them again. The counts are whole numbers
and the sums exact, so the TF-IDF rows, hence the probabilities, are the ones
``profanity_check.predict_prob`` gives for the same strings (a test compares them).

The counts themselves come from :meth:`OffensiveModel.counts`: the vectorizer's own
lower-casing, tokens and vocabulary (less its stop words, which it drops before the
look-up), with the per-token work in C-level calls instead of scikit-learn's Python
loop over every token. Its token pattern, ``\\b\\w\\w+\\b``, cost most of the model's
time (``re`` tests each character's Unicode class); on an ASCII string (most texts)
the tokens are the runs of ``[a-z0-9_]`` in the lower-cased bytes, which
``bytes.translate`` and ``bytes.split`` find several times faster (one-letter runs,
which the pattern skips, are left out of the look-up). The matrix is the one
``CountVectorizer.transform`` builds (a test compares them).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from itertools import repeat
from typing import Any

logger = logging.getLogger(__name__)

#: scikit-learn's default token pattern (words of two or more word characters).
_WORD_UNIGRAMS = r"(?u)\b\w\w+\b"
#: Byte table for ASCII text: letters to lower case, other word characters ([a-z0-9_]) kept,
#: everything else to a space, so that ``split()`` yields the runs of word characters.
_ASCII_WORD_RUNS = bytes(
    c + 32 if 65 <= c <= 90 else c if (97 <= c <= 122 or 48 <= c <= 57 or c == 95) else 32 for c in range(256)
)


class OffensiveModel:
    """``profanity_check``'s vectorizer and classifier, scoring texts and their sentences."""

    def __init__(self, vectorizer: Any, classifier: Any) -> None:
        self.vectorizer = vectorizer
        self.classifier = classifier
        # The summed counts go through the vectorizer's own TF-IDF step; without it
        # (another scikit-learn layout) every text is vectorised as a whole, as before.
        self._tfidf = getattr(vectorizer, "_tfidf", None)
        if self._tfidf is None:
            logger.warning("profanity_check's vectorizer has no _tfidf step; texts are vectorised whole (slower)")
        # counts() reproduces the word-unigram analyzer only; any other setting goes through scikit-learn.
        settings = vectorizer.get_params()
        self._lookup: dict[str | bytes, int] | None = None
        if (settings["analyzer"], settings["ngram_range"], settings["lowercase"], settings["preprocessor"],
                settings["tokenizer"], settings["strip_accents"], settings["input"], settings["binary"]) == (
                "word", (1, 1), True, None, None, None, "content", False):
            stop_words = vectorizer.get_stop_words() or frozenset()
            terms = {term: i for term, i in vectorizer.vocabulary_.items() if term not in stop_words}
            self._tokenize = re.compile(settings["token_pattern"]).findall
            self._ascii_runs = settings["token_pattern"] == _WORD_UNIGRAMS
            # The ASCII path's tokens are bytes: the same terms, encoded, sit beside the str keys.
            ascii_terms = {t.encode(): i for t, i in terms.items() if t.isascii() and len(t) >= 2}
            self._lookup = {**terms, **ascii_terms} if self._ascii_runs else terms
            self._width = len(vectorizer.vocabulary_)
            self._dtype = settings["dtype"]
        else:
            logger.warning("profanity_check's vectorizer has settings counts() does not reproduce; "
                           "scikit-learn counts the terms (slower)")

    def counts(self, docs: Sequence[str]) -> Any:
        """Term counts of ``docs``, one row each: the CSR matrix ``CountVectorizer.transform`` gives."""
        import numpy as np
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer

        if self._lookup is None:
            return CountVectorizer.transform(self.vectorizer, docs)
        tokenize, ascii_runs = self._tokenize, self._ascii_runs
        found: list[str | bytes] = []
        per_doc = []
        for doc in docs:
            if ascii_runs and doc.isascii():
                terms = doc.encode().translate(_ASCII_WORD_RUNS).split()
            else:
                terms = tokenize(doc.lower())
            found += terms
            per_doc.append(len(terms))
        # each token's column (-1 outside the vocabulary), and its row
        columns = np.fromiter(map(self._lookup.get, found, repeat(-1)), dtype=np.int64, count=len(found))
        rows = np.repeat(np.arange(len(per_doc), dtype=np.int64), per_doc)
        known = columns >= 0
        # One sorted key per (row, column): np.unique sums repeats and orders each row by column.
        cells, counts = np.unique(rows[known] * self._width + columns[known], return_counts=True)
        indptr = np.zeros(len(per_doc) + 1, dtype=np.int32)
        np.cumsum(np.bincount(cells // self._width, minlength=len(per_doc)), out=indptr[1:])
        return sparse.csr_matrix((counts.astype(self._dtype), (cells % self._width).astype(np.int32), indptr),
                                 shape=(len(per_doc), self._width))

    def probabilities(self, texts: Sequence[str], parts: Sequence[Sequence[str]], rows: dict[str, int]) -> Any:
        """Offensive probabilities: index ``i`` for ``texts[i]``, index ``rows[s]`` for sentence ``s``.

        ``parts[i]`` are the sentences of ``texts[i]``; ``rows`` numbers every distinct
        sentence of the texts with more than one from ``len(texts)`` on.
        """
        from scipy import sparse

        if not texts:
            return []
        sentence_list = list(rows)
        if self._tfidf is None:
            return self._predict(self.vectorizer.transform(list(texts) + sentence_list))
        single = [i for i, p in enumerate(parts) if len(p) <= 1]
        multi = [i for i, p in enumerate(parts) if len(p) > 1]
        counts = self.counts([texts[i] for i in single] + sentence_list)
        n_single, offset = len(single), len(texts)
        sentence_counts = counts[n_single:]
        blocks = [counts[:n_single]]
        if multi:
            # row j of `pick` holds how often each sentence occurs in text multi[j]
            cols = [rows[s] - offset for i in multi for s in parts[i]]
            ptr = [0]
            for i in multi:
                ptr.append(ptr[-1] + len(parts[i]))
            pick = sparse.csr_matrix(([1.0] * len(cols), cols, ptr), shape=(len(multi), len(sentence_list)))
            pick.sum_duplicates()
            summed = sparse.csr_matrix(pick @ sentence_counts)
            summed.sort_indices()
            blocks.append(summed)
        order = [0] * offset
        for position, i in enumerate(single + multi):
            order[i] = position
        text_counts = sparse.vstack(blocks, format="csr")[order]
        matrix = sparse.vstack([text_counts, sentence_counts], format="csr")
        matrix.sort_indices()
        return self._predict(self._tfidf.transform(matrix, copy=False))

    def _predict(self, matrix: Any) -> Any:
        return self.classifier.predict_proba(matrix)[:, 1]


@functools.lru_cache(maxsize=1)
def offensive_model() -> OffensiveModel:
    """The model, loaded on first use (imports scikit-learn)."""
    from profanity_check import profanity_check

    return OffensiveModel(profanity_check.vectorizer, profanity_check.model)
