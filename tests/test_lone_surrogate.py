"""A lone surrogate ("\\ud800") in training texts, prompts or references: one DataError naming the text.

No file, Arrow table, JSON manifest or tokenizer can take half a UTF-16 pair; before, it reached
the user as a bare UnicodeEncodeError from inside datasets or the tokenizer.
"""

from __future__ import annotations

import json

import pytest

from aligntune.errors import DataError
from aligntune.rewards.base import reward_function
from aligntune.rewards.training import RewardModelTrainer

BAD = "half \ud800 a pair"
TEXTS = [f"Text number {i} says something a little different." for i in range(12)]


@pytest.fixture
def counted():
    calls = []

    @reward_function(name="counted_words")
    def counted_words(text):
        calls.append(text)
        return min(1.0, len(text.split()) / 20)

    return counted_words, calls


def _with_bad(index: int) -> list[str]:
    texts = list(TEXTS)
    texts[index] = BAD
    return texts


def test_a_training_text_is_named_by_index_before_scoring(tiny_bert_dir, counted):
    fn, calls = counted
    trainer = RewardModelTrainer(str(tiny_bert_dir), [fn])
    with pytest.raises(DataError, match=r"texts\[3\] holds a lone surrogate \(U\+D800 at character 5\).*replace it"):
        trainer.generate_training_data(_with_bad(3))
    assert calls == []  # nothing was scored


@pytest.mark.parametrize("keyword, where", [("prompts", "prompts"), ("reference_texts", "reference_texts")])
def test_a_prompt_or_reference_is_named_by_index(tiny_bert_dir, counted, keyword, where):
    fn, calls = counted
    trainer = RewardModelTrainer(str(tiny_bert_dir), [fn])
    values = ["a fine prompt"] * len(TEXTS)
    values[7] = BAD
    with pytest.raises(DataError, match=rf"^{where}\[7\] holds a lone surrogate"):
        trainer.generate_training_data(TEXTS, **{keyword: values})
    assert calls == []


def test_a_dataset_with_a_bad_prompt_list_is_refused(tiny_bert_dir, counted):
    from datasets import Dataset

    fn, _ = counted
    trainer = RewardModelTrainer(str(tiny_bert_dir), [fn])
    prompts = ["p"] * len(TEXTS)
    prompts[2] = BAD
    with pytest.raises(DataError, match=r"prompts\[2\] holds a lone surrogate"):
        trainer.generate_training_data(Dataset.from_dict({"text": TEXTS}), prompts=prompts)


def test_the_config_and_create_rl_trainer_refuse_it(tmp_path):
    from aligntune.core.rl.config import RewardModelTrainingConfig

    with pytest.raises(DataError, match=r"training_texts\[4\] holds a lone surrogate"):
        RewardModelTrainingConfig(base_model_name="base", training_texts=_with_bad(4), reward_functions=["length"],
                                  output_dir=str(tmp_path / "rm"))


def test_a_stream_and_a_jsonl_prompt_column_name_the_row(tiny_bert_dir, counted, tmp_path):
    from datasets import IterableDataset

    fn, _ = counted
    trainer = RewardModelTrainer(str(tiny_bert_dir), [fn])
    rows = [{"text": t, "prompt": "fine"} for t in TEXTS]
    rows[5]["prompt"] = BAD
    stream = IterableDataset.from_generator(lambda: iter(rows))
    with pytest.raises(DataError, match=r"Row 5 of the IterableDataset: 'prompt' holds a lone surrogate"):
        trainer.generate_training_data(stream)
    # A JSONL escape of half a pair, in the prompt column (the text column was already checked)
    path = tmp_path / "texts.jsonl"
    path.write_text("".join(json.dumps({"text": t, "prompt": "p" if i != 6 else "x \\ud800"}).replace("\\\\", "\\") + "\n"
                            for i, t in enumerate(TEXTS)), encoding="utf-8")
    with pytest.raises(DataError, match=r"texts\.jsonl: row 6 'prompt' holds a lone surrogate"):
        trainer.generate_training_data(str(path))


def test_scoring_with_a_reward_model_names_the_text(tiny_bert_rm_dir):
    from aligntune.reward_model.scoring import TextRewardModel

    rm = TextRewardModel.from_pretrained(tiny_bert_rm_dir)
    with pytest.raises(DataError, match=r"^texts\[1\] holds a lone surrogate"):
        rm.score(["fine", BAD])
    with pytest.raises(DataError, match=r"^prompts\[0\] holds a lone surrogate"):
        rm.score(["fine"], prompts=[BAD])
