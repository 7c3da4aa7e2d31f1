"""The trainer ``create_rl_trainer`` returns for the ``trl`` backend (and the Unsloth one)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from aligntune.errors import BackendError
from aligntune.rl import preflight
from aligntune.rl.monitor import resolve_gold
from aligntune.rl.prompts import format_prompts, load_prompt_dataset
from aligntune.rl.sources import load_reward_model
from aligntune_backend_trl.models import PolicyBundle, complete_bundle, load_policy_bundle
from aligntune_backend_trl.monitoring import MonitorCallback, RunMonitor, StopForOverOptimisation
from aligntune_backend_trl.run_dir import RunDirectory

logger = logging.getLogger("aligntune_backend_trl")

PolicyLoader = Callable[[Any], PolicyBundle]


@dataclass
class PPOResult:
    """What :meth:`AlignTunePPOTrainer.train` returns."""

    steps: int
    reward_start: float
    reward_end: float
    metrics_path: str
    plot_path: str | None
    reward_model_path: str | None
    seconds: float
    #: The step whose policy ``save_model`` saves, and why (best held-out gold, or the last step).
    kept_step: int | None = None
    kept: str = ""
    history: list[dict[str, Any]] = field(repr=False, default_factory=list)


def kept_policy(monitor: Any, final_step: int) -> tuple[int, str]:
    """``(step, why)`` of the policy a run keeps; a start policy kept by gold is a warning, never silent."""
    kept = monitor.kept()
    step = kept["step"] if kept["step"] is not None else final_step
    if step == 0 and final_step > 0:
        logger.warning("The saved policy will be %s", kept["why"])
    else:
        logger.info("The saved policy will be %s", kept["why"])
    return step, kept["why"]


class AlignTunePPOTrainer:
    """Runs PPO for a validated config: reward model (trained first when asked), policy, prompts.

    Models load in :meth:`train`, not at construction. ``policy_loader`` builds the
    :class:`PolicyBundle` (default: transformers from ``config.model_name``); a bundle
    given up front is used as is (missing reference/value models are filled in).
    """

    def __init__(
        self,
        config: Any,
        *,
        bundle: PolicyBundle | None = None,
        policy_loader: PolicyLoader | None = None,
    ) -> None:
        self.config = config
        self.bundle = bundle
        self.policy_loader = policy_loader or load_policy_bundle
        self.reward_model: Any = None
        self.reward_model_path: str | None = None
        self.adapter: Any = None
        self.trl_trainer: Any = None
        self.history: list[dict[str, Any]] = []
        self.result: PPOResult | None = None
        self.run_dir = RunDirectory(config)

    # -- steps -----------------------------------------------------------------------

    def load_reward(self) -> Any:
        """The reward model of the config's source, if it has one (the source trains it first if it trains one)."""
        src = self.config.reward_source
        if src is None or self.reward_model is not None:
            return self.reward_model
        self.run_dir.mark()  # a reward model trained for the run goes into output_dir
        self.reward_model = load_reward_model(src)
        # what the user named (a hub name, a directory, a plugin's own reference), else where it was trained to
        self.reward_model_path = src.model_path or src.model_name or self.reward_model.path
        return self.reward_model

    def load_models(self) -> PolicyBundle:
        """The policy bundle (loaded once)."""
        if self.bundle is None:
            self.bundle = self.policy_loader(self.config)
        self.bundle = complete_bundle(self.bundle, self.config)
        return self.bundle

    def build(self) -> Any:
        """Load everything and construct the underlying PPO trainer (without training)."""
        # torch and trl load here, when PPO is built, never when the plugin is listed
        from aligntune.rl.bridge.scorer import RewardScorer
        from aligntune_backend_trl import trl_ppo
        from aligntune_backend_trl.callbacks import RewardLogCallback
        from aligntune_backend_trl.data import tokenize_prompts
        from aligntune_backend_trl.reward_adapter import RewardAdapter

        cfg = self.config
        reward_model = self.load_reward()
        bundle = self.load_models()
        prompt_data = load_prompt_dataset(
            cfg.dataset_name, split=cfg.dataset_split, prompt_column=cfg.prompt_column, max_samples=cfg.max_samples
        )
        prompts = format_prompts(prompt_data, bundle.tokenizer)
        self.monitor = RunMonitor(cfg, resolve_gold(cfg, reward_model), max_new_tokens=cfg.response_length)
        n_prompts = len(prompts)
        prompts = self.monitor.hold_out(prompts, bundle.tokenizer, is_chat=prompt_data.is_chat)
        # TRL repeats a drop_last dataloader forever: an empty one would hang, so refuse it here too
        preflight.check_prompt_count(
            n_prompts, batch_size=cfg.batch_size, held_out=n_prompts - len(prompts),
            gradient_accumulation_steps=cfg.gradient_accumulation_steps, origin=prompt_data.origin,
        )
        dataset, width = tokenize_prompts(
            bundle.tokenizer, prompts, max_width=cfg.max_prompt_length, add_special_tokens=not prompt_data.is_chat
        )
        scorer = RewardScorer(
            bundle.tokenizer,
            reward_model=reward_model,
            reward_functions=cfg.reward_functions,
            reward_function_weights=cfg.reward_function_weights,
            reward_model_weight=cfg.reward_model_weight,
            batch_size=cfg.reward_batch_size,
        )
        self.adapter = RewardAdapter(scorer, prompt_width=width)
        args = trl_ppo.ppo_args(cfg, len(dataset))
        self.monitor.proxy = lambda prompts, responses: scorer.score_texts(responses, prompts)
        self.monitor.policy_of = lambda: trl_ppo.unwrapped_policy(self.trl_trainer)
        callback = RewardLogCallback(self.adapter, total_steps=0, monitor=self.monitor)
        # TRL's PPO loop reads no should_training_stop: the monitor raises to stop it
        monitor_callback = MonitorCallback(self.monitor, raise_to_stop=True)
        self.trl_trainer = trl_ppo.build_trl_trainer(args, bundle, self.adapter, dataset, [callback, monitor_callback])
        callback._bar.total = trl_ppo.total_steps(args)
        self._callback = callback
        return self.trl_trainer

    # -- public API ------------------------------------------------------------------

    def train(self) -> PPOResult:
        """Train the reward model when asked, then run PPO; writes metrics and the reward curve."""
        from aligntune_backend_trl import reporting, trl_ppo

        start = time.perf_counter()
        self.run_dir.mark()
        trainer = self.trl_trainer or self.build()
        logger.info("PPO: %s; reward: %s", self.config.model_name, self.config.describe_reward())
        try:
            with trl_ppo.frozen_heap():
                trainer.train()
        except StopForOverOptimisation as stop:
            logger.warning("PPO stopped at step %s on the over-optimisation alarm", stop.args[0])
        self.monitor.evaluate(int(trainer.state.global_step))
        self.history = self._callback.steps
        if not self.history:
            raise BackendError("PPO ran no steps; check total_episodes/num_epochs against batch_size")
        seconds = time.perf_counter() - start
        kept_step, kept = kept_policy(self.monitor, int(trainer.state.global_step))
        summary = {
            "model_name": self.config.model_name,
            "reward": self.config.describe_reward(),
            "reward_model_path": self.reward_model_path,
            "steps": len(self.history),
            "reward_start": self.history[0]["reward_mean"],
            "reward_end": self.history[-1]["reward_mean"],
            "seconds": seconds,
            "fast_path": bool(self.adapter.scorer.fast_path),
            "monitor": self.monitor.summary(),
        }
        metrics_path = plot_path = None
        if trl_ppo.is_main_process(trainer):
            metrics_path = reporting.write_metrics(self.config.output_dir, summary, self.history,
                                                   evaluations=self.monitor.evaluations)
            plot_path = reporting.plot_reward_curve(self.config.output_dir, self.history)
            reporting.plot_rl_report(self.config.output_dir, self.history, self.monitor.evaluations,
                                     kl_key="objective/kl")
            self.run_dir.finish()
        self.result = PPOResult(
            steps=len(self.history),
            reward_start=summary["reward_start"],
            reward_end=summary["reward_end"],
            metrics_path=metrics_path or "",
            plot_path=plot_path,
            reward_model_path=self.reward_model_path,
            seconds=seconds,
            kept_step=kept_step,
            kept=kept,
            history=self.history,
        )
        logger.info(
            "PPO done: %d steps, mean reward %.4f -> %.4f", self.result.steps, self.result.reward_start, self.result.reward_end
        )
        return self.result

    def save_model(self, output_dir: str | None = None, *, overwrite: bool | None = None) -> str:
        """Save the policy (unwrapped from DDP/DeepSpeed) and its tokenizer with ``save_pretrained``.

        Default directory: ``<config.output_dir>/policy``. Written to a staging
        directory first, then swapped into place (:func:`aligntune.atomic.staged_output`).
        A non-empty directory is replaced only when aligntune wrote it and ``overwrite``
        (default: the run's ``overwrite``) is on, or when this trainer saved there
        before. Returns the path.
        """
        if self.bundle is None:
            raise BackendError("Nothing to save yet: call train() first (the policy loads there)")
        from aligntune_backend_trl import trl_ppo

        policy = trl_ppo.unwrapped_policy(self.trl_trainer) if self.trl_trainer is not None else self.bundle.policy
        main = self.trl_trainer is None or trl_ppo.is_main_process(self.trl_trainer)
        path = self.run_dir.save_policy(policy, self.bundle.tokenizer, output_dir, overwrite=overwrite, main=main,
                                        monitor=getattr(self, "monitor", None), result=self.result)
        if self.trl_trainer is not None:
            trl_ppo.wait_for_everyone(self.trl_trainer)
        return path
