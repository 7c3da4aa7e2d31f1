"""The environment variables of the plugin core, parsed and checked in one place.

``ALIGNTUNE_DISABLE_PLUGINS``
    Comma-separated plugin names not to load: entry-point names (the left side of a
    plugin's ``[project.entry-points.aligntune]`` line, as ``aligntune plugins`` lists
    them) or a built-in's module name (``aligntune.rl.builtin_sources``). ``all`` (any
    case) or ``*`` blocks every external plugin; the core's built-ins stay unless named.
    A name that is neither installed nor built in is an error that lists the names that
    can be blocked: a typo must not leave the plugin it meant to block running.
``ALIGNTUNE_TRACE_HOOKS``
    ``1``, ``true``, ``yes`` or ``on`` (any case) logs every hook call; ``0``, ``false``,
    ``no``, ``off`` or empty leaves tracing off. Any other value is an error.

>>> parse_flag("TRACE", "Off"), parse_flag("TRACE", "1")
(False, True)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from aligntune._validation import did_you_mean
from aligntune.errors import ConfigurationError, show

DISABLE_ENV = "ALIGNTUNE_DISABLE_PLUGINS"
TRACE_ENV = "ALIGNTUNE_TRACE_HOOKS"

#: Values of ALIGNTUNE_DISABLE_PLUGINS that block every external plugin (compared lower-cased).
BLOCK_ALL = frozenset({"all", "*"})
TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})


@dataclass(frozen=True)
class Blocked:
    """What ALIGNTUNE_DISABLE_PLUGINS asks for: named plugins, and whether every external one."""

    names: frozenset[str] = frozenset()
    every_external: bool = False
    #: The variable's value as it was read (for messages).
    raw: str = ""


def blocked_plugins() -> Blocked:
    """ALIGNTUNE_DISABLE_PLUGINS, parsed."""
    raw = os.environ.get(DISABLE_ENV, "")
    parts = {part.strip() for part in raw.split(",") if part.strip()}
    every = {p for p in parts if p.lower() in BLOCK_ALL}
    return Blocked(names=frozenset(parts - every), every_external=bool(every), raw=raw)


def check_blocked_names(blocked: Blocked, known: Iterable[str]) -> None:
    """Refuse a blocked name that is not a known plugin, listing the names that can be blocked."""
    known = sorted(set(known))
    unknown = sorted(blocked.names - set(known))
    if not unknown:
        return
    hint = did_you_mean(unknown[0], known)
    raise ConfigurationError(
        f"{DISABLE_ENV}={show(blocked.raw)} names {', '.join(map(show, unknown))}, which "
        f"{'is' if len(unknown) == 1 else 'are'} not an installed or built-in plugin, so nothing would be "
        f"blocked.{hint} Plugins that can be blocked: {', '.join(known) or 'none'} ('all' or '*' blocks every "
        f"external plugin). Fix the name, or remove it from {DISABLE_ENV}"
    )


def parse_flag(name: str, raw: str | None) -> bool:
    """An on/off environment value: 1/true/yes/on or 0/false/no/off/empty (any case)."""
    value = (raw or "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigurationError(
        f"{name} must be 1, true, yes or on (to turn it on) or 0, false, no or off, got {show(raw)}; "
        f"e.g. {name}=1, or unset it"
    )


def trace_enabled() -> bool:
    """Whether ALIGNTUNE_TRACE_HOOKS turns hook tracing on."""
    return parse_flag(TRACE_ENV, os.environ.get(TRACE_ENV))
