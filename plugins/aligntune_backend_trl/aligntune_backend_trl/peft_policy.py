"""A PEFT (LoRA) policy: what the best-by-gold snapshot keeps, and what ``save_model`` writes.

* :func:`snapshot`: the trainable weights only (the adapter of a PEFT policy, every weight
  of a fully trained one), copied to the CPU. A LoRA snapshot of a 7B policy is megabytes,
  not the 14 GB of its full state.
* :func:`to_save`: what ``save_pretrained`` is called on: the policy as it is (a PEFT policy
  saves its adapter, ``adapter_config.json`` naming the base), or with ``merge=True`` a
  plain ``PreTrainedModel`` with the adapter merged into a copy of the base weights,
  loadable with ``AutoModelForCausalLM`` alone. The training policy is left as it was.
"""

from __future__ import annotations

import contextlib
import copy
import logging
from collections.abc import Iterator
from typing import Any

from aligntune.plugin_api import ConfigurationError

logger = logging.getLogger("aligntune_backend_trl")


def is_peft(model: Any) -> bool:
    """Whether ``model`` is a ``peft.PeftModel`` (``False`` when peft is not installed)."""
    try:
        from peft import PeftModel
    except ImportError:
        return False
    return isinstance(model, PeftModel)


def snapshot(policy: Any) -> dict[str, Any]:
    """The trainable weights of ``policy``, detached CPU copies, by their ``state_dict`` names."""
    return {name: p.detach().to("cpu", copy=True) for name, p in policy.named_parameters() if p.requires_grad}


def load_snapshot(policy: Any, state: dict[str, Any]) -> None:
    """Load a :func:`snapshot` (or a whole state dict) back into ``policy``; every name must be one of its own."""
    result = policy.load_state_dict(state, strict=False)
    if result.unexpected_keys:
        raise ConfigurationError(f"The kept policy's weights do not fit this policy: {result.unexpected_keys[:3]}")


@contextlib.contextmanager
def swapped(policy: Any, state: dict[str, Any] | None) -> Iterator[None]:
    """``policy`` with the kept weights ``state`` loaded for the duration (the trained ones come back after)."""
    if state is None:
        yield
        return
    current = snapshot(policy) if all(k in dict(policy.named_parameters()) for k in state) else {
        k: v.detach().clone() for k, v in policy.state_dict().items()}
    load_snapshot(policy, state)
    try:
        yield
    finally:
        load_snapshot(policy, current)


def to_save(policy: Any, *, merge: bool) -> Any:
    """The model to call ``save_pretrained`` on (see the module docstring)."""
    if not merge:
        return policy
    if not is_peft(policy):
        raise ConfigurationError(
            "save_model(merge=True) merges a PEFT adapter into its base, but this run trained the whole policy "
            "(no peft_config); call save_model() without merge"
        )
    logger.info("Merging the adapter into a copy of the base weights")
    return copy.deepcopy(policy).merge_and_unload()
