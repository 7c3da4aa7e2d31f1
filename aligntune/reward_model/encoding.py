"""How texts become token ids for a reward model, in training and in scoring alike.

A text is encoded on its own, or after its prompt as a text pair
(``tokenizer(prompt, text)``) when prompts are given, with the tokenizer's own
special tokens (BERT: ``[CLS] prompt [SEP] text [SEP]``; GPT-2: plain
concatenation). Anything longer than ``max_length`` tokens is truncated explicitly
(the prompt is cut first, then the text) and counted, so the caller can say so;
nothing is dropped. A text that yields no tokens at all (an empty text with a
tokenizer that adds no special tokens, GPT-2 style) is encoded as the single
end-of-sequence (else pad) token, so it still gets a score. A text or prompt with a lone
surrogate (``"\\ud800"``) is a :class:`~aligntune.errors.DataError` naming its index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aligntune._validation import utf8_texts
from aligntune.errors import DataError, show


@dataclass(frozen=True)
class Encoded:
    """Token ids per text, and how many texts had to be truncated."""

    input_ids: list[list[int]]
    n_truncated: int


def encode(
    tokenizer: Any,
    texts: Sequence[str],
    *,
    prompts: Sequence[str | None] | None = None,
    max_length: int,
) -> Encoded:
    """Encode ``texts`` (with aligned ``prompts`` when given) to at most ``max_length`` ids each."""
    texts = list(texts)
    utf8_texts("texts", texts)  # a tokenizer raises a bare UnicodeEncodeError on a lone surrogate
    utf8_texts("prompts", prompts)
    full = _tokenize(tokenizer, texts, prompts, truncation=False)
    long_rows = [i for i, ids in enumerate(full) if len(ids) > max_length]
    if long_rows:
        cut = _tokenize(
            tokenizer,
            [texts[i] for i in long_rows],
            None if prompts is None else [prompts[i] for i in long_rows],
            truncation=True,
            max_length=max_length,
        )
        for i, ids in zip(long_rows, cut):
            full[i] = ids[:max_length]
    empty = [i for i, ids in enumerate(full) if not ids]
    if empty:
        token = tokenizer.eos_token_id if tokenizer.eos_token_id is not None else tokenizer.pad_token_id
        if token is None:
            raise DataError(
                f"Text {empty[0]} ({show(texts[empty[0]])}) encodes to no tokens and the tokenizer has no "
                "end-of-sequence or pad token to stand for it"
            )
        for i in empty:
            full[i] = [token]
    return Encoded(input_ids=full, n_truncated=len(long_rows))


def _tokenize(
    tokenizer: Any,
    texts: list[str],
    prompts: Sequence[str | None] | None,
    *,
    truncation: bool,
    max_length: int | None = None,
) -> list[list[int]]:
    kwargs: dict[str, Any] = {"truncation": "longest_first" if truncation else False}
    if max_length is not None:
        kwargs["max_length"] = max_length
    if prompts is None or all(p is None for p in prompts):
        return tokenizer(texts, **kwargs)["input_ids"]
    # Rows without a prompt are encoded alone; rows with one as (prompt, text) pairs.
    out: list[list[int]] = [[] for _ in texts]
    with_prompt = [i for i, p in enumerate(prompts) if p]
    without = [i for i, p in enumerate(prompts) if not p]
    if with_prompt:
        ids = tokenizer([prompts[i] for i in with_prompt], [texts[i] for i in with_prompt], **kwargs)["input_ids"]
        for i, row in zip(with_prompt, ids):
            out[i] = row
    if without:
        ids = tokenizer([texts[i] for i in without], **kwargs)["input_ids"]
        for i, row in zip(without, ids):
            out[i] = row
    return out


def pad_batch(tokenizer: Any, input_ids: Sequence[Sequence[int]]) -> dict[str, Any]:
    """Right-pad a batch of id lists into ``input_ids``/``attention_mask`` tensors."""
    import torch

    width = max(len(ids) for ids in input_ids)
    pad = tokenizer.pad_token_id
    ids = torch.full((len(input_ids), width), pad, dtype=torch.long)
    mask = torch.zeros((len(input_ids), width), dtype=torch.long)
    for row, seq in enumerate(input_ids):
        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
        mask[row, : len(seq)] = 1
    return {"input_ids": ids, "attention_mask": mask}
