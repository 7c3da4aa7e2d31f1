"""Scoring texts into a training dataset (``generate_training_data``).

Texts go through ``datasets.Dataset.map`` in batches (``num_proc`` workers when
asked), with a progress bar, and the scores are written to an Arrow file in a
temporary cache directory, so memory stays flat however large the corpus is. The
result has ``text``, ``score`` (the weighted composite), one column per reward
function, and ``prompt``/``reference`` when they were given.

Launched as several processes (``accelerate launch``/``torchrun``), scoring is
sharded: each process scores a contiguous slice of the texts, the score columns are
gathered in order, and every process returns the same dataset as a single process
would (see :mod:`aligntune.distributed`). Every process must call it.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aligntune import distributed
from aligntune._validation import aligned, string_list, utf8_texts
from aligntune.errors import ConfigurationError, DataError, show
from aligntune.reward_model.config import MIN_TRAINING_TEXTS
from aligntune.reward_model.inputs import open_texts

if TYPE_CHECKING:
    from datasets import Dataset

    from aligntune.rewards.composite import CompositeReward

logger = logging.getLogger(__name__)

#: Columns every scored dataset has; each reward function adds one named after it.
REQUIRED_COLUMNS = ("text", "score")
RESERVED_COLUMNS = ("text", "score", "prompt", "reference")


def check_component_names(names: Sequence[str]) -> None:
    """Reward-function names become columns, so they must not clash with the fixed ones."""
    clash = [n for n in names if n in RESERVED_COLUMNS]
    if clash:
        raise ConfigurationError(
            f"Reward functions named {clash} would overwrite the dataset columns {list(RESERVED_COLUMNS)}; "
            "register them under other names"
        )


def as_text_dataset(
    texts: Any,
    *,
    prompts: Sequence[str | None] | None = None,
    references: Sequence[str | None] | None = None,
    min_texts: int = MIN_TRAINING_TEXTS,
) -> Dataset:
    """Validate texts (a list, or a ``Dataset``/``IterableDataset``/file path with a ``text`` column) into a Dataset.

    Raises :class:`DataError`/:class:`ConfigurationError` before anything is scored:
    too few texts, non-strings, a string with a lone surrogate (``"\\ud800"``, which no
    file, Arrow table or tokenizer can take; the error names its index), or
    prompts/references that are not one per text.
    """
    from datasets import Dataset

    texts = open_texts(texts)  # a file path or an IterableDataset becomes an Arrow-backed Dataset
    if isinstance(texts, Dataset):
        if "text" not in texts.column_names:
            raise DataError(
                f"The training dataset needs a 'text' column; it has {texts.column_names}. "
                "Rename the column with dataset.rename_column(old, 'text')"
            )
        if texts.num_rows < min_texts:
            raise ConfigurationError(
                f"texts needs at least {min_texts} training texts, got {texts.num_rows}; add more texts "
                "(a few hundred diverse ones work best)"
            )
        ds = texts.select_columns([c for c in ("text", "prompt", "reference") if c in texts.column_names])
        for label, values in (("prompt", prompts), ("reference", references)):
            if values is not None:
                if label in ds.column_names:
                    raise DataError(f"The dataset already has a {show(label)} column; do not pass {label}s as well")
                values = aligned(values, ds.num_rows, f"{label}s", label=f"{label}s", error=DataError)
                utf8_texts(f"{label}s", values)
                ds = ds.add_column(label, values)
        return ds
    if isinstance(texts, (str, bytes)) or not isinstance(texts, Sequence):
        raise DataError(
            "texts must be a list of strings, a datasets.Dataset or IterableDataset, or the path of a "
            f".jsonl/.csv/.parquet file or a save_to_disk directory, got {type(texts).__name__}"
        )
    string_list(min_texts, what="training texts", item_error=DataError).check("texts", texts)
    columns: dict[str, list[Any]] = {"text": list(texts)}
    prompts = aligned(prompts, len(texts), "prompts", label="prompts", error=DataError)
    references = aligned(references, len(texts), "reference_texts", label="reference_texts", error=DataError)
    for where, values in (("texts", texts), ("prompts", prompts), ("reference_texts", references)):
        utf8_texts(where, values)  # before Arrow, which cannot store a lone surrogate
    if prompts is not None:
        columns["prompt"] = prompts
    if references is not None:
        columns["reference"] = references
    return Dataset.from_dict(columns)


def _score_batch(batch: dict[str, list[Any]], composite: CompositeReward, batch_size: int) -> dict[str, list[float]]:
    """Score one ``map`` batch, calling the reward functions ``batch_size`` texts at a time."""
    texts, prompts, references = batch["text"], batch.get("prompt"), batch.get("reference")
    out: dict[str, list[float]] = {"score": [], **{name: [] for name in composite.names}}
    for start in range(0, len(texts), batch_size):
        stop = start + batch_size
        scores = composite.score_components(
            texts[start:stop],
            prompts=None if prompts is None else prompts[start:stop],
            references=None if references is None else references[start:stop],
        )
        out["score"].extend(scores.total)
        for name, values in scores.components.items():
            out[name].extend(values)
    return out


def score_dataset(
    dataset: Dataset,
    composite: CompositeReward,
    *,
    batch_size: int = 32,
    num_proc: int | None = None,
) -> Dataset:
    """Add ``score`` and one column per component to ``dataset`` with a batched ``map``."""
    check_component_names(composite.names)
    if distributed.world_size() > 1:
        return _score_sharded(dataset, composite, batch_size=batch_size, num_proc=num_proc)
    logger.info("Scoring %d texts with %s", dataset.num_rows, ", ".join(composite.names))
    return _score_here(dataset, composite, batch_size=batch_size, num_proc=num_proc)


def _score_sharded(
    dataset: Dataset, composite: CompositeReward, *, batch_size: int, num_proc: int | None
) -> Dataset:
    """Score this process's slice, gather every slice's scores, add them to the whole dataset."""
    start, stop = distributed.shard_bounds(dataset.num_rows)
    logger.info(
        "Scoring texts %d-%d of %d (process %d of %d) with %s",
        start, stop, dataset.num_rows, distributed.rank(), distributed.world_size(), ", ".join(composite.names),
    )
    shard = dataset.select(range(start, stop))
    columns = ["score", *composite.names]
    if shard.num_rows:
        scored = _score_here(shard, composite, batch_size=batch_size, num_proc=num_proc)
        mine = scored.select_columns(columns).to_dict()
    else:
        mine = {name: [] for name in columns}
    for name, values in distributed.gather_lists(mine).items():
        dataset = dataset.add_column(name, values)
    return dataset


#: Rows scored per chunk of a memory-mapped dataset (see :func:`_score_here`).
CHUNK_ROWS = 100_000
#: Rows per ``map`` batch when scoring in chunks, and so per Arrow record batch of the
#: output files. Opening an Arrow stream reads every record batch's header, and the
#: kernel maps the pages around each one into RSS: with small record batches that is
#: the whole file. The reward functions are still called ``batch_size`` texts at a time.
WRITE_ROWS = 10_000


def _score_here(
    dataset: Dataset, composite: CompositeReward, *, batch_size: int, num_proc: int | None
) -> Dataset:
    """Score ``dataset`` in this process (batched ``map`` into temporary Arrow files).

    A dataset that lives in memory-mapped Arrow files is scored in chunks of
    :data:`CHUNK_ROWS` rows, each read through a memory map of its own that is closed
    when the chunk is done. Pages of a memory map count in the process's RSS once they
    are read, so one map over the whole file would grow peak RSS with the corpus;
    chunked, peak RSS stays flat (``bench/data_generation_scale.py``).
    """
    if dataset.num_rows <= CHUNK_ROWS or not _memory_mapped(dataset):
        return _map_scores(dataset, composite, batch_size=batch_size, num_proc=num_proc)
    import pickle

    from datasets import concatenate_datasets

    parts = []
    n_chunks = -(-dataset.num_rows // CHUNK_ROWS)
    for start in range(0, dataset.num_rows, CHUNK_ROWS):
        # Unpickling a memory-mapped dataset reopens its files: a fresh map for this chunk only.
        chunk = pickle.loads(pickle.dumps(dataset)).select(range(start, min(start + CHUNK_ROWS, dataset.num_rows)))
        part = f" (rows {start:,}-{start + chunk.num_rows - 1:,}, chunk {start // CHUNK_ROWS + 1} of {n_chunks})"
        parts.append(
            _map_scores(
                chunk, composite, batch_size=batch_size, num_proc=num_proc, map_batch_size=WRITE_ROWS, desc_suffix=part
            )
        )
        del chunk
    return concatenate_datasets(parts)


def _memory_mapped(dataset: Dataset) -> bool:
    """Whether every row of ``dataset`` is read from memory-mapped Arrow files (no in-memory parts)."""
    from datasets.table import ConcatenationTable, MemoryMappedTable

    if getattr(dataset, "_indices", None) is not None:
        return False
    table = dataset.data
    if isinstance(table, MemoryMappedTable):
        return True
    if isinstance(table, ConcatenationTable):
        return all(isinstance(block, MemoryMappedTable) for row in table.blocks for block in row)
    return False


def _map_scores(
    dataset: Dataset,
    composite: CompositeReward,
    *,
    batch_size: int,
    num_proc: int | None,
    map_batch_size: int | None = None,
    desc_suffix: str = "",
) -> Dataset:
    from datasets.fingerprint import get_temporary_cache_files_directory

    name = f"aligntune-scores-{uuid.uuid4().hex}"
    cache_file = os.path.join(get_temporary_cache_files_directory(), f"{name}.arrow")
    sizes = {"batch_size": batch_size}
    if map_batch_size:  # one record batch per map batch
        sizes = {"batch_size": max(batch_size, map_batch_size), "writer_batch_size": max(batch_size, map_batch_size)}
    return dataset.map(
        _score_batch,
        batched=True,
        **sizes,
        num_proc=num_proc,
        fn_kwargs={"composite": composite, "batch_size": batch_size},
        cache_file_name=cache_file,
        new_fingerprint=name,  # a fresh file every call: no need to hash the reward functions
        desc=f"Scoring texts with {len(composite.names)} reward functions{desc_suffix}",
    )


def check_training_data(dataset: Any, component_names: Sequence[str] | None = None) -> None:
    """Check that ``dataset`` looks like the output of ``generate_training_data``."""
    from datasets import Dataset

    if not isinstance(dataset, Dataset):
        raise DataError(
            f"training_data must be a datasets.Dataset (from generate_training_data), got {type(dataset).__name__}"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in dataset.column_names]
    if missing:
        raise DataError(
            f"training_data lacks the required column(s) {missing} (it has {dataset.column_names}). "
            "Build it with RewardModelTrainer.generate_training_data(texts), or add a 'text' column and a "
            "numeric 'score' column (higher is better)"
        )
    if dataset.num_rows < MIN_TRAINING_TEXTS:
        raise ConfigurationError(
            f"training_data needs at least {MIN_TRAINING_TEXTS} training texts, got {dataset.num_rows}"
        )
    dtype = str(dataset.features["score"].dtype) if hasattr(dataset.features["score"], "dtype") else "?"
    if not (dtype.startswith("float") or dtype.startswith("int")):
        raise DataError(f"training_data column 'score' must be numeric, got type {dtype}")


def check_signal(dataset: Any) -> None:
    """Refuse scored texts that all have the same composite score: a model learns nothing from them.

    (Twenty copies of one text, or texts the reward functions cannot tell apart.) Raised before
    any model loads.
    """
    import numpy as np

    scores = np.asarray(dataset.with_format("numpy")["score"], dtype=np.float64)
    finite = scores[np.isfinite(scores)]
    if len(finite) < len(scores) or len(finite) == 0 or float(finite.max() - finite.min()) > 1e-12:
        return  # varied (non-finite scores are refused where pairs are built)
    distinct = len(set(dataset["text"]))
    texts = f"{show(dataset[0]['text'], 60)} every time" if distinct == 1 else f"{distinct} distinct texts"
    raise DataError(
        f"training_data has no signal: all {len(scores)} texts ({texts}) have the same composite score "
        f"{float(finite[0]):.4g}, so a reward model learns nothing from them; give texts that the reward functions "
        "score differently (good and bad answers, short and long ones)"
    )


def data_files(dataset: Any) -> list[str]:
    """The Arrow files behind ``dataset`` (an output directory must not contain them)."""
    return [entry["filename"] for entry in getattr(dataset, "cache_files", None) or [] if "filename" in entry]
