"""PPO's reward on policy token ids: the only place that sees the policy tokenizer.

:class:`TokenReward` decodes a policy's prompts and responses and hands the texts to a
:class:`~aligntune.rl.reward.base.Reward`, which returns the proxy, its components and
the gold. When the reward is a local reward model whose tokenizer shares the policy's
vocabulary (and was trained on responses alone), the **fast path** feeds the response ids
straight to the reward model (framed with its special tokens, padded by its tokenizer) and
passes those scores in as the ``reward_model`` component, so the reward object still does
the weighted sum; this also keeps token sequences that do not survive a text round trip.

:class:`RewardAdapter` is the ``nn.Module`` TRL's PPO takes as its reward model.
TRL (``trl.experimental.utils.get_reward``) calls
``getattr(model, model.base_model_prefix)(input_ids=..., attention_mask=..., ...)``,
passes ``output.hidden_states[-1]`` through ``model.score`` and reads the value at the
last non-pad position of each row. It has already replaced pad ids with 0, so the
attention mask says which tokens are real. The adapter's ``backbone`` method splits each row at
``prompt_width`` (every prompt is left-padded to that one fixed width, so
``query.shape[1] == prompt_width``), removes the padding, scores the responses through a
:class:`TokenReward`, and returns a ``(B, T, 1)`` tensor holding each row's proxy at every
position; ``score`` is the identity. So whatever position TRL reads, it gets the proxy (TRL
subtracts ``missing_eos_penalty`` itself). Every scored batch is kept until :meth:`RewardAdapter.drain`.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn
from transformers import PretrainedConfig
from transformers.modeling_outputs import BaseModelOutput

from aligntune.plugin_api import (
    MODEL_COMPONENT,
    ConfigurationError,
    CompositeReward,
    LocalReward,
    Reward,
    RewardBatch,
    RewardFunctionError,
    ScoredBatch,
    cap_max_length,
)

logger = logging.getLogger(__name__)


def same_vocabulary(a: Any, b: Any) -> bool:
    """Whether two tokenizers map every token to the same id (token ids mean the same text)."""
    if a is b:
        return True
    try:
        return len(a) == len(b) and a.get_vocab() == b.get_vocab()
    except (AttributeError, TypeError, NotImplementedError):
        return False


def framing_of(tokenizer: Any) -> tuple[list[int], list[int]]:
    """``(prefix, suffix)``: the special tokens ``tokenizer(text)`` adds around ``tokenizer(text,
    add_special_tokens=False)`` (e.g. ``[CLS] ... [SEP]``)."""
    full = list(tokenizer("reward")["input_ids"])
    bare = list(tokenizer("reward", add_special_tokens=False)["input_ids"])
    for start in range(len(full) - len(bare) + 1) if bare else ():
        if full[start : start + len(bare)] == bare:
            return full[:start], full[start + len(bare) :]
    return [], []


class TokenReward:
    """Scores policy token ids with a reward object (see the module docstring).

    Args:
        reward: the reward object (:class:`LocalReward` or any :class:`Reward`).
        policy_tokenizer: the tokenizer that produced the ids.
        fast_path: ``None`` picks it when it applies; ``False`` forces decode + re-encode.
        max_length: longest reward-model input on the fast path (default: the reward model's own
            ``max_length``, the one its ``score`` truncates at, so both paths read the same tokens).
    """

    def __init__(self, reward: Reward, policy_tokenizer: Any, *, fast_path: bool | None = None,
                 max_length: int | None = None) -> None:
        self.reward = reward
        self.policy_tokenizer = policy_tokenizer
        model = getattr(reward, "reward_model", None) if isinstance(reward, LocalReward) else None
        possible = model is not None and not reward.uses_prompts and same_vocabulary(policy_tokenizer, model.tokenizer)
        if fast_path and not possible:
            raise ConfigurationError(
                "fast_path=True needs a local reward model whose tokenizer shares the policy's vocabulary, trained on "
                "texts alone (not prompt + text)"
            )
        self.fast_path = possible if fast_path is None else bool(fast_path)
        self.reward_model = model
        self._framing = framing_of(model.tokenizer) if self.fast_path else None
        if model is not None:
            self.max_length = cap_max_length(max_length or model.max_length, model.model.config)
            logger.info("Reward model scoring: %s", "same tokenizer, token ids fed directly (fast path)"
                        if self.fast_path else "different tokenizers, decode with the policy tokenizer and re-encode")

    @property
    def torch_module(self) -> torch.nn.Module | None:
        """The local reward model's ``nn.Module`` (moved with PPO's adapter), if any."""
        module = getattr(self.reward_model, "model", None)
        return module if isinstance(module, torch.nn.Module) else None

    def score_texts(self, responses: Sequence[str], prompts: Sequence[str]) -> list[float]:
        """The proxy of response texts (always re-encoded)."""
        return list(self.reward.score(list(prompts), list(responses)).rewards)

    def score_ids(self, prompt_ids: list[list[int]], response_ids: list[list[int]]
                  ) -> tuple[RewardBatch, list[str], list[str]]:
        """Score responses given as token-id lists (pads removed): ``(batch, prompt_texts, response_texts)``."""
        decode = self.policy_tokenizer.batch_decode
        responses = decode(response_ids, skip_special_tokens=True)
        prompts = decode(prompt_ids, skip_special_tokens=True)
        module = self.torch_module
        if module is not None and hasattr(self.reward_model, "device"):
            # TRL moves the adapter (and with it the reward model) with .to(device)
            self.reward_model.device = next(module.parameters()).device
        if not self.fast_path:
            return self.reward.score(prompts, responses), prompts, responses
        known = {MODEL_COMPONENT: self._model_scores_from_ids(response_ids)}
        return self.reward.score(prompts, responses, known=known), prompts, responses  # type: ignore[call-arg]

    @torch.no_grad()
    def _model_scores_from_ids(self, response_ids: list[list[int]]) -> list[float]:
        assert self._framing is not None
        prefix, suffix = self._framing
        room = max(0, self.max_length - len(prefix) - len(suffix))  # response tokens that fit with the framing
        tok, model = self.reward_model.tokenizer, self.reward_model.model
        special = set(getattr(tok, "all_special_ids", []) or [])
        device = next(model.parameters()).device
        batch_size = self.reward.batch_size  # type: ignore[attr-defined]
        out: list[float] = []
        for start in range(0, len(response_ids), batch_size):
            chunk = [[*prefix, *[i for i in ids if i not in special][:room], *suffix]
                     for ids in response_ids[start : start + batch_size]]
            enc = tok.pad({"input_ids": chunk}, padding_side="right", return_tensors="pt")
            logits = model(input_ids=enc["input_ids"].to(device), attention_mask=enc["attention_mask"].to(device)).logits
            out.extend(logits[:, 0].float().cpu().tolist())
        return out


def RewardScorer(policy_tokenizer: Any, *, reward_model: Any = None, reward_functions: Sequence[Any] | None = None,
                 reward_function_weights: Sequence[float] | None = None, reward_model_weight: float | None = None,
                 batch_size: int = 32, max_length: int | None = None, fast_path: bool | None = None) -> TokenReward:
    """Deprecated (one release): the former ``aligntune.rl.bridge.scorer.RewardScorer``, now a
    :class:`TokenReward` over a :class:`LocalReward` of the same model, rules and weights."""
    if reward_model is None and not reward_functions:
        raise ConfigurationError("RewardScorer needs a reward_model, reward_functions, or both")
    rules = CompositeReward(list(reward_functions), reward_function_weights) if reward_functions else None
    reward = LocalReward(reward_model=reward_model, rules=rules, reward_model_weight=reward_model_weight,
                         batch_size=batch_size)
    return TokenReward(reward, policy_tokenizer, fast_path=fast_path, max_length=max_length)


class RewardAdapter(nn.Module):
    """TRL-PPO-compatible reward module backed by a :class:`TokenReward` (see the module docstring).

    Args:
        token_reward: turns token ids into the reward object's numbers.
        prompt_width: the fixed (left-padded) prompt width of every batch.
    """

    base_model_prefix = "backbone"

    def __init__(self, token_reward: TokenReward, prompt_width: int) -> None:
        super().__init__()
        self.token_reward = token_reward
        self.prompt_width = prompt_width
        self.records: list[ScoredBatch] = []
        self.score = nn.Identity()
        module = token_reward.torch_module
        if module is not None:
            self.reward_model = module  # registered, so .to(device) and eval() reach it
        hidden = getattr(getattr(module, "config", None), "hidden_size", None) or 1
        self.config = PretrainedConfig(hidden_size=int(hidden))  # what TRL and DeepSpeed read from a reward model

    def backbone(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                 **_: Any) -> BaseModelOutput:
        """What TRL calls as the reward model's backbone: each row's proxy, as its hidden state at every position."""
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
        tokenizer = self.token_reward.policy_tokenizer
        eos = tokenizer.eos_token_id
        if eos is not None and eos == tokenizer.pad_token_id:  # TRL masked the EOS that ended a response as padding
            response_ids = [kept + [eos] if not all(keep[width:]) else kept for kept, keep in zip(response_ids, mask)]
        batch, prompts, responses = self.token_reward.score_ids(prompt_ids, response_ids)
        self.records.append(ScoredBatch(prompts, responses, batch, response_ids))
        values = torch.tensor(batch.rewards, dtype=torch.float32, device=input_ids.device)
        hidden = values.view(-1, 1, 1).expand(-1, input_ids.shape[1], 1)
        return BaseModelOutput(last_hidden_state=hidden, hidden_states=(hidden,))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None, **kwargs: Any) -> Any:
        """Proxy at every position, shape ``(B, T, 1)``."""
        return self.score(self.backbone(input_ids, attention_mask, **kwargs).hidden_states[-1])

    def drain(self) -> ScoredBatch | None:
        """The batches scored since the last call, as one (``None`` when none), and forget them."""
        records = list(self.records)
        self.records.clear()
        if not records:
            return None
        return ScoredBatch([p for r in records for p in r.prompts], [c for r in records for c in r.completions],
                           RewardBatch.concat([r.numbers for r in records]),
                           [ids for r in records for ids in r.completion_ids])
