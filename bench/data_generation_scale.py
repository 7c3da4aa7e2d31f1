"""How generate_training_data scales: time and peak RSS at 10^4, 10^5 and 10^6 short texts.

Each size runs in a fresh Python process, so each peak RSS is that size's own. The
texts are built as a disk-backed ``datasets.Dataset`` (Arrow file, memory-mapped),
the way a large corpus would arrive, and scored with the chosen reward functions
through ``RewardModelTrainer.generate_training_data`` (batched ``map``).

    python bench/data_generation_scale.py                      # the five basic rewards
    python bench/data_generation_scale.py --functions length   # a fast function only
    python bench/data_generation_scale.py --sizes 10000,100000 --num-proc 2
    python bench/data_generation_scale.py --speedup 100000     # num_proc=2 against 1, same run

The input file is written in 10,000-row record batches (see the child script).
Peak RSS (``ru_maxrss``) counts the pages of the memory-mapped Arrow files that
were read, which the OS can drop at any time; the anonymous part of RSS (heap,
sampled every 50 ms from /proc/self/status) is what would grow if texts or scores
were held in memory. Both are printed.

Targets: peak RSS grows at most 1.2x from 10^5 to 10^6 texts; time grows about linearly.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import json, os, resource, sys, threading, time, logging
import datasets
datasets.disable_progress_bars()
logging.disable(logging.WARNING)
from aligntune.data import load_bundled_corpus
from aligntune.defaults import default_reward_base
from aligntune.rewards.training import RewardModelTrainer

n, functions, num_proc, batch_size, cache = int(sys.argv[1]), sys.argv[2].split(","), sys.argv[3], int(sys.argv[4]), sys.argv[5]
num_proc = None if num_proc == "none" else int(num_proc)
corpus = load_bundled_corpus()
seeds = [(" ".join(t.split()[:14]), p) for t, p in zip(corpus.texts, corpus.prompts)]

def rows():
    for i in range(n):
        text, prompt = seeds[i % len(seeds)]
        yield {"text": f"{text} ({i})", "prompt": prompt}

# 10,000-row record batches: with datasets' default of 1,000, merely opening the Arrow file maps nearly
# all of it into RSS (the kernel maps the pages around each record-batch header as it is read).
ds = datasets.Dataset.from_generator(rows, cache_dir=cache, writer_batch_size=10_000)
trainer = RewardModelTrainer(default_reward_base(), functions)
trainer.composite.score_components(["warm up"], prompts=["warm up?"])  # load lazy models before timing
def status():
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile"):
                out[key] = int(value.split()[0]) / 1024
    return out

peak_anon = [status().get("RssAnon", 0.0)]
done = threading.Event()

def sample():
    while not done.wait(0.05):
        peak_anon[0] = max(peak_anon[0], status().get("RssAnon", 0.0))

rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
start = time.perf_counter()
data = trainer.generate_training_data(ds, batch_size=batch_size, num_proc=num_proc)
seconds = time.perf_counter() - start
done.set()
sampler.join()
peak_anon[0] = max(peak_anon[0], status().get("RssAnon", 0.0))
assert data.num_rows == n and "score" in data.column_names
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"n": n, "seconds": seconds, "peak_rss_mb": peak, "rss_before_scoring_mb": rss_before,
                  "peak_anon_mb": peak_anon[0], "file_backed_mb": status().get("RssFile", 0.0)}))
"""


def run_size(n: int, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="aligntune-bench-") as cache:
        env = dict(os.environ, HF_DATASETS_CACHE=cache, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(n), args.functions, str(args.num_proc or "none"), str(args.batch_size), cache],
            capture_output=True,
            text=True,
            env=env,
        )
    if out.returncode != 0:
        sys.exit(f"size {n} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report_speedup(n: int, args: argparse.Namespace) -> None:
    """Score ``n`` texts with one worker, then two; print both times and the speed-up."""
    times = {}
    for workers in (1, 2):
        args.num_proc = workers
        times[workers] = run_size(n, args)["seconds"]
        print(f"num_proc={workers}: {n} texts in {times[workers]:.1f} s ({n / times[workers]:.0f} texts/s)", flush=True)
    print(f"speed-up num_proc=2 vs 1: x{times[1] / times[2]:.2f} (on {os.cpu_count()} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--functions", default="length,sentiment,safety,coherence,helpfulness")
    parser.add_argument("--num-proc", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--speedup", type=int, metavar="N", help="only time N texts with num_proc=1 and num_proc=2")
    args = parser.parse_args()
    if args.speedup:
        report_speedup(args.speedup, args)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"generate_training_data scale ({args.functions}; num_proc={args.num_proc}; batch_size={args.batch_size})")
    print(f"{'texts':>9} {'seconds':>9} {'texts/s':>9} {'peak RSS MB':>12} {'RSS before MB':>14} {'peak anon MB':>13} {'file-backed MB':>15}")
    results = []
    for n in sizes:
        started = time.perf_counter()
        r = run_size(n, args)
        results.append(r)
        print(
            f"{n:>9} {r['seconds']:>9.1f} {n / r['seconds']:>9.0f} {r['peak_rss_mb']:>12.0f} "
            f"{r['rss_before_scoring_mb']:>14.0f} {r['peak_anon_mb']:>13.0f} {r['file_backed_mb']:>15.0f}   (process total {time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    for a, b in zip(results, results[1:]):
        print(
            f"{a['n']:>9} -> {b['n']:<9} time x{b['seconds'] / a['seconds']:.2f} for x{b['n'] / a['n']:.0f} texts, "
            f"peak RSS x{b['peak_rss_mb'] / a['peak_rss_mb']:.2f}, peak anonymous RSS x{b['peak_anon_mb'] / a['peak_anon_mb']:.2f}"
        )


if __name__ == "__main__":
    main()
