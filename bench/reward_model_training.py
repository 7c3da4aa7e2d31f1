"""aligntune's train_reward_model against plain trl.RewardTrainer: same pairs, model and arguments.

Both runs start from the same scored texts, the same held-out split and the same
preference pairs (aligntune's sampler), the same base model and the same
``trl.RewardConfig`` arguments. Each wall time runs from "have the pairs" to "model
saved": model and tokenizer loading, tokenisation, training and saving. The
aligntune time also includes what plain TRL does not do: counting truncation,
measuring held-out fidelity, the scatter plot, model card and manifest, and the
atomic rename. Runs alternate (raw, aligntune, raw, aligntune, ...) so that drift in
machine load hits both alike; the ratio uses the median of each.

Plain TRL silently drops every pair longer than ``max_length`` (aligntune truncates
and counts instead), so to compare like with like the corpus is first cut to the
texts that fit in ``max_length`` minus one token (room for TRL's appended
end-of-sequence token); both runs then train on exactly the same pairs.

Plain TRL needs ``eos_token`` set explicitly for BERT-family tokenizers such as the
MiniLM default (which have none); it is given ``[SEP]``.

    python bench/reward_model_training.py                 # bundled corpus, MiniLM, 300 texts
    python bench/reward_model_training.py --texts 1200 --repeats 1

Target: aligntune / raw TRL wall-time ratio <= 1.05.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=None, help="Base model directory (default: bundled MiniLM).")
    parser.add_argument("--functions", default="length,sentiment,safety,coherence,helpfulness")
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--pairs-per-text", type=int, default=2)
    parser.add_argument("--epochs", type=float, default=1)
    parser.add_argument("--learning-rate", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    import datasets
    import transformers

    datasets.disable_progress_bars()
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    logging.basicConfig(level=logging.WARNING)

    from aligntune.data import load_bundled_corpus
    from aligntune.defaults import default_reward_base
    from aligntune.rewards.training import RewardModelTrainer

    base = args.base or default_reward_base()
    from transformers import AutoTokenizer

    corpus = load_bundled_corpus(args.texts * 2)
    tokenizer = AutoTokenizer.from_pretrained(base)
    fits = [len(ids) < args.max_length for ids in tokenizer(corpus.prompts, corpus.texts)["input_ids"]]
    keep = [i for i, ok in enumerate(fits) if ok][: args.texts]
    texts, prompts = [corpus.texts[i] for i in keep], [corpus.prompts[i] for i in keep]
    trainer = RewardModelTrainer(base, args.functions.split(","), pairs_per_text=args.pairs_per_text)
    data = trainer.generate_training_data(texts, prompts=prompts)
    common = dict(num_epochs=args.epochs, learning_rate=args.learning_rate, batch_size=args.batch_size,
                  max_length=args.max_length)
    print(f"base={base}\ntexts={len(texts)} (of {len(corpus)} generated, those within max_length) pairs_per_text={args.pairs_per_text} {common}", flush=True)

    raw_times: list[float] = []
    ours_times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="aligntune-bench-") as tmp:
        for i in range(args.repeats):
            raw_times.append(run_raw_trl(trainer, data, base, common, Path(tmp) / f"raw-{i}"))
            print(f"run {i + 1}: raw TRL   {raw_times[-1]:7.1f} s", flush=True)
            started = time.perf_counter()
            result = trainer.train_reward_model(data, Path(tmp) / f"ours-{i}", **common)
            ours_times.append(time.perf_counter() - started)
            print(f"run {i + 1}: aligntune {ours_times[-1]:7.1f} s   ({result.fidelity.summary()})", flush=True)
    raw, ours = statistics.median(raw_times), statistics.median(ours_times)
    print(f"\nraw trl.RewardTrainer: {raw:.1f} s (median of {len(raw_times)})")
    print(f"aligntune:             {ours:.1f} s (median of {len(ours_times)})")
    print(f"ratio aligntune / raw TRL: {ours / raw:.3f}  (target <= 1.05)")


def run_raw_trl(trainer, data, base: str, common: dict, out: Path) -> float:
    """Plain TRL on the pairs aligntune would build, with the same RewardConfig arguments."""
    from datasets import Dataset
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from trl import RewardTrainer

    from aligntune.reward_model.fit import FitSettings, reward_config
    from aligntune.reward_model.pairs import sample_pairs
    from aligntune.reward_model.runner import split_indices

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
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
