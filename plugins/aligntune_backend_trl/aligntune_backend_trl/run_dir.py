"""What every trainer of this backend does with its output directory: mark it, save the policy into it.

The rules are :mod:`aligntune.outputs`' and :mod:`aligntune.atomic`'s: a run starts in a directory of its own
(:func:`~aligntune.atomic.fresh_run_directory` swaps an earlier run's out atomically, so the files of two runs never
mix), the policy is saved through a staging directory, and the marker's run id is written into every file of the
run (``metrics.json``, each ``completions.jsonl`` row, the policy's marker); the marker says ``finished`` once the
metrics are written.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from aligntune.plugin_api import (
    check_output_dir,
    continue_run,
    find_checkpoint,
    fresh_run_directory,
    in_place,
    is_main_process,
    mark_finished,
    staged_output,
)
from aligntune_backend_trl.peft_policy import swapped, to_save
from aligntune_backend_trl.policy_card import policy_card

logger = logging.getLogger("aligntune_backend_trl")

#: What a run of this backend writes into its output directory (TRL adds runs/, checkpoint-N and its README.md).
RUN_FILES = ("metrics.json", "reward_curve.png", "rl_report.png", "completions.jsonl", "policy", "reward_model", "runs",
             "checkpoint-*", "README.md")


class RunDirectory:
    """Owns ``config.output_dir`` for one trainer."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self._marked = False
        self._saved: set[str] = set()
        #: The run id in the marker (set when the main process marks the directory).
        self.run_id: str | None = None
        #: The checkpoint this run resumes from (``resume_from_checkpoint``), and whether it is inside output_dir.
        self.resume_point = find_checkpoint(config.resume_from_checkpoint, config.output_dir, config.algorithm)
        self.resume_in_place = in_place(self.resume_point, config.output_dir)

    def mark(self) -> Path:
        """Start the run in ``output_dir``: an empty directory holding only this run's marker (the main process
        writes it, after checking the directory again: it may have been filled since validation); return it."""
        out = Path(self.config.output_dir).expanduser()
        if not self._marked and is_main_process():
            if self.resume_in_place:  # resume_from_checkpoint inside output_dir: the same run goes on
                self.run_id = continue_run(out)
            else:
                check_output_dir(out, overwrite=self.config.overwrite, inputs=self.config.input_paths(),
                                 fix="pass overwrite=True (aligntune ppo --overwrite) to replace a previous run")
                self.run_id = fresh_run_directory(out, kind="rl_run", own=RUN_FILES)
        self._marked = True
        return out

    def finish(self) -> None:
        """Record in the marker that the run finished (its metrics are written)."""
        if self._marked and is_main_process():
            mark_finished(self.config.output_dir)

    def save_policy(self, policy: Any, tokenizer: Any, output_dir: str | None, *, overwrite: bool | None,
                    main: bool, monitor: Any = None, result: Any = None, merge: bool = False) -> str:
        """What :meth:`~aligntune_backend_trl.base.TRLTrainerBase.save_model` does (``monitor``: the gold tracker
        whose kept policy is saved, and named in the model card); returns the path."""
        target = Path(output_dir or Path(self.config.output_dir) / "policy")
        replace = self.config.overwrite if overwrite is None else overwrite
        replace = replace or str(target.resolve()) in self._saved
        kept = monitor.kept() if monitor is not None else {"state": None, "why": "the last step's policy"}
        best, why = kept["state"], kept["why"]
        if main:
            with staged_output(target, overwrite=replace, kind="policy", inputs=self.config.input_paths(),
                               what="save_model(output_dir)", run_id=self.run_id) as staging:
                with swapped(policy, best):
                    to_save(policy, merge=merge).save_pretrained(staging)
                tokenizer.save_pretrained(staging)
                (staging / "README.md").write_text(policy_card(self.config, monitor, result, why), encoding="utf-8")
            logger.info("Policy saved to %s: %s", target, why)
        self._saved.add(str(target.resolve()))
        return str(target)
