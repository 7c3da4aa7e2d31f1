"""Atomic outputs: write into a temporary sibling, rename when complete.

:func:`check_output_dir` runs before any work: an existing non-empty directory is
an error unless ``overwrite=True``. :func:`staged_output` yields a hidden staging
directory beside ``output_dir`` (same filesystem, so the final rename is atomic).
If anything fails, including Ctrl-C, the staging directory is removed and
``output_dir`` is left as it was. With ``overwrite=True`` the new directory and the
old one are swapped in one atomic step (Linux ``renameat2`` with
``RENAME_EXCHANGE``; elsewhere the old one is moved aside first), and the old one is
deleted last, so ``output_dir`` always holds a complete model. A run killed outright
(SIGKILL) cannot clean up after itself: its hidden ``.NAME.tmp-PID-*`` sibling is
removed by the next run into the same ``output_dir``.

:func:`fresh_run_directory` starts a run in a directory that holds an earlier run: the
old directory is swapped for an empty one holding only the new run's marker, in the same
atomic step, so the new run's files never sit beside the old run's, even after a
``kill -9``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fnmatch
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from aligntune.errors import ConfigurationError, show
from aligntune.outputs import RUN_MARKER, check_output_dir, process_alive, write_marker

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def staged_output(
    output_dir: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    kind: str,
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    what: str = "output_dir",
    run_id: str | None = None,
) -> Iterator[Path]:
    """Yield a staging directory that becomes ``output_dir`` when the block succeeds.

    ``output_dir`` must pass :func:`aligntune.outputs.check_output_dir` (with ``overwrite``
    and ``inputs``); the staging directory gets aligntune's run marker (``kind``, ``run_id``;
    finished, since the directory only appears complete), so the result can be replaced by
    a later ``overwrite=True`` and nothing else can.
    """
    final = check_output_dir(output_dir, overwrite=overwrite, inputs=inputs, what=what)
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(final)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-{os.getpid()}-", dir=final.parent))
    try:
        write_marker(staging, kind, run_id=run_id, finished=True)
        yield staging
        _replace(staging, final, overwrite=overwrite, inputs=inputs, what=what)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def fresh_run_directory(output_dir: str | os.PathLike[str], *, kind: str, run_id: str | None = None,
                        own: Iterable[str] = ()) -> str:
    """Make ``output_dir`` an empty directory holding only a new run marker; return the run id.

    Call it after :func:`aligntune.outputs.check_output_dir` allowed the directory. An
    existing one (an earlier run's, replaced on ``overwrite``) is swapped for the fresh one
    in one atomic step and deleted after, so its completions, metrics, reports and policy
    never sit beside the new run's files. ``own``: name patterns (``fnmatch``) of what a run
    writes there; anything else in the earlier run's directory (a file someone put there)
    is refused with its name, and nothing is deleted.
    """
    final = Path(os.fspath(output_dir)).expanduser()
    patterns = (RUN_MARKER, ".*.tmp-*", ".*.old-*", *own)
    foreign = sorted(p.name for p in final.iterdir() if not any(fnmatch.fnmatch(p.name, pat) for pat in patterns)) \
        if own and final.is_dir() else []
    if foreign:
        raise ConfigurationError(
            f"output_dir {show(str(final))} holds {', '.join(map(show, foreign[:5]))}, which no aligntune run writes; "
            "overwrite replaces the whole run directory, so move them out first (or choose another output_dir)"
        )
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(final)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-{os.getpid()}-", dir=final.parent))
    try:
        run_id = write_marker(staging, kind, run_id=run_id)
        os.chmod(staging, 0o755 & ~_umask())
        if final.is_dir() and any(final.iterdir()):
            logger.info("Clearing the earlier run in %s before this run writes there", final)
            _swap_in(staging, final)
        else:
            if final.is_dir():
                final.rmdir()
            os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return run_id


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str], *, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Yield a handle to a temporary file beside ``path``; it replaces ``path`` when the block succeeds.

    On any error (Ctrl-C included) the temporary file is removed and ``path`` keeps its
    previous contents.
    """
    target = Path(os.fspath(path)).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.tmp-{os.getpid()}-", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding if "b" not in mode else None) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def remove_stale_staging(final: Path) -> None:
    """Delete ``.NAME.tmp-PID-*`` siblings left by killed runs (their process is gone)."""
    for path in final.parent.glob(f".{final.name}.tmp-*"):
        pid = path.name[len(f".{final.name}.tmp-") :].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            logger.info("Removing %s, left by a run that was killed", path)
            shutil.rmtree(path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2(RENAME_EXCHANGE)``); ``False`` where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the filesystem cannot exchange
    raise OSError(err, os.strerror(err), str(b))


def _replace(staging: Path, final: Path, *, overwrite: bool, inputs: Iterable[Any], what: str) -> None:
    check_output_dir(final, overwrite=overwrite, inputs=inputs, what=what)  # it may have been filled meanwhile
    os.chmod(staging, 0o755 & ~_umask())
    if final.exists() and any(final.iterdir()):
        _swap_in(staging, final)
    else:
        os.rename(staging, final)
    logger.info("Wrote %s", final)


def _swap_in(staging: Path, final: Path) -> None:
    """Put ``staging`` where the non-empty ``final`` is; the old one is deleted last."""
    # Swap new and old in one step, so output_dir always holds a complete directory;
    # the old one is then in the staging path, deleted last.
    if _exchange(staging, final):
        shutil.rmtree(staging, ignore_errors=True)
        return
    # Elsewhere: move the old one aside, then the new one in (a kill between the two
    # renames leaves the old one in a hidden .NAME.old-* sibling).
    old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
    os.rename(final, old / final.name)
    try:
        os.rename(staging, final)
    except BaseException:
        os.rename(old / final.name, final)
        shutil.rmtree(old, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
