"""``aligntune train-reward-model``: train a reward model from a YAML config and/or options."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import attrs
import click

from aligntune._validation import show
from aligntune.cli.options import Once
from aligntune.data import DEFAULT_SIZE, load_bundled_corpus
from aligntune.defaults import default_reward_base
from aligntune.errors import ConfigurationError, DataError
from aligntune.outputs import run_inputs
from aligntune.reward_model.config import FIELDS, RewardModelTrainingConfig, cli_options_given, spelled_as
from aligntune.reward_model.api import train_from_config
from aligntune.textio import read_text_file, read_yaml_file

#: YAML keys besides the RewardModelTrainingConfig fields.
EXTRA_KEYS = ("training_texts_file", "bundled_corpus", "bundled_corpus_size")


def _read_yaml(path: str) -> dict[str, Any]:
    data = read_yaml_file(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigurationError(
            f"Config file {show(path)} must hold a mapping of fields, got {type(data).__name__}: {show(data, 80)}"
        )
    odd = [key for key in data if not isinstance(key, str)]
    if odd:
        raise ConfigurationError(
            f"Config file {show(path)}: every key must be a field name, got {type(odd[0]).__name__} key {show(odd[0], 80)}"
        )
    return data


def _read_texts_file(path: str) -> dict[str, list[Any]]:
    read = read_text_file(path, field="--texts")
    if not read.texts:
        raise DataError(
            f"--texts: {show(path)} holds no texts (it is empty, or every line is blank); "
            "a reward model needs at least 10 training texts"
        )
    out: dict[str, list[Any]] = {"training_texts": read.texts}
    if read.prompts is not None:
        out["training_prompts"] = read.prompts
    if read.references is not None:
        out["reference_texts"] = read.references
    return out


def _split(value: str | None) -> list[str] | None:
    return None if value is None else [part.strip() for part in value.split(",") if part.strip()]


def build_config(config_path: str | None, overrides: dict[str, Any], *, read: list[str] | None = None) -> Any:
    """Merge the YAML file and command-line overrides into a RewardModelTrainingConfig.

    ``read`` (when given) gets the path of every file read into memory here (the YAML file
    and the texts file), so the caller can protect them as inputs of the run.
    """
    read = [] if read is None else read
    if config_path:
        read.append(config_path)
    fields = {f.name for f in attrs.fields(RewardModelTrainingConfig)}
    data = _read_yaml(config_path) if config_path else {}
    empty = bool(config_path) and not data
    unknown = sorted(set(data) - fields - set(EXTRA_KEYS))
    if unknown:
        raise ConfigurationError(
            f"Unknown field(s) {show(unknown)} in {show(config_path)}; "
            f"valid fields: {', '.join(sorted(fields | set(EXTRA_KEYS)))}"
        )
    data.update({k: val for k, val in overrides.items() if val is not None})
    texts_file = data.pop("training_texts_file", None)
    bundled = data.pop("bundled_corpus", False)
    size = data.pop("bundled_corpus_size", None)
    _check_extra_keys(texts_file, bundled, size)
    sources = [name for name, on in (("training_texts", "training_texts" in data), ("training_texts_file", texts_file),
                                      ("bundled_corpus", bundled)) if on]
    if len(sources) > 1:
        raise ConfigurationError(f"Give the training texts one way only, got {' and '.join(sources)}")
    if texts_file:
        if config_path and not Path(texts_file).is_absolute() and not Path(texts_file).exists():
            texts_file = str(Path(config_path).parent / texts_file)
        read.append(texts_file)
        data.update(_read_texts_file(texts_file))
    elif bundled:
        corpus = load_bundled_corpus(int(size) if size is not None else DEFAULT_SIZE)
        data["training_texts"] = corpus.texts
        data["training_prompts"] = corpus.prompts
    if not data.get("base_model_name"):
        data["base_model_name"] = default_reward_base()
        click.echo(f"Base model: bundled all-MiniLM-L6-v2 ({data['base_model_name']})", err=True)
    missing = [name for name in ("training_texts", "reward_functions", "output_dir") if name not in data]
    if missing:
        raise ConfigurationError(
            f"Missing required field(s) {missing}: set them in the YAML config or with --functions, --output-dir "
            "and --texts FILE (or --bundled-corpus)" + (f" (the config file {show(config_path)} is empty)" if empty else "")
        )
    return RewardModelTrainingConfig(**data)


def _check_extra_keys(texts_file: Any, bundled: Any, size: Any) -> None:
    if texts_file is not None and (not isinstance(texts_file, str) or not texts_file.strip()):
        raise ConfigurationError(f"training_texts_file must be the path of a file, got {show(texts_file)}")
    if not isinstance(bundled, bool) and bundled is not None:
        raise ConfigurationError(f"bundled_corpus must be true or false, got {type(bundled).__name__}: {show(bundled)}")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 10):
        raise ConfigurationError(f"bundled_corpus_size must be an integer >= 10, got {show(size)}")


#: Fields whose option reads a list or a file rather than one value (handled by hand below).
_LIST_OPTIONS = ("reward_functions", "reward_weights")
_TYPES: dict[Any, Any] = {int: int, float: float, "int": int, "float": float}


def _help(f: Any) -> str:
    """The option's help: the field's, with its default (the config's) unless the text gives it."""
    text = f.metadata.get("help") or ""
    if "default" in text or "required" in text or f.default is False:
        return text
    return f"{text}  [default: {f.default}]"


def config_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add one option per RewardModelTrainingConfig field that has a ``cli`` spelling.

    Types, names and help come from the field (its annotation, metadata and default),
    so the options cannot drift from the config.
    """
    for f in reversed(list(FIELDS.values())):
        flag = f.metadata.get("cli")
        if not flag:
            continue
        if f.name in _LIST_OPTIONS:
            dest = "functions" if f.name == "reward_functions" else "weights"
            command = click.option(flag, dest, cls=Once, help=_help(f))(command)
            continue
        kind = str(f.type).split("|")[0].strip()
        help_text = _help(f)
        if kind == "bool":
            command = click.option(flag, f.name, is_flag=True, default=None, help=help_text)(command)
        else:
            command = click.option(flag, f.name, cls=Once, type=_TYPES.get(kind), help=help_text)(command)
    return command


def yaml_value(value: Any) -> str:
    """A default as YAML spells it (``null``, ``false``)."""
    return "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def yaml_keys() -> str:
    """The ``--help`` epilog: every key the YAML config may hold, with its default."""
    keys = [name if f.default is attrs.NOTHING else f"{name} ({yaml_value(f.default)})" for name, f in FIELDS.items()]
    return ("YAML keys of --config (the default in parentheses; options override them): " + ", ".join(keys)
            + "; and, for the texts, training_texts_file (a file, as --texts), bundled_corpus (false) and "
              f"bundled_corpus_size ({DEFAULT_SIZE}).")


@click.command("train-reward-model", epilog=yaml_keys())
@click.option("--config", "config_path", cls=Once, type=click.Path(),
              help="YAML file with RewardModelTrainingConfig fields (keys listed below; default: none).")
@click.option("--texts", "texts_file", cls=Once, type=click.Path(),
              help="JSONL/CSV/Parquet/.txt file or save_to_disk directory with text (and optional prompt, reference) "
                   "columns (default: none; give this, --bundled-corpus or texts in --config).")
@click.option("--bundled-corpus", is_flag=True, default=None, help="Train on the corpus bundled with aligntune.")
@click.option("--corpus-size", cls=Once, type=click.IntRange(min=10), help="How many bundled-corpus texts (default 5000).")
@config_options
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
            raise ConfigurationError(f"--weights must be comma-separated numbers, got {show(weights)}") from None
    overrides["training_texts_file"] = texts_file
    overrides["bundled_corpus"] = bundled_corpus
    overrides["bundled_corpus_size"] = corpus_size
    read: list[str] = []
    given = {**cli_options_given(overrides), **({"training_texts": "--texts"} if texts_file else {})}
    with spelled_as("cli", given):  # errors name --learning-rate, --overwrite (or the YAML key), not config fields
        config = build_config(config_path, overrides, read=read)
        with run_inputs(*read):  # the texts and the YAML are read into memory: inputs all the same
            result = train_from_config(config)
    fidelity = result.fidelity
    click.echo(f"Fidelity: {fidelity.summary()}")
    for name, comp in fidelity.components.items():
        model = "n/a" if comp.model_spearman is None else f"{comp.model_spearman:.3f}"
        ceiling = "n/a" if comp.composite_spearman is None else f"{comp.composite_spearman:.3f}"
        click.echo(f"  {name:<14} Spearman {model}  (composite itself: {ceiling})")
    click.echo(f"Reward model saved to: {result}")
