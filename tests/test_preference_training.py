"""train_reward_model on chosen/rejected pairs (TRL's preference shapes), and combined with rule-scored texts."""

from __future__ import annotations

import json

import pytest

from aligntune.errors import DataError
from aligntune.reward_model.scoring import TextRewardModel
from aligntune.rewards.training import RewardModelTrainer


def _pairs(corpus):
    """Chosen: a polite, long answer; rejected: a curt one (the model can learn length and tone)."""
    rows = []
    for text, prompt in zip(corpus.texts[:30], corpus.prompts[:30]):
        rows.append({"prompt": prompt, "chosen": "Thanks for asking! " + text, "rejected": "No."})
    return rows


@pytest.mark.slow
def test_plain_text_pairs_train_with_a_held_out_preference_accuracy(tiny_bert_dir, corpus_40, tmp_path):
    from datasets import Dataset

    data = Dataset.from_list(_pairs(corpus_40))
    trainer = RewardModelTrainer(str(tiny_bert_dir), ["length"], eval_fraction=0.3)
    path = trainer.train_reward_model(data, tmp_path / "rm", num_epochs=2, learning_rate=1e-3, max_length=64)
    fid = path.fidelity
    assert fid.n_pairs == 9 and fid.pairwise_accuracy is not None and fid.spearman is None
    manifest = json.loads((tmp_path / "rm" / "aligntune.json").read_text())
    assert manifest["data"]["source"] == "preference pairs" and manifest["data"]["n_train_pairs"] == 21
    assert manifest["reward_functions"]["functions"] == []  # no rules: RL tracks no gold for this model
    rm = TextRewardModel.from_pretrained(path)
    assert rm.uses_prompts and len(rm.score(["Thanks for asking! Here is how."], prompts=["How?"])) == 1


@pytest.mark.slow
def test_conversational_pairs_and_a_mix_with_rule_scored_texts(tiny_bert_dir, corpus_40, tmp_path):
    from datasets import Dataset, concatenate_datasets

    conversational = Dataset.from_list([
        {"prompt": [{"role": "user", "content": r["prompt"]}],
         "chosen": [{"role": "assistant", "content": r["chosen"]}],
         "rejected": [{"role": "assistant", "content": r["rejected"]}]} for r in _pairs(corpus_40)
    ])
    trainer = RewardModelTrainer(str(tiny_bert_dir), ["length"])
    path = trainer.train_reward_model(conversational, tmp_path / "chat", num_epochs=1, max_length=64)
    assert path.fidelity.n_pairs == 6

    # rule-scored texts as pairs, next to the given pairs: one dataset, one run
    scored = trainer.generate_training_data(corpus_40.texts, prompts=corpus_40.prompts)
    rule_pairs = trainer.build_pairs(scored).select_columns(["chosen", "rejected", "chosen_prompt"])
    rule_pairs = rule_pairs.rename_column("chosen_prompt", "prompt")
    mixed = concatenate_datasets([Dataset.from_list(_pairs(corpus_40)), rule_pairs])
    both = trainer.train_reward_model(mixed, tmp_path / "mixed", num_epochs=1, max_length=64)
    assert both.manifest["data"]["n_pairs"] == mixed.num_rows


def test_too_few_pairs_are_refused_before_loading(tiny_bert_dir, tmp_path):
    from datasets import Dataset

    data = Dataset.from_list([{"chosen": "fine, thanks", "rejected": "no"}])
    trainer = RewardModelTrainer(str(tiny_bert_dir), ["length"])
    with pytest.raises(DataError, match="too few"):
        trainer.train_reward_model(data, tmp_path / "rm")
    assert not (tmp_path / "rm").exists()
