"""GRPO and RLOO on TRL's core trainers, with every reward source aligntune has.

The reward reaches TRL as text callables (:mod:`aligntune.rl.bridge.callables`): the
reward model scores each completion the way it was trained, each rule function is a
reward of its own (TRL logs ``rewards/<name>/mean``), weights are normalised, and NaN or
infinite scores raise. ``batch_size`` counts prompts: a step generates ``batch_size *
num_generations`` completions per process.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from aligntune import distributed
from aligntune.errors import BackendError
from aligntune.rl import preflight
from aligntune.rl.algorithms import completion_length, generations
from aligntune.rl.bridge.callables import combined, reward_callables, score_texts
from aligntune.rl.monitor import resolve_gold
from aligntune.rl.prompts import format_prompts, load_prompt_dataset
from aligntune.rl.sources import load_reward_model
from aligntune_backend_trl import reporting
from aligntune_backend_trl.callbacks import OnlineLogCallback
from aligntune_backend_trl.data import fit_prompts
from aligntune_backend_trl.models import load_causal_lm, load_tokenizer, prepare_tokenizer
from aligntune_backend_trl.monitoring import MonitorCallback, RunMonitor
from aligntune_backend_trl.run_dir import RunDirectory
from aligntune_backend_trl.trainer import PPOResult, kept_policy

logger = logging.getLogger("aligntune_backend_trl")

#: TRL metrics kept in the per-step log.
KEPT = ("reward", "reward_std", "kl", "entropy", "loss", "completions/mean_length", "completions/clipped_ratio",
        "completions/mean_terminated_length", "learning_rate", "grad_norm")


def trl_args(config: Any, world: int = 1) -> Any:
    """Map an aligntune config to ``trl.GRPOConfig`` or ``trl.RLOOConfig``."""
    from trl import GRPOConfig, RLOOConfig

    group = generations(config)
    completions_per_step = config.batch_size * group * config.gradient_accumulation_steps * world
    kwargs: dict[str, Any] = dict(
        output_dir=config.output_dir,
        per_device_train_batch_size=config.batch_size * group,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        num_generations=group,
        max_completion_length=completion_length(config),
        learning_rate=config.learning_rate,
        num_train_epochs=config.num_epochs,
        temperature=config.temperature,
        seed=config.seed,
        logging_steps=config.logging_steps,
        report_to=config.report_to,
        bf16=config.bf16,
        save_strategy="no",
        disable_tqdm=True,
        dataloader_num_workers=0,
    )
    if config.total_episodes is not None:
        kwargs["max_steps"] = max(1, math.ceil(config.total_episodes / completions_per_step))
    for name in ("beta", "loss_type", "scale_rewards", "normalize_advantages"):
        if getattr(config, name) is not None:
            kwargs[name] = getattr(config, name)
    return (GRPOConfig if config.algorithm == "grpo" else RLOOConfig)(**kwargs)


class AlignTuneOnlineTrainer:
    """GRPO or RLOO for a validated config; models load in :meth:`train`, not at construction."""

    def __init__(self, config: Any, *, policy_loader: Any = None) -> None:
        self.config = config
        self.policy_loader = policy_loader
        self.run_dir = RunDirectory(config)
        self.reward_model: Any = None
        self.reward_model_path: str | None = None
        self.callables: list[Any] = []
        self.weights: list[float] = []
        self.trl_trainer: Any = None
        self.tokenizer: Any = None
        self.history: list[dict[str, Any]] = []
        self.result: PPOResult | None = None

    def load_reward(self) -> Any:
        """The reward model of the config's source, if it has one (a source that trains one trains it now)."""
        src = self.config.reward_source
        if src is not None and self.reward_model is None:
            self.run_dir.mark()  # a reward model trained for the run goes into output_dir
            self.reward_model = load_reward_model(src)
            self.reward_model_path = src.model_path or src.model_name or self.reward_model.path
        return self.reward_model

    def build(self) -> Any:
        """Load the reward, the policy and the prompts; construct TRL's trainer (without training)."""
        cfg = self.config
        self.run_dir.mark()
        reward_model = self.load_reward()
        self.callables, self.weights = reward_callables(
            reward_model=reward_model, reward_functions=cfg.reward_functions,
            reward_function_weights=cfg.reward_function_weights, reward_model_weight=cfg.reward_model_weight,
            batch_size=cfg.reward_batch_size,
        )
        if self.policy_loader is not None:  # before trl is imported: Unsloth patches it on import
            policy, self.tokenizer = self.policy_loader(cfg)
            prepare_tokenizer(self.tokenizer)
        else:
            self.tokenizer = load_tokenizer(cfg.model_name)
            policy = load_causal_lm(cfg.model_name, cfg)
        from datasets import Dataset
        from transformers.trainer_callback import PrinterCallback
        from trl import GRPOTrainer, RLOOTrainer

        prompt_data = load_prompt_dataset(cfg.dataset_name, split=cfg.dataset_split, prompt_column=cfg.prompt_column,
                                          max_samples=cfg.max_samples)
        prompts = format_prompts(prompt_data, self.tokenizer)
        self.monitor = RunMonitor(cfg, resolve_gold(cfg, reward_model), max_new_tokens=completion_length(cfg))
        n_prompts = len(prompts)
        prompts = self.monitor.hold_out(prompts, self.tokenizer, is_chat=prompt_data.is_chat)
        preflight.check_prompt_count(n_prompts, batch_size=cfg.batch_size, held_out=n_prompts - len(prompts),
                                     gradient_accumulation_steps=cfg.gradient_accumulation_steps,
                                     origin=prompt_data.origin)
        # TRL 1.12 tokenizes the prompts itself (with special tokens) and truncates nothing: cut them here
        prompts = fit_prompts(self.tokenizer, prompts, max_tokens=cfg.max_prompt_length)
        self.monitor.proxy = lambda p, c: score_texts(self.callables, self.weights, p, c)
        self.monitor.policy_of = lambda: self.trl_trainer.accelerator.unwrap_model(self.trl_trainer.model)
        args = trl_args(cfg, distributed.launched_world_size())
        args.reward_weights = self.weights
        trainer_class = GRPOTrainer if cfg.algorithm == "grpo" else RLOOTrainer
        self._callback = OnlineLogCallback(self, desc=cfg.algorithm.upper())
        self.trl_trainer = trainer_class(
            model=policy, reward_funcs=self.callables, args=args, train_dataset=Dataset.from_dict({"prompt": prompts}),
            processing_class=self.tokenizer, callbacks=[self._callback, MonitorCallback(self.monitor)],
        )
        self.trl_trainer.remove_callback(PrinterCallback)  # the progress bar and the log carry the figures
        return self.trl_trainer

    def record(self, logs: dict[str, Any]) -> dict[str, Any]:
        """One per-step record: the optimised reward, each callable's mean, TRL's metrics, a few samples."""
        rewards = combined(self.callables, self.weights) if self.callables[0].last.scores else []
        mean = sum(rewards) / len(rewards) if rewards else float(logs.get("reward", math.nan))
        record: dict[str, Any] = {"step": len(self.history) + 1, "reward_mean": mean}
        for fn in self.callables:
            scores = fn.last.scores
            if scores:
                record[f"rewards/{fn.__name__}"] = sum(scores) / len(scores)
        record.update({k: logs[k] for k in KEPT if k in logs})
        last = self.callables[0].last
        record["samples"] = [
            {"prompt": p, "response": c, "reward": r, "components": {fn.__name__: fn.last.scores[i] for fn in self.callables}}
            for i, (p, c, r) in enumerate(zip(last.prompts, last.completions, rewards))
        ][:8]
        eos = self.tokenizer.eos_token_id
        ids = last.completion_ids or [[] for _ in last.completions]
        self.monitor.on_batch(record, last.prompts, last.completions, rewards,
                              lengths=[(row.index(eos) + 1 if eos in row else len(row)) for row in ids],
                              ended=[eos in row for row in ids],
                              known={fn.__name__: fn.last.scores for fn in self.callables if fn.__name__ != "reward_model"})
        self.history.append(record)
        return record

    def train(self) -> PPOResult:
        """Train the reward model when the source trains one, then run GRPO/RLOO; write metrics and the curve."""
        start = time.perf_counter()
        trainer = self.trl_trainer or self.build()
        logger.info("%s: %s; reward: %s", self.config.algorithm.upper(), self.config.model_name,
                    self.config.describe_reward())
        trainer.train()
        if not self.history:
            raise BackendError(f"{self.config.algorithm} ran no steps; check total_episodes/num_epochs against batch_size")
        seconds = time.perf_counter() - start
        kept_step, kept = kept_policy(self.monitor, int(trainer.state.global_step))
        summary = {
            "algorithm": self.config.algorithm,
            "model_name": self.config.model_name,
            "reward": self.config.describe_reward(),
            "reward_model_path": self.reward_model_path,
            "reward_weights": dict(zip([fn.__name__ for fn in self.callables], self.weights)),
            "steps": len(self.history),
            "reward_start": self.history[0]["reward_mean"],
            "reward_end": self.history[-1]["reward_mean"],
            "seconds": seconds,
            "monitor": self.monitor.summary(),
        }
        metrics_path = plot_path = None
        if trainer.accelerator.is_main_process:
            metrics_path = reporting.write_metrics(self.config.output_dir, summary, self.history,
                                                   evaluations=self.monitor.evaluations)
            plot_path = reporting.plot_reward_curve(self.config.output_dir, self.history,
                                                    title=f"{self.config.algorithm.upper()} reward")
            reporting.plot_rl_report(self.config.output_dir, self.history, self.monitor.evaluations, kl_key="kl",
                                     beta=getattr(trainer.args, "beta", None))
            self.run_dir.finish()
        self.result = PPOResult(
            steps=len(self.history), reward_start=summary["reward_start"], reward_end=summary["reward_end"],
            metrics_path=metrics_path or "", plot_path=plot_path, reward_model_path=self.reward_model_path,
            seconds=seconds, kept_step=kept_step, kept=kept, history=self.history,
        )
        return self.result

    def save_model(self, output_dir: str | None = None, *, overwrite: bool | None = None) -> str:
        """Save the policy (unwrapped) and its tokenizer with ``save_pretrained``; return the path.

        Default directory: ``<config.output_dir>/policy``, written through a staging
        directory under the rule of :mod:`aligntune.outputs` (see the PPO trainer).
        """
        if self.trl_trainer is None:
            raise BackendError("Nothing to save yet: call train() first (the policy loads there)")
        accelerator = self.trl_trainer.accelerator
        policy = accelerator.unwrap_model(self.trl_trainer.model)
        path = self.run_dir.save_policy(policy, self.tokenizer, output_dir, overwrite=overwrite,
                                        main=accelerator.is_main_process, monitor=self.monitor, result=self.result)
        accelerator.wait_for_everyone()
        return path
