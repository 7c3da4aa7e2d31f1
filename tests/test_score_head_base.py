"""A base model that already has a score head trains with any objective (issue 25, item 8).

A previously trained reward model (one output) or a hub classifier (several) used as the base:
before, the default ``rules`` objective failed with "Could not load ... as a sequence classifier
with num_labels=N ... ignore_mismatched_sizes", and ``pairs`` silently kept the old head while
the log said "a new 1-output score head". Now the head is replaced, and one log line says so.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
import torch

from aligntune.reward_model.loading import load_sequence_classifier
from aligntune.rewards.training import RewardModelTrainer

FAST = {"num_epochs": 1, "learning_rate": 1e-3, "batch_size": 8, "max_length": 48}


@pytest.fixture(scope="module")
def classifier_dir(tmp_path_factory, tiny_bert_dir) -> Path:
    """The tiny BERT as a 3-label classifier (a stand-in for a hub classifier)."""
    from transformers import AutoModelForSequenceClassification, set_seed

    out = tmp_path_factory.mktemp("tiny-bert-3-labels")
    set_seed(1)
    AutoModelForSequenceClassification.from_pretrained(tiny_bert_dir, num_labels=3).save_pretrained(out)
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if (tiny_bert_dir / name).is_file():
            shutil.copy(tiny_bert_dir / name, out / name)
    return out


@pytest.fixture(scope="module")
def scored(tiny_bert_dir, corpus_40):
    trainer = RewardModelTrainer(str(tiny_bert_dir), ["length", "safety"])
    return trainer.generate_training_data(corpus_40.texts, prompts=corpus_40.prompts)


def _head_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "aligntune.reward_model.loading"
            and "score head" in r.getMessage()]


@pytest.mark.slow
@pytest.mark.parametrize("objective", ["rules", "pairs"])
@pytest.mark.parametrize("base", ["tiny_bert_rm_dir", "classifier_dir"])
def test_a_base_with_a_score_head_trains_with_either_objective(request, base, objective, scored, tmp_path, caplog):
    base_dir = request.getfixturevalue(base)
    trainer = RewardModelTrainer(str(base_dir), ["length", "safety"])
    with caplog.at_level(logging.INFO, logger="aligntune"):
        path = trainer.train_reward_model(scored, tmp_path / "rm", objective=objective, **FAST)
    assert (Path(path) / "model.safetensors").is_file() and path.fidelity.n_texts == 8
    old = 1 if base == "tiny_bert_rm_dir" else 3
    new = 2 if objective == "rules" else 1
    (message,) = _head_messages(caplog)
    assert f"already has a {old}-output score head (classifier.bias, classifier.weight); it is replaced by a new " \
           f"{new}-output head" in message
    assert "reward_model_path=" in message


def test_a_head_of_the_same_size_is_replaced_too(tiny_bert_rm_dir, caplog):
    from transformers import AutoModelForSequenceClassification

    saved = AutoModelForSequenceClassification.from_pretrained(tiny_bert_rm_dir).classifier.weight
    with caplog.at_level(logging.INFO, logger="aligntune"):
        model = load_sequence_classifier(str(tiny_bert_rm_dir), num_labels=1, fresh_head=True)
    assert not torch.equal(model.classifier.weight, saved)  # a new head, not the trained one
    assert torch.equal(model.classifier.bias, torch.zeros(1))
    # the backbone is the checkpoint's
    backbone = AutoModelForSequenceClassification.from_pretrained(tiny_bert_rm_dir).bert.embeddings.word_embeddings.weight
    assert torch.equal(model.bert.embeddings.word_embeddings.weight, backbone)
    (message,) = _head_messages(caplog)
    assert "already has a 1-output score head" in message


def test_a_base_without_a_head_still_gets_one_info_line(tiny_bert_dir, caplog):
    with caplog.at_level(logging.INFO, logger="aligntune"):
        model = load_sequence_classifier(str(tiny_bert_dir), num_labels=3, fresh_head=True)
    assert model.config.num_labels == 3
    assert _head_messages(caplog) == [f"Loaded {tiny_bert_dir} with a new 3-output score head"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_loading_for_scoring_never_replaces_a_head(tiny_bert_rm_dir):
    from transformers import AutoModelForSequenceClassification

    saved = AutoModelForSequenceClassification.from_pretrained(tiny_bert_rm_dir).classifier.weight
    model = load_sequence_classifier(str(tiny_bert_rm_dir), num_labels=1)
    assert torch.equal(model.classifier.weight, saved)


def test_only_the_score_head_may_mismatch(tiny_bert_rm_dir, tmp_path):
    """ignore_mismatched_sizes is for the head: a backbone weight of the wrong shape is an error, never re-initialised."""
    import json

    from aligntune.errors import ModelLoadError

    broken = tmp_path / "broken"
    shutil.copytree(tiny_bert_rm_dir, broken)
    config = json.loads((broken / "config.json").read_text())
    config["vocab_size"] += 10  # the saved word embeddings no longer fit
    (broken / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelLoadError, match=r"shapes do not match its config.json outside the score head: "
                                              r"\['bert.embeddings.word_embeddings.weight'\]"):
        load_sequence_classifier(str(broken), num_labels=2, fresh_head=True)
