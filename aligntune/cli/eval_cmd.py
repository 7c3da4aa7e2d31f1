"""``aligntune eval-reward-model``: pairwise accuracy of a reward model on preference pairs."""

from __future__ import annotations

import json

import click

from aligntune.cli.options import Once
from aligntune.reward_model.evaluate import evaluate_reward_model


@click.command("eval-reward-model")
@click.option("--model", "model_dir", cls=Once, required=True, type=click.Path(),
              help="A local reward-model directory.")
@click.option("--pairs", "pairs_path", cls=Once, required=True, type=click.Path(),
              help="JSONL, CSV or Parquet file, or a Dataset.save_to_disk directory, with chosen/rejected "
                   "(and optionally prompt) columns: strings, or lists of {role, content} messages.")
@click.option("--function", "functions", multiple=True,
              help="Rule function(s) to compare with, comma-separated or repeated (default: none, the length-only "
                   "ranker alone).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--batch-size", cls=Once, default=32, show_default=True, type=click.IntRange(min=1),
              help="Texts the model scores at a time.")
@click.option("--seed", cls=Once, default=0, show_default=True, type=int, help="Seed of the bootstrap interval.")
def eval_reward_model(model_dir: str, pairs_path: str, functions: tuple[str, ...], as_json: bool,
                      batch_size: int, seed: int) -> None:
    """Pairwise accuracy (chosen scored above rejected; a tie counts as wrong) with a bootstrap 95%
    interval, beside a length-only ranker (the longer response wins) and any --function rules."""
    names = [n.strip() for value in functions for n in value.split(",") if n.strip()] or None
    result = evaluate_reward_model(model_dir, pairs_path, functions=names, batch_size=batch_size, seed=seed)
    click.echo(json.dumps(result.as_dict()) if as_json else result.table())
