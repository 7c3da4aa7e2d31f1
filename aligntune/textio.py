"""Reading texts from JSONL/CSV/Parquet files or saved datasets as a stream of records (nothing held whole)."""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from aligntune.errors import DataError

logger = logging.getLogger(__name__)

SUPPORTED = (".jsonl", ".json", ".csv", ".parquet")
PARQUET_BATCH_ROWS = 10_000


def iter_records(path: str | Path, *, text_column: str = "text") -> Iterator[dict[str, Any]]:
    """Yield one dict per row of a JSONL, CSV or Parquet file, or of a directory written by
    ``Dataset.save_to_disk`` (memory-mapped); each row must have ``text_column``."""
    path = Path(path)
    if path.is_dir():
        yield from _checked(_saved_dataset_rows(path), path, text_column)
        return
    if not path.is_file():
        raise DataError(f"Input file {str(path)!r} does not exist or is not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DataError(
            f"Input file {str(path)!r} has unsupported type {suffix!r}; use one of {', '.join(SUPPORTED)} "
            "or a directory written by Dataset.save_to_disk"
        )
    if suffix == ".parquet":
        yield from _checked(_parquet_rows(path), path, text_column)
        return
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise DataError(f"Cannot read input file {str(path)!r}: {exc.strerror}") from exc
    with handle:
        rows = _csv_rows(handle, path) if suffix == ".csv" else _jsonl_rows(handle, path)
        yield from _checked(rows, path, text_column)


def _checked(rows: Iterator[tuple[int, dict[str, Any]]], path: Path, text_column: str) -> Iterator[dict[str, Any]]:
    for line_no, row in rows:
        if text_column not in row:
            raise DataError(
                f"{path}:{line_no} has no {text_column!r} field (fields: {sorted(row)}); "
                f"name the column with --text-column"
            )
        if not isinstance(row[text_column], str):
            raise DataError(f"{path}:{line_no}: {text_column!r} must be a string, got {row[text_column]!r}")
        yield row


def _jsonl_rows(handle: Any, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}:{line_no} is not valid JSON: {exc.msg}") from exc
            if not isinstance(row, dict):
                raise DataError(f"{path}:{line_no} must be a JSON object, got {type(row).__name__}")
            yield line_no, row
    except UnicodeDecodeError as exc:
        raise DataError(f"{path} is not UTF-8 text: {exc.reason}") from exc


def _csv_rows(handle: Any, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            yield line_no, dict(row)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise DataError(f"{path} is not a readable CSV file: {exc}") from exc


def _parquet_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for unreadable files
        raise DataError(f"{path} is not a readable Parquet file: {type(exc).__name__}: {exc}") from exc
    row_no = 0
    for batch in file.iter_batches(batch_size=PARQUET_BATCH_ROWS):
        for row in batch.to_pylist():
            row_no += 1
            yield row_no, row


def load_saved_dataset(path: str | Path, split: str = "train") -> Any:
    """The ``split`` of a dataset written by ``save_to_disk`` (a ``Dataset`` is returned as is)."""
    from datasets import DatasetDict, load_from_disk

    try:
        data = load_from_disk(str(path))
    except Exception as exc:  # datasets raises several types for a directory it cannot read
        raise DataError(
            f"{str(path)!r} is a directory but not one written by Dataset.save_to_disk "
            f"({type(exc).__name__}: {exc}); pass a file or a saved dataset directory"
        ) from exc
    if isinstance(data, DatasetDict):
        if split not in data:
            raise DataError(f"The saved DatasetDict {str(path)!r} has no {split!r} split; splits: {sorted(data)}")
        data = data[split]
    return data


def _saved_dataset_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for i, row in enumerate(load_saved_dataset(path), start=1):
        yield i, row


def batched(iterable: Iterator[Any], size: int) -> Iterator[list[Any]]:
    """Chunks of ``size`` items."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass(frozen=True)
class TextFile:
    """The texts of one file, with its ``prompt`` and ``reference`` columns when it has them."""

    texts: list[str]
    prompts: list[str | None] | None
    references: list[str | None] | None


def read_text_file(path: str | Path, *, field: str) -> TextFile:
    """Read the texts of a ``.txt`` (one per non-blank line), JSONL, CSV or Parquet file or a saved dataset.

    The one reader of text files for the CLI commands. ``field`` names the option or key
    the path came from in errors. A ``prompt``/``reference`` column is used when every
    row has a string there; a column only some rows fill is not used, with a warning
    that says how many rows lack it.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise DataError(f"{field}: file {str(path)!r} does not exist; give an existing file (or a list of texts)")
    if path.is_file() and path.suffix.lower() == ".txt":
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{field}: cannot read {str(path)!r} as UTF-8 text: {exc}") from exc
        return TextFile([line for line in lines if line.strip()], None, None)
    rows = list(iter_records(path))
    return TextFile([row["text"] for row in rows], _column(rows, "prompt", path), _column(rows, "reference", path))


def _column(rows: list[dict[str, Any]], name: str, path: Path) -> list[str | None] | None:
    values = [row.get(name) for row in rows]
    missing = sum(not isinstance(value, str) for value in values)
    if missing == len(values):
        return None
    if missing:
        logger.warning(
            "%s: %d of %d rows have no %r string, so the %r column is not used; fill it in every row to use it",
            path, missing, len(values), name, name,
        )
        return None
    return values
