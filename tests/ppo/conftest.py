"""Fixtures for the PPO tests: a tiny local policy and tiny reward models saved to disk.

* ``policy_dir``: a 2-layer GPT-2 with a byte-level BPE tokenizer trained on the bundled
  corpus (EOS ``<|endoftext|>``, pad ``<pad>``).
* ``same_tok_rm_dir``: a one-output GPT-2 classifier sharing the policy's tokenizer
  (the scorer's fast path).
* ``cross_tok_rm_dir``: a one-output tiny BERT with MiniLM's tokenizer (decode with the
  policy tokenizer, re-encode with BERT's).
* ``prompts_file``: a JSONL file of 8 prompts.
* ``no_model_loads``: fails the test if transformers loads any model.

All saved with their heads, so every load gives the same scores.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest



@pytest.fixture(scope="session")
def ppo_corpus():
    from aligntune.data.corpus import load_bundled_corpus

    return load_bundled_corpus(300, seed=5)


@pytest.fixture(scope="session")
def policy_dir(tmp_path_factory, ppo_corpus) -> Path:
    from aligntune.demo.tiny_policy import build_tiny_policy

    out = tmp_path_factory.mktemp("ppo") / "policy"
    build_tiny_policy(out, ppo_corpus.texts + ppo_corpus.prompts, vocab_size=512, hidden=32, seed=1)
    return out


def _save_classifier(model, tokenizer, out: Path) -> Path:
    model.config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def same_tok_rm_dir(tmp_path_factory, policy_dir) -> Path:
    from transformers import AutoTokenizer, GPT2Config, GPT2ForSequenceClassification, set_seed

    tokenizer = AutoTokenizer.from_pretrained(policy_dir)
    set_seed(11)
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=256, n_embd=32, n_layer=1, n_head=2, num_labels=1,
                        pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
                        eos_token_id=tokenizer.eos_token_id)
    model = GPT2ForSequenceClassification(config)
    return _save_classifier(model, tokenizer, tmp_path_factory.mktemp("rm-same") / "rm")


@pytest.fixture(scope="session")
def cross_tok_rm_dir(tmp_path_factory, tiny_bert_dir) -> Path:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, set_seed

    tokenizer = AutoTokenizer.from_pretrained(tiny_bert_dir)
    set_seed(12)
    model = AutoModelForSequenceClassification.from_pretrained(tiny_bert_dir, num_labels=1)
    return _save_classifier(model, tokenizer, tmp_path_factory.mktemp("rm-cross") / "rm")


@pytest.fixture(scope="session")
def prompts_file(tmp_path_factory, ppo_corpus) -> Path:
    path = tmp_path_factory.mktemp("prompts") / "prompts.jsonl"
    prompts = sorted(set(ppo_corpus.prompts))[:8]
    path.write_text("".join(json.dumps({"prompt": p}) + "\n" for p in prompts), encoding="utf-8")
    return path


@pytest.fixture
def no_model_loads(monkeypatch):
    """Any transformers model or tokenizer load fails the test (proves validation ran first)."""
    from transformers import AutoTokenizer, PreTrainedModel

    def tripwire(*args, **kwargs):
        raise AssertionError(f"a model/tokenizer was loaded before validation finished: {args[:1]}")

    monkeypatch.setattr(PreTrainedModel, "from_pretrained", classmethod(lambda cls, *a, **k: tripwire(*a)))
    monkeypatch.setattr(AutoTokenizer, "from_pretrained", classmethod(lambda cls, *a, **k: tripwire(*a)))
    import transformers.models.auto.modeling_auto as auto

    for name in ("AutoModelForCausalLM", "AutoModelForSequenceClassification"):
        monkeypatch.setattr(getattr(auto, name), "from_pretrained", classmethod(lambda cls, *a, **k: tripwire(*a)))
