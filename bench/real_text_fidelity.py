"""Fidelity of a reward model trained with the library defaults, on real answers to held-out instructions.

Reads real responses (default ``../shared/data/real_responses.jsonl``: 7,560 answers by 15 LLMs to
AlpacaEval instructions, 505 per LLM and 673 distinct prompt strings in all, rows with ``prompt``,
``response``, ``generator``) and splits them BY INSTRUCTION (exact prompt string): the distinct prompts are shuffled with ``--seed`` and ``--eval-share`` of them are held
out, so no instruction is on both sides. ``RewardModelTrainer(default_reward_base(), FUNCTIONS,
WEIGHTS)`` (the guide's Complete Example: length 0.15, sentiment 0.15, safety 0.35, coherence 0.20,
helpfulness 0.15) scores at most ``--train`` responses of the training instructions, with their
prompts, and trains with nothing else set; ``--fp32`` passes ``training_args={"bf16": False}``
(what the issue's time targets use).

Printed: the CPU's native bfloat16 flags, then on at most ``--eval`` responses of the held-out
instructions Spearman of model against composite and pairwise accuracy (composite gap >= 0.02), each
with its bootstrap 95% interval (``aligntune.reward_model.fidelity``), every rule's model Spearman
beside the composite's own and the gap, the trainer's own held-out figures (texts of the training
instructions), texts encoded, truncated texts, step times and the wall time from scoring to saved
model. ``--json PATH`` writes every figure.

Targets (issue 21): Spearman >= 0.92, pairwise >= 0.88, every rule within 0.08 of the composite's own.

    python bench/real_text_fidelity.py --fp32                    # 3,000 training, 1,000 held-out responses
    python bench/real_text_fidelity.py --train 400 --eval 300 --fp32 --json out.json
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_helpers import DATA, held_out_fidelity, print_fidelity, read_jsonl, shuffled_instructions  # noqa: E402

TARGETS = {"spearman": 0.92, "pairwise_accuracy": 0.88, "rule_gap": 0.08}


def split_by_instruction(rows: list[dict], *, n_train: int, n_eval: int, eval_share: float,
                         seed: int) -> tuple[list[dict], list[dict]]:
    """(training rows, held-out rows): ``eval_share`` of the shuffled instructions are held out; each side
    is shuffled (seed + 1) and cut to ``n_train`` / ``n_eval`` rows. No instruction is on both sides."""
    instructions = shuffled_instructions(rows, seed)
    held = set(instructions[: max(1, round(len(instructions) * eval_share))])
    train = [r for r in rows if r["prompt"] not in held]
    evaluate = [r for r in rows if r["prompt"] in held]
    random.Random(seed + 1).shuffle(train)
    random.Random(seed + 1).shuffle(evaluate)
    return train[:n_train], evaluate[:n_eval]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA / "real_responses.jsonl",
                        help="JSONL with prompt and response (default: %(default)s)")
    parser.add_argument("--train", type=int, default=3000, help="training responses, at most (default 3000)")
    parser.add_argument("--eval", type=int, default=1000, help="held-out responses, at most (default 1000)")
    parser.add_argument("--eval-share", type=float, default=0.3,
                        help="share of the instructions held out (default 0.3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the instruction split (default 0)")
    parser.add_argument("--fp32", action="store_true", help='train with training_args={"bf16": False}')
    parser.add_argument("--base-model", help="base model (default: aligntune.defaults.default_reward_base())")
    parser.add_argument("--output-dir", type=Path,
                        help="where the reward model is saved (must not exist or be empty; default: a temp folder)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"no data file at {args.data}; pass --data PATH (a JSONL with prompt and response)")
    if args.train < 10 or args.eval < 10 or not 0 < args.eval_share < 1:
        parser.error("--train and --eval must be >= 10 and --eval-share between 0 and 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import datasets
    import torch
    import transformers

    datasets.disable_progress_bars()
    transformers.logging.set_verbosity_error()
    logging.basicConfig(level=logging.WARNING)

    from aligntune.defaults import default_reward_base
    from aligntune.demo.run import FUNCTIONS, WEIGHTS
    from aligntune.reward_model.training_args import native_bf16_flags
    from aligntune.rewards.training import RewardModelTrainer

    rows = [r for r in read_jsonl(args.data) if isinstance(r.get("response"), str) and r["response"].strip()]
    train, held = split_by_instruction(rows, n_train=args.train, n_eval=args.eval, eval_share=args.eval_share,
                                       seed=args.seed)
    train_instructions, held_instructions = {r["prompt"] for r in train}, {r["prompt"] for r in held}
    shared = train_instructions & held_instructions
    cpu_flags = native_bf16_flags()
    print(f"CPU native bf16 flags: {','.join(cpu_flags) or 'none'}; torch threads {torch.get_num_threads()}")
    print(f"{len(rows)} responses to {len({r['prompt'] for r in rows})} instructions in {args.data}; training on "
          f"{len(train)} responses to {len(train_instructions)} instructions, held out {len(held)} responses "
          f"to {len(held_instructions)} others ({len(shared)} instructions on both sides)")

    base = args.base_model or default_reward_base()
    training_args = {"bf16": False} if args.fp32 else None
    with tempfile.TemporaryDirectory(prefix="aligntune-real-fidelity-") as tmp:
        out_dir = str(args.output_dir) if args.output_dir else os.path.join(tmp, "reward_model")
        started = time.perf_counter()
        trainer = RewardModelTrainer(base, FUNCTIONS, WEIGHTS)
        data = trainer.generate_training_data([r["response"] for r in train], prompts=[r["prompt"] for r in train])
        result = trainer.train_reward_model(data, out_dir, training_args=training_args)
        seconds = time.perf_counter() - started
        report = held_out_fidelity(str(result), FUNCTIONS, WEIGHTS, [r["response"] for r in held],
                                   [r["prompt"] for r in held])

    manifest_data, training = result.manifest["data"], result.manifest["training"]
    steps = training.get("step_times", {})
    encoded = {"training": manifest_data["n_train_texts"] * training["num_epochs"],
               "own_held_out": manifest_data["n_eval_texts"], "held_out_instructions": report.n_texts}
    gaps = {name: abs(c.composite_spearman - c.model_spearman) for name, c in report.components.items()
            if c.model_spearman is not None and c.composite_spearman is not None}
    met = {"spearman": (report.spearman or 0.0) >= TARGETS["spearman"],
           "pairwise_accuracy": (report.pairwise_accuracy or 0.0) >= TARGETS["pairwise_accuracy"],
           "rule_gap": len(gaps) == len(report.components) and max(gaps.values()) <= TARGETS["rule_gap"]}

    print(f"base {base}; bf16 {training['bf16']}; objective {training['objective']}, "
          f"{training['num_epochs']} epoch(s), lr {training['learning_rate']}, batch {training['batch_size']}, max_length {training['max_length']}; "
          f"{training['global_steps']} steps")
    print(f"texts encoded: {encoded['training']:g} in training, {encoded['own_held_out']} own held-out, "
          f"{encoded['held_out_instructions']} of held-out instructions; "
          f"{manifest_data['n_truncated']} of {manifest_data['n_train_texts']} training texts longer than "
          f"max_length (truncated)")
    print_fidelity("held-out instructions", report, max_gap=TARGETS["rule_gap"])
    print_fidelity("trainer's own held-out (training instructions)", result.fidelity)
    print(f"targets: Spearman >= {TARGETS['spearman']} {_verdict(met['spearman'])}, pairwise >= "
          f"{TARGETS['pairwise_accuracy']} {_verdict(met['pairwise_accuracy'])}, every rule within "
          f"{TARGETS['rule_gap']} {_verdict(met['rule_gap'])}")
    if steps:
        print(f"step time first 10% {steps['step_s_first']:.2f} s, last 10% {steps['step_s_last']:.2f} s")
    print(f"wall time {seconds:.0f} s from scoring to saved model, of which training {training['train_seconds']:.0f} s")

    if args.json:
        figures = {
            "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "cpu_bf16_flags": cpu_flags, "torch_threads": torch.get_num_threads(), "base_model": base,
            "split": {"n_responses": len(rows), "n_train": len(train), "n_eval": len(held),
                      "train_instructions": sorted(train_instructions), "eval_instructions": sorted(held_instructions),
                      "shared_instructions": len(shared)},
            "fidelity": {"held_out_instructions": report.as_dict(), "own": result.fidelity.as_dict()},
            "rule_gaps": gaps, "targets": TARGETS, "targets_met": met, "texts_encoded": encoded,
            "n_truncated": manifest_data["n_truncated"], "training": training, "seconds": seconds,
        }
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


if __name__ == "__main__":
    raise SystemExit(main())
