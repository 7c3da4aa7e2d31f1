"""Installed versions of distributions, read from their metadata without importing them."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import metadata


def installed_version(name: str) -> str | None:
    """The installed version of distribution ``name`` (``None``: not installed)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def installed_versions(names: Iterable[str]) -> dict[str, str | None]:
    """:func:`installed_version` of each name, in order."""
    return {name: installed_version(name) for name in names}
