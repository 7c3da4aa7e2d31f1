"""The ``serve`` extra's libraries, imported on demand with an install hint when missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from aligntune.errors import BackendUnavailableError


def need(module: str, purpose: str) -> ModuleType:
    """Import ``module`` (uvicorn, starlette, httpx) for ``purpose``, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise BackendUnavailableError(
            f"{purpose} needs the {module} package, which is not installed ({exc}); install the serve extra: "
            "pip install 'aligntune[serve]'"
        ) from None
