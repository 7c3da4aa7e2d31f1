"""``aligntune eval-reward-model`` and ``evaluate_reward_model``: pairwise accuracy beside trivial rankers."""

from __future__ import annotations

import json
import logging

import pytest
from click.testing import CliRunner

from aligntune.cli import main
from aligntune.errors import DataError, UnknownRewardFunctionError
from aligntune.reward_model.evaluate import LENGTH_BASELINE, evaluate_reward_model, read_pairs
from aligntune.reward_model.scoring import TextRewardModel

SHORT = ["No.", "Maybe.", "Ok", "Sure thing.", "Fine.", "Yes", "Hm.", "Try it.", "Nope", "Why?", "Later.", "Go."]


def _pairs(n: int = 12) -> list[dict[str, str]]:
    """Pairs where ``chosen`` is always the longer text."""
    return [{"prompt": f"Question {i}?", "chosen": f"Thanks for asking, here is a longer answer number {i}.",
             "rejected": SHORT[i % len(SHORT)]} for i in range(n)]


def _write_jsonl(path, rows) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _cli(*args: str):
    return CliRunner().invoke(main, ["eval-reward-model", *args])


def test_length_baseline_is_one_when_chosen_is_always_longer(tiny_bert_rm_dir):
    result = evaluate_reward_model(str(tiny_bert_rm_dir), _pairs())
    assert result.n_pairs == 12
    assert result.baselines[LENGTH_BASELINE].accuracy == 1.0
    assert result.baselines[LENGTH_BASELINE].interval == [1.0, 1.0]
    assert 0.0 <= result.accuracy <= 1.0 and result.interval is not None


def test_length_baseline_matches_an_independent_count_and_is_printed(tiny_bert_rm_dir, tmp_path):
    rows = _pairs(8) + [{"chosen": "ab", "rejected": "abcdef"}, {"chosen": "same", "rejected": "four"},
                        {"chosen": "x", "rejected": "yy"}, {"chosen": "longer one", "rejected": "short"}]
    expected = sum(len(r["chosen"]) > len(r["rejected"]) for r in rows) / len(rows)  # a tie is wrong
    path = _write_jsonl(tmp_path / "pairs.jsonl", rows)
    out = _cli("--model", str(tiny_bert_rm_dir), "--pairs", path)
    assert out.exit_code == 0, out.output
    line = next(l for l in out.output.splitlines() if l.startswith(LENGTH_BASELINE))
    assert f"{expected:.3f}" in line
    assert "tie counts as wrong" in out.output


def test_cli_json_parses_with_a_rule_baseline(tiny_bert_rm_dir, tmp_path, text_rewards):
    path = _write_jsonl(tmp_path / "pairs.jsonl", _pairs())
    out = CliRunner().invoke(
        main, ["eval-reward-model", "--model", str(tiny_bert_rm_dir), "--pairs", path,
               "--function", "word_count,politeness", "--json", "--batch-size", "5"])
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"model", "n_pairs", "accuracy", "interval", "baselines"}
    assert data["n_pairs"] == 12
    assert set(data["baselines"]) == {LENGTH_BASELINE, "word_count", "politeness"}
    assert data["baselines"]["word_count"]["accuracy"] == 1.0
    assert set(data["baselines"]["politeness"]) == {"accuracy", "interval"}


def test_saved_dataset_and_csv_inputs(tiny_bert_rm_dir, tmp_path):
    from datasets import Dataset

    Dataset.from_list(_pairs()).save_to_disk(str(tmp_path / "ds"))
    assert evaluate_reward_model(str(tiny_bert_rm_dir), str(tmp_path / "ds")).n_pairs == 12
    csv = tmp_path / "pairs.csv"
    csv.write_text("chosen,rejected\n" + "".join(f"long answer {i},no\n" for i in range(3)), encoding="utf-8")
    result = evaluate_reward_model(str(tiny_bert_rm_dir), str(csv))
    assert result.n_pairs == 3 and result.interval is None  # too few pairs for an interval


def _conversations(n: int = 10, *, explicit_prompt: bool) -> list[dict]:
    rows = []
    for i in range(n):
        user = [{"role": "user", "content": f"How do I fix bug {i}?"}]
        chosen = [{"role": "assistant", "content": f"Glad to help: restart the service and check log {i}."}]
        rejected = [{"role": "assistant", "content": "No."}]
        if explicit_prompt:
            rows.append({"prompt": user, "chosen": chosen, "rejected": rejected})
        else:
            rows.append({"chosen": user + chosen, "rejected": user + rejected})
    return rows


@pytest.mark.parametrize("explicit_prompt", [True, False])
def test_conversational_pairs_without_a_chat_template(tiny_bert_rm_dir, caplog, explicit_prompt):
    with caplog.at_level(logging.INFO, logger="aligntune.reward_model.evaluate"):
        result = evaluate_reward_model(str(tiny_bert_rm_dir), _conversations(explicit_prompt=explicit_prompt))
    assert result.n_pairs == 10 and result.baselines[LENGTH_BASELINE].accuracy == 1.0
    assert "no chat template" in caplog.text


def test_conversational_pairs_with_a_chat_template(tiny_bert_rm_dir, caplog):
    model = TextRewardModel.from_pretrained(tiny_bert_rm_dir)
    model.tokenizer.chat_template = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
    seen = []
    original = model.score

    def spy(texts, **kwargs):
        seen.extend(texts)
        return original(texts, **kwargs)

    model.score = spy
    with caplog.at_level(logging.INFO, logger="aligntune.reward_model.evaluate"):
        result = evaluate_reward_model(model, _conversations(explicit_prompt=True))
    assert result.n_pairs == 10
    assert "chat template" in caplog.text
    assert seen[0].startswith("user: How do I fix bug 0?\nassistant: Glad to help")


def test_a_model_trained_with_prompts_gets_them(tiny_bert_rm_dir):
    model = TextRewardModel.from_pretrained(tiny_bert_rm_dir)
    model.manifest = {"data": {"uses_prompts": True}}
    calls = []
    original = model.score

    def spy(texts, prompts=None, **kwargs):
        calls.append(prompts)
        return original(texts, prompts=prompts, **kwargs)

    model.score = spy
    evaluate_reward_model(model, _pairs())
    assert calls[0][0] == "Question 0?"


def test_a_trained_model_on_pairs_it_should_rank(tiny_bert_dir, corpus_40, tmp_path, text_rewards):
    from aligntune.rewards.training import RewardModelTrainer

    trainer = RewardModelTrainer(str(tiny_bert_dir), ["word_count"], pairs_per_text=3)
    data = trainer.generate_training_data(corpus_40.texts)
    out = trainer.train_reward_model(data, tmp_path / "rm", num_epochs=1, max_length=64, learning_rate=3e-3)
    result = evaluate_reward_model(str(out), _pairs(), functions=["word_count"])
    assert result.model == str(out)
    assert result.baselines["word_count"].accuracy == 1.0
    assert 0.0 <= result.accuracy <= 1.0


# Bad input: one line, exit 1, before the model loads.

@pytest.mark.parametrize("rows, needle", [
    ([{"chosen": "a"}], "no 'rejected' column"),
    ([{"good": "a", "bad": "b"}], "no 'chosen' or 'rejected' column"),
    ([{"chosen": 3, "rejected": "b"}], "must be a string or a non-empty list"),
    ([{"chosen": [{"role": "assistant", "content": 1}], "rejected": "b"}], "must be a string or a non-empty list"),
    ([], "holds no pairs"),
])
def test_bad_pairs_files(tmp_path, rows, needle):
    path = _write_jsonl(tmp_path / "pairs.jsonl", rows)
    out = _cli("--model", str(tmp_path / "no-such-model"), "--pairs", path)  # the model is never reached
    assert out.exit_code == 1
    assert needle in out.output and len(out.output.strip().splitlines()) == 1
    assert "Traceback" not in out.output


def test_missing_pairs_file(tmp_path):
    out = _cli("--model", str(tmp_path), "--pairs", str(tmp_path / "missing.jsonl"))
    assert out.exit_code == 1 and "does not exist" in out.output
    assert len(out.output.strip().splitlines()) == 1


def test_unknown_function_names_the_closest(tmp_path, text_rewards):
    path = _write_jsonl(tmp_path / "pairs.jsonl", _pairs())
    out = _cli("--model", str(tmp_path / "no-such-model"), "--pairs", path, "--function", "word_cont")
    assert out.exit_code == 1 and "word_count" in out.output and "Did you mean" in out.output
    assert len(out.output.strip().splitlines()) == 1
    with pytest.raises(UnknownRewardFunctionError):
        evaluate_reward_model(str(tmp_path), _pairs(), functions=["nope"])


def test_a_model_dir_that_is_not_a_reward_model(tiny_bert_dir, tmp_path):
    path = _write_jsonl(tmp_path / "pairs.jsonl", _pairs())
    out = _cli("--model", str(tiny_bert_dir), "--pairs", path)
    assert out.exit_code == 1 and "not a reward model" in out.output
    assert len(out.output.strip().splitlines()) == 1 and "Traceback" not in out.output


def test_read_pairs_refuses_odd_sources():
    with pytest.raises(DataError, match="path, a datasets.Dataset or a list of dicts"):
        read_pairs(42)
    with pytest.raises(DataError, match="mixes"):
        read_pairs([{"chosen": "a", "rejected": "b"}, _conversations(1, explicit_prompt=False)[0]])
    with pytest.raises(DataError, match="no assistant message"):
        read_pairs([{"chosen": [{"role": "user", "content": "a"}], "rejected": [{"role": "user", "content": "b"}]}])

