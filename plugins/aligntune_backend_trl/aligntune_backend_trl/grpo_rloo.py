"""GRPO and RLOO on TRL's ``GRPOTrainer`` and ``RLOOTrainer``: this family's part of
:class:`~aligntune_backend_trl.base.TRLTrainerBase`.

The reward reaches TRL as text callables (:class:`~aligntune.plugin_api.RewardCallables`), so TRL
optimises exactly the reward object's proxy and logs each component (groups: :mod:`aligntune.rl.algorithms`).
"""

from __future__ import annotations

import math
from typing import Any, Callable

from aligntune.plugin_api import (
    ONLY_FOR,
    Reward,
    RewardCallables,
    ScoredBatch,
    completion_length,
    generations,
    launched_world_size,
    to_peft_config,
)
from aligntune_backend_trl.base import TRLTrainerBase, trl_config
from aligntune_backend_trl.data import fit_prompts, response_ends
from aligntune_backend_trl.models import load_policy_and_tokenizer, prepare_tokenizer


def grpo_args(config: Any, reward_weights: list[float], world: int = 1) -> Any:
    """Map an aligntune config to ``trl.GRPOConfig`` or ``trl.RLOOConfig`` (the one place this family's is built)."""
    group = generations(config)
    completions_per_step = config.batch_size * group * config.gradient_accumulation_steps * world
    family: dict[str, Any] = dict(
        per_device_train_batch_size=config.batch_size * group,
        num_generations=group,
        max_completion_length=completion_length(config),
        reward_weights=reward_weights,
    )
    if config.total_episodes is not None:
        family["max_steps"] = max(1, math.ceil(config.total_episodes / completions_per_step))
    # the rest of the group settings (algorithms.ONLY_FOR) as given; TRL's defaults otherwise
    family.update({n: getattr(config, n) for n in ONLY_FOR if n not in family and getattr(config, n) is not None})
    return trl_config(config, **family)


class AlignTuneGRPOTrainer(TRLTrainerBase):
    """GRPO or RLOO for a validated config; models load in ``train()``.

    ``policy_loader(config) -> (model, tokenizer)`` loads the policy another way (the Unsloth
    backend's; default: ``config.model_name``); it runs before trl is imported, so a library that
    patches trl on import can.
    """

    step_key = "reward"
    kl_key = "kl"
    kept_metrics = ("reward", "reward_std", "kl", "entropy", "loss", "completions/mean_length",
                    "completions/clipped_ratio", "completions/mean_terminated_length", "learning_rate", "grad_norm")

    def __init__(self, config: Any, *, policy_loader: Callable[[Any], tuple[Any, Any]] | None = None,
                 reward: Reward | None = None) -> None:
        super().__init__(config, reward=reward, policy_loader=policy_loader or load_policy_and_tokenizer)
        self.callables: RewardCallables | None = None
        self.policy: Any = None

    def load_policy(self) -> None:
        self.policy, self.tokenizer = self.policy_loader(self.config)  # type: ignore[misc]
        prepare_tokenizer(self.tokenizer)

    def build_trl_trainer(self, prompts: list[str], *, is_chat: bool, callbacks: list[Any]) -> Any:
        from datasets import Dataset
        from transformers.trainer_callback import PrinterCallback
        from trl import GRPOTrainer, RLOOTrainer

        assert self.reward is not None
        # TRL 1.12 tokenizes the prompts itself (with special tokens) and truncates nothing: cut them here
        prompts = fit_prompts(self.tokenizer, prompts, max_tokens=self.config.max_prompt_length)
        self.callables = RewardCallables(self.reward, self.reward.describe()["components"])
        args = grpo_args(self.config, self.callables.weights, launched_world_size())
        trainer_class = GRPOTrainer if self.config.algorithm == "grpo" else RLOOTrainer
        trainer = trainer_class(model=self.policy, reward_funcs=self.callables.functions, args=args,
                                train_dataset=Dataset.from_dict({"prompt": prompts}), processing_class=self.tokenizer,
                                callbacks=callbacks, peft_config=to_peft_config(self.config.peft_config))
        trainer.remove_callback(PrinterCallback)  # the progress bar and the log carry the figures
        return trainer

    def step_batch(self) -> tuple[ScoredBatch, list[int], list[bool]] | None:
        last = self.callables.last if self.callables is not None else None
        if last is None:
            return None
        ids = last.completion_ids or [[] for _ in last.completions]
        return (last, *response_ends(ids, self.tokenizer.eos_token_id))
