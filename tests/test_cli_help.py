"""``aligntune --help`` and every subcommand's: each option says what it does and what it defaults
to, and the commands that read a YAML ``--config`` list the keys it may hold."""

from __future__ import annotations

import re

import attrs
import click
import pytest
from click.testing import CliRunner

from aligntune.cli import main


def _commands(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()):
    """(path, command, context) of every command under ``group``, the group itself first."""
    yield path, group, ctx
    for name, command in sorted(group.commands.items()):
        sub = click.Context(command, info_name=name, parent=ctx)
        if isinstance(command, click.Group):
            yield from _commands(command, sub, (*path, name))
        else:
            yield (*path, name), command, sub


def _options():
    root = click.Context(main, info_name="aligntune", **main.context_settings)
    for path, command, ctx in _commands(main, root):
        for param in command.get_params(ctx):
            if isinstance(param, click.Option):
                names, text = param.get_help_record(ctx)
                yield " ".join(("aligntune", *path)), names, param, text


OPTIONS = list(_options())


def test_the_walk_finds_every_command():
    commands = {command for command, _, _, _ in OPTIONS}
    assert commands >= {"aligntune", "aligntune plugins", "aligntune rewards list", "aligntune rewards score",
                        "aligntune train-reward-model", "aligntune ppo", "aligntune rl", "aligntune eval-reward-model"}


@pytest.mark.parametrize("command,names,param,text", OPTIONS, ids=[f"{c} {n}" for c, n, _, _ in OPTIONS])
def test_every_option_has_help_and_its_default(command, names, param, text):
    own = re.sub(r"\s*\[[^\]]*\]$", "", text).strip()  # the option's own words, without click's [default: ...]
    assert own, f"{command} {names} has no help text"
    if param.is_flag:
        return  # a flag is off unless given
    says = "default" in text.lower() or "required" in text
    assert param.required or says, f"{command} {names} does not say its default: {text!r}"


def test_train_reward_model_options_show_the_config_defaults():
    from aligntune.reward_model.config import FIELDS

    shown = {names.split()[0]: text for command, names, _, text in OPTIONS if command == "aligntune train-reward-model"}
    for field in FIELDS.values():
        flag = field.metadata.get("cli")
        if flag and field.default not in (None, False, attrs.NOTHING):
            assert f"[default: {field.default}]" in shown[flag], (flag, shown[flag])


def _help(*args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_train_reward_model_help_lists_every_yaml_key():
    from aligntune.cli.train_cmd import EXTRA_KEYS
    from aligntune.reward_model.config import FIELDS

    words = set(re.findall(r"[a-z_0-9]+", _help("train-reward-model")))
    missing = [key for key in (*FIELDS, *EXTRA_KEYS) if key not in words]
    assert not missing, f"YAML keys missing from --help: {missing}"
    assert "num_epochs (1)" in " ".join(_help("train-reward-model").split())  # with its default


@pytest.mark.parametrize("command", ["ppo", "rl"])
def test_rl_commands_help_lists_every_yaml_key(command):
    from aligntune.rl.factory import valid_arguments

    text = _help(command)
    words = set(re.findall(r"[a-z_0-9]+", text))
    missing = [key for key in valid_arguments() if key not in words]
    assert not missing, f"YAML keys missing from aligntune {command} --help: {missing}"
    assert "kl_coef (0.05)" in " ".join(text.split())
