"""``aligntune serve-reward``: serve one reward over HTTP (see docs/reward-service.md).

The reward comes from the same arguments as ``aligntune rl``: a YAML file of
``create_rl_trainer`` arguments (``--config``; the policy's keys may stay in it and are
not used), with ``--set`` overrides, and/or the reward options below. The server options
are :class:`aligntune.serve.settings.ServeSettings`' fields, one option each.
"""

from __future__ import annotations

from typing import Any

import attrs
import click

from aligntune.cli.options import Once
from aligntune.cli.ppo_cmd import _apply_overrides, _read_config, read_texts
from aligntune.errors import ConfigurationError, show
from aligntune.serve.server import serve_reward as serve
from aligntune.serve.settings import ServeSettings

#: One line of help per ServeSettings field (the option is the field name with dashes).
SETTING_HELP: dict[str, str] = {
    "host": "Address to listen on: 127.0.0.1 (this machine only) or 0.0.0.0 (every interface; use a token).",
    "port": "Port to listen on (0: any free port; the URL is printed when ready).",
    "batching": "Merge concurrent requests into one call of the reward (--no-batching: one call per request).",
    "max_batch_size": "Most texts merged into one call of the reward.",
    "max_wait_ms": "Longest wait, after the first queued request, for more to merge with it.",
    "max_request_texts": "Most completions one request may hold (more: 413).",
    "max_request_bytes": "Largest request body in bytes (larger: 413).",
    "token_env": "NAME of an environment variable holding a bearer token every request but /health must carry "
                 "(default: none, no token).",
    "openrlhf_path": "Path answering OpenRLHF's request shape (--reward.remote_url http://HOST:PORT/get_reward).",
    "openrlhf_strip": "End marker removed from the end of each OpenRLHF response before scoring, e.g. '<|im_end|>' "
                      "(repeatable; default: none).",
    "access_log": "Log one line per request (never the token).",
    "device": "Where the reward model runs: cuda, cuda:1, cpu (default: the first GPU torch sees, else the CPU).",
}

#: Reward options: option name -> (create_rl_trainer keyword, click settings).
REWARD_OPTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "--reward-model-path": ("reward_model_path", {"help": "Directory of a reward model (pretrained_local; default: none)."}),
    "--reward-model-name": ("reward_model_name", {"help": "Hub name or directory (pretrained_hf; default: none)."}),
    "--reward-functions": ("reward_functions", {"multiple": True, "help": "Rule reward function (repeatable; default: none)."}),
    "--reward-function-weights": ("reward_function_weights", {
        "multiple": True, "type": float, "help": "One weight per --reward-functions, in order (repeatable; default: equal)."}),
    "--reward-model-weight": ("reward_model_weight", {
        "type": float, "help": "The model's weight when mixing it with --reward-functions (default: none, no mix)."}),
    "--gold-reward-functions": ("gold_reward_functions", {
        "multiple": True, "help": "Rules the reward stands for, reported as the gold (repeatable; default: the "
                                  "model's manifest, or the rules themselves)."}),
    "--reward-batch-size": ("reward_batch_size", {"type": int, "help": "Most texts per reward-model forward pass (default: 32, as for RL)."}),
}


def _setting_options(command: Any) -> Any:
    for f in reversed(attrs.fields(ServeSettings)):
        flag = "--" + f.name.replace("_", "-")
        help_text = SETTING_HELP[f.name]
        if f.type in ("bool", bool):
            option = click.option(f"{flag}/--no-{flag[2:]}", f.name, default=f.default, help=help_text)
        elif f.name == "openrlhf_strip":
            option = click.option(flag, f.name, multiple=True, help=help_text)
        else:
            kind = {"int": int, "float": float}.get(str(f.type), str)
            shown = f.default if f.default is not None else None
            option = click.option(flag, f.name, cls=Once, type=kind, default=shown, show_default=shown is not None,
                                  help=help_text)
        command = option(command)
    return command


def _reward_options(command: Any) -> Any:
    for flag, (_, settings) in reversed(list(REWARD_OPTIONS.items())):
        command = click.option(flag, **({} if settings.get("multiple") else {"cls": Once}), **settings)(command)
    command = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                           help="Override one create_rl_trainer argument, read as YAML (repeatable; default: none).")(command)
    return click.option("--config", "config_path", cls=Once, type=click.Path(exists=True, dir_okay=False),
                        help="YAML file of create_rl_trainer arguments (as for aligntune rl); its reward keys "
                             "are served (default: none; the reward options below).")(command)


def reward_arguments(config_path: str | None, overrides: tuple[str, ...], given: dict[str, Any]) -> dict[str, Any]:
    """The create_rl_trainer reward keywords from ``--config``, ``--set`` and the reward options."""
    data: dict[str, Any] = _read_config(config_path) if config_path else {}
    _apply_overrides(data, overrides)
    for flag, (key, settings) in REWARD_OPTIONS.items():
        value = given.get(key)
        if value is None or (settings.get("multiple") and not value):
            continue
        if key in data:
            raise ConfigurationError(f"{flag} and the config's {key!r} both give {key}; give it once")
        data[key] = list(value) if settings.get("multiple") else value
    if isinstance(data.get("reward_training_texts"), str):  # a file of texts, read as aligntune rl reads it
        data["reward_training_texts"], prompts = read_texts(data["reward_training_texts"])
        if prompts is not None and "reward_training_prompts" not in data:
            data["reward_training_prompts"] = prompts
    if not data:
        raise ConfigurationError("serve-reward needs a reward: --config FILE.yaml, --reward-model-path DIR, "
                                 "--reward-functions NAME, ...")
    return data


@click.command("serve-reward")
@_reward_options
@_setting_options
def serve_reward(config_path: str | None, overrides: tuple[str, ...], **options: Any) -> None:
    """Serve one reward over HTTP: POST /score, GET /health, GET /info, and OpenRLHF's request shape.

    The reward is built as create_rl_trainer builds it: a reward model (trained, hub or
    local), rule functions, or a weighted mix, with its gold. Runs until Ctrl-C or SIGTERM.
    """
    names = {f.name for f in attrs.fields(ServeSettings)}
    settings = ServeSettings(**{k: v for k, v in options.items() if k in names and v is not None})
    given = {k: v for k, v in options.items() if k not in names}
    data = reward_arguments(config_path, overrides, given)
    if "reward_source" in data:
        raise ConfigurationError(f"serve-reward takes the reward model as reward_model_path or reward_model_name; "
                                 f"got reward_source {show(data['reward_source'], 80)}")
    serve(settings=settings, **data)
