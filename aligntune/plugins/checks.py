"""Checks applied to every registration a plugin makes, before it is accepted."""

from __future__ import annotations

from typing import Any

from aligntune.errors import PluginError, RewardFunctionError, show
from aligntune.rewards.base import validate_reward_object

LABELS = {
    "reward_functions": "Reward function",
    "reward_model_sources": "Reward-model source",
    "rl_backends": "RL backend",
}


def check(kind: str, args: tuple[Any, ...], *, plugin: str) -> tuple[str, Any]:
    """Validate one ``register(...)`` call and return ``(name, object)``."""
    if kind == "reward_functions":
        return _reward(args, plugin)
    if kind == "reward_model_sources":
        return _source(args, plugin)
    return _backend(args, plugin)


def _reward(args: tuple[Any, ...], plugin: str) -> tuple[str, Any]:
    if len(args) != 1:
        raise PluginError(f"Plugin {show(plugin)}: register_reward_functions' register() takes one reward function")
    try:
        fn = validate_reward_object(args[0], plugin=plugin)
    except RewardFunctionError as exc:
        raise PluginError(str(exc)) from exc
    return fn.name, fn


def _source(args: tuple[Any, ...], plugin: str) -> tuple[str, Any]:
    if len(args) != 2 or not isinstance(args[0], str) or not args[0]:
        raise PluginError(
            f"Plugin {show(plugin)}: register_reward_model_sources' register() takes (name, source), got {show(args)}"
        )
    name, source = args
    if not callable(getattr(source, "load", None)):
        raise PluginError(
            f"Plugin {show(plugin)} registered reward-model source {show(name)} without a load(config) method"
        )
    return name, source


def _backend(args: tuple[Any, ...], plugin: str) -> tuple[str, Any]:
    if len(args) != 1:
        raise PluginError(f"Plugin {show(plugin)}: register_rl_backends' register() takes one backend")
    backend = args[0]
    name = getattr(backend, "name", None)
    if not isinstance(name, str) or not name:
        raise PluginError(f"Plugin {show(plugin)} registered an RL backend without a name: {show(backend)}")
    for attr in ("algorithms", "availability", "create_trainer"):
        if not hasattr(backend, attr):
            raise PluginError(f"Plugin {show(plugin)} registered RL backend {show(name)} without {show(attr)}")
    return name, backend
