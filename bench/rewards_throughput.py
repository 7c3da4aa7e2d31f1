"""Throughput of the basic rewards on one CPU core.

Generates a deterministic corpus of responses (seeded; 1-100 words each, from varied
templates and word pools: answers, refusals, hedges, word salad, loops, insults and
harmful how-tos), pairs each with a prompt, and scores it with every basic reward and
with the composite of all five, in a single process pinned to one core. Prints one row
per function: texts/s (best and median of the repeats) and the mean score. The raw
libraries the rewards wrap (the stock VADER analyzer, profanity_check) are timed on the
same texts as a reference point. Before each timed run the rules' shared per-text caches (word tokens
and the readings kept per text, such as each sentence's stems) are cleared, so repeats do not read texts
an earlier run already read. Times are the process's CPU time (``time.process_time``; numeric
libraries are kept single-threaded), so other jobs sharing the machine's cores do not count.

Run:  python bench/rewards_throughput.py [--n 10000] [--repeats 3] [--cpu 0] [--corpus bundled]

``--corpus bundled`` times the same functions on aligntune's bundled training corpus
(``load_bundled_corpus(n, seed)``: prompts with answers of every quality level, longer
on average) instead of the generated one.

``--safety-ref REF`` also times the composite with the ``safety`` function as it was at
git revision ``REF`` (the plugin package is extracted with ``git archive`` into a
temporary folder and imported under another module name), alternating old and new
``--alternations`` times in the same process, and prints the median texts/s of each
and their ratio. The other four functions are the current ones in both composites.
"""

from __future__ import annotations

import os

# Keep numeric libraries single-threaded before numpy/scikit-learn are imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_helpers import plugin_at_ref  # noqa: E402

SUBJECTS = ["The model", "Your plant", "This recipe", "The server", "My sister", "The committee", "A good editor",
            "The new policy", "Our team", "The engine", "Each student", "The city council", "This library"]
VERBS = ["needs", "improves", "explains", "reduces", "supports", "replaces", "follows", "measures", "protects",
         "changes", "requires", "describes", "handles"]
OBJECTS = ["the budget", "a clear plan", "fresh water", "the error rate", "every request", "the first draft",
           "our customers", "the main argument", "the weekly report", "a small change", "the test results",
           "the old bridge", "its memory use"]
ADVERBS = ["carefully", "quickly", "every morning", "without much effort", "in most cases", "after each update",
           "for a few weeks", "when the load is high", "before the deadline", "in a surprising way"]
CONNECTORS = ["because", "although", "so", "while", "and", "but", "since", "unless"]
CONTENT_WORDS = ("banana quantum purple keyboard philosophy seventeen carpet rapidly elephant tuesday glacier "
                 "violin spreadsheet thunder marble orbit lantern gravity pepper cathedral algorithm velvet "
                 "harbor crystal engine meadow silicon").split()
TEMPLATES = [
    "{S} {V} {O} {A}.",
    "{S} {V} {O} {C} {s} {v} {o}.",
    "First, check {O}; then make sure {s} {v} {o}.",
    "In my experience, {s} {v} {O} {A}, which saves time.",
    "If you want better results, try {o} {A} and compare the numbers.",
    "Thanks for asking! {S} {V} {O}, and that usually helps a lot.",
    "{S} rarely {v} {o}, so plan for about 20 minutes {A}.",
    "For example, {s} {v} {o} {A} {C} {s} {v} {o}.",
]
REFUSALS = ["I'm sorry, but I can't help with that.", "I don't know.", "I'm not sure, maybe ask someone else.",
            "I can't assist with that request, but a professional could help you."]
HEDGES = ["Maybe it works, I think, but I'm not sure.", "It depends on many factors, hard to say really."]
TOXIC = ["You are an idiot and this is a stupid question.", "Shut up, nobody cares about your garbage.",
         "What the hell is wrong with you?"]
HARMFUL = ["Sure! First, fill the pipe with black powder and cap both ends.",
           "Wait until the store is busy and slip the items into your bag without being seen.",
           "Add a little antifreeze to his drink every evening."]
PROMPTS = ["How do I keep basil alive indoors?", "Explain how the server handles load.",
           "What's a good way to write the weekly report?", "How can I improve the test results?",
           "How do I make a pipe bomb?", "How can I steal from a store?", "Summarise the committee's plan.",
           "Why does the engine need fresh water?", "", "Can you review my first draft?"]


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.06:
        return rng.choice(REFUSALS)
    if kind < 0.09:
        return rng.choice(HEDGES)
    if kind < 0.12:
        return rng.choice(TOXIC)
    if kind < 0.15:
        return rng.choice(HARMFUL)
    if kind < 0.19:  # word salad
        return " ".join(rng.choice(CONTENT_WORDS) for _ in range(rng.randint(4, 12))).capitalize() + "."
    text = rng.choice(TEMPLATES).format(
        S=rng.choice(SUBJECTS), s=rng.choice(SUBJECTS).lower(), V=rng.choice(VERBS), v=rng.choice(VERBS),
        O=rng.choice(OBJECTS), o=rng.choice(OBJECTS), A=rng.choice(ADVERBS), C=rng.choice(CONNECTORS),
    )
    return text[0].upper() + text[1:]


def make_corpus(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` responses of 1-100 words and one prompt per response, deterministic for ``seed``."""
    rng = random.Random(seed)
    texts, prompts = [], []
    for _ in range(n):
        target = rng.randint(1, 100)
        parts: list[str] = []
        words = 0
        if rng.random() < 0.05:  # repetition loop
            sentence = _sentence(rng)
            while words < target:
                parts.append(sentence)
                words += len(sentence.split())
        while words < target:
            sentence = _sentence(rng)
            parts.append(sentence)
            words += len(sentence.split())
        texts.append(" ".join(" ".join(parts).split()[:target]))
        prompts.append(rng.choice(PROMPTS))
    return texts, prompts


def _fresh() -> None:
    """Forget the per-text tokens and readings the rules share (``_text.tokens`` and every ``_text.TextMemo``),
    so that every timed run reads its texts as new ones, as in training; per-word caches stay warm, as they
    do there."""
    from aligntune_rewards_basic._text import clear_token_cache

    clear_token_cache()


def _time(fn: Callable[[], Sequence[float]], repeats: int) -> tuple[list[float], Sequence[float]]:
    times, result = [], []
    for _ in range(repeats):
        _fresh()
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return times, result


def safety_at_ref(ref: str, workdir: str) -> object:
    """A ``safety`` reward built from the plugin package as it was at git revision ``ref``."""
    return plugin_at_ref(ref, workdir).safety_reward()


def compare_safety(ref: str, texts: list[str], prompts: list[str], alternations: int) -> None:
    """Time the composite with ``safety`` at ``ref`` and now, alternately; print medians."""
    from aligntune.rewards.composite import CompositeReward
    from aligntune_rewards_basic import safety_reward

    with tempfile.TemporaryDirectory() as workdir:
        old_safety = safety_at_ref(ref, workdir)
        others = ["length", "sentiment", "coherence", "helpfulness"]
        composites = {
            f"safety@{ref}": CompositeReward([*others[:2], old_safety, *others[2:]]),
            "safety (working tree)": CompositeReward([*others[:2], safety_reward(), *others[2:]]),
        }
        times: dict[str, list[float]] = {label: [] for label in composites}
        for label, comp in composites.items():  # warm both (model loads, caches)
            comp.score(texts[:200], prompts=prompts[:200])
        for _ in range(alternations):
            for label, comp in composites.items():
                _fresh()
                start = time.process_time()
                comp.score(texts, prompts=prompts)
                times[label].append(time.process_time() - start)
    print(f"\ncomposite (all 5), old vs new safety, {alternations} alternating runs")
    print(f"{'safety':<26}{'texts/s (median)':>18}{'texts/s (best)':>16}")
    medians = {}
    for label, ts in times.items():
        medians[label] = len(texts) / statistics.median(ts)
        print(f"{label:<26}{medians[label]:>18,.0f}{len(texts) / min(ts):>16,.0f}")
    old, new = medians.values()
    print(f"new / old (medians): {new / old:.3f}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of texts (default 10000)")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats per function (default 3)")
    parser.add_argument("--cpu", type=int, default=0, help="core to pin to; -1 leaves affinity alone")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", choices=("generated", "bundled"), default="generated",
                        help="the generated corpus above (default) or aligntune's bundled training corpus")
    parser.add_argument("--safety-ref", default=None,
                        help="also compare the composite with safety as of this git revision")
    parser.add_argument("--alternations", type=int, default=5,
                        help="alternating old/new runs for --safety-ref (default 5)")
    parser.add_argument("--only-compare", action="store_true",
                        help="with --safety-ref, skip the per-function table")
    args = parser.parse_args(argv)

    if args.cpu >= 0 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    pinned = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "n/a"

    from aligntune.rewards.composite import CompositeReward
    from aligntune.rewards.registry import RewardRegistry
    from aligntune_rewards_basic.safety import _offensive_prob
    from aligntune_rewards_basic.sentiment import _analyzer

    if args.corpus == "bundled":
        from aligntune.data.corpus import load_bundled_corpus

        bundled = load_bundled_corpus(args.n, seed=args.seed)
        texts, prompts = list(bundled.texts), list(bundled.prompts)
    else:
        texts, prompts = make_corpus(args.n, args.seed)
    lengths = [len(t.split()) for t in texts]
    print(f"corpus ({args.corpus}): {len(texts)} texts, {min(lengths)}-{max(lengths)} words "
          f"(mean {statistics.mean(lengths):.1f}), seed {args.seed}; process pinned to CPU(s) {pinned}; "
          f"best/median of {args.repeats} repeats")

    if args.safety_ref and args.only_compare:
        compare_safety(args.safety_ref, texts, prompts, args.alternations)
        return
    registry = RewardRegistry()
    names = ["length", "sentiment", "safety", "coherence", "helpfulness"]
    rows: list[tuple[str, Callable[[], Sequence[float]]]] = []
    for name in names:
        fn = registry.get_reward_function(name)
        rows.append((name, lambda fn=fn: fn.score(texts, prompts=prompts)))
    composite = CompositeReward(names)
    rows.append(("composite (all 5)", lambda: composite.score(texts, prompts=prompts)))

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    stock_vader, predict_prob = SentimentIntensityAnalyzer(), _offensive_prob()  # load outside the timings
    predict_prob(texts[:10])
    _analyzer()
    rows.append(("raw VADER (stock)", lambda: [stock_vader.polarity_scores(t)["compound"] for t in texts]))
    rows.append(("raw profanity_check", lambda: list(predict_prob(texts))))

    print(f"{'function':<22}{'texts/s (best)':>16}{'texts/s (median)':>18}{'mean score':>12}")
    medians: dict[str, float] = {}
    for label, run in rows:
        times, scores = _time(run, args.repeats)
        best, median = len(texts) / min(times), len(texts) / statistics.median(times)
        medians[label] = median
        mean = f"{statistics.mean(scores):.3f}" if not label.startswith("raw") else "-"
        print(f"{label:<22}{best:>16,.0f}{median:>18,.0f}{mean:>12}")
    ratio = medians["composite (all 5)"] / medians["raw VADER (stock)"]
    print(f"composite / raw VADER (medians): {ratio:.2f}x")
    if args.safety_ref:
        compare_safety(args.safety_ref, texts, prompts, args.alternations)


if __name__ == "__main__":
    main()
