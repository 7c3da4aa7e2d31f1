"""``peft_config=``: LoRA (or another PEFT method) on the policy of the ``trl`` backend.

>>> create_rl_trainer(..., peft_config={"r": 16, "lora_alpha": 32,            # doctest: +SKIP
...                                     "target_modules": ["q_proj", "v_proj"]})
>>> create_rl_trainer(..., peft_config=peft.LoraConfig(r=16, task_type="CAUSAL_LM"))  # doctest: +SKIP

A mapping is a ``peft.LoraConfig``'s keyword arguments; a ``peft.PeftConfig`` object is
used as given. The task type is the policy's, ``CAUSAL_LM`` (a config without one gets
it, on a copy). TRL wraps the policy (``get_peft_model``); only the adapter trains, and
the reference policy is the base with the adapter disabled, so no second copy of the
policy is held. ``save_model()`` saves the adapter; ``save_model(merge=True)`` a plain
model with the adapter merged into it.

Checked when the config is built (the kind of value, cheaply) and before anything loads
(:func:`to_peft_config`: peft installed, every key a ``LoraConfig`` field).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from aligntune._validation import did_you_mean
from aligntune.errors import ConfigurationError, show

INSTALL = "pip install 'aligntune[peft]'"


def _is_peft_config(value: Any) -> bool:
    """A ``peft.PeftConfig`` (told by its ``peft_type``, without importing peft)."""
    return any(cls.__module__.startswith("peft.") for cls in type(value).__mro__) and hasattr(value, "peft_type")


def check_peft_value(value: Any, *, where: str = "peft_config") -> None:
    """The kind of ``value``: ``None``, a mapping with string keys, or a ``peft.PeftConfig`` (imports nothing)."""
    if value is None or _is_peft_config(value):
        return
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return
    raise ConfigurationError(
        f"{where} must be a peft.LoraConfig (or another peft.PeftConfig) or a mapping of LoraConfig arguments such "
        f"as {{'r': 16, 'lora_alpha': 32}}, got {type(value).__name__}: {show(value)}"
    )


def to_peft_config(value: Any, *, where: str = "peft_config") -> Any:
    """``value`` as a ``peft.PeftConfig`` for a causal LM (``None`` stays ``None``); refused with the fix otherwise."""
    if value is None:
        return None
    check_peft_value(value, where=where)
    try:
        import peft
    except ImportError:
        raise ConfigurationError(f"{where} needs the peft library, which is not installed; install it with: {INSTALL}") \
            from None
    if isinstance(value, Mapping):
        fields = [f.name for f in dataclasses.fields(peft.LoraConfig) if f.init]
        for key in value:
            if key not in fields:
                raise ConfigurationError(
                    f"{where}[{key!r}] is not a peft.LoraConfig argument (peft {peft.__version__}).{did_you_mean(key, fields)} "
                    "Pass a peft config object for other PEFT methods"
                )
        given = dict(value)
        task = given.setdefault("task_type", "CAUSAL_LM")
        _check_task(task, where)
        try:
            return peft.LoraConfig(**given)
        except (TypeError, ValueError) as exc:
            raise ConfigurationError(f"{where}={show(value)} is not a valid peft.LoraConfig: {exc}") from None
    if value.task_type is None:
        return dataclasses.replace(value, task_type="CAUSAL_LM")
    _check_task(value.task_type, where)
    return value


def _check_task(task: Any, where: str) -> None:
    if str(getattr(task, "value", task)) != "CAUSAL_LM":
        raise ConfigurationError(
            f"{where} has task_type={show(str(getattr(task, 'value', task)))}, but the RL policy is a causal LM: "
            "pass task_type='CAUSAL_LM' (or leave it out)"
        )
