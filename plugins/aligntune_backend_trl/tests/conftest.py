"""Fixtures: a tiny Llama-architecture policy built offline, and a small prompts file."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="session")
def corpus():
    from aligntune.data.corpus import load_bundled_corpus

    return load_bundled_corpus(200, seed=9)


@pytest.fixture(scope="session")
def llama_dir(tmp_path_factory, corpus):
    from aligntune.demo.tiny_policy import build_tiny_policy

    out = tmp_path_factory.mktemp("llama") / "policy"
    return build_tiny_policy(out, corpus.texts + corpus.prompts, vocab_size=400, hidden=32, architecture="llama")


@pytest.fixture(scope="session")
def prompts(tmp_path_factory, corpus):
    path = tmp_path_factory.mktemp("prompts") / "p.jsonl"
    path.write_text("".join(json.dumps({"prompt": p}) + "\n" for p in sorted(set(corpus.prompts))[:8]))
    return str(path)


@pytest.fixture
def config(llama_dir, prompts, tmp_path):
    from aligntune.rl.config import PPOTrainingConfig

    return PPOTrainingConfig(
        model_name=llama_dir, dataset_name=prompts, reward_functions=["length"], output_dir=str(tmp_path / "out"),
        batch_size=4, total_episodes=8, response_length=8, num_ppo_epochs=1, learning_rate=1e-4,
    )
