"""Prompt datasets: every accepted form, column detection, chat templates, clear errors."""

from __future__ import annotations

import json

import pytest
from datasets import Dataset

from aligntune.errors import DataError
from aligntune.rl.prompts import BUNDLED_PROMPTS, format_prompts, load_prompt_dataset

ROWS = [{"question": f"How do I do thing {i}?", "answer": "Like this."} for i in range(6)]


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".parquet"])
def test_files_of_each_type(tmp_path, suffix):
    ds = Dataset.from_list(ROWS)
    path = tmp_path / f"prompts{suffix}"
    if suffix == ".csv":
        ds.to_csv(path)
    elif suffix == ".parquet":
        ds.to_parquet(path)
    elif suffix == ".json":
        path.write_text(json.dumps(ROWS), encoding="utf-8")
    else:
        ds.to_json(path)
    data = load_prompt_dataset(str(path), max_samples=4)
    assert data.column == "question" and len(data) == 4
    assert format_prompts(data) == [r["question"] for r in ROWS[:4]]


def test_saved_dataset_directory_and_in_memory_dataset(tmp_path, caplog):
    ds = Dataset.from_list([{"query": "Tell me a joke."}, {"query": "Explain tides."}])
    ds.save_to_disk(tmp_path / "saved")
    with caplog.at_level("INFO", logger="aligntune.rl.prompts"):
        assert load_prompt_dataset(str(tmp_path / "saved")).column == "query"
    assert "column 'query'" in caplog.text
    assert format_prompts(load_prompt_dataset(ds)) == ["Tell me a joke.", "Explain tides."]


def test_column_priority_and_explicit_column():
    ds = Dataset.from_list([{"prompt": "p", "question": "q", "text": "t"}])
    assert load_prompt_dataset(ds).column == "prompt"
    assert format_prompts(load_prompt_dataset(ds, prompt_column="text")) == ["t"]
    with pytest.raises(DataError, match=r"prompt_column 'nope' is not a column .*\['prompt', 'question', 'text'\]"):
        load_prompt_dataset(ds, prompt_column="nope")


def test_chat_messages_use_the_chat_template(policy_dir):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(policy_dir)
    tok.chat_template = "{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}\n{% endfor %}" \
                        "{% if add_generation_prompt %}<assistant>{% endif %}"
    ds = Dataset.from_list([{"messages": [{"role": "user", "content": "Hi there"},
                                          {"role": "assistant", "content": "Hello!"}]}])
    data = load_prompt_dataset(ds)
    assert data.column == "messages" and data.is_chat
    assert format_prompts(data, tok) == ["<user>Hi there\n<assistant>"]
    tok.chat_template = None
    with pytest.raises(DataError, match="no chat template"):
        format_prompts(data, tok)


def test_chosen_conversations_are_detected():
    ds = Dataset.from_list([{"chosen": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}],
                             "rejected": [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "B"}]}])
    data = load_prompt_dataset(ds)
    assert data.column == "chosen" and data.is_chat


def test_errors(tmp_path, monkeypatch):
    with pytest.raises(DataError, match="does not exist"):
        load_prompt_dataset(str(tmp_path / "missing.csv"))
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(DataError, match="unsupported type '.txt'"):
        load_prompt_dataset(str(tmp_path / "notes.txt"))
    with pytest.raises(DataError, match=r"Could not find a prompt column .*\['instruction'\]"):
        load_prompt_dataset(Dataset.from_list([{"instruction": "x"}]))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(DataError, match="hub dataset 'someorg/no-such-prompts'.*offline.*local file"):
        load_prompt_dataset("someorg/no-such-prompts")


def test_bundled_prompts_are_the_default():
    data = load_prompt_dataset(None)
    assert data.column == "prompt" and len(data) >= 40
    assert BUNDLED_PROMPTS.is_file()
