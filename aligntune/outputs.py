"""Which paths aligntune may write: the ownership rule for every output it creates.

aligntune replaces a directory only when it wrote that directory itself (it holds
aligntune's run marker, or the manifest of a reward model it trained) and
``overwrite=True`` was given. Whatever the flags, it refuses to write into, or
replace:

* the current working directory, the home directory and the filesystem root;
* a directory that is, or contains, an input of the same run (the base model, the
  policy, the reward model, the training texts, the prompts);
* a non-empty directory it did not write;
* a path where a file stands, or whose parent cannot be created or written.

Every check here is cheap (it reads names and stats) and runs before any model loads.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aligntune import __version__
from aligntune.errors import ConfigurationError, show

#: The file aligntune writes into every directory it creates (RL runs, policies, reward models).
RUN_MARKER = "aligntune-output.json"
#: Reward models trained before the marker existed are recognised by their manifest.
MANIFEST_NAME = "aligntune.json"


def written_by_aligntune(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a directory aligntune wrote (its run marker or a reward-model manifest)."""
    root = Path(path)
    return (root / RUN_MARKER).is_file() or (root / MANIFEST_NAME).is_file()


def write_marker(directory: str | os.PathLike[str], kind: str) -> None:
    """Mark ``directory`` as written by aligntune (``kind``: ``reward_model``, ``rl_run``, ``policy``)."""
    payload = {"written_by": "aligntune", "version": __version__, "kind": kind, "time": time.time()}
    (Path(directory) / RUN_MARKER).write_text(json.dumps(payload) + "\n", encoding="utf-8")


def _resolved(path: str | os.PathLike[str]) -> Path:
    return Path(os.fspath(path)).expanduser().resolve()


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
    ``None`` are skipped): the output may neither be nor contain one of them. ``what``
    names the argument in messages and ``fix`` says how to allow a replacement.
    """
    if output_dir is None or not str(output_dir).strip():
        raise ConfigurationError(f"{what} is required and must be a non-empty path, got {show(output_dir)}")
    path = _resolved(output_dir)
    shown = show(os.fspath(output_dir))
    for place, name in _protected().items():
        if _inside(place, path):
            relation = "is" if place == path else "contains"
            raise ConfigurationError(
                f"{what}={shown} {relation} {name} ({place}); aligntune never writes a model or a run there. "
                "Pass a new subdirectory, e.g. ./outputs/run1"
            )
    for given in inputs:
        if given is None or not os.path.exists(os.path.expanduser(os.fspath(given))):
            continue
        source = _resolved(given)
        if _inside(source, path):
            relation = "is" if source == path else "contains"
            raise ConfigurationError(
                f"{what}={shown} {relation} an input of this run ({source}); writing there would destroy it. "
                "Choose an output directory outside every input"
            )
    if path.exists() and not path.is_dir():
        raise ConfigurationError(f"{what} {shown} exists and is a file; choose a directory path")
    if path.is_dir() and any(path.iterdir()):
        if not overwrite:
            raise ConfigurationError(
                f"{what} {shown} already exists and is not empty; choose another directory, or {fix}"
            )
        if not written_by_aligntune(path):
            raise ConfigurationError(
                f"{what}={shown} is not empty and was not written by aligntune (it has no {RUN_MARKER} or "
                f"{MANIFEST_NAME}), so overwrite=True does not replace it. Choose another directory, or empty it yourself"
            )
    check_writable(path, what=what)
    return path


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
    path = _resolved(output)
    for given in inputs:
        if given is not None and os.path.exists(os.path.expanduser(os.fspath(given))) and _resolved(given) == path:
            raise ConfigurationError(
                f"{what} {show(os.fspath(output))} is also the input; writing it would destroy the input. "
                "Write to another file, then rename it if you want"
            )
    if path.is_dir():
        raise ConfigurationError(f"{what} {show(os.fspath(output))} is a directory; give a file path")
    check_writable(path.parent, what=what)
    return path


def describe_inputs(values: dict[str, Any]) -> list[str]:
    """The local paths among ``values`` (hub names and non-paths are dropped), for :func:`check_output_dir`."""
    out = []
    for value in values.values():
        if isinstance(value, (str, os.PathLike)) and os.path.exists(os.path.expanduser(os.fspath(value))):
            out.append(os.fspath(value))
    return out
