"""Reward-model training and PPO as two real processes on CPU (gloo), started by the usual launchers.

tests/distributed_worker.py is an ordinary user script; it runs under
``accelerate launch --multi_gpu --num_processes 2`` (reward-model training) and
``torchrun --nproc_per_node 2`` (PPO with a ``custom_trained`` reward model). Each
process writes what it saw; the tests check that two processes really ran, that each
got its own share of the texts, pairs and prompts, and that the outputs were written
once, by the main process, and load. A third run forces TRL's trainer to run each
process alone (``use_cpu=False`` on CPU): that is reported, and still writes once.

(``accelerate launch --cpu --num_processes 2`` starts a single process without an
error, so it is not used; each run gets its own free port.)
"""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(
    not torch.distributed.is_available() or not torch.distributed.is_gloo_available(),
    reason="torch.distributed with the gloo backend is needed",
)

WORKER = Path(__file__).with_name("distributed_worker.py")
N_TEXTS = 64
LAUNCH_ENV_VARS = ("RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT",
                   "ACCELERATE_USE_CPU")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _launch(launcher: list[str], args: list[str], tmp_path: Path, *, data_parallel: bool = True,
            **env_extra: str) -> list[dict]:
    """Run the worker in two processes; return each process's record (rank 0 first)."""
    env = {k: v for k, v in os.environ.items() if k not in LAUNCH_ENV_VARS}
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env.update(HF_HUB_OFFLINE="1", TRL_EXPERIMENTAL_SILENCE="1", TOKENIZERS_PARALLELISM="false",
               OMP_NUM_THREADS="1", TMPDIR=str(scratch), CUDA_VISIBLE_DEVICES="", **env_extra)
    out = tmp_path / "records"
    proc = subprocess.run([*launcher, str(WORKER), *args, "--out", str(out)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, f"launcher exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    records = [json.loads(p.read_text()) for p in sorted(out.glob("rank*.json"))]
    assert len(records) == 2, f"expected one record per process, got {[p.name for p in out.iterdir()]}"
    assert [r["rank"] for r in records] == [0, 1]
    assert [r["world_size"] for r in records] == [2, 2]
    assert records[0]["pid"] != records[1]["pid"]
    # the trainers themselves ran data-parallel (not each process alone on everything)
    if data_parallel:
        assert [(r["trainer_world_size"], r["trainer_process_index"]) for r in records] == [(2, 0), (2, 1)]
    else:
        assert "2 processes were launched but trl.RewardTrainer runs with world_size=1" in proc.stderr
    assert not [p.name for p in scratch.iterdir() if p.name.startswith("aligntune")], "temporary files left behind"
    return records


def _check_written_once(model_dir: Path) -> None:
    """One complete model directory, one fidelity plot, no staging directories beside it; it loads."""
    from aligntune.reward_model.scoring import TextRewardModel

    assert sorted(p.name for p in model_dir.parent.iterdir()) == [model_dir.name]
    assert list(model_dir.parent.rglob("fidelity.png")) == [model_dir / "fidelity.png"]
    assert (model_dir / "fidelity.png").read_bytes()[:4] == b"\x89PNG"
    assert "fidelity" in (model_dir / "README.md").read_text().lower()
    rm = TextRewardModel.from_pretrained(model_dir)
    assert all(math.isfinite(x) for x in rm.score(["Thanks, here is a clear answer.", "no"]))


@pytest.mark.slow
def test_reward_model_training_under_accelerate_launch(tiny_bert_dir, tmp_path):
    from aligntune.data import load_bundled_corpus
    from aligntune.reward_model.scoring import read_manifest
    from aligntune.rewards.training import RewardModelTrainer
    from distributed_worker import scored_texts_reward

    model_dir = tmp_path / "models" / "rm"
    launcher = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
                "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no",
                "--main_process_port", str(_free_port())]
    # no ACCELERATE_USE_CPU: aligntune turns on use_cpu itself when several processes run without CUDA
    r0, r1 = _launch(launcher, ["reward", "--base", str(tiny_bert_dir), "--model-dir", str(model_dir),
                                "--n-texts", str(N_TEXTS)], tmp_path)

    # scoring was sharded: each process scored its own half, and both got the whole, single-process result
    texts = load_bundled_corpus(N_TEXTS, seed=7).texts
    assert len(r0["scored_texts"]) == len(r1["scored_texts"]) == N_TEXTS // 2
    assert r0["scored_texts"] + r1["scored_texts"] == texts
    single = RewardModelTrainer(str(tiny_bert_dir), ["length", scored_texts_reward([])], [0.5, 0.5])
    expected = single.generate_training_data(texts, batch_size=16)["score"]
    assert r0["data_scores"] == r1["data_scores"] == pytest.approx(list(expected))

    # training was sharded: the two processes trained on different pairs that together cover them all
    n_pairs = r0["n_pairs"]
    pairs0 = {(tuple(c), tuple(r)) for c, r in r0["pairs"]}
    pairs1 = {(tuple(c), tuple(r)) for c, r in r1["pairs"]}
    assert len(r0["pairs"]) == len(r1["pairs"]) < n_pairs
    assert len(pairs0 | pairs1) == n_pairs
    assert len(pairs0 & pairs1) <= len(r0["pairs"]) + len(r1["pairs"]) - n_pairs  # only the padding repeats

    # fidelity was measured together and both processes return the same, main-written model
    assert r0["path"] == r1["path"] == str(model_dir.resolve())
    assert r0["spearman"] == r1["spearman"] == read_manifest(model_dir)["fidelity"]["spearman"]
    assert (r0["is_main_process"], r1["is_main_process"]) == (True, False)
    _check_written_once(model_dir)


@pytest.mark.slow
def test_a_trainer_running_each_process_alone_is_reported_and_still_writes_once(tiny_bert_dir, tmp_path):
    model_dir = tmp_path / "models" / "rm"
    launcher = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
                "--master_port", str(_free_port())]
    r0, r1 = _launch(launcher, ["reward", "--base", str(tiny_bert_dir), "--model-dir", str(model_dir),
                                "--n-texts", "40", "--no-use-cpu"], tmp_path, data_parallel=False)
    assert (r0["trainer_world_size"], r1["trainer_world_size"]) == (1, 1)
    assert len(r0["pairs"]) == len(r1["pairs"]) == r0["n_pairs"]  # each trained on everything
    assert r0["path"] == r1["path"] and (r0["is_main_process"], r1["is_main_process"]) == (True, False)
    _check_written_once(model_dir)


@pytest.mark.slow
def test_ppo_with_a_custom_trained_reward_model_under_torchrun(tiny_bert_dir, tmp_path):
    from transformers import AutoModelForCausalLM

    from aligntune.data import load_bundled_corpus
    from aligntune.demo.tiny_policy import build_tiny_policy

    corpus = load_bundled_corpus(300, seed=5)
    policy = build_tiny_policy(tmp_path / "policy", corpus.texts + corpus.prompts, vocab_size=512, hidden=32, seed=1)
    prompts = sorted(set(corpus.prompts))[:8]
    prompts_file = tmp_path / "prompts.jsonl"
    prompts_file.write_text("".join(json.dumps({"prompt": p}) + "\n" for p in prompts), encoding="utf-8")
    model_dir, ppo_dir = tmp_path / "models" / "rm", tmp_path / "ppo"

    launcher = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
                "--master_port", str(_free_port())]
    r0, r1 = _launch(launcher, ["ppo", "--base", str(tiny_bert_dir), "--model-dir", str(model_dir),
                                "--policy", str(policy), "--prompts", str(prompts_file), "--ppo-dir", str(ppo_dir)],
                     tmp_path, ACCELERATE_USE_CPU="1")

    # each process generated for its own prompts: 2 steps x 2 prompts, disjoint, all 8 between them
    assert r0["steps"] == r1["steps"] == 2
    assert len(r0["prompts"]) == len(r1["prompts"]) == 4
    assert not set(r0["prompts"]) & set(r1["prompts"])
    assert sorted(r0["prompts"] + r1["prompts"]) == prompts

    # the reward model was trained once, together, written by the main process, and loaded by both
    assert r0["reward_model_path"] == r1["reward_model_path"]
    assert Path(r0["reward_model_path"]).resolve() == model_dir.resolve()
    _check_written_once(model_dir)

    # metrics and the reward curve come from the main process only
    assert Path(r0["metrics_path"]).is_file() and Path(r0["plot_path"]).is_file()
    assert (r1["metrics_path"], r1["plot_path"]) == ("", None)

    # trainer.save_model() under DDP saved the unwrapped, trained policy once
    assert r0["saved"] == r1["saved"] == str(ppo_dir / "policy")
    assert sorted(p.name for p in ppo_dir.iterdir()) == ["aligntune-output.json", "metrics.json", "policy", "reward_curve.png", "rl_report.png"]
    trained = AutoModelForCausalLM.from_pretrained(r0["saved"])
    start = AutoModelForCausalLM.from_pretrained(policy)
    changed = [n for n, p in trained.state_dict().items() if not torch.equal(p, start.state_dict()[n])]
    assert changed, "the saved policy equals the starting one: PPO's updates were not saved"


@pytest.mark.parametrize(
    ("fsdp", "zero_stage", "refused"),
    [(object(), None, "FSDP"), (None, 3, "DeepSpeed ZeRO stage 3"), (None, 2, None), (None, None, None)],
)
def test_sharded_parameters_are_refused_before_training(fsdp, zero_stage, refused):
    from types import SimpleNamespace

    from aligntune.distributed import check_parameters_replicated
    from aligntune.errors import ConfigurationError

    deepspeed = SimpleNamespace(zero_stage=zero_stage) if zero_stage else None
    accelerator = SimpleNamespace(state=SimpleNamespace(fsdp_plugin=fsdp, deepspeed_plugin=deepspeed))
    if refused is None:
        check_parameters_replicated(accelerator, "train_reward_model")
        return
    with pytest.raises(ConfigurationError, match=f"train_reward_model does not support {refused}.*ZeRO stage 1 or 2"):
        check_parameters_replicated(accelerator, "train_reward_model")


def test_helpers_in_one_process_do_nothing_and_import_no_torch():
    probe = (
        "import sys\n"
        "from aligntune import distributed as d\n"
        "assert (d.world_size(), d.rank(), d.is_main_process()) == (1, 0, True)\n"
        "d.wait_for_everyone()\n"
        "with d.main_process_first():\n"
        "    pass\n"
        "assert d.shard_bounds(5) == (0, 5) and d.gather_lists({'a': [1]}) == {'a': [1]}\n"
        "print('torch' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k not in LAUNCH_ENV_VARS}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "False"
