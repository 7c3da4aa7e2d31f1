"""``aligntune ppo --config FILE.yaml``: PPO from a YAML file of ``create_rl_trainer`` arguments.

The YAML file is one mapping whose keys are the keyword arguments of
:func:`aligntune.rl.factory.create_rl_trainer`. ``reward_training_texts`` may
be a list, or the path of a file :func:`aligntune.textio.read_text_file` reads (``.txt``,
JSONL, CSV, Parquet, a saved dataset); its ``prompt``/``reference`` columns become
``reward_training_prompts``/``reward_training_reference_texts`` unless the YAML sets them. ``--set key=value`` overrides a key (the value is read as YAML).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import yaml

from aligntune.errors import ConfigurationError
from aligntune.rl.factory import build_rl_config, create_rl_trainer, resolve_backend, validate_rl_config
from aligntune.textio import read_text_file


def _read_config(path: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigurationError(
            f"{path} must hold a mapping of create_rl_trainer arguments (model_name: ..., backend: trl, ...), "
            f"got {type(data).__name__}"
        )
    return data


def _apply_overrides(data: dict[str, Any], overrides: tuple[str, ...]) -> None:
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigurationError(f"--set expects KEY=VALUE, got {item!r}")
        data[key.strip()] = yaml.safe_load(raw)


def read_texts(value: Any) -> tuple[Any, list[str] | None]:
    """The texts as given, or the texts of a file (:func:`aligntune.textio.read_text_file`) with its prompts."""
    if not isinstance(value, str):
        return value, None
    read = read_text_file(value, field="reward_training_texts")
    return read.texts, read.prompts


@click.command("ppo")
@click.option("--config", "config_path", required=True, type=click.Path(exists=True, dir_okay=False),
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
