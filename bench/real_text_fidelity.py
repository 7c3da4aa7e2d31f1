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

Two runs on the same texts, printed side by side: the library defaults (rule-aware augmentation on,
``aligntune.reward_model.augment``) and the same call with ``augment_copies=0`` (augmentation off), so
the gain and its cost are visible; ``--only defaults`` or ``--only off`` runs one of them.

``--dev`` never touches the held-out instructions: it carves a development split out of the TRAINING
instructions (``--dev-share`` of them, shuffled with ``--seed + 100``), trains on the rest and evaluates
on the development split. Settings are chosen with ``--dev``; the held-out figures are reported, not tuned on.

    python bench/real_text_fidelity.py --fp32                    # 3,000 training, 1,000 held-out responses
    python bench/real_text_fidelity.py --train 400 --eval 300 --fp32 --json out.json
    python bench/real_text_fidelity.py --dev --train 1000 --eval 400 --fp32 --only off
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

from aligntune.reward_model.augment import describe_copies  # noqa: E402

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


def development_split(rows: list[dict], *, n_train: int, n_eval: int, eval_share: float, dev_share: float,
                      seed: int) -> tuple[list[dict], list[dict]]:
    """(training rows, development rows), both from the TRAINING instructions of :func:`split_by_instruction`:
    ``dev_share`` of those instructions (shuffled with ``seed + 100``) are the development split. No row of
    the held-out instructions is in either, and no instruction is on both sides."""
    instructions = shuffled_instructions(rows, seed)
    held = set(instructions[: max(1, round(len(instructions) * eval_share))])
    training = [r for r in rows if r["prompt"] not in held]
    return split_by_instruction(training, n_train=n_train, n_eval=n_eval, eval_share=dev_share, seed=seed + 100)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA / "real_responses.jsonl",
                        help="JSONL with prompt and response (default: %(default)s)")
    parser.add_argument("--train", type=int, default=3000, help="training responses, at most (default 3000)")
    parser.add_argument("--eval", type=int, default=1000, help="held-out responses, at most (default 1000)")
    parser.add_argument("--eval-share", type=float, default=0.3,
                        help="share of the instructions held out (default 0.3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the instruction split (default 0)")
    parser.add_argument("--dev", action="store_true",
                        help="evaluate on a development split of the training instructions, not the held-out ones")
    parser.add_argument("--dev-share", type=float, default=0.25,
                        help="with --dev: share of the training instructions in the development split (default 0.25)")
    parser.add_argument("--only", choices=RUNS, help="run only the defaults or only augmentation off (default: both)")
    parser.add_argument("--fp32", action="store_true", help='train with training_args={"bf16": False}')
    parser.add_argument("--base-model", help="base model (default: aligntune.defaults.default_reward_base())")
    parser.add_argument("--output-dir", type=Path,
                        help="where the reward models are saved, one folder per run (must not exist or be empty; "
                             "default: a temp folder)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"no data file at {args.data}; pass --data PATH (a JSONL with prompt and response)")
    if args.train < 10 or args.eval < 10 or not 0 < args.eval_share < 1 or not 0 < args.dev_share < 1:
        parser.error("--train and --eval must be >= 10, --eval-share and --dev-share between 0 and 1")
    return args


#: The two runs: the library defaults, and the same call with augmentation off.
RUNS = ("defaults", "off")


def train_and_measure(run: str, base: str, train: list[dict], held: list[dict], *, out_dir: str,
                      training_args: dict | None) -> dict:
    """Score, train and save one reward model (``run``: the defaults, or ``augment_copies=0``); its figures."""
    from aligntune.demo.run import FUNCTIONS, WEIGHTS
    from aligntune.rewards.training import RewardModelTrainer

    started = time.perf_counter()
    trainer = RewardModelTrainer(base, FUNCTIONS, WEIGHTS)
    data = trainer.generate_training_data([r["response"] for r in train], prompts=[r["prompt"] for r in train])
    extra = {} if run == "defaults" else {"augment_copies": 0}
    result = trainer.train_reward_model(data, out_dir, training_args=training_args, **extra)
    seconds = time.perf_counter() - started
    report = held_out_fidelity(str(result), FUNCTIONS, WEIGHTS, [r["response"] for r in held],
                               [r["prompt"] for r in held])
    manifest_data, training = result.manifest["data"], result.manifest["training"]
    augmentation = manifest_data.get("augmentation") or {}
    n_copies = int(augmentation.get("n_copies") or 0)
    encoded = {"training": (manifest_data["n_train_texts"] + n_copies) * training["num_epochs"],
               "augmented_copies": n_copies * training["num_epochs"],
               "own_held_out": manifest_data["n_eval_texts"], "held_out_instructions": report.n_texts}
    gaps = {name: abs(c.composite_spearman - c.model_spearman) for name, c in report.components.items()
            if c.model_spearman is not None and c.composite_spearman is not None}
    met = {"spearman": (report.spearman or 0.0) >= TARGETS["spearman"],
           "pairwise_accuracy": (report.pairwise_accuracy or 0.0) >= TARGETS["pairwise_accuracy"],
           "rule_gap": len(gaps) == len(report.components) and max(gaps.values()) <= TARGETS["rule_gap"]}
    return {"run": run, "report": report, "own": result.fidelity, "manifest": result.manifest, "gaps": gaps,
            "met": met, "encoded": encoded, "seconds": seconds, "augmentation": augmentation}


def print_run(name: str, figures: dict, split_name: str) -> None:
    training, data, encoded = figures["manifest"]["training"], figures["manifest"]["data"], figures["encoded"]
    print(f"--- {name}")
    print(f"base {figures['manifest']['base_model']}; bf16 {training['bf16']}; objective {training['objective']}, "
          f"{training['num_epochs']} epoch(s), lr {training['learning_rate']}, batch {training['batch_size']}, "
          f"max_length {training['max_length']}; {training['global_steps']} steps")
    print(f"augmentation: {describe_copies(figures['augmentation'].get('kinds') or {})}")
    print(f"texts encoded: {encoded['training']:g} in training (of which {encoded['augmented_copies']:g} augmented "
          f"copies), {encoded['own_held_out']} own held-out, {encoded['held_out_instructions']} of {split_name}; "
          f"{data['n_truncated']} training texts longer than max_length (truncated)")
    print_fidelity(split_name, figures["report"], max_gap=TARGETS["rule_gap"])
    print_fidelity("trainer's own held-out (training instructions)", figures["own"])
    met = figures["met"]
    print(f"targets: Spearman >= {TARGETS['spearman']} {_verdict(met['spearman'])}, pairwise >= "
          f"{TARGETS['pairwise_accuracy']} {_verdict(met['pairwise_accuracy'])}, every rule within "
          f"{TARGETS['rule_gap']} {_verdict(met['rule_gap'])}")
    steps = training.get("step_times", {})
    if steps:
        print(f"step time first 10% {steps['step_s_first']:.2f} s, last 10% {steps['step_s_last']:.2f} s")
    print(f"wall time {figures['seconds']:.0f} s from scoring to saved model, of which training "
          f"{training['train_seconds']:.0f} s")


def print_side_by_side(done: dict[str, dict], split_name: str) -> None:
    """One line per figure, a column per run."""
    names = list(done)
    print(f"=== {split_name}: " + " | ".join(f"{n:>24}" for n in names))

    def row(label: str, values: list[str]) -> None:
        print(f"{label:<28}" + " | ".join(f"{v:>24}" for v in values))

    def ci(value: float | None, interval: list[float] | None) -> str:
        if value is None:
            return "n/a"
        return f"{value:.3f}" + (f" [{interval[0]:.3f}, {interval[1]:.3f}]" if interval else "")

    row("Spearman", [ci(done[n]["report"].spearman, done[n]["report"].spearman_interval) for n in names])
    row("pairwise accuracy", [ci(done[n]["report"].pairwise_accuracy, done[n]["report"].pairwise_interval)
                              for n in names])
    for rule in done[names[0]]["report"].components:
        row(f"gap {rule}", [f"{done[n]['gaps'][rule]:.3f}" if rule in done[n]["gaps"] else "n/a" for n in names])
    row("own held-out Spearman", [ci(done[n]["own"].spearman, done[n]["own"].spearman_interval) for n in names])
    row("texts encoded (copies)", [f"{done[n]['encoded']['training']:g} ({done[n]['encoded']['augmented_copies']:g})"
                                   for n in names])
    row("scoring to saved model", [f"{done[n]['seconds']:.0f} s" for n in names])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import datasets
    import torch
    import transformers

    datasets.disable_progress_bars()
    transformers.logging.set_verbosity_error()
    logging.basicConfig(level=logging.WARNING)

    from aligntune.defaults import default_reward_base
    from aligntune.reward_model.training_args import native_bf16_flags

    rows = [r for r in read_jsonl(args.data) if isinstance(r.get("response"), str) and r["response"].strip()]
    if args.dev:
        train, held = development_split(rows, n_train=args.train, n_eval=args.eval, eval_share=args.eval_share,
                                        dev_share=args.dev_share, seed=args.seed)
        split_name = "development instructions (from the training side)"
    else:
        train, held = split_by_instruction(rows, n_train=args.train, n_eval=args.eval, eval_share=args.eval_share,
                                           seed=args.seed)
        split_name = "held-out instructions"
    train_instructions, held_instructions = {r["prompt"] for r in train}, {r["prompt"] for r in held}
    shared = train_instructions & held_instructions
    cpu_flags = native_bf16_flags()
    print(f"CPU native bf16 flags: {','.join(cpu_flags) or 'none'}; torch threads {torch.get_num_threads()}")
    print(f"{len(rows)} responses to {len({r['prompt'] for r in rows})} instructions in {args.data}; training on "
          f"{len(train)} responses to {len(train_instructions)} instructions, evaluating on {len(held)} responses "
          f"to {len(held_instructions)} {split_name} ({len(shared)} instructions on both sides)")

    base = args.base_model or default_reward_base()
    training_args = {"bf16": False} if args.fp32 else None
    done: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="aligntune-real-fidelity-") as tmp:
        for run in [args.only] if args.only else RUNS:
            root = args.output_dir or Path(tmp)
            done[run] = train_and_measure(run, base, train, held, out_dir=str(root / f"reward_model_{run}"),
                                          training_args=training_args)
            print_run("library defaults" if run == "defaults" else "augmentation off (augment_copies=0)",
                      done[run], split_name)
    if len(done) > 1:
        print_side_by_side(done, split_name)

    if args.json:
        figures = {
            "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "cpu_bf16_flags": cpu_flags, "torch_threads": torch.get_num_threads(), "base_model": base,
            "split": {"n_responses": len(rows), "n_train": len(train), "n_eval": len(held), "name": split_name,
                      "train_instructions": sorted(train_instructions), "eval_instructions": sorted(held_instructions),
                      "shared_instructions": len(shared)},
            "targets": TARGETS,
            "runs": {run: {"fidelity": {"held_out_instructions": f["report"].as_dict(), "own": f["own"].as_dict()},
                           "rule_gaps": f["gaps"], "targets_met": f["met"], "texts_encoded": f["encoded"],
                           "augmentation": f["augmentation"], "n_truncated": f["manifest"]["data"]["n_truncated"],
                           "training": f["manifest"]["training"], "seconds": f["seconds"]}
                     for run, f in done.items()},
        }
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


if __name__ == "__main__":
    raise SystemExit(main())
