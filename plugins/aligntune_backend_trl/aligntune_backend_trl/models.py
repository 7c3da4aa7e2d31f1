"""Loading the policy, its reference copy and the value model with transformers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from aligntune.plugin_api import ModelLoadError, is_loaded_model, show, value_model_base
from aligntune_backend_trl.peft_policy import is_peft

logger = logging.getLogger(__name__)


@dataclass
class PolicyBundle:
    """The models PPO trains with.

    ``ref_policy`` may be ``None`` only for a PEFT policy (the reference is then the
    policy with its adapters disabled). ``value_model`` is a sequence classifier with
    one output whose backbone TRL reads through ``base_model_prefix``.
    """

    policy: Any
    tokenizer: Any
    ref_policy: Any = None
    value_model: Any = None


def prepare_tokenizer(tokenizer: Any) -> Any:
    """Left padding and a pad token, as TRL's PPO needs."""
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        if tokenizer.eos_token is None:
            raise ModelLoadError(
                f"The policy tokenizer {type(tokenizer).__name__} has neither a pad nor an end-of-sequence token; "
                "add one with tokenizer.add_special_tokens({'pad_token': '<pad>'}) and resize the embeddings"
            )
        tokenizer.pad_token = tokenizer.eos_token
        logger.warning("The policy tokenizer has no pad token; padding with its EOS token %r", tokenizer.eos_token)
    return tokenizer


def _dtype(config: Any) -> Any:
    import torch

    return torch.bfloat16 if config.bf16 else torch.float32


def _from_pretrained(auto_class: Any, name: str, what: str, **kwargs: Any) -> Any:
    """``auto_class.from_pretrained(name, **kwargs)`` (a transformers auto class); failing, a
    :class:`ModelLoadError` on ``what``."""
    try:
        return auto_class.from_pretrained(name, **kwargs)
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"Could not load {what}: {exc}") from exc


def load_value_model(name: str, config: Any, pad_token_id: int | None) -> Any:
    """A one-output sequence classifier; from a causal-LM checkpoint its head starts fresh."""
    from transformers import AutoModelForSequenceClassification
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # "newly initialized score weights" is expected here
    try:
        model = _from_pretrained(AutoModelForSequenceClassification, name, f"the value model from {show(name)}",
                                 num_labels=1, dtype=_dtype(config))
    finally:
        hf_logging.set_verbosity(verbosity)
    if pad_token_id is not None:
        model.config.pad_token_id = pad_token_id
    return model


def load_policy_and_tokenizer(config: Any) -> tuple[Any, Any]:
    """``(policy, tokenizer)`` of ``config.model_name``, the tokenizer ready for TRL (:func:`prepare_tokenizer`).

    A loaded model in ``model_name`` is used as is, with ``config.tokenizer``.
    """
    name = config.model_name
    if is_loaded_model(name):
        return name, prepare_tokenizer(config.tokenizer)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    logger.info("Loading policy %s", name)
    tokenizer = prepare_tokenizer(config.tokenizer if config.tokenizer is not None else
                                  _from_pretrained(AutoTokenizer, name, f"the policy tokenizer from {show(name)}"))
    return _from_pretrained(AutoModelForCausalLM, name, f"the policy {show(name)} as a causal LM",
                            dtype=_dtype(config)), tokenizer


def load_policy_bundle(config: Any) -> PolicyBundle:
    """The policy and its tokenizer (:func:`load_policy_and_tokenizer`); :func:`complete_bundle` adds the rest."""
    return PolicyBundle(*load_policy_and_tokenizer(config))


def complete_bundle(bundle: PolicyBundle, config: Any) -> PolicyBundle:
    """Fill in what a bundle lacks: the reference (a frozen copy of the policy; none under LoRA, where TRL takes the
    policy with its adapter off) and the value model (from ``value_model_name``, else the policy's)."""
    prepare_tokenizer(bundle.tokenizer)
    if bundle.ref_policy is None and not is_peft(bundle.policy) and config.peft_config is None:
        import copy

        bundle.ref_policy = copy.deepcopy(bundle.policy).eval()
    if bundle.value_model is None:
        bundle.value_model = load_value_model(value_model_base(config), config, bundle.tokenizer.pad_token_id)
    return bundle
