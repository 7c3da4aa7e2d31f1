"""``aligntune rewards``: list reward functions and score texts."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

import click

from aligntune.errors import ConfigurationError
from aligntune.reward_model.scoring import load_text_reward_model
from aligntune.rewards.composite import CompositeReward
from aligntune.rewards.registry import RewardRegistry
from aligntune.textio import batched, iter_records


@click.group()
def rewards() -> None:
    """Reward functions: list them, score texts with them."""


@rewards.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_rewards(as_json: bool) -> None:
    """List available reward functions."""
    rows = RewardRegistry().describe()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No reward functions installed. Install them with: pip install 'aligntune[rewards]'")
    for row in rows:
        low, high = row["value_range"]
        click.echo(f"{row['name']:<14} [{low:g}, {high:g}]  {row['description']}  ({row['plugin']})")


def _parse_weights(value: str | None) -> list[float] | None:
    if value is None:
        return None
    try:
        return [float(part) for part in value.split(",")]
    except ValueError:
        raise ConfigurationError(f"--weights must be comma-separated numbers, got {value!r}") from None


@rewards.command("score")
@click.option("--function", "functions", help="Reward function name(s), comma-separated.")
@click.option("--weights", help="One weight per function, comma-separated (normalised to sum to 1).")
@click.option("--model", "model_dir", type=click.Path(), help="Score with a trained reward-model directory.")
@click.option("--text", "texts", multiple=True, help="A text to score (repeatable).")
@click.option("--prompt", help="Prompt the --text responses answer (rule functions only).")
@click.option("--input", "input_path", type=click.Path(),
              help="JSONL, CSV or Parquet file, or a Dataset.save_to_disk directory, with a text column (streamed).")
@click.option("--text-column", default="text", show_default=True, help="Column holding the texts.")
@click.option("--output", "output", type=click.File("w"), default="-", help="JSONL output (default: stdout).")
@click.option("--batch-size", default=256, show_default=True, type=click.IntRange(min=1))
def score(
    functions: str | None,
    weights: str | None,
    model_dir: str | None,
    texts: tuple[str, ...],
    prompt: str | None,
    input_path: str | None,
    text_column: str,
    output: TextIO,
    batch_size: int,
) -> None:
    """Score texts; writes one JSON object per text (score plus components)."""
    if bool(texts) == bool(input_path):
        raise ConfigurationError("Give texts to score with --text, or a file with --input (not both)")
    if bool(functions) == bool(model_dir):
        raise ConfigurationError("Choose what scores: --function NAME[,NAME...] or --model DIR (exactly one)")
    scorer = _rule_scorer(functions, weights) if functions else _model_scorer(model_dir)
    if texts:
        rows: Any = [[{"text": t, "prompt": prompt} for t in texts]]
    else:
        rows = batched(iter_records(input_path, text_column=text_column), batch_size)
    for batch in rows:
        batch_texts = [r[text_column] if text_column in r else r["text"] for r in batch]
        prompts = [r.get("prompt") for r in batch]
        refs = [r.get("reference") for r in batch]
        results = scorer(
            batch_texts,
            prompts if any(p is not None for p in prompts) else None,
            refs if any(r is not None for r in refs) else None,
        )
        for text, result in zip(batch_texts, results):
            output.write(json.dumps({"text": text, **result}) + "\n")
    if output is not sys.stdout:
        output.flush()


def _rule_scorer(functions: str, weights: str | None) -> Any:
    names = [n.strip() for n in functions.split(",") if n.strip()]
    composite = CompositeReward(names, _parse_weights(weights))

    def run(texts: list[str], prompts: Any, refs: Any) -> list[dict[str, float]]:
        return composite.score_components(texts, prompts=prompts, references=refs).rows()

    return run


def _model_scorer(model_dir: str | None) -> Any:
    model = load_text_reward_model(model_dir)

    def run(texts: list[str], prompts: Any, refs: Any) -> list[dict[str, float]]:
        # A model trained on (prompt, text) pairs is given the prompts too.
        use = prompts if model.uses_prompts else None
        return [{"score": s} for s in model.score(texts, prompts=use)]

    return run
