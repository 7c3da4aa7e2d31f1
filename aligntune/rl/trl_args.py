"""TRL's own settings, passed through to the installed trl's config class and checked first.

aligntune re-declares the settings it maps itself (``batch_size``, ``learning_rate``,
``output_dir``, ...); every other field of trl's ``PPOConfig`` (``trl.experimental.ppo``),
``GRPOConfig`` or ``RLOOConfig`` reaches TRL through ``trl_args``:

>>> create_rl_trainer(..., algorithm="grpo",                              # doctest: +SKIP
...                   trl_args={"max_steps": 200, "save_steps": 50, "lr_scheduler_type": "cosine",
...                             "gradient_checkpointing": True, "use_vllm": True})

or through ``args=``, a TRL config the caller already built (its fields that differ from
the class defaults are taken as ``trl_args``). The YAML key is ``trl_args:`` and the CLI
option ``--trl-arg KEY=VALUE`` (repeatable; the value is read as the field's type).

Every key is checked against the dataclass fields of the installed trl before anything
loads: an unknown key is refused with the close matches and the trl version, and a key
aligntune sets from one of its own settings is refused with that setting's name (two
names for one setting would leave it unclear which wins). ``save_steps`` without
``save_strategy`` turns step checkpoints on (aligntune's default is none).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import types
import typing
import warnings
from collections.abc import Mapping
from typing import Any

from aligntune._validation import did_you_mean
from aligntune.errors import ConfigurationError, show
from aligntune.rl.algorithms import ONLY_FOR, PPO_SETTINGS
from aligntune.versions import installed_version

logger = logging.getLogger(__name__)

#: TRL fields every algorithm's config gets from an aligntune setting: TRL name -> the setting to use.
OWNED_COMMON: dict[str, str] = {
    "output_dir": "output_dir",
    "learning_rate": "learning_rate",
    "per_device_train_batch_size": "batch_size",
    "gradient_accumulation_steps": "gradient_accumulation_steps",
    "num_train_epochs": "num_epochs",
    "seed": "seed",
    "logging_steps": "logging_steps",
    "report_to": "report_to",
    "bf16": "bf16",
    "temperature": "temperature",
    "resume_from_checkpoint": "resume_from_checkpoint",
}
#: PPO's own (``trl.experimental.ppo.PPOConfig``).
OWNED_PPO: dict[str, str] = {
    **{name: name for name in (*PPO_SETTINGS, "total_episodes")},
    "stop_token": "stop_at_eos",
    "max_steps": "total_episodes (TRL's PPO counts episodes and ignores max_steps)",
}
#: GRPO's and RLOO's own.
OWNED_ONLINE: dict[str, str] = {
    **{name: name for name in ONLY_FOR},
    "reward_weights": "reward_function_weights (and reward_model_weight)",
}
#: The 1:1 ones: an ``args=`` config may carry them when they equal aligntune's value.
SAME_NAME_AS_ALIGNTUNE = ("output_dir", "learning_rate", "gradient_accumulation_steps", "seed", "logging_steps",
                          "report_to", "bf16", "temperature")


class TextValue(str):
    """A value given as text (``--trl-arg KEY=VALUE``): read as the TRL field's type when checked."""


def trl_version() -> str:
    """The installed trl's version (``"not installed"`` when absent)."""
    return installed_version("trl") or "not installed"


def experimental_ppo() -> types.ModuleType:
    """``trl.experimental.ppo`` (where trl 1.12 keeps PPO), imported without trl's notice that its experimental
    APIs may change: aligntune pins the trl it runs PPO on (``aligntune[ppo]``) and says so in its docs. Only that
    one notice is filtered, during this import; the process environment (``TRL_EXPERIMENTAL_SILENCE``) is left as
    the user set it.

    Raises:
        ImportError: the installed trl has no ``trl.experimental.ppo`` (trl 1.13 and later removed it).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"You are importing from 'trl\.experimental'")
        import trl.experimental.ppo as ppo
    return ppo


def trl_config_class(algorithm: str) -> type:
    """The installed trl's config class for ``algorithm`` (imports trl, not a model)."""
    try:
        if algorithm == "ppo":
            return experimental_ppo().PPOConfig  # type: ignore[no-any-return]
        if algorithm == "grpo":
            from trl import GRPOConfig

            return GRPOConfig
        from trl import RLOOConfig

        return RLOOConfig
    except ImportError as exc:
        raise ConfigurationError(
            f"trl_args for algorithm {algorithm!r} are checked against the installed trl, which has no config for it "
            f"(trl {trl_version()}: {exc}). Install a trl that has it: pip install 'aligntune[ppo]' for PPO "
            "(trl 1.12), 'aligntune[grpo]' for GRPO and RLOO"
        ) from None


def owned(algorithm: str) -> dict[str, str]:
    """The TRL fields aligntune sets for ``algorithm``, each with the aligntune setting to use instead."""
    return {**OWNED_COMMON, **(OWNED_PPO if algorithm == "ppo" else OWNED_ONLINE)}


@functools.lru_cache(maxsize=None)
def _fields(cls: type) -> dict[str, Any]:
    """``{name: type hint}`` of the settable dataclass fields of ``cls``."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # a hint that does not resolve in this Python: the field is still settable, unchecked
        hints = {}
    return {f.name: hints.get(f.name, Any) for f in dataclasses.fields(cls) if f.init and not f.name.startswith("_")}


def field_names(algorithm: str) -> list[str]:
    """Every key ``trl_args`` may hold for ``algorithm`` (the installed trl's fields minus aligntune's)."""
    taken = owned(algorithm)
    return sorted(name for name in _fields(trl_config_class(algorithm)) if name not in taken)


def check_trl_args(trl_args: Mapping[str, Any], algorithm: str, *, where: str = "trl_args") -> dict[str, Any]:
    """``trl_args`` checked against the installed trl's config for ``algorithm``; values read as the field types.

    Raises :class:`ConfigurationError` for a key that is not a field (with the close
    matches and the trl version), a key aligntune owns (naming its setting), or a value
    that is not of the field's type. Nothing loads but trl's config module.
    """
    if not isinstance(trl_args, Mapping):
        raise ConfigurationError(
            f"{where} must be a mapping of TRL config fields to values, e.g. {{'max_steps': 100}}, "
            f"got {type(trl_args).__name__}: {show(trl_args)}"
        )
    if not trl_args:
        return {}
    cls = trl_config_class(algorithm)
    fields = _fields(cls)
    taken = owned(algorithm)
    checked: dict[str, Any] = {}
    for key, value in trl_args.items():
        if not isinstance(key, str):
            raise ConfigurationError(f"{where} keys must be TRL field names (strings), got {type(key).__name__}: "
                                     f"{show(key)}")
        if key in taken:
            raise ConfigurationError(
                f"{where}[{key!r}] is set by aligntune from its own setting {taken[key]}; pass {taken[key].split()[0]}= "
                f"to create_rl_trainer (a YAML key of the config) instead of {key} in {where}"
            )
        if key not in fields:
            raise ConfigurationError(
                f"{where}[{key!r}] is not a field of {cls.__name__} in the installed trl {trl_version()}."
                f"{did_you_mean(key, [f for f in fields if f not in taken])} The fields are listed by "
                f"aligntune.rl.trl_args.field_names({algorithm!r}); a field newer trl releases added needs that trl"
            )
        checked[key] = coerce(value, fields[key], what=f"{where}[{key!r}] ({cls.__name__}.{key})")
    if "save_steps" in checked and "save_strategy" not in checked:
        checked["save_strategy"] = "steps"
    return checked


def check_against_config(trl_args: Mapping[str, Any], *, algorithm: str, total_episodes: int | None) -> None:
    """Settings that contradict each other across aligntune's and TRL's names."""
    if algorithm != "ppo" and total_episodes is not None and "max_steps" in trl_args:
        raise ConfigurationError(
            f"total_episodes={total_episodes} and trl_args['max_steps']={trl_args['max_steps']} both set the length "
            "of the run (aligntune turns total_episodes into max_steps); pass one of them"
        )


def from_args(args: Any, algorithm: str, aligntune_values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``trl_args`` an already built TRL config stands for: its fields that differ from the class defaults.

    ``args`` must be an instance of the algorithm's config class. A field aligntune owns
    is accepted only when it equals aligntune's own value (``aligntune_values``, by
    aligntune name); otherwise it is refused, naming the aligntune setting.
    """
    cls = trl_config_class(algorithm)
    if not isinstance(args, cls):
        raise ConfigurationError(
            f"args= must be a {cls.__module__}.{cls.__name__} for algorithm={algorithm!r} (trl {trl_version()}), "
            f"got {type(args).__name__}"
        )
    try:
        default = cls(bf16=args.bf16)  # bf16's default is True, which a CPU refuses to build
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"args=: a default {cls.__name__} to compare with could not be built: {exc}") from None
    taken = owned(algorithm)
    mapping: dict[str, Any] = {}
    for name in _fields(cls):
        value = getattr(args, name, None)
        if value == getattr(default, name, None):
            continue
        if name in taken:
            if name in SAME_NAME_AS_ALIGNTUNE and _same(value, aligntune_values.get(name)):
                continue
            raise ConfigurationError(
                f"args.{name}={show(value)} is set by aligntune from its own setting {taken[name]} "
                f"(here {show(aligntune_values.get(taken[name].split()[0]))}); pass {taken[name].split()[0]}= to "
                f"create_rl_trainer, and leave {name} at {cls.__name__}'s default in args"
            )
        mapping[name] = value
    logger.info("args=%s: taking %s", cls.__name__, ", ".join(sorted(mapping)) or "no field that differs from TRL's defaults")
    return mapping


def _same(trl_value: Any, ours: Any) -> bool:
    if isinstance(ours, str) and isinstance(trl_value, list):  # TrainingArguments turns report_to into a list
        return trl_value == [ours]
    return bool(trl_value == ours)


def parse_cli(items: tuple[str, ...] | list[str]) -> dict[str, TextValue]:
    """``("max_steps=100", "lr_scheduler_type=cosine")`` -> a ``trl_args`` mapping of text values."""
    parsed: dict[str, TextValue] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigurationError(f"--trl-arg expects KEY=VALUE (a TRL config field and its value), got {show(item)}")
        key = key.strip()
        if key in parsed:
            raise ConfigurationError(f"--trl-arg {key}=... was given twice ({parsed[key]!r} and {raw!r}); give it once")
        parsed[key] = TextValue(raw)
    return parsed


# -- values ----------------------------------------------------------------------------------------

_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}
_NONE = {"none", "null", "~", ""}


def _members(hint: Any) -> list[Any]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return list(typing.get_args(hint))
    return [hint]


def coerce(value: Any, hint: Any, *, what: str) -> Any:
    """``value`` as the field type ``hint``: text is read as that type; other values are checked against it."""
    members = _members(hint)
    if Any in members or hint is Any:
        return _from_text_any(value) if isinstance(value, TextValue) else value
    text = isinstance(value, TextValue)
    if text and value.strip().lower() in _NONE and type(None) in members:
        return None
    if value is None and type(None) in members:
        return None
    errors = []
    for member in sorted(members, key=_order):
        if member is type(None):
            continue
        try:
            return _as(member, str(value) if text else value, text)
        except (TypeError, ValueError) as exc:
            errors.append(str(exc))
    wanted = " or ".join(_name(m) for m in members)
    raise ConfigurationError(f"{what} must be {wanted}, got {type(value).__name__ if not text else 'text'}: "
                             f"{show(str(value) if text else value)}")


def _order(member: Any) -> int:
    """Try the narrowest reading first: bool, int, float, containers, then text."""
    base = typing.get_origin(member) or member
    order = {bool: 0, int: 1, float: 2, list: 3, dict: 4, str: 6}
    return order.get(base, 5)


def _name(member: Any) -> str:
    return "None" if member is type(None) else getattr(member, "__name__", str(member))


def _as(member: Any, value: Any, text: bool) -> Any:
    base = typing.get_origin(member) or member
    if base is bool:
        if isinstance(value, bool):
            return value
        if text and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise ValueError("not a bool")
    if base is int:
        if isinstance(value, bool):
            raise ValueError("bool is not int")
        if isinstance(value, int):
            return value
        if text:
            return int(value.strip())
        raise ValueError("not an int")
    if base is float:
        if isinstance(value, bool):
            raise ValueError("bool is not float")
        if isinstance(value, (int, float)):
            return value
        if text:
            return float(value.strip())
        raise ValueError("not a float")
    if base is list:
        (item,) = typing.get_args(member) or (Any,)
        if text:
            items = _from_text_any(value)
            value = items if isinstance(items, list) else [part.strip() for part in value.split(",") if part.strip()]
            value = [TextValue(str(v)) for v in value]
        if not isinstance(value, (list, tuple)):
            raise ValueError("not a list")
        return [coerce(v, item, what="an item") for v in value]
    if base is dict:
        parsed = _from_text_any(value) if text else value
        if not isinstance(parsed, dict):
            raise ValueError("not a mapping")
        return parsed
    if isinstance(base, type) and issubclass(base, str):  # str and str enums (SchedulerType)
        if isinstance(value, str):
            return str(value) if text or base is str else value
        raise ValueError("not text")
    if isinstance(base, type) and not isinstance(value, base) and not text:
        raise ValueError(f"not a {base.__name__}")
    return value


def _from_text_any(value: str) -> Any:
    """Text of unknown type: read as YAML (numbers, booleans, lists, mappings), else kept as text."""
    import yaml

    try:
        return yaml.safe_load(value)
    except yaml.YAMLError:
        return str(value)
