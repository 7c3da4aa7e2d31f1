"""The exceptions aligntune raises.

Every error derives from :class:`AlignTuneError`. Configuration errors are also
``ValueError`` so that code written against plain Python conventions still works.
Messages follow one shape: what was wrong, the offending value, and the fix; the value
is always shown through :func:`show`, so a message stays a few hundred characters
whatever the user passed.
"""

from __future__ import annotations

import reprlib
from typing import Any

#: The most characters of a value's ``repr`` an error message shows.
SHOW_LIMIT = 200


def brief(exc: BaseException) -> str:
    """``"Type: message"`` of an exception for another error's message: the first line, at most 300 characters
    (a library's message can quote whole rows or templates)."""
    text = str(exc).strip().split("\n", 1)[0] or type(exc).__name__
    return f"{type(exc).__name__}: {text if len(text) <= 300 else text[:300] + '...'}"


def show(value: Any, limit: int = SHOW_LIMIT) -> str:
    """A bounded ``repr`` for error messages: the type, the size, and at most ``limit`` characters.

    Bounded in time and memory too: nested or self-referencing values (a YAML file of
    nested aliases expands to billions of items) are summarised level by level
    (:mod:`reprlib`), never printed whole.

    >>> len(show("x" * 100_000)) < 300
    True
    """
    try:
        text = _REPR.repr(value)
    except Exception as exc:  # a hostile __repr__ must not replace the real error
        return f"<{type(value).__name__} whose repr raised {type(exc).__name__}>"
    cut = len(text) > limit
    if cut:
        text = f"{text[:limit]}..."
    long_container = isinstance(value, (list, tuple, dict, set, frozenset)) and len(value) > 8
    long_string = isinstance(value, (str, bytes)) and len(value) > limit
    if cut or long_container or long_string:
        size = f" of length {len(value)}" if hasattr(value, "__len__") else ""
        text += f" ({type(value).__name__}{size})"
    return text


def _bounded_repr() -> reprlib.Repr:
    r = reprlib.Repr()
    r.maxlevel, r.maxlist, r.maxtuple, r.maxdict, r.maxset = 3, 8, 8, 8, 8
    r.maxstring, r.maxother, r.maxlong = SHOW_LIMIT, SHOW_LIMIT, 60
    return r


_REPR = _bounded_repr()


def is_stop(exc: BaseException) -> bool:
    """Whether ``exc`` stops the process rather than reports a failure of the code that raised it.

    Ctrl-C (``KeyboardInterrupt``), ``GeneratorExit`` and aligntune's own ``BaseException``
    stops (the CLI's SIGTERM stop) are stops. Anything else third-party code raises, a
    ``SystemExit`` or a plugin's own ``BaseException`` subclass included, is that code's
    failure, reported as such.
    """
    if isinstance(exc, (KeyboardInterrupt, GeneratorExit)):
        return True
    return not isinstance(exc, Exception) and type(exc).__module__.split(".")[0] == "aligntune"


class AlignTuneError(Exception):
    """Root of every error raised by aligntune."""


class ConfigurationError(AlignTuneError, ValueError):
    """An argument or configuration value is invalid."""


class PluginError(AlignTuneError):
    """A plugin could not be loaded or registered something invalid."""


class DuplicateRegistrationError(PluginError):
    """Two plugins registered the same name."""


class RewardFunctionError(AlignTuneError):
    """A reward function is unknown, misbehaved, or returned invalid scores."""


class UnknownRewardFunctionError(RewardFunctionError, ConfigurationError):
    """A reward function name is not registered."""


class RewardSourceError(AlignTuneError):
    """A reward-model source could not provide a usable reward model."""


class RemoteRewardError(RewardSourceError):
    """A reward server refused a request, or gave no usable answer within the retries."""


class ModelLoadError(AlignTuneError):
    """A model or tokenizer could not be loaded."""


class DataError(AlignTuneError, ValueError):
    """Input data (texts, files, datasets) is missing, malformed or unreadable."""


class BackendError(AlignTuneError):
    """An RL backend is unknown or failed."""


class BackendUnavailableError(BackendError):
    """An RL backend is installed but cannot run on this machine."""
