"""The core's built-in plugin: the reward-model sources ``custom_trained``, ``pretrained_hf``, ``pretrained_local``
and ``remote``.

Registered by the plugin manager like any installed plugin (see
:data:`aligntune.plugins.manager.BUILTIN_PLUGINS`); no other module imports from here.

``custom_trained``
    Trains a reward model from ``training_config`` (scores the texts with the rules,
    trains, saves, measures fidelity), then loads it.
``pretrained_hf``
    ``from_pretrained(model_name)``: a hub name (served from the local cache when
    offline) or a local directory.
``pretrained_local``
    ``model_path`` must be a directory holding a config, weights and a tokenizer.
``in_memory``
    ``model``: a reward model already in memory: a one-output sequence classifier with
    ``options["tokenizer"]`` (``create_rl_trainer(reward_model_path=model, reward_tokenizer=tok)``),
    or a :class:`~aligntune.reward_model.scoring.TextRewardModel`.
``remote``
    ``url``: the whole reward (model, rules, gold) scored by ``aligntune serve-reward``;
    its ``load`` returns a :class:`~aligntune.serve.client.RemoteReward` (see :mod:`aligntune.serve.source`).

Each other ``load`` returns a :class:`~aligntune.reward_model.scoring.TextRewardModel`
whose ``path`` is the directory it came from. torch and transformers load inside
``load`` only.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any, Callable

from aligntune import model_dirs
from aligntune.errors import ConfigurationError, RewardSourceError, show
from aligntune.hookspecs import hookimpl
from aligntune.reward_model.scoring import TextRewardModel, read_manifest
from aligntune.reward_model.config import spelled_as
from aligntune.reward_model.api import train_from_config
from aligntune.rl.sources import check_model_dir
from aligntune.serve.source import RemoteSource

if TYPE_CHECKING:
    from aligntune.rl.config import RewardModelSourceConfig

logger = logging.getLogger(__name__)


class CustomTrainedSource:
    description = "train a reward model from rule-based reward functions, then load it"

    def check(self, config: RewardModelSourceConfig) -> None:
        tc = config.training_config  # its output_dir: factory.check_run_files, and train_from_config before scoring
        assert tc is not None  # RewardModelSourceConfig requires it for this source type
        if model_dirs.means_local_dir(tc.base_model_name):
            check_model_dir(tc.base_model_name, what="reward_training_base_model", reward_model=False)
        else:
            model_dirs.check_hub_reachable(tc.base_model_name, field="reward_training_base_model")

    def load(self, config: RewardModelSourceConfig) -> TextRewardModel:
        """Train (every process under a launcher; only the main one writes), then load the result."""
        tc = config.training_config
        assert tc is not None
        logger.info("Training a reward model from %s into %s", tc.reward_functions, tc.output_dir)
        with spelled_as("rl"):  # errors name reward_training_output_dir, reward_training_overwrite=True
            trained = train_from_config(tc)
        reward = TextRewardModel.from_pretrained(str(trained))
        reward.path = trained  # the TrainedRewardModel: the same path, carrying .fidelity and .manifest
        return reward


class PretrainedHFSource:
    description = "from_pretrained(model_name): a hub name (cached when offline) or a local directory"

    def check(self, config: RewardModelSourceConfig) -> None:
        name = str(config.model_name)  # RewardModelSourceConfig requires it for this source type
        if os.path.isdir(os.path.expanduser(name)):
            read_manifest(check_model_dir(os.path.expanduser(name), what="reward_model_name"))  # its values checked
            return
        model_dirs.check_hub_reachable(name, field="reward_model_name", instead="reward_model_path='/path/to/model'")

    def load(self, config: RewardModelSourceConfig) -> TextRewardModel:
        name = str(config.model_name)
        if os.path.isdir(os.path.expanduser(name)):
            name = os.path.expanduser(name)
        try:
            return TextRewardModel.from_pretrained(name)
        except OSError as exc:
            raise RewardSourceError(
                f"Could not load reward model {show(name)} from the Hugging Face Hub: {exc}. "
                "If this machine is offline, download it elsewhere and pass the directory as "
                "reward_model_path= (source_type='pretrained_local')"
            ) from exc


class PretrainedLocalSource:
    description = "a local directory holding config.json, safetensors weights and a tokenizer"

    def check(self, config: RewardModelSourceConfig) -> None:
        read_manifest(check_model_dir(config.model_path, what="reward_model_path"))  # its values checked, unloaded

    def load(self, config: RewardModelSourceConfig) -> TextRewardModel:
        self.check(config)
        return TextRewardModel.from_pretrained(os.path.expanduser(str(config.model_path)))


class LoadedSource:
    description = "a loaded one-output sequence classifier (with options['tokenizer']) or a TextRewardModel"

    def check(self, config: RewardModelSourceConfig) -> None:
        model, tokenizer = config.model, config.options.get("tokenizer")
        if isinstance(model, TextRewardModel):
            return
        labels = getattr(getattr(model, "config", None), "num_labels", None)
        if labels != 1:
            raise ConfigurationError(
                f"reward_model_path= a loaded {type(model).__name__} must be a sequence classifier with one output "
                f"(num_labels=1), got num_labels={show(labels)}; load it with "
                "AutoModelForSequenceClassification.from_pretrained(..., num_labels=1)"
            )
        if tokenizer is None or not callable(tokenizer):
            raise ConfigurationError(
                f"reward_model_path= a loaded {type(model).__name__} needs its tokenizer: pass reward_tokenizer= too"
            )

    def load(self, config: RewardModelSourceConfig) -> TextRewardModel:
        self.check(config)
        if isinstance(config.model, TextRewardModel):
            return config.model
        return TextRewardModel(config.model, config.options["tokenizer"])


@hookimpl
def register_reward_model_sources(register: Callable[[str, Any], None]) -> None:
    """Register the built-in sources: custom_trained, pretrained_hf, pretrained_local, remote, in_memory."""
    register("custom_trained", CustomTrainedSource())
    register("pretrained_hf", PretrainedHFSource())
    register("pretrained_local", PretrainedLocalSource())
    register("remote", RemoteSource())  # the whole reward from aligntune serve-reward (aligntune.serve.source)
    register("in_memory", LoadedSource())  # a reward model already loaded in this process
