"""Reward-model sources: the contract and the built-in sources of the core.

A source turns a :class:`aligntune.core.rl.config.RewardModelSourceConfig` into a
loaded reward model. Plugins add sources through ``register_reward_model_sources``.
This module is registered as a built-in plugin; it must stay free of heavy imports
(torch and transformers are imported inside ``load`` only).

Built-in sources

``custom_trained``
    Trains a reward model from ``training_config`` with
    :class:`aligntune.rewards.training.RewardModelTrainer`, then loads the result.
``pretrained_hf``
    ``from_pretrained(model_name)``: a hub name (served from the local cache when
    offline) or a local directory.
``pretrained_local``
    ``model_path`` must be a directory holding a config, weights and a tokenizer.

``load`` returns a text reward model: an object with ``.model``, ``.tokenizer`` and
``.score(texts, prompts=None, batch_size=32) -> list[float]``
(:class:`aligntune.reward_model.scoring.TextRewardModel`).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol, runtime_checkable

from aligntune.errors import ConfigurationError, RewardSourceError
from aligntune.hookspecs import hookimpl

if TYPE_CHECKING:
    from aligntune.core.rl.config import RewardModelSourceConfig

logger = logging.getLogger(__name__)


@runtime_checkable
class RewardModelSource(Protocol):
    """Provides a reward model for PPO."""

    description: str

    def check(self, config: RewardModelSourceConfig) -> None:
        """Cheap validation before anything loads (paths exist, fields fit)."""

    def load(self, config: RewardModelSourceConfig, **kwargs: Any) -> Any:
        """Load (or train, then load) the reward model."""


def _load_text_reward_model(path_or_name: str, **kwargs: Any) -> Any:
    from aligntune.reward_model.scoring import TextRewardModel

    return TextRewardModel.from_pretrained(path_or_name, **kwargs)


def check_model_dir(path: str | os.PathLike[str], *, what: str = "reward model") -> Path:
    """Check (without loading) that ``path`` is a model directory with config, weights and tokenizer.

    Raises :class:`ConfigurationError` naming the field, the missing piece and the fix.
    """
    from aligntune.errors import ModelLoadError
    from aligntune.reward_model.loading import check_model_dir as _check

    p = Path(path).expanduser()
    if not p.exists():
        raise ConfigurationError(
            f"{what}={str(path)!r} does not exist; pass the directory a reward model was saved to "
            "(save_pretrained, or RewardModelTrainer.train_reward_model's output)"
        )
    try:
        _check(p)
    except ModelLoadError as exc:
        raise ConfigurationError(f"{what}={str(path)!r} is not a usable model directory: {exc}") from exc
    return p


class CustomTrainedSource:
    """Train a reward model from rule-based reward functions, then load it."""

    description = "train a reward model from rule-based reward functions, then load it"

    def check(self, config: RewardModelSourceConfig) -> None:
        if config.training_config is None:
            raise ConfigurationError("source_type='custom_trained' needs training_config=RewardModelTrainingConfig(...)")
        tc = config.training_config
        out = Path(tc.output_dir).expanduser()
        if out.is_dir() and any(out.iterdir()) and not tc.overwrite:
            raise ConfigurationError(
                f"The reward model output directory {tc.output_dir!r} already exists and is not empty; choose "
                "another reward_training_output_dir, delete it, or pass reward_training_overwrite=True "
                "(RewardModelTrainingConfig.overwrite)"
            )
        base = tc.base_model_name
        if os.path.isabs(base) or base.startswith((".", "~")) or os.path.exists(base):
            check_model_dir(base, what="reward_training_base_model")
        else:
            _check_hub_reachable(base, field="reward_training_base_model")

    def train(self, config: RewardModelSourceConfig) -> str:
        """Train the reward model; return the directory it was saved to.

        The returned path is a :class:`aligntune.rewards.training.TrainedRewardModel`
        (a ``str`` carrying ``.fidelity`` and ``.manifest``).
        """
        from aligntune.rewards.training import train_from_config

        tc = config.training_config
        assert tc is not None
        logger.info("Training a reward model from %s into %s", tc.reward_functions, tc.output_dir)
        return train_from_config(tc)

    def load(self, config: RewardModelSourceConfig, **kwargs: Any) -> Any:
        path = kwargs.pop("trained_path", None) or self.train(config)
        return _load_text_reward_model(path, **kwargs)


class PretrainedHFSource:
    """A reward model from the Hugging Face Hub (or the local cache when offline)."""

    description = "from_pretrained(model_name): a hub name (cached when offline) or a local directory"

    def check(self, config: RewardModelSourceConfig) -> None:
        name = config.model_name
        if name is None:
            raise ConfigurationError("source_type='pretrained_hf' needs model_name=")
        if os.path.isdir(os.path.expanduser(name)):
            check_model_dir(os.path.expanduser(name), what="reward_model_name")
            return
        _check_hub_reachable(name, field="reward_model_name")

    def load(self, config: RewardModelSourceConfig, **kwargs: Any) -> Any:
        name = str(config.model_name)
        if os.path.isdir(os.path.expanduser(name)):
            name = os.path.expanduser(name)
        try:
            return _load_text_reward_model(name, **kwargs)
        except OSError as exc:
            raise RewardSourceError(
                f"Could not load reward model {name!r} from the Hugging Face Hub: {exc}. "
                "If this machine is offline, download it elsewhere and pass the directory as "
                "reward_model_path= (source_type='pretrained_local')"
            ) from exc


class PretrainedLocalSource:
    """A reward model saved in a local directory."""

    description = "a local directory holding config.json, safetensors weights and a tokenizer"

    def check(self, config: RewardModelSourceConfig) -> None:
        if config.model_path is None:
            raise ConfigurationError("source_type='pretrained_local' needs model_path=")
        check_model_dir(config.model_path, what="reward_model_path")

    def load(self, config: RewardModelSourceConfig, **kwargs: Any) -> Any:
        self.check(config)
        return _load_text_reward_model(os.path.expanduser(str(config.model_path)), **kwargs)


def _check_hub_reachable(name: str, *, field: str) -> None:
    """Offline with no cached copy: fail now, before anything else loads (online: nothing to check)."""
    from aligntune.errors import ModelLoadError
    from aligntune.reward_model.loading import is_offline, resolve_model_path

    if not is_offline():
        return
    try:
        resolve_model_path(name, local_files_only=True)
    except ModelLoadError as exc:
        raise ConfigurationError(f"{field}={name!r}: {exc}") from exc


def get_source(name: str) -> Any:
    """The registered reward-model source called ``name`` (lists the available ones if unknown)."""
    from aligntune._validation import did_you_mean
    from aligntune.plugins import get_plugin_manager

    pm = get_plugin_manager()
    table = pm.registrations("reward_model_sources")
    if name not in table:
        raise ConfigurationError(
            f"Unknown reward-model source {name!r}.{did_you_mean(name, table)} Available: {', '.join(sorted(table))}."
            f"{failed_plugins_note(pm)}"
        )
    return table[name].obj


def failed_plugins_note(pm: Any) -> str:
    """`` Plugin 'x' (dist) failed to load: Error: ...`` for every plugin that failed to import."""
    return "".join(f" Plugin {f.name!r} ({f.distribution}) failed to load: {f.error}." for f in pm.failures())


def check_source(config: RewardModelSourceConfig) -> None:
    """Run the source's cheap ``check`` (when it has one)."""
    source = get_source(config.source_type)
    check = getattr(source, "check", None)
    if callable(check):
        check(config)


@hookimpl
def register_reward_model_sources(register: Callable[[str, Any], None]) -> None:
    """Register the built-in sources: custom_trained, pretrained_hf, pretrained_local."""
    register("custom_trained", CustomTrainedSource())
    register("pretrained_hf", PretrainedHFSource())
    register("pretrained_local", PretrainedLocalSource())
