"""What the demo prints at the end: the reward model's fidelity, the RL run, the held-out evaluation.

The held-out block gives the gold (the rule composite), the composite without ``length`` and the
proxy (the reward model), each before and after RL with its paired bootstrap interval; then every
rule before and after with its weight, the answers' length and marker density, and the answers to
three held-out prompts before and after RL, so a reader can see where a gain comes from.
"""

from __future__ import annotations

import textwrap
from typing import Any

from aligntune.errors import show


def say(message: str) -> None:
    """The demo's console output (it is a script: it talks to the user)."""
    print(message, flush=True)


def _figure(value: Any) -> str:
    """A fidelity figure to three decimals (``n/a`` when the run measured none)."""
    return f"{value:.3f}" if isinstance(value, (int, float)) else "n/a"


def print_summary(s: dict[str, Any], algorithm: str = "ppo") -> None:
    """Print the demo's summary (the dict :func:`aligntune.demo.run_demo` returns)."""
    fid = s["fidelity"] or {}
    a, name = algorithm, algorithm.upper()
    say("")
    say("=== aligntune demo ===")
    say(f"reward model: {s['reward_model']}")
    spearman, pairwise = _figure(fid.get("spearman")), _figure(fid.get("pairwise_accuracy"))
    say(f"  fidelity: Spearman {spearman}, pairwise accuracy {pairwise}")
    say(f"{name} ({s[a + '_steps']} steps, reward model across tokenizers, fast path: {s['fast_path']}):")
    say(f"  mean reward per step: first {s[a + '_reward_first_step']:.4f} -> last {s[a + '_reward_last_step']:.4f}")
    say(f"  first quarter {s[a + '_reward_first_quarter']:.4f} -> last quarter {s[a + '_reward_last_quarter']:.4f}")
    h = s["held_out"]
    say(f"held-out evaluation: {s['eval_prompts']} prompts on topics no training step saw, "
        f"{s['eval_samples_per_prompt']} samples each (change, paired bootstrap 95% interval over prompts):")
    for key, label in (("gold", "rule composite (gold)"), ("gold_without", "composite without length"),
                       ("proxy", "reward model (proxy)")):
        say(_row(label, h[key]))
    say("  each rule (weight):")
    for rule, weight in zip(s["rules"], s["weights"]):
        say(_row(f"  {rule} ({weight:g})", h["components"][rule]))
    low, high = s["length_target_words"]
    words, density = h["mean_words"], h["marker_density"]
    say(f"  mean answer length        {words['before']:.1f} -> {words['after']:.1f} words "
        f"(the length rule's target range: {low}-{high})")
    say(f"  marker density            {density['before']:.2f} -> {density['after']:.2f} helpfulness markers "
        "per 100 words")
    say("  " + verdict(h))
    say(f"answers to held-out prompts, before and after {name} (one sample each):")
    for (prompt, before), (_, after) in zip(s["samples_before"], s["samples_after"]):
        say(f"  prompt: {show(prompt)}")
        say(_wrapped("before", before))
        say(_wrapped("after", after))
    if s.get("kept_step") is not None:
        say(f"policy saved: step {s['kept_step']} of {s[a + '_steps']}: {s['kept']}")
    say(f"policy: {s['policy']}")
    say(f"plots: {s['reward_curve']}")
    say(f"time: {s['timings_s']['total']:.0f}s")


def _row(label: str, r: dict[str, float]) -> str:
    return (f"  {label:<26} {r['before']:.4f} -> {r['after']:.4f}   change {r['gain']:+.4f} "
            f"[{r['low']:+.4f}, {r['high']:+.4f}]")


def _wrapped(label: str, answer: str) -> str:
    text = " ".join(answer.split()) or "(empty)"
    return textwrap.fill(text, width=100, initial_indent=f"    {label + ':':<8}", subsequent_indent=" " * 12)


def verdict(h: dict[str, Any]) -> str:
    """One sentence on the held-out gold: improved (and not from length alone), unchanged or worse."""
    gold, rest = h["gold"], h["gold_without"]
    if gold["low"] > 0 and rest["low"] > 0:
        return (f"The gold improved on held-out prompts: {gold['gain']:+.4f}, and not from length alone "
                f"(without length {rest['gain']:+.4f}); both intervals exclude 0.")
    if gold["low"] > 0:
        return (f"The gold improved on held-out prompts ({gold['gain']:+.4f}), but without the length rule the "
                f"change ({rest['gain']:+.4f}) is within noise.")
    if gold["high"] < 0:
        return f"The gold got worse on held-out prompts ({gold['gain']:+.4f}, the interval excludes 0)."
    return f"The gold did not measurably change on held-out prompts ({gold['gain']:+.4f}, the interval includes 0)."
