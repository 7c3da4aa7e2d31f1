"""PPO on ``trl.experimental.ppo.PPOTrainer``: this family's part of :class:`~aligntune_backend_trl.base.TRLTrainerBase`
and the one module that talks to ``trl.experimental.ppo`` (:func:`ppo_args` and
:meth:`AlignTunePPOTrainer.build_trl_trainer`): when TRL's PPO goes away (it is deleted after trl 1.12), those
two are what a replacement engine reimplements.

The reward reaches TRL's PPO as an ``nn.Module`` (:class:`~aligntune_backend_trl.token_reward.RewardAdapter`).

>>> trainer = AlignTunePPOTrainer(config)                                    # doctest: +SKIP
>>> trainer = AlignTunePPOTrainer(config, bundle=PolicyBundle(policy, tok))  # doctest: +SKIP
>>> result = trainer.train(); path = trainer.save_model()                    # doctest: +SKIP

A backend that loads the policy its own way passes a :class:`PolicyBundle` (``bundle=``) or a
``policy_loader(config) -> PolicyBundle``, called inside ``train()`` after a custom reward model is trained (so
GPU memory is not held during reward training); :func:`~aligntune_backend_trl.models.complete_bundle` fills in
the reference and the value model it lacks.
"""

from __future__ import annotations

import gc
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Callable

from aligntune.plugin_api import (
    PPO_SETTINGS,
    ConfigurationError,
    Reward,
    RLResult,
    ScoredBatch,
    experimental_ppo,
    launched_world_size,
    to_peft_config,
)
from aligntune_backend_trl.base import TRLTrainerBase, trl_config
from aligntune_backend_trl.gold_tracking import StopForOverOptimisation
from aligntune_backend_trl.models import PolicyBundle, complete_bundle, load_policy_bundle

logger = logging.getLogger("aligntune_backend_trl")

__all__ = ["AlignTunePPOTrainer", "PolicyBundle", "PolicyLoader", "PPOResult", "build_ppo_trainer"]

PolicyLoader = Callable[[Any], PolicyBundle]
#: Deprecated name (one release) of :class:`~aligntune.plugin_api.RLResult`.
PPOResult = RLResult


class AlignTunePPOTrainer(TRLTrainerBase):
    """PPO for a validated config: reward (a model trained first when asked), policy bundle, prompts."""

    step_key = "objective/scores"
    kl_key = "objective/kl"
    kept_metrics = ("objective/scores", "objective/kl", "objective/entropy", "objective/rlhf_reward",
                    "objective/non_score_reward", "loss/policy_avg", "loss/value_avg", "policy/approxkl_avg",
                    "val/num_eos_tokens", "eps", "episode", "lr")
    raise_to_stop = True  # TRL's PPO loop reads no should_training_stop
    bar_shows_kl_and_gold = True

    def __init__(self, config: Any, *, bundle: PolicyBundle | None = None, policy_loader: PolicyLoader | None = None,
                 reward: Reward | None = None) -> None:
        super().__init__(config, reward=reward, policy_loader=policy_loader or load_policy_bundle)
        self.bundle = bundle
        self.adapter: Any = None

    def load_policy(self) -> None:
        if self.bundle is None:
            self.bundle = self.policy_loader(self.config)  # type: ignore[misc]
        self.bundle = complete_bundle(self.bundle, self.config)
        self.tokenizer = self.bundle.tokenizer

    def build_trl_trainer(self, prompts: list[str], *, is_chat: bool, callbacks: list[Any]) -> Any:
        # torch and trl load here, when PPO is built, never when the plugin is listed
        from transformers.trainer_callback import PrinterCallback, ProgressCallback

        from aligntune_backend_trl.data import tokenize_prompts
        from aligntune_backend_trl.token_reward import RewardAdapter, TokenReward

        assert self.bundle is not None and self.reward is not None
        dataset, width = tokenize_prompts(self.tokenizer, prompts, max_width=self.config.max_prompt_length,
                                          add_special_tokens=not is_chat)
        self.adapter = RewardAdapter(TokenReward(self.reward, self.tokenizer), prompt_width=width)
        bundle = self.bundle
        # LoRA (peft_config): TRL wraps the policy, and the reference is the policy with its adapter off
        trainer = experimental_ppo().PPOTrainer(
            args=ppo_args(self.config, len(dataset)), processing_class=bundle.tokenizer, model=bundle.policy,
            ref_model=bundle.ref_policy, reward_model=self.adapter, train_dataset=dataset,
            value_model=bundle.value_model, callbacks=callbacks, peft_config=to_peft_config(self.config.peft_config))
        trainer.remove_callback(PrinterCallback)  # the progress bar and the log carry the figures
        trainer.remove_callback(ProgressCallback)
        return trainer

    def step_batch(self) -> tuple[ScoredBatch, list[int], list[bool]] | None:
        scored = self.adapter.drain()
        if scored is None:
            return None
        eos = self.tokenizer.eos_token_id
        return scored, [len(ids) for ids in scored.completion_ids], [eos in ids for ids in scored.completion_ids]

    def unwrapped_policy(self) -> Any:
        return super().unwrapped_policy().policy  # TRL's PPO model wraps the policy and the value model

    def run(self, trainer: Any) -> None:
        try:
            with frozen_heap(), without_generate_notice():
                trainer.train()
        except StopForOverOptimisation as stop:
            logger.warning("PPO stopped at step %s on the over-optimisation alarm", stop.args[0])

    def summary(self, seconds: float, **extra: Any) -> dict[str, Any]:
        return super().summary(seconds, **extra, fast_path=bool(self.adapter.token_reward.fast_path))

    def policy_to_save(self) -> Any:
        if self.trl_trainer is None and self.bundle is not None:
            return self.bundle.policy  # a policy given up front can be saved before training
        return super().policy_to_save()


def build_ppo_trainer(config: Any, *, policy: Any = None, tokenizer: Any = None, ref_policy: Any = None,
                      value_model: Any = None, policy_loader: PolicyLoader | None = None,
                      reward: Reward | None = None) -> AlignTunePPOTrainer:
    """A PPO trainer with models a caller loaded (``policy=`` with ``tokenizer=``, optionally ``ref_policy=``
    and ``value_model=``) or a ``policy_loader=``; nothing loads until ``train()``."""
    if policy is not None and policy_loader is not None:
        raise ConfigurationError("Pass either policy= (already loaded) or policy_loader=, not both")
    if (policy is None) != (tokenizer is None):
        raise ConfigurationError("policy= and tokenizer= go together: pass both, or neither")
    if policy is None and (ref_policy is not None or value_model is not None):
        raise ConfigurationError("ref_policy= and value_model= need policy= and tokenizer= as well")
    bundle = None if policy is None else PolicyBundle(policy, tokenizer, ref_policy, value_model)
    return AlignTunePPOTrainer(config, bundle=bundle, policy_loader=policy_loader, reward=reward)


def ppo_args(config: Any, n_prompts: int) -> Any:
    """Map an aligntune config to ``trl.experimental.ppo.PPOConfig`` (the one place PPO's is built)."""
    import torch

    local = config.batch_size * config.gradient_accumulation_steps
    return trl_config(
        config,
        **{name: getattr(config, name) for name in PPO_SETTINGS},
        per_device_train_batch_size=config.batch_size,
        total_episodes=config.total_episodes or max(local, int(math.ceil(config.num_epochs * n_prompts))),
        stop_token="eos" if config.stop_at_eos else None,
        local_rollout_forward_batch_size=max(local, 1),
        num_sample_generations=0,
        # launched as several processes without CUDA: data-parallel on gloo, not each process alone
        **({"use_cpu": True} if launched_world_size() > 1 and not torch.cuda.is_available() else {}),
    )


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Run PPO with the objects that exist now moved out of the garbage collector's reach.

    TRL's PPO loop calls ``gc.collect()`` twice per step; each full collection walks every object
    alive (models, tokenizers, datasets, imported modules): measured 0.39 s a call with the tiny demo
    policy, about a third of its PPO wall time. ``gc.freeze()`` leaves those long-lived objects out
    of the walk (what a step allocates is still collected); ``gc.unfreeze()`` afterwards returns them.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()



@contextmanager
def without_generate_notice() -> Iterator[None]:
    """Run without transformers' notice that ``generate`` got a ``generation_config`` together with other
    generation arguments: TRL 1.12's PPO makes that call itself, so a user can do nothing about it."""
    target = logging.getLogger("transformers.generation.utils")

    def notice(record: logging.LogRecord) -> bool:
        return "together with generation-related" not in record.getMessage()

    target.addFilter(notice)
    try:
        yield
    finally:
        target.removeFilter(notice)
