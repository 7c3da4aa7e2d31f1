"""Prompts -> fixed-width, left-padded token ids for TRL's PPO.

Every prompt is left-padded (and, when longer, left-truncated) to one width, so each
batch's query width equals that width and the reward adapter can split prompt from
response without being told ``context_length``.
"""

from __future__ import annotations

import logging
from typing import Any

from aligntune.errors import DataError

logger = logging.getLogger(__name__)


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
    pad = tokenizer.pad_token_id
    rows = []
    truncated = 0
    for ids in encoded:
        if len(ids) > width:
            truncated += 1
            ids = ids[-width:]
        rows.append([pad] * (width - len(ids)) + list(ids))
    if truncated:
        logger.warning(
            "%d of %d prompts are longer than max_prompt_length=%d tokens and were cut from the left",
            truncated,
            len(prompts),
            max_width,
        )
    return Dataset.from_dict({"input_ids": rows}), width
