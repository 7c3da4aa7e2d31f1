"""Fidelity of a reward model trained on the bundled corpus with the bundled MiniLM, and its wall time.

Scores the bundled corpus with the five basic reward functions (the demo's weights),
trains with ``RewardModelTrainer.train_reward_model`` (``trl.RewardTrainer``), and
prints the held-out Spearman correlation and pairwise accuracy against the rule
composite, the correlation with each component, and the wall time from "have the
texts" to "model saved".

    python bench/reward_model_fidelity.py                     # the acceptance setting
    python bench/reward_model_fidelity.py --pairs-per-text 6  # fewer pairs, faster

Targets: held-out Spearman >= 0.9 and pairwise accuracy >= 0.9, in under 10 minutes on a CPU.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import tempfile
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

FUNCTIONS = ["length", "sentiment", "safety", "coherence", "helpfulness"]


def main() -> None:
    from aligntune.demo.run import WEIGHTS
    from aligntune.demo.settings import REWARD_TRAINING

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=REWARD_TRAINING["corpus_size"])
    parser.add_argument("--pairs-per-text", type=int, default=REWARD_TRAINING["pairs_per_text"])
    parser.add_argument("--min-score-gap", type=float, default=REWARD_TRAINING["min_score_gap"])
    parser.add_argument("--epochs", type=float, default=REWARD_TRAINING["num_epochs"])
    parser.add_argument("--learning-rate", type=float, default=REWARD_TRAINING["learning_rate"])
    parser.add_argument("--batch-size", type=int, default=REWARD_TRAINING["batch_size"])
    parser.add_argument("--max-length", type=int, default=REWARD_TRAINING["max_length"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", help="Also write the figures to this JSON file.")
    args = parser.parse_args()

    import datasets
    import transformers

    datasets.disable_progress_bars()
    transformers.logging.set_verbosity_error()
    logging.basicConfig(level=logging.WARNING)

    from aligntune.data import load_bundled_corpus
    from aligntune.defaults import default_reward_base
    from aligntune.rewards.training import RewardModelTrainer
    from aligntune.reward_model.fit import resolve_bf16

    corpus = load_bundled_corpus(args.texts)
    started = time.perf_counter()
    trainer = RewardModelTrainer(
        default_reward_base(), FUNCTIONS, WEIGHTS, pairs_per_text=args.pairs_per_text,
        min_score_gap=args.min_score_gap, seed=args.seed,
    )
    data = trainer.generate_training_data(corpus.texts, prompts=corpus.prompts)
    with tempfile.TemporaryDirectory(prefix="aligntune-fidelity-") as tmp:
        result = trainer.train_reward_model(
            data, os.path.join(tmp, "rm"), num_epochs=args.epochs, learning_rate=args.learning_rate,
            batch_size=args.batch_size, max_length=args.max_length,
        )
    seconds = time.perf_counter() - started
    fid = result.fidelity
    print(f"settings: {vars(args)} bf16={resolve_bf16()} torch threads={_threads()}")
    print(f"texts {len(corpus)} ({fid.n_texts} held out), pairs {result.manifest['data']['n_pairs']}, "
          f"truncated {result.manifest['data']['n_truncated']}")
    print(f"held-out Spearman {fid.spearman:.3f} (target >= 0.9), pairwise accuracy {fid.pairwise_accuracy:.3f} "
          f"(target >= 0.9)")
    for name, comp in fid.components.items():
        print(f"  {name:<12} model {comp.model_spearman:.3f}   composite itself {comp.composite_spearman:.3f}")
    print(f"wall time {seconds:.0f} s (target < 600 s), of which training {result.manifest['training']['train_seconds']:.0f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"settings": vars(args), "seconds": seconds, "fidelity": fid.as_dict()}, f, indent=2)


def _threads() -> int:
    import torch

    return torch.get_num_threads()


if __name__ == "__main__":
    main()
