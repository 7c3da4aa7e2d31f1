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
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from typing import Any

logger = logging.getLogger(__name__)


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

    def probabilities(self, texts: Sequence[str], parts: Sequence[Sequence[str]], rows: dict[str, int]) -> Any:
        """Offensive probabilities: index ``i`` for ``texts[i]``, index ``rows[s]`` for sentence ``s``.

        ``parts[i]`` are the sentences of ``texts[i]``; ``rows`` numbers every distinct
        sentence of the texts with more than one from ``len(texts)`` on.
        """
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer

        if not texts:
            return []
        sentence_list = list(rows)
        if self._tfidf is None:
            return self._predict(self.vectorizer.transform(list(texts) + sentence_list))
        single = [i for i, p in enumerate(parts) if len(p) <= 1]
        multi = [i for i, p in enumerate(parts) if len(p) > 1]
        counts = CountVectorizer.transform(self.vectorizer, [texts[i] for i in single] + sentence_list)
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
