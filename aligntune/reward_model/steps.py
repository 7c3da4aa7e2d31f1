"""Per-step wall time and token counts of a training run (to check that the step time stays flat)."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from transformers import TrainerCallback


class StepTimer(TrainerCallback):
    """Wall time and padded/real tokens of every optimizer step (to check the step time stays flat)."""

    def __init__(self) -> None:
        self.steps: list[dict[str, float]] = []
        self._t0 = 0.0
        self.tokens = 0
        self.padded = 0

    def on_step_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self._t0 = time.perf_counter()
        self.tokens = 0
        self.padded = 0

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.steps.append({"step": state.global_step, "seconds": time.perf_counter() - self._t0,
                           "tokens": self.tokens, "padded": self.padded})

    def summary(self, fraction: float = 0.1) -> dict[str, float]:
        n = len(self.steps)
        if n == 0:
            return {}
        k = max(1, int(round(n * fraction)))
        first, last = self.steps[:k], self.steps[-k:]

        def rate(rows: list[dict[str, float]]) -> float:
            return sum(r["padded"] for r in rows) / max(sum(r["seconds"] for r in rows), 1e-9)

        return {
            "steps": n,
            "step_s_first": float(np.mean([r["seconds"] for r in first])),
            "step_s_last": float(np.mean([r["seconds"] for r in last])),
            "padded_tok_per_s_first": rate(first),
            "padded_tok_per_s_last": rate(last),
            "tok_per_s_all": rate(self.steps),
            "pad_share": 1 - sum(r["tokens"] for r in self.steps) / max(sum(r["padded"] for r in self.steps), 1),
            "train_seconds": float(sum(r["seconds"] for r in self.steps)),
        }
