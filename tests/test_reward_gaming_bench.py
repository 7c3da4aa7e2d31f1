"""bench/reward_gaming.py runs end to end on texts the project writes, and its copies are real corruptions."""

from __future__ import annotations

import json
import random

import pytest

from aligntune.data.corpus import load_bundled_corpus



@pytest.fixture(scope="module")
def gaming(import_bench):
    return import_bench("gaming_copies"), import_bench("reward_gaming")


def test_copies_change_the_text_the_way_each_class_says(gaming):
    copies, _ = gaming
    rng = random.Random(0)
    text = "Water the plant once a week. Keep it out of direct sun. Feed it in spring."
    assert copies.loop_sentence(text, rng).count(".") == 5
    assert sorted(copies.shuffle_words(text, rng).split()) == sorted(text.split())
    assert copies.shout(text, rng) == text.upper()
    marked = copies.insert_markers(text, rng)
    assert len(marked.split()) > len(text.split()) and marked != text
    assert not copies.truncate(text, rng).endswith(".")
    salad = copies.BigramSalad([text, "Keep the soil moist. Water it in the morning."])
    generated = salad.generate(12, rng).split()
    assert len(generated) >= 12
    known = set(text.split()) | set("Keep the soil moist. Water it in the morning.".split())
    assert set(generated) <= known


def test_bench_reports_every_class_on_a_small_corpus(gaming, tmp_path):
    _, bench = gaming
    corpus = load_bundled_corpus(120, seed=3)
    data = tmp_path / "responses.jsonl"
    with data.open("w", encoding="utf-8") as handle:
        for i, (prompt, text) in enumerate(zip(corpus.prompts, corpus.texts)):
            handle.write(json.dumps({"prompt": prompt, "response": text, "generator": f"g{i % 3}"}) + "\n")
    out = tmp_path / "out.json"
    assert bench.main(["--data", str(data), "--n", "40", "--json", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result["classes"]) == {"originals", *bench.CLASSES}
    assert set(result["generators"]) == {"g0", "g1", "g2"}
    for name in bench.CLASSES:
        share = result["classes"][name]["composite_prefers_original"]
        assert 0.0 <= share <= 1.0
    # shuffling keeps every word: length cannot move, coherence must fall on average
    assert result["classes"]["shuffle"]["rules"]["length"]["mean_change"] == 0.0
    assert result["classes"]["shuffle"]["rules"]["coherence"]["mean_change"] < 0.0
