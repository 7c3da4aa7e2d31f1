"""The settings a TRL user brings to an RL run, checked in one place.

* ``trl_args`` / ``args``: TRL's own config fields (:mod:`aligntune.rl.trl_args`);
* ``peft_config``: LoRA on the policy (:mod:`aligntune.rl.peft_config`);
* ``resume_from_checkpoint``: continue a run from a checkpoint (:mod:`aligntune.rl.resume`);
* ``model_name`` as a loaded ``PreTrainedModel`` with ``tokenizer=``, and ``chat_template`` for
  prompts given as plain text.

:func:`check_config` runs when :class:`~aligntune.rl.config.RLTrainingConfig` is built (it reads
the installed trl's config class when ``trl_args`` or ``args`` is given, nothing else);
:func:`validate` runs with the other file-system checks of ``create_rl_trainer``, still before any
model loads.
"""

from __future__ import annotations

import os
from typing import Any

from aligntune.chat_templates import render, render_with
from aligntune.errors import ConfigurationError, show
from aligntune.rl import resume
from aligntune.rl.peft_config import check_peft_value, to_peft_config
from aligntune.rl.trl_args import SAME_NAME_AS_ALIGNTUNE, check_against_config, check_trl_args, from_args


def is_loaded_model(value: Any) -> bool:
    """A loaded model object (a ``PreTrainedModel`` or a PEFT model), told apart without importing torch."""
    return hasattr(value, "config") and callable(getattr(value, "save_pretrained", None)) and \
        callable(getattr(value, "generate", None))


def policy_name(config: Any) -> str:
    """What logs, ``metrics.json`` and the model card call the policy: its name, or a loaded model's origin."""
    model = config.model_name
    if isinstance(model, str):
        return model
    origin = getattr(model, "name_or_path", None) or getattr(getattr(model, "config", None), "_name_or_path", None)
    return f"{type(model).__name__} object" + (f" (from {origin})" if origin else "")


def check_config(config: Any) -> dict[str, Any]:
    """Check the settings of this module on a config being built; return the checked ``trl_args``."""
    _check_policy(config)
    check_peft_value(config.peft_config)
    if config.peft_config is not None and config.backend == "unsloth":
        raise ConfigurationError(
            "backend='unsloth' puts LoRA on the policy itself: pass backend_options={'lora': {...}} instead of "
            "peft_config (peft_config is the trl backend's)"
        )
    given = config.trl_args
    if config.args is not None:
        if given:
            raise ConfigurationError(
                "RLTrainingConfig got both args= (a TRL config object) and trl_args= (TRL fields); pass one of them: "
                "the fields of args that differ from TRL's defaults are its trl_args"
            )
        given = from_args(config.args, config.algorithm, {n: getattr(config, n) for n in SAME_NAME_AS_ALIGNTUNE})
    checked = check_trl_args(given, config.algorithm)
    check_against_config(checked, algorithm=config.algorithm, total_episodes=config.total_episodes)
    point = config.resume_from_checkpoint
    if point is not None and not isinstance(point, (bool, str)):
        raise ConfigurationError(
            "RLTrainingConfig.resume_from_checkpoint must be True (the latest checkpoint in output_dir) or the path "
            f"of a checkpoint-N directory, got {type(point).__name__}: {show(point)}"
        )
    if point and config.algorithm == "ppo":
        resume.find_checkpoint(point, config.output_dir, "ppo")  # raises: TRL's PPO has no resume
    return checked


def _check_policy(config: Any) -> None:
    model, tokenizer = config.model_name, config.tokenizer
    if not isinstance(model, str):
        if not is_loaded_model(model):
            raise ConfigurationError(
                "RLTrainingConfig.model_name must be a hub name, a local policy directory or a loaded causal LM "
                f"(transformers PreTrainedModel), got {type(model).__name__}: {show(model)}"
            )
        if tokenizer is None:
            raise ConfigurationError(
                f"model_name= is a loaded {type(model).__name__}; pass its tokenizer as tokenizer= too (a loaded "
                "model carries no tokenizer)"
            )
        if config.algorithm == "ppo" and config.value_model_name is None and not _local_origin(model):
            raise ConfigurationError(
                f"PPO with model_name= a loaded {type(model).__name__} needs value_model_name= (a hub name or local "
                "directory for the value model's base): the loaded model was not read from a local directory"
            )
    if tokenizer is not None and not (callable(getattr(tokenizer, "decode", None)) and hasattr(tokenizer, "eos_token")):
        raise ConfigurationError(f"tokenizer= must be a transformers tokenizer, got {type(tokenizer).__name__}")


def _local_origin(model: Any) -> str | None:
    origin = getattr(model, "name_or_path", None)
    return origin if isinstance(origin, str) and os.path.isdir(os.path.expanduser(origin)) else None


def value_model_base(config: Any) -> str:
    """Where the PPO value model's base comes from: ``value_model_name``, the policy's name or its directory."""
    if config.value_model_name is not None:
        return config.value_model_name
    if isinstance(config.model_name, str):
        return config.model_name
    origin = _local_origin(config.model_name)
    assert origin is not None  # check_config refused it otherwise
    return origin


def validate(config: Any) -> Any:
    """The checks that read files or import peft (before any model loads); return the resume checkpoint or ``None``.

    A checkpoint inside ``output_dir`` continues the run there, so the directory rule is the
    resumed run's (:func:`aligntune.rl.resume.check_resume_output`), not a new run's.
    """
    to_peft_config(config.peft_config)
    point = resume.find_checkpoint(config.resume_from_checkpoint, config.output_dir, config.algorithm)
    if config.overwrite and resume.in_place(point, config.output_dir):
        raise ConfigurationError(
            f"overwrite=True would replace the run in output_dir={show(config.output_dir)} that "
            "resume_from_checkpoint continues; drop overwrite to resume it, or resume_from_checkpoint to start afresh"
        )
    return point


def as_user_turns(prompts: list[str], tokenizer: Any, *, origin: str = "chat_template=") -> list[str]:
    """Plain-text prompts rendered as one user turn each with ``tokenizer``'s chat template (the generation prompt
    added), as ``chat_template=`` asks."""
    return render_with(tokenizer, [[{"role": "user", "content": p}] for p in prompts], origin=origin,
                       add_generation_prompt=True)


def check_given_template(config: Any, first_prompt: Any) -> None:
    """Render ``chat_template`` once on the first prompt (a text, or a list of chat turns), before anything loads."""
    if config.chat_template is None:
        return
    turns = first_prompt if isinstance(first_prompt, list) else [{"role": "user", "content": str(first_prompt)}]
    render(config.chat_template, [turns], origin="chat_template=", add_generation_prompt=True)
