"""Prompt datasets for PPO: load from anywhere, find the prompt column, format the prompts.

``dataset_name`` may be a hub name (``datasets.load_dataset``; offline without a cached
copy is a clear error), a directory written by ``Dataset.save_to_disk``, a
JSON/JSONL/CSV/Parquet file, or a ``datasets.Dataset``. ``None`` selects the prompts
bundled with aligntune.

The prompt column is detected in this order: ``prompt``, ``query``, ``question`` (plain
text), then ``messages`` and ``chosen`` (chat conversations, rendered through the policy
tokenizer's chat template up to the last assistant turn). ``prompt_column=`` picks one
explicitly. The column used is logged.

Loading and column detection (:func:`load_prompt_dataset`) need no model or tokenizer,
so they run during validation, before anything heavy loads.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aligntune._validation import show
from aligntune.chat_templates import render, render_with
from aligntune.errors import DataError, brief
from aligntune.textio import iter_file_rows, load_saved_dataset, undecodable

logger = logging.getLogger(__name__)

TEXT_COLUMNS: tuple[str, ...] = ("prompt", "query", "question")
CHAT_COLUMNS: tuple[str, ...] = ("messages", "chosen")
FILE_TYPES: dict[str, str] = {".json": "json", ".jsonl": "json", ".csv": "csv", ".parquet": "parquet"}
BUNDLED_PROMPTS = Path(__file__).parent.parent / "data" / "ppo_prompts.jsonl"


@dataclass(frozen=True)
class PromptData:
    """A loaded prompts dataset and the column the prompts come from."""

    dataset: Any
    column: str
    is_chat: bool
    origin: str

    def __len__(self) -> int:
        return len(self.dataset)


def load_prompt_dataset(
    source: Any = None,
    *,
    split: str = "train",
    prompt_column: str | None = None,
    max_samples: int | None = None,
) -> PromptData:
    """Load prompts from ``source`` and detect (or check) the prompt column."""
    dataset, origin = _load(source, split)
    column, is_chat = _detect_column(dataset, prompt_column, origin)
    if max_samples is not None:
        dataset = dataset.select(range(min(max_samples, len(dataset))))
    if len(dataset) == 0:
        raise DataError(f"The prompts dataset {origin} has no prompts (no rows); give a dataset with at least one prompt")
    if not is_chat:
        _check_texts(dataset[column], column, origin)
    logger.info("Prompts: %d rows from %s, column %r%s", len(dataset), origin, column, " (chat)" if is_chat else "")
    return PromptData(dataset=dataset, column=column, is_chat=is_chat, origin=origin)


def format_prompts(data: PromptData, tokenizer: Any = None) -> list[str]:
    """The prompts as strings; chat columns go through ``tokenizer``'s chat template."""
    rows = data.dataset[data.column]
    if not data.is_chat:
        return list(rows)  # checked by load_prompt_dataset
    if tokenizer is None or not getattr(tokenizer, "chat_template", None):
        raise DataError(
            f"Column {data.column!r} of {data.origin} holds chat messages, but the policy tokenizer has no chat "
            "template to render them. Use a tokenizer with a chat template, or pass prompt_column= naming a "
            "plain-text column"
        )
    turns = [_prompt_turns(messages, i, data) for i, messages in enumerate(rows)]
    name = getattr(tokenizer, "name_or_path", None)
    origin = f"the policy tokenizer {show(name)}" if name else "the policy tokenizer"
    return render_with(tokenizer, turns, origin=origin, add_generation_prompt=True)


def render_sample(data: PromptData, template: str, *, variables: dict[str, Any], origin: str) -> str:
    """Render the first prompt of a chat column with ``template`` (the ``--dry-run`` check, no tokenizer loaded)."""
    turns = _prompt_turns(data.dataset[0][data.column], 0, data)
    return render(template, [turns], origin=origin, add_generation_prompt=True, variables=variables)[0]


def _check_texts(rows: Any, column: str, origin: str) -> None:
    """Every prompt of a plain-text column is a non-empty string (checked when loading, before any model)."""
    for i, value in enumerate(rows):
        if not isinstance(value, str) or not value.strip():
            raise DataError(
                f"Row {i} of column {show(column)} in {origin} is not a non-empty string: {show(value)}; "
                "clean the dataset or filter such rows out"
            )


def _prompt_turns(messages: Any, row: int, data: PromptData) -> list[dict[str, Any]]:
    if not isinstance(messages, list) or not all(isinstance(m, dict) and "role" in m for m in messages):
        raise DataError(
            f"Row {row} of chat column {data.column!r} in {data.origin} is not a list of "
            f"{{'role', 'content'}} messages: {show(messages, 80)}"
        )
    turns = list(messages)
    while turns and turns[-1].get("role") == "assistant":
        turns.pop()
    if not turns:
        raise DataError(f"Row {row} of chat column {data.column!r} in {data.origin} has no user turn")
    return turns


def _load(source: Any, split: str) -> tuple[Any, str]:
    if source is None:
        source = str(BUNDLED_PROMPTS)
    if hasattr(source, "column_names") and not isinstance(source, (str, os.PathLike)):
        if hasattr(source, "keys") and split in source:  # a DatasetDict
            return source[split], f"the given DatasetDict[{show(split)}]"
        return source, "the given Dataset"
    name = os.fspath(source)
    path = Path(name).expanduser()
    suffix = path.suffix.lower()
    if path.is_dir():
        return load_saved_dataset(path, split), f"directory {show(str(path))}"
    if suffix in FILE_TYPES or path.exists() or name.startswith((".", "/", "~")):
        if not path.is_file():
            raise DataError(
                f"Dataset file {show(name)} does not exist; pass an existing JSON/JSONL/CSV/Parquet file, a "
                "directory saved with Dataset.save_to_disk, or a hub dataset name"
            )
        if suffix not in FILE_TYPES:
            raise DataError(
                f"Dataset file {show(name)} has unsupported type {show(suffix)}; use one of {', '.join(sorted(FILE_TYPES))}"
            )
        return _load_file(path, suffix), f"file {show(str(path))}"
    return _load_hub(name, split), f"hub dataset {show(name)}"


def _load_file(path: Path, suffix: str) -> Any:
    from datasets import load_dataset

    _check_file(path, suffix)
    try:
        return load_dataset(FILE_TYPES[suffix], data_files=str(path), split="train")
    except Exception as exc:
        raise DataError(f"Could not read dataset file {show(str(path))}: {brief(exc)}") from exc


def _check_file(path: Path, suffix: str) -> None:
    """Refuse, before ``datasets`` reads it, a prompts file that is empty or not UTF-8 JSON lines/CSV.

    A JSONL or CSV file is read once through :func:`aligntune.textio.iter_file_rows`, so its errors
    name the line; ``datasets`` would accept invalid UTF-8 here and fail later, mid-training.
    """
    if path.stat().st_size == 0:
        raise DataError(f"Dataset file {show(str(path))} is empty: it has no prompts")
    if suffix == ".jsonl" or suffix == ".csv":
        if not any(True for _ in iter_file_rows(path)):
            raise DataError(f"Dataset file {show(str(path))} has no prompts (no rows)")
    elif suffix == ".json":
        try:
            with path.open(encoding="utf-8-sig") as handle:
                blank = all(not chunk.strip() for chunk in iter(lambda: handle.read(1 << 20), ""))
        except UnicodeDecodeError:
            raise undecodable(path) from None
        if blank:
            raise DataError(f"Dataset file {show(str(path))} has no prompts (it holds only blank lines)")


def _load_hub(name: str, split: str) -> Any:
    from datasets import load_dataset

    try:
        return load_dataset(name, split=split)
    except Exception as exc:
        offline = os.environ.get("HF_HUB_OFFLINE", "") not in {"", "0"} or os.environ.get("HF_DATASETS_OFFLINE")
        hint = (
            " This machine is offline (HF_HUB_OFFLINE) and the dataset is not cached: download it elsewhere "
            "and pass a local file or a save_to_disk directory instead"
            if offline
            else " Check the name and split, or pass a local file or a save_to_disk directory instead"
        )
        raise DataError(f"Could not load hub dataset {show(name)} (split {show(split)}): {brief(exc)}.{hint}") from exc


def _detect_column(dataset: Any, explicit: str | None, origin: str) -> tuple[str, bool]:
    columns = list(dataset.column_names)
    if explicit is not None:
        if explicit not in columns:
            raise DataError(f"prompt_column {show(explicit)} is not a column of {origin}; columns: {show(columns)}")
        return explicit, _is_chat_column(dataset, explicit)
    for name in TEXT_COLUMNS:
        if name in columns:
            return name, _is_chat_column(dataset, name)
    for name in CHAT_COLUMNS:
        if name in columns and _is_chat_column(dataset, name):
            return name, True
    raise DataError(
        f"Could not find a prompt column in {origin}: columns are {show(columns)}. Expected one of "
        f"{list(TEXT_COLUMNS + CHAT_COLUMNS)}; pass prompt_column= to name it"
    )


def _is_chat_column(dataset: Any, column: str) -> bool:
    if len(dataset) == 0:
        return False
    first = dataset[0][column]
    return isinstance(first, list) and bool(first) and isinstance(first[0], dict) and "role" in first[0]
