"""bench/real_text_fidelity.py splits by instruction, trains with the defaults and with augmentation off, and writes\nevery figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligntune.data.corpus import load_bundled_corpus



@pytest.fixture(scope="module")
def bench(import_bench):
    return import_bench("real_text_fidelity")


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


def test_development_split_never_touches_the_held_out_instructions(bench, responses):
    rows = [json.loads(line) for line in responses.read_text(encoding="utf-8").splitlines()]
    _, held = bench.split_by_instruction(rows, n_train=100, n_eval=100, eval_share=0.25, seed=0)
    train, dev = bench.development_split(rows, n_train=100, n_eval=100, eval_share=0.25, dev_share=0.25, seed=0)
    held_prompts = {r["prompt"] for r in held}
    assert not {r["prompt"] for r in train} & held_prompts and not {r["prompt"] for r in dev} & held_prompts
    assert not {r["prompt"] for r in train} & {r["prompt"] for r in dev}
    assert len(train) + len(dev) == 36 and len({r["prompt"] for r in dev}) == 2


@pytest.mark.slow
def test_bench_trains_with_and_without_augmentation_and_writes_the_figures(bench, responses, tiny_bert_dir,
                                                                         tmp_path, capsys):
    out = tmp_path / "figures.json"
    argv = ["--data", str(responses), "--train", "30", "--eval", "12", "--eval-share", "0.25", "--fp32",
            "--base-model", str(tiny_bert_dir), "--output-dir", str(tmp_path / "rm"), "--json", str(out)]
    assert bench.main(argv) == 0
    printed = capsys.readouterr().out
    assert "CPU native bf16 flags" in printed and "targets: Spearman >= 0.92" in printed
    assert "--- library defaults" in printed and "--- augmentation off (augment_copies=0)" in printed
    assert "=== held-out instructions:" in printed and "texts encoded (copies)" in printed
    figures = json.loads(out.read_text(encoding="utf-8"))
    split = figures["split"]
    assert split["shared_instructions"] == 0
    assert not set(split["train_instructions"]) & set(split["eval_instructions"])
    assert (split["n_train"], split["n_eval"]) == (30, 12)
    assert set(figures["runs"]) == {"defaults", "off"}
    for run in figures["runs"].values():
        held = run["fidelity"]["held_out_instructions"]
        assert held["n_texts"] == 12 and held["spearman_interval"] is not None
        assert set(held["components"]) == {"length", "sentiment", "safety", "coherence", "helpfulness"}
        assert set(run["rule_gaps"]) <= set(held["components"])
        assert run["training"]["bf16"] is False and run["training"]["objective"] == "rules"
        assert run["texts_encoded"]["held_out_instructions"] == 12
        assert run["seconds"] > 0 and set(run["targets_met"]) == {"spearman", "pairwise_accuracy", "rule_gap"}
    on, off = figures["runs"]["defaults"], figures["runs"]["off"]
    assert on["augmentation"]["n_copies"] == on["texts_encoded"]["augmented_copies"] > 0
    assert off["augmentation"]["n_copies"] == off["texts_encoded"]["augmented_copies"] == 0
    assert on["texts_encoded"]["training"] == 2 * off["texts_encoded"]["training"]
    assert (tmp_path / "rm" / "reward_model_defaults" / "aligntune.json").is_file()
    assert (tmp_path / "rm" / "reward_model_off" / "aligntune.json").is_file()
