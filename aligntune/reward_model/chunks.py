"""Forwarding a batch of texts in a few calls of similar length, so random batches cost their real tokens.

Used by the rules objective (:mod:`aligntune.reward_model.distillation_trainer`) and by scoring on a CPU
(:meth:`aligntune.reward_model.scoring.TextRewardModel.score`); see :func:`length_chunks`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch is imported where it is used, so scoring can import length_chunks torch-free
    import torch
    from torch import nn

#: The fixed cost of one forward call, in padded tokens (CPU dispatch and small-matrix overhead):
#: :func:`length_chunks` only splits a batch where that saves more padding than this.
CHUNK_OVERHEAD_TOKENS = 48


def length_chunks(lengths: Sequence[int], overhead: int = CHUNK_OVERHEAD_TOKENS,
                  max_rows: int | None = None) -> list[list[int]]:
    """Split a batch into forward calls of rows of similar length, to pad as little as possible.

    The rows (indices into ``lengths``) are sorted by length and cut where it minimises
    ``sum(len(chunk) * max length in chunk) + overhead * number of chunks`` (exact, by dynamic
    programming over the sorted lengths), with at most ``max_rows`` rows a chunk when given. The
    loss still sees the whole batch at once (every pair in it, every length mixed), and with the
    attention mask the outputs are the same as one padded call: only the padding that is computed
    and thrown away goes.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    sorted_lengths = [int(lengths[i]) for i in order]
    n = len(order)
    best = [0.0] + [math.inf] * n  # best[j]: cost of the first j sorted rows
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        first = 0 if max_rows is None else max(0, j - max_rows)
        for i in range(first, j):  # rows i..j-1 in one call, padded to sorted_lengths[j-1]
            cost = best[i] + (j - i) * sorted_lengths[j - 1] + overhead
            if cost < best[j]:
                best[j], cut[j] = cost, i
    chunks, j = [], n
    while j > 0:
        chunks.append(order[cut[j]:j])
        j = cut[j]
    return chunks[::-1]


def forward_in_chunks(model: nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                      chunks: Sequence[Sequence[int]]) -> torch.Tensor:
    """The model's logits for every row, computed one chunk of rows at a time, in the batch's row order.

    Each chunk is cut to the width of its longest row (the padding past it is all that is dropped).
    """
    import torch

    lengths = attention_mask.sum(dim=1).tolist()
    parts = []
    for rows in chunks:
        width = int(max(lengths[i] for i in rows))
        index = torch.as_tensor(list(rows), device=input_ids.device)
        parts.append(model(input_ids=input_ids[index, :width], attention_mask=attention_mask[index, :width]).logits)
    stacked = torch.cat(parts)
    order = torch.as_tensor([i for rows in chunks for i in rows], device=input_ids.device)
    out = torch.empty_like(stacked)
    out[order] = stacked  # row i of the batch pairs with its targets[i] again
    return out
