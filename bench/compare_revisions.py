"""Summarise the logs of ``bench/compare_revisions.sh``: each overhead ratio per run for both revisions, and
after/before of their medians with a 95% bootstrap interval (and, where the bench prints each repeat's CPU
time, the same for the ratio of each repeat's pair of adjacent runs).

    python bench/compare_revisions.py LOG_DIR
"""

from __future__ import annotations

import random
import re
import statistics
import sys
from pathlib import Path

# (bench, the ratio's printed label, numerator arm, denominator arm: for the per-repeat pairs, where printed)
RATIOS = [
    ("grpo_overhead", "aligntune / raw_trl, train() (same rules)", "aligntune", "raw_trl"),
    ("grpo_overhead", "aligntune / raw_trl, training loop only", None, None),
    ("grpo_overhead", "rm_cross / rm_same", None, None),
    ("ppo_overhead", "aligntune / raw_trl", "aligntune", "raw_trl"),
    ("ppo_overhead", "reencode / aligntune", None, None),
    ("ppo_overhead", "minilm_cross / raw_trl", None, None),
    ("ppo_overhead", "rules / raw_trl", "rules", "raw_trl"),
    ("ppo_overhead", "gold_tracked / aligntune", None, None),
]
RUN_LINE = re.compile(r"\s+run (\d+) (\S+)\s+wall\s+[0-9.]+s\s+cpu\s+([0-9.]+)s")


def printed_ratio(log: str, label: str) -> float | None:
    """The ratio the bench printed on the line that starts with ``label``."""
    for line in log.splitlines():
        if line.startswith(label):
            return float(re.search(r"([0-9.]+)x", line[len(label):]).group(1))
    return None


def repeat_ratios(log: str, numerator: str, denominator: str) -> list[float]:
    """Per repeat: throughput of ``numerator`` over ``denominator`` (their CPU seconds, inverted)."""
    cpu = {(int(m[1]), m[2]): float(m[3]) for m in map(RUN_LINE.match, log.splitlines()) if m}
    return [cpu[(r, denominator)] / cpu[(r, numerator)] for r, arm in sorted(cpu)
            if arm == numerator and (r, denominator) in cpu]


def interval(before: list[float], after: list[float], draws: int = 4000, seed: int = 0) -> tuple[float, float]:
    """95% bootstrap interval of median(after) / median(before), each side resampled on its own."""
    rng = random.Random(seed)
    ratios = sorted(statistics.median(rng.choices(after, k=len(after)))
                    / statistics.median(rng.choices(before, k=len(before))) for _ in range(draws))
    return ratios[int(0.025 * draws)], ratios[int(0.975 * draws) - 1]


def main(out: Path) -> None:
    for bench, label, numerator, denominator in RATIOS:
        runs: dict[str, list[float]] = {}
        pairs: dict[str, list[float]] = {}
        for side in ("before", "after"):
            logs = [p.read_text() for p in sorted(out.glob(f"{side}-{bench}-*.log"))]
            runs[side] = [r for r in (printed_ratio(log, label) for log in logs) if r is not None]
            pairs[side] = [x for log in logs for x in (repeat_ratios(log, numerator, denominator) if numerator else [])]
        if not runs["before"] or not runs["after"]:
            print(f"{bench}: {label}: not printed by both sides")
            continue
        change = statistics.median(runs["after"]) / statistics.median(runs["before"])
        low, high = interval(runs["before"], runs["after"])
        print(f"{bench}: {label}")
        for side in ("before", "after"):
            print(f"  {side:<6} per run {' '.join(f'{x:.3f}' for x in runs[side])}  (median {statistics.median(runs[side]):.3f})")
        print(f"  after/before {change:.3f}  [{low:.3f}, {high:.3f}]")
        if pairs["before"] and pairs["after"]:
            change = statistics.median(pairs["after"]) / statistics.median(pairs["before"])
            low, high = interval(pairs["before"], pairs["after"])
            print(f"  per repeat (adjacent pairs, n={len(pairs['before'])}/{len(pairs['after'])}): "
                  f"after/before {change:.3f}  [{low:.3f}, {high:.3f}]")


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        sys.exit("usage: python bench/compare_revisions.py LOG_DIR  (the OUT of bench/compare_revisions.sh)")
    main(Path(sys.argv[1]))
