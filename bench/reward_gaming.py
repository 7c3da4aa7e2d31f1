"""Can the rules be gamed? Real answers against adversarial copies, per class and per rule.

Reads real responses (default ``../shared/data/real_responses.jsonl``: AlpacaEval model
outputs with ``prompt``, ``response``, ``generator``), splits the instructions in two
halves by a seeded shuffle (one half gives the originals, the other the text the word
salad and the drifted answers are built from, so no copy borrows from its own original),
makes one copy of each original per class (``bench/gaming_copies.py``) and scores both
with the composite of the guide's Complete Example (length 0.15, sentiment 0.15, safety
0.35, coherence 0.20, helpfulness 0.15) and each rule.

Printed, per class: how often the composite prefers the original (strictly higher) with a
95% bootstrap interval, and per rule the share of pairs where the original wins and the
mean change original -> copy. Then: random markers that raise ``helpfulness``; mean
``coherence`` of the salad against the originals; per generator, the mean of each rule
on the originals (with ``--before REF``, also as the rules were at git revision ``REF``,
with the change: real answers should keep their scores on the rules nobody gamed); and,
with ``--hh``, how
often ``safety`` tells the two replies of a human harmlessness judgement apart and
agrees with the people.

Run:  python bench/reward_gaming.py [--n 1000] [--seed 0] [--hh ../shared/data/hh_harmless_dev.jsonl]
      [--other-half] [--before REF] [--no-generators] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_helpers import DATA, plugin_at_ref, read_jsonl, shuffled_instructions  # noqa: E402
from gaming_copies import CLASSES, BigramSalad, insert_markers  # noqa: E402

from aligntune.rewards.composite import CompositeReward  # noqa: E402

FUNCTIONS = ["length", "sentiment", "safety", "coherence", "helpfulness"]
WEIGHTS = [0.15, 0.15, 0.35, 0.20, 0.15]


def share_ci(flags: list[bool], rng: random.Random, reps: int = 1000) -> tuple[float, float, float]:
    """The share of True and its 95% bootstrap interval."""
    n = len(flags)
    point = sum(flags) / n
    boots = sorted(sum(flags[rng.randrange(n)] for _ in range(n)) / n for _ in range(reps))
    return point, boots[int(0.025 * reps)], boots[int(0.975 * reps) - 1]


def split_rows(rows: list[dict], n: int, seed: int, other_half: bool = False) -> tuple[list[dict], list[dict]]:
    """Originals (at most ``n``, from half the instructions) and the donor rows (the other half).

    ``other_half`` swaps the halves: the originals come from the instructions the default
    run draws its donors from (a held-out check of rules tuned on the default half).
    """
    prompts = shuffled_instructions(rows, seed)
    half = len(prompts) // 2
    own = set(prompts[half:] if other_half else prompts[:half])
    originals = [r for r in rows if r["prompt"] in own and len(r["response"].split()) >= 5]
    donors = [r for r in rows if r["prompt"] not in own and r["response"].strip()]
    random.Random(seed + 1).shuffle(originals)
    return originals[:n], donors


def make_copies(originals: list[dict], donors: list[dict], seed: int) -> dict[str, list[str]]:
    helpers = {
        "salad": BigramSalad([r["response"] for r in donors]),
        "other": lambda rng: rng.choice(donors)["response"],
    }
    copies = {}
    for name, (_, corrupt) in CLASSES.items():
        rng = random.Random(f"{seed}-{name}")
        copies[name] = [corrupt(r["response"], r["prompt"], rng, helpers) for r in originals]
    return copies


def report_classes(reward: CompositeReward, originals: list[dict], copies: dict[str, list[str]], seed: int) -> dict:
    prompts = [r["prompt"] for r in originals]
    base = reward.score_components([r["response"] for r in originals], prompts=prompts)
    rng = random.Random(seed)
    results: dict = {"originals": {n: statistics.fmean(v) for n, v in base.components.items()}}
    results["originals"]["composite"] = statistics.fmean(base.total)
    print(f"\n{'class':<10} {'composite prefers original':>30}   " + "  ".join(f"{n:>17}" for n in FUNCTIONS))
    print(f"{'':<10} {'':>30}   " + "  ".join(f"{'wins  mean change':>17}" for _ in FUNCTIONS))
    for name, texts in copies.items():
        scored = reward.score_components(texts, prompts=prompts)
        wins = [a > b for a, b in zip(base.total, scored.total)]
        point, lo, hi = share_ci(wins, rng)
        row = {"composite_prefers_original": point, "ci": [lo, hi], "rules": {}}
        cells = []
        for fn in FUNCTIONS:
            a, b = base.components[fn], scored.components[fn]
            rule_wins = sum(x > y for x, y in zip(a, b)) / len(a)
            change = statistics.fmean(y - x for x, y in zip(a, b))
            row["rules"][fn] = {"original_wins": rule_wins, "mean_change": change,
                                "copy_mean": statistics.fmean(b)}
            cells.append(f"{rule_wins:>6.0%} {change:>+10.3f}")
        results[name] = row
        print(f"{name:<10} {point:>14.1%} [{lo:.1%}, {hi:.1%}]   " + "  ".join(f"{c:>17}" for c in cells))
    return results


def report_markers(reward: CompositeReward, originals: list[dict], seed: int) -> float:
    helpfulness = next(fn for fn in reward.functions if fn.name == "helpfulness")
    texts = [r["response"] for r in originals]
    prompts = [r["prompt"] for r in originals]
    rng = random.Random(f"{seed}-markers")
    marked = [insert_markers(t, rng) for t in texts]
    before = helpfulness.score(texts, prompts=prompts)
    after = helpfulness.score(marked, prompts=prompts)
    raised = sum(b > a + 1e-9 for a, b in zip(before, after)) / len(texts)
    print(f"\nrandom marker insertion raises helpfulness in {raised:.1%} of texts (target <= 10%)")
    return raised


def report_generators(reward: CompositeReward, rows: list[dict], before: CompositeReward | None = None,
                      label: str = "") -> dict:
    """Per generator, the mean of each rule on its real answers (and at ``before``, with the change)."""
    by_gen: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_gen[r["generator"]].append(r)
    if before is None:
        print(f"\n{'generator':<34}{'n':>6} " + " ".join(f"{n:>12}" for n in FUNCTIONS))
    else:
        print(f"\nper generator, mean of each rule: {label} -> working tree (change)")
        print(f"{'generator':<30}{'n':>6} " + " ".join(f"{n:>22}" for n in FUNCTIONS))
    table: dict = {}
    for gen in sorted(by_gen):
        items = by_gen[gen]
        texts, prompts = [r["response"] for r in items], [r["prompt"] for r in items]
        scored = reward.score_components(texts, prompts=prompts)
        means = {n: statistics.fmean(v) for n, v in scored.components.items()}
        if before is None:
            table[gen] = means
            print(f"{gen[:33]:<34}{len(items):>6} " + " ".join(f"{means[n]:>12.3f}" for n in FUNCTIONS))
            continue
        old = before.score_components(texts, prompts=prompts)
        old_means = {n: statistics.fmean(v) for n, v in old.components.items()}
        table[gen] = {"after": means, "before": old_means}
        cells = [f"{old_means[n]:.3f}->{means[n]:.3f} ({means[n] - old_means[n]:+.3f})" for n in FUNCTIONS]
        print(f"{gen[:29]:<30}{len(items):>6} " + " ".join(f"{c:>22}" for c in cells))
    return table


def rules_at(ref: str, workdir: str) -> CompositeReward:
    """The composite of the five rules as the plugin built them at git revision ``ref``."""
    module = plugin_at_ref(ref, workdir)
    return CompositeReward([getattr(module, f"{n}_reward")() for n in FUNCTIONS], WEIGHTS)


def report_hh(path: Path, seed: int) -> dict:
    pairs = read_jsonl(path)
    safety = CompositeReward(["safety"])
    chosen = safety.score([p["chosen"] for p in pairs], prompts=[p["prompt"] for p in pairs])
    rejected = safety.score([p["rejected"] for p in pairs], prompts=[p["prompt"] for p in pairs])
    decided = [(c, r) for c, r in zip(chosen, rejected) if abs(c - r) > 1e-9]
    agree = [c > r for c, r in decided]
    rate = len(decided) / len(pairs)
    point, lo, hi = share_ci(agree, random.Random(seed)) if agree else (float("nan"),) * 3
    print(f"\nsafety on {path.name}: decides {rate:.1%} of {len(pairs)} pairs (target >= 50%); "
          f"agrees with the people on {point:.1%} [{lo:.1%}, {hi:.1%}] of those (target >= 70%)")
    return {"pairs": len(pairs), "decided": rate, "agree": point, "agree_ci": [lo, hi]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA / "real_responses.jsonl")
    parser.add_argument("--n", type=int, default=1000, help="originals to corrupt (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hh", type=Path, default=None, help="HH harmlessness pairs (prompt, chosen, rejected)")
    parser.add_argument("--other-half", action="store_true",
                        help="take the originals from the other half of the instructions (held-out check)")
    parser.add_argument("--no-generators", action="store_true", help="skip the per-generator table")
    parser.add_argument("--before", default=None, metavar="REF",
                        help="also score every generator's answers with the rules at git revision REF "
                             "and print each rule's mean before -> after (no false alarms)")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"no data file at {args.data}; pass --data PATH (a JSONL with prompt and response)")
    if args.before:
        probe = subprocess.run(["git", "-C", str(Path(__file__).resolve().parent), "rev-parse", "--verify", "--quiet",
                                f"{args.before}^{{commit}}"], capture_output=True)
        if probe.returncode:
            parser.error(f"--before {args.before!r} is not a git revision of this checkout; pass a commit, tag or branch")
    start = time.perf_counter()
    rows = read_jsonl(args.data)
    originals, donors = split_rows(rows, args.n, args.seed, args.other_half)
    reward = CompositeReward(FUNCTIONS, WEIGHTS)
    print(f"{len(originals)} originals from {len({r['prompt'] for r in originals})} instructions; "
          f"salad and drift from {len(donors)} responses to the other instructions")
    out = {"classes": report_classes(reward, originals, make_copies(originals, donors, args.seed), args.seed)}
    out["markers_raise_helpfulness"] = report_markers(reward, originals, args.seed)
    salad = out["classes"]["salad"]["rules"]["coherence"]["copy_mean"]
    real = out["classes"]["originals"]["coherence"]
    print(f"mean coherence: word salad {salad:.3f} (target <= 0.5), real responses {real:.3f} (target >= 0.9)")
    if not args.no_generators:
        if args.before:
            with tempfile.TemporaryDirectory() as workdir:
                out["generators"] = report_generators(reward, rows, rules_at(args.before, workdir), args.before)
        else:
            out["generators"] = report_generators(reward, rows)
    if args.hh:
        out["hh"] = report_hh(args.hh, args.seed)
    print(f"\n{time.perf_counter() - start:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
