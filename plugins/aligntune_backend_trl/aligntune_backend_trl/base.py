"""The one trainer shape of this backend: :class:`TRLTrainerBase`, with one small part per algorithm family.

The base owns what PPO and GRPO/RLOO share: the output directory, the reward object (loaded once,
through :class:`~aligntune.plugin_api.RLTrainerBase`), the prompts and the held-out split, gold
tracking, the per-step record (one path: :meth:`TRLTrainerBase.record`), the summary, the reports
and ``save_model``. A family (:mod:`aligntune_backend_trl.ppo`, :mod:`aligntune_backend_trl.grpo_rloo`)
supplies the methods under "what a family supplies"; another backend passes its ``policy_loader``
(the Unsloth plugin does).
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Any, Callable

from tqdm.auto import tqdm
from transformers import TrainerCallback

from aligntune.plugin_api import (
    SAME_NAME_AS_ALIGNTUNE,
    BackendError,
    RLResult,
    RLTrainerBase,
    Reward,
    ScoredBatch,
    check_parameters_replicated,
    policy_name,
    trim_completions,
    trl_config_class,
)
from aligntune_backend_trl import reporting
from aligntune_backend_trl.checkpoint_state import CheckpointStateCallback, restore, trainer_step
from aligntune_backend_trl.data import load_prompts
from aligntune_backend_trl.gold_tracking import COMPLETIONS_FILE, EvaluationCallback, GoldTracker
from aligntune_backend_trl.run_dir import RunDirectory

logger = logging.getLogger("aligntune_backend_trl")

#: Samples kept per step in the records.
SAMPLES = 8


def trl_config(config: Any, **family: Any) -> Any:
    """The installed trl's config for ``config.algorithm``: the settings TRL names as aligntune does, the
    family's own (``family``), then ``trl_args`` (TRL's own settings, checked when the config was built)."""
    kwargs: dict[str, Any] = {name: getattr(config, name) for name in SAME_NAME_AS_ALIGNTUNE}
    kwargs.update(num_train_epochs=config.num_epochs, save_strategy="no", disable_tqdm=True, dataloader_num_workers=0,
                  **family)
    kwargs.update(config.trl_args)
    return trl_config_class(config.algorithm)(**kwargs)


class StepCallback(TrainerCallback):
    """Each logged training step (a log carrying ``trainer.step_key``) becomes one record (``trainer.record``),
    shown on a progress bar and in the log: one path for every family."""

    def __init__(self, trainer: Any) -> None:
        self.trainer = trainer
        self._bar = tqdm(desc=trainer.algorithm, unit="step")

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self._bar.reset(total=state.max_steps)

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if not logs or self.trainer.step_key not in logs:
            return
        record = self.trainer.record(logs)
        shown = {"reward": record["reward_mean"]}
        if self.trainer.bar_shows_kl_and_gold:  # PPO's bar; GRPO's and RLOO's show the mean reward only
            shown["kl"] = float(logs.get(self.trainer.kl_key, math.nan))
            if record.get("gold") is not None:
                shown["gold"] = record["gold"]
        self._bar.update(1)
        self._bar.set_postfix({k: f"{v:.4f}" for k, v in shown.items()})
        logger.info("%s step %d: %s", self.trainer.algorithm, record["step"],
                    ", ".join(f"{k} {v:.4f}" for k, v in shown.items()))

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self._bar.close()


class TRLTrainerBase(RLTrainerBase):
    """Shared by this backend's trainers (see the module docstring). Models load in :meth:`train`.

    Args:
        config: a validated :class:`~aligntune.rl.config.RLTrainingConfig`.
        reward: a ready :class:`~aligntune.plugin_api.Reward` (default: built from the config).
        policy_loader: ``loader(config)`` returning the family's models (see the family's class).
    """

    #: Key of the TRL log that marks a training step, and of its KL figure.
    step_key = "reward"
    kl_key = "kl"
    #: TRL metrics kept in each step's record.
    kept_metrics: tuple[str, ...] = ()
    #: Whether the gold alarm must raise to stop TRL's loop (it does not read should_training_stop).
    raise_to_stop = False
    #: Whether the progress bar and the step log show the KL and the gold besides the reward (PPO's do).
    bar_shows_kl_and_gold = False

    def __init__(self, config: Any, *, reward: Reward | None = None,
                 policy_loader: Callable[[Any], Any] | None = None) -> None:
        super().__init__(config, reward=reward)
        self.policy_loader = policy_loader
        self.run_dir = RunDirectory(config)
        self.trl_trainer: Any = None
        self.tokenizer: Any = None
        self.tracker: GoldTracker | None = None

    # -- what a family supplies ----------------------------------------------------------------------

    def load_policy(self) -> None:  # pragma: no cover - abstract
        """Load the models and set :attr:`tokenizer` (left padding, a pad token)."""
        raise NotImplementedError

    def build_trl_trainer(self, prompts: list[str], *, is_chat: bool, callbacks: list[Any]) -> Any:  # pragma: no cover
        """Build the TRL config and trainer over the training ``prompts`` (texts, already formatted)."""
        raise NotImplementedError

    def step_batch(self) -> tuple[ScoredBatch, list[int], list[bool]] | None:  # pragma: no cover - abstract
        """The batch scored since the last step: ``(scored, lengths, ended)``, or ``None`` if nothing was scored."""
        raise NotImplementedError

    def unwrapped_policy(self) -> Any:
        """The trained policy without DDP/DeepSpeed wrappers (PPO's model also holds the value model)."""
        return self.trl_trainer.accelerator.unwrap_model(self.trl_trainer.model)

    def run(self, trainer: Any) -> None:
        """Run TRL's training loop (from the checkpoint of ``resume_from_checkpoint``, when given)."""
        point = self.run_dir.resume_point
        trainer.train(**({"resume_from_checkpoint": str(point)} if point is not None else {}))

    # -- shared -------------------------------------------------------------------------------------

    def before_reward_load(self) -> None:
        self.run_dir.mark()  # a reward model trained for the run goes into output_dir

    @property
    def monitor(self) -> GoldTracker | None:
        """Deprecated name (one release) of :attr:`tracker`."""
        return self.tracker

    def build(self) -> Any:
        """Load the reward, the policy and the prompts; construct TRL's trainer (without training)."""
        cfg = self.config
        self.run_dir.mark()
        reward = self.load_reward()
        self.load_policy()
        if cfg.chat_template is not None:  # chat_template=: renders the prompts, and is saved with the policy
            self.tokenizer.chat_template = cfg.chat_template
        prompts, data = load_prompts(cfg, cfg.dataset_name, max_samples=cfg.max_samples, tokenizer=self.tokenizer)
        is_chat = data.is_chat or cfg.chat_template is not None
        self.tracker = GoldTracker(cfg, reward, policy_of=self.unwrapped_policy)
        prompts = self.tracker.hold_out(prompts, self.tokenizer, is_chat=is_chat, origin=data.origin)
        self._callback = StepCallback(self)  # bench/*_overhead.py reach its progress bar
        callbacks = [self._callback, EvaluationCallback(self.tracker, raise_to_stop=self.raise_to_stop),
                     CheckpointStateCallback(lambda: self.history, self.tracker)]  # aligntune's part of checkpoints
        self.trl_trainer = self.build_trl_trainer(prompts, is_chat=is_chat, callbacks=callbacks)
        # the policy is saved, snapshotted and generated from whole, by the main process: refuse sharded weights
        check_parameters_replicated(self.trl_trainer.accelerator, f"{self.algorithm} with the {cfg.backend} backend")
        point = self.run_dir.resume_point
        if point is not None:  # resume_from_checkpoint: history, evaluations, alarm and kept policy come back
            step = restore(point, self.history, self.tracker, global_step=trainer_step(point))
            if self.run_dir.resume_in_place:
                trim_completions(Path(cfg.output_dir) / COMPLETIONS_FILE, step)
        return self.trl_trainer

    def record(self, logs: dict[str, Any]) -> dict[str, Any]:
        """One per-step record, every number from the reward object's batch: proxy, components, gold,
        length and truncation, TRL's kept metrics, a few samples."""
        record: dict[str, Any] = {"step": len(self.history) + 1}
        step = self.step_batch()
        if step is None:
            record["reward_mean"] = float(logs.get(self.step_key, float("nan")))
        else:
            scored, lengths, ended = step
            batch = scored.numbers
            rewards = batch.rewards
            record.update(reward_mean=sum(rewards) / len(rewards), reward_min=min(rewards), reward_max=max(rewards))
            record.update({f"rewards/{n}": sum(s) / len(s) for n, s in batch.components.items()})
            ids = scored.completion_ids or [[] for _ in rewards]
            record["samples"] = [
                {"prompt": p, "response": c, "reward": batch.rewards[i], "response_ids": ids[i],
                 "components": {n: s[i] for n, s in batch.components.items()}}
                for i, (p, c) in enumerate(zip(scored.prompts, scored.completions))
            ][:SAMPLES]
            assert self.tracker is not None
            self.tracker.on_batch(record, scored.prompts, scored.completions, batch, lengths=lengths, ended=ended)
        record.update({k: logs[k] for k in self.kept_metrics if k in logs})
        self.history.append(record)
        return record

    def train(self) -> RLResult:
        """Train the reward model when the source trains one, then run the algorithm; write metrics and reports."""
        start = time.perf_counter()
        trainer = self.trl_trainer or self.build()  # build() starts the run in output_dir
        logger.info("%s: %s; reward: %s", self.algorithm, policy_name(self.config), self.describe_reward())
        self.run(trainer)
        assert self.tracker is not None
        self.tracker.evaluate(int(trainer.state.global_step))
        seconds = time.perf_counter() - start
        summary = self.summary(seconds, monitor=self.tracker.summary())
        kept = self.tracker.kept()
        kept_step = int(trainer.state.global_step) if kept["step"] is None else kept["step"]
        start_kept = kept_step == 0 and trainer.state.global_step > 0  # the start policy kept by gold: never silent
        (logger.warning if start_kept else logger.info)("The saved policy will be %s", kept["why"])
        metrics_path = plot_path = None
        if trainer.accelerator.is_main_process:
            out = self.config.output_dir
            metrics_path = reporting.write_metrics(out, summary, self.history, evaluations=self.tracker.evaluations)
            plot_path = reporting.plot_reward_curve(out, self.history, title=f"{self.algorithm} reward",
                                                  kl_key=self.kl_key, step_label=f"{self.algorithm} step")
            reporting.plot_rl_report(out, self.history, self.tracker.evaluations, kl_key=self.kl_key,
                                     beta=getattr(trainer.args, "beta", None))
            self.run_dir.finish()
        return self.make_result(summary, metrics_path=metrics_path, plot_path=plot_path, kept_step=kept_step,
                                kept=kept["why"])

    def save_model(self, output_dir: str | None = None, *, overwrite: bool | None = None, merge: bool = False) -> str:
        """Save the policy (unwrapped from DDP/DeepSpeed) and its tokenizer with ``save_pretrained``; return the path.

        Default directory: ``<config.output_dir>/policy``, written to a staging directory first, then
        swapped into place. A non-empty directory is replaced only when aligntune wrote it and ``overwrite``
        (default: the run's ``overwrite``) is on, or when this trainer saved there before. Under
        ``keep_best='gold'`` the policy of the best held-out gold is saved. A LoRA policy (``peft_config``)
        saves its adapter; ``merge=True`` saves a plain model with the adapter merged into a copy of the base.
        """
        policy = self.policy_to_save()
        accelerator = getattr(self.trl_trainer, "accelerator", None)
        main = accelerator is None or accelerator.is_main_process
        path = self.run_dir.save_policy(policy, self.tokenizer, output_dir, overwrite=overwrite, main=main,
                                        monitor=self.tracker, result=self.result, merge=merge)
        if accelerator is not None:
            accelerator.wait_for_everyone()
        return path

    def policy_to_save(self) -> Any:
        """The policy ``save_model`` saves (the trained one; a family may allow saving before training)."""
        if self.trl_trainer is None:
            raise BackendError("Nothing to save yet: call train() first (the policy loads there)")
        return self.unwrapped_policy()
