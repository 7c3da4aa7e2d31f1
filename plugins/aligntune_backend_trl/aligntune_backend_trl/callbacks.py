"""A transformers callback: each logged training step becomes one record, shown on a progress bar and in the log."""

from __future__ import annotations

import logging
import math
from typing import Any

from tqdm.auto import tqdm
from transformers import TrainerCallback

logger = logging.getLogger("aligntune_backend_trl")


class StepCallback(TrainerCallback):
    """Calls ``trainer.record(logs)`` for every log that carries ``trainer.step_key`` (one path for every family)."""

    def __init__(self, trainer: Any) -> None:
        self.trainer = trainer
        self.desc = trainer.algorithm
        self._bar = tqdm(desc=self.desc, unit="step")

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
        logger.info("%s step %d: %s", self.desc, record["step"], ", ".join(f"{k} {v:.4f}" for k, v in shown.items()))

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self._bar.close()
