"""GRPO throughput: raw TRL GRPOTrainer vs aligntune's trl backend, in one run, on the same tiny models.

Arms (same tiny GPT-2 policy, prompts, GRPO settings and seed):

* ``raw_trl``      trl.GRPOTrainer built by hand: the five basic rules as plain Python reward
                   callables, their weights in GRPOConfig.reward_weights.
* ``aligntune``    create_rl_trainer(algorithm="grpo", reward_functions=<the same five rules>,
                   reward_function_weights=<the same weights>).           target >= 0.95x raw_trl
* ``rm_same``      aligntune with a tiny GPT-2 sequence classifier on the policy's tokenizer.
* ``rm_cross``     aligntune with a tiny BERT reward model (MiniLM's WordPiece tokenizer, a
                   different tokenizer from the policy's).                 target >= 0.90x rm_same

Completions/s counts GRPO completions (``steps * batch_size * num_generations``) per
second of ``train()``; building the trainers (model loading) is outside the timed region,
while aligntune's own per-step record, ``metrics.json`` and reward-curve plot are inside
it. Time is this process's CPU time (``time.process_time``) with one torch thread, so
another job on the machine slows the wall clock but not the figure; wall-clock figures are
printed too. The arms alternate ``--repeats`` times and the medians are reported.

    python bench/grpo_overhead.py [--steps 24] [--batch-size 4] [--generations 4]
                                  [--completion-length 24] [--repeats 3] [--cost] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

FUNCTIONS = ["length", "sentiment", "safety", "coherence", "helpfulness"]
WEIGHTS = [0.15, 0.15, 0.35, 0.20, 0.15]


def build_models(root: Path) -> dict[str, str]:
    import shutil

    from transformers import (AutoTokenizer, BertConfig, BertForSequenceClassification, GPT2Config,
                              GPT2ForSequenceClassification, set_seed)

    from aligntune.data.corpus import load_bundled_corpus
    from aligntune.defaults import default_reward_base
    from aligntune.demo.tiny_policy import build_tiny_policy

    corpus = load_bundled_corpus(400, seed=0)
    policy = build_tiny_policy(root / "policy", corpus.texts + corpus.prompts, vocab_size=1024, hidden=64, seed=0)
    tok = AutoTokenizer.from_pretrained(policy)
    set_seed(0)  # the two reward models: same depth and width, only the tokenizer (and vocabulary) differ
    same = GPT2ForSequenceClassification(GPT2Config(
        vocab_size=len(tok), n_layer=2, n_embd=64, n_head=2, n_positions=256, num_labels=1,
        pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id))
    same.save_pretrained(root / "rm_same")
    tok.save_pretrained(root / "rm_same")
    minilm = Path(default_reward_base())
    (root / "rm_cross").mkdir()
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if (minilm / name).is_file():
            shutil.copy(minilm / name, root / "rm_cross" / name)
    bert_tok = AutoTokenizer.from_pretrained(root / "rm_cross")
    cross = BertForSequenceClassification(BertConfig(
        vocab_size=bert_tok.vocab_size, hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=256, max_position_embeddings=256, num_labels=1))
    cross.save_pretrained(root / "rm_cross")
    prompts = root / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": p}) + "\n" for p in sorted(set(corpus.prompts))))
    return {"policy": policy, "rm_same": str(root / "rm_same"), "rm_cross": str(root / "rm_cross"),
            "prompts": str(prompts)}


def settings(args: argparse.Namespace, out: Path, algorithm: str = "grpo") -> dict:
    """The aligntune keywords; :func:`raw_config` spells the same GRPO run as a GRPOConfig.

    PPO (``--cost``) gets the same prompts per step, one response each of the same length,
    and ``num_ppo_epochs=1`` (one optimisation pass per batch, as GRPO and RLOO make).
    """
    common = dict(output_dir=str(out), algorithm=algorithm, backend="trl", batch_size=args.batch_size,
                  learning_rate=1e-5, temperature=0.7, seed=0)
    if algorithm == "ppo":
        return dict(common, total_episodes=args.steps * args.batch_size, response_length=args.completion_length,
                    num_ppo_epochs=1)
    return dict(common, num_generations=args.generations, total_episodes=args.steps * args.batch_size * args.generations,
                max_completion_length=args.completion_length)


def raw_config(args: argparse.Namespace, out: Path):
    from trl import GRPOConfig

    return GRPOConfig(
        output_dir=str(out), per_device_train_batch_size=args.batch_size * args.generations,
        num_generations=args.generations, max_completion_length=args.completion_length, max_steps=args.steps,
        learning_rate=1e-5, temperature=0.7, seed=0, logging_steps=1, report_to="none", bf16=False,
        save_strategy="no", disable_tqdm=True, dataloader_num_workers=0, reward_weights=WEIGHTS,
    )


def _timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for ``fn()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _rule_callables() -> list:
    """Each rule as a plain TRL reward function ``fn(prompts, completions, **kwargs) -> list[float]``."""
    from aligntune.rewards.composite import CompositeReward

    def make(rule):
        def fn(prompts, completions, **kwargs):
            return rule.score(list(completions), prompts=list(prompts))
        fn.__name__ = rule.name
        return fn

    return [make(rule) for rule in CompositeReward(FUNCTIONS, WEIGHTS).functions]


def run_raw_trl(paths: dict[str, str], args: argparse.Namespace, out: Path) -> tuple[float, ...]:
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.trainer_callback import PrinterCallback
    from trl import GRPOTrainer

    prompts = [json.loads(line)["prompt"] for line in Path(paths["prompts"]).read_text().splitlines()]
    trainer = GRPOTrainer(
        model=AutoModelForCausalLM.from_pretrained(paths["policy"]), reward_funcs=_rule_callables(),
        args=raw_config(args, out), train_dataset=Dataset.from_dict({"prompt": prompts}),
        processing_class=AutoTokenizer.from_pretrained(paths["policy"]),
    )
    trainer.remove_callback(PrinterCallback)
    wall, cpu = _timed(trainer.train)
    return wall, cpu, cpu


def run_aligntune(paths: dict[str, str], args: argparse.Namespace, out: Path, *, reward: dict,
                  algorithm: str = "grpo") -> tuple[float, ...]:
    """(wall, CPU, CPU of TRL's training loop alone) of ``train()``; the rest is aligntune's end-of-run reports."""
    from aligntune.core.backend_factory import create_rl_trainer

    trainer = create_rl_trainer(model_name=paths["policy"], dataset_name=paths["prompts"], **reward,
                                **settings(args, out, algorithm))
    trainer.build()  # load the models, prompts and reward outside the timed region, like the raw arm
    trainer._callback._bar.disable = True
    if trainer.trl_trainer is None:  # PPO: TRL's trainer is built on the first train() call
        wall, cpu = _timed(trainer.train)
        return wall, cpu, math.nan
    loop = trainer.trl_trainer.train
    inner: list[float] = []

    def timed_loop(*a, **k):  # TRL's loop with aligntune's reward callables and per-step callbacks
        start = time.process_time()
        try:
            return loop(*a, **k)
        finally:
            inner.append(time.process_time() - start)

    trainer.trl_trainer.train = timed_loop
    wall, cpu = _timed(trainer.train)
    return wall, cpu, inner[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=24)
    parser.add_argument("--batch-size", type=int, default=4, help="prompts per step")
    parser.add_argument("--generations", type=int, default=4, help="completions per prompt")
    parser.add_argument("--completion-length", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads (tiny models: 1 is fastest)")
    parser.add_argument("--cost", action="store_true",
                        help="also run PPO and RLOO on the same rules and report seconds per prompt of each algorithm")
    parser.add_argument("--json", dest="json_path", help="also write the figures to this JSON file")
    args = parser.parse_args()

    import logging

    logging.disable(logging.WARNING)
    import torch
    import trl

    torch.set_num_threads(args.threads)
    import matplotlib.pyplot  # noqa: F401  (a one-time import, not a cost of any arm)
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    completions = args.steps * args.batch_size * args.generations
    print(f"trl {trl.__version__}, torch {torch.__version__}, threads {torch.get_num_threads()}, fp32; "
          f"{args.steps} steps x {args.batch_size} prompts x {args.generations} completions, "
          f"max_completion_length {args.completion_length}", flush=True)
    root = Path(tempfile.mkdtemp(prefix="aligntune-grpo-bench-"))
    paths = build_models(root)
    rules = {"reward_functions": FUNCTIONS, "reward_function_weights": WEIGHTS}
    arms = {
        "raw_trl": lambda out: run_raw_trl(paths, args, out),
        "aligntune": lambda out: run_aligntune(paths, args, out, reward=rules),
        "rm_same": lambda out: run_aligntune(paths, args, out, reward={"reward_model_path": paths["rm_same"]}),
        "rm_cross": lambda out: run_aligntune(paths, args, out, reward={"reward_model_path": paths["rm_cross"]}),
    }
    if args.cost:
        arms["ppo_rules"] = lambda out: run_aligntune(paths, args, out, reward=rules, algorithm="ppo")
        arms["rloo_rules"] = lambda out: run_aligntune(paths, args, out, reward=rules, algorithm="rloo")
    cpu: dict[str, list[float]] = {name: [] for name in arms}
    loop: dict[str, list[float]] = {name: [] for name in arms}
    wall: dict[str, list[float]] = {name: [] for name in arms}
    for rep in range(args.repeats):
        order = list(arms) if rep % 2 == 0 else list(reversed(arms))  # alternate, so no arm always runs first
        for name in order:
            w, c, inner = arms[name](root / f"{name}-{rep}")
            cpu[name].append(c)
            loop[name].append(inner)
            wall[name].append(w)
            print(f"  run {rep + 1} {name:<10} wall {w:6.2f}s  cpu {c:6.2f}s  (training loop {inner:6.2f}s)", flush=True)
    med = {name: statistics.median(v) for name, v in cpu.items()}
    med_loop = {name: statistics.median(v) for name, v in loop.items()}
    med_wall = {name: statistics.median(v) for name, v in wall.items()}
    print(f"\ncompletions/s, medians of {args.repeats} ({completions} completions a run; CPU time unless 'wall')")
    print("arm          train()   training loop   train() wall   end-of-run reports (CPU s)")
    count = {name: args.steps * args.batch_size if name == "ppo_rules" else completions for name in arms}
    for name in arms:
        reports = f"{med[name] - med_loop[name]:6.2f}" if not math.isnan(med_loop[name]) else "     -"
        print(f"{name:<11} {count[name] / med[name]:8.2f}   {count[name] / med_loop[name]:8.2f}        "
              f"{count[name] / med_wall[name]:8.2f}       {reports}")
    if args.cost:
        prompts = args.steps * args.batch_size
        print(f"\nCPU seconds per prompt, train() median ({prompts} prompts a run; GRPO/RLOO: {args.generations} "
              f"completions per prompt, PPO: one)")
        for name, label in (("ppo_rules", "ppo"), ("aligntune", "grpo"), ("rloo_rules", "rloo")):
            print(f"{label:<6} {med[name] / prompts:7.4f}")
    ratios = {
        "aligntune / raw_trl, train() (same rules)": (med["raw_trl"] / med["aligntune"], 0.95),
        "aligntune / raw_trl, training loop only": (med_loop["raw_trl"] / med_loop["aligntune"], 0.95),
        "rm_cross / rm_same, train() (cross- vs same-tokenizer reward model)": (med["rm_same"] / med["rm_cross"], 0.90),
    }
    print("\nratios of completions/s (CPU-time medians)")
    for label, (ratio, target) in ratios.items():
        print(f"{label:<70} {ratio:5.3f}x  (target >= {target:.2f}: {'ok' if ratio >= target else 'BELOW'})")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps({
            "trl": trl.__version__, "torch": torch.__version__, "threads": torch.get_num_threads(), "dtype": "float32",
            "completions_per_run": completions, "settings": vars(args), "cpu_seconds": cpu,
            "training_loop_cpu_seconds": loop, "wall_seconds": wall,
            "completions_per_cpu_second": {name: count[name] / v for name, v in med.items()},
            "cpu_seconds_per_prompt": {name: v / (args.steps * args.batch_size) for name, v in med.items()},
            "ratios": {label: ratio for label, (ratio, _) in ratios.items()},
        }, indent=2))


if __name__ == "__main__":
    main()
