"""Look up what plugins registered, by kind and name: the one lookup layer.

Reward functions, reward-model sources and RL backends are all found here, and an
unknown name always gets the same kind of message: the closest registered name, what
is available, the command that installs a known but missing plugin, and every plugin
that failed to import (its exception is often the real reason a name is missing).

>>> lookup("rl_backends", "trl").obj          # doctest: +SKIP
<aligntune_backend_trl.backend.TRLBackend object at ...>
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aligntune._validation import did_you_mean
from aligntune.errors import BackendError, ConfigurationError, UnknownRewardFunctionError, show
from aligntune.plugins.environment import DISABLE_ENV
from aligntune.plugins.manager import KINDS, PluginManager, Registration, get_plugin_manager


@dataclass(frozen=True)
class Kind:
    """How one kind of registration is named in messages, and what installs it."""

    label: str
    error: type[Exception]
    available: str = "Available"
    #: Names aligntune knows of, with the command that installs the plugin providing each.
    install: dict[str, str] = field(default_factory=dict)
    #: Said when nothing of this kind is installed at all.
    none_installed: str | None = None


REWARDS_INSTALL = "pip install 'aligntune[rewards]'"

#: Backends aligntune knows about, with the command that installs each.
KNOWN_BACKENDS: dict[str, str] = {
    "trl": "pip install 'aligntune[trl]'  (distribution aligntune-backend-trl)",
    "unsloth": "pip install 'aligntune[unsloth]'  (distribution aligntune-backend-unsloth; needs a CUDA GPU)",
}

KIND_INFO: dict[str, Kind] = {
    "reward_functions": Kind(
        label="reward function",
        error=UnknownRewardFunctionError,
        none_installed=f"no reward functions are installed. Install the basic rewards with: {REWARDS_INSTALL}.",
    ),
    "reward_model_sources": Kind(label="reward-model source", error=ConfigurationError),
    "rl_backends": Kind(
        label="RL backend", error=BackendError, available="Installed backends", install=KNOWN_BACKENDS
    ),
}
assert set(KIND_INFO) == set(KINDS)


def failed_plugins_note(pm: PluginManager) -> str:
    """`` Plugin 'x' (dist) failed to load: Error: ...`` for every plugin that failed to import."""
    return "".join(f" Plugin {show(f.name)} ({f.distribution}) failed to load: {f.error}." for f in pm.failures())


def blocked_plugins_note(pm: PluginManager) -> str:
    """`` Not loaded: blocked by ALIGNTUNE_DISABLE_PLUGINS=...: a, b. ...`` when the variable kept plugins out."""
    blocked = pm.blocked()
    if not blocked:
        return ""
    return (f" Not loaded: blocked by {DISABLE_ENV}={show(pm.blocked_setting)}: {', '.join(blocked)}; "
            f"remove them from {DISABLE_ENV} to use them.")


def unknown_message(kind: str, name: str, table: dict[str, Registration], pm: PluginManager, *, lead: str | None = None) -> str:
    """The message for a ``name`` that is not in ``table`` (the registrations of ``kind``).

    ``lead`` replaces the opening ``Unknown <label> 'name'.`` (a config names its field there).
    """
    info = KIND_INFO[kind]
    lead = lead or f"Unknown {info.label} {show(name)}."
    failed = failed_plugins_note(pm) + blocked_plugins_note(pm)
    nothing = "none loaded" if pm.blocked() else "none installed"
    if name in info.install:
        listed = ", ".join(sorted(table)) or nothing
        return (
            f"{info.label[0].upper()}{info.label[1:]} {show(name)} is not installed. Install it with: "
            f"{info.install[name]}. {info.available}: {listed}.{failed}"
        )
    if not table and info.none_installed and not pm.blocked():
        return f"{lead[:-1]}: {info.none_installed}{failed}"
    listed = ", ".join(sorted(table)) or nothing
    known = f" Known: {', '.join(sorted(info.install))}." if info.install else ""
    hint = did_you_mean(name, set(table) | set(info.install))
    return f"{lead}{hint} {info.available}: {listed}.{known}{failed}"


def lookup(kind: str, name: str, *, plugin_manager: PluginManager | None = None, lead: str | None = None) -> Registration:
    """The registration of ``name`` for ``kind`` (one of :data:`aligntune.plugins.KINDS`).

    Raises the kind's error (:class:`UnknownRewardFunctionError`,
    :class:`ConfigurationError` for sources, :class:`BackendError` for backends) with
    :func:`unknown_message` when ``name`` is not registered.
    """
    pm = plugin_manager or get_plugin_manager()
    info = KIND_INFO[kind]
    if not isinstance(name, str):
        raise info.error(f"{info.label[0].upper()}{info.label[1:]} names must be strings, got {type(name).__name__}: {show(name)}")
    table = pm.registrations(kind)
    if name in table:
        return table[name]
    raise info.error(unknown_message(kind, name, table, pm, lead=lead))


def names(kind: str, *, plugin_manager: PluginManager | None = None) -> list[str]:
    """Every registered name of ``kind``, sorted."""
    return sorted((plugin_manager or get_plugin_manager()).registrations(kind))
