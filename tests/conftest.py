"""Shared fixtures: tiny real models built offline, and reward functions registered in-process.

* ``tiny_bert_dir``: a 2-layer BERT base (hidden size 32) with MiniLM's real
  tokenizer (no end-of-sequence token), saved as safetensors.
* ``tiny_gpt2_dir``: a 2-layer GPT-2 base with a byte-level BPE tokenizer trained
  here, which has an end-of-sequence token but no pad token.
* ``text_rewards``: three simple reward functions registered in-process on the
  process-wide registry (so configs, which look names up there, see them), removed
  afterwards.
* ``scored_texts``: 40 varied texts with prompts.
* ``import_bench``: imports a script of ``bench/`` by name (the bench tests).
* ``start_process`` and ``signal_when``: start a command offline with its output captured and
  SIGINT at its default, and signal it once it has got somewhere (the interrupt tests).
"""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"
MINILM_TOKENIZER_FILES = ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")


@pytest.fixture(scope="session")
def minilm_dir() -> Path:
    from aligntune.defaults import default_reward_base

    return Path(default_reward_base())


@pytest.fixture(scope="session")
def tiny_bert_dir(tmp_path_factory, minilm_dir) -> Path:
    from transformers import AutoTokenizer, BertConfig, BertModel, set_seed

    out = tmp_path_factory.mktemp("tiny-bert")
    for name in MINILM_TOKENIZER_FILES:
        if (minilm_dir / name).is_file():
            shutil.copy(minilm_dir / name, out / name)
    tokenizer = AutoTokenizer.from_pretrained(out)
    set_seed(0)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=256,
    )
    BertModel(config).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_gpt2_dir(tmp_path_factory) -> Path:
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2Config, GPT2Model, PreTrainedTokenizerFast, set_seed

    from aligntune.data import load_bundled_corpus

    out = tmp_path_factory.mktemp("tiny-gpt2")
    corpus = load_bundled_corpus(400, seed=3)
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(corpus.texts + corpus.prompts, vocab_size=600, min_frequency=2, special_tokens=["<|endoftext|>"])
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe._tokenizer, eos_token="<|endoftext|>", bos_token="<|endoftext|>", unk_token="<|endoftext|>"
    )
    assert tokenizer.pad_token is None
    tokenizer.save_pretrained(out)
    set_seed(0)
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=256, n_embd=32, n_layer=2, n_head=2,
                        eos_token_id=tokenizer.eos_token_id, bos_token_id=tokenizer.eos_token_id)
    GPT2Model(config).save_pretrained(out)
    return out


def _as_reward_model(base: Path, out: Path) -> Path:
    """``base`` with a one-output score head, saved as a reward-model directory (a stand-in for a trained one)."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, set_seed

    set_seed(0)
    AutoModelForSequenceClassification.from_pretrained(base, num_labels=1).save_pretrained(out)
    AutoTokenizer.from_pretrained(base).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_bert_rm_dir(tmp_path_factory, tiny_bert_dir) -> Path:
    """The tiny BERT as an (untrained) reward model: a sequence classifier with num_labels=1."""
    return _as_reward_model(tiny_bert_dir, tmp_path_factory.mktemp("tiny-bert-rm"))


@pytest.fixture(scope="session")
def tiny_gpt2_rm_dir(tmp_path_factory, tiny_gpt2_dir) -> Path:
    """The tiny GPT-2 (no pad token) as an (untrained) reward model with num_labels=1."""
    return _as_reward_model(tiny_gpt2_dir, tmp_path_factory.mktemp("tiny-gpt2-rm"))


POLITE = ("please", "thanks", "thank", "glad", "happy", "great", "hope", "welcome")
RUDE = ("stupid", "idiot", "hate", "dumb", "pathetic", "hopeless", "clueless", "awful")


def _politeness(text: str) -> float:
    words = [w.strip(".,!?").lower() for w in text.split()]
    good = sum(w in POLITE for w in words)
    bad = sum(w in RUDE for w in words)
    return max(0.0, min(1.0, 0.5 + 0.25 * good - 0.35 * bad))


def _word_count(text: str) -> float:
    n = len(text.split())
    return min(1.0, n / 40.0)


def _on_topic(text: str, prompt: str | None = None) -> float:
    if not prompt:
        return 0.5
    p = {w.strip("?.,!").lower() for w in prompt.split() if len(w) > 3}
    t = {w.strip("?.,!").lower() for w in text.split() if len(w) > 3}
    return len(p & t) / max(1, len(p))


@pytest.fixture
def text_rewards():
    """Register ``politeness``, ``word_count`` and ``on_topic`` in-process; remove them afterwards."""
    from aligntune.rewards.base import reward_function
    from aligntune.rewards.registry import RewardRegistry

    registry = RewardRegistry()
    fns = [
        reward_function(_politeness, name="politeness"),
        reward_function(_word_count, name="word_count"),
        reward_function(_on_topic, name="on_topic"),
    ]
    for fn in fns:
        registry.register_reward_function(fn)
    try:
        yield [fn.name for fn in fns]
    finally:
        for fn in fns:
            registry.unregister_reward_function(fn.name)


@pytest.fixture(scope="session")
def corpus_40():
    from aligntune.data import load_bundled_corpus

    return load_bundled_corpus(40, seed=1)


def _sigint_as_in_a_foreground_job() -> None:
    """A child inherits an ignored SIGINT: started by a launcher that runs the tests in the background
    (``cmd &`` in a script, nohup), Python would keep ignoring Ctrl-C and every interrupt test would hang."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def start_process() -> Callable[..., subprocess.Popen]:
    """``start(argv, cwd, **popen_kwargs)``: the command offline, stdout and stderr captured together as
    text, reacting to Ctrl-C as a terminal's foreground job does."""

    def start(argv: list[str], cwd: Path, **popen_kwargs: Any) -> subprocess.Popen:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRL_EXPERIMENTAL_SILENCE": "1", "TOKENIZERS_PARALLELISM": "false"}
        return subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                preexec_fn=_sigint_as_in_a_foreground_job, **popen_kwargs)

    return start


@pytest.fixture
def signal_when() -> Callable[..., str]:
    """``signal_when(proc, ready, sig, *, settle=0.5, group=False)``: send ``sig`` ``settle`` seconds after
    ``ready()`` first holds (to the process group with ``group=True``, as a terminal's Ctrl-C does);
    return the output. The process must end by itself; one that is still running afterwards is killed."""

    def send(proc: subprocess.Popen, ready: Callable[[], bool], sig: int, *, settle: float = 0.5,
             group: bool = False, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        try:
            while not ready():
                if proc.poll() is not None:
                    pytest.fail(f"the command ended (rc {proc.returncode}) before it was signalled:\n{proc.stdout.read()}")
                if time.monotonic() > deadline:
                    pytest.fail("the command never got to the point where it is signalled")
                time.sleep(0.05)
            time.sleep(settle)
            if group:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
            out, _ = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None and group:
                os.killpg(proc.pid, signal.SIGKILL)
            elif proc.poll() is None:
                proc.kill()
        return out

    return send


@pytest.fixture(scope="session")
def import_bench() -> Callable[[str], ModuleType]:
    """``import_bench("reward_gaming")`` imports ``bench/reward_gaming.py`` (bench scripts import their
    helpers as top-level modules, so ``bench/`` is on ``sys.path`` while they load)."""

    def load(name: str) -> ModuleType:
        sys.path.insert(0, str(BENCH_DIR))
        try:
            return importlib.import_module(name)
        finally:
            sys.path.remove(str(BENCH_DIR))

    return load
