"""Evaluate any reward model on preference pairs: does it rank ``chosen`` above ``rejected``?

Pairs come in the shapes TRL's preference datasets use:

* plain text: ``chosen`` and ``rejected`` strings, with an optional ``prompt`` string;
* conversational: ``chosen``/``rejected`` as lists of ``{"role", "content"}`` messages,
  optionally ``prompt`` as messages too (else the prompt is the conversation before the
  last assistant message, TRL's "implicit prompt").

Conversational pairs are rendered with the reward model tokenizer's chat template when
it has one; without a template the model scores the last assistant message's content,
with the prompt's text as prompt (a log line says so). A model trained with prompts
(:attr:`TextRewardModel.uses_prompts`) is given the prompts.

The accuracy is the share of pairs where the model scores ``chosen`` strictly higher:
a tie counts as wrong. It comes with a bootstrap 95% interval (pairs resampled with
replacement, :data:`BOOTSTRAP_SAMPLES` times, seeded) and sits beside the same figure
for trivial rankers: the length-only ranker (the longer response, in characters, wins;
a tie is wrong) and any rule functions named, so that one sees whether the model beats them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aligntune.chat_templates import render_with
from aligntune.errors import ConfigurationError, DataError, show
from aligntune.reward_model.scoring import TextRewardModel
from aligntune.rewards.base import RewardFunction, score_checked
from aligntune.rewards.registry import RewardRegistry
from aligntune.stats import bootstrap_interval
from aligntune.textio import iter_file_rows, load_saved_dataset

logger = logging.getLogger(__name__)

#: Resamples of the bootstrap interval.
BOOTSTRAP_SAMPLES = 1000
#: Fewer pairs than this get no interval.
MIN_PAIRS_FOR_INTERVAL = 10
#: The name of the length-only baseline.
LENGTH_BASELINE = "length-only"

Messages = list[dict[str, str]]


@dataclass(frozen=True)
class RankerResult:
    """Pairwise accuracy of one ranker, with its bootstrap 95% interval ``[low, high]`` (or ``None``)."""

    accuracy: float
    interval: list[float] | None


@dataclass(frozen=True)
class PairsEvaluation:
    """The reward model's pairwise accuracy, and the baselines' beside it (see the module docstring)."""

    model: str
    n_pairs: int
    accuracy: float
    interval: list[float] | None
    baselines: dict[str, RankerResult] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """``{model, n_pairs, accuracy, interval, baselines: {name: {accuracy, interval}}}``."""
        return asdict(self)

    def table(self) -> str:
        """A readable table: one row per ranker, the model first."""
        rows = [("reward model", self.accuracy, self.interval)]
        rows += [(name, r.accuracy, r.interval) for name, r in self.baselines.items()]
        width = max(len(name) for name, _, _ in rows)
        lines = [f"{self.model}: {self.n_pairs} pairs (a tie counts as wrong)",
                 f"{'ranker':<{width}}  accuracy  95% interval"]
        for name, accuracy, interval in rows:
            shown = "n/a (too few pairs)" if interval is None else f"[{interval[0]:.3f}, {interval[1]:.3f}]"
            lines.append(f"{name:<{width}}  {accuracy:8.3f}  {shown}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Pair:
    """One checked pair: the raw ``chosen``/``rejected``/``prompt`` (text or messages)."""

    chosen: str | Messages
    rejected: str | Messages
    prompt: str | Messages | None

    @property
    def conversational(self) -> bool:
        return not isinstance(self.chosen, str)


def read_pairs(pairs: Any) -> list[Pair]:
    """Check and read pairs from a path (JSONL/CSV/Parquet file or saved dataset dir), a ``Dataset`` or dicts.

    Raises :class:`DataError` for a missing file, no rows, rows without ``chosen``/``rejected``,
    or entries that are neither strings nor lists of ``{"role", "content"}`` messages.
    """
    if isinstance(pairs, (str, os.PathLike)):
        path = Path(pairs).expanduser()
        if not path.exists():
            raise DataError(f"--pairs: file {show(str(path))} does not exist; give a JSONL, CSV or Parquet file "
                            "or a Dataset.save_to_disk directory")
        rows: Iterable[tuple[str, Any]] = (
            (f"{path}: row {i}", row) for i, row in enumerate(load_saved_dataset(path), start=1)
        ) if path.is_dir() else ((f"{path}:{line}", row) for line, row in iter_file_rows(path))
        origin = show(str(path))
    elif isinstance(pairs, (bytes, dict)) or not hasattr(pairs, "__iter__"):
        raise DataError(f"pairs must be a path, a datasets.Dataset or a list of dicts, got {show(pairs)}")
    else:
        rows = ((f"pair {i}", row) for i, row in enumerate(pairs))
        origin = "the pairs"
    out = [_check_row(where, row) for where, row in rows]
    if not out:
        raise DataError(f"{origin} holds no pairs; give rows with 'chosen' and 'rejected' columns")
    if len({p.conversational for p in out}) > 1:
        raise DataError(f"{origin} mixes plain-text and conversational pairs; use one shape throughout")
    return out


def _check_row(where: str, row: Any) -> Pair:
    if not isinstance(row, dict):
        raise DataError(f"{where} must be a mapping with 'chosen' and 'rejected', got {show(row, 80)}")
    missing = [name for name in ("chosen", "rejected") if name not in row]
    if missing:
        raise DataError(f"{where} has no {' or '.join(map(repr, missing))} column (columns: "
                        f"{show(sorted(map(str, row)))}); preference pairs need 'chosen' and 'rejected'")
    chosen, rejected = (_check_value(where, name, row[name]) for name in ("chosen", "rejected"))
    if isinstance(chosen, str) != isinstance(rejected, str):
        raise DataError(f"{where}: 'chosen' and 'rejected' must both be strings or both lists of messages")
    prompt = row.get("prompt")
    if prompt is not None:
        prompt = _check_value(where, "prompt", prompt)
        if isinstance(chosen, str) and not isinstance(prompt, str):  # the same rule as training's
            raise DataError(f"{where}: 'prompt' must be a string next to plain-text 'chosen' and 'rejected', got "
                            f"{show(prompt, 120)}; give the prompt as text, or both sides as chat messages")
    if not isinstance(chosen, str):
        for name, messages in (("chosen", chosen), ("rejected", rejected)):
            if not any(m["role"] == "assistant" for m in messages):
                raise DataError(f"{where}: {name!r} has no assistant message to score: {show(messages, 120)}")
    return Pair(chosen, rejected, prompt)


def _check_value(where: str, name: str, value: Any) -> str | Messages:
    if isinstance(value, str):
        return value
    ok = isinstance(value, list) and value and all(
        isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str) for m in value
    )
    if not ok:
        raise DataError(f"{where}: {name!r} must be a string or a non-empty list of {{'role', 'content'}} "
                        f"messages with string values, got {type(value).__name__}: {show(value, 120)}")
    return [{"role": m["role"], "content": m["content"]} for m in value]


def _split(pair: Pair, which: str) -> tuple[Messages, Messages]:
    """(prompt messages, response messages) of a conversational pair's ``which`` side."""
    messages: Messages = getattr(pair, which)
    if isinstance(pair.prompt, list):
        return pair.prompt, messages
    last = max(i for i, m in enumerate(messages) if m["role"] == "assistant")
    return messages[:last], messages[last:]


def _response_and_prompt(pair: Pair, which: str) -> tuple[str, str | None]:
    """The response text and the prompt text of one side (the last assistant message, for conversations)."""
    if not pair.conversational:
        return getattr(pair, which), pair.prompt if isinstance(pair.prompt, str) else None
    prompt, response = _split(pair, which)
    text = [m["content"] for m in response if m["role"] == "assistant"][-1]
    prompt_text = "\n".join(m["content"] for m in prompt) if prompt else None
    if isinstance(pair.prompt, str):
        prompt_text = pair.prompt
    return text, prompt_text


def resolve_functions(functions: Sequence[str] | None) -> dict[str, RewardFunction]:
    """Look rule functions up by name (an unknown name names the closest match)."""
    registry = RewardRegistry()
    out: dict[str, RewardFunction] = {}
    for name in functions or ():
        if not isinstance(name, str) or not name.strip():
            raise ConfigurationError(f"Reward function names must be non-empty strings, got {show(name)}")
        out[name.strip()] = registry.get_reward_function(name.strip())
    return out


def evaluate_reward_model(
    model: TextRewardModel | str | os.PathLike[str],
    pairs: Any,
    *,
    functions: Sequence[str] | None = None,
    batch_size: int = 32,
    seed: int = 0,
) -> PairsEvaluation:
    """Pairwise accuracy of ``model`` on ``pairs``, beside the length-only ranker and each of ``functions``.

    ``model`` is a loaded :class:`TextRewardModel` or a local reward-model directory (checked
    before it loads). ``pairs``: see :func:`read_pairs`. The pairs and function names are
    checked first, so bad input fails before any model loads.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ConfigurationError(f"batch_size must be an integer >= 1, got {show(batch_size)}")
    checked = read_pairs(pairs)
    rules = resolve_functions(functions)
    if not isinstance(model, TextRewardModel):
        name = str(model)
        model = TextRewardModel.from_pretrained(model)
    else:
        name = model.path or repr(model)
    sides = {which: [_response_and_prompt(p, which) for p in checked] for which in ("chosen", "rejected")}
    model_wins = _model_wins(model, checked, sides, batch_size)
    wins = {"reward model": model_wins,
            LENGTH_BASELINE: [len(c) > len(r) for (c, _), (r, _) in zip(sides["chosen"], sides["rejected"])]}
    for rule_name, fn in rules.items():
        scores = {which: score_checked(fn, [t for t, _ in sides[which]], prompts=_prompts(sides[which]))
                  for which in ("chosen", "rejected")}
        wins[rule_name] = [c > r for c, r in zip(scores["chosen"], scores["rejected"])]
    results = _with_intervals(wins, seed)
    model_result = results.pop("reward model")
    evaluation = PairsEvaluation(name, len(checked), model_result.accuracy, model_result.interval, results)
    logger.info("Pairwise accuracy %.3f on %d pairs (a tie counts as wrong)", evaluation.accuracy, len(checked))
    return evaluation


def _prompts(side: list[tuple[str, str | None]]) -> list[str | None] | None:
    prompts = [p for _, p in side]
    return prompts if any(p is not None for p in prompts) else None


def _model_inputs(model: TextRewardModel, pairs: list[Pair],
                  sides: dict[str, list[tuple[str, str | None]]]) -> dict[str, tuple[list[str], list[str | None] | None]]:
    """What the model scores for each side: texts, and prompts when it was trained with them."""
    template = getattr(model.tokenizer, "chat_template", None)
    if pairs[0].conversational and template:
        logger.info("Rendering the conversations with the reward model tokenizer's chat template")
        out = {}
        name = getattr(model.tokenizer, "name_or_path", None) or model.path
        origin = f"the reward model's tokenizer {show(str(name))}" if name else "the reward model's tokenizer"
        for which in ("chosen", "rejected"):
            conversations = [sum(_split(pair, which), []) for pair in pairs]
            out[which] = (render_with(model.tokenizer, conversations, origin=origin), None)
        return out
    if pairs[0].conversational:
        logger.info("The reward model tokenizer has no chat template: scoring the last assistant message's "
                    "content%s", ", with the prompt's text as prompt" if model.uses_prompts else "")
    return {which: ([t for t, _ in side], _prompts(side) if model.uses_prompts else None)
            for which, side in sides.items()}


def _model_wins(model: TextRewardModel, pairs: list[Pair], sides: dict[str, list[tuple[str, str | None]]],
                batch_size: int) -> list[bool]:
    """Whether the model scores ``chosen`` strictly above ``rejected``, pair by pair, batched with a progress bar."""
    from tqdm.auto import tqdm

    inputs = _model_inputs(model, pairs, sides)
    (chosen, chosen_prompts), (rejected, rejected_prompts) = inputs["chosen"], inputs["rejected"]
    wins: list[bool] = []
    with tqdm(total=len(pairs), desc="scoring pairs", unit="pair") as bar:
        for start in range(0, len(pairs), batch_size):
            end = min(start + batch_size, len(pairs))
            texts = chosen[start:end] + rejected[start:end]
            prompts = None
            if chosen_prompts is not None or rejected_prompts is not None:
                prompts = ((chosen_prompts or [None] * len(pairs))[start:end]
                           + (rejected_prompts or [None] * len(pairs))[start:end])
            scores = model.score(texts, prompts=prompts, batch_size=batch_size)
            n = end - start
            wins += [c > r for c, r in zip(scores[:n], scores[n:])]
            bar.update(n)
    return wins


def _with_intervals(wins: dict[str, list[bool]], seed: int) -> dict[str, RankerResult]:
    """Accuracy and a bootstrap 95% interval per ranker; every ranker sees the same resampled pairs (one seed)."""
    import numpy as np

    results = {}
    for name, won in wins.items():
        interval = (bootstrap_interval([won], np.mean, resamples=BOOTSTRAP_SAMPLES, seed=seed)
                    if len(won) >= MIN_PAIRS_FOR_INTERVAL else None)
        results[name] = RankerResult(float(np.mean(won)), interval)
    return results
