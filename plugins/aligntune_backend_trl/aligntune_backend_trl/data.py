"""Prompts loaded and rendered for the policy (:func:`load_prompts`), then cut to ``max_prompt_length`` tokens:
token ids for TRL's PPO, texts for GRPO, RLOO and evaluation.

For PPO every prompt is left-padded (and, when longer, left-truncated) to one width, so each
batch's query width equals that width and the reward adapter can split prompt from
response without being told ``context_length``. GRPO, RLOO (TRL 1.12 truncates no prompt) and the held-out
evaluation take texts, cut by :func:`fit_prompts`, so no prompt runs past the positions the pre-flight counted.
"""

from __future__ import annotations

import logging
from typing import Any

from aligntune.plugin_api import DataError, as_user_turns, format_prompts, load_prompt_dataset

logger = logging.getLogger(__name__)


def load_prompts(config: Any, source: Any, *, max_samples: int | None, tokenizer: Any) -> tuple[list[str], Any]:
    """``(texts, PromptData)`` of the prompts in ``source``, rendered for ``tokenizer`` (a chat column through its
    chat template; plain text as a user turn when ``chat_template=`` is given), training and held-out alike."""
    data = load_prompt_dataset(source, split=config.dataset_split, prompt_column=config.prompt_column,
                               max_samples=max_samples)
    texts = format_prompts(data, tokenizer)
    if config.chat_template is not None and not data.is_chat:
        texts = as_user_turns(texts, tokenizer)
    return texts, data


def response_ends(rows: list[list[int]], eos: int | None) -> tuple[list[int], list[bool]]:
    """Each response's length (through its first ``eos``) and whether it has one, from its token ids."""
    ended = [eos is not None and eos in row for row in rows]
    return [row.index(eos) + 1 if end else len(row) for row, end in zip(rows, ended)], ended


def tokenize_prompts(
    tokenizer: Any, prompts: list[str], *, max_width: int, add_special_tokens: bool = True
) -> tuple[Any, int]:
    """Return ``(dataset with input_ids, width)``; logs how many prompts were truncated."""
    from datasets import Dataset

    encoded = tokenizer(prompts, add_special_tokens=add_special_tokens)["input_ids"]
    empty = [i for i, ids in enumerate(encoded) if not ids]
    if empty:
        raise DataError(f"{len(empty)} prompts tokenize to nothing (first: row {empty[0]}); remove empty prompts")
    width = min(max(len(ids) for ids in encoded), max_width)
    _log_cut(sum(len(ids) > width for ids in encoded), len(prompts), "prompts", max_width)
    padded = tokenizer.pad({"input_ids": [list(ids)[-width:] for ids in encoded]}, padding="max_length",
                           max_length=width, padding_side="left", return_attention_mask=False)
    return Dataset.from_dict({"input_ids": padded["input_ids"]}), width


def fit_prompts(tokenizer: Any, prompts: list[str], *, max_tokens: int, add_special_tokens: bool = True,
                what: str = "prompts") -> list[str]:
    """``prompts`` with each one longer than ``max_tokens`` tokens cut from the left to fit; logs how many."""
    if not prompts:
        return prompts
    encoded = tokenizer(prompts, add_special_tokens=add_special_tokens)["input_ids"]
    out = [text if len(ids) <= max_tokens
           else _cut_left(tokenizer, text, len(ids), max_tokens, add_special_tokens, row, what)
           for row, (text, ids) in enumerate(zip(prompts, encoded))]
    _log_cut(sum(len(ids) > max_tokens for ids in encoded), len(prompts), what, max_tokens)
    return out


def _log_cut(cut: int, total: int, what: str, max_tokens: int) -> None:
    if cut:
        logger.warning("%d of %d %s are longer than max_prompt_length=%d tokens and were cut from the left",
                       cut, total, what, max_tokens)


def _cut_left(tokenizer: Any, text: str, n_tokens: int, max_tokens: int, add_special_tokens: bool, row: int,
              what: str) -> str:
    """The end of ``text`` that tokenizes (as the trainer will) to at most ``max_tokens`` tokens."""
    plain = tokenizer(text, add_special_tokens=False)["input_ids"]
    keep = max_tokens - (n_tokens - len(plain))  # room left by the special tokens the tokenizer adds
    for _ in range(32):  # decoding then encoding again may merge tokens differently: shorten until it fits
        if keep <= 0:
            break
        candidate = tokenizer.decode(plain[-keep:], skip_special_tokens=False)
        length = len(tokenizer(candidate, add_special_tokens=add_special_tokens)["input_ids"])
        if length <= max_tokens and candidate.strip():
            return candidate
        keep -= max(1, length - max_tokens)
    raise DataError(
        f"{what.capitalize()} row {row} cannot be cut to max_prompt_length={max_tokens} tokens (the tokenizer adds "
        f"{n_tokens - len(plain)} special tokens of its own); raise max_prompt_length"
    )
