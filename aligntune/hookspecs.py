"""Hook specifications: the three extension points of aligntune.

A plugin is a module (or any object) with functions decorated by
:data:`aligntune.hookimpl` whose names match the specs below. Plugins are
discovered through the ``aligntune`` entry-point group, or registered in-process
with :meth:`aligntune.plugins.PluginManager.register`.

Each hook receives a ``register`` callable instead of returning a list, so that
every registration is checked on arrival and attributed to the plugin that made it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import pluggy

if TYPE_CHECKING:
    from aligntune.rewards.base import RewardFunction
    from aligntune.rl.backends import RLBackend
    from aligntune.rl.sources import RewardModelSource

hookspec = pluggy.HookspecMarker("aligntune")
hookimpl = pluggy.HookimplMarker("aligntune")


@hookspec
def register_reward_functions(register: Callable[[RewardFunction], None]) -> None:
    """Register rule-based reward functions.

    Called once, the first time reward functions are listed or looked up.
    ``register(fn)`` accepts a :class:`aligntune.rewards.base.RewardFunction`
    (an object with ``name``, ``description``, ``value_range`` and a batched
    ``score(texts, *, prompts=None, references=None)``), or a plain callable
    decorated with :func:`aligntune.rewards.base.reward_function`. Every call of
    ``score`` gets its own copy of the inputs, and what it returns is checked (one
    finite score per text, inside ``value_range``) before anything uses it.
    """


@hookspec
def register_reward_model_sources(register: Callable[[str, RewardModelSource], None]) -> None:
    """Register reward-model sources.

    Called once, the first time sources are listed or looked up.
    ``register(name, source)`` accepts a source type name (the value users pass as
    ``RewardModelSourceConfig(source_type=name)``) and a
    :class:`aligntune.rl.sources.RewardModelSource`.
    """


@hookspec
def register_rl_backends(register: Callable[[RLBackend], None]) -> None:
    """Register RL training backends.

    Called once, the first time backends are listed or looked up.
    ``register(backend)`` accepts a :class:`aligntune.rl.backends.RLBackend`: it
    names itself, lists the algorithms it supports, reports whether it can run on
    this machine, and builds a trainer from a validated config.
    """
