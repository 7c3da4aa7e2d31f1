"""Pre-flight checks of an RL run: what the configs and files can tell before anything loads (the prompt count,
the policy's positions and special tokens, its chat template, a gold for ``keep_best='gold'``).

Each reads ``config.json``, the tokenizer files and manifests only; a hub policy (not a
local directory) is checked once it loads. ``config.json`` is read as JSON, not through
transformers: ``PretrainedConfig.get_config_dict`` imports torch (2.6 s, measured with
transformers 5.17) and ``AutoConfig`` more (6.4 s), where reading the file takes 0.07 s.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from aligntune import distributed, model_dirs
from aligntune.chat_templates import directory_template, read_json_object
from aligntune.errors import ConfigurationError, DataError, ModelLoadError, show
from aligntune.reward_model.loading import manifest_rules
from aligntune.reward_model.scoring import read_manifest
from aligntune.rl.algorithms import GROUP_ALGORITHMS, completion_length
from aligntune.rl.prompts import PromptData, render_sample
from aligntune.serve.source import served_gold


def check_prompt_count(config: Any, n_prompts: int, *, origin: str) -> None:
    """Every process must get at least one full batch (``batch_size * gradient_accumulation_steps`` prompts) of
    the prompts left for training once the held-out ones are split off (``eval_prompts`` of them, when
    ``eval_steps`` is given without ``eval_dataset_name``)."""
    world = distributed.launched_world_size()
    batch_size, gradient_accumulation_steps = config.batch_size, config.gradient_accumulation_steps
    held_out = config.eval_prompts if config.eval_steps and config.eval_dataset_name is None else 0
    per_batch = batch_size * gradient_accumulation_steps
    if held_out >= n_prompts:
        raise ConfigurationError(
            f"eval_prompts={held_out} holds out every prompt: the prompts dataset {origin} has only {n_prompts}, "
            "so none would be left to train on. Lower eval_prompts (at most "
            f"{max(0, n_prompts - per_batch * world)}), or pass eval_dataset_name= to evaluate on other prompts"
        )
    left = n_prompts - held_out
    if left // world < per_batch:
        where = f" on each of {world} processes" if world > 1 else ""
        have = (f"has {n_prompts} prompts, and eval_prompts={held_out} of them are held out for evaluation, leaving "
                f"{left}" if held_out else f"has {n_prompts} prompts")
        fix = f"Lower batch_size (at most {max(1, left // world // gradient_accumulation_steps)})"
        if held_out:
            fix += (f", lower eval_prompts (at most {max(0, n_prompts - per_batch * world)}) or pass "
                    "eval_dataset_name= to evaluate on other prompts")
        raise ConfigurationError(
            f"The prompts dataset {origin} {have}, fewer than one batch of "
            f"batch_size * gradient_accumulation_steps = {batch_size} * {gradient_accumulation_steps} = {per_batch}"
            f"{where}; TRL drops incomplete batches, so training could never take a step. {fix}, or add prompts"
        )


def _local_dir(name: Any) -> Path | None:
    if not isinstance(name, str) or not name:  # None, or a loaded model object (model_name=)
        return None
    path = Path(os.path.expanduser(name))
    return path if path.is_dir() else None


def special_tokens(model_dir: Path) -> dict[str, str | None]:
    """The ``eos``/``pad`` tokens a saved tokenizer declares (``None`` where it declares none)."""
    found: dict[str, str | None] = {"eos": None, "pad": None}
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        data = read_json_object(model_dir / name)
        for key in found:
            value = data.get(f"{key}_token")
            if isinstance(value, dict):  # an AddedToken written as a dict
                value = value.get("content")
            found[key] = found[key] or (value if isinstance(value, str) and value else None)
    return found


def check_policy(config: Any) -> None:
    """A local policy (and value model) must hold prompt + completion, and have the tokens the trainer needs."""
    length = completion_length(config)
    length_field = "response_length"  # the setting that bounds a completion's tokens, in the caller's spelling
    if config.algorithm in GROUP_ALGORITHMS:
        length_field = "max_completion_length" + ("" if config.max_completion_length is not None else
                                                  " (default: response_length)")
    needed = config.max_prompt_length + length
    for field_name in ("model_name", "value_model_name"):
        directory = _local_dir(getattr(config, field_name))
        if directory is None:
            continue
        limit = model_dirs.position_limit(read_json_object(directory / "config.json"))
        if limit is not None and needed > limit:
            raise ConfigurationError(
                f"{field_name}={show(getattr(config, field_name))} has {limit} positions, fewer than "
                f"max_prompt_length + {length_field} = {config.max_prompt_length} + {length} = "
                f"{needed}; lower them so that they fit, or use a model with a longer context"
            )
    policy = _local_dir(config.model_name)
    if policy is None:
        return
    tokens = special_tokens(policy)
    if tokens["eos"] is None and read_json_object(policy / "config.json").get("eos_token_id") is None:
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


def check_chat_template(config: Any, data: PromptData, *, field: str = "dataset_name") -> None:
    """Chat prompts need the policy's chat template: render it once, on the first prompt, before anything loads."""
    if not data.is_chat or config.chat_template is not None:  # chat_template= is rendered by scale_settings
        return
    directory = _local_dir(config.model_name)
    if directory is None:
        return  # a hub policy: its template is rendered once it loads
    template, variables = directory_template(directory)
    origin = f"model_name={show(config.model_name)}"
    if template is None:
        raise DataError(
            f"Column {data.column!r} of {data.origin} ({field}) holds chat messages, but the policy {origin} has no "
            "chat template to render them. Use a policy whose tokenizer has a chat template, or pass prompt_column= "
            "naming a plain-text column"
        )
    render_sample(data, template, variables=variables, origin=origin)


def check_gold(config: Any) -> None:
    """The rules a local reward model's manifest names (the gold, unless ``gold_reward_functions`` is given) must be
    installed, whatever ``keep_best``; ``keep_best='gold'`` keeps the policy with the best held-out gold, so the run
    must have a gold to keep by. Both are said before anything loads."""
    src = config.reward_source
    if config.gold_reward_functions is not None or src is None or src.training_config is not None:
        return  # the gold is named, is the reward's own rules, or is in the manifest of the model trained for the run
    local = _local_dir(src.model_path or src.model_name)  # a hub model's manifest is read once it has loaded
    rules = manifest_rules(read_manifest(local), origin=str(local)) if local is not None else None
    if config.keep_best != "gold" or config.reward_functions is not None or rules is not None:
        return
    missing = _why_no_gold(src, read=local is not None)
    if missing is None:
        return
    raise ConfigurationError(
        f"keep_best='gold' keeps the policy with the best held-out gold, but this run has no gold: the reward model "
        f"({src.source_type}: {show(src.model_name or src.model_path or src.url)}) {missing}, and no gold_reward_functions were "
        "given. Pass gold_reward_functions=[...] (the rules to judge the policy by), or keep_best='last'"
    )


def _why_no_gold(src: Any, *, read: bool) -> str | None:
    """Why a reward model with no manifest rules read so far (``read``: its local directory's) has no gold before
    anything loads; ``None`` when it has one after all (a remote reward's, or a cached hub model's manifest)."""
    no_rules = "has no aligntune manifest naming the rules it stands for"
    if src.source_type == "remote":  # the server says whether its reward has a gold
        return None if served_gold(src) else "serves a reward with no gold (serve-reward --gold-reward-functions)"
    if read:
        return no_rules
    if src.model_path is None and src.model_name is not None:
        try:
            path = model_dirs.resolve_model_path(src.model_name, local_files_only=True)
        except ModelLoadError:  # not in the cache: nothing to read before it downloads
            return "is not in the local cache, so no aligntune manifest naming its rules can be read before it loads"
        if Path(path).is_dir():
            return None if manifest_rules(read_manifest(path), origin=str(path)) is not None else no_rules
    return "has no local directory holding an aligntune manifest that names its rules"
