"""The ``unsloth`` backend: an Unsloth-loaded policy on the TRL backend's trainers (GRPO, Unsloth's supported RL
path, and PPO), through their public extension point ``aligntune_backend_trl.trainer_for(config, policy_loader=...)``."""

from __future__ import annotations

import logging
from typing import Any

from aligntune.plugin_api import (
    Availability,
    BackendUnavailableError,
    ConfigurationError,
    completion_length,
    did_you_mean,
    installed_version,
    show,
)
from aligntune_backend_trl import PolicyBundle, TRLBackend, trainer_for
from aligntune_backend_unsloth.availability import INSTALL, check_availability

logger = logging.getLogger(__name__)

#: ``backend_options`` this backend understands.
OPTIONS: dict[str, str] = {
    "lora": "dict of LoRA settings for FastLanguageModel.get_peft_model (r, lora_alpha, target_modules, ...)",
    "load_in_4bit": "bool; default: True for '...-bnb-4bit' checkpoints, else False",
    "max_seq_length": "int; default: max_prompt_length + response_length",
}


def check_options(options: dict[str, Any]) -> None:
    """Refuse ``backend_options`` this backend does not know (before anything loads)."""
    for key, value in options.items():
        if key not in OPTIONS:
            raise ConfigurationError(
                f"backend_options[{show(key)}] is not an Unsloth option.{did_you_mean(key, OPTIONS)} "
                f"Known: {', '.join(f'{k} ({v})' for k, v in OPTIONS.items())}"
            )
    if "lora" in options and not isinstance(options["lora"], dict):
        raise ConfigurationError(f"backend_options['lora'] must be a dict, got {show(options['lora'])}")
    if "load_in_4bit" in options and not isinstance(options["load_in_4bit"], bool):
        raise ConfigurationError(f"backend_options['load_in_4bit'] must be True or False, got {show(options['load_in_4bit'])}")
    seq = options.get("max_seq_length")
    if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int) or seq < 1):
        raise ConfigurationError(f"backend_options['max_seq_length'] must be an integer >= 1, got {show(seq)}")


class UnslothBackend:
    """GRPO and PPO with the policy loaded by Unsloth (4-bit for bnb checkpoints, LoRA adapters).

    GRPO is the RL path Unsloth supports (unsloth is imported before trl, so its GRPO
    patches apply); PPO on ``FastLanguageModel`` is kept but Unsloth's maintainers do not
    support it. Needs a CUDA GPU and the ``unsloth`` package; never falls back to the CPU.
    """

    name = "unsloth"
    algorithms: tuple[str, ...] = ("grpo", "ppo")
    description = "GRPO (and PPO) with an Unsloth-loaded policy (4-bit, LoRA) on the TRL engines; CUDA GPU only"

    def availability(self) -> Availability:
        """Available only with a CUDA GPU and unsloth installed (unsloth is not imported)."""
        return check_availability()

    def check_algorithm(self, algorithm: str) -> Availability:
        """Whether the installed trl runs ``algorithm`` on the TRL engines this backend uses (PPO: trl 1.12 only).

        The same version ranges as the ``trl`` backend; a refusal names ``aligntune[unsloth]``, which holds
        trl at 1.12 (unsloth 2026.10 accepts trl up to 1.15).
        """
        if TRLBackend().check_algorithm(algorithm).available:
            return Availability(True)
        trl = installed_version("trl")
        if trl is None:
            installed, why = "trl is not installed", ""
        else:
            installed = f"trl {trl} is installed"
            why = "; trl removed PPO after 1.12.0 (trl.experimental.ppo)" if algorithm == "ppo" else ""
        other = ", or use algorithm='grpo'" if algorithm == "ppo" else ""
        return Availability(False, f"{installed}{why}. The unsloth backend runs {algorithm} on trl 1.12: "
                                   f"{INSTALL}  (trl>=1.12,<1.13){other}")

    def create_trainer(self, config: Any) -> Any:
        """A GRPO or PPO trainer of the TRL backend whose policy Unsloth loads inside ``train()``.

        Raises :class:`BackendUnavailableError` before anything loads when this machine
        cannot run Unsloth.
        """
        status = self.availability()
        if not status.available:
            raise BackendUnavailableError(f"RL backend 'unsloth' cannot run on this machine: {status.reason}")
        options = dict(config.backend_options)
        check_options(options)
        if config.algorithm == "grpo":
            return trainer_for(config, policy_loader=lambda cfg: _load_policy(cfg, options))
        return trainer_for(config, policy_loader=lambda cfg: _load_bundle(cfg, options))


def _load_policy(config: Any, options: dict[str, Any]) -> tuple[Any, Any]:
    """``(model, tokenizer)`` from Unsloth (imported here, only once this backend runs)."""
    from aligntune_backend_unsloth.loading import load_policy

    max_seq = options.get("max_seq_length") or config.max_prompt_length + completion_length(config)
    return load_policy(
        config.model_name,
        max_seq_length=max_seq,
        load_in_4bit=options.get("load_in_4bit"),
        lora=options.get("lora"),
        seed=config.seed,
    )


def _load_bundle(config: Any, options: dict[str, Any]) -> PolicyBundle:
    policy, tokenizer = _load_policy(config, options)
    # The reference is the policy with its LoRA adapters disabled (ref_policy=None);
    # the value model is built by the TRL trainer from config.value_model_name/model_name.
    return PolicyBundle(policy=policy, tokenizer=tokenizer)
