"""Data that ships with aligntune: the bundled reward-model training corpus."""

from aligntune.data.corpus import DEFAULT_SIZE, Corpus, load_bundled_corpus

__all__ = ["DEFAULT_SIZE", "Corpus", "load_bundled_corpus"]
