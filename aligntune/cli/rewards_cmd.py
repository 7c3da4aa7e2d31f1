"""``aligntune rewards``: list reward functions and score texts."""

from __future__ import annotations

import json
from typing import Any, TextIO

import click

from aligntune._validation import show
from aligntune.atomic import atomic_file
from aligntune.cli.options import Once
from aligntune.errors import ConfigurationError
from aligntune.outputs import check_output_file
from aligntune.plugins import get_plugin_manager
from aligntune.plugins.lookup import blocked_plugins_note
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
        blocked = blocked_plugins_note(get_plugin_manager())
        click.echo(f"No reward functions loaded.{blocked}" if blocked else
                   "No reward functions installed. Install them with: pip install 'aligntune[rewards]'")
    for row in rows:
        low, high = row["value_range"]
        click.echo(f"{row['name']:<14} [{low:g}, {high:g}]  {row['description']}  ({row['plugin']})")


def _names(values: tuple[str, ...]) -> list[str]:
    """The names of every --function, comma-separated or repeated, in order."""
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    if not names:
        raise ConfigurationError(
            f"--function needs at least one reward function name, got {show(','.join(values))}; "
            "e.g. --function length,safety (aligntune rewards list shows them)"
        )
    return names


def _parse_weights(values: tuple[str, ...]) -> list[float] | None:
    """The numbers of every --weights, comma-separated or repeated, in order (None when not given)."""
    if not values:
        return None
    try:
        return [float(part) for value in values for part in value.split(",")]
    except ValueError:
        shown = ",".join(values) if len(values) == 1 else " ".join(f"--weights {v}" for v in values)
        raise ConfigurationError(f"--weights must be comma-separated numbers, got {show(shown)}") from None


@rewards.command("score")
@click.option("--function", "functions", multiple=True,
              help="Reward function name(s), comma-separated or repeated (--function a --function b; "
                   "default: none, give this or --model).")
@click.option("--weights", multiple=True,
              help="One weight per function, comma-separated or repeated, in the order of the functions "
                   "(normalised to sum to 1; default: equal weights).")
@click.option("--model", "model_dir", cls=Once, type=click.Path(),
              help="Score with a trained reward-model directory (default: none, give this or --function).")
@click.option("--text", "texts", multiple=True, help="A text to score (repeatable; default: none, give this or --input).")
@click.option("--prompt", cls=Once, help="Prompt the --text responses answer (rule functions only; default: none).")
@click.option("--input", "input_path", cls=Once, type=click.Path(),
              help="JSONL, CSV or Parquet file, or a Dataset.save_to_disk directory, with a text column (streamed; "
                   "default: none, give this or --text).")
@click.option("--text-column", cls=Once, default="text", show_default=True, help="Column holding the texts.")
@click.option("--output", "output", cls=Once, type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=False,
              help="JSONL output file (default: stdout). Written whole or not at all: it replaces the file only "
                   "once every text is scored, and it may not be the --input file.")
@click.option("--batch-size", cls=Once, default=256, show_default=True, type=click.IntRange(min=1),
              help="Texts scored per call of each function.")
def score(
    functions: tuple[str, ...],
    weights: tuple[str, ...],
    model_dir: str | None,
    texts: tuple[str, ...],
    prompt: str | None,
    input_path: str | None,
    text_column: str,
    output: str,
    batch_size: int,
) -> None:
    """Score texts; writes one JSON object per text (score plus components).

    An --input file with no rows (an empty JSONL file, a CSV with only a header) gives an
    empty output and a warning, not an error. Texts are scored as they are, control
    characters included. --function, --weights and --text may be repeated (the values
    add up, in order); any other option given twice is refused.
    """
    if bool(texts) == bool(input_path):
        raise ConfigurationError("Give texts to score with --text, or a file with --input (not both)")
    if bool(functions) == bool(model_dir):
        raise ConfigurationError("Choose what scores: --function NAME[,NAME...] or --model DIR (exactly one)")
    to_stdout = output == "-"
    if not to_stdout:
        check_output_file(output, inputs=[input_path, model_dir])
    scorer = _rule_scorer(_names(functions), _parse_weights(weights)) if functions else _model_scorer(model_dir)
    if texts:
        rows: Any = [[{"text": t, "prompt": prompt} for t in texts]]
    else:
        rows = batched(iter_records(input_path, text_column=text_column), batch_size)
    if to_stdout:
        count = _write_scores(rows, scorer, text_column, click.get_text_stream("stdout"))
    else:
        with atomic_file(output) as handle:  # an error part-way leaves the previous output as it was
            count = _write_scores(rows, scorer, text_column, handle)
    if count == 0:
        click.echo(f"Warning: {show(input_path)} has no rows to score; the output is empty", err=True)


def _write_scores(rows: Any, scorer: Any, text_column: str, output: TextIO) -> int:
    count = 0
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
            count += 1
    output.flush()
    return count


def _rule_scorer(names: list[str], weights: list[float] | None) -> Any:
    composite = CompositeReward(names, weights)

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
