"""``aligntune ppo --config FILE.yaml`` and ``aligntune rl --config FILE.yaml``: RL from a YAML
file of ``create_rl_trainer`` arguments.

``rl`` runs the algorithm the file names (``algorithm: ppo``, ``grpo`` or ``rloo``; it must
name one, in the file or with ``--set algorithm=...``); ``ppo`` is the same command with
the config's default algorithm, PPO.

The YAML file is one mapping whose keys are the keyword arguments of
:func:`aligntune.rl.factory.create_rl_trainer`. ``reward_training_texts`` may
be a list, or the path of a file :func:`aligntune.textio.read_text_file` reads (``.txt``,
JSONL, CSV, Parquet, a saved dataset); its ``prompt``/``reference`` columns become
``reward_training_prompts``/``reward_training_reference_texts`` unless the YAML sets them. ``--set key=value`` overrides a key (the value is read as YAML).
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import click

from aligntune._validation import show
from aligntune.cli.options import Once
from aligntune.errors import ConfigurationError, DataError
from aligntune.outputs import run_inputs
from aligntune.reward_model.config import FIELDS
from aligntune.rl.config import PPOTrainingConfig
from aligntune.rl.factory import (
    REWARD_TRAINING_ARGS,
    build_rl_config,
    create_rl_trainer,
    resolve_backend,
    valid_arguments,
    validate_rl_config,
)
from aligntune.rl.trl_args import parse_cli
from aligntune.textio import parse_yaml, read_text_file, read_yaml_file, refuse_link_loop


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


def yaml_keys() -> str:
    """The ``--help`` epilog: every key the YAML file may hold (the create_rl_trainer arguments)."""
    def default(name: str) -> str:
        field = attrs.fields_dict(PPOTrainingConfig).get(name) or FIELDS.get(REWARD_TRAINING_ARGS.get(name, ""))
        if field is None or field.default is attrs.NOTHING or isinstance(field.default, attrs.Factory):
            return name
        value = field.default
        return f"{name} ({'null' if value is None else str(value).lower() if isinstance(value, bool) else value})"

    return ("YAML keys of --config, the create_rl_trainer arguments (the default in parentheses; model_name is "
            "required, and exactly one reward source: see docs/ppo.md): " + ", ".join(map(default, valid_arguments()))
            + ".")


class _ConfigPath(click.Path):
    """An existing file; a loop of symbolic links is named as one (click would say it does not exist)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        refuse_link_loop(value, what="--config", error=ConfigurationError)
        return super().convert(value, param, ctx)


def _options(command: Any) -> Any:
    """The options ``ppo`` and ``rl`` share."""
    for option in reversed([
        click.option("--config", "config_path", cls=Once, required=True, type=_ConfigPath(exists=True),
                     help="YAML file of create_rl_trainer arguments (keys listed below)."),
        click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                     help="Override one argument, the value read as YAML (repeatable; default: none)."),
        click.option("--trl-arg", "trl_items", multiple=True, metavar="KEY=VALUE",
                     help="A field of the installed trl's config (max_steps=100, save_steps=50, use_vllm=true), "
                          "read as that field's type; added to the config's trl_args (repeatable; default: none)."),
        click.option("--dry-run", is_flag=True, help="Validate the configuration (nothing loads or trains) and exit."),
        click.option("--overwrite", is_flag=True, default=None,
                     help="Replace a previous run's outputs in output_dir (only a directory aligntune wrote)."),
    ]):
        command = option(command)
    return command


def run_config(config_path: str, overrides: tuple[str, ...], dry_run: bool, overwrite: bool | None, *,
               name_algorithm: bool = False, trl_items: tuple[str, ...] = ()) -> None:
    """Read, override, validate and (unless ``dry_run``) run one config; print the outputs as JSON.

    ``name_algorithm``: the config must name its algorithm, and the messages name it (``rl``).
    """
    data = _read_config(config_path)
    _apply_overrides(data, overrides)
    if trl_items:  # --trl-arg: checked against the installed trl's config when the config is built
        given = data.get("trl_args") or {}
        if not isinstance(given, dict):
            raise ConfigurationError(f"trl_args in {show(config_path)} must be a mapping, got {type(given).__name__}")
        data["trl_args"] = {**given, **parse_cli(trl_items)}
    if name_algorithm and data.get("algorithm") is None:
        raise ConfigurationError(
            f"Config file {show(config_path)} names no algorithm: aligntune rl runs the one it names, so add "
            f"'algorithm: ppo', 'algorithm: grpo' or 'algorithm: rloo' (or --set algorithm=...)"
        )
    if overwrite:
        data["overwrite"] = True
    read = [config_path]  # files read into memory here: inputs of the run, whatever its outputs
    if "reward_training_texts" in data:
        if isinstance(data["reward_training_texts"], str):
            read.append(data["reward_training_texts"])
        data["reward_training_texts"], prompts = read_texts(data["reward_training_texts"])
        if prompts is not None and "reward_training_prompts" not in data:
            data["reward_training_prompts"] = prompts  # the file's prompt column, as train-reward-model reads it
    with run_inputs(*read):
        _run(data, dry_run, name_algorithm)


def _run(data: dict[str, Any], dry_run: bool, name_algorithm: bool) -> None:
    """Validate, or build, train and save; print the outputs as JSON."""
    if dry_run:
        config = build_rl_config(**data)
        resolve_backend(config)
        validate_rl_config(config)
        algorithm = f"algorithm {config.algorithm!r}, " if name_algorithm else ""
        click.echo(f"Configuration is valid: {algorithm}backend {config.backend!r}, reward: {config.describe_reward()}")
        return
    trainer = create_rl_trainer(**data)
    result = trainer.train()
    path = trainer.save_model()
    summary = {"algorithm": trainer.config.algorithm} if name_algorithm else {}
    click.echo(json.dumps({
        **summary,
        "policy": path,
        # which step's policy was saved, and why (best held-out gold, ties to the later step, or the last)
        "kept_step": getattr(result, "kept_step", None),
        "kept": getattr(result, "kept", None),
        "reward_model": result.reward_model_path,
        "steps": result.steps,
        "reward_start": result.reward_start,
        "reward_end": result.reward_end,
        "metrics": result.metrics_path,
        "reward_curve": result.plot_path,
    }, indent=2))


@click.command("ppo", epilog=yaml_keys())
@_options
def ppo(config_path: str, overrides: tuple[str, ...], trl_items: tuple[str, ...], dry_run: bool,
        overwrite: bool | None) -> None:
    """Run PPO (training the reward model first when the config asks for it)."""
    run_config(config_path, overrides, dry_run, overwrite, trl_items=trl_items)


@click.command("rl", epilog=yaml_keys())
@_options
def rl(config_path: str, overrides: tuple[str, ...], trl_items: tuple[str, ...], dry_run: bool,
       overwrite: bool | None) -> None:
    """Run the config's RL algorithm: PPO, GRPO or RLOO (training the reward model first when asked)."""
    run_config(config_path, overrides, dry_run, overwrite, name_algorithm=True, trl_items=trl_items)
