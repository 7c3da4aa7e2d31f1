"""``aligntune train-reward-model``: train a reward model from a YAML config and/or options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from aligntune.errors import ConfigurationError

#: YAML keys besides the RewardModelTrainingConfig fields.
EXTRA_KEYS = ("training_texts_file", "bundled_corpus", "bundled_corpus_size")


def _read_yaml(path: str) -> dict[str, Any]:
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        raise ConfigurationError(f"Cannot read config file {path!r}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"Config file {path!r} is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigurationError(f"Config file {path!r} must hold a mapping of fields, got {type(data).__name__}")
    return data


def _read_texts_file(path: str) -> dict[str, list[Any]]:
    from aligntune.textio import iter_records

    texts: list[str] = []
    prompts: list[Any] = []
    references: list[Any] = []
    for row in iter_records(path):
        texts.append(row["text"])
        prompts.append(row.get("prompt"))
        references.append(row.get("reference"))
    out: dict[str, list[Any]] = {"training_texts": texts}
    if any(p is not None for p in prompts):
        out["training_prompts"] = prompts
    if any(r is not None for r in references):
        out["reference_texts"] = references
    return out


def _split(value: str | None) -> list[str] | None:
    return None if value is None else [part.strip() for part in value.split(",") if part.strip()]


def build_config(config_path: str | None, overrides: dict[str, Any]) -> Any:
    """Merge the YAML file and command-line overrides into a RewardModelTrainingConfig."""
    import attrs

    from aligntune.core.rl.config import RewardModelTrainingConfig

    fields = {f.name for f in attrs.fields(RewardModelTrainingConfig)}
    data = _read_yaml(config_path) if config_path else {}
    unknown = sorted(set(data) - fields - set(EXTRA_KEYS))
    if unknown:
        raise ConfigurationError(
            f"Unknown field(s) {unknown} in {config_path}; valid fields: {', '.join(sorted(fields | set(EXTRA_KEYS)))}"
        )
    data.update({k: val for k, val in overrides.items() if val is not None})
    texts_file = data.pop("training_texts_file", None)
    bundled = bool(data.pop("bundled_corpus", False))
    size = data.pop("bundled_corpus_size", None)
    sources = [name for name, on in (("training_texts", "training_texts" in data), ("training_texts_file", texts_file),
                                      ("bundled_corpus", bundled)) if on]
    if len(sources) > 1:
        raise ConfigurationError(f"Give the training texts one way only, got {' and '.join(sources)}")
    if texts_file:
        if config_path and not Path(texts_file).is_absolute() and not Path(texts_file).exists():
            texts_file = str(Path(config_path).parent / texts_file)
        data.update(_read_texts_file(texts_file))
    elif bundled:
        from aligntune.data import DEFAULT_SIZE, load_bundled_corpus

        corpus = load_bundled_corpus(int(size) if size is not None else DEFAULT_SIZE)
        data["training_texts"] = corpus.texts
        data["training_prompts"] = corpus.prompts
    if not data.get("base_model_name"):
        from aligntune.defaults import default_reward_base

        data["base_model_name"] = default_reward_base()
        click.echo(f"Base model: bundled all-MiniLM-L6-v2 ({data['base_model_name']})", err=True)
    missing = [name for name in ("training_texts", "reward_functions", "output_dir") if name not in data]
    if missing:
        raise ConfigurationError(
            f"Missing required field(s) {missing}: set them in the YAML config or with --functions, --output-dir "
            "and --texts FILE (or --bundled-corpus)"
        )
    return RewardModelTrainingConfig(**data)


@click.command("train-reward-model")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="YAML file with RewardModelTrainingConfig fields.")
@click.option("--base-model", "base_model_name", help="Hub name or local directory (default: the bundled MiniLM).")
@click.option("--functions", help="Reward functions, comma-separated, e.g. length,safety.")
@click.option("--weights", help="One weight per function, comma-separated.")
@click.option("--texts", "texts_file", type=click.Path(),
              help="JSONL/CSV/Parquet file or save_to_disk directory with text (and optional prompt, reference) columns.")
@click.option("--bundled-corpus", is_flag=True, default=None, help="Train on the corpus bundled with aligntune.")
@click.option("--corpus-size", type=click.IntRange(min=10), help="How many bundled-corpus texts (default 1200).")
@click.option("--output-dir", help="Where to write the model directory.")
@click.option("--num-epochs", type=float)
@click.option("--learning-rate", type=float)
@click.option("--batch-size", type=int)
@click.option("--gradient-accumulation-steps", type=int)
@click.option("--max-length", type=int)
@click.option("--pairs-per-text", type=int)
@click.option("--min-score-gap", type=float, help="Leave out pairs whose composite scores differ by less.")
@click.option("--checkpoint-dir", help="Keep TRL checkpoints here (every --save-steps steps) so a run can resume.")
@click.option("--save-steps", type=int, help="Checkpoint every N optimizer steps (default 100; needs --checkpoint-dir).")
@click.option("--resume", "resume_from_checkpoint", is_flag=True, default=None,
              help="Continue from the latest checkpoint in --checkpoint-dir.")
@click.option("--seed", type=int)
@click.option("--report-to", help="Tracking integration(s) for trl (default: none).")
@click.option("--overwrite", is_flag=True, default=None, help="Replace a non-empty output directory.")
def train_reward_model(config_path: str | None, functions: str | None, weights: str | None, texts_file: str | None,
                       bundled_corpus: bool | None, corpus_size: int | None, **options: Any) -> None:
    """Train a reward model from rule-based reward functions; print its fidelity and path.

    Fields come from --config (YAML), and the options override them. The YAML may
    give texts inline (training_texts), from a file (training_texts_file) or as
    bundled_corpus: true.
    """
    overrides = dict(options)
    overrides["reward_functions"] = _split(functions)
    if weights is not None:
        try:
            overrides["reward_weights"] = [float(w) for w in _split(weights) or []]
        except ValueError:
            raise ConfigurationError(f"--weights must be comma-separated numbers, got {weights!r}") from None
    overrides["training_texts_file"] = texts_file
    overrides["bundled_corpus"] = bundled_corpus
    overrides["bundled_corpus_size"] = corpus_size
    config = build_config(config_path, overrides)

    from aligntune.rewards.training import train_from_config

    result = train_from_config(config)
    fidelity = result.fidelity
    click.echo(f"Fidelity: {fidelity.summary()}")
    for name, comp in fidelity.components.items():
        model = "n/a" if comp.model_spearman is None else f"{comp.model_spearman:.3f}"
        ceiling = "n/a" if comp.composite_spearman is None else f"{comp.composite_spearman:.3f}"
        click.echo(f"  {name:<14} Spearman {model}  (composite itself: {ceiling})")
    click.echo(f"Reward model saved to: {result}")
