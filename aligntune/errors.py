"""The exceptions aligntune raises.

Every error derives from :class:`AlignTuneError`. Configuration errors are also
``ValueError`` so that code written against plain Python conventions still works.
Messages follow one shape: what was wrong, the offending value, and the fix.
"""

from __future__ import annotations


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


class ModelLoadError(AlignTuneError):
    """A model or tokenizer could not be loaded."""


class DataError(AlignTuneError, ValueError):
    """Input data (texts, files, datasets) is missing, malformed or unreadable."""


class BackendError(AlignTuneError):
    """An RL backend is unknown or failed."""


class BackendUnavailableError(BackendError):
    """An RL backend is installed but cannot run on this machine."""
