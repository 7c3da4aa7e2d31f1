"""Find and check Hugging Face model directories without loading them.

Used wherever a model is named: reward-model bases, trained reward models, policies,
value models.

``name_or_path`` is either a local directory or a Hugging Face Hub name
(``org/name``). Local directories are used as they are. Hub names are looked up in
the local Hugging Face cache when offline (``HF_HUB_OFFLINE=1`` or
``local_files_only=True``): nothing is downloaded then, and a name missing from the
cache is an error that says how to pass a local directory instead. Online, hub names
are fetched with ``huggingface_hub.snapshot_download`` like ``from_pretrained`` does.

Safety rules, all explicit:

* weights must be safetensors; a directory holding only pickle weights
  (``pytorch_model.bin``) is refused unless ``allow_pickle=True``;
* ``trust_remote_code`` is never turned on implicitly: a model that needs custom
  code is refused with the flag to pass.

:func:`inspect_model_dir` is cheap (it reads ``config.json`` and lists files) and runs
before any model or tokenizer loads, so bad input fails fast; :func:`check_reference`
applies it to a user's argument (a local directory, or a hub name that must be
reachable) and names the argument in the error.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aligntune.errors import ConfigurationError, ModelLoadError, show
from aligntune.textio import refuse_link_loop

logger = logging.getLogger(__name__)

#: Files that make a directory's tokenizer loadable (any one is enough).
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "vocab.json", "tokenizer.model", "spiece.model")
SAFETENSORS_FILES = ("model.safetensors", "model.safetensors.index.json")
PICKLE_FILES = ("pytorch_model.bin", "pytorch_model.bin.index.json")
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class ModelDirInfo:
    """What :func:`inspect_model_dir` found in a model directory."""

    path: str
    config: dict[str, Any]
    has_safetensors: bool
    has_pickle: bool
    has_tokenizer: bool
    files: list[str] = field(default_factory=list)

    @property
    def model_type(self) -> str | None:
        return self.config.get("model_type")

    @property
    def num_labels(self) -> int | None:
        """``num_labels`` from the config (derived from ``id2label`` when absent)."""
        if "num_labels" in self.config:
            return int(self.config["num_labels"])
        id2label = self.config.get("id2label")
        return len(id2label) if isinstance(id2label, dict) else None

    @property
    def architectures(self) -> list[str]:
        value = self.config.get("architectures")
        return [a for a in value if isinstance(a, str)] if isinstance(value, list) else []

    @property
    def needs_remote_code(self) -> bool:
        return bool(self.config.get("auto_map"))


def check_reward_model(info: ModelDirInfo, *, name: str) -> None:
    """A reward model is a sequence classifier with exactly one output; refuse anything else before it loads.

    ``config.json`` must say ``num_labels=1`` (or hold a one-entry ``id2label``). A config
    that says nothing gets transformers' default of two labels, and a causal LM or a
    bare encoder has no score head at all: loading either as a reward model would
    initialise a head at random, so that rewards would differ on every load.
    """
    if info.num_labels == 1:
        return  # (``architectures`` may be stale: a head saved over a base config keeps the base's name)
    if info.num_labels is None:
        heads = [a for a in info.architectures if a.endswith("ForSequenceClassification")]
        kind = f"a {info.architectures[0]}" if info.architectures and not heads else "a model"
        raise ModelLoadError(
            f"{name} is {kind} (model_type {info.model_type!r}) whose config.json sets neither num_labels nor "
            "id2label, so it is not a reward model: a reward model is a sequence classifier with one output "
            "(num_labels=1), and loading this one would give it a randomly initialised score head. Pass a "
            "trained reward model, or train one from this base with RewardModelTrainer / aligntune train-reward-model"
        )
    raise ModelLoadError(
        f"{name} is a classifier with num_labels={info.num_labels}, not a reward model (num_labels=1). "
        "Pass a reward-model checkpoint"
    )


def check_flags(**flags: Any) -> None:
    """Safety flags must be real booleans: ``trust_remote_code="false"`` is truthy and would run code."""
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise ConfigurationError(f"{name} must be True or False, got {type(value).__name__}: {show(value)}")


def is_offline() -> bool:
    """Whether the Hugging Face Hub must not be contacted (``HF_HUB_OFFLINE``)."""
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE:
        return True
    try:
        from huggingface_hub import constants
    except ImportError:  # pragma: no cover - huggingface_hub ships with transformers
        return False
    return bool(constants.HF_HUB_OFFLINE)


def can_only_be_path(name: str) -> bool:
    """Whether ``name``'s spelling rules out a hub name (``org/model``): it can only be a filesystem path.

    Decided by the string alone (nothing is looked up); compare :func:`means_local_dir`.
    """
    if name.startswith((".", "/", "~", "\\")) or os.path.isabs(name):
        return True
    if name.count("/") > 1 or "\\" in name:
        return True
    return False


def resolve_model_path(name_or_path: str | os.PathLike[str], *, local_files_only: bool | None = None,
                       instead: str = "base_model_name='/path/to/model'") -> str:
    """Turn a hub name or a local directory into a local directory path.

    ``local_files_only=None`` follows ``HF_HUB_OFFLINE``. Offline, a hub name must
    already be in the Hugging Face cache; otherwise :class:`ModelLoadError` says how
    to pass a local directory instead (``instead``: the caller's setting for one, with an
    example path). Raises :class:`ModelLoadError` for a local path that does not exist or
    is not a directory.
    """
    if name_or_path is None or not str(name_or_path).strip():
        raise ModelLoadError(f"A model name or directory is required, got {show(name_or_path)}")
    name = os.fspath(name_or_path)
    path = Path(name).expanduser()
    refuse_link_loop(path, what="Model directory", error=ModelLoadError)
    if path.is_dir():
        return str(path.resolve())
    if path.exists():
        raise ModelLoadError(
            f"Model path {show(name)} is a file, not a directory; pass the directory that holds config.json"
        )
    if can_only_be_path(name):
        raise ModelLoadError(
            f"Model directory {show(name)} does not exist (resolved to {show(str(path.resolve()))}); "
            "check the path, or pass a Hugging Face Hub name such as 'org/model'"
        )
    return _from_hub(name, offline=is_offline() if local_files_only is None else local_files_only, instead=instead)


def _from_hub(name: str, *, offline: bool, instead: str) -> str:
    from huggingface_hub import snapshot_download

    how = (
        f"pass a local directory instead, e.g. {instead} (download it once with "
        f"`hf download {name} --local-dir ./models/{name.split('/')[-1]}` on a machine with network access)"
    )
    if offline:
        try:
            return str(snapshot_download(name, local_files_only=True))
        except Exception as exc:  # the hub raises several types for "not cached" and bad ids
            raise ModelLoadError(
                f"{show(name)} is not a local directory, and it is not in the Hugging Face cache while offline "
                f"(HF_HUB_OFFLINE=1 or local_files_only=True; aligntune does not download then). To fix: {how}. "
                f"({type(exc).__name__})"
            ) from exc
    try:
        return str(
            snapshot_download(
                name,
                allow_patterns=["*.json", "*.safetensors", "*.txt", "*.model", "*.jinja", "*.py"],
            )
        )
    except Exception as exc:
        raise ModelLoadError(
            f"Could not fetch {show(name)} from the Hugging Face Hub: {type(exc).__name__}: {exc}. "
            f"Check the name, or {how}"
        ) from exc


def inspect_model_dir(
    path: str | os.PathLike[str],
    *,
    need_tokenizer: bool = True,
    need_weights: bool = True,
    allow_pickle: bool = False,
    trust_remote_code: bool = False,
) -> ModelDirInfo:
    """Check a local model directory without loading it.

    Verifies that ``config.json`` exists and parses, that there are safetensors
    weights (or pickle weights with ``allow_pickle=True``), that tokenizer files are
    present (when ``need_tokenizer``) and that the model does not need custom code
    unless ``trust_remote_code``. Returns what it found; raises
    :class:`ModelLoadError` naming the problem and the fix.
    """
    check_flags(allow_pickle=allow_pickle, trust_remote_code=trust_remote_code)
    root = Path(path)
    refuse_link_loop(root, what="Model directory", error=ModelLoadError)
    if not root.is_dir():
        raise ModelLoadError(f"Model directory {show(str(path))} does not exist or is not a directory")
    files = sorted(p.name for p in root.iterdir())
    config_file = root / "config.json"
    if not config_file.is_file():
        raise ModelLoadError(
            f"{show(str(path))} has no config.json, so it is not a Hugging Face model directory "
            f"(found: {', '.join(files[:12]) or 'nothing'}); pass the directory written by save_pretrained"
        )
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelLoadError(
            f"{show(str(config_file))} is corrupted: it is not valid JSON ({exc}); re-save or re-download the model"
        ) from exc
    if not isinstance(config, dict) or "model_type" not in config:
        raise ModelLoadError(
            f"{show(str(config_file))} is not a transformers config (no 'model_type' key); "
            "re-save the model with save_pretrained"
        )
    has_safetensors = any(f in files for f in SAFETENSORS_FILES) or any(f.endswith(".safetensors") for f in files)
    has_pickle = any(f in files for f in PICKLE_FILES)
    if need_weights and not has_safetensors:
        if has_pickle and not allow_pickle:
            raise ModelLoadError(
                f"{show(str(path))} has only pickle weights (pytorch_model.bin), which can run arbitrary code when "
                "loaded. Convert them to safetensors, or pass allow_pickle=True if you trust the source"
            )
        if not has_pickle:
            raise ModelLoadError(
                f"{show(str(path))} has no model weights (expected model.safetensors; found: {', '.join(files[:12])})"
            )
    has_tokenizer = any(f in files for f in TOKENIZER_FILES)
    if need_tokenizer and not has_tokenizer:
        raise ModelLoadError(
            f"{show(str(path))} has no tokenizer files (expected one of {', '.join(TOKENIZER_FILES)}). "
            "Save the tokenizer into the same directory with tokenizer.save_pretrained(dir)"
        )
    info = ModelDirInfo(
        path=str(root.resolve()),
        config=config,
        has_safetensors=has_safetensors,
        has_pickle=has_pickle,
        has_tokenizer=has_tokenizer,
        files=files,
    )
    if info.needs_remote_code and not trust_remote_code:
        raise ModelLoadError(
            f"{show(str(path))} needs custom model code (config.json has 'auto_map'). aligntune never runs remote "
            "code implicitly; pass trust_remote_code=True if you trust this model"
        )
    return info


#: Model types whose position ids start after the padding index (so two positions are reserved).
_OFFSET_POSITIONS = {"roberta", "xlm-roberta", "camembert", "longformer", "bart", "mbart"}


def position_limit(config: Any) -> int | None:
    """The longest input, in tokens, a model's position embeddings allow (``None`` when unbounded).

    ``config`` is a ``config.json`` dict or a transformers config. Reads
    ``max_position_embeddings`` (BERT family) or ``n_positions`` (GPT-2 family).
    """
    get = config.get if isinstance(config, dict) else lambda key: getattr(config, key, None)
    for key in ("max_position_embeddings", "n_positions"):
        value = get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value - 2 if get("model_type") in _OFFSET_POSITIONS and value > 2 else value
    return None


def cap_max_length(max_length: int, config: Any) -> int:
    """``max_length`` capped at the model's :func:`position_limit`; a cap is logged as a warning.

    Longer inputs would index past the position embeddings and crash mid-training.
    """
    limit = position_limit(config)
    if limit is not None and max_length > limit:
        logger.warning(
            "max_length=%d is longer than the model's %d positions; inputs are truncated to %d tokens instead",
            max_length, limit, limit,
        )
        return limit
    return max_length




def check_hub_reachable(name: str, *, field: str, instead: str | None = None) -> None:
    """Offline with no cached copy: fail now, before anything else loads (online: nothing to check).

    ``instead`` is the setting the message suggests for a local directory (default: ``field`` itself).
    """
    if not is_offline():
        return
    try:
        resolve_model_path(name, local_files_only=True, instead=instead or f"{field}='/path/to/model'")
    except ModelLoadError as exc:
        raise ConfigurationError(f"{field}={show(name)}: {exc}") from exc


def means_local_dir(name: str) -> bool:
    """Whether a model argument is to be read as a local directory: an absolute, ``.`` or ``~`` path,
    or a path that exists (so ``org/model`` is a directory only where one is there).

    Unlike :func:`can_only_be_path`, this looks at the filesystem.
    """
    return os.path.isabs(name) or name.startswith((".", "~")) or os.path.exists(os.path.expanduser(name))


def check_reference(name: str | os.PathLike[str], *, field: str, missing: str = "pass a model directory",
                    local: bool | None = None, **checks: Any) -> Path | None:
    """Check a model argument before anything loads; errors name ``field``.

    A local directory must hold a valid config, safetensors weights and a tokenizer
    (``checks`` go to :func:`inspect_model_dir`); a hub name must be reachable (offline:
    cached). ``missing`` is the fix given when a local path does not exist; ``local``
    forces the local-directory reading (``None``: decided by :func:`means_local_dir`).
    Returns the directory for a local model, ``None`` for a hub name.
    """
    name = os.fspath(name)
    refuse_link_loop(name, what=field, error=ConfigurationError)
    if not (means_local_dir(name) if local is None else local):
        check_hub_reachable(name, field=field)
        return None
    path = Path(name).expanduser()
    if not path.is_dir():
        raise ConfigurationError(f"{field}={show(name)} does not exist or is not a directory; {missing}")
    try:
        inspect_model_dir(path, **checks)
    except ModelLoadError as exc:
        raise ConfigurationError(f"{field}={show(name)} is not a usable model directory: {exc}") from exc
    return path
