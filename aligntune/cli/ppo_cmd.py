"""``aligntune ppo --config FILE.yaml``: PPO from a YAML file of ``create_rl_trainer`` arguments.

The YAML file is one mapping whose keys are the keyword arguments of
:func:`aligntune.rl.factory.create_rl_trainer`. ``reward_training_texts`` may
be a list, or the path of a file :func:`aligntune.textio.read_text_file` reads (``.txt``,
JSONL, CSV, Parquet, a saved dataset); its ``prompt``/``reference`` columns become
``reward_training_prompts``/``reward_training_reference_texts`` unless the YAML sets them. ``--set key=value`` overrides a key (the value is read as YAML).
"""

from __future__ import annotations

import json
from typing import Any

import click

from aligntune._validation import show
from aligntune.errors import ConfigurationError, DataError
from aligntune.rl.factory import (
    build_rl_config,
    create_rl_trainer,
    resolve_backend,
    validate_rl_config,
)
from aligntune.textio import parse_yaml, read_text_file, read_yaml_file


def _read_config(path: str) -> dict[str, Any]:
    data = read_yaml_file(path)
    expected = "a mapping of create_rl_trainer arguments (model_name: ..., backend: trl, ...)"
    if data is None:
        raise ConfigurationError(f"Config file {show(path)} is empty; it must hold {expected}")
    if not isinstance(data, dict):
        raise ConfigurationError(f"{show(path)} must hold {expected}, got {type(data).__name__}: {show(data, 80)}")
    _check_keys(data, f"Config file {show(path)}")
    return data


def _check_keys(data: dict[Any, Any], origin: str) -> None:
    odd = [key for key in data if not isinstance(key, str)]
    if odd:
        raise ConfigurationError(
            f"{origin}: every key must be a create_rl_trainer argument name, got {type(odd[0]).__name__} key "
            f"{show(odd[0], 80)}"
        )


def _apply_overrides(data: dict[str, Any], overrides: tuple[str, ...]) -> None:
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigurationError(f"--set expects KEY=VALUE, got {show(item)}")
        data[key.strip()] = parse_yaml(raw, origin=f"--set {show(key.strip(), 80)}")


def read_texts(value: Any) -> tuple[Any, list[str] | None]:
    """The texts as given, or the texts of a file (:func:`aligntune.textio.read_text_file`) with its prompts."""
    if not isinstance(value, str):
        return value, None
    read = read_text_file(value, field="reward_training_texts")
    if not read.texts:
        raise DataError(
            f"reward_training_texts: {show(value)} holds no texts (it is empty, or every line is blank); "
            "a reward model needs at least 10 training texts"
        )
    return read.texts, read.prompts


@click.command("ppo")
@click.option("--config", "config_path", required=True, type=click.Path(exists=True),
              help="YAML file of create_rl_trainer arguments.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override one argument (repeatable).")
@click.option("--dry-run", is_flag=True, help="Validate the configuration (nothing loads or trains) and exit.")
@click.option("--overwrite", is_flag=True, default=None,
              help="Replace a previous run's outputs in output_dir (only a directory aligntune wrote).")
def ppo(config_path: str, overrides: tuple[str, ...], dry_run: bool, overwrite: bool | None) -> None:
    """Run PPO (training the reward model first when the config asks for it)."""
    data = _read_config(config_path)
    _apply_overrides(data, overrides)
    if overwrite:
        data["overwrite"] = True
    if "reward_training_texts" in data:
        data["reward_training_texts"], prompts = read_texts(data["reward_training_texts"])
        if prompts is not None and "reward_training_prompts" not in data:
            data["reward_training_prompts"] = prompts  # the file's prompt column, as train-reward-model reads it
    if dry_run:
        config = build_rl_config(**data)
        resolve_backend(config)
        validate_rl_config(config)
        click.echo(f"Configuration is valid: backend {config.backend!r}, reward: {config.describe_reward()}")
        return
    trainer = create_rl_trainer(**data)
    result = trainer.train()
    path = trainer.save_model()
    click.echo(json.dumps({
        "policy": path,
        "reward_model": result.reward_model_path,
        "steps": result.steps,
        "reward_start": result.reward_start,
        "reward_end": result.reward_end,
        "metrics": result.metrics_path,
        "reward_curve": result.plot_path,
    }, indent=2))
