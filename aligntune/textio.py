"""Reading texts from JSONL/CSV/Parquet files or saved datasets as a stream of records (nothing held whole)."""

from __future__ import annotations

import csv
import errno
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from aligntune._validation import show
from aligntune.errors import ConfigurationError, DataError

logger = logging.getLogger(__name__)

SUPPORTED = (".jsonl", ".json", ".csv", ".parquet")
PARQUET_BATCH_ROWS = 10_000


def is_link_loop(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a loop of symbolic links (it never reaches a file or directory)."""
    try:
        os.stat(os.path.expanduser(os.fspath(path)))
    except OSError as exc:
        return exc.errno == errno.ELOOP
    except ValueError:
        return False
    return False


def refuse_link_loop(path: str | os.PathLike[str], *, what: str, error: type[Exception] = DataError) -> None:
    """Raise ``error`` naming ``what`` when ``path`` is a loop of symbolic links, before anyone tries to read it."""
    if is_link_loop(path):
        raise error(
            f"{what} {show(os.fspath(path))} is a loop of symbolic links (it never reaches a file or directory); "
            "fix or remove the link and pass the real path"
        )


def iter_records(path: str | Path, *, text_column: str = "text") -> Iterator[dict[str, Any]]:
    """Yield one dict per row of a JSONL, CSV or Parquet file, or of a directory written by
    ``Dataset.save_to_disk`` (memory-mapped); each row must have ``text_column``, a string."""
    path = Path(path)
    if path.is_dir():
        yield from _checked(_saved_dataset_rows(path), path, text_column)
        return
    yield from _checked(iter_file_rows(path), path, text_column)


def iter_file_rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, row)`` for each row of a JSONL, CSV or Parquet file, any columns (see :func:`iter_records`).

    Files are UTF-8; a byte-order mark at the start is accepted. Anything else (invalid UTF-8,
    a JSONL line that is not an object, a CSV header naming a column twice, a CSV row with more
    or fewer fields than the header) is a :class:`DataError` naming the file and line.
    """
    path = Path(path)
    refuse_link_loop(path, what="Input file")
    if not path.is_file():
        raise DataError(f"Input file {show(str(path))} does not exist or is not a file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DataError(
            f"Input file {show(str(path))} has unsupported type {show(suffix)}; use one of {', '.join(SUPPORTED)} "
            "or a directory written by Dataset.save_to_disk"
        )
    if suffix == ".parquet":
        yield from _parquet_rows(path)
        return
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DataError(f"Cannot read input file {show(str(path))}: {exc.strerror}") from exc
    with handle:
        try:
            yield from _csv_rows(handle, path) if suffix == ".csv" else _jsonl_rows(handle, path)
        except UnicodeDecodeError as exc:
            what = "is not a readable CSV file" if suffix == ".csv" else "is not UTF-8 text"
            raise undecodable(path, what) from exc


def undecodable(path: Path, what: str = "is not UTF-8 text", error: type[Exception] = DataError) -> Exception:
    """The error for a file that does not decode as UTF-8, naming the first line that does not."""
    try:
        with path.open("rb") as raw:
            if raw.read(2) in (b"\xff\xfe", b"\xfe\xff"):
                return error(f"{path}:1 {what}: it is UTF-16 (it starts with a UTF-16 byte-order mark); "
                             "aligntune reads UTF-8, so re-save the file as UTF-8")
            raw.seek(0)
            for line_no, line in enumerate(raw, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    return error(
                        f"{path}:{line_no} {what}: byte {exc.start + 1} of the line is 0x{line[exc.start]:02x}, "
                        f"which is not valid UTF-8 ({exc.reason}); re-save the file as UTF-8"
                    )
    except OSError as exc:
        return error(f"Cannot read {show(str(path))}: {exc.strerror}")
    return error(f"{path} {what}: it does not decode as UTF-8; re-save the file as UTF-8")


def _checked(rows: Iterator[tuple[int, dict[str, Any]]], path: Path, text_column: str) -> Iterator[dict[str, Any]]:
    for line_no, row in rows:
        if text_column not in row:
            raise DataError(
                f"{path}:{line_no} has no {show(text_column)} field (fields: {show(sorted(map(str, row)))}); "
                f"name the column with --text-column"
            )
        value = row[text_column]
        if not isinstance(value, str):
            raise DataError(
                f"{path}:{line_no}: {show(text_column)} must be a string, got {type(value).__name__}: {show(value)}"
            )
        _check_encodable(value, f"{path}:{line_no}: {show(text_column)}")
        yield row


def _check_encodable(text: str, where: str) -> None:
    """Texts must be Unicode characters: a JSON escape of half a surrogate pair (``\\ud800``) is not one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DataError(
            f"{where} holds a lone surrogate (U+{ord(text[exc.start]):04X} at character {exc.start}), which is "
            "not a Unicode character; fix the \\u escape (a pair of surrogates, or the character itself)"
        ) from None


def _jsonl_rows(handle: Any, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for line_no, line in enumerate(handle, start=1):
        line = line.lstrip("\ufeff")  # a byte-order mark where files were concatenated
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            reason, hint = exc.msg.removesuffix(" at"), ""
            if reason == "Invalid control character":
                if exc.pos >= len(line.rstrip("\r\n")):
                    reason = "Unterminated string (the line ends inside a string)"
                else:
                    hint = " (control characters inside a JSON string must be escaped, e.g. \\u0000 or \\t)"
            raise DataError(f"{path}:{line_no} is not valid JSON: {reason} at column {exc.colno}{hint}") from None
        except RecursionError:
            raise DataError(f"{path}:{line_no} is nested too deeply to read as JSON") from None
        except ValueError as exc:  # e.g. an integer of more than 4300 digits
            raise DataError(f"{path}:{line_no} is not readable JSON: {show(str(exc))}") from None
        if not isinstance(row, dict):
            raise DataError(
                f"{path}:{line_no} must be a JSON object ({{\"field\": value, ...}}), got {type(row).__name__}: {show(row, 80)}"
            )
        yield line_no, row


def _csv_rows(handle: Any, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(handle)
    try:
        header = next(reader, None)
        if header is None:
            return
        repeated = sorted({name for name in header if header.count(name) > 1})
        if repeated:
            raise DataError(
                f"{path}:1: the header names the column(s) {show(repeated)} more than once; "
                "give every column its own name"
            )
        for fields in reader:
            if not fields:
                continue  # a blank line
            if len(fields) != len(header):
                raise DataError(
                    f"{path}:{reader.line_num} has {len(fields)} field(s) but the header names {len(header)} "
                    "column(s); quote fields that hold commas"
                )
            yield reader.line_num, dict(zip(header, fields))
    except csv.Error as exc:
        hint = "; use JSONL or Parquet for texts this long" if "field limit" in str(exc) else ""
        raise DataError(f"{path}:{reader.line_num} is not a readable CSV file: {exc}{hint}") from None


def _parquet_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for unreadable files
        raise DataError(f"{path} is not a readable Parquet file: {type(exc).__name__}: {show(str(exc))}") from exc
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
    refuse_link_loop(path, what=f"{field}: file")
    if not path.exists():
        raise DataError(f"{field}: file {show(str(path))} does not exist; give an existing file (or a list of texts)")
    if path.is_file() and path.suffix.lower() == ".txt":
        return TextFile(read_lines(path, field=field), None, None)
    rows = list(iter_records(path))
    return TextFile([row["text"] for row in rows], _column(rows, "prompt", path), _column(rows, "reference", path))


def read_lines(path: Path, *, field: str) -> list[str]:
    """The non-blank lines of a UTF-8 text file (a leading byte-order mark is dropped).

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only: a form feed or U+2028 inside a text stays in it.
    """
    try:
        with path.open(encoding="utf-8-sig") as handle:  # universal newlines: \r\n and \r become \n
            text = handle.read()
    except OSError as exc:
        raise DataError(f"{field}: cannot read {show(str(path))}: {exc.strerror}") from exc
    except UnicodeDecodeError:
        raise DataError(f"{field}: {undecodable(path)}") from None
    return [line for line in text.split("\n") if line.strip()]


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


#: The most values a YAML document may expand to through its aliases (``*name``).
YAML_MAX_EXPANDED = 1_000_000


def read_yaml_file(path: str | Path, *, what: str = "Config file") -> Any:
    """The document of a UTF-8 YAML file (``None`` when it is empty), or a one-line :class:`ConfigurationError`.

    Refused, before anything else runs: a directory, a file that is not UTF-8, invalid YAML
    (named by line and column), nesting too deep to read, and aliases that expand the document
    past :data:`YAML_MAX_EXPANDED` values or refer to themselves (a "billion laughs" file).
    """
    path = Path(path).expanduser()
    shown = show(str(path))
    refuse_link_loop(path, what=what, error=ConfigurationError)
    if path.is_dir():
        raise ConfigurationError(f"{what} {shown} is a directory; give a YAML file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigurationError(f"Cannot read config file {shown}: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise undecodable(path, "is not UTF-8 text", ConfigurationError) from None
    return parse_yaml(text, origin=f"{what} {shown}", where=str(path))


def parse_yaml(text: str, *, origin: str, where: str | None = None) -> Any:
    """Parse one YAML document safely (see :func:`read_yaml_file`); ``origin`` names it in errors."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, {}, set(), origin)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise ConfigurationError(_yaml_message(exc, origin, where)) from None
    except RecursionError:
        raise ConfigurationError(f"{origin} is nested too deeply to read as YAML") from None
    finally:
        loader.dispose()


def _yaml_message(exc: Any, origin: str, where: str | None) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
    context = getattr(exc, "context", None)
    at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    hint = "; indent YAML with spaces, not tabs" if "'\\t'" in problem else ""
    reason = f"{context}: {problem}" if context else problem
    return f"{origin} is not valid YAML{at}: {reason if len(reason) <= 300 else reason[:300] + '...'}{hint}"


def _expanded_size(node: Any, sizes: dict[int, int], open_nodes: set[int], origin: str) -> int:
    """How many values ``node`` stands for once every alias is expanded (shared nodes counted each time)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise ConfigurationError(f"{origin} has an alias inside the value it names (a structure that contains itself)")
    open_nodes.add(key)
    total = 1
    if node.id == "sequence":
        children = node.value
    elif node.id == "mapping":
        children = [part for pair in node.value for part in pair]
    else:
        children = []
    for child in children:
        total += _expanded_size(child, sizes, open_nodes, origin)
        if total > YAML_MAX_EXPANDED:
            raise ConfigurationError(
                f"{origin}: its YAML aliases (*name) expand it to more than {YAML_MAX_EXPANDED:,} values "
                "(a 'billion laughs' structure); write the values out, or nest fewer aliases"
            )
    open_nodes.discard(key)
    sizes[key] = total
    return total
