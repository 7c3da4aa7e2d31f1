"""Reward as a service: serve any aligntune reward over HTTP, and score RL through one.

* :func:`~aligntune.serve.server.serve_reward` (``aligntune serve-reward``): serve the reward
  ``create_rl_trainer`` would build (a reward model, rules, or a mix, with its gold) on a
  uvicorn/Starlette server, with dynamic batching, request limits and an optional token.
* :class:`~aligntune.serve.client.RemoteReward`: the Reward interface over HTTP, with a
  connection pool, timeouts, bounded retries and one clear error; the ``remote`` reward
  source (``create_rl_trainer(reward_model_url=...)``) is built on it.
* :mod:`~aligntune.serve.settings`: both sides' settings; :mod:`~aligntune.serve.wire`: the JSON.

The server and HTTP libraries (the ``serve`` extra: ``pip install aligntune[serve]``) are
imported only when a server starts or a remote reward is built; ``import aligntune.serve``
imports neither them nor torch. See docs/reward-service.md.
"""

from __future__ import annotations

from aligntune._lazy import lazy_attributes
from aligntune.serve.settings import DEFAULT_PORT, RemoteSettings, ServeSettings

_LAZY = {
    "serve_reward": "aligntune.serve.server",
    "build_served_reward": "aligntune.serve.server",
    "start_reward_server": "aligntune.serve.server",
    "RemoteReward": "aligntune.serve.client",
}

__all__ = ["DEFAULT_PORT", "RemoteSettings", "ServeSettings", *_LAZY]


# serve_reward and RemoteReward load on first use (PEP 562).
__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())
