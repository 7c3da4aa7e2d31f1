"""aligntune: turn rule-based rewards into reward models and run PPO with them.

Importing this package is light: it does not import torch or transformers. Heavy
modules load only when a model is trained or loaded.
"""

from aligntune.errors import AlignTuneError
from aligntune.hookspecs import hookimpl

__version__ = "0.1.0"

__all__ = ["AlignTuneError", "__version__", "hookimpl"]
