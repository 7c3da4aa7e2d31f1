"""Reward-model sources: the built-ins are registered, and a plugin source registered in-process works in PPO."""

from __future__ import annotations

import pytest
from ppo_helpers import fast_ppo_kwargs

from aligntune import hookimpl
from aligntune.core.backend_factory import create_rl_trainer
from aligntune.core.rl.config import RewardModelSourceConfig
from aligntune.core.sources import get_source
from aligntune.errors import ConfigurationError
from aligntune.plugins import get_plugin_manager


def test_builtin_sources_are_registered():
    table = get_plugin_manager().registrations("reward_model_sources")
    assert {"custom_trained", "pretrained_hf", "pretrained_local"} <= set(table)
    assert all(table[n].plugin == "aligntune.core.sources" for n in ("custom_trained", "pretrained_hf", "pretrained_local"))


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
