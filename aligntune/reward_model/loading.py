"""Load reward-model tokenizers and sequence classifiers from checked local directories.

Directories are found and checked first (:mod:`aligntune.model_dirs`); these loaders
turn every failure into a :class:`~aligntune.errors.ModelLoadError` that says what is
wrong. transformers is imported inside each loader, on purpose: importing this
module stays light.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from aligntune.errors import ModelLoadError, UnknownRewardFunctionError, show
from aligntune.model_dirs import check_flags
from aligntune.rewards.composite import CompositeReward

logger = logging.getLogger(__name__)


def check_manifest(data: Any, file: str) -> dict[str, Any]:
    """Check the values of an aligntune manifest (``aligntune.json``) that loading and RL read; return it.

    ``training.max_length`` (an integer >= 1: the tokens of each text the model reads),
    ``data.uses_prompts`` (true or false), ``reward_functions.functions`` (rule names) and
    ``reward_functions.weights`` (one positive number per rule). Any other key is a record
    only. A wrong value is a :class:`ModelLoadError` naming ``file``, the key, the value and
    the fix, raised before the model loads.
    """
    fix = f"fix it in {file}, or delete the file if the directory holds a model aligntune did not train"
    if not isinstance(data, dict):
        raise ModelLoadError(f"{file} must hold a JSON object (the aligntune manifest), got "
                             f"{type(data).__name__}: {show(data, 80)}; {fix}")

    def section(key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise ModelLoadError(f"{file}: {key} must be a JSON object, got {type(value).__name__}: {show(value, 80)}; {fix}")
        return value

    def bad(key: str, expected: str, value: Any) -> ModelLoadError:
        return ModelLoadError(f"{file}: {key} must be {expected}, got {type(value).__name__}: {show(value, 80)}; {fix}")

    max_length = section("training").get("max_length")
    if max_length is not None and (isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1):
        raise bad("training.max_length", "an integer >= 1 (the tokens of each text the model reads; "
                  "0 would give every text the same score)", max_length)
    uses_prompts = section("data").get("uses_prompts")
    if uses_prompts is not None and not isinstance(uses_prompts, bool):
        raise bad("data.uses_prompts", "true or false", uses_prompts)
    rules = section("reward_functions")
    names, weights = rules.get("functions"), rules.get("weights")
    if names is not None and (not isinstance(names, list)
                              or not all(isinstance(n, str) and n.strip() for n in names)):
        raise bad("reward_functions.functions", "a list of reward function names", names)
    if weights is not None and names:
        ok = isinstance(weights, list) and len(weights) == len(names) and all(
            not isinstance(w, bool) and isinstance(w, (int, float)) and math.isfinite(w) and w > 0 for w in weights)
        if not ok:
            raise bad("reward_functions.weights", f"a list of {len(names)} positive numbers, one per function", weights)
    return data


def manifest_rules(manifest: dict[str, Any] | None, origin: str | None = None) -> Any:
    """The rules a reward model was trained from (a ``CompositeReward``), rebuilt from its manifest.

    ``None`` when the manifest names none. A rule that is not installed is an
    :class:`UnknownRewardFunctionError` that says the name came from the manifest (``origin``:
    the model directory) and how to go on.
    """
    rules = (manifest or {}).get("reward_functions") or {}
    names, weights = rules.get("functions"), rules.get("weights")
    if not names or not isinstance(names, list):
        return None
    try:
        return CompositeReward(names, weights)
    except UnknownRewardFunctionError as exc:
        where = f"{origin}/aligntune.json" if origin else "the reward model's aligntune.json"
        raise UnknownRewardFunctionError(
            f"{where} names the rules the reward model was trained from (reward_functions.functions = {show(names)}), "
            f"used as the gold RL is measured against; one is not installed: {exc}. Install the plugin that provides "
            "it, or name the gold yourself with gold_reward_functions=[...]"
        ) from exc


def load_tokenizer(path: str, *, trust_remote_code: bool = False) -> Any:
    """Load the tokenizer of a checked local directory; errors become :class:`ModelLoadError`."""
    check_flags(trust_remote_code=trust_remote_code)
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=trust_remote_code)
    except Exception as exc:
        raise ModelLoadError(f"Could not load the tokenizer from {show(path)}: {type(exc).__name__}: {exc}") from exc


def load_sequence_classifier(
    path: str,
    *,
    num_labels: int = 1,
    allow_pickle: bool = False,
    trust_remote_code: bool = False,
    fresh_head: bool = False,
    **kwargs: Any,
) -> Any:
    """Load ``AutoModelForSequenceClassification`` with ``num_labels`` outputs from a local directory.

    A base model without a classification head gets a freshly initialised one (the
    usual start of reward-model training); with ``fresh_head=True`` that is expected, and
    transformers' "newly initialized weights" report is replaced by one log line. With
    ``fresh_head=True`` a base that already has a score head (a trained reward model, a hub
    classifier), of any size, gets a new one too: its head weights are left out, only
    theirs (``ignore_mismatched_sizes`` covers nothing else), and one log line says so.
    Extra ``kwargs`` go to ``from_pretrained``.
    """
    check_flags(allow_pickle=allow_pickle, trust_remote_code=trust_remote_code)
    from transformers import AutoModelForSequenceClassification
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    if fresh_head:
        hf_logging.set_verbosity_error()
        kwargs = {**kwargs, "ignore_mismatched_sizes": True, "output_loading_info": True}
    try:
        loaded = AutoModelForSequenceClassification.from_pretrained(
            path,
            num_labels=num_labels,
            local_files_only=True,
            use_safetensors=None if allow_pickle else True,
            trust_remote_code=trust_remote_code,
            **kwargs,
        )
    except Exception as exc:
        raise ModelLoadError(
            f"Could not load {show(path)} as a sequence classifier with num_labels={num_labels}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    finally:
        hf_logging.set_verbosity(verbosity)
    if not fresh_head:
        return loaded
    model, info = loaded
    _replace_head(model, info, path, num_labels)
    return model


def head_names(model: Any) -> list[str]:
    """The model's parameters outside its backbone (``model.base_model_prefix``): the score head."""
    prefix = f"{model.base_model_prefix}."
    return [name for name, _ in model.named_parameters() if not name.startswith(prefix)]


def _replace_head(model: Any, info: dict[str, Any], path: str, num_labels: int) -> None:
    """Give ``model`` a freshly initialised score head, whatever head its checkpoint had; say which."""
    head = set(head_names(model))
    mismatched = {entry[0]: entry[1] for entry in info.get("mismatched_keys") or ()}
    outside = sorted(set(mismatched) - head)
    if outside:  # ignore_mismatched_sizes covers the score head only
        raise ModelLoadError(
            f"{show(path)} holds weights whose shapes do not match its config.json outside the score head: "
            f"{show(outside)}; the directory is inconsistent: save the model again (save_pretrained) or use another"
        )
    loaded = sorted(head - set(info.get("missing_keys") or ()))  # the checkpoint's own head, mismatched or not
    if not loaded:
        logger.info("Loaded %s with a new %d-output score head", path, num_labels)
        return
    _initialise(model, loaded)
    old = next((shape for name, shape in mismatched.items() if name.endswith("weight")), None)
    size = f"{old[0]}-output " if old is not None and len(old) else f"{num_labels}-output " if not mismatched else ""
    logger.warning(
        "%s already has a %sscore head (%s); it is replaced by a new %d-output head for training. To score with "
        "that model as it is, use it as the reward model instead (reward_model_path=, aligntune eval-reward-model)",
        path, size, ", ".join(loaded), num_labels,
    )


def _initialise(model: Any, names: list[str]) -> None:
    """Initialise the modules holding parameters ``names`` as a new head is (normal(0, initializer_range), zero bias)."""
    import torch

    std = float(getattr(model.config, "initializer_range", 0.02) or 0.02)
    modules = dict(model.named_modules())
    owners = {name.rpartition(".")[0] for name in names}
    with torch.no_grad():
        for owner in sorted(owners):
            module = modules[owner]
            if isinstance(module, torch.nn.Linear):
                module.weight.normal_(0.0, std)
                if module.bias is not None:
                    module.bias.zero_()
            elif isinstance(module, torch.nn.LayerNorm):
                module.reset_parameters()
            else:
                raise ModelLoadError(
                    f"The score head of {type(model).__name__} has a {type(module).__name__} ({owner}) that aligntune "
                    "cannot re-initialise; train from the base model without its head (AutoModel.save_pretrained)"
                )


def ensure_pad_token(tokenizer: Any, model: Any | None = None) -> str:
    """Give a tokenizer without a pad token one, without adding tokens to the vocabulary.

    Uses the end-of-sequence token (GPT-2 style), else the unknown token. Sets
    ``model.config.pad_token_id`` to match so the classifier finds the last real
    token. Returns the pad token. Raises :class:`ModelLoadError` when the tokenizer
    has none of them.
    """
    if tokenizer.pad_token is None:
        for candidate in (tokenizer.eos_token, tokenizer.unk_token):
            if candidate is not None:
                tokenizer.pad_token = candidate
                logger.info("Tokenizer has no pad token; using %r for padding", candidate)
                break
        else:
            raise ModelLoadError(
                f"Tokenizer {type(tokenizer).__name__} has no pad, end-of-sequence or unknown token to pad with; "
                "add one with tokenizer.add_special_tokens({'pad_token': '[PAD]'}) and save it with the model"
            )
    if model is not None:
        model.config.pad_token_id = tokenizer.pad_token_id
    return tokenizer.pad_token
