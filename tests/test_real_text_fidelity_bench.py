"""bench/real_text_fidelity.py splits by instruction, trains with the defaults and writes every figure."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from aligntune.data.corpus import load_bundled_corpus

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCH))
    try:
        import real_text_fidelity

        yield real_text_fidelity
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture
def responses(tmp_path) -> Path:
    """48 bundled-corpus answers to 12 instructions, each instruction on 4 rows."""
    corpus = load_bundled_corpus(48, seed=2)
    instructions = list(dict.fromkeys(corpus.prompts))[:12]
    assert len(instructions) == 12
    path = tmp_path / "responses.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i, text in enumerate(corpus.texts):
            row = {"prompt": instructions[i % 12], "response": text, "generator": f"g{i % 3}"}
            handle.write(json.dumps(row) + "\n")
    return path


def test_split_keeps_every_instruction_on_one_side(bench, responses):
    rows = [json.loads(line) for line in responses.read_text(encoding="utf-8").splitlines()]
    train, held = bench.split_by_instruction(rows, n_train=100, n_eval=100, eval_share=0.25, seed=0)
    assert not {r["prompt"] for r in train} & {r["prompt"] for r in held}
    assert len({r["prompt"] for r in held}) == 3 and len(held) == 12 and len(train) == 36
    again, _ = bench.split_by_instruction(rows, n_train=100, n_eval=100, eval_share=0.25, seed=0)
    assert again == train


@pytest.mark.slow
def test_bench_trains_and_writes_the_figures(bench, responses, tiny_bert_dir, tmp_path, capsys):
    out = tmp_path / "figures.json"
    argv = ["--data", str(responses), "--train", "30", "--eval", "12", "--eval-share", "0.25", "--fp32",
            "--base-model", str(tiny_bert_dir), "--output-dir", str(tmp_path / "rm"), "--json", str(out)]
    assert bench.main(argv) == 0
    printed = capsys.readouterr().out
    assert "CPU native bf16 flags" in printed and "targets: Spearman >= 0.92" in printed
    figures = json.loads(out.read_text(encoding="utf-8"))
    split = figures["split"]
    assert split["shared_instructions"] == 0
    assert not set(split["train_instructions"]) & set(split["eval_instructions"])
    assert (split["n_train"], split["n_eval"]) == (30, 12)
    held = figures["fidelity"]["held_out_instructions"]
    assert held["n_texts"] == 12 and held["spearman_interval"] is not None
    assert set(held["components"]) == {"length", "sentiment", "safety", "coherence", "helpfulness"}
    assert set(figures["rule_gaps"]) <= set(held["components"])
    assert figures["training"]["bf16"] is False and figures["training"]["objective"] == "rules"
    assert figures["texts_encoded"]["held_out_instructions"] == 12
    assert figures["seconds"] > 0 and set(figures["targets_met"]) == {"spearman", "pairwise_accuracy", "rule_gap"}
    assert (tmp_path / "rm" / "aligntune.json").is_file()
