"""Small validators shared by configs, the composite reward and the CLI."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Sequence
from typing import Any

from aligntune.errors import ConfigurationError


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``name``, or ``None`` when nothing is close."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return matches[0] if matches else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    match = closest(name, candidates)
    return f" Did you mean {match!r}?" if match else ""


def check_weights(weights: Any, n_functions: int, *, field: str = "weights") -> list[float]:
    """Validate reward weights: one per function, each a positive finite number."""
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
        raise ConfigurationError(f"{field} must be a list of numbers, got {type(weights).__name__}: {weights!r}")
    if len(weights) != n_functions:
        raise ConfigurationError(
            f"{field} must have one weight per reward function: got {len(weights)} weights "
            f"{list(weights)!r} for {n_functions} functions"
        )
    out = []
    for i, w in enumerate(weights):
        if isinstance(w, bool) or not isinstance(w, (int, float)):
            raise ConfigurationError(f"{field}[{i}] must be a number, got {type(w).__name__}: {w!r}")
        if not math.isfinite(w) or w <= 0:
            raise ConfigurationError(
                f"{field}[{i}] must be a positive finite number, got {w!r}; "
                "drop the function instead of giving it a zero weight"
            )
        out.append(float(w))
    return out


# -- attrs field validators ------------------------------------------------------
# Each produces messages of the form "Config.field must be ..., got VALUE".


def _where(inst: Any, attribute: Any) -> str:
    return f"{type(inst).__name__}.{attribute.name}"


def positive(inst: Any, attribute: Any, value: Any) -> None:
    """A finite number > 0 (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(f"{_where(inst, attribute)} must be a number > 0, got {type(value).__name__}: {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ConfigurationError(f"{_where(inst, attribute)} must be > 0, got {value!r}")


def positive_int(inst: Any, attribute: Any, value: Any) -> None:
    """An integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(f"{_where(inst, attribute)} must be an integer >= 1, got {type(value).__name__}: {value!r}")
    if value < 1:
        raise ConfigurationError(f"{_where(inst, attribute)} must be >= 1, got {value!r}")


def optional(validator: Any) -> Any:
    def check(inst: Any, attribute: Any, value: Any) -> None:
        if value is not None:
            validator(inst, attribute, value)

    return check


def fraction(inst: Any, attribute: Any, value: Any) -> None:
    """A number strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (0 < value < 1):
        raise ConfigurationError(f"{_where(inst, attribute)} must be between 0 and 1 (exclusive), got {value!r}")


def non_negative(inst: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ConfigurationError(f"{_where(inst, attribute)} must be a finite number >= 0, got {value!r}")


def non_empty_str(inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(
            f"{_where(inst, attribute)} is required and must be a non-empty string, got {value!r}"
        )


def optional_str(inst: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        non_empty_str(inst, attribute, value)


def one_of(choices: Sequence[str]) -> Any:
    def check(inst: Any, attribute: Any, value: Any) -> None:
        if value not in choices:
            raise ConfigurationError(
                f"{_where(inst, attribute)} must be one of {list(choices)}, got {value!r}.{did_you_mean(str(value), choices)}"
            )

    return check


def string_list(min_items: int = 1, *, what: str = "texts") -> Any:
    """A list of strings with at least ``min_items`` entries."""

    def check(inst: Any, attribute: Any, value: Any) -> None:
        where = _where(inst, attribute)
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise ConfigurationError(f"{where} must be a list of strings, got {type(value).__name__}: {str(value)[:60]!r}")
        if len(value) == 0:
            raise ConfigurationError(f"{where} is required and must not be empty")
        if len(value) < min_items:
            raise ConfigurationError(
                f"{where} needs at least {min_items} {what}, got {len(value)}; add more {what} "
                "(a few hundred diverse ones work best)"
            )
        for i, t in enumerate(value):
            if not isinstance(t, str):
                raise ConfigurationError(f"{where}[{i}] must be a string, got {type(t).__name__}: {t!r}")

    return check


def report_to(inst: Any, attribute: Any, value: Any) -> None:
    """A non-empty integration name for ``transformers`` (``'none'``, ``'tensorboard'``, ...) or a list of them."""
    ok = (isinstance(value, str) and bool(value)) or (
        isinstance(value, (list, tuple)) and all(isinstance(x, str) and x for x in value)
    )
    if not ok:
        raise ConfigurationError(
            f"{_where(inst, attribute)} must be a string (such as 'none', 'tensorboard', 'wandb') "
            f"or a list of them, got {value!r}"
        )


def checkpoint_options(checkpoint_dir: Any, output_dir: Any, resume_from_checkpoint: Any, *, owner: str = "") -> None:
    """``resume_from_checkpoint=True`` needs ``checkpoint_dir``, which must not be ``output_dir``.

    ``owner`` prefixes the messages (``"RewardModelTrainingConfig."``).
    """
    import os
    from pathlib import Path

    if checkpoint_dir is not None and Path(os.fspath(checkpoint_dir)).expanduser().resolve() == (
        Path(os.fspath(output_dir)).expanduser().resolve()
    ):
        raise ConfigurationError(
            f"{owner}checkpoint_dir must differ from output_dir ({os.fspath(output_dir)!r}): the model directory "
            "is written atomically when training ends"
        )
    if resume_from_checkpoint is True and checkpoint_dir is None:
        raise ConfigurationError(
            f"{owner}resume_from_checkpoint=True needs checkpoint_dir= (where the earlier run kept its checkpoints), "
            "or pass the checkpoint directory itself as resume_from_checkpoint"
        )
