"""PPO throughput: raw TRL PPOTrainer vs aligntune's trl backend, in one run, on the same tiny models.

Variants (same policy, prompts, PPO settings and seed; only the reward path differs):

* ``raw_trl``       trl.experimental.ppo.PPOTrainer with a GPT-2 reward model that shares the
                    policy's tokenizer, passed to TRL directly (TRL's native path).
* ``aligntune``     create_rl_trainer(reward_model_path=<that model>, backend="trl"): the reward
                    adapter with the same-tokenizer fast path.                target >= 0.95x raw
* ``reencode``      the same reward model forced through decode + re-encode (the cross-tokenizer
                    scorer's work).                                           target >= 0.90x aligntune
* ``minilm_cross``  a MiniLM reward model (another tokenizer, 22M parameters), reported.
* ``rules``         the five basic reward functions as the reward, reported.
* ``gold_tracked``  ``aligntune`` plus per-step gold tracking (the five basic rules as
                    ``gold_reward_functions``: gold, components, length, truncation every step;
                    no held-out evaluation).                                  target >= 0.95x aligntune

Episodes/s counts PPO responses per second of ``train()`` (model loading excluded),
measured on this process's CPU time (one torch thread by default, so CPU time tracks the
work done and is robust to other processes on a shared machine); wall-clock figures are
printed too. Each variant runs ``--repeats`` times interleaved and the best is kept.

    python bench/ppo_overhead.py [--steps 12] [--batch-size 8] [--response-length 24] [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def build_models(root: Path) -> dict[str, str]:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, GPT2Config, GPT2ForSequenceClassification, set_seed

    from aligntune.data.corpus import load_bundled_corpus
    from aligntune.defaults import default_reward_base
    from aligntune.demo.tiny_policy import build_tiny_policy

    corpus = load_bundled_corpus(400, seed=0)
    policy = build_tiny_policy(root / "policy", corpus.texts + corpus.prompts, vocab_size=1024, hidden=64, seed=0)
    tok = AutoTokenizer.from_pretrained(policy)
    set_seed(0)
    rm = GPT2ForSequenceClassification(GPT2Config(
        vocab_size=len(tok), n_layer=2, n_embd=64, n_head=2, n_positions=256, num_labels=1,
        pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id))
    rm.save_pretrained(root / "rm_same")
    tok.save_pretrained(root / "rm_same")
    minilm = default_reward_base()
    cross = AutoModelForSequenceClassification.from_pretrained(minilm, num_labels=1)
    cross.save_pretrained(root / "rm_minilm")
    AutoTokenizer.from_pretrained(minilm).save_pretrained(root / "rm_minilm")
    prompts = root / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": p}) + "\n" for p in sorted(set(corpus.prompts))))
    return {"policy": policy, "rm_same": str(root / "rm_same"), "rm_minilm": str(root / "rm_minilm"),
            "prompts": str(prompts)}


def ppo_settings(args: argparse.Namespace, out: Path) -> dict:
    return dict(
        output_dir=str(out), batch_size=args.batch_size, total_episodes=args.steps * args.batch_size,
        response_length=args.response_length, num_ppo_epochs=1, learning_rate=1e-5, seed=0,
        max_prompt_length=32, kl_coef=0.05, temperature=0.7,
    )


def run_raw_trl(paths: dict[str, str], args: argparse.Namespace, out: Path) -> float:
    """TRL's PPOTrainer, built the way TRL's own PPO example builds it."""
    from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification, AutoTokenizer
    from trl.experimental.ppo import PPOConfig, PPOTrainer

    from aligntune.rl.prompts import format_prompts, load_prompt_dataset
    from aligntune_backend_trl.data import tokenize_prompts

    s = ppo_settings(args, out)
    tok = AutoTokenizer.from_pretrained(paths["policy"], padding_side="left")
    prompts = format_prompts(load_prompt_dataset(paths["prompts"]))
    dataset, _ = tokenize_prompts(tok, prompts, max_width=s["max_prompt_length"])
    config = PPOConfig(
        output_dir=s["output_dir"], per_device_train_batch_size=s["batch_size"], total_episodes=s["total_episodes"],
        response_length=s["response_length"], num_ppo_epochs=1, learning_rate=s["learning_rate"], seed=0,
        kl_coef=s["kl_coef"], temperature=s["temperature"], stop_token="eos", num_sample_generations=0,
        save_strategy="no", report_to="none", local_rollout_forward_batch_size=s["batch_size"], disable_tqdm=True,
        bf16=False,
    )
    trainer = PPOTrainer(
        args=config, processing_class=tok,
        model=AutoModelForCausalLM.from_pretrained(paths["policy"]),
        ref_model=AutoModelForCausalLM.from_pretrained(paths["policy"]),
        reward_model=AutoModelForSequenceClassification.from_pretrained(paths["rm_same"], num_labels=1),
        value_model=AutoModelForSequenceClassification.from_pretrained(paths["policy"], num_labels=1),
        train_dataset=dataset,
    )
    from transformers.trainer_callback import PrinterCallback

    trainer.remove_callback(PrinterCallback)
    return _timed(trainer.train)


def _timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for ``fn()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def run_aligntune(paths: dict[str, str], args: argparse.Namespace, out: Path, *, reward: dict, reencode: bool = False) -> float:
    from aligntune.core.backend_factory import create_rl_trainer

    trainer = create_rl_trainer(model_name=paths["policy"], dataset_name=paths["prompts"], backend="trl",
                                **reward, **ppo_settings(args, out))
    trainer.build()  # load models, prompts and reward outside the timed region, like the raw run
    trainer._callback._bar.disable = True
    if reencode:
        trainer.adapter.token_reward.fast_path = False  # bench only: force decode + re-encode
    return _timed(trainer.train)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--response-length", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (tiny models: 1 is fastest)")
    args = parser.parse_args()

    import logging

    logging.disable(logging.WARNING)
    import torch

    torch.set_num_threads(args.threads)
    print(f"torch threads: {torch.get_num_threads()}, steps {args.steps} x batch {args.batch_size}, "
          f"response_length {args.response_length}", flush=True)
    root = Path(tempfile.mkdtemp(prefix="aligntune-bench-"))
    paths = build_models(root)
    variants = {
        "raw_trl": lambda out: run_raw_trl(paths, args, out),
        "aligntune": lambda out: run_aligntune(paths, args, out, reward={"reward_model_path": paths["rm_same"]}),
        "reencode": lambda out: run_aligntune(paths, args, out, reward={"reward_model_path": paths["rm_same"]}, reencode=True),
        "minilm_cross": lambda out: run_aligntune(paths, args, out, reward={"reward_model_path": paths["rm_minilm"]}),
        "rules": lambda out: run_aligntune(paths, args, out, reward={
            "reward_functions": ["length", "sentiment", "safety", "coherence", "helpfulness"]}),
        "gold_tracked": lambda out: run_aligntune(paths, args, out, reward={
            "reward_model_path": paths["rm_same"],
            "gold_reward_functions": ["length", "sentiment", "safety", "coherence", "helpfulness"]}),
    }
    best: dict[str, float] = {}
    best_wall: dict[str, float] = {}
    for rep in range(args.repeats):
        for name, fn in variants.items():
            wall, cpu = fn(root / f"{name}-{rep}")
            best[name] = min(best.get(name, float("inf")), cpu)
            best_wall[name] = min(best_wall.get(name, float("inf")), wall)
            print(f"  run {rep + 1} {name:<13} wall {wall:6.2f}s  cpu {cpu:6.2f}s", flush=True)
    episodes = args.steps * args.batch_size
    eps = {name: episodes / seconds for name, seconds in best.items()}
    print("\nvariant        episodes/s (CPU time)   episodes/s (wall)")
    for name, value in eps.items():
        print(f"{name:<14} {value:8.2f}              {episodes / best_wall[name]:8.2f}")
    print("\nratios (CPU-time episodes/s; CPU time is robust to other processes on a shared machine)")
    ratios = {
        "aligntune / raw_trl": (eps["aligntune"] / eps["raw_trl"], 0.95),
        "reencode / aligntune (cross-tokenizer scorer vs same-tokenizer)": (eps["reencode"] / eps["aligntune"], 0.90),
        "minilm_cross / raw_trl": (eps["minilm_cross"] / eps["raw_trl"], None),
        "minilm_cross / aligntune": (eps["minilm_cross"] / eps["aligntune"], None),
        "rules / raw_trl": (eps["rules"] / eps["raw_trl"], None),
        "gold_tracked / aligntune (per-step gold tracking vs none)": (eps["gold_tracked"] / eps["aligntune"], 0.95),
    }
    for label, (ratio, target) in ratios.items():
        verdict = "" if target is None else (f"  (target >= {target:.2f}: {'ok' if ratio >= target else 'BELOW'})")
        print(f"{label:<66} {ratio:5.3f}x{verdict}")


if __name__ == "__main__":
    main()
