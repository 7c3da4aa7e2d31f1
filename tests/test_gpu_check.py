"""The CUDA paths, run by ``scripts/gpu_check.sh`` on a machine with a GPU (marked ``gpu``).

Each test is one row of the check's table: what ran, seconds per RL step (model loading
included), the peak CUDA memory, or what failed with its error. Without CUDA each records
"skipped: no CUDA" and skips, so the main suite collects them at no cost. Rows go, as JSON
lines, to the file named by ``GPU_CHECK_REPORT`` (none when unset).

The models are built on the spot from configs (no hub): a tiny Llama policy with a BPE
tokenizer trained on the bundled corpus, and a reward model trained from it by aligntune
(on the GPU when scipy is there; otherwise the one ``gpu_check.sh --prepare`` trained on
CPU and carried, and the row says so).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.gpu

#: GPU_CHECK_ON_CPU=1 runs the rows on CPU in fp32 (a rehearsal of the device run: imports, installs, API).
ON_CPU = os.environ.get("GPU_CHECK_ON_CPU") == "1"
LORA = {"r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"]}


def _cuda() -> bool:
    if importlib.util.find_spec("torch") is None:
        return False
    import torch

    return bool(torch.cuda.is_available())


def _write(row: dict[str, Any]) -> None:
    path = os.environ.get("GPU_CHECK_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(row) + "\n")


@contextlib.contextmanager
def row(name: str, *, needs: str | None = None) -> Iterator[dict[str, Any]]:
    """One table row: skipped without CUDA (or without the module ``needs``), failed with its error, or ran."""
    entry: dict[str, Any] = {"check": name}
    if not _cuda() and not ON_CPU:
        _write({**entry, "status": "skipped: no CUDA"})
        pytest.skip("no CUDA")
    if needs is not None and importlib.util.find_spec(needs) is None:
        _write({**entry, "status": f"skipped: {needs} is not installed"})
        pytest.skip(f"{needs} is not installed")
    import torch

    if _cuda():
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    try:
        yield entry
    except BaseException as exc:
        entry.update(status="failed", error=f"{type(exc).__name__}: {str(exc)[:300]}")
        raise
    else:
        entry.setdefault("status", "ran")
    finally:
        entry["seconds"] = round(time.perf_counter() - start, 1)
        entry["peak_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 2) if _cuda() else "cpu"
        _write(entry)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gpu-check")


@pytest.fixture(scope="module")
def corpus():
    from aligntune.data.corpus import load_bundled_corpus

    return load_bundled_corpus(300, seed=5)


@pytest.fixture(scope="module")
def llama_dir(workdir, corpus) -> Path:
    from aligntune.demo.tiny_policy import build_tiny_policy

    out = workdir / "llama"
    build_tiny_policy(out, corpus.texts + corpus.prompts, vocab_size=512, hidden=64, n_head=4, architecture="llama",
                      seed=1)
    return out


@pytest.fixture(scope="module")
def prompts_file(workdir, corpus) -> Path:
    path = workdir / "prompts.jsonl"
    path.write_text("".join(json.dumps({"prompt": p}) + "\n" for p in sorted(set(corpus.prompts))[:64]), "utf-8")
    return path


def train_reward_model(base: Path, corpus, out: Path, *, bf16: bool) -> str:
    """A reward model trained by aligntune from the length and sentiment rules on ``base``."""
    from aligntune.rewards.training import RewardModelTrainer

    trainer = RewardModelTrainer(str(base), ["length", "sentiment"], [0.5, 0.5])  # vaderSentiment is carried
    data = trainer.generate_training_data(corpus.texts[:200], prompts=corpus.prompts[:200], batch_size=64)
    return str(trainer.train_reward_model(data, output_dir=str(out), num_epochs=1, batch_size=16,
                                          training_args={"bf16": bf16}))


@pytest.fixture(scope="module")
def reward_dir(workdir, corpus, llama_dir) -> Path:
    name = "reward model: aligntune training on CUDA, bf16"
    if importlib.util.find_spec("scipy") is None:  # aligntune's fidelity needs it; --prepare trained one on CPU
        carried = Path(os.environ.get("GPU_CHECK_HOME", "build/gpu_check")) / "reward_model"
        _write({"check": name, "status": f"skipped: scipy is not installed; the RL rows use {carried}, trained on "
                                         "CPU by gpu_check.sh --prepare"})
        if not carried.is_dir():
            pytest.fail(f"no scipy to train a reward model here and no carried one at {carried}")
        return carried
    with row(name) as entry:
        path = Path(train_reward_model(llama_dir, corpus, workdir / "reward_model", bf16=_cuda()))
        entry["ran"] = "tiny Llama base, length + sentiment rules"
    return path


def _rl(request: Any, algorithm: str, backend: str, out: str, **extra: Any) -> dict[str, Any]:
    """One RL run on the tiny Llama with the trained reward model (fixtures built here, after the CUDA check)."""
    from aligntune.core.backend_factory import create_rl_trainer

    llama_dir, prompts_file = request.getfixturevalue("llama_dir"), request.getfixturevalue("prompts_file")
    reward_dir, workdir = request.getfixturevalue("reward_dir"), request.getfixturevalue("workdir")

    kwargs: dict[str, Any] = dict(model_name=str(llama_dir), reward_model_path=str(reward_dir),
                                  dataset_name=str(prompts_file), algorithm=algorithm, backend=backend, bf16=_cuda(),
                                  batch_size=4, total_episodes=64 if _cuda() else 16, response_length=16, learning_rate=1e-4,
                                  output_dir=str(workdir / out), seed=0)
    if algorithm == "ppo":
        kwargs.update(num_ppo_epochs=1)
    else:
        kwargs.update(num_generations=4)
    kwargs.update(extra)
    trainer = create_rl_trainer(**kwargs)
    result = trainer.train()
    saved = trainer.save_model()
    return {"steps": result.steps, "s_per_step": round(result.seconds / max(result.steps, 1), 2), "saved": saved,
            "trainer": trainer, "workdir": workdir}


@pytest.mark.parametrize("algorithm", ["grpo", "ppo"])
def test_trl_backend_bf16_lora_trained_reward_model(algorithm, request):
    with row(f"trl {algorithm.upper()}: bf16, LoRA, trained reward model, gradient checkpointing") as entry:
        run = _rl(request, algorithm, "trl", f"trl-{algorithm}", peft_config=LORA,
                  trl_args={"gradient_checkpointing": True})
        entry.update(steps=run["steps"], s_per_step=run["s_per_step"], ran=f"{run['steps']} steps, adapter saved")
        assert (Path(run["saved"]) / "adapter_config.json").is_file()
        merged = run["trainer"].save_model(str(run["workdir"] / f"trl-{algorithm}-merged"), merge=True)
        from transformers import AutoModelForCausalLM

        AutoModelForCausalLM.from_pretrained(merged)


def test_trl_grpo_use_vllm(request):
    with row("trl GRPO: use_vllm (colocate), bf16, trained reward model", needs="vllm") as entry:
        run = _rl(request, "grpo", "trl", "trl-vllm",
                  trl_args={"use_vllm": True, "vllm_mode": "colocate", "vllm_gpu_memory_utilization": 0.3})
        entry.update(steps=run["steps"], s_per_step=run["s_per_step"], ran=f"{run['steps']} steps")


@pytest.mark.parametrize("algorithm", ["grpo", "ppo"])
def test_unsloth_backend_tiny_llama(algorithm, request):
    with row(f"unsloth {algorithm.upper()}: tiny local Llama, LoRA, trained reward model", needs="unsloth") as entry:
        run = _rl(request, algorithm, "unsloth", f"unsloth-{algorithm}",
                  backend_options={"lora": {"r": 8, "lora_alpha": 16}})
        entry.update(steps=run["steps"], s_per_step=run["s_per_step"], ran=f"{run['steps']} steps")
