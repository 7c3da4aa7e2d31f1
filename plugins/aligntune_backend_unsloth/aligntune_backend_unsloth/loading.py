"""Loading the policy through Unsloth (only called once the backend can run)."""

from __future__ import annotations

import logging
import os
from typing import Any

logger = logging.getLogger(__name__)

#: LoRA settings used unless the config's ``backend_options`` override them.
DEFAULT_LORA: dict[str, Any] = {
    "r": 16,
    "lora_alpha": 16,
    "lora_dropout": 0.0,
    "bias": "none",
    "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
}


def wants_4bit(model_name: str) -> bool:
    """bitsandbytes checkpoints (``...-bnb-4bit``) are loaded in 4-bit."""
    lowered = model_name.lower()
    return "bnb-4bit" in lowered or lowered.endswith("-4bit")


def import_unsloth() -> Any:
    """Import unsloth with its CPU fallback disabled (it must never run PPO on the CPU)."""
    os.environ["UNSLOTH_DISABLE_CPU_FALLBACK"] = "1"
    import unsloth

    return unsloth


def load_policy(
    model_name: str,
    *,
    max_seq_length: int,
    load_in_4bit: bool | None = None,
    lora: dict[str, Any] | None = None,
    seed: int = 0,
) -> tuple[Any, Any]:
    """Load ``model_name`` with ``FastLanguageModel`` and add LoRA adapters.

    Returns ``(model, tokenizer)``; the tokenizer gets a pad token when it has none.
    """
    unsloth = import_unsloth()
    four_bit = wants_4bit(model_name) if load_in_4bit is None else load_in_4bit
    logger.info("Loading %s with Unsloth (4-bit=%s)", model_name, four_bit)
    model, tokenizer = unsloth.FastLanguageModel.from_pretrained(
        model_name=model_name,
        max_seq_length=max_seq_length,
        load_in_4bit=four_bit,
        dtype=None,
    )
    settings = {**DEFAULT_LORA, **(lora or {})}
    model = unsloth.FastLanguageModel.get_peft_model(model, random_state=seed, **settings)
    unsloth.FastLanguageModel.for_training(model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer
