"""Augmentation in training: copies of the training texts only, scored by the rules, reported, and switchable off."""

from __future__ import annotations

import json

import pytest

from aligntune.errors import ConfigurationError
from aligntune.reward_model.augment import KINDS, augment_training_part
from aligntune.reward_model.scored_data import as_text_dataset, score_dataset
from aligntune.rewards.base import reward_function
from aligntune.rewards.composite import CompositeReward
from aligntune.rewards.training import RewardModelTrainer


@reward_function(name="wordiness")
def wordiness(text):
    """More words score higher, up to 60."""
    return min(1.0, len(text.split()) / 60)


@reward_function(name="on_prompt")
def on_prompt(text, prompt=None):
    """Share of the prompt's longer words the text repeats."""
    keys = {w.strip("?.,!").lower() for w in (prompt or "").split() if len(w) > 3}
    return len(keys & {w.strip("?.,!").lower() for w in text.split()}) / max(1, len(keys))


@pytest.fixture(scope="module")
def corpus():
    from aligntune.data import load_bundled_corpus

    return load_bundled_corpus(60, seed=8)


def test_copies_carry_the_rules_own_scores_not_their_sources(corpus):
    composite = CompositeReward([wordiness, on_prompt], [0.6, 0.4])
    data = score_dataset(as_text_dataset(corpus.texts, prompts=corpus.prompts), composite)
    merged, record = augment_training_part(data, composite, copies_per_text=1.5, seed=0, use_prompts=True)
    assert merged.num_rows == 60 + 90 and record["n_copies"] == 90 and sum(record["kinds"].values()) == 90
    assert list(record["kinds"]) == list(KINDS) and record["skipped"] is None
    assert merged.select(range(60)).to_dict() == data.select_columns(merged.column_names).to_dict()
    copies = merged.select(range(60, 150))
    again = composite.score_components(copies["text"], prompts=copies["prompt"])
    assert copies["score"] == pytest.approx(again.total)
    assert copies["wordiness"] == pytest.approx(again.components["wordiness"])
    assert copies["on_prompt"] == pytest.approx(again.components["on_prompt"])
    # edited texts (all but the other_prompt copies, which keep the text under another prompt)
    assert sum(t not in set(corpus.texts) for t in copies["text"]) == 90 - record["kinds"]["other_prompt"]


def test_a_model_that_does_not_read_prompts_gets_no_other_prompt_copies_but_each_copy_keeps_its_prompt(corpus):
    composite = CompositeReward([wordiness, on_prompt])
    data = score_dataset(as_text_dataset(corpus.texts, prompts=corpus.prompts), composite)
    merged, record = augment_training_part(data, composite, copies_per_text=1.0, seed=1, use_prompts=False)
    assert record["kinds"]["other_prompt"] == 0 and record["n_copies"] == 60 and "prompt" in merged.column_names
    copies = merged.select(range(60, 120))
    by_text = dict(zip(corpus.texts, corpus.prompts))
    # scored as their sources were: with the prompt they answer
    again = composite.score_components(copies["text"], prompts=copies["prompt"])
    assert copies["on_prompt"] == pytest.approx(again.components["on_prompt"])
    assert all(p in corpus.prompts for p in copies["prompt"])
    assert sum(by_text.get(t) == p for t, p in zip(copies["text"], copies["prompt"])) == 0  # every copy edited


def test_data_not_scored_by_the_trainers_rules_is_left_as_it_is_and_says_why(corpus):
    from datasets import Dataset

    composite = CompositeReward([wordiness, on_prompt])
    data = Dataset.from_dict({"text": corpus.texts, "score": [float(i % 7) for i in range(60)]})
    merged, record = augment_training_part(data, composite, copies_per_text=1.0, seed=0, use_prompts=False)
    assert merged is data and record["n_copies"] == 0 and "no column for ['wordiness', 'on_prompt']" in record["skipped"]
    off, record = augment_training_part(data, composite, copies_per_text=0, seed=0, use_prompts=False)
    assert off is data and record["skipped"] == "turned off (augment_copies=0)"


def test_copies_fill_a_small_corpus_up_to_the_cap_and_leave_a_large_one_alone(corpus, monkeypatch):
    from aligntune.reward_model import augment

    composite = CompositeReward([wordiness])
    data = score_dataset(as_text_dataset(corpus.texts), composite)
    monkeypatch.setattr(augment, "AUGMENT_UP_TO", 100)
    merged, record = augment_training_part(data, composite, copies_per_text=1.0, seed=0, use_prompts=False)
    assert merged.num_rows == 100 and record["n_copies"] == 40 and record["up_to_texts"] == 100
    monkeypatch.setattr(augment, "AUGMENT_UP_TO", 60)
    same, record = augment_training_part(data, composite, copies_per_text=1.0, seed=0, use_prompts=False)
    assert same is data and record["n_copies"] == 0 and "the 60 training texts reach 60 already" in record["skipped"]


@pytest.mark.parametrize("value", [-1, float("nan"), "1", 21, True])
def test_a_bad_number_of_copies_is_refused_before_anything_loads(tiny_bert_dir, corpus, tmp_path, value):
    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness])
    data = trainer.generate_training_data(corpus.texts[:20])
    with pytest.raises(ConfigurationError, match=r"train_reward_model\.augment_copies must be"):
        trainer.train_reward_model(data, tmp_path / "out", augment_copies=value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_training_reports_the_copies_in_the_card_and_manifest_and_turns_off(tiny_bert_dir, corpus, tmp_path):
    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness, on_prompt], eval_fraction=0.2)
    data = trainer.generate_training_data(corpus.texts, prompts=corpus.prompts)
    fast = {"num_epochs": 1, "learning_rate": 1e-3, "batch_size": 8, "max_length": 64}
    on = trainer.train_reward_model(data, tmp_path / "on", **fast)
    off = trainer.train_reward_model(data, tmp_path / "off", augment_copies=0, **fast)

    record = json.loads((tmp_path / "on" / "aligntune.json").read_text(encoding="utf-8"))["data"]["augmentation"]
    assert record["copies_per_text"] == 1.0 and record["n_copies"] == 48 == on.manifest["data"]["n_train_texts"]
    assert sum(record["kinds"].values()) == 48 and record["kinds"]["other_prompt"] > 0
    card = (tmp_path / "on" / "README.md").read_text(encoding="utf-8")
    assert "Augmented copies (rule-aware, scored by the rules):** 48 (1 per training text asked, up to 4,000 " \
           "texts with the originals; truncate " in card
    assert "augment_copies=0" in card

    assert off.manifest["data"]["augmentation"]["n_copies"] == 0
    assert "none: turned off (augment_copies=0)" in (tmp_path / "off" / "README.md").read_text(encoding="utf-8")
    # the copies are trained on: twice the texts, twice the steps; the held-out texts are the same
    assert on.manifest["training"]["global_steps"] == 2 * off.manifest["training"]["global_steps"]
    assert on.fidelity.n_texts == off.fidelity.n_texts == 12


def test_every_spelling_of_the_setting_reaches_the_config(tmp_path):
    from click.testing import CliRunner

    from aligntune.cli import main
    from aligntune.reward_model.config import FIELDS, rl_keywords

    assert FIELDS["augment_copies"].default == 1.0
    assert rl_keywords()["reward_training_augment_copies"] == "augment_copies"
    help_text = CliRunner().invoke(main, ["train-reward-model", "--help"]).output
    assert "--augment-copies" in help_text and "augment_copies (1.0)" in help_text


@pytest.mark.slow
def test_the_yaml_key_sets_it_and_the_option_overrides_it(text_rewards, tiny_bert_dir, corpus_40, tmp_path):
    import yaml
    from click.testing import CliRunner

    from aligntune.cli import main

    texts_file = tmp_path / "texts.jsonl"
    texts_file.write_text("\n".join(json.dumps({"text": t, "prompt": p})
                                    for t, p in zip(corpus_40.texts, corpus_40.prompts)) + "\n")
    config = tmp_path / "rm.yaml"
    config.write_text(yaml.safe_dump({
        "base_model_name": str(tiny_bert_dir), "training_texts_file": "texts.jsonl",
        "reward_functions": text_rewards, "output_dir": str(tmp_path / "from-yaml"),
        "learning_rate": 1e-3, "max_length": 48, "augment_copies": 0.5,
    }))
    result = CliRunner().invoke(main, ["train-reward-model", "--config", str(config)])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "from-yaml" / "aligntune.json").read_text())["data"]["augmentation"]
    assert record["copies_per_text"] == 0.5 and record["n_copies"] == 16  # half of the 32 training texts

    result = CliRunner().invoke(main, ["train-reward-model", "--config", str(config), "--augment-copies", "0",
                                       "--output-dir", str(tmp_path / "off")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "off" / "aligntune.json").read_text())["data"]["augmentation"]["n_copies"] == 0

    result = CliRunner().invoke(main, ["train-reward-model", "--config", str(config), "--augment-copies", "-1",
                                       "--output-dir", str(tmp_path / "bad")])
    assert result.exit_code != 0 and "--augment-copies must be a finite number >= 0, got -1" in result.output
    assert not (tmp_path / "bad").exists()
