"""The ``aligntune`` command line. Commands are thin: they parse, call the library,
and print. Expected errors are printed as one line, with exit status 1.

The command modules import only aligntune's light modules (no torch, no transformers).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from aligntune.cli import plugins_cmd, ppo_cmd, rewards_cmd, train_cmd
from aligntune.errors import AlignTuneError


class _Group(click.Group):
    """A group that turns :class:`AlignTuneError` into a one-line message."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AlignTuneError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=_Group)
@click.version_option(package_name="aligntune")
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
def main(verbose: int) -> None:
    """aligntune: rule-based rewards -> reward models -> PPO."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


main.add_command(plugins_cmd.plugins)
main.add_command(rewards_cmd.rewards)
main.add_command(train_cmd.train_reward_model)
main.add_command(ppo_cmd.ppo)
