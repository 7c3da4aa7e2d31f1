"""Checkpoints to resume training from: found and checked before anything is scored or loaded.

``transformers.Trainer`` resumes from a ``checkpoint-N`` directory (the latest one in
``checkpoint_dir`` for ``resume_from_checkpoint=True``). A missing one, a directory that
is not a checkpoint, or a checkpoint of another kind of model used to fail only after the
texts were scored and the model loaded; :func:`check_resume` says so first.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from aligntune.errors import ConfigurationError, show
from aligntune.textio import refuse_link_loop

#: What a training checkpoint directory holds (written by ``transformers.Trainer``).
TRAINER_STATE = "trainer_state.json"


def last_checkpoint(checkpoint_dir: str | os.PathLike[str]) -> Path | None:
    """The ``checkpoint-N`` directory with the largest N in ``checkpoint_dir`` (what ``Trainer`` resumes from)."""
    root = Path(os.fspath(checkpoint_dir)).expanduser()
    if not root.is_dir():
        return None
    found = [p for p in root.iterdir() if p.is_dir() and p.name.startswith("checkpoint-") and p.name[11:].isdigit()]
    return max(found, key=lambda p: int(p.name[11:]), default=None)


def check_resume(resume_from_checkpoint: Any, checkpoint_dir: str | os.PathLike[str] | None,
                 base_config: dict[str, Any] | None, *, owner: str = "") -> Path | None:
    """The checkpoint a run will resume from, checked before anything is scored or loaded; ``None`` for a fresh run.

    ``True`` needs a ``checkpoint-N`` directory in ``checkpoint_dir``; a path must be a
    checkpoint (it holds ``trainer_state.json``). When the checkpoint saved its model config
    and ``base_config`` (the base model's ``config.json``) is known, both must be the same
    kind of model. ``owner`` prefixes the field names in messages.
    """
    if resume_from_checkpoint is None or resume_from_checkpoint is False:
        return None
    if resume_from_checkpoint is True:
        point = last_checkpoint(checkpoint_dir) if checkpoint_dir is not None else None
        if point is None:
            raise ConfigurationError(
                f"{owner}resume_from_checkpoint=True, but {owner}checkpoint_dir={show(os.fspath(checkpoint_dir or ''))} "
                "holds no checkpoint-N directory to resume from (a run saves one every save_steps steps). "
                "Pass the checkpoint_dir of the earlier run, or drop resume_from_checkpoint to start afresh"
            )
    else:
        point = Path(os.fspath(resume_from_checkpoint)).expanduser()
        refuse_link_loop(point, what=f"{owner}resume_from_checkpoint", error=ConfigurationError)
        if not point.is_dir():
            raise ConfigurationError(
                f"{owner}resume_from_checkpoint={show(os.fspath(resume_from_checkpoint))} does not exist or is not a "
                "directory; pass a checkpoint-N directory of an earlier run, or True with its checkpoint_dir"
            )
    if not (point / TRAINER_STATE).is_file():
        raise ConfigurationError(
            f"{owner}resume_from_checkpoint={show(str(point))} is not a training checkpoint (it has no "
            f"{TRAINER_STATE}); pass a checkpoint-N directory written by an earlier run"
        )
    _check_checkpoint_model(point, base_config, owner=owner)
    return point


def _check_checkpoint_model(point: Path, base_config: dict[str, Any] | None, *, owner: str) -> None:
    """The checkpoint's model must be the base model's kind (type and width), or resuming fails after loading."""
    if base_config is None or not (point / "config.json").is_file():
        return
    try:
        saved = json.loads((point / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ConfigurationError(
            f"{owner}resume_from_checkpoint: {show(str(point / 'config.json'))} is not readable JSON; the checkpoint is "
            "damaged, pass an earlier one"
        ) from None
    for key in ("model_type", "hidden_size", "vocab_size"):
        mine, theirs = base_config.get(key), saved.get(key) if isinstance(saved, dict) else None
        if mine is not None and theirs is not None and mine != theirs:
            raise ConfigurationError(
                f"{owner}resume_from_checkpoint: checkpoint {point.name} ({point}) holds a {saved.get('model_type')} "
                f"model with {key}={show(theirs)}, but the base model is a {base_config.get('model_type')} with "
                f"{key}={show(mine)}; resume with the base model that run used, or start afresh"
            )
