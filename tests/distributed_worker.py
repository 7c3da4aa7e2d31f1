"""The script tests/test_distributed.py starts in two processes (``accelerate launch`` / ``torchrun``).

It is a plain user script: it calls aligntune's public API exactly as in one process.
Each process writes ``rank<N>.json`` into ``--out`` with what it saw, so the test can
check that two processes really ran and that each got its own share of the data.

    python -m torch.distributed.run --nproc_per_node 2 tests/distributed_worker.py reward --out DIR ...
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class PairRecorder:
    """A ``TrainerCallback`` that records the token ids of every (chosen, rejected) pair the model trains on.

    ``trl.RewardTrainer`` feeds each batch as one forward over chosen rows followed by
    rejected rows, so a forward pre-hook on the model sees the pairs themselves.
    """

    def __init__(self) -> None:
        self.pairs: list[list[list[int]]] = []
        self.trainer_world_size: int | None = None
        self.trainer_process_index: int | None = None
        self._handle: Any = None

    def _hook(self, module: Any, args: Any, kwargs: dict[str, Any]) -> None:
        ids, mask = kwargs["input_ids"], kwargs["attention_mask"]
        rows = [[t for t, m in zip(r, k) if m] for r, k in zip(ids.tolist(), mask.tolist())]
        half = len(rows) // 2
        self.pairs.extend([rows[i], rows[half + i]] for i in range(half))

    def callback(self) -> Any:
        from transformers import TrainerCallback

        recorder = self

        class _Callback(TrainerCallback):
            def on_train_begin(self, args, state, control, model=None, **kwargs):
                recorder.trainer_world_size = args.world_size
                recorder.trainer_process_index = args.process_index
                recorder._handle = model.register_forward_pre_hook(recorder._hook, with_kwargs=True)

            def on_train_end(self, args, state, control, **kwargs):
                recorder._handle.remove()

        return _Callback()


def scored_texts_reward(seen: list[str]) -> Any:
    """A batched reward function (share of words longer than 4 letters) that notes what it scored."""
    from aligntune.rewards.base import reward_function

    @reward_function(name="long_words", batched=True)
    def long_words(texts: list[str], **_: Any) -> list[float]:
        seen.extend(texts)
        return [sum(len(w) > 4 for w in t.split()) / max(1, len(t.split())) for t in texts]

    return long_words


def run_reward(opts: argparse.Namespace) -> dict[str, Any]:
    from aligntune import distributed
    from aligntune.data import load_bundled_corpus
    from aligntune.rewards.training import RewardModelTrainer

    corpus = load_bundled_corpus(opts.n_texts, seed=7)
    seen: list[str] = []
    trainer = RewardModelTrainer(
        opts.base, ["length", scored_texts_reward(seen)], [0.5, 0.5], pairs_per_text=2, eval_fraction=0.25, seed=0
    )
    data = trainer.generate_training_data(corpus.texts, batch_size=16)
    scored = list(seen)  # the corpus as scored here; training scores its augmented copies too
    recorder = PairRecorder()
    result = trainer.train_reward_model(
        data,
        opts.model_dir,
        num_epochs=1,
        learning_rate=1e-3,
        batch_size=8,
        max_length=96,
        objective="pairs",  # the recorder checks that TRL shards the pairs between the processes
        callbacks=[recorder.callback()],
        training_args={"use_cpu": False} if opts.no_use_cpu else None,
    )
    return {
        "scored_texts": scored,
        "data_scores": list(data["score"]),
        "pairs": recorder.pairs,
        "trainer_world_size": recorder.trainer_world_size,
        "trainer_process_index": recorder.trainer_process_index,
        "path": str(result),
        "n_pairs": result.manifest["data"]["n_pairs"],
        "spearman": result.fidelity.spearman,
        "is_main_process": distributed.is_main_process(),
    }


def run_ppo(opts: argparse.Namespace) -> dict[str, Any]:
    from aligntune.core.backend_factory import create_rl_trainer
    from aligntune.data import load_bundled_corpus

    corpus = load_bundled_corpus(60, seed=5)
    trainer = create_rl_trainer(
        model_name=opts.policy,
        dataset_name=opts.prompts,
        algorithm="ppo",
        backend="trl",
        output_dir=opts.ppo_dir,
        train_custom_reward_model=True,
        reward_training_texts=corpus.texts,
        reward_functions=["length", "sentiment"],
        reward_function_weights=[0.5, 0.5],
        reward_training_base_model=opts.base,
        reward_training_output_dir=opts.model_dir,
        reward_training_epochs=1,
        reward_training_lr=1e-3,
        reward_training_batch_size=8,
        reward_training_max_length=96,
        batch_size=2,
        num_epochs=1,
        total_episodes=8,
        learning_rate=1e-4,
        max_samples=8,
        response_length=8,
        num_ppo_epochs=1,
        seed=0,
    )
    result = trainer.train()
    saved = trainer.save_model()
    args = trainer.trl_trainer.args
    return {
        "prompts": [s["prompt"] for step in result.history for s in step["samples"]],
        "steps": result.steps,
        "trainer_world_size": args.world_size,
        "trainer_process_index": trainer.trl_trainer.accelerator.process_index,
        "reward_model_path": str(trainer.reward_model_path),
        "metrics_path": result.metrics_path,
        "plot_path": result.plot_path,
        "saved": saved,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["reward", "ppo"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--base", required=True, help="reward-model base directory")
    parser.add_argument("--model-dir", required=True, help="where the reward model is written")
    parser.add_argument("--n-texts", type=int, default=64)
    parser.add_argument("--no-use-cpu", action="store_true", help="override aligntune's use_cpu default")
    parser.add_argument("--policy")
    parser.add_argument("--prompts")
    parser.add_argument("--ppo-dir")
    opts = parser.parse_args()

    import torch
    import torch.distributed as dist

    torch.set_num_threads(1)
    record = run_reward(opts) if opts.mode == "reward" else run_ppo(opts)
    if dist.is_initialized():
        record.update(world_size=dist.get_world_size(), rank=dist.get_rank())
    else:
        record.update(world_size=1, rank=0)
    record["pid"] = os.getpid()
    out = Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"rank{record['rank']}.json").write_text(json.dumps(record), encoding="utf-8")


if __name__ == "__main__":
    main()
