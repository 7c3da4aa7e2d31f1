"""An ``nn.Module`` that lets a :class:`RewardScorer` act as TRL's PPO reward model.

TRL's PPO (``trl.experimental.utils.get_reward``) calls
``getattr(model, model.base_model_prefix)(input_ids=..., attention_mask=..., ...)``,
passes ``output.hidden_states[-1]`` through ``model.score`` and reads the value at the
last non-pad position of each row. It has already replaced pad ids with 0, so the
attention mask says which tokens are real.

The adapter's backbone splits each row at ``prompt_width`` (every prompt is left-padded
to that one fixed width by the engine, so ``query.shape[1] == prompt_width``), removes the
padding, scores the responses with the scorer, and returns a ``(B, T, 1)`` tensor holding
each row's score at every position; ``score`` is the identity. So whatever position TRL
reads, it gets the plain score (TRL subtracts ``missing_eos_penalty`` itself).

Every scored batch is appended to :attr:`RewardAdapter.records` (prompt, response,
score), for logging and for checking that rewards come from the decoded text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from transformers.modeling_outputs import BaseModelOutput

from aligntune.errors import RewardFunctionError
from aligntune.rl.bridge.scorer import RewardScorer


@dataclass(frozen=True)
class ScoredResponse:
    """One response the adapter scored."""

    prompt: str
    response: str
    score: float
    response_ids: tuple[int, ...] = ()


class _AdapterConfig:
    """The few config attributes TRL reads from a reward model."""

    def __init__(self, hidden_size: int) -> None:
        self.hidden_size = hidden_size
        self.model_type = "aligntune-reward-adapter"

    def to_dict(self) -> dict[str, Any]:
        return {"hidden_size": self.hidden_size, "model_type": self.model_type}


class _ScoringBackbone(nn.Module):
    def __init__(self, scorer: RewardScorer, prompt_width: int, records: list[ScoredResponse]) -> None:
        super().__init__()
        self.scorer = scorer
        self.prompt_width = prompt_width
        self.records = records
        module = scorer.torch_module
        if module is not None:
            self.reward_model = module  # registered, so .to(device) and eval() reach it

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None, **_: Any
    ) -> BaseModelOutput:
        if input_ids.dim() != 2 or input_ids.shape[1] < self.prompt_width:
            raise RewardFunctionError(
                f"The reward adapter expects (batch, >= {self.prompt_width}) token ids with prompts left-padded "
                f"to {self.prompt_width} tokens, got shape {tuple(input_ids.shape)}"
            )
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids, dtype=torch.bool)
        ids = input_ids.tolist()
        mask = attention_mask.bool().tolist()
        width = self.prompt_width
        prompt_ids = [[t for t, m in zip(row[:width], keep[:width]) if m] for row, keep in zip(ids, mask)]
        response_ids = [[t for t, m in zip(row[width:], keep[width:]) if m] for row, keep in zip(ids, mask)]
        scores, prompts, responses = self.scorer.score_ids(prompt_ids, response_ids)
        self.records.extend(
            ScoredResponse(p, r, s, tuple(ids)) for p, r, s, ids in zip(prompts, responses, scores, response_ids)
        )
        values = torch.tensor(scores, dtype=torch.float32, device=input_ids.device)
        hidden = values.view(-1, 1, 1).expand(-1, input_ids.shape[1], 1)
        return BaseModelOutput(last_hidden_state=hidden, hidden_states=(hidden,))


class RewardAdapter(nn.Module):
    """TRL-PPO-compatible reward module backed by a :class:`RewardScorer`.

    Args:
        scorer: turns token ids into rewards.
        prompt_width: the fixed (left-padded) prompt width of every batch.
    """

    base_model_prefix = "backbone"

    def __init__(self, scorer: RewardScorer, prompt_width: int) -> None:
        super().__init__()
        self.records: list[ScoredResponse] = []
        self.backbone = _ScoringBackbone(scorer, prompt_width, self.records)
        self.score = nn.Identity()
        rm = scorer.torch_module
        hidden = getattr(getattr(rm, "config", None), "hidden_size", None) or 1
        self.config = _AdapterConfig(int(hidden))

    @property
    def scorer(self) -> RewardScorer:
        return self.backbone.scorer

    @property
    def prompt_width(self) -> int:
        return self.backbone.prompt_width

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None, **kwargs: Any) -> Any:
        """Scores at every position, shape ``(B, T, 1)``."""
        out = self.backbone(input_ids=input_ids, attention_mask=attention_mask, **kwargs)
        return self.score(out.hidden_states[-1])

    def drain(self) -> list[ScoredResponse]:
        """Return and forget the responses scored since the last call."""
        out = list(self.records)
        self.records.clear()
        return out
