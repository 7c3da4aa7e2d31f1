"""The PPO engine interface: the seam other backends (Unsloth) build on.

>>> trainer = build_ppo_trainer(config)                        # doctest: +SKIP
>>> trainer = build_ppo_trainer(config, policy=model, tokenizer=tok)   # doctest: +SKIP
>>> result = trainer.train(); path = trainer.save_model()      # doctest: +SKIP

A backend that loads the policy its own way either passes the loaded models
(``policy=``, ``tokenizer=``, optionally ``ref_policy=``/``value_model=``), or passes
``policy_loader=`` (called inside ``train()``, after a custom reward model has been
trained, so GPU memory is not held during reward training). Missing pieces are filled
in: the reference is a frozen copy of the policy (``None`` is kept for a PEFT policy,
whose adapters are disabled for reference log-probs), and the value model is
``AutoModelForSequenceClassification(num_labels=1)`` from ``config.value_model_name``
or ``config.model_name``.
"""

from __future__ import annotations

from typing import Any

from aligntune.errors import ConfigurationError
from aligntune_backend_trl.models import PolicyBundle, load_policy_bundle, prepare_tokenizer
from aligntune_backend_trl.trainer import AlignTunePPOTrainer, PolicyLoader, PPOResult

__all__ = ["AlignTunePPOTrainer", "PPOResult", "PolicyBundle", "build_ppo_trainer", "load_policy_bundle", "prepare_tokenizer"]


def build_ppo_trainer(
    config: Any,
    *,
    policy: Any = None,
    tokenizer: Any = None,
    ref_policy: Any = None,
    value_model: Any = None,
    policy_loader: PolicyLoader | None = None,
) -> AlignTunePPOTrainer:
    """A PPO trainer for a validated :class:`~aligntune.rl.config.PPOTrainingConfig`.

    Args:
        config: the validated config (reward source, prompts, PPO settings, output_dir).
        policy: a loaded causal LM (a ``PreTrainedModel`` or a PEFT model) to train.
        tokenizer: its tokenizer (required with ``policy``); set to left padding, and
            given the EOS token as pad token when it has none.
        ref_policy: the frozen reference (default: a copy of ``policy``; ``None`` for PEFT).
        value_model: a one-output sequence classifier (default: from the config).
        policy_loader: ``loader(config) -> PolicyBundle``, called inside ``train()``;
            not combinable with ``policy``.

    Returns an :class:`AlignTunePPOTrainer` with ``train() -> PPOResult`` and
    ``save_model(output_dir=None) -> str``. Nothing loads until ``train()``.
    """
    if policy is not None and policy_loader is not None:
        raise ConfigurationError("Pass either policy= (already loaded) or policy_loader=, not both")
    if (policy is None) != (tokenizer is None):
        raise ConfigurationError("policy= and tokenizer= go together: pass both, or neither")
    bundle = None
    if policy is not None:
        bundle = PolicyBundle(policy=policy, tokenizer=tokenizer, ref_policy=ref_policy, value_model=value_model)
    elif ref_policy is not None or value_model is not None:
        raise ConfigurationError("ref_policy= and value_model= need policy= and tokenizer= as well")
    return AlignTunePPOTrainer(config, bundle=bundle, policy_loader=policy_loader)
