"""A transformers callback: mean reward per step to a progress bar, the log and a list."""

from __future__ import annotations

import logging
import math
from typing import Any

from tqdm.auto import tqdm
from transformers import TrainerCallback

logger = logging.getLogger("aligntune_backend_trl")

#: TRL metrics kept in the per-step log.
KEPT = (
    "objective/scores",
    "objective/kl",
    "objective/entropy",
    "objective/rlhf_reward",
    "objective/non_score_reward",
    "loss/policy_avg",
    "loss/value_avg",
    "policy/approxkl_avg",
    "val/num_eos_tokens",
    "eps",
    "episode",
    "lr",
)


class RewardLogCallback(TrainerCallback):
    """Collects one record per PPO step: the mean reward of the scored responses and TRL's metrics.

    ``adapter`` is the :class:`aligntune_backend_trl.reward_adapter.RewardAdapter` whose
    scored responses are drained each step; ``samples`` of them are kept per step.
    """

    def __init__(self, adapter: Any, total_steps: int, *, samples: int = 4, show_progress: bool = True,
                 monitor: Any = None) -> None:
        self.adapter = adapter
        self.monitor = monitor
        self.steps: list[dict[str, Any]] = []
        self.samples = samples
        self._bar = tqdm(total=total_steps, desc="PPO", unit="step", disable=not show_progress)

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if not logs or "objective/scores" not in logs:
            return
        scored = self.adapter.drain()
        rewards = [r.score for r in scored]
        mean = sum(rewards) / len(rewards) if rewards else float(logs["objective/scores"])
        record: dict[str, Any] = {"step": len(self.steps) + 1, "reward_mean": mean}
        if rewards:
            record["reward_min"], record["reward_max"] = min(rewards), max(rewards)
        record.update({k: logs[k] for k in KEPT if k in logs})
        record["samples"] = [
            {"prompt": r.prompt, "response": r.response, "reward": r.score, "response_ids": list(r.response_ids)}
            for r in scored[: self.samples]
        ]
        if self.monitor is not None and scored:
            eos = self.monitor.tokenizer.eos_token_id
            self.monitor.on_batch(record, [r.prompt for r in scored], [r.response for r in scored], rewards,
                                  lengths=[len(r.response_ids) for r in scored],
                                  ended=[eos in r.response_ids for r in scored])
        self.steps.append(record)
        kl = logs.get("objective/kl", math.nan)
        self._bar.update(1)
        gold = record.get("gold")
        self._bar.set_postfix(reward=f"{mean:.4f}", kl=f"{kl:.3f}", **({"gold": f"{gold:.4f}"} if gold is not None else {}))
        logger.info("PPO step %d: mean reward %.4f, KL %.4f", record["step"], mean, kl)

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self._bar.close()


class OnlineLogCallback(TrainerCallback):
    """GRPO/RLOO: one record per logged step (from the reward callables' last batch) to a progress bar and the log."""

    def __init__(self, trainer: Any, *, desc: str, show_progress: bool = True) -> None:
        self.trainer = trainer
        self.desc = desc
        self._bar = tqdm(desc=desc, unit="step", disable=not show_progress)

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self._bar.reset(total=state.max_steps)

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if not logs or "reward" not in logs:
            return
        record = self.trainer.record(logs)
        self._bar.update(1)
        self._bar.set_postfix(reward=f"{record['reward_mean']:.4f}")
        logger.info("%s step %d: mean reward %.4f", self.desc, record["step"], record["reward_mean"])

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self._bar.close()
