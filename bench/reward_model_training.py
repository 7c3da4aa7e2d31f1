"""Three ways to train a reward model from the same rule-scored texts, in one process: time, encodes, fidelity.

Same texts, base model, seed and held-out split for every row:

1. aligntune's default objective, ``objective="rules"`` (one head per rule, each text once per epoch,
   its own defaults: 1 epoch, lr 1e-4, heads 1e-3, 8 texts a batch);
2. aligntune's ``objective="pairs"`` on ``trl.RewardTrainer`` (``--pairs-per-text`` pairs per text,
   ``--epochs``, ``--learning-rate``, ``--batch-size`` pairs a batch);
3. plain ``trl.RewardTrainer`` by hand on the same pairs and ``trl.RewardConfig`` arguments as row 2.

Each row prints the wall time from "have the scored texts" to "model saved" (loading, tokenising,
training, saving; aligntune's rows also measure fidelity and write the card and manifest), the texts
encoded in training (rows 2 and 3 encode both sides of every pair), and Spearman and pairwise accuracy
against the rule composite on the held-out texts, scored the same way for all three. Force fp32 with
the default (``--bf16`` allows autocast where the CPU has native bfloat16).

Plain TRL silently drops every pair longer than ``max_length`` (aligntune truncates and counts
instead), so the corpus is first cut to the texts that fit in ``max_length`` minus one token. Plain
TRL needs ``eos_token`` set for BERT-family tokenizers (the MiniLM default has none); it gets ``[SEP]``.

    python bench/reward_model_training.py                          # 600 texts, 2 pairs per text
    python bench/reward_model_training.py --texts 1200 --pairs-per-text 4
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=None, help="Base model directory (default: bundled MiniLM).")
    parser.add_argument("--functions", default="length,sentiment,safety,coherence,helpfulness")
    parser.add_argument("--texts", type=int, default=600)
    parser.add_argument("--pairs-per-text", type=int, default=2)
    parser.add_argument("--epochs", type=float, default=1)
    parser.add_argument("--learning-rate", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--bf16", action="store_true", help="allow bf16 autocast where the CPU has it")
    args = parser.parse_args()

    import datasets
    import transformers

    datasets.disable_progress_bars()
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    logging.basicConfig(level=logging.WARNING)

    from transformers import AutoTokenizer

    from aligntune.reward_model.training_args import native_bf16_flags

    cpu_flags = ",".join(native_bf16_flags()) or "none"
    from aligntune.data import load_bundled_corpus
    from aligntune.defaults import default_reward_base
    from aligntune.demo.run import FUNCTIONS, WEIGHTS
    from aligntune.rewards.training import RewardModelTrainer

    base = args.base or default_reward_base()
    functions = args.functions.split(",")
    weights = WEIGHTS if functions == FUNCTIONS else None
    corpus = load_bundled_corpus(args.texts * 2)
    tokenizer = AutoTokenizer.from_pretrained(base)
    fits = [len(ids) < args.max_length for ids in tokenizer(corpus.prompts, corpus.texts)["input_ids"]]
    keep = [i for i, ok in enumerate(fits) if ok][: args.texts]
    texts, prompts = [corpus.texts[i] for i in keep], [corpus.prompts[i] for i in keep]
    trainer = RewardModelTrainer(base, functions, composite_weights=weights, pairs_per_text=args.pairs_per_text)
    data = trainer.generate_training_data(texts, prompts=prompts)
    common = dict(num_epochs=args.epochs, learning_rate=args.learning_rate, batch_size=args.batch_size,
                  max_length=args.max_length, training_args={"bf16": bool(args.bf16)})
    print(f"base={base}\ntexts={len(texts)} (of {len(corpus)} generated, those within max_length), "
          f"pairs_per_text={args.pairs_per_text}, CPU bf16 flags: {cpu_flags}, bf16 allowed: {args.bf16}", flush=True)

    rows = []
    with tempfile.TemporaryDirectory(prefix="aligntune-bench-") as tmp:
        started = time.perf_counter()
        result = trainer.train_reward_model(data, Path(tmp) / "rules", max_length=args.max_length,
                                            training_args={"bf16": bool(args.bf16)})
        rows.append(("aligntune objective='rules' (defaults)", time.perf_counter() - started,
                     _encoded(result), result.fidelity))
        started = time.perf_counter()
        result = trainer.train_reward_model(data, Path(tmp) / "pairs", objective="pairs", **common)
        rows.append(("aligntune objective='pairs'", time.perf_counter() - started, _encoded(result),
                     result.fidelity))
        seconds, encoded, model_dir = run_raw_trl(trainer, data, base, common, Path(tmp) / "raw")
        rows.append(("plain trl.RewardTrainer", seconds, encoded, held_out_fidelity(trainer, data, model_dir)))
    print(f"\n{'run':<40} {'wall s':>8} {'texts encoded':>14}  held-out fidelity")
    for name, seconds, encoded, fidelity in rows:
        print(f"{name:<40} {seconds:8.1f} {encoded:14d}  {fidelity.summary()}")


def _encoded(result) -> int:
    """Texts encoded in training, from the manifest: each text once an epoch (rules), both sides of a pair (pairs)."""
    data, training = result.manifest["data"], result.manifest["training"]
    if training["objective"] == "rules":
        return int(round(data["n_train_texts"] * training["num_epochs"]))
    return int(round(2 * data["n_pairs"] * training["num_epochs"]))


def held_out_fidelity(trainer, data, model_dir: Path):
    """The fidelity report aligntune writes, for a model trained elsewhere, on the same held-out texts."""
    from aligntune.reward_model.fidelity import measure_fidelity
    from aligntune.reward_model.pipeline import split_indices
    from aligntune.reward_model.scoring import TextRewardModel

    _, eval_rows = split_indices(data.num_rows, trainer.eval_fraction, trainer.seed)
    part = data.select(eval_rows)
    model = TextRewardModel.from_pretrained(str(model_dir))
    # scored as it was trained: prompt and text joined by the separator into one string
    joined = [f"{p}{model.tokenizer.sep_token or ' '}{t}" for p, t in zip(part["prompt"], part["text"])]
    scores = model.score(joined)
    components = {name: part[name] for name in trainer.composite.names}
    return measure_fidelity(scores, part["score"], components, min_score_gap=trainer.min_score_gap)


def run_raw_trl(trainer, data, base: str, common: dict, out: Path) -> tuple[float, int, Path]:
    """Plain TRL on the pairs aligntune would build, with the same RewardConfig arguments."""
    from datasets import Dataset
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from trl import RewardTrainer

    from aligntune.reward_model.training_args import FitSettings, reward_config
    from aligntune.reward_model.pairs import sample_pairs
    from aligntune.reward_model.pipeline import split_indices

    train_rows, _ = split_indices(data.num_rows, trainer.eval_fraction, trainer.seed)
    part = data.select(train_rows)
    pairs = sample_pairs(part["score"], pairs_per_text=trainer.pairs_per_text,
                         min_score_gap=trainer.min_score_gap, seed=trainer.seed)
    # the same input aligntune encodes: (prompt, text) as a pair, here joined by the separator
    sep = AutoTokenizer.from_pretrained(base).sep_token or " "
    texts = [f"{p}{sep}{t}" for p, t in zip(part["prompt"], part["text"])]
    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(base)
    lengths = [len(ids) for ids in tokenizer(texts)["input_ids"]]
    pair_data = Dataset.from_dict({
        "chosen": [texts[i] for i in pairs.chosen],
        "rejected": [texts[i] for i in pairs.rejected],
        "margin": pairs.margin.tolist(),
        "length": [max(lengths[c], lengths[r]) for c, r in zip(pairs.chosen, pairs.rejected)],
    })
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=1)
    settings = FitSettings(**common, seed=trainer.seed)
    args = reward_config(settings, out / "trl")
    if tokenizer.eos_token is None:
        args.eos_token = tokenizer.sep_token
    hf = RewardTrainer(model=model, args=args, train_dataset=pair_data, processing_class=tokenizer)
    hf.train()
    hf.save_model(str(out / "model"))
    tokenizer.save_pretrained(str(out / "model"))
    return time.perf_counter() - started, 2 * len(pair_data) * int(round(common["num_epochs"])), out / "model"


if __name__ == "__main__":
    main()
