"""TextRewardModel: scoring texts with a sequence classifier that has one output."""

from __future__ import annotations

import json
import math

import pytest
import torch

from aligntune.errors import ModelLoadError, RewardFunctionError
from aligntune.reward_model.encoding import encode
from aligntune.reward_model.scoring import TextRewardModel


@pytest.fixture(scope="module")
def bert_reward_model(tiny_bert_rm_dir):
    return TextRewardModel.from_pretrained(tiny_bert_rm_dir, max_length=32)


def test_scores_are_finite_batched_and_order_independent(bert_reward_model):
    texts = ["short", "a somewhat longer text with more words in it", "mid length text"]
    one_batch = bert_reward_model.score(texts, batch_size=8)
    small_batches = bert_reward_model.score(texts, batch_size=1)
    assert len(one_batch) == 3 and all(math.isfinite(s) for s in one_batch)
    assert one_batch == pytest.approx(small_batches, abs=1e-5)
    reversed_scores = bert_reward_model.score(texts[::-1])
    assert reversed_scores[::-1] == pytest.approx(one_batch, abs=1e-5)


def test_model_is_in_eval_mode_with_one_label(bert_reward_model):
    assert not bert_reward_model.model.training
    assert bert_reward_model.model.config.num_labels == 1
    assert bert_reward_model.tokenizer.pad_token is not None


def test_prompts_change_the_input(bert_reward_model):
    plain = bert_reward_model.score(["Knead the dough."])
    with_prompt = bert_reward_model.score(["Knead the dough."], prompts=["How do I bake bread?"])
    assert plain != pytest.approx(with_prompt, abs=1e-7)


def test_long_texts_are_truncated_not_dropped(bert_reward_model):
    long_text = "word " * 500
    scores = bert_reward_model.score([long_text, "short"])
    assert len(scores) == 2
    encoded = encode(bert_reward_model.tokenizer, [long_text], max_length=32)
    assert encoded.n_truncated == 1 and len(encoded.input_ids[0]) == 32


def test_gpt2_tokenizer_without_pad_token_scores(tiny_gpt2_rm_dir):
    rm = TextRewardModel.from_pretrained(tiny_gpt2_rm_dir)
    assert rm.tokenizer.pad_token == rm.tokenizer.eos_token
    assert rm.model.config.pad_token_id == rm.tokenizer.eos_token_id
    scores = rm.score(["the dough", "a much longer answer about the dough and the oven", ""])
    assert len(scores) == 3 and all(math.isfinite(s) for s in scores)
    # Padding must not change a text's score (the last real token is read).
    alone = rm.score(["the dough"])
    assert alone[0] == pytest.approx(scores[0], abs=1e-5)


def test_nan_scores_are_an_error(tiny_bert_rm_dir):
    rm = TextRewardModel.from_pretrained(tiny_bert_rm_dir)
    with torch.no_grad():
        rm.model.classifier.bias.fill_(float("nan"))
    with pytest.raises(RewardFunctionError, match=r"NaN and infinite rewards are never passed on"):
        rm.score(["anything"])


def test_classifier_with_several_labels_is_not_a_reward_model(tiny_bert_dir, tmp_path):
    import shutil

    other = tmp_path / "classifier"
    shutil.copytree(tiny_bert_dir, other)
    config = json.loads((other / "config.json").read_text())
    config["id2label"] = {"0": "neg", "1": "pos"}
    config["label2id"] = {"neg": 0, "pos": 1}
    (other / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelLoadError, match=r"num_labels=2, not a reward model"):
        TextRewardModel.from_pretrained(other)


def test_empty_batch_is_an_error(bert_reward_model):
    from aligntune.errors import DataError

    with pytest.raises(DataError, match="empty"):
        bert_reward_model.score([])


def test_long_texts_among_short_ones_get_passes_of_their_own_with_the_same_scores(tiny_bert_rm_dir):
    rm = TextRewardModel.from_pretrained(tiny_bert_rm_dir)  # on the CPU: passes cut where padding costs
    short = [f"Reply {i}: that is fine." for i in range(30)]
    texts = short[:10] + ["word " * 200] + short[10:] + ["more words here " * 50]
    lengths = [len(ids) for ids in encode(rm.tokenizer, texts, max_length=rm.max_length).input_ids]
    passes = rm.passes(lengths, 32)
    assert sorted(i for rows in passes for i in rows) == list(range(len(texts)))
    assert all(len(rows) <= 32 for rows in passes)
    assert all(set(rows) <= {10, 31} for rows in passes if {10, 31} & set(rows))  # the short are not padded to them
    assert sum(len(rows) * max(lengths[i] for i in rows) for rows in passes) < 1.2 * sum(lengths)
    together = rm.score(texts, batch_size=32)
    assert together == pytest.approx([rm.score([t], batch_size=1)[0] for t in texts], abs=1e-5)  # in order
