"""fidelity_on_texts: a user checks a trained reward model on texts of their own, as training checked it."""

from __future__ import annotations

import shutil

import pytest

from aligntune.errors import ConfigurationError
from aligntune.reward_model.fidelity_check import fidelity_on_texts
from aligntune.reward_model.pipeline import split_indices
from aligntune.rewards.base import reward_function
from aligntune.rewards.training import RewardModelTrainer


@reward_function(name="wordiness")
def wordiness(text):
    """More words score higher, up to 60."""
    return min(1.0, len(text.split()) / 60)


@reward_function(name="asks_back")
def asks_back(text, prompt=None):
    """1 when the text repeats the prompt's first word."""
    first = (prompt or "").split()[:1]
    return float(bool(first) and first[0].lower() in text.lower())


@pytest.fixture(scope="module")
def trained(tiny_bert_dir, tmp_path_factory):
    pytest.importorskip("aligntune_rewards_basic")
    from aligntune.data import load_bundled_corpus

    corpus = load_bundled_corpus(80, seed=4)
    trainer = RewardModelTrainer(str(tiny_bert_dir), ["length", "sentiment"], [0.7, 0.3], eval_fraction=0.25)
    data = trainer.generate_training_data(corpus.texts, prompts=corpus.prompts)
    out = tmp_path_factory.mktemp("fc") / "rm"
    result = trainer.train_reward_model(data, out, num_epochs=1, learning_rate=1e-3, max_length=64,
                                        augment_copies=0)
    return corpus, result


@pytest.mark.slow
def test_on_the_training_held_out_texts_it_gives_the_figures_training_reported(trained):
    corpus, result = trained
    _, held = split_indices(80, 0.25, 42)
    report = fidelity_on_texts(result, [corpus.texts[i] for i in held], prompts=[corpus.prompts[i] for i in held])
    assert report.n_texts == result.fidelity.n_texts == 20
    assert report.spearman == pytest.approx(result.fidelity.spearman)
    assert report.pairwise_accuracy == pytest.approx(result.fidelity.pairwise_accuracy)
    assert report.n_pairs == result.fidelity.n_pairs
    assert list(report.components) == ["length", "sentiment"]  # the rules the manifest names
    other = fidelity_on_texts(result, [corpus.texts[i] for i in held], prompts=[corpus.prompts[i] for i in held],
                              reward_functions=[wordiness, asks_back], weights=[0.5, 0.5])
    assert list(other.components) == ["wordiness", "asks_back"] and other.n_texts == 20


@pytest.mark.slow
def test_a_model_without_a_manifest_needs_its_rules_named(trained, tmp_path):
    corpus, result = trained
    bare = tmp_path / "bare"
    shutil.copytree(result, bare)
    (bare / "aligntune.json").unlink()
    with pytest.raises(ConfigurationError, match=r"has no aligntune.json naming its reward functions; pass "
                                                 r"reward_functions=\[\.\.\.\]"):
        fidelity_on_texts(bare, corpus.texts[:20])
    report = fidelity_on_texts(bare, corpus.texts[:20], reward_functions=[wordiness])
    assert list(report.components) == ["wordiness"] and report.n_texts == 20
