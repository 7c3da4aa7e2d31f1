"""Tokenizer helpers for the reward scorer: identity check and special-token framing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def same_vocabulary(a: Any, b: Any) -> bool:
    """Whether two tokenizers map every token to the same id (token ids mean the same text)."""
    if a is b:
        return True
    try:
        if len(a) != len(b):
            return False
        return a.get_vocab() == b.get_vocab()
    except (AttributeError, TypeError, NotImplementedError):
        return False


@dataclass(frozen=True)
class Framing:
    """The special tokens a tokenizer adds around a single sequence (e.g. ``[CLS] ... [SEP]``)."""

    prefix: tuple[int, ...]
    suffix: tuple[int, ...]

    def wrap(self, ids: list[int], max_length: int | None) -> list[int]:
        """``prefix + ids + suffix``, with ``ids`` cut so the whole fits ``max_length``."""
        if max_length is not None:
            room = max(0, max_length - len(self.prefix) - len(self.suffix))
            ids = ids[:room]
        return [*self.prefix, *ids, *self.suffix]


def framing_of(tokenizer: Any) -> Framing:
    """Find what ``tokenizer(text)`` adds around ``tokenizer(text, add_special_tokens=False)``."""
    probe = "reward"
    full = list(tokenizer(probe)["input_ids"])
    bare = list(tokenizer(probe, add_special_tokens=False)["input_ids"])
    if not bare:
        return Framing((), ())
    for start in range(len(full) - len(bare) + 1):
        if full[start : start + len(bare)] == bare:
            return Framing(tuple(full[:start]), tuple(full[start + len(bare) :]))
    return Framing((), ())
