"""Reward-model sources: the built-ins are registered, and a plugin source registered in-process works in PPO."""

from __future__ import annotations

import pytest
from ppo_helpers import fast_ppo_kwargs

from aligntune import hookimpl
from aligntune.core.backend_factory import create_rl_trainer
from aligntune.core.rl.config import RewardModelSourceConfig
from aligntune.rl.sources import get_source
from aligntune.errors import ConfigurationError
from aligntune.plugins import get_plugin_manager


def test_builtin_sources_are_registered():
    table = get_plugin_manager().registrations("reward_model_sources")
    assert {"custom_trained", "pretrained_hf", "pretrained_local"} <= set(table)
    assert all(table[n].plugin == "aligntune.rl.builtin_sources" for n in ("custom_trained", "pretrained_hf", "pretrained_local"))


class _FrozenScoresSource:
    """Loads a reward model directory named in options['dir'] and counts loads."""

    description = "test source"

    def __init__(self) -> None:
        self.loads = 0

    def check(self, config):
        if "dir" not in config.options:
            raise ConfigurationError("the 'frozen' source needs options={'dir': ...}")

    def load(self, config, **kwargs):
        from aligntune.reward_model.scoring import TextRewardModel

        self.loads += 1
        return TextRewardModel.from_pretrained(config.options["dir"])


@pytest.fixture
def frozen_source():
    source = _FrozenScoresSource()

    class Plugin:
        __name__ = "test-frozen-source"

        @hookimpl
        def register_reward_model_sources(self, register):
            register("frozen", source)

    pm = get_plugin_manager()
    name = pm.register(Plugin(), name="test-frozen-source")
    try:
        yield source
    finally:
        pm.unregister(name)


@pytest.mark.slow
def test_plugin_source_registered_in_process_drives_ppo(frozen_source, policy_dir, prompts_file, cross_tok_rm_dir, tmp_path):
    assert get_source("frozen") is frozen_source
    with pytest.raises(ConfigurationError, match="needs options"):
        create_rl_trainer(model_name=str(policy_dir), dataset_name=str(prompts_file),
                          reward_source=RewardModelSourceConfig(source_type="frozen", model_name="x"),
                          **fast_ppo_kwargs(tmp_path))
    config = RewardModelSourceConfig(source_type="frozen", model_name="frozen-rm", options={"dir": str(cross_tok_rm_dir)})
    trainer = create_rl_trainer(model_name=str(policy_dir), dataset_name=str(prompts_file), reward_source=config,
                                **fast_ppo_kwargs(tmp_path, total_episodes=4))
    assert frozen_source.loads == 0
    result = trainer.train()
    assert frozen_source.loads == 1 and result.steps == 1


def test_unknown_source_type_lists_the_available():
    with pytest.raises(ConfigurationError, match="'pretrained_hff' is not a known source. Did you mean 'pretrained_hf'"):
        RewardModelSourceConfig(source_type="pretrained_hff", model_name="x")


class _TrainsWhenAskedSource:
    """A plugin source that trains its reward model inside ``load``, as ``custom_trained`` does.

    It knows nothing of any backend; PPO reaches it through the source contract alone.
    """

    description = "trains a reward model from options['texts'] when loaded"

    def __init__(self, base_dir) -> None:
        self.base_dir = base_dir
        self.trained: list[str] = []

    def check(self, config):
        if len(config.options.get("texts", [])) < 10:
            raise ConfigurationError("the 'trains' source needs options={'texts': [at least 10 texts]}")

    def load(self, config):
        from aligntune.reward_model.config import RewardModelTrainingConfig
        from aligntune.reward_model.scoring import TextRewardModel
        from aligntune.reward_model.api import train_from_config

        trained = train_from_config(RewardModelTrainingConfig(
            base_model_name=str(self.base_dir), training_texts=config.options["texts"], reward_functions=["length"],
            output_dir=config.model_path, num_epochs=1, batch_size=4, max_length=64, pairs_per_text=2,
        ))
        self.trained.append(str(trained))
        return TextRewardModel.from_pretrained(str(trained))


@pytest.mark.slow
def test_a_plugin_source_that_trains_when_asked_drives_ppo(tiny_bert_dir, policy_dir, prompts_file, ppo_corpus, tmp_path):
    source = _TrainsWhenAskedSource(tiny_bert_dir)

    class Plugin:
        __name__ = "test-trains-source"

        @hookimpl
        def register_reward_model_sources(self, register):
            register("trains", source)

    pm = get_plugin_manager()
    name = pm.register(Plugin(), name="test-trains-source")
    try:
        rm_dir = tmp_path / "trained-rm"
        config = RewardModelSourceConfig(source_type="trains", model_path=str(rm_dir),
                                         options={"texts": list(ppo_corpus.texts[:24])})
        trainer = create_rl_trainer(model_name=str(policy_dir), dataset_name=str(prompts_file), reward_source=config,
                                    **fast_ppo_kwargs(tmp_path, total_episodes=4))
        assert source.trained == []  # nothing trains before train()
        result = trainer.train()
    finally:
        pm.unregister(name)
    assert source.trained == [str(rm_dir.resolve())]
    assert (rm_dir / "aligntune.json").is_file() and result.steps == 1
    assert result.reward_model_path == str(rm_dir)
