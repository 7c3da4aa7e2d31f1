"""Validation rules shared by the configs, the trainers, the composite reward and the CLI.

A :class:`Rule` checks one value and names it in the message (``where``). The same
rule object serves twice: as an attrs field validator (``field(validator=positive)``,
where it names ``Config.field``) and on a plain argument (``positive.check(
"train_reward_model.learning_rate", lr)``). Configs are the definition of each
setting; code that takes the same setting as a keyword argument validates it with the
config field's own rule (see :func:`aligntune.reward_model.config.check_arguments`).

Every message shows at most a few hundred characters of a bad value (:func:`show`).
"""

from __future__ import annotations

import contextlib
import difflib
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Callable

from aligntune.errors import ConfigurationError, DataError, show
from aligntune.integrations import check_report_to


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``name``, or ``None`` when nothing is close."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return matches[0] if matches else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    match = closest(name, candidates)
    return f" Did you mean {match!r}?" if match else ""


#: How the current caller spells config fields in messages (see :func:`naming`); ``None``: ``Config.field``.
_NAMER: ContextVar[Callable[[type, str], str | None] | None] = ContextVar("aligntune_field_namer", default=None)


@contextlib.contextmanager
def naming(namer: Callable[[type, str], str | None]) -> Iterator[None]:
    """Within the block, a config field is named in messages as ``namer(config_class, field)`` says.

    A caller that took the setting under another name (``create_rl_trainer``'s
    ``reward_training_lr``, the CLI's ``--learning-rate``) sets this around building the
    config, so that the error names what the user wrote; ``None`` from ``namer`` keeps
    ``Config.field``.
    """
    token = _NAMER.set(namer)
    try:
        yield
    finally:
        _NAMER.reset(token)


def field_name(inst: Any, name: str) -> str:
    """The name of field ``name`` of config ``inst`` in messages: the caller's spelling, else ``Config.field``."""
    namer = _NAMER.get()
    cls = inst if isinstance(inst, type) else type(inst)
    return (namer(cls, name) if namer is not None else None) or f"{cls.__name__}.{name}"


class Rule:
    """A check of one value: ``rule.check(where, value)``, or an attrs validator as it is."""

    def __init__(self, fn: Callable[[str, Any], None]) -> None:
        self.fn = fn
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__

    def __call__(self, inst: Any, attribute: Any, value: Any) -> None:
        self.fn(field_name(inst, attribute.name), value)

    def check(self, where: str, value: Any) -> None:
        self.fn(where, value)

    def __repr__(self) -> str:
        return f"<rule {self.__name__}>"


def _number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float))


@Rule
def positive(where: str, value: Any) -> None:
    """A finite number > 0 (bools are refused)."""
    if not _number(value):
        raise ConfigurationError(f"{where} must be a number > 0, got {type(value).__name__}: {show(value)}")
    if not math.isfinite(value) or value <= 0:
        raise ConfigurationError(f"{where} must be > 0, got {value!r}")


@Rule
def positive_int(where: str, value: Any) -> None:
    """An integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(f"{where} must be an integer >= 1, got {type(value).__name__}: {show(value)}")
    if value < 1:
        raise ConfigurationError(f"{where} must be >= 1, got {value!r}")


@Rule
def integer(where: str, value: Any) -> None:
    """Any integer (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(f"{where} must be an integer, got {type(value).__name__}: {show(value)}")


@Rule
def fraction(where: str, value: Any) -> None:
    """A number strictly between 0 and 1."""
    if not _number(value) or not (0 < value < 1):
        raise ConfigurationError(f"{where} must be between 0 and 1 (exclusive), got {show(value)}")


@Rule
def non_negative(where: str, value: Any) -> None:
    """A finite number >= 0."""
    if not _number(value) or not math.isfinite(value) or value < 0:
        raise ConfigurationError(f"{where} must be a finite number >= 0, got {show(value)}")


@Rule
def non_empty_str(where: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{where} is required and must be a non-empty string, got {show(value)}")


@Rule
def optional_str(where: str, value: Any) -> None:
    if value is not None:
        non_empty_str.check(where, value)


@Rule
def boolean(where: str, value: Any) -> None:
    """``True`` or ``False`` only: a truthy ``"false"`` must never switch something on."""
    if not isinstance(value, bool):
        raise ConfigurationError(f"{where} must be True or False, got {type(value).__name__}: {show(value)}")


@Rule
def optional_boolean(where: str, value: Any) -> None:
    """``True``, ``False`` or ``None`` (``None``: decided per device, on with CUDA, off on CPU)."""
    if value is not None and not isinstance(value, bool):
        raise ConfigurationError(
            f"{where} must be True, False or None (None: on with CUDA, off on CPU), "
            f"got {type(value).__name__}: {show(value)}"
        )


@Rule
def report_to(where: str, value: Any) -> None:
    """A non-empty integration name for ``transformers`` (``'none'``, ``'tensorboard'``, ...) or a list of them,
    each known and installed (:mod:`aligntune.integrations`: refused here, not once the models have loaded)."""
    ok = (isinstance(value, str) and bool(value)) or (
        isinstance(value, (list, tuple)) and all(isinstance(x, str) and x for x in value)
    )
    if not ok:
        raise ConfigurationError(
            f"{where} must be a string (such as 'none', 'tensorboard', 'wandb') or a list of them, got {show(value)}"
        )
    check_report_to(value, field=where)


@Rule
def resume_value(where: str, value: Any) -> None:
    """``True``, ``False`` or a checkpoint directory."""
    if isinstance(value, bool) or (isinstance(value, str) and value.strip()):
        return
    raise ConfigurationError(
        f"{where} must be True, False or a checkpoint directory, got {type(value).__name__}: {show(value)}"
    )


def at_most(rule: Rule, limit: float, why: str) -> Rule:
    """``rule``, and at most ``limit`` (``why`` says what a larger value would do)."""

    def check(where: str, value: Any) -> None:
        rule.check(where, value)
        if value > limit:
            shown_limit = f"{limit:d}" if isinstance(limit, int) else f"{limit:g}"
            raise ConfigurationError(f"{where} must be at most {shown_limit}, got {show(value)}; {why}")

    check.__name__ = f"{rule.__name__}_at_most"
    return Rule(check)


#: An optimizer step size: above 1, Adam diverges at once (and the run ends in NaN losses).
learning_rate = at_most(positive, 1, "a learning rate above 1 diverges at once (typical values: 1e-6 to 1e-3)")
#: Passes over the data: bounded, so that a typo cannot start a run that never ends.
epochs = at_most(positive, 1000, "more would run for weeks; pass a smaller number of epochs")


@Rule
def seed(where: str, value: Any) -> None:
    """A random seed numpy, torch and transformers all accept: an integer in [0, 2**32 - 1]."""
    integer.check(where, value)
    if not 0 <= value <= 2**32 - 1:
        raise ConfigurationError(
            f"{where} must be between 0 and {2**32 - 1} (numpy's seed range), got {show(value)}"
        )


def optional(rule: Rule) -> Rule:
    """``rule``, or ``None``."""

    def check(where: str, value: Any) -> None:
        if value is not None:
            rule.check(where, value)

    check.__name__ = f"optional_{rule.__name__}"
    return Rule(check)


def one_of(choices: Sequence[str]) -> Rule:
    def check(where: str, value: Any) -> None:
        if value not in choices:
            raise ConfigurationError(
                f"{where} must be one of {list(choices)}, got {show(value)}.{did_you_mean(str(value), choices)}"
            )

    check.__name__ = "one_of"
    return Rule(check)


def string_list(min_items: int = 1, *, what: str = "texts", item_error: type[Exception] = ConfigurationError) -> Rule:
    """A list of strings with at least ``min_items`` entries (``item_error``: raised for a non-string entry)."""

    def check(where: str, value: Any) -> None:
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise ConfigurationError(f"{where} must be a list of strings, got {type(value).__name__}: {show(value, 60)}")
        if len(value) == 0:
            raise ConfigurationError(f"{where} is required and must not be empty")
        if len(value) < min_items:
            raise ConfigurationError(
                f"{where} needs at least {min_items} {what}, got {len(value)}; add more {what} "
                "(a few hundred diverse ones work best)"
            )
        for i, t in enumerate(value):
            if not isinstance(t, str):
                raise item_error(f"{where}[{i}] must be a string, got {type(t).__name__}: {show(t)}")

    check.__name__ = "string_list"
    return Rule(check)


def utf8_text(where: str, text: Any, *, error: type[Exception] = DataError) -> None:
    """``text`` can be written as UTF-8: it holds no lone surrogate (``"\\ud800"``).

    A lone surrogate (half of a UTF-16 pair, e.g. from a JSON ``\\ud800`` escape) is not a
    Unicode character: Arrow files, JSON, model cards and tokenizers cannot take it, so every
    text that reward-model training writes or tokenizes is checked first and refused with
    ``error`` naming ``where``. Non-strings are left to the other checks.
    """
    if not isinstance(text, str) or text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise error(
            f"{where} holds a lone surrogate (U+{ord(text[exc.start]):04X} at character {exc.start}), which is "
            f"not a Unicode character and cannot be written or tokenized: {show(text, 80)}; remove it, or "
            "replace it with text.encode('utf-8', 'replace').decode('utf-8')"
        ) from None


def utf8_texts(where: str, values: Sequence[Any] | None, *, error: type[Exception] = DataError) -> None:
    """:func:`utf8_text` for each entry of ``values`` (``None``: nothing to check), named ``where[i]``."""
    for i, text in enumerate(values or ()):
        utf8_text(f"{where}[{i}]", text, error=error)


def aligned(
    values: Any,
    n: int,
    where: str,
    *,
    label: str | None = None,
    unit: str = "text",
    error: type[Exception] = ConfigurationError,
) -> list[Any] | None:
    """``None``, or a list with one string (or ``None``) per text: the texts' prompts or references.

    Returns the values as a list. ``label`` names the values in the count (``got 3
    references for 40 texts``); ``unit`` names what they align with. ``error`` is the
    exception raised (configs raise :class:`ConfigurationError`, data code
    :class:`aligntune.errors.DataError`).
    """
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise error(f"{where} must be a list of strings, one per {unit}, got {type(values).__name__}: {show(values, 60)}")
    values = list(values)
    if len(values) != n:
        if label is None:
            raise error(f"{where} must be a list with one entry per {unit}: got {len(values)} for {n} texts")
        raise error(f"{where} must have one entry per {unit}: got {len(values)} {label} for {n} {unit}s")
    for i, value in enumerate(values):
        if value is not None and not isinstance(value, str):
            raise error(f"{where}[{i}] must be a string or None, got {type(value).__name__}: {show(value)}")
    return values


def check_weights(weights: Any, n_functions: int, *, field: str = "weights") -> list[float]:
    """Validate reward weights: one per function, each a positive finite number."""
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
        raise ConfigurationError(f"{field} must be a list of numbers, got {type(weights).__name__}: {show(weights)}")
    if len(weights) != n_functions:
        raise ConfigurationError(
            f"{field} must have one weight per reward function: got {len(weights)} weights "
            f"{show(list(weights))} for {n_functions} functions"
        )
    out = []
    for i, w in enumerate(weights):
        if not _number(w):
            raise ConfigurationError(f"{field}[{i}] must be a number, got {type(w).__name__}: {show(w)}")
        if not math.isfinite(w) or w <= 0:
            raise ConfigurationError(
                f"{field}[{i}] must be a positive finite number, got {w!r}; "
                "drop the function instead of giving it a zero weight"
            )
        out.append(float(w))
    return out


def checkpoint_options(checkpoint_dir: Any, output_dir: Any, resume_from_checkpoint: Any, *, owner: str = "",
                       spell: Callable[[str], str] | None = None,
                       assign: Callable[[str, Any], str] | None = None) -> None:
    """``resume_from_checkpoint=True`` needs ``checkpoint_dir``, which must be neither ``output_dir`` nor inside it.

    ``owner`` prefixes the settings' names in messages (``"RewardModelTrainingConfig."``);
    ``spell``, when given, names them instead (the caller's spelling: ``--checkpoint-dir``), and
    ``assign`` writes a setting with its value (``--resume`` for ``resume_from_checkpoint=True``).
    """
    first = spell or (lambda field: f"{owner}{field}")  # the setting a message is about
    name = spell or (lambda field: field)  # the others it mentions
    if checkpoint_dir is None:
        pass
    elif (ckpt := Path(os.path.realpath(os.path.expanduser(os.fspath(checkpoint_dir))))) == (
        out := Path(os.path.realpath(os.path.expanduser(os.fspath(output_dir))))
    ):
        raise ConfigurationError(
            f"{first('checkpoint_dir')} must differ from {name('output_dir')} ({os.fspath(output_dir)!r}): the model "
            "directory is written atomically when training ends"
        )
    elif out in ckpt.parents:
        raise ConfigurationError(
            f"{first('checkpoint_dir')} {show(os.fspath(checkpoint_dir))} is inside {name('output_dir')} ({out}): the "
            "model directory is replaced whole when training ends, so the checkpoints would go with it (and the save "
            f"would refuse the directory they fill). Keep them beside it, e.g. {name('checkpoint_dir')}="
            f"{show(str(out) + '-checkpoints')}"
        )
    if resume_from_checkpoint is True and checkpoint_dir is None:
        raise ConfigurationError(
            f"{(assign or (lambda field, value: f'{first(field)}={value!r}'))('resume_from_checkpoint', True)} needs {name('checkpoint_dir')}= (where the earlier run kept its "
            f"checkpoints), or pass the checkpoint directory itself as {name('resume_from_checkpoint')}"
        )
