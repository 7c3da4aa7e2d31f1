"""What every trainer of this backend does with its output directory: mark it, save the policy into it.

The rule is :mod:`aligntune.outputs`' (checked in ``create_rl_trainer``): the directory
is marked as aligntune's before anything is written into it, and the policy is saved
through a staging directory that replaces a non-empty target only when aligntune wrote
it and ``overwrite`` is on (or when this trainer saved there before).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aligntune import distributed
from aligntune.atomic import staged_output
from aligntune.outputs import write_marker
from aligntune_backend_trl.policy_card import policy_card

logger = logging.getLogger("aligntune_backend_trl")


class RunDirectory:
    """Owns ``config.output_dir`` for one trainer."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self._marked = False
        self._saved: set[str] = set()

    def mark(self) -> Path:
        """Create ``output_dir`` as a directory aligntune owns (the main process writes); return it."""
        out = Path(self.config.output_dir).expanduser()
        if not self._marked:
            self._marked = True
            if distributed.is_main_process():
                out.mkdir(parents=True, exist_ok=True)
                write_marker(out, "rl_run")
        return out

    def save_policy(self, policy: Any, tokenizer: Any, output_dir: str | None, *, overwrite: bool | None,
                    main: bool, monitor: Any = None, result: Any = None) -> str:
        """Save ``policy`` and ``tokenizer`` to ``output_dir`` (default ``<output_dir>/policy``); return the path.

        With a ``monitor`` that kept a better policy by held-out gold (``keep_best='gold'``),
        that one is saved, and the model card (``README.md``) says which step and why.
        """
        target = Path(output_dir or Path(self.config.output_dir) / "policy")
        replace = self.config.overwrite if overwrite is None else overwrite
        replace = replace or str(target.resolve()) in self._saved
        best, why = monitor.best_state() if monitor is not None else (None, "the last step's policy")
        if main:
            with staged_output(target, overwrite=replace, kind="policy", inputs=self.config.input_paths(),
                               what="save_model(output_dir)") as staging:
                with _swapped(policy, best):
                    policy.save_pretrained(staging)
                tokenizer.save_pretrained(staging)
                (staging / "README.md").write_text(policy_card(self.config, monitor, result, why), encoding="utf-8")
            logger.info("Policy saved to %s: %s", target, why)
        self._saved.add(str(target.resolve()))
        return str(target)


@contextlib.contextmanager
def _swapped(policy: Any, state: dict[str, Any] | None) -> Iterator[None]:
    """``policy`` with ``state`` loaded for the duration (the trained weights come back after)."""
    if state is None:
        yield
        return
    current = {k: v.detach().clone() for k, v in policy.state_dict().items()}
    policy.load_state_dict(state)
    try:
        yield
    finally:
        policy.load_state_dict(current)
