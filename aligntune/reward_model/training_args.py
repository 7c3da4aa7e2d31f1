"""The training arguments both reward-model objectives run with, and their defaults.

:class:`FitSettings` holds what a user sets; :func:`reward_config` turns it into the
``trl.RewardConfig`` (a ``transformers.TrainingArguments``) that the pairs objective
(:mod:`aligntune.reward_model.pairs_objective`) and the rules objective
(:mod:`aligntune.reward_model.rules_objective`) both train with. Defaults chosen here:

* ``gradient_checkpointing`` defaults to on with a CUDA GPU and off on CPU: TRL
  turns it on by default, which saves GPU memory for large models but roughly halves
  training speed on CPU for a small reward model.
* ``bf16`` (mixed precision) defaults to on with a CUDA GPU that supports it, and on
  a CPU with native bfloat16 instructions (``avx512_bf16``/``amx_bf16`` on x86,
  ``bf16`` on Arm; read from ``/proc/cpuinfo``), where autocast to bfloat16 made
  MiniLM reward-model training about twice as fast with the same fidelity. On other
  CPUs bfloat16 is emulated and slower, so it stays off. ``training_args={"bf16": False}``
  turns it off.
* Pairs of similar token length are batched together (transformers'
  ``group_by_length`` sampling, on a ``length`` column the pairs objective adds), which
  cuts padding and made CPU training about twice as fast on the bundled corpus. Batches
  stay random: the sampler shuffles within and across groups of 50 batches.
* ``report_to`` (default ``"none"``) and ``logging_steps`` pass through, as does
  any other ``trl.RewardConfig`` field through ``training_args``.
* Launched as several processes on a machine without CUDA, ``use_cpu`` defaults to on:
  without it transformers runs every process alone on all the pairs, with no error,
  instead of data-parallel on ``gloo``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aligntune import distributed
from aligntune.errors import ConfigurationError, show

logger = logging.getLogger(__name__)


@dataclass
class FitSettings:
    """The training arguments aligntune passes to ``trl.RewardConfig``."""

    num_epochs: float = 3
    learning_rate: float = 1e-5
    batch_size: int = 8
    gradient_accumulation_steps: int = 1
    max_length: int = 512
    gradient_checkpointing: bool | None = None
    report_to: str | list[str] = "none"
    logging_steps: int = 10
    seed: int = 42
    use_margin: bool = True
    checkpoint_dir: str | None = None
    #: ``"rules"`` (one head per reward function, each text once; the default) or ``"pairs"`` (trl.RewardTrainer).
    objective: str = "rules"
    #: The learning rate of the freshly initialised heads (``"rules"`` objective).
    head_learning_rate: float = 1e-3
    #: Rule-aware augmented copies per training text (:mod:`aligntune.reward_model.augment`); 0 turns it off.
    augment_copies: float = 1.0
    training_args: dict[str, Any] = field(default_factory=dict)
    callbacks: list[Any] = field(default_factory=list)


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def resolve_gradient_checkpointing(value: bool | None) -> bool:
    """``None`` means: on with a CUDA GPU, off on CPU."""
    return cuda_available() if value is None else bool(value)


def check_training_args(training_args: dict[str, Any]) -> None:
    """Refuse ``training_args`` keys that ``trl.RewardConfig`` does not have (run before any load)."""
    from trl import RewardConfig

    if not isinstance(training_args, dict):
        raise ConfigurationError(f"training_args must be a dict of trl.RewardConfig fields, got {show(training_args)}")
    unknown = sorted(set(training_args) - set(RewardConfig.__dataclass_fields__))
    if unknown:
        raise ConfigurationError(
            f"training_args has keys that trl.RewardConfig does not know: {unknown}; see "
            "https://huggingface.co/docs/trl/reward_trainer for the valid ones"
        )


def reward_config(settings: FitSettings, output_dir: str | Path) -> Any:
    """Build the ``trl.RewardConfig`` for ``settings``."""
    from trl import RewardConfig

    cuda = cuda_available()
    kwargs: dict[str, Any] = {
        "output_dir": str(output_dir),
        "num_train_epochs": settings.num_epochs,
        "learning_rate": settings.learning_rate,
        "per_device_train_batch_size": settings.batch_size,
        "gradient_accumulation_steps": settings.gradient_accumulation_steps,
        "max_length": settings.max_length,
        "gradient_checkpointing": resolve_gradient_checkpointing(settings.gradient_checkpointing),
        "report_to": settings.report_to,
        "logging_steps": settings.logging_steps,
        "seed": settings.seed,
        "data_seed": settings.seed,
        "bf16": resolve_bf16(),
        "save_strategy": "steps" if settings.checkpoint_dir else "no",
        "dataloader_pin_memory": cuda,
        "train_sampling_strategy": "group_by_length",
        "length_column_name": "length",
        # keep the length column for the sampler; the preference collator reads only its own keys
        "remove_unused_columns": False,
    }
    if not cuda and distributed.launched_world_size() > 1:
        kwargs["use_cpu"] = True  # else each launched process trains alone (see the module docstring)
    if not cuda and kwargs["bf16"]:
        kwargs["use_cpu"] = True  # transformers allows bf16 without a GPU only with use_cpu
    check_training_args(settings.training_args)
    kwargs.update(settings.training_args)
    if not cuda and not kwargs.get("use_cpu") and "bf16" not in settings.training_args:
        kwargs["bf16"] = False  # use_cpu=False was asked for, and transformers allows CPU bf16 only with it
    return RewardConfig(**kwargs)


def resolve_bf16() -> bool:
    """The ``bf16`` default: a CUDA GPU with bfloat16 support, or a CPU with native bfloat16 instructions."""
    import torch

    if torch.cuda.is_available():
        return bool(torch.cuda.is_bf16_supported())
    return cpu_has_native_bf16()


#: CPU feature flags (``/proc/cpuinfo``) that mean bfloat16 matrix maths runs natively.
BF16_CPU_FLAGS = frozenset({"avx512_bf16", "amx_bf16", "bf16"})


def native_bf16_flags(cpuinfo: str = "/proc/cpuinfo") -> list[str]:
    """The native bfloat16 flags the CPU advertises, sorted (empty where it has none or it is unknown)."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("flags", "Features"):
                    return sorted(BF16_CPU_FLAGS.intersection(value.split()))
    except OSError:
        return []
    return []


def cpu_has_native_bf16(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """Whether the CPU advertises native bfloat16 instructions (``False`` where unknown)."""
    return bool(native_bf16_flags(cpuinfo))
