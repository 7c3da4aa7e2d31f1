"""An ``nn.Module`` that lets the run's reward object act as TRL's PPO reward model.

TRL's PPO (``trl.experimental.utils.get_reward``) calls
``getattr(model, model.base_model_prefix)(input_ids=..., attention_mask=..., ...)``,
passes ``output.hidden_states[-1]`` through ``model.score`` and reads the value at the
last non-pad position of each row. It has already replaced pad ids with 0, so the
attention mask says which tokens are real.

The adapter's backbone splits each row at ``prompt_width`` (every prompt is left-padded
to that one fixed width, so ``query.shape[1] == prompt_width``), removes the padding,
scores the responses through a :class:`~aligntune_backend_trl.token_reward.TokenReward`,
and returns a ``(B, T, 1)`` tensor holding each row's proxy at every position; ``score``
is the identity. So whatever position TRL reads, it gets the proxy (TRL subtracts
``missing_eos_penalty`` itself). Every scored batch (texts, ids, and the reward object's
numbers) is kept in :attr:`RewardAdapter.records` until :meth:`RewardAdapter.drain`.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from transformers import PretrainedConfig
from transformers.modeling_outputs import BaseModelOutput

from aligntune.plugin_api import RewardBatch, RewardFunctionError, ScoredBatch
from aligntune_backend_trl.token_reward import TokenReward


class _ScoringBackbone(nn.Module):
    def __init__(self, token_reward: TokenReward, prompt_width: int, records: list[ScoredBatch]) -> None:
        super().__init__()
        self.token_reward = token_reward
        self.prompt_width = prompt_width
        self.records = records
        module = token_reward.torch_module
        if module is not None:
            self.reward_model = module  # registered, so .to(device) and eval() reach it

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None, **_: Any) -> BaseModelOutput:
        if input_ids.dim() != 2 or input_ids.shape[1] < self.prompt_width:
            raise RewardFunctionError(
                f"The reward adapter expects (batch, >= {self.prompt_width}) token ids with prompts left-padded "
                f"to {self.prompt_width} tokens, got shape {tuple(input_ids.shape)}"
            )
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids, dtype=torch.bool)
        ids, mask, width = input_ids.tolist(), attention_mask.bool().tolist(), self.prompt_width
        prompt_ids = [[t for t, m in zip(row[:width], keep[:width]) if m] for row, keep in zip(ids, mask)]
        response_ids = [[t for t, m in zip(row[width:], keep[width:]) if m] for row, keep in zip(ids, mask)]
        batch, prompts, responses = self.token_reward.score_ids(prompt_ids, response_ids)
        self.records.append(ScoredBatch(prompts, responses, batch, response_ids))
        values = torch.tensor(batch.rewards, dtype=torch.float32, device=input_ids.device)
        hidden = values.view(-1, 1, 1).expand(-1, input_ids.shape[1], 1)
        return BaseModelOutput(last_hidden_state=hidden, hidden_states=(hidden,))


class RewardAdapter(nn.Module):
    """TRL-PPO-compatible reward module backed by a :class:`TokenReward`.

    Args:
        token_reward: turns token ids into the reward object's numbers.
        prompt_width: the fixed (left-padded) prompt width of every batch.
    """

    base_model_prefix = "backbone"

    def __init__(self, token_reward: TokenReward, prompt_width: int) -> None:
        super().__init__()
        self.records: list[ScoredBatch] = []
        self.backbone = _ScoringBackbone(token_reward, prompt_width, self.records)
        self.score = nn.Identity()
        hidden = getattr(getattr(token_reward.torch_module, "config", None), "hidden_size", None) or 1
        self.config = PretrainedConfig(hidden_size=int(hidden))  # what TRL and DeepSpeed read from a reward model

    @property
    def token_reward(self) -> TokenReward:
        return self.backbone.token_reward

    @property
    def prompt_width(self) -> int:
        return self.backbone.prompt_width

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None, **kwargs: Any) -> Any:
        """Proxy at every position, shape ``(B, T, 1)``."""
        out = self.backbone(input_ids=input_ids, attention_mask=attention_mask, **kwargs)
        return self.score(out.hidden_states[-1])

    def drain(self) -> ScoredBatch | None:
        """The batches scored since the last call, as one (``None`` when none), and forget them."""
        records = list(self.records)
        self.records.clear()
        if not records:
            return None
        return ScoredBatch([p for r in records for p in r.prompts], [c for r in records for c in r.completions],
                           RewardBatch.concat([r.numbers for r in records]),
                           [ids for r in records for ids in r.completion_ids])
