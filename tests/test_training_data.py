"""generate_training_data, pair building, the bundled corpus and fidelity metrics."""

from __future__ import annotations

import numpy as np
import pytest

from aligntune.data import load_bundled_corpus
from aligntune.data.corpus import AXES
from aligntune.errors import ConfigurationError, DataError
from aligntune.rewards.base import reward_function
from aligntune.rewards.training import RewardModelTrainer, build_pairs
from aligntune.reward_model.fidelity import measure_fidelity, pairwise_accuracy
from aligntune.reward_model.pairs import sample_pairs


@reward_function(name="words")
def words(text):
    """More words score higher, up to 40."""
    return min(1.0, len(text.split()) / 40)


@reward_function(name="matches_reference")
def matches_reference(text, reference=None):
    """1 when the text contains its reference."""
    return 1.0 if reference and reference in text else 0.0


@reward_function(name="polite")
def polite(text):
    """Thanks and please."""
    return 1.0 if any(w in text.lower() for w in ("thank", "please", "glad", "great")) else 0.0


@pytest.fixture
def trainer(tiny_bert_dir):
    return RewardModelTrainer(str(tiny_bert_dir), [words, polite], [3, 1])


def test_dataset_has_text_score_and_one_column_per_function(trainer, corpus_40):
    data = trainer.generate_training_data(corpus_40.texts, batch_size=7)
    assert data.column_names == ["text", "score", "words", "polite"]
    assert data.num_rows == 40
    for row in data.select(range(5)):
        assert row["score"] == pytest.approx(0.75 * row["words"] + 0.25 * row["polite"])


def test_references_and_prompts_are_kept(tiny_bert_dir, corpus_40):
    trainer = RewardModelTrainer(str(tiny_bert_dir), [words, matches_reference])
    refs = [t.split()[0] for t in corpus_40.texts]
    data = trainer.generate_training_data(corpus_40.texts, reference_texts=refs, prompts=corpus_40.prompts)
    assert data["reference"] == refs and data["prompt"] == corpus_40.prompts
    assert all(v == 1.0 for v in data["matches_reference"])


def test_references_of_the_wrong_length_are_refused_before_scoring(tiny_bert_dir, corpus_40):
    calls = []

    @reward_function(name="counting")
    def counting(text):
        calls.append(text)
        return 0.5

    trainer = RewardModelTrainer(str(tiny_bert_dir), [counting])
    with pytest.raises(DataError, match=r"one entry per text: got 3 reference_texts for 40 texts"):
        trainer.generate_training_data(corpus_40.texts, reference_texts=["a", "b", "c"])
    assert calls == []


def test_guide_quick_start_with_three_texts_gets_the_minimum_error(trainer):
    texts = [
        "This is a helpful and informative response.",
        "I'm not sure, but here's what I think.",
        "That's a great question! Let me explain step by step.",
    ]
    with pytest.raises(ConfigurationError, match=r"at least 10 training texts, got 3"):
        trainer.generate_training_data(texts=texts, batch_size=32)


def test_num_proc_gives_the_same_scores(trainer, corpus_40):
    one = trainer.generate_training_data(corpus_40.texts)
    two = trainer.generate_training_data(corpus_40.texts, num_proc=2)
    assert one["score"] == two["score"]


def test_a_dataset_with_a_text_column_is_accepted(trainer, corpus_40):
    from datasets import Dataset

    source = Dataset.from_dict({"text": corpus_40.texts, "id": list(range(40))})
    data = trainer.generate_training_data(source)
    assert data.column_names == ["text", "score", "words", "polite"]


def test_pairs_are_deterministic_for_a_seed_and_respect_the_gap():
    scores = np.random.default_rng(0).random(200)
    a = sample_pairs(scores, pairs_per_text=4, min_score_gap=0.05, seed=7)
    b = sample_pairs(scores, pairs_per_text=4, min_score_gap=0.05, seed=7)
    c = sample_pairs(scores, pairs_per_text=4, min_score_gap=0.05, seed=8)
    assert np.array_equal(a.chosen, b.chosen) and np.array_equal(a.rejected, b.rejected)
    assert not np.array_equal(a.chosen, c.chosen)
    gaps = scores[a.chosen] - scores[a.rejected]
    assert (gaps >= 0.05).all()
    assert np.allclose(gaps, a.margin)
    assert a.n_too_close > 0
    unordered = {tuple(sorted(p)) for p in zip(a.chosen.tolist(), a.rejected.tolist())}
    assert len(unordered) == len(a)  # no duplicates
    # Roughly pairs_per_text pairs per text, every text used.
    assert 500 < len(a) <= 800
    assert len(set(a.chosen.tolist()) | set(a.rejected.tolist())) > 190


def test_more_pairs_per_text_gives_more_pairs():
    scores = np.linspace(0, 1, 100)
    assert len(sample_pairs(scores, pairs_per_text=1)) < len(sample_pairs(scores, pairs_per_text=4))


def test_build_pairs_puts_the_higher_score_first(trainer, corpus_40):
    data = trainer.generate_training_data(corpus_40.texts, prompts=corpus_40.prompts)
    pairs = build_pairs(data, seed=1)
    assert {"chosen", "rejected", "margin", "chosen_prompt", "rejected_prompt"} <= set(pairs.column_names)
    score = dict(zip(data["text"], data["score"]))
    for row in pairs:
        assert score[row["chosen"]] - score[row["rejected"]] == pytest.approx(row["margin"])
        assert row["margin"] >= 0.02


def test_identical_scores_give_no_pairs_and_say_why(trainer):
    from datasets import Dataset

    data = Dataset.from_dict({"text": [f"t{i}" for i in range(12)], "score": [0.5] * 12})
    with pytest.raises(DataError, match=r"No preference pairs.*min_score_gap"):
        build_pairs(data)


def test_data_from_another_source_without_required_columns(trainer, tmp_path):
    from datasets import Dataset

    other = Dataset.from_dict({"response": [f"text {i}" for i in range(20)], "rating": [float(i) for i in range(20)]})
    out = tmp_path / "out"
    with pytest.raises(DataError, match=r"lacks the required column\(s\) \['text', 'score'\]"):
        trainer.train_reward_model(other, out)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_bundled_corpus_is_large_diverse_and_deterministic():
    corpus = load_bundled_corpus()
    assert len(corpus) >= 1000 and len(set(corpus.texts)) == len(corpus)
    assert load_bundled_corpus().texts == corpus.texts
    assert load_bundled_corpus(seed=1).texts != corpus.texts
    for axis, levels in AXES.items():
        seen = {row[axis] for row in corpus.labels}
        assert seen == {name for name, _ in levels}, axis
    lengths = [len(t.split()) for t in corpus.texts]
    assert min(lengths) <= 3 and max(lengths) >= 200
    assert len(set(corpus.prompts)) >= 40


def test_fidelity_metrics():
    target = [0.1, 0.2, 0.3, 0.4, 0.5]
    assert pairwise_accuracy([1, 2, 3, 4, 5], target) == (1.0, 10)
    assert pairwise_accuracy([5, 4, 3, 2, 1], target) == (0.0, 10)
    assert pairwise_accuracy([1, 2, 3, 4, 5], target, min_gap=0.25)[1] == 3
    report = measure_fidelity([1, 2, 3, 4, 5], target, {"same": target, "flat": [1, 1, 1, 1, 1]})
    assert report.spearman == pytest.approx(1.0)
    assert report.components["same"].model_spearman == pytest.approx(1.0)
    assert report.components["flat"].model_spearman is None  # undefined, not invented


def test_a_memory_mapped_dataset_is_scored_in_chunks_with_the_same_result(trainer, corpus_40, tmp_path, monkeypatch):
    """Large disk-backed corpora are scored chunk by chunk (each with its own memory map)."""
    from datasets import Dataset, load_from_disk

    from aligntune.reward_model import scored_data as training_data

    Dataset.from_dict({"text": corpus_40.texts, "prompt": corpus_40.prompts}).save_to_disk(tmp_path / "corpus")
    on_disk = load_from_disk(str(tmp_path / "corpus"))
    assert training_data._memory_mapped(on_disk)
    whole = trainer.generate_training_data(corpus_40.texts, prompts=corpus_40.prompts)
    monkeypatch.setattr(training_data, "CHUNK_ROWS", 9)  # 40 rows: 5 chunks, the last one short
    chunked = trainer.generate_training_data(on_disk)
    assert chunked.num_rows == 40
    assert chunked["text"] == corpus_40.texts and chunked["prompt"] == corpus_40.prompts
    assert chunked["score"] == whole["score"] and chunked["polite"] == whole["polite"]
    assert len(chunked.cache_files) == 5
