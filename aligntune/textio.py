"""Reading texts from JSONL/CSV files as a stream of records (nothing held whole)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from aligntune.errors import DataError

SUPPORTED = (".jsonl", ".json", ".csv")


def iter_records(path: str | Path, *, text_column: str = "text") -> Iterator[dict[str, Any]]:
    """Yield one dict per row of a JSONL or CSV file; each must have ``text_column``."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"Input file {str(path)!r} does not exist or is not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DataError(f"Input file {str(path)!r} has unsupported type {suffix!r}; use one of {', '.join(SUPPORTED)}")
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise DataError(f"Cannot read input file {str(path)!r}: {exc.strerror}") from exc
    with handle:
        rows = _csv_rows(handle, path) if suffix == ".csv" else _jsonl_rows(handle, path)
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


def batched(iterable: Iterator[Any], size: int) -> Iterator[list[Any]]:
    """Chunks of ``size`` items."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk
