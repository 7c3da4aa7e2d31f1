"""The plugin core: discovery, registration checks, hook calls and lookup by name.

* :mod:`aligntune.plugins.manager`: :class:`PluginManager` finds plugins through the
  ``aligntune`` entry-point group (each in its own guard), registers in-process
  plugins, calls the hooks through pluggy and keeps what each plugin registered.
* :mod:`aligntune.plugins.checks`: the checks every ``register(...)`` call passes
  before it is accepted.
* :mod:`aligntune.plugins.environment`: ``ALIGNTUNE_DISABLE_PLUGINS`` and
  ``ALIGNTUNE_TRACE_HOOKS``, parsed and checked.
* :mod:`aligntune.plugins.lookup`: the one way to find a reward function, a
  reward-model source or an RL backend by name, and the one "unknown name" message
  (closest match, what is available, which plugins failed to import, what to install).

This package re-exports the manager's public names, so ``from aligntune.plugins import
get_plugin_manager`` keeps working. Nothing here imports torch.
"""

from aligntune.plugins.environment import DISABLE_ENV, TRACE_ENV
from aligntune.plugins.manager import (
    BUILTIN_PLUGINS,
    ENTRY_POINT_GROUP,
    KINDS,
    PluginInfo,
    PluginManager,
    Registration,
    get_plugin_manager,
    set_plugin_manager,
)

__all__ = [
    "BUILTIN_PLUGINS",
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "KINDS",
    "TRACE_ENV",
    "PluginInfo",
    "PluginManager",
    "Registration",
    "get_plugin_manager",
    "set_plugin_manager",
]
