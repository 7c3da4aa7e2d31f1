"""generate_training_data and ``aligntune rewards score`` on every kind of corpus.

A list, a ``datasets.Dataset``, an ``IterableDataset``, a JSONL/CSV/Parquet file and a
``save_to_disk`` directory must all give the same scores; files are streamed, not loaded whole.
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligntune.cli import main
from aligntune.errors import ConfigurationError, DataError


@pytest.fixture(scope="module")
def corpus():
    from aligntune.data import load_bundled_corpus

    c = load_bundled_corpus(24, seed=4)
    return {"text": c.texts, "prompt": c.prompts}


@pytest.fixture(scope="module")
def files(corpus, tmp_path_factory):
    from datasets import Dataset

    root = tmp_path_factory.mktemp("inputs")
    ds = Dataset.from_dict({**corpus, "extra": list(range(len(corpus["text"])))})
    rows = ds.to_list()
    (root / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ds.to_csv(str(root / "c.csv"), index=False)
    ds.to_parquet(str(root / "c.parquet"))
    ds.save_to_disk(str(root / "saved"))
    return root


@pytest.fixture(scope="module")
def trainer(tiny_bert_dir):
    from aligntune.rewards.training import RewardModelTrainer

    return RewardModelTrainer(str(tiny_bert_dir), ["length", "sentiment", "helpfulness"])


@pytest.fixture(scope="module")
def expected(trainer, corpus):
    data = trainer.generate_training_data(corpus["text"], prompts=corpus["prompt"])
    return {c: data[c] for c in ("text", "prompt", "score", "length", "sentiment", "helpfulness")}


@pytest.mark.parametrize("source", ["c.jsonl", "c.csv", "c.parquet", "saved", "path-object", "iterable", "dataset"])
def test_every_source_gives_the_same_scores(trainer, files, corpus, expected, source):
    from datasets import Dataset

    if source == "iterable":
        texts = Dataset.from_dict(corpus).to_iterable_dataset()
    elif source == "dataset":
        texts = Dataset.from_dict(corpus)
    elif source == "path-object":
        texts = files / "c.jsonl"
    else:
        texts = str(files / source)
    data = trainer.generate_training_data(texts)
    assert "extra" not in data.column_names
    for column, values in expected.items():
        assert data[column] == pytest.approx(values) if column not in ("text", "prompt") else data[column] == values


def test_a_streamed_file_is_not_held_in_memory(trainer, tmp_path):
    from aligntune.reward_model.inputs import open_texts

    path = tmp_path / "big.jsonl"
    line = json.dumps({"text": "A reasonably long answer that explains the steps one by one. " * 3}) + "\n"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(40_000):
            handle.write(line)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        data = open_texts(str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data.num_rows == 40_000
    assert peak < size / 4, f"Python memory peaked at {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda d: str(d / "missing.jsonl"), DataError, r"missing.jsonl' does not exist"),
        (lambda d: str(d / "notes.txt"), DataError, r"unsupported type '.txt'"),
        (lambda d: str(d / "no_text.jsonl"), DataError, r"no_text.jsonl:1 has no 'text' field \(fields: \['body'\]\)"),
        (lambda d: str(d / "few.jsonl"), ConfigurationError, r"needs at least 10 training texts, got 3"),
        (lambda d: str(d), DataError, r"not one written by Dataset.save_to_disk"),
        ("iterable-without-text", DataError, r"Row 0 of the IterableDataset has no 'text' field"),
        ("iterable-non-string", DataError, r"Row 1 of the IterableDataset has 'text' 7"),
        ("one text", DataError, r"texts must be a list of strings"),
    ],
)
def test_bad_sources_are_clear_errors(trainer, tmp_path, make, error, match):
    from datasets import IterableDataset

    (tmp_path / "notes.txt").write_text("hello\n")
    (tmp_path / "no_text.jsonl").write_text(json.dumps({"body": "x"}) + "\n")
    (tmp_path / "few.jsonl").write_text("".join(json.dumps({"text": f"t{i}"}) + "\n" for i in range(3)))
    if make == "iterable-without-text":
        texts = IterableDataset.from_generator(_rows_without_text)
    elif make == "iterable-non-string":
        texts = IterableDataset.from_generator(_rows_with_a_number)
    elif make == "one text":
        texts = "Just one answer, not a file."
    else:
        texts = make(tmp_path)
    with pytest.raises(error, match=match):
        trainer.generate_training_data(texts)


def _rows_without_text():
    yield from ({"body": f"b{i}"} for i in range(12))


def _rows_with_a_number():
    yield from ({"text": t} for t in ["fine", 7, "fine"])


@pytest.mark.parametrize("name", ["c.jsonl", "c.csv", "c.parquet", "saved"])
def test_cli_scores_every_file_kind_the_same(files, corpus, name):
    result = CliRunner().invoke(main, ["rewards", "score", "--function", "length,sentiment", "--input",
                                       str(files / name), "--batch-size", "5"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in rows] == corpus["text"]
    reference = CliRunner().invoke(main, ["rewards", "score", "--function", "length,sentiment", "--input",
                                          str(files / "c.jsonl")])
    assert rows == [json.loads(line) for line in reference.output.splitlines()]


@pytest.mark.parametrize("name", ["c.parquet", "saved"])
def test_train_reward_model_cli_reads_texts_from_parquet_and_saved_datasets(files, corpus, tiny_bert_dir, name):
    from aligntune.cli.train_cmd import build_config

    config = build_config(None, {"training_texts_file": str(files / name), "reward_functions": ["length"],
                                 "output_dir": "out", "base_model_name": str(tiny_bert_dir)})
    assert config.training_texts == corpus["text"]
    assert config.training_prompts == corpus["prompt"]
