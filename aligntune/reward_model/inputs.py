"""Training texts from anywhere: a list, a ``Dataset``, an ``IterableDataset`` or a file path.

:func:`open_texts` turns the three non-list forms into a ``datasets.Dataset`` with a
``text`` column (plus ``prompt``/``reference`` when the source has them), without
holding the corpus in memory:

* a JSONL/JSON-lines or CSV file is read row by row, a Parquet file batch by batch
  (:func:`aligntune.textio.iter_records`), and the rows are written to an Arrow file in a fresh
  temporary cache directory, which the returned dataset memory-maps;
* a directory written by ``Dataset.save_to_disk`` is memory-mapped as it is (a
  ``DatasetDict`` directory must hold a ``train`` split);
* an ``IterableDataset`` (for example ``load_dataset(..., streaming=True)``) is consumed
  once, row by row, into the same kind of Arrow file.

A list or a ``Dataset`` is returned unchanged. Errors (a missing file, an unsupported
type, a row without a ``text`` string) are :class:`aligntune.errors.DataError` and name
the file and row.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aligntune._validation import show, utf8_text
from aligntune.errors import AlignTuneError, DataError
from aligntune.textio import iter_records, load_saved_dataset

#: Columns carried over from a source; any others are dropped.
KEPT_COLUMNS = ("text", "prompt", "reference")
FILE_TYPES = (".jsonl", ".json", ".csv", ".parquet")


def open_texts(texts: Any) -> Any:
    """A ``datasets.Dataset`` for a path or an ``IterableDataset``; anything else unchanged."""
    if isinstance(texts, os.PathLike) or (isinstance(texts, str) and _looks_like_path(texts)):
        return _from_path(Path(os.fspath(texts)).expanduser())
    try:
        from datasets import IterableDataset
    except ImportError:  # pragma: no cover - datasets is a dependency
        return texts
    if isinstance(texts, IterableDataset):
        return _materialise("stream", texts, origin="the IterableDataset")
    return texts


def _looks_like_path(value: str) -> bool:
    """A single string is a path when it names an existing file/directory or ends with a data suffix."""
    return "\n" not in value and (os.path.exists(os.path.expanduser(value)) or value.lower().endswith(FILE_TYPES))


def _from_path(path: Path) -> Any:
    if path.is_dir():
        return _from_saved_dataset(path)
    if not path.is_file():
        raise DataError(
            f"Training texts file {show(str(path))} does not exist; pass a list of texts, a datasets.Dataset, "
            f"or an existing {'/'.join(FILE_TYPES)} file or saved dataset directory"
        )
    suffix = path.suffix.lower()
    if suffix not in FILE_TYPES:
        raise DataError(f"Training texts file {show(str(path))} has unsupported type {show(suffix)}; use one of {', '.join(FILE_TYPES)}")
    if next(iter_records(path), None) is None:  # reads the first row only
        raise DataError(
            f"Training texts file {show(str(path))} has no rows (it is empty, or holds only blank lines or a "
            "header); a reward model needs at least 10 training texts"
        )
    return _materialise("records", str(path), origin=str(path))


def _from_saved_dataset(path: Path) -> Any:
    return load_saved_dataset(path)


def _record_rows(path: Path) -> Iterator[dict[str, Any]]:
    for i, row in enumerate(iter_records(path)):
        yield _kept(row, f"{path}: row {i}")


def _kept(row: Any, where: str) -> dict[str, Any]:
    """The kept columns of one row; a string with a lone surrogate is refused here, before Arrow."""
    kept = {k: row[k] for k in KEPT_COLUMNS if k in row}
    for name, value in kept.items():
        utf8_text(f"{where} {show(name)}", value)
    return kept


def _iterable_rows(stream: Any) -> Iterator[dict[str, Any]]:
    for i, row in enumerate(stream):
        if "text" not in row:
            raise DataError(
                f"Row {i} of the IterableDataset has no 'text' field (fields: {show(sorted(map(str, row)))}); "
                "rename the column with .rename_column(old, 'text')"
            )
        if not isinstance(row["text"], str):
            raise DataError(f"Row {i} of the IterableDataset has 'text' {show(row['text'])}; every text must be a string")
        yield _kept(row, f"Row {i} of the IterableDataset:")


def _generate(kind: str, source: Any) -> Iterator[dict[str, Any]]:
    if kind == "stream":
        yield from _iterable_rows(source)
    else:
        yield from _record_rows(Path(source))


def _materialise(kind: str, source: Any, *, origin: str) -> Any:
    """Write the rows of ``source`` to an Arrow file in a fresh temporary cache directory; return the Dataset."""
    from datasets import Dataset
    from datasets.fingerprint import get_temporary_cache_files_directory

    cache_dir = tempfile.mkdtemp(prefix="aligntune-texts-", dir=get_temporary_cache_files_directory())
    try:
        return Dataset.from_generator(
            _generate,
            gen_kwargs={"kind": kind, "source": source},
            cache_dir=cache_dir,
            fingerprint=uuid.uuid4().hex,  # never reuse a cache: the file may have changed
        )
    except AlignTuneError:
        raise
    except Exception as exc:
        cause = exc.__cause__ or exc.__context__
        while cause is not None and not isinstance(cause, AlignTuneError):
            cause = cause.__cause__ or cause.__context__
        if cause is not None:
            raise cause from None
        raise DataError(f"Could not read the training texts from {origin}: {type(exc).__name__}: {show(str(exc))}") from exc
