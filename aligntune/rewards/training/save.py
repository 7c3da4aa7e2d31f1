"""Atomic output directories: write into a temporary sibling, rename when complete.

:func:`check_output_dir` runs before any work: an existing non-empty directory is
an error unless ``overwrite=True``. :func:`staged_output` yields a hidden staging
directory beside ``output_dir`` (same filesystem, so the final rename is atomic).
If anything fails, including Ctrl-C, the staging directory is removed and
``output_dir`` is left as it was. With ``overwrite=True`` the old directory is moved
aside, replaced, and only then deleted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from aligntune.errors import ConfigurationError

logger = logging.getLogger(__name__)


def check_output_dir(output_dir: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Validate ``output_dir`` before any work; return it as an absolute path."""
    if output_dir is None or not str(output_dir).strip():
        raise ConfigurationError(f"output_dir is required and must be a non-empty path, got {output_dir!r}")
    path = Path(output_dir).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise ConfigurationError(f"output_dir {str(output_dir)!r} exists and is a file; choose a directory path")
    if path.is_dir() and any(path.iterdir()) and not overwrite:
        raise ConfigurationError(
            f"output_dir {str(output_dir)!r} already exists and is not empty; choose another directory, "
            "or pass overwrite=True to replace it"
        )
    return path


@contextlib.contextmanager
def staged_output(output_dir: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a staging directory that becomes ``output_dir`` when the block succeeds."""
    final = check_output_dir(output_dir, overwrite=overwrite)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    try:
        yield staging
        _replace(staging, final, overwrite=overwrite)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _replace(staging: Path, final: Path, *, overwrite: bool) -> None:
    check_output_dir(final, overwrite=overwrite)  # it may have been filled meanwhile
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        os.rename(final, old / final.name)
    try:
        os.rename(staging, final)
    except BaseException:
        if old is not None:
            os.rename(old / final.name, final)
            shutil.rmtree(old, ignore_errors=True)
        raise
    os.chmod(final, 0o755 & ~_umask())
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    logger.info("Wrote %s", final)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
