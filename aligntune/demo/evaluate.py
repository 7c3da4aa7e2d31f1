"""Sample a policy on fixed prompts and score the samples: the reward model (proxy) and the rules (gold).

:func:`evaluate_policy` draws ``samples_per_prompt`` responses for every prompt with fixed
sampling settings and seed; :func:`compare` sets two evaluations on the same prompts side by
side: the change of the rule composite, of the composite without its ``length`` component, and
of the proxy, each with a paired bootstrap 95% interval over prompts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aligntune.rewards.composite import normalised
from aligntune.stats import bootstrap_interval

#: Resamples of the paired bootstrap (over prompts).
BOOTSTRAP_SAMPLES = 2000
#: How many prompts' answers an evaluation keeps to show.
SHOWN = 3


@dataclass(frozen=True)
class PolicyEval:
    """Per-prompt mean scores of a policy's samples, and a few samples to show.

    ``gold[i]``/``proxy[i]``/``components[name][i]``/``words[i]``: means over the samples of
    prompt ``i``; ``gold_without`` is the composite without ``length`` (the other weights
    renormalised); ``markers[i]``: the mean number of markers the counter passed to
    :func:`evaluate_policy` found (0 without one). ``samples``: one (prompt, answer) for each of
    :data:`SHOWN` prompts spread over the list.
    """

    prompts: list[str]
    proxy: list[float]
    gold: list[float]
    gold_without: list[float]
    components: dict[str, list[float]]
    words: list[float]
    samples: list[tuple[str, str]] = field(repr=False)
    markers: list[float] = field(default_factory=list)


def evaluate_policy(
    model_dir: str,
    prompts: Sequence[str],
    *,
    reward_model: Any,
    rules: Any,
    max_new_tokens: int,
    temperature: float,
    seed: int = 0,
    samples_per_prompt: int = 1,
    batch_size: int = 32,
    without: str = "length",
    count_markers: Callable[[str], int] | None = None,
) -> PolicyEval:
    """Sample ``samples_per_prompt`` responses per prompt from ``model_dir`` and score them.

    ``count_markers`` counts the helpfulness markers of one answer (for the marker density).
    """
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(seed)
    tok = AutoTokenizer.from_pretrained(model_dir)
    tok.padding_side = "left"
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    asked = [p for p in prompts for _ in range(samples_per_prompt)]
    responses: list[str] = []
    for start in range(0, len(asked), batch_size):
        chunk = asked[start : start + batch_size]
        enc = tok(chunk, return_tensors="pt", padding=True)
        with torch.no_grad():
            out = model.generate(
                **enc, max_new_tokens=max_new_tokens, do_sample=True, temperature=temperature, top_k=0, top_p=1.0,
                pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
            )
        responses += tok.batch_decode(out[:, enc["input_ids"].shape[1] :], skip_special_tokens=True)
    scored = rules.score_components(responses, prompts=asked)
    kept = [n for n in rules.names if n != without]
    kept_weights = normalised([w for n, w in zip(rules.names, rules.weights) if n != without])
    without_scores = [sum(w * scored.components[n][i] for n, w in zip(kept, kept_weights))
                      for i in range(len(responses))]
    k = samples_per_prompt

    def per_prompt(values: Sequence[float]) -> list[float]:
        return [_mean(values[i * k : (i + 1) * k]) for i in range(len(prompts))]

    return PolicyEval(
        prompts=list(prompts),
        proxy=per_prompt(reward_model.score(responses, prompts=asked)),
        gold=per_prompt(scored.total),
        gold_without=per_prompt(without_scores),
        components={n: per_prompt(v) for n, v in scored.components.items()},
        words=per_prompt([float(len(r.split())) for r in responses]),
        samples=[(prompts[i], responses[i * k]) for i in shown_prompts(len(prompts))],
        markers=per_prompt([float(count_markers(r)) if count_markers else 0.0 for r in responses]),
    )


def shown_prompts(n: int) -> list[int]:
    """The indices of the :data:`SHOWN` prompts (of ``n``) whose answers are shown: spread over the list."""
    shown = min(SHOWN, n)
    return [i * n // shown for i in range(shown)]


def paired_interval(before: Sequence[float], after: Sequence[float], *, seed: int = 0,
                    samples: int = BOOTSTRAP_SAMPLES) -> dict[str, float]:
    """Mean of ``after - before`` over prompts, with a percentile bootstrap 95% interval (prompts resampled)."""
    import numpy as np

    diff = np.asarray(after, dtype=np.float64) - np.asarray(before, dtype=np.float64)
    interval = bootstrap_interval([diff], np.mean, resamples=samples, seed=seed)
    if interval is None:
        raise ValueError("paired_interval got scores whose mean is undefined (NaN) on every resample")
    low, high = interval
    return {"gain": float(diff.mean()), "low": float(low), "high": float(high)}


def compare(before: PolicyEval, after: PolicyEval, *, seed: int = 0) -> dict[str, Any]:
    """Gold, gold without length and proxy before and after, each change with its interval."""
    if before.prompts != after.prompts:
        raise ValueError("compare() needs two evaluations on the same prompts")
    rows = {}
    for name in ("gold", "gold_without", "proxy"):
        b, a = getattr(before, name), getattr(after, name)
        rows[name] = {"before": _mean(b), "after": _mean(a), **paired_interval(b, a, seed=seed)}
    rows["components"] = {n: {"before": _mean(before.components[n]), "after": _mean(after.components[n]),
                              **paired_interval(before.components[n], after.components[n], seed=seed)}
                          for n in before.components}
    rows["mean_words"] = {"before": _mean(before.words), "after": _mean(after.words)}
    rows["marker_density"] = {"before": _density(before), "after": _density(after)}
    rows["prompts"] = len(before.prompts)
    return rows


def _density(evaluation: PolicyEval) -> float:
    """Markers per 100 words over all of an evaluation's answers (0 when they hold no words)."""
    words = sum(evaluation.words)
    return 100.0 * sum(evaluation.markers) / words if words else 0.0


def _mean(values: Sequence[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else float("nan")
