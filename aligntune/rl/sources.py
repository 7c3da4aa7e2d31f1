"""The reward-model source contract, and what backends and source plugins use from it.

A source turns a :class:`~aligntune.rl.config.RewardModelSourceConfig` into a loaded text reward model.
Plugins add sources through ``register_reward_model_sources`` (the core's own are the built-in plugin
:mod:`aligntune.rl.builtin_sources`). A backend needs only :func:`load_reward_model`: no backend names a source type.

>>> reward = load_reward_model(config.reward_source)     # doctest: +SKIP
>>> reward.score(["Glad to help."]), reward.path          # doctest: +SKIP
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from aligntune import model_dirs
from aligntune.errors import ConfigurationError, ModelLoadError, RewardSourceError, show
from aligntune.plugins.lookup import lookup
from aligntune.rl.reward.base import Reward

if TYPE_CHECKING:
    from aligntune.rl.config import RewardModelSourceConfig

logger = logging.getLogger(__name__)


@runtime_checkable
class LoadedRewardModel(Protocol):
    """What a source's ``load`` returns (:class:`aligntune.reward_model.scoring.TextRewardModel` is one)."""

    model: Any
    tokenizer: Any
    #: The directory the model was loaded from (recorded in RL metrics), or ``None``.
    path: str | None

    def score(self, texts: Any, *, prompts: Any = None, batch_size: int = 32) -> list[float]:
        """One finite score per text, higher is better."""


@runtime_checkable
class RewardModelSource(Protocol):
    """Provides a reward model for RL."""

    description: str

    def check(self, config: RewardModelSourceConfig) -> None:
        """Cheap validation before anything loads (paths exist, fields fit)."""

    def load(self, config: RewardModelSourceConfig) -> LoadedRewardModel | Reward:
        """The ready reward model: loaded, after training it when the source trains one (or a whole
        :class:`~aligntune.rl.reward.base.Reward`, which the trainer then uses as its proxy)."""


def get_source(name: str) -> RewardModelSource:
    """The registered reward-model source called ``name`` (lists the available ones if unknown)."""
    return lookup("reward_model_sources", name).obj


def check_source(config: RewardModelSourceConfig) -> None:
    """Run the source's cheap ``check`` (when it has one)."""
    check = getattr(get_source(config.source_type), "check", None)
    if callable(check):
        check(config)


def load_reward_model(config: RewardModelSourceConfig) -> LoadedRewardModel | Reward:
    """Load (training first, where the source trains) the reward model ``config`` describes.

    A source may also return a whole :class:`~aligntune.rl.reward.base.Reward` (texts in, proxy,
    components and gold out; e.g. a remote reward service), returned as is. Raises
    :class:`RewardSourceError` when the source returns something that cannot score texts.
    """
    source = get_source(config.source_type)
    reward = source.load(config)
    if isinstance(reward, Reward):  # a whole reward (e.g. a remote service): the trainer uses it as the proxy
        return reward
    if not callable(getattr(reward, "score", None)) or getattr(reward, "tokenizer", None) is None:
        raise RewardSourceError(
            f"Reward-model source {show(config.source_type)} returned {type(reward).__name__}, which is not a "
            "loaded reward model (it needs .score(texts, prompts=..., batch_size=...) and .tokenizer); "
            "return a TextRewardModel from its load()"
        )
    if not hasattr(reward, "path"):
        reward.path = None
    logger.info("Reward model ready (%s): %r", config.source_type, reward)
    return reward


def check_model_dir(path: str | os.PathLike[str], *, what: str = "reward model", reward_model: bool = True) -> Path:
    """For source authors: check (without loading) that ``path`` is a model directory with
    config, weights and a tokenizer, and (``reward_model``) a sequence classifier with one
    output; the :class:`ConfigurationError` names ``what``."""
    checked = model_dirs.check_reference(
        path,
        field=what,
        local=True,
        missing="pass the directory a reward model was saved to (save_pretrained, or "
        "RewardModelTrainer.train_reward_model's output)",
    )
    assert checked is not None  # local=True always checks a directory
    if reward_model:
        try:
            model_dirs.check_reward_model(model_dirs.inspect_model_dir(checked), name=f"{what}={show(os.fspath(path))}")
        except ModelLoadError as exc:
            raise ConfigurationError(str(exc)) from exc
    return checked
