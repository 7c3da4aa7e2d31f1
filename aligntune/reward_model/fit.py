"""Training with ``trl.RewardTrainer``: tokenised pairs in, trained model out.

What aligntune sets up around TRL, and why:

* Texts are tokenised here (see :mod:`aligntune.reward_model.encoding`) and handed
  over as ``chosen_ids``/``rejected_ids``. TRL would otherwise append the
  tokenizer's end-of-sequence token, which crashes on tokenizers without one (BERT
  family, such as the MiniLM default), and it would silently drop every pair longer
  than ``max_length``. Here long texts are truncated explicitly, counted, and the
  count is logged and written into the model card.
* A tokenizer without a pad token (GPT-2 style) pads with its end-of-sequence
  token; ``config.pad_token_id`` is set to match.
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
  ``group_by_length`` sampling, on a ``length`` column aligntune adds), which cuts
  padding and made CPU training about twice as fast on the bundled corpus. Batches
  stay random: the sampler shuffles within and across groups of 50 batches.
* ``report_to`` (default ``"none"``) and ``logging_steps`` pass through, as does
  any other ``trl.RewardConfig`` field through ``training_args``.
* Launched as several processes on a machine without CUDA, ``use_cpu`` defaults to on:
  without it transformers runs every process alone on all the pairs, with no error,
  instead of data-parallel on ``gloo``. A trainer that still ends up with fewer
  processes than were launched is logged as a warning.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aligntune import distributed
from aligntune.errors import ConfigurationError, show
from aligntune.reward_model.encoding import encode
from aligntune.reward_model.pairs import PairIndex

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
    training_args: dict[str, Any] = field(default_factory=dict)
    callbacks: list[Any] = field(default_factory=list)


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def resolve_gradient_checkpointing(value: bool | None) -> bool:
    """``None`` means: on with a CUDA GPU, off on CPU."""
    return cuda_available() if value is None else bool(value)


@dataclass(frozen=True)
class TokenizedPairs:
    dataset: Any
    n_truncated: int
    n_texts: int


def tokenize_pairs(
    tokenizer: Any,
    texts: Sequence[str],
    prompts: Sequence[str | None] | None,
    pairs: PairIndex,
    *,
    max_length: int,
    use_margin: bool,
) -> TokenizedPairs:
    """Encode each text once, then build the ``chosen_ids``/``rejected_ids`` dataset."""
    from datasets import Dataset

    encoded = encode(tokenizer, texts, prompts=prompts, max_length=max_length)
    if encoded.n_truncated:
        logger.warning(
            "%d of %d training texts are longer than max_length=%d tokens and were truncated to it "
            "(trl.RewardTrainer would have dropped their pairs silently). Raise max_length to keep them whole.",
            encoded.n_truncated,
            len(texts),
            max_length,
        )
    ids = encoded.input_ids
    columns: dict[str, Any] = {
        "chosen_ids": [ids[i] for i in pairs.chosen],
        "rejected_ids": [ids[i] for i in pairs.rejected],
    }
    if use_margin:
        columns["margin"] = pairs.margin.tolist()
    columns["length"] = [max(len(ids[c]), len(ids[r])) for c, r in zip(pairs.chosen, pairs.rejected)]
    return TokenizedPairs(Dataset.from_dict(columns), encoded.n_truncated, len(texts))


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


def run_reward_trainer(
    model: Any,
    tokenizer: Any,
    train_dataset: Any,
    settings: FitSettings,
    *,
    scratch_dir: Path,
    resume_from_checkpoint: str | bool | None = None,
) -> Any:
    """Train ``model`` in place with ``trl.RewardTrainer``; return the trainer.

    Checkpoints go to ``settings.checkpoint_dir`` when it is set (so an interrupted
    run can resume with ``resume_from_checkpoint``); otherwise nothing is
    checkpointed and TRL's scratch files stay inside ``scratch_dir``.
    """
    from trl import RewardTrainer

    output_dir = settings.checkpoint_dir or scratch_dir
    args = reward_config(settings, output_dir)
    launched = distributed.world_size()
    if args.world_size != launched:
        logger.warning(
            "%d processes were launched but trl.RewardTrainer runs with world_size=%d, so each process trains "
            "on all the pairs; on CPU pass training_args={'use_cpu': True} or set ACCELERATE_USE_CPU=1",
            launched,
            args.world_size,
        )
    trainer = RewardTrainer(
        model=model,
        args=args,
        train_dataset=train_dataset,
        processing_class=tokenizer,
        callbacks=settings.callbacks or None,
    )
    distributed.check_parameters_replicated(trainer.accelerator, "train_reward_model")
    trainer.train(resume_from_checkpoint=resume_from_checkpoint)
    return trainer
