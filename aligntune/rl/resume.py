"""Resuming an RL run from one of its checkpoints: found and checked before anything loads.

With ``trl_args={"save_steps": N}`` (``save_total_limit`` to keep only the last few) TRL
writes ``checkpoint-<step>`` directories into the run's ``output_dir``; aligntune adds
:data:`STATE_FILE` to each (the per-step history, the held-out evaluations, the
over-optimisation alarm and the policy kept by gold), written last, so a checkpoint that
holds it is complete.

``resume_from_checkpoint=True`` continues the run in ``output_dir`` from its latest
complete checkpoint; a path continues from that checkpoint. A checkpoint inside
``output_dir`` continues the run there: the directory (an aligntune run whose process is
gone) is kept, not replaced, and its run id stays. A checkpoint elsewhere is an input of a
new run in ``output_dir``, under the usual output rules. GRPO and RLOO resume; TRL's PPO
(``trl.experimental.ppo``) has no resume, so PPO with ``resume_from_checkpoint`` is
refused before anything loads.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from aligntune.atomic import atomic_file
from aligntune.checkpoints import TRAINER_STATE
from aligntune.errors import ConfigurationError, show
from aligntune.outputs import check_output_dir, read_marker, resolve_path, write_marker

logger = logging.getLogger(__name__)

#: What aligntune adds to each TRL checkpoint (written after TRL's files: its presence marks a complete checkpoint).
STATE_FILE = "aligntune_state.json"
#: The policy kept by held-out gold at that step (trainable weights only), when there is one.
BEST_FILE = "aligntune_best.safetensors"


def _step(path: Path) -> int | None:
    suffix = path.name[len("checkpoint-"):]
    return int(suffix) if path.name.startswith("checkpoint-") and suffix.isdigit() else None


def complete(point: Path) -> bool:
    """Whether ``point`` is a whole checkpoint of an aligntune run (TRL's state and aligntune's)."""
    return (point / TRAINER_STATE).is_file() and (point / STATE_FILE).is_file()


def latest_checkpoint(output_dir: str | os.PathLike[str]) -> Path | None:
    """The complete ``checkpoint-N`` in ``output_dir`` with the largest N (an incomplete later one is skipped)."""
    root = Path(os.fspath(output_dir)).expanduser()
    if not root.is_dir():
        return None
    found = sorted((p for p in root.iterdir() if p.is_dir() and _step(p) is not None), key=lambda p: _step(p) or 0)
    for point in reversed(found):
        if complete(point):
            return point
        logger.warning("Skipping %s: it is not a complete checkpoint (the run stopped while writing it)", point)
    return None


def find_checkpoint(resume_from_checkpoint: Any, output_dir: str, algorithm: str) -> Path | None:
    """The checkpoint a run resumes from (``None`` for a fresh run), checked without loading anything."""
    if resume_from_checkpoint is None or resume_from_checkpoint is False:
        return None
    if algorithm == "ppo":
        raise ConfigurationError(
            "resume_from_checkpoint works with algorithm='grpo' and 'rloo': TRL's PPO (trl.experimental.ppo, "
            "trl 1.12) has no resume (its train() takes no checkpoint and restores no optimizer). Start the PPO "
            "run afresh, or use GRPO/RLOO for runs that must survive a restart"
        )
    if resume_from_checkpoint is True:
        point = latest_checkpoint(output_dir)
        if point is None:
            raise ConfigurationError(
                f"resume_from_checkpoint=True, but output_dir={show(output_dir)} holds no complete checkpoint-N "
                "directory (a run writes one every trl_args['save_steps'] steps). Pass the output_dir of the run "
                "to continue, or drop resume_from_checkpoint to start afresh"
            )
        return point
    if not isinstance(resume_from_checkpoint, (str, os.PathLike)):
        raise ConfigurationError(
            f"resume_from_checkpoint must be True (the latest checkpoint in output_dir) or the path of a "
            f"checkpoint-N directory, got {type(resume_from_checkpoint).__name__}: {show(resume_from_checkpoint)}"
        )
    point = resolve_path(resume_from_checkpoint, what="resume_from_checkpoint")
    if not point.is_dir():
        raise ConfigurationError(
            f"resume_from_checkpoint={show(os.fspath(resume_from_checkpoint))} does not exist or is not a directory; "
            "pass a checkpoint-N directory of an earlier run, or True to take the latest in output_dir"
        )
    if not (point / TRAINER_STATE).is_file():
        raise ConfigurationError(
            f"resume_from_checkpoint={show(str(point))} is not a training checkpoint (it has no {TRAINER_STATE}); "
            "pass a checkpoint-N directory written by an earlier run"
        )
    if not (point / STATE_FILE).is_file():
        raise ConfigurationError(
            f"resume_from_checkpoint={show(str(point))} has no {STATE_FILE}: it was not written by an aligntune run, "
            "or the run stopped while writing it, so the run's history cannot be restored. Pass a complete "
            "checkpoint (True takes the latest complete one in output_dir)"
        )
    return point


def in_place(point: Path | None, output_dir: str) -> bool:
    """Whether resuming from ``point`` continues the run in ``output_dir`` (the checkpoint is inside it)."""
    if point is None:
        return False
    out = resolve_path(output_dir, what="output_dir")
    return out in resolve_path(point, what="resume_from_checkpoint").parents


def check_resume_output(output_dir: str, inputs: list[str]) -> None:
    """The run directory a resumed run continues in: aligntune's, and not still running in another process."""
    check_output_dir(output_dir, overwrite=True, inputs=inputs,
                     fix="resume_from_checkpoint continues the run in its own directory")


def continue_run(output_dir: str | os.PathLike[str]) -> str:
    """Mark ``output_dir`` as running again, by this process, under its run id (kept); return the run id."""
    check_resume_output(os.fspath(output_dir), [])
    run_id = read_marker(output_dir).get("run_id")
    return write_marker(output_dir, "rl_run", run_id=run_id if isinstance(run_id, str) else None)


def read_state(point: Path) -> dict[str, Any]:
    """The aligntune state saved with checkpoint ``point``."""
    try:
        data = json.loads((point / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"{point / STATE_FILE} cannot be read ({exc}); resume from an earlier checkpoint") \
            from None
    if not isinstance(data, dict) or not isinstance(data.get("history"), list):
        raise ConfigurationError(f"{point / STATE_FILE} is not an aligntune checkpoint state; resume from another one")
    return data


def trim_completions(path: str | os.PathLike[str], step: int) -> int:
    """Drop the rows of ``completions.jsonl`` written after ``step`` (the resumed run writes them again).

    Returns how many rows were dropped. The file is replaced atomically.
    """
    file = Path(os.fspath(path))
    if not file.is_file():
        return 0
    kept, dropped = [], 0
    for line in file.read_text(encoding="utf-8").splitlines(keepends=True):
        try:
            row_step = json.loads(line).get("step")
        except ValueError:
            row_step = None  # a half-written last line of a killed run
        if isinstance(row_step, int) and row_step <= step:
            kept.append(line)
        else:
            dropped += 1
    if dropped:
        with atomic_file(file) as handle:
            handle.writelines(kept)
        logger.info("Dropped %d completions rows written after step %d (the resumed run writes them again)",
                    dropped, step)
    return dropped
