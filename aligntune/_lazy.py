"""Names a module re-exports and loads on first use (PEP 562), so importing it stays light."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(module: str, names: Mapping[str, str], namespace: dict[str, Any]
                    ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``module``: each of ``names`` (name -> the module defining it) is
    imported on first use and cached in ``namespace`` (the module's ``globals()``)."""

    def __getattr__(name: str) -> Any:
        try:
            source = names[name]
        except KeyError:
            raise AttributeError(f"module {module!r} has no attribute {name!r}") from None
        namespace[name] = value = getattr(importlib.import_module(source), name)
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__
