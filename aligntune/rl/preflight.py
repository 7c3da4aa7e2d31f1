"""Pre-flight checks of an RL run: what the configs and files can tell before anything loads.

* enough prompts for one batch on every process (TRL's PPO repeats a ``drop_last``
  dataloader forever: with fewer prompts than one batch it is empty, and the run hangs);
* prompt and response lengths within the policy's position limit;
* the special tokens the trainer needs (an end-of-sequence token to stop at and to pad with).

Each reads ``config.json`` and the tokenizer files only; a hub policy (not a local
directory) is checked once it loads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from aligntune import distributed, model_dirs
from aligntune.errors import ConfigurationError, show


def check_prompt_count(n_prompts: int, *, batch_size: int, gradient_accumulation_steps: int, origin: str) -> None:
    """Every process must get at least one full batch (``batch_size * gradient_accumulation_steps`` prompts)."""
    world = distributed.launched_world_size()
    per_batch = batch_size * gradient_accumulation_steps
    if n_prompts // world < per_batch:
        where = f" on each of {world} processes" if world > 1 else ""
        raise ConfigurationError(
            f"The prompts dataset {origin} has {n_prompts} prompts, fewer than one batch of "
            f"batch_size * gradient_accumulation_steps = {batch_size} * {gradient_accumulation_steps} = {per_batch}"
            f"{where}; TRL drops incomplete batches, so training could never take a step. Lower batch_size "
            f"(at most {max(1, n_prompts // world // gradient_accumulation_steps)}) or add prompts"
        )


def _local_dir(name: str | None) -> Path | None:
    if not name:
        return None
    path = Path(os.path.expanduser(name))
    return path if path.is_dir() else None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _token(value: Any) -> str | None:
    if isinstance(value, dict):  # an AddedToken written as a dict
        value = value.get("content")
    return value if isinstance(value, str) and value else None


def special_tokens(model_dir: Path) -> dict[str, str | None]:
    """The ``eos``/``pad`` tokens a saved tokenizer declares (``None`` where it declares none)."""
    found: dict[str, str | None] = {"eos": None, "pad": None}
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        data = _read_json(model_dir / name)
        for key in found:
            found[key] = found[key] or _token(data.get(f"{key}_token"))
    return found


def check_policy(config: Any) -> None:
    """A local policy (and value model) must hold prompt + response, and have the tokens PPO needs."""
    needed = config.max_prompt_length + config.response_length
    for field_name in ("model_name", "value_model_name"):
        directory = _local_dir(getattr(config, field_name))
        if directory is None:
            continue
        limit = model_dirs.position_limit(_read_json(directory / "config.json"))
        if limit is not None and needed > limit:
            raise ConfigurationError(
                f"{field_name}={show(getattr(config, field_name))} has {limit} positions, fewer than "
                f"max_prompt_length + response_length = {config.max_prompt_length} + {config.response_length} = "
                f"{needed}; lower them so that they fit, or use a model with a longer context"
            )
    policy = _local_dir(config.model_name)
    if policy is None:
        return
    tokens = special_tokens(policy)
    if tokens["eos"] is None and _read_json(policy / "config.json").get("eos_token_id") is None:
        if config.stop_at_eos:
            raise ConfigurationError(
                f"model_name={show(config.model_name)}: the policy's tokenizer declares no end-of-sequence token, so "
                "responses cannot stop at one (stop_at_eos=True). Add one to the tokenizer "
                "(tokenizer.add_special_tokens({'eos_token': ...}) and save it), or pass stop_at_eos=False"
            )
        if tokens["pad"] is None:
            raise ConfigurationError(
                f"model_name={show(config.model_name)}: the policy's tokenizer has neither a pad nor an "
                "end-of-sequence token, and PPO pads its batches; add one with "
                "tokenizer.add_special_tokens({'pad_token': '<pad>'}) and save it with the model"
            )
