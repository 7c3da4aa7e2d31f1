"""The ``remote`` reward source (registered by the built-in plugin :mod:`aligntune.rl.builtin_sources`).

``RewardModelSourceConfig(source_type="remote", url="http://host:port", options={...})``
(or ``create_rl_trainer(reward_model_url=..., remote_reward_options={...})``): the whole
RL reward (model, rules, weights and gold) is scored by ``aligntune serve-reward`` at
``url``. ``options`` are :class:`~aligntune.serve.settings.RemoteSettings` fields
(``timeout_s``, ``retries``, ``backoff_s``, ``token_env``, ...).

``check`` contacts the server (``GET /health`` and ``GET /info``) before any model loads;
``load`` returns a checked :class:`~aligntune.serve.client.RemoteReward`, which the
trainer uses as its reward. Importing it imports no HTTP library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aligntune.errors import ConfigurationError
from aligntune.serve.client import RemoteReward
from aligntune.serve.settings import RemoteSettings

if TYPE_CHECKING:
    from aligntune.rl.config import RewardModelSourceConfig


def remote_settings(config: RewardModelSourceConfig) -> RemoteSettings:
    """The client settings of a ``remote`` source config."""
    if not config.url:
        raise ConfigurationError("source_type='remote' needs url= (the reward server's base URL, e.g. "
                                 "http://127.0.0.1:8477, which aligntune serve-reward prints)")
    return RemoteSettings.from_options(config.url, dict(config.options))


def served_gold(config: RewardModelSourceConfig) -> dict | None:
    """The gold the server at ``config.url`` reports (``GET /info``), or ``None`` when its reward has none."""
    reward = RemoteReward(remote_settings(config))
    try:
        reward.check()
        return reward.describe().get("gold")
    finally:
        reward.close()


class RemoteSource:
    """The whole reward, scored by a reward server (``aligntune serve-reward``)."""

    description = "a reward served over HTTP by aligntune serve-reward at url= (model, rules, weights and gold)"

    def check(self, config: RewardModelSourceConfig) -> None:
        """Contact the server (health, token, limits); the error says what failed."""
        reward = self.load(config)
        reward.close()

    def load(self, config: RewardModelSourceConfig) -> RemoteReward:
        reward = RemoteReward(remote_settings(config))
        try:
            reward.check()
        except BaseException:
            reward.close()
            raise
        return reward

