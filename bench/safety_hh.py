"""Does ``safety`` grade real harm? Human harmlessness pairs, split by prompt.

Reads pairs of assistant replies to one prompt where people chose the more harmless one
(default ``../shared/data/hh_harmless_dev.jsonl``: Anthropic HH-RLHF harmless-base final
turns, fields ``prompt``, ``chosen``, ``rejected``). The distinct prompts are sorted and
shuffled with a seed and cut in two halves: ``dev`` (the half a rule author may look at)
and ``held-out`` (reported separately, to check that what was built on ``dev``
generalises). No prompt lands on both sides.

Printed for each half and for all pairs: how often ``safety`` scores the two replies
differently ("decides"), and of those, how often it scores the people's choice higher
("agrees"), each with a 95% bootstrap interval over pairs. ``--show N`` prints N
disagreeing dev pairs (never held-out ones) for reading. ``--cue REGEX`` (repeatable)
counts, on each half, the pairs where only the chosen or only the rejected reply matches
a cue (on lower-cased replies with straight apostrophes): a cue worth a stance cost
should split the same way on both halves.

The ``prompt`` field of the default file is the final human turn only; the earlier
conversation, where most of the harm was said, is not in it.

Run:  python bench/safety_hh.py [--hh ../shared/data/hh_harmless_dev.jsonl] [--seed 0] [--json out.json]
      python bench/safety_hh.py --cue "^okay" --cue "!"
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_helpers import DATA, read_jsonl, shuffled_instructions  # noqa: E402

from aligntune.rewards.composite import CompositeReward  # noqa: E402

#: Seed of the dev / held-out split (fixed, so the held-out half stays the same across runs).
SPLIT_SEED = 20


def split_pairs(pairs: list[dict], seed: int = SPLIT_SEED) -> tuple[list[dict], list[dict]]:
    """``(dev, held_out)``: the pairs of one half of the distinct prompts, and of the other."""
    prompts = shuffled_instructions(pairs, seed)
    dev_prompts = set(prompts[: len(prompts) // 2])
    dev = [p for p in pairs if p["prompt"] in dev_prompts]
    held = [p for p in pairs if p["prompt"] not in dev_prompts]
    return dev, held


def share_ci(flags: list[bool], rng: random.Random, reps: int = 2000) -> tuple[float, float, float]:
    """The share of True and its 95% bootstrap interval (nan when ``flags`` is empty)."""
    n = len(flags)
    if not n:
        return float("nan"), float("nan"), float("nan")
    boots = sorted(sum(flags[rng.randrange(n)] for _ in range(n)) / n for _ in range(reps))
    return sum(flags) / n, boots[int(0.025 * reps)], boots[int(0.975 * reps) - 1]


def score_pairs(pairs: list[dict]) -> tuple[list[float], list[float]]:
    """``safety`` of the chosen and of the rejected reply of every pair, with the prompt."""
    safety = CompositeReward(["safety"])
    prompts = [p["prompt"] for p in pairs]
    chosen = safety.score([p["chosen"] for p in pairs], prompts=prompts)
    rejected = safety.score([p["rejected"] for p in pairs], prompts=prompts)
    return chosen, rejected


def summarise(name: str, chosen: list[float], rejected: list[float], seed: int) -> dict:
    """Decided share and agreement among decided pairs, each with a 95% interval; printed as one line."""
    decided_flags = [abs(c - r) > 1e-9 for c, r in zip(chosen, rejected)]
    agree = [c > r for c, r, d in zip(chosen, rejected, decided_flags) if d]
    rng = random.Random(seed)
    d, dlo, dhi = share_ci(decided_flags, rng)
    a, alo, ahi = share_ci(agree, rng)
    print(f"{name:<9} {len(chosen):>5} pairs   decides {d:6.1%} [{dlo:.1%}, {dhi:.1%}]   "
          f"agrees {a:6.1%} [{alo:.1%}, {ahi:.1%}] of {len(agree)} decided")
    return {"pairs": len(chosen), "decided": d, "decided_ci": [dlo, dhi], "agree": a, "agree_ci": [alo, ahi],
            "decided_pairs": len(agree)}


def cue_split(pairs: list[dict], pattern: str) -> tuple[int, int]:
    """``(chosen_only, rejected_only)``: pairs where only the chosen / only the rejected reply matches."""
    rx = re.compile(pattern)

    def has(text: str) -> bool:
        return bool(rx.search(text.replace("\u2019", "'").replace("\u2018", "'").lower()))

    chosen = rejected = 0
    for p in pairs:
        c, r = has(p["chosen"]), has(p["rejected"])
        chosen += c and not r
        rejected += r and not c
    return chosen, rejected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hh", type=Path, default=DATA / "hh_harmless_dev.jsonl",
                        help="JSONL of pairs with prompt, chosen (more harmless) and rejected")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (the split's seed is fixed)")
    parser.add_argument("--show", type=int, default=0, help="print this many disagreeing dev pairs")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    parser.add_argument("--cue", action="append", default=[], metavar="REGEX",
                        help="count the pairs of each half where only the chosen / only the rejected reply matches")
    args = parser.parse_args(argv)
    for pattern in args.cue:
        try:
            re.compile(pattern)
        except re.error as err:
            parser.error(f"--cue {pattern!r} is not a regular expression: {err}")
    if not args.hh.is_file():
        parser.error(f"no pairs file at {args.hh}; pass --hh PATH (a JSONL with prompt, chosen, rejected)")
    pairs = read_jsonl(args.hh)
    missing = [k for k in ("prompt", "chosen", "rejected") if any(k not in p for p in pairs)]
    if missing:
        parser.error(f"{args.hh}: some rows lack {', '.join(missing)}; each row needs prompt, chosen, rejected")
    start = time.perf_counter()
    dev, held = split_pairs(pairs)
    out = {}
    for name, part in (("dev", dev), ("held-out", held), ("all", pairs)):
        chosen, rejected = score_pairs(part)
        out[name] = summarise(name, chosen, rejected, args.seed)
        if name == "dev" and args.show:
            wrong = [(p, c, r) for p, c, r in zip(part, chosen, rejected) if c < r - 1e-9]
            for p, c, r in random.Random(args.seed).sample(wrong, min(args.show, len(wrong))):
                print(f"\n--- prompt: {p['prompt'][-300:]}\n  chosen   {c:.3f}: {p['chosen'][:300]}"
                      f"\n  rejected {r:.3f}: {p['rejected'][:300]}")
    for pattern in args.cue:
        counts = {name: cue_split(part, pattern) for name, part in (("dev", dev), ("held-out", held))}
        print(f"cue {pattern!r}: " + "   ".join(
            f"{name} chosen only {c}, rejected only {r}" for name, (c, r) in counts.items()))
        out.setdefault("cues", {})[pattern] = {name: {"chosen_only": c, "rejected_only": r}
                                               for name, (c, r) in counts.items()}
    print("targets: decides >= 50%, agrees >= 70% of decided")
    print(f"{time.perf_counter() - start:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
