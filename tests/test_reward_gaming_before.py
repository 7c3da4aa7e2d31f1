"""bench/reward_gaming.py --before REF scores every generator with the rules at REF and now (no false alarms)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from aligntune.data.corpus import load_bundled_corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench(import_bench):
    return import_bench("reward_gaming")


def _data(tmp_path: Path) -> Path:
    corpus = load_bundled_corpus(60, seed=5)
    data = tmp_path / "responses.jsonl"
    with data.open("w", encoding="utf-8") as handle:
        for i, (prompt, text) in enumerate(zip(corpus.prompts, corpus.texts)):
            handle.write(json.dumps({"prompt": prompt, "response": text, "generator": f"g{i % 2}"}) + "\n")
    return data


def test_before_reports_each_rule_per_generator_at_the_revision_and_now(bench, tmp_path, capsys):
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode:
        pytest.skip("not a git checkout")
    out = tmp_path / "out.json"
    assert bench.main(["--data", str(_data(tmp_path)), "--n", "20", "--before", "HEAD", "--json", str(out)]) == 0
    generators = json.loads(out.read_text(encoding="utf-8"))["generators"]
    assert set(generators) == {"g0", "g1"}
    for means in generators.values():
        assert set(means) == {"before", "after"}
        assert set(means["before"]) == set(bench.FUNCTIONS) == set(means["after"])
        # length never changed in this project's history: the same texts score the same at HEAD
        assert means["before"]["length"] == pytest.approx(means["after"]["length"])
    assert "HEAD -> working tree" in capsys.readouterr().out


def test_before_refuses_a_revision_that_does_not_exist(bench, tmp_path, capsys):
    with pytest.raises(SystemExit):
        bench.main(["--data", str(_data(tmp_path)), "--before", "no-such-revision-xyz"])
    assert "--before 'no-such-revision-xyz' is not a git revision" in capsys.readouterr().err


def test_other_half_draws_the_originals_from_the_instructions_the_default_run_leaves_out(bench):
    rows = [{"prompt": f"p{i % 10}", "response": f"answer number {i} to prompt {i % 10}", "generator": "g"}
            for i in range(60)]
    first, donors = bench.split_rows(rows, 100, 0)
    second, other_donors = bench.split_rows(rows, 100, 0, other_half=True)
    first_prompts, second_prompts = {r["prompt"] for r in first}, {r["prompt"] for r in second}
    assert first_prompts and second_prompts and not first_prompts & second_prompts
    assert {r["prompt"] for r in donors} == second_prompts
    assert {r["prompt"] for r in other_donors} == first_prompts
