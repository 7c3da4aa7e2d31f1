"""The plugin manager: discovery, in-process registration, hook calls and listing.

Plugins are found through the ``aligntune`` entry-point group, lazily and once.
Each entry point is loaded inside its own guard: a plugin that fails to import is
recorded (name, distribution, exception) and every other plugin keeps working.

A plugin that calls ``sys.exit`` while importing (or raises any other ``BaseException``
of its own) is recorded the same way: a failed plugin, not the end of the process.
Ctrl-C and aligntune's own stops (the CLI's SIGTERM stop) still pass through
(:func:`aligntune.errors.is_stop`).

Environment variables (parsed and checked in :mod:`aligntune.plugins.environment`):

``ALIGNTUNE_DISABLE_PLUGINS``
    Comma-separated plugin names that are not loaded: entry-point names or a
    built-in's module name (``all`` or ``*`` blocks every external plugin; the
    built-ins stay unless named). Blocked through pluggy's own ``set_blocked``, so a
    blocked name cannot be registered later either. A name that is not installed is
    an error; lookups that find nothing say what was blocked.
``ALIGNTUNE_TRACE_HOOKS``
    When on (``1``/``true``/``yes``/``on``), every hook call is logged at DEBUG level
    on ``aligntune.plugins`` (pluggy's hook-call monitoring: the hook, the plugin it
    is called on, and the arguments). ``0``/``false``/``no``/``off`` leave it off.

Every hook is called through pluggy (``subset_hook_caller``), one plugin at a time:
that is what lets the manager attribute each registration to its plugin and keep one
plugin's exception from hiding the others, while tracing still sees every call.
"""

from __future__ import annotations

import importlib
import logging
import traceback
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pluggy

from aligntune import hookspecs
from aligntune.errors import DuplicateRegistrationError, PluginError, is_stop, show
from aligntune.plugins import checks
from aligntune.plugins.environment import DISABLE_ENV, blocked_plugins, check_blocked_names, trace_enabled
from aligntune.rewards.limits import call_limits

#: Trace output goes here (``ALIGNTUNE_TRACE_HOOKS``), next to the rest of the plugin log.
logger = logging.getLogger("aligntune.plugins")

ENTRY_POINT_GROUP = "aligntune"

#: The kinds of things plugins register, with the hook that registers each.
KINDS: dict[str, str] = {
    "reward_functions": "register_reward_functions",
    "reward_model_sources": "register_reward_model_sources",
    "rl_backends": "register_rl_backends",
}

#: Plugins that ship inside the core distribution and are always registered (module names,
#: imported when plugins are first loaded, like entry points).
BUILTIN_PLUGINS: tuple[str, ...] = ("aligntune.rl.builtin_sources",)


@dataclass(frozen=True)
class Registration:
    """One registered object and the plugin that registered it."""

    name: str
    obj: Any
    plugin: str


@dataclass
class PluginInfo:
    """What ``aligntune plugins`` reports about one plugin."""

    name: str
    distribution: str | None
    version: str | None
    origin: str
    hooks: list[str] = field(default_factory=list)
    registers: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "origin": self.origin,
            "hooks": self.hooks,
            "registers": self.registers,
            "error": self.error,
        }


class PluginManager:
    """Finds plugins and collects what they register.

    One process-wide instance is returned by :func:`get_plugin_manager`. Tests and
    notebooks can build their own (``PluginManager(load_entry_points=False)``) or
    register objects in-process on the shared one with :meth:`register`.
    """

    def __init__(self, *, load_entry_points: bool = True, builtins: bool = True) -> None:
        call_limits()  # a bad reward time-limit setting is refused here, before any work
        self._pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
        self._pm.add_hookspecs(hookspecs)
        self._tracing = trace_enabled()
        self._blocked = blocked_plugins()
        self._skipped: list[str] = []
        self._want_entry_points = load_entry_points
        self._entry_points_loaded = False
        self._builtins_loaded = not builtins
        self._infos: dict[str, PluginInfo] = {}
        self._tables: dict[str, dict[str, Registration]] | None = None
        for name in self._blocked.names:
            self._pm.set_blocked(name)
        if self._tracing:
            self._pm.trace.root.setwriter(lambda msg: logger.debug("%s", msg.rstrip()))
            self._pm.enable_tracing()

    # -- loading -----------------------------------------------------------------

    def load(self) -> None:
        """Register the core built-ins and load entry points (each only once).

        Raises :class:`~aligntune.errors.ConfigurationError` first, loading nothing, when
        ``ALIGNTUNE_DISABLE_PLUGINS`` names a plugin that is neither installed nor built in.
        """
        if self._builtins_loaded and (self._entry_points_loaded or not self._want_entry_points):
            return
        load_entry_points = self._want_entry_points and not self._entry_points_loaded
        listed = load_entry_points or self._blocked.names  # the names are checked against what is installed
        entry_points = list(metadata.entry_points(group=ENTRY_POINT_GROUP)) if listed else []
        if self._blocked.names:
            check_blocked_names(self._blocked, [*BUILTIN_PLUGINS, *(ep.name for ep in entry_points)])
        if not self._builtins_loaded:
            self._builtins_loaded = True
            for module_name in BUILTIN_PLUGINS:
                if self._pm.is_blocked(module_name):
                    self._skip(module_name)
                    continue
                module = importlib.import_module(module_name)
                self._add(module, module_name, origin="builtin", distribution="aligntune")
        if load_entry_points:
            self._entry_points_loaded = True
            self._load_entry_points(entry_points)

    def _skip(self, name: str) -> None:
        logger.info("Plugin %r is disabled by %s", name, DISABLE_ENV)
        if name not in self._skipped:
            self._skipped.append(name)

    def _load_entry_points(self, entry_points: list[metadata.EntryPoint]) -> None:
        for ep in entry_points:
            dist = getattr(ep, "dist", None)
            dist_name = dist.name if dist is not None else None
            version = dist.version if dist is not None else None
            if self._blocked.every_external or self._pm.is_blocked(ep.name):
                self._skip(ep.name)
                continue
            if ep.name in self._infos:
                continue
            try:
                plugin = ep.load()
            except BaseException as exc:  # any import failure must not stop the other plugins
                if is_stop(exc):
                    raise
                error = _failure(exc, "while importing")
                logger.warning(
                    "aligntune plugin %r (distribution %s) failed to load: %s",
                    ep.name,
                    dist_name,
                    error,
                )
                logger.debug("%s", traceback.format_exc())
                self._infos[ep.name] = PluginInfo(
                    name=ep.name, distribution=dist_name, version=version, origin="entry-point", error=error
                )
                continue
            self._add(plugin, ep.name, origin="entry-point", distribution=dist_name, version=version)

    def _add(
        self,
        plugin: object,
        name: str,
        *,
        origin: str,
        distribution: str | None = None,
        version: str | None = None,
    ) -> None:
        try:
            self._pm.register(plugin, name=name)
            self._pm.check_pending()
        except (ValueError, pluggy.PluginValidationError) as exc:
            raise PluginError(f"Plugin {show(name)} could not be registered: {exc}") from exc
        hooks = sorted(impl_name for impl_name in KINDS.values() if _has_impl(plugin, impl_name))
        self._infos[name] = PluginInfo(
            name=name, distribution=distribution, version=version, origin=origin, hooks=hooks
        )
        self._tables = None

    # -- in-process registration --------------------------------------------------

    def register(self, plugin: object, name: str | None = None) -> str:
        """Register a plugin object in-process (no installation needed).

        ``plugin`` is a module, class or instance with ``@aligntune.hookimpl``
        functions. Returns the name it was registered under.
        """
        self.load()
        plugin_name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        if self._pm.is_blocked(plugin_name):
            raise PluginError(
                f"A plugin named {show(plugin_name)} is blocked by {DISABLE_ENV}={show(self._blocked.raw)}; "
                f"remove it from {DISABLE_ENV} to register it, or pass another name="
            )
        if plugin_name in self._infos:
            raise PluginError(
                f"A plugin named {show(plugin_name)} is already registered; pass another name= "
                "or unregister it first"
            )
        self._add(plugin, plugin_name, origin="in-process")
        return plugin_name

    def invalidate(self) -> None:
        """Forget collected registrations; they are collected again on next use."""
        self._tables = None

    def unregister(self, name: str) -> None:
        """Remove a plugin registered under ``name``."""
        self._pm.unregister(name=name)
        self._infos.pop(name, None)
        self._tables = None

    # -- collected registrations ---------------------------------------------------

    def _collect(self) -> dict[str, dict[str, Registration]]:
        self.load()
        if self._tables is None:
            tables: dict[str, dict[str, Registration]] = {}
            for kind, hook_name in KINDS.items():
                tables[kind] = self._collect_kind(kind, hook_name)
            self._tables = tables
            for info in self._infos.values():
                info.registers = {
                    kind: sorted(r.name for r in table.values() if r.plugin == info.name)
                    for kind, table in tables.items()
                }
        return self._tables

    def _collect_kind(self, kind: str, hook_name: str) -> dict[str, Registration]:
        table: dict[str, Registration] = {}
        hook = getattr(self._pm.hook, hook_name)
        impls = list(reversed(hook.get_hookimpls()))  # registration order
        for impl in impls:
            plugin_name = impl.plugin_name

            def register(*args: Any, _plugin: str = plugin_name) -> None:
                name, obj = checks.check(kind, args, plugin=_plugin)
                if name in table:
                    other = table[name].plugin
                    raise DuplicateRegistrationError(
                        f"{checks.LABELS[kind]} {show(name)} is registered by two plugins: "
                        f"{show(other)} and {show(_plugin)}. {self._clash_fix(other, _plugin)}"
                    )
                table[name] = Registration(name=name, obj=obj, plugin=_plugin)

            others = [other.plugin for other in impls if other.plugin_name != plugin_name]
            call_one = self._pm.subset_hook_caller(hook_name, remove_plugins=others)
            if self._tracing:
                logger.debug("calling %s on plugin %r", hook_name, plugin_name)
            try:
                call_one(register=register)
            except PluginError:
                raise
            except BaseException as exc:
                if is_stop(exc):
                    raise
                raise PluginError(
                    f"Plugin {show(plugin_name)} raised in {hook_name}: {_failure(exc, 'in the hook')}"
                ) from exc
        return table

    def _clash_fix(self, *plugins: str) -> str:
        """How to resolve two plugins registering one name: block an installed one, else rename."""
        installed = [p for p in plugins if p in self._infos and self._infos[p].origin == "entry-point"]
        if installed:
            return f"Uninstall one of them, or block one with {DISABLE_ENV}={installed[-1]}"
        return "Register it under another name, or unregister one of them first"

    def registrations(self, kind: str) -> dict[str, Registration]:
        """Everything registered for ``kind`` (one of :data:`KINDS`), by name."""
        if kind not in KINDS:
            raise ValueError(f"Unknown registration kind {show(kind)}; expected one of {sorted(KINDS)}")
        return dict(self._collect()[kind])

    def plugins(self) -> list[PluginInfo]:
        """Every known plugin, including the ones that failed to load."""
        try:
            self._collect()
        except PluginError as exc:
            logger.warning("%s", exc)
        return sorted(self._infos.values(), key=lambda info: (info.origin != "builtin", info.name))

    def failures(self) -> list[PluginInfo]:
        """Plugins that failed to import."""
        self.load()
        return [info for info in self._infos.values() if info.error]

    def blocked(self) -> list[str]:
        """Plugins that ``ALIGNTUNE_DISABLE_PLUGINS`` kept from loading (built-ins and entry points)."""
        self.load()
        return list(self._skipped)

    @property
    def blocked_setting(self) -> str:
        """The value of ``ALIGNTUNE_DISABLE_PLUGINS`` this manager was built with."""
        return self._blocked.raw

    def hook_names(self) -> list[str]:
        """The names of all hook specs."""
        return list(KINDS.values())

    @property
    def pluggy_manager(self) -> pluggy.PluginManager:
        """The underlying :class:`pluggy.PluginManager`."""
        return self._pm


def _failure(exc: BaseException, when: str) -> str:
    """``Type: message`` for a plugin's exception; a ``SystemExit`` says the plugin called ``sys.exit``."""
    if isinstance(exc, SystemExit):
        return f"SystemExit: it called sys.exit({exc.code!r}) {when}"
    return f"{type(exc).__name__}: {exc}"


def _has_impl(plugin: object, hook_name: str) -> bool:
    return callable(getattr(plugin, hook_name, None))


_manager: PluginManager | None = None


def get_plugin_manager() -> PluginManager:
    """The process-wide plugin manager (created on first use)."""
    global _manager
    if _manager is None:
        _manager = PluginManager()
    return _manager


def set_plugin_manager(manager: PluginManager | None) -> PluginManager | None:
    """Replace the process-wide manager; returns the previous one (for tests)."""
    global _manager
    previous, _manager = _manager, manager
    return previous

