"""The reward registry: look reward functions up by name.

Reward functions come from plugins (the ``register_reward_functions`` hook) and from
in-process registration with :meth:`RewardRegistry.register_reward_function`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable

from aligntune.errors import ConfigurationError, PluginError, RewardFunctionError, show
from aligntune.hookspecs import hookimpl
from aligntune.plugins import PluginManager, get_plugin_manager
from aligntune.plugins.lookup import lookup
from aligntune.rewards.base import RewardFunction, as_reward_function, reward_function, validate_reward_object

#: The plugin name of rewards registered from user code (shown in errors and listings).
IN_PROCESS_PLUGIN = "in-process"


class _InProcessRewards:
    """The in-process plugin that holds rewards registered from user code."""

    # Note: a class-body ``__name__`` is shadowed by ``type.__name__`` on the class itself,
    # so the manager is always given IN_PROCESS_PLUGIN explicitly.
    __name__ = IN_PROCESS_PLUGIN

    def __init__(self) -> None:
        self.functions: list[RewardFunction] = []

    @hookimpl
    def register_reward_functions(self, register: Callable[[RewardFunction], None]) -> None:
        for fn in self.functions:
            register(fn)


class RewardRegistry:
    """Looks reward functions up by name.

    ``RewardRegistry()`` uses the process-wide plugin manager, so functions from every
    installed plugin are available. Pass ``plugin_manager=`` to use another one.
    """

    def __init__(self, plugin_manager: PluginManager | None = None) -> None:
        self._pm = plugin_manager or get_plugin_manager()

    @property
    def plugin_manager(self) -> PluginManager:
        return self._pm

    def _table(self) -> dict[str, Any]:
        return self._pm.registrations("reward_functions")

    def list_reward_functions(self) -> list[str]:
        """Names of every available reward function, sorted."""
        return sorted(self._table())

    def describe(self) -> list[dict[str, Any]]:
        """Name, description, value range and plugin of every reward function."""
        return [
            {
                "name": reg.name,
                "description": reg.obj.description,
                "value_range": list(reg.obj.value_range),
                "plugin": reg.plugin,
            }
            for reg in sorted(self._table().values(), key=lambda r: r.name)
        ]

    def plugin_of(self, name: str) -> str:
        """The plugin that registered ``name``."""
        return self._lookup(name).plugin

    def get_reward_function(self, name: str) -> RewardFunction:
        """The reward function registered as ``name``.

        Raises :class:`UnknownRewardFunctionError` listing the available names and the
        closest match.
        """
        return self._lookup(name).obj

    def _lookup(self, name: str) -> Any:
        return lookup("reward_functions", name, plugin_manager=self._pm)

    def resolve(self, functions: Sequence[str | RewardFunction | Callable[..., Any]]) -> list[RewardFunction]:
        """Turn a mix of names, reward objects and plain callables into reward functions."""
        out = []
        for item in functions:
            if isinstance(item, str):
                out.append(self.get_reward_function(item))
            else:
                out.append(validate_reward_object(as_reward_function(item)))
        return out

    def register_reward_function(
        self,
        fn: RewardFunction | Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
        value_range: tuple[float, float] = (0.0, 1.0),
        batched: bool = False,
    ) -> RewardFunction:
        """Register a reward function in-process, without a plugin.

        ``fn`` is a :class:`RewardFunction` or a plain callable (wrapped with
        :func:`aligntune.rewards.base.reward_function`). The name must not clash with
        an installed function. Returns the registered function.
        """
        if not isinstance(fn, RewardFunction):
            fn = reward_function(fn, name=name, description=description, value_range=value_range, batched=batched)
        holder = self._in_process()
        holder.functions.append(fn)
        self._pm.invalidate()
        try:
            self._table()
        except PluginError:
            holder.functions.pop()
            self._pm.invalidate()
            raise
        return fn

    def unregister_reward_function(self, name: str) -> None:
        """Remove a reward function registered in-process."""
        holder = self._in_process()
        holder.functions[:] = [f for f in holder.functions if f.name != name]
        self._pm.invalidate()

    def _in_process(self) -> _InProcessRewards:
        pm = self._pm.pluggy_manager
        holder = pm.get_plugin(IN_PROCESS_PLUGIN)
        if holder is None:
            holder = _InProcessRewards()
            self._pm.register(holder, name=IN_PROCESS_PLUGIN)
        return holder


def check_reward_functions(where: str, value: Any) -> None:
    """A non-empty list of reward function names and/or objects that all resolve.

    ``where`` names the field in the message (``RewardModelTrainingConfig.reward_functions``).
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ConfigurationError(f"{where} must be a list of reward function names or objects, got {show(value)}")
    if len(value) == 0:
        raise ConfigurationError(f"{where} is required and must not be empty; e.g. ['length', 'safety']")
    try:
        RewardRegistry().resolve(value)
    except (ConfigurationError, RewardFunctionError) as exc:  # a config names its field, as a ConfigurationError
        raise ConfigurationError(f"{where}: {exc}") from exc
