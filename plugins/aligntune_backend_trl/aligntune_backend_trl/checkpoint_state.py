"""aligntune's part of a TRL checkpoint: saved with each ``checkpoint-N``, restored on resume.

TRL saves the policy (or its adapter), the optimizer, the scheduler, the RNG and its
trainer state; :class:`CheckpointStateCallback` adds :data:`~aligntune.rl.resume.STATE_FILE`
(the per-step history, the held-out evaluations, the over-optimisation alarm, the step
and gold of the policy kept by gold) and :data:`~aligntune.rl.resume.BEST_FILE` (that
policy's trainable weights), after TRL's files, so their presence marks a whole
checkpoint. :func:`restore` puts them back into a trainer before it resumes, so the
resumed run's ``metrics.json`` holds one continuous history and ``keep_best='gold'``
still knows the best policy seen before the restart.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from aligntune.plugin_api import BEST_FILE, STATE_FILE, atomic_file, read_state

logger = logging.getLogger("aligntune_backend_trl")


def save_state(point: Path, history: list[dict[str, Any]], monitor: Any) -> None:
    """Write the run's history and the monitor's state into checkpoint directory ``point``."""
    best = getattr(monitor, "best", None)
    if best is not None and best.get("state") is not None:
        from safetensors.torch import save_file

        tensors = {k: v.contiguous() for k, v in best["state"].items()}
        save_file(tensors, str(point / BEST_FILE))
    alarm = monitor.alarm
    state = {
        "step": history[-1]["step"] if history else 0,
        "history": history,
        "evaluations": monitor.evaluations,
        "alarm": {"history": [list(row) for row in alarm.history], "fired_at": alarm.fired_at, "streak": alarm.streak},
        "best": None if best is None else {"step": best["step"], "gold": best["gold"]},
        "keep_best": monitor.keep_best,
    }
    with atomic_file(point / STATE_FILE) as handle:  # last: its presence marks a whole checkpoint
        json.dump(state, handle, default=_jsonable)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy / torch scalars
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def restore(point: Path, history: list[dict[str, Any]], monitor: Any, *, global_step: int | None = None) -> int:
    """Load checkpoint ``point``'s aligntune state into ``history`` (in place) and ``monitor``; return its step.

    ``global_step``: the step TRL's ``trainer_state.json`` records; the history is cut there.
    """
    state = read_state(point)
    step = int(global_step if global_step is not None else state["step"])
    history[:] = [row for row in state["history"] if int(row.get("step", 0)) <= step]
    monitor.evaluations[:] = [row for row in state["evaluations"] if int(row.get("step", 0)) <= step]
    alarm = monitor.alarm
    alarm.history = [tuple(row) for row in state["alarm"]["history"] if int(row[0]) <= step]
    alarm.fired_at, alarm.streak = state["alarm"]["fired_at"], int(state["alarm"]["streak"])
    best = state.get("best")
    if best is not None and (point / BEST_FILE).is_file():
        from safetensors.torch import load_file

        monitor.best = {"step": best["step"], "gold": best["gold"], "state": load_file(str(point / BEST_FILE))}
    elif best is not None:
        monitor.best = {"step": best["step"], "gold": best["gold"], "state": None}
    logger.info("Resuming from %s: %d steps of history, %d held-out evaluations restored", point, len(history),
                len(monitor.evaluations))
    return step


def trainer_step(point: Path) -> int | None:
    """The global step TRL recorded in checkpoint ``point``."""
    try:
        value = json.loads((point / "trainer_state.json").read_text(encoding="utf-8")).get("global_step")
    except (OSError, ValueError):
        return None
    return int(value) if isinstance(value, int) else None


class CheckpointStateCallback(TrainerCallback):
    """After TRL saves ``checkpoint-N``, add aligntune's state to it (main process only)."""

    def __init__(self, history_of: Any, monitor: Any) -> None:
        self.history_of = history_of
        self.monitor = monitor

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        point = Path(args.output_dir) / f"checkpoint-{state.global_step}"
        if point.is_dir():
            save_state(point, self.history_of(), self.monitor)
