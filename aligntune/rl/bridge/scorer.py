"""The reward scorer: policy token ids -> one finite reward per response.

Sources, combined as one weighted sum (weights normalised to sum to 1):

* a reward model (an object with ``.model``, ``.tokenizer`` and
  ``.score(texts, prompts=None, batch_size=32)``, e.g.
  :class:`aligntune.reward_model.scoring.TextRewardModel`). The response is decoded with
  the policy tokenizer and re-encoded by the reward model's own tokenizer. When both
  tokenizers share one vocabulary, the fast path skips decode/re-encode and feeds the
  response ids straight to the model (framed with the reward tokenizer's special
  tokens), which also keeps token sequences that do not survive a text round trip.
* rule-based reward functions, scored on the decoded response text (with the decoded
  prompt passed as ``prompts=``).

The reward model scores the response text alone, as it was trained, or (prompt,
response) when its aligntune manifest says it was trained with prompts
(``uses_prompts``; the fast path is then off). NaN or infinite rewards raise :class:`RewardFunctionError`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import torch

from aligntune import model_dirs
from aligntune.errors import ConfigurationError
from aligntune.rewards.base import check_finite
from aligntune.rewards.composite import CompositeReward, normalised
from aligntune.rl.bridge.tokens import framing_of, same_vocabulary

logger = logging.getLogger(__name__)


class RewardScorer:
    """Scores policy responses with a reward model, rule functions, or a weighted mix.

    Args:
        policy_tokenizer: the tokenizer that produced the token ids to score.
        reward_model: a text reward model (``.model``, ``.tokenizer``, ``.score``), or ``None``.
        reward_functions: reward function names/objects, or ``None``.
        reward_function_weights: one positive weight per function (default: equal).
        reward_model_weight: the model's weight when mixing it with rule functions.
        batch_size: texts per reward-model forward pass.
        max_length: longest reward-model input in tokens (default: the reward
            tokenizer's ``model_max_length``, capped at 512).
        fast_path: ``None`` picks it when the tokenizers share a vocabulary; ``False``
            forces decode + re-encode.
    """

    def __init__(
        self,
        policy_tokenizer: Any,
        *,
        reward_model: Any = None,
        reward_functions: Sequence[Any] | None = None,
        reward_function_weights: Sequence[float] | None = None,
        reward_model_weight: float | None = None,
        batch_size: int = 32,
        max_length: int | None = None,
        fast_path: bool | None = None,
    ) -> None:
        if reward_model is None and not reward_functions:
            raise ConfigurationError("RewardScorer needs a reward_model, reward_functions, or both")
        if reward_model is not None and reward_functions and reward_model_weight is None:
            raise ConfigurationError(
                "RewardScorer got a reward model and reward functions: pass reward_model_weight= to mix them"
            )
        self.policy_tokenizer = policy_tokenizer
        self.reward_model = reward_model
        self.batch_size = batch_size
        self.rules = None
        if reward_functions:
            self.rules = CompositeReward(list(reward_functions), reward_function_weights)
        if reward_model is not None and self.rules is not None:
            shares = normalised([float(reward_model_weight), *self.rules.raw_weights])
            self.model_weight, self.rules_weight = shares[0], sum(shares[1:])
        else:
            self.model_weight = 1.0 if reward_model is not None else 0.0
            self.rules_weight = 1.0 if self.rules is not None else 0.0
        self.fast_path = False
        self.uses_prompts = False
        if reward_model is not None:
            rm_tok = reward_model.tokenizer
            limit = getattr(rm_tok, "model_max_length", None) or 512
            self.max_length = model_dirs.cap_max_length(max_length or min(int(limit), 512), reward_model.model.config)
            self.uses_prompts = bool(getattr(reward_model, "uses_prompts", False))
            same = same_vocabulary(policy_tokenizer, rm_tok) and not self.uses_prompts
            self.fast_path = same if fast_path is None else (fast_path and same)
            if fast_path and not same:
                raise ConfigurationError(
                    "fast_path=True needs the policy and reward tokenizers to share a vocabulary, and a reward "
                    "model trained on texts alone (not prompt + text)"
                )
            self._framing = framing_of(rm_tok) if self.fast_path else None
            logger.info(
                "Reward model scoring: %s",
                "same tokenizer, token ids fed directly (fast path)"
                if self.fast_path
                else "different tokenizers, decode with the policy tokenizer and re-encode",
            )

    # -- public scoring ----------------------------------------------------------------

    @property
    def torch_module(self) -> torch.nn.Module | None:
        """The reward model's ``nn.Module`` (moved with the adapter), if any."""
        model = getattr(self.reward_model, "model", None)
        return model if isinstance(model, torch.nn.Module) else None

    def score_texts(self, responses: Sequence[str], prompts: Sequence[str] | None = None) -> list[float]:
        """Score response texts (the reference path: always re-encodes)."""
        responses = list(responses)
        total = [0.0] * len(responses)
        if self.reward_model is not None:
            model_scores = self._model_scores_from_text(responses, list(prompts) if prompts is not None else None)
            total = [t + self.model_weight * s for t, s in zip(total, model_scores)]
        if self.rules is not None:
            rule_scores = self.rules.score(responses, prompts=list(prompts) if prompts is not None else None)
            total = [t + self.rules_weight * s for t, s in zip(total, rule_scores)]
        return _checked(total, "the combined reward")

    def score_ids(
        self, prompt_ids: list[list[int]], response_ids: list[list[int]]
    ) -> tuple[list[float], list[str], list[str]]:
        """Score responses given as token-id lists (pads already removed).

        Returns ``(scores, prompt_texts, response_texts)``.
        """
        decode = self.policy_tokenizer.batch_decode
        responses = decode(response_ids, skip_special_tokens=True)
        prompts = decode(prompt_ids, skip_special_tokens=True)
        total = [0.0] * len(responses)
        if self.reward_model is not None:
            if self.fast_path:
                model_scores = self._model_scores_from_ids(response_ids)
            else:
                model_scores = self._model_scores_from_text(responses, prompts)
            total = [t + self.model_weight * s for t, s in zip(total, model_scores)]
        if self.rules is not None:
            rule_scores = self.rules.score(responses, prompts=prompts)
            total = [t + self.rules_weight * s for t, s in zip(total, rule_scores)]
        return _checked(total, "the combined reward"), prompts, responses

    # -- reward model ---------------------------------------------------------------

    def _model_scores_from_text(self, texts: list[str], prompts: list[str] | None) -> list[float]:
        module = self.torch_module
        if module is not None and hasattr(self.reward_model, "device"):
            # TRL moves the adapter (and with it the reward model) with .to(device)
            self.reward_model.device = next(module.parameters()).device
        if self.uses_prompts and prompts is not None:
            scores = self.reward_model.score(texts, prompts=prompts, batch_size=self.batch_size)
        else:
            scores = self.reward_model.score(texts, batch_size=self.batch_size)
        return _checked([float(s) for s in scores], "the reward model")

    @torch.no_grad()
    def _model_scores_from_ids(self, response_ids: list[list[int]]) -> list[float]:
        assert self._framing is not None
        tok = self.reward_model.tokenizer
        model = self.reward_model.model
        pad_id = tok.pad_token_id if tok.pad_token_id is not None else 0
        special = set(getattr(tok, "all_special_ids", []) or [])
        device = next(model.parameters()).device
        out: list[float] = []
        for start in range(0, len(response_ids), self.batch_size):
            chunk = [
                self._framing.wrap([i for i in ids if i not in special], self.max_length)
                for ids in response_ids[start : start + self.batch_size]
            ]
            width = max(len(ids) for ids in chunk)
            input_ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            for row, ids in enumerate(chunk):
                input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
                mask[row, : len(ids)] = 1
            logits = model(input_ids=input_ids.to(device), attention_mask=mask.to(device)).logits
            out.extend(logits[:, 0].float().cpu().tolist())
        return _checked(out, "the reward model")


def _checked(scores: list[float], what: str) -> list[float]:
    return check_finite(scores, who=what, verb="produced", unit="response",
                        hint=" to RL (check the reward model's weights and the reward functions)")
