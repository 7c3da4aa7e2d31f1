"""The one module that talks to ``trl.experimental.ppo``: config mapping and trainer construction.

When TRL's PPO goes away (it is deleted after trl 1.12), this module is what a
replacement engine reimplements: build a trainer from (config, models, reward module,
prompts) whose ``train()`` calls back ``on_log`` with per-step metrics.
"""

from __future__ import annotations

import gc
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aligntune.plugin_api import launched_world_size
from aligntune_backend_trl.base import trl_config

os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")


def ppo_args(config: Any, n_prompts: int) -> Any:
    """Map an aligntune config to ``trl.experimental.ppo.PPOConfig`` (the one place PPO's is built)."""
    local = config.batch_size * config.gradient_accumulation_steps
    return trl_config(
        config,
        per_device_train_batch_size=config.batch_size,
        num_mini_batches=config.num_mini_batches,
        num_ppo_epochs=config.num_ppo_epochs,
        total_episodes=config.total_episodes or max(local, int(math.ceil(config.num_epochs * n_prompts))),
        response_length=config.response_length,
        kl_coef=config.kl_coef,
        kl_estimator=config.kl_estimator,
        cliprange=config.cliprange,
        vf_coef=config.vf_coef,
        cliprange_value=config.cliprange_value,
        gamma=config.gamma,
        lam=config.lam,
        whiten_rewards=config.whiten_rewards,
        missing_eos_penalty=config.missing_eos_penalty,
        stop_token="eos" if config.stop_at_eos else None,
        local_rollout_forward_batch_size=max(local, 1),
        num_sample_generations=0,
        # launched as several processes without CUDA: data-parallel on gloo, not each process alone
        **({"use_cpu": True} if _multi_process_without_cuda() else {}),
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


def _multi_process_without_cuda() -> bool:
    import torch

    return launched_world_size() > 1 and not torch.cuda.is_available()


def build_trl_trainer(args: Any, bundle: Any, reward_module: Any, dataset: Any, callbacks: list[Any], *,
                      peft_config: Any = None) -> Any:
    """A ``trl.experimental.ppo.PPOTrainer`` with our progress callback instead of TRL's printer (LoRA on the
    policy with ``peft_config``: TRL wraps it, and the reference is the policy with its adapter off)."""
    from transformers.trainer_callback import PrinterCallback, ProgressCallback
    from trl.experimental.ppo import PPOTrainer

    trainer = PPOTrainer(
        args=args,
        processing_class=bundle.tokenizer,
        model=bundle.policy,
        ref_model=bundle.ref_policy,
        reward_model=reward_module,
        train_dataset=dataset,
        value_model=bundle.value_model,
        callbacks=callbacks,
        peft_config=peft_config,
    )
    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)
    return trainer
