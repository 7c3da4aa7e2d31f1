"""Which paths aligntune may write: the ownership rule for every output it creates.

aligntune replaces a directory only when it wrote that directory itself (it holds
aligntune's run marker, or the manifest of a reward model it trained) and
``overwrite=True`` was given. Whatever the flags, it refuses to write into, or
replace:

* the current working directory, the home directory and the filesystem root;
* a directory that is, or contains, an input of the same run: the base model, the
  policy, the reward model, the training texts, the prompts, the held-out prompts, a
  checkpoint to resume from, and the files an entry point read into memory before the
  run started (a command's ``--config`` YAML and ``--texts`` file, declared with
  :func:`run_inputs`);
* a non-empty directory it did not write;
* a path where a file stands, or whose parent cannot be created or written.

A run's marker (:data:`RUN_MARKER`) records the run id, the process and whether the run
finished. An RL run marks its directory when it starts, so an unfinished one is told apart:
a directory that holds nothing but the marker of a run whose process is gone (a run that
failed before writing anything) is reused without ``overwrite``; one that holds more of
such a run is refused with a message saying that it never finished; and ``overwrite``
never replaces a run whose process, on this machine, is still alive.

Every check here is cheap (it reads names and stats) and runs before any model loads.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from aligntune import __version__
from aligntune.errors import ConfigurationError, show

logger = logging.getLogger(__name__)

#: The file aligntune writes into every directory it creates (RL runs, policies, reward models).
RUN_MARKER = "aligntune-output.json"
#: Reward models trained before the marker existed are recognised by their manifest.
MANIFEST_NAME = "aligntune.json"

_RUN_INPUTS: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("aligntune_run_inputs", default=())


@contextlib.contextmanager
def run_inputs(*paths: str | os.PathLike[str] | None) -> Iterator[None]:
    """Declare files a run reads that reach it as values, not paths (a CLI's ``--config`` and ``--texts``).

    Every :func:`check_output_dir` inside the block treats them as inputs of the run, as
    it treats the paths it is given, so no output of the run may be or contain them.
    Blocks nest; ``None`` is skipped.
    """
    given = tuple(os.fspath(p) for p in paths if p is not None)
    token = _RUN_INPUTS.set(_RUN_INPUTS.get() + given)
    try:
        yield
    finally:
        _RUN_INPUTS.reset(token)


def written_by_aligntune(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a directory aligntune wrote (its run marker or a reward-model manifest)."""
    root = Path(path)
    return (root / RUN_MARKER).is_file() or (root / MANIFEST_NAME).is_file()


def new_run_id() -> str:
    """A run id: the start time (UTC) and a random suffix, e.g. ``20261206T051500-3f9c1a2b``."""
    return f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:8]}"


def write_marker(directory: str | os.PathLike[str], kind: str, *, run_id: str | None = None,
                 finished: bool = False) -> str:
    """Mark ``directory`` as written by aligntune (``kind``: ``reward_model``, ``rl_run``, ``policy``).

    The marker records the run id (a new one unless given; returned), this process and
    whether the run ``finished``. Written atomically.
    """
    run_id = run_id or new_run_id()
    payload = {"written_by": "aligntune", "version": __version__, "kind": kind, "run_id": run_id,
               "time": time.time(), "pid": os.getpid(), "host": socket.gethostname(), "finished": finished}
    target = Path(directory) / RUN_MARKER
    tmp = target.with_name(f".{RUN_MARKER}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(payload) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    return run_id


def read_marker(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """The run marker of ``directory`` (``{}`` when it has none or it cannot be read)."""
    try:
        data = json.loads((Path(directory) / RUN_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def run_id_of(directory: str | os.PathLike[str]) -> str | None:
    """The run id in ``directory``'s marker, for the files a run writes beside it."""
    value = read_marker(directory).get("run_id")
    return value if isinstance(value, str) else None


def mark_finished(directory: str | os.PathLike[str]) -> None:
    """Record in ``directory``'s marker that its run finished (same run id)."""
    marker = read_marker(directory)
    if marker:
        write_marker(directory, str(marker.get("kind", "rl_run")), run_id=marker.get("run_id"), finished=True)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` of this host may still run (``True`` unless it is known to be gone)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _writer_gone(marker: dict[str, Any]) -> bool:
    """Whether the process that wrote ``marker`` is gone (only knowable on the same host)."""
    pid = marker.get("pid")
    if marker.get("host") != socket.gethostname() or not isinstance(pid, int) or pid <= 0:
        return False
    return not process_alive(pid)


def _started_unfinished(marker: dict[str, Any]) -> bool:
    """A run directory marked when its run started and not finished since (other outputs only appear whole)."""
    return marker.get("kind") == "rl_run" and marker.get("finished") is False


def _still_running_elsewhere(marker: dict[str, Any]) -> bool:
    """An unfinished run whose process, another one on this host, is alive."""
    pid = marker.get("pid")
    return (_started_unfinished(marker) and marker.get("host") == socket.gethostname() and isinstance(pid, int)
            and pid != os.getpid() and not _writer_gone(marker))


def _unfinished(path: Path) -> dict[str, Any] | None:
    """The marker of a run that started in ``path`` and never finished (its process gone), else ``None``."""
    marker = read_marker(path)
    if _started_unfinished(marker) and _writer_gone(marker):
        return marker
    return None


def resolve_path(path: str | os.PathLike[str], *, what: str) -> Path:
    """``path`` made absolute with its symbolic links resolved; a link loop is a :class:`ConfigurationError`."""
    try:
        return Path(os.fspath(path)).expanduser().resolve()
    except (RuntimeError, OSError) as exc:  # Python < 3.13 raises RuntimeError on a loop, later ones OSError
        if isinstance(exc, OSError) and exc.errno != errno.ELOOP:
            raise
        raise ConfigurationError(
            f"{what}={show(os.fspath(path))} is a loop of symbolic links (it never reaches a file or directory); "
            "fix or remove the link and pass the real path"
        ) from None


def _resolved(path: str | os.PathLike[str], what: str = "path") -> Path:
    return resolve_path(path, what=what)


def _exists(path: str | os.PathLike[str]) -> bool:
    return os.path.exists(os.path.expanduser(os.fspath(path)))


def _protected() -> dict[Path, str]:
    places = {Path.cwd().resolve(): "the current working directory", Path("/").resolve(): "the filesystem root"}
    home = Path.home().resolve()
    places.setdefault(home, "your home directory")
    return places


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_output_dir(
    output_dir: str | os.PathLike[str] | None,
    *,
    overwrite: bool = False,
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    what: str = "output_dir",
    fix: str = "pass overwrite=True to replace it",
) -> Path:
    """Refuse an output directory that may not be written; return it as an absolute path.

    ``inputs`` are the paths the same run reads (files or directories; hub names and
    ``None`` are skipped), joined by those declared with :func:`run_inputs`: the output
    may neither be nor contain one of them. ``what`` names the argument in messages and
    ``fix`` says how to allow a replacement.
    """
    if output_dir is None or not str(output_dir).strip():
        raise ConfigurationError(f"{what} is required and must be a non-empty path, got {show(output_dir)}")
    path = _resolved(output_dir, what)
    shown = show(os.fspath(output_dir))
    for place, name in _protected().items():
        if _inside(place, path):
            relation = "is" if place == path else "contains"
            raise ConfigurationError(
                f"{what}={shown} {relation} {name} ({place}); aligntune never writes a model or a run there. "
                "Pass a new subdirectory, e.g. ./outputs/run1"
            )
    for given in (*inputs, *_RUN_INPUTS.get()):
        if given is None or not _exists(given):
            continue
        source = _resolved(given, "input")
        if _inside(source, path):
            relation = "is" if source == path else "contains"
            raise ConfigurationError(
                f"{what}={shown} {relation} an input of this run ({source}); writing there would destroy it. "
                "Choose an output directory outside every input"
            )
    if path.exists() and not path.is_dir():
        raise ConfigurationError(f"{what} {shown} exists and is a file; choose a directory path")
    if path.is_dir() and any(path.iterdir()):
        unfinished = _unfinished(path)
        contents = sorted(p.name for p in path.iterdir())
        if unfinished is not None and contents == [RUN_MARKER]:
            logger.info("Reusing %s: it holds only the marker of run %s, which failed before writing anything",
                        path, unfinished.get("run_id"))
        elif not overwrite:
            if unfinished is not None:
                raise ConfigurationError(
                    f"{what} {shown} holds run {unfinished.get('run_id')} that never finished (its process is "
                    f"gone; it left {', '.join(contents[:8])}); {fix}, or choose another directory"
                )
            marker = read_marker(path)
            if _started_unfinished(marker) and marker.get("pid") == os.getpid():
                raise ConfigurationError(
                    f"{what} {shown} already exists and is not empty: it holds run {marker.get('run_id')}, started "
                    f"earlier in this process and not finished (still running, or failed); if it failed, {fix}, "
                    "or choose another directory"
                )
            raise ConfigurationError(
                f"{what} {shown} already exists and is not empty; choose another directory, or {fix}"
            )
        elif not written_by_aligntune(path):
            raise ConfigurationError(
                f"{what}={shown} is not empty and was not written by aligntune (it has no {RUN_MARKER} or "
                f"{MANIFEST_NAME}), so overwrite=True does not replace it. Choose another directory, or empty it yourself"
            )
        elif _still_running_elsewhere(read_marker(path)):
            marker = read_marker(path)
            raise ConfigurationError(
                f"{what} {shown} holds run {marker.get('run_id')}, which process {marker.get('pid')} on this machine "
                "is still running; overwrite=True does not replace a running run. Wait for it or stop it, or choose "
                "another directory"
            )
    check_writable(path, what=what)
    return path


def check_nested_output(child: str | os.PathLike[str] | None, parent: str | os.PathLike[str], *, child_what: str,
                        parent_what: str, reserved: dict[str, str | os.PathLike[str]] | None = None) -> None:
    """Check how a second output of a run (``child``) relates to its main one (``parent``), before any work.

    The child may be inside the parent (the run owns what it writes there, as an RL run owns
    the reward model it trains), but it may never be the parent nor contain it: writing one
    would replace the other. ``reserved``: paths inside the parent the run writes itself
    (``{"policy": ...}``), which the child may neither be, hold nor sit in.
    """
    if child is None:
        return
    c, p = _resolved(child, child_what), _resolved(parent, parent_what)
    shown = show(os.fspath(child))
    if c == p:
        raise ConfigurationError(f"{child_what}={shown} is {parent_what}; give each its own directory")
    if _inside(p, c):
        raise ConfigurationError(
            f"{child_what}={shown} contains {parent_what} ({p}); writing one would replace the other. "
            f"Give {child_what} a directory beside {parent_what}, not above it"
        )
    for name, place in (reserved or {}).items():
        taken = _resolved(place, name)
        if _inside(c, taken) or _inside(taken, c):
            raise ConfigurationError(
                f"{child_what}={shown} is where the {name} is saved ({place}); give {child_what} another directory"
            )


def check_writable(path: Path, *, what: str) -> None:
    """The nearest existing ancestor of ``path`` must be a directory this process can write into."""
    ancestor = path if path.exists() else path.parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise ConfigurationError(f"{what}={show(str(path))}: {ancestor} is a file, so the directory cannot be created")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise ConfigurationError(
            f"{what}={show(str(path))}: {ancestor} is not writable by this user; choose a writable location"
        )


def check_output_file(
    output: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str] | None] = (), what: str = "--output"
) -> Path:
    """An output file must not be an input of the same command, a directory, or unwritable."""
    path = _resolved(output, what)
    for given in (*inputs, *_RUN_INPUTS.get()):
        if given is not None and _exists(given) and _resolved(given, "input") == path:
            raise ConfigurationError(
                f"{what} {show(os.fspath(output))} is also the input; writing it would destroy the input. "
                "Write to another file, then rename it if you want"
            )
    if path.is_dir():
        raise ConfigurationError(f"{what} {show(os.fspath(output))} is a directory; give a file path")
    check_writable(path.parent, what=what)
    return path
