"""The ``aligntune`` command line. Commands are thin: they parse, call the library,
and print. Expected errors are printed as one line, with exit status 1.

Ctrl-C (SIGINT) and SIGTERM both stop a command the same way: the work in progress is
unwound, so staging directories and temporary files are removed and every output keeps
its previous contents, and the command prints one line. After SIGTERM it exits with 143.
After Ctrl-C the process ends by SIGINT, as the Unix convention asks of a program that
stops on Ctrl-C (a shell reports 130, and a calling shell loop stops too; a Python parent
sees returncode -2). Python ends a process that way whenever a KeyboardInterrupt once
passed through certain interpreter paths (a Cython module's import is one), even when the
interrupt was caught later, so a plain ``exit(130)`` would be one or the other by chance.

The command modules import only aligntune's light modules (no torch, no transformers).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from typing import Any

import click

from aligntune.cli import eval_cmd, plugins_cmd, ppo_cmd, rewards_cmd, serve_cmd, train_cmd
from aligntune.errors import AlignTuneError


_interrupted = False  # set when a command stopped on Ctrl-C; read by :func:`run`
#: The stop signal the running command received ("SIGINT" or "SIGTERM"), or ``None``. A signal can land
#: inside third-party code that turns it into its own error (an extension module interrupted while it
#: initialises raises ``ImportError``, which a reward function then reports as its failure): the command
#: still stops as that signal asks, not with the error it became.
_signal_seen: str | None = None


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that cleanup runs as it does for Ctrl-C."""


def _terminate(signum: int, frame: Any) -> None:
    global _signal_seen
    _signal_seen = "SIGTERM"
    raise Terminated()


def _interrupt(signum: int, frame: Any) -> None:
    global _signal_seen
    _signal_seen = "SIGINT"
    raise KeyboardInterrupt()


class _Group(click.Group):
    """A group that turns :class:`AlignTuneError` into a one-line message, and stops cleanly on a signal."""

    def invoke(self, ctx: click.Context) -> Any:
        main_thread = threading.current_thread() is threading.main_thread()  # signals go to the main thread only
        previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
        previous_int = signal.signal(signal.SIGINT, _interrupt) if main_thread else None
        try:
            return super().invoke(ctx)
        except AlignTuneError as exc:
            if _signal_seen is None:
                click.echo(f"Error: {exc}", err=True)
                ctx.exit(1)
            stopped_by = _signal_seen  # the signal surfaced as this error: stop as the signal asks
        except KeyboardInterrupt:
            stopped_by = "SIGINT"
        except Terminated:
            stopped_by = "SIGTERM"
        finally:
            if main_thread:
                signal.signal(signal.SIGTERM, previous)
                signal.signal(signal.SIGINT, previous_int)
        if stopped_by == "SIGINT":
            global _interrupted
            _interrupted = True
            click.echo("Interrupted (SIGINT): stopped; outputs keep their previous contents", err=True)
            ctx.exit(130)
        click.echo("Terminated (SIGTERM): stopped; outputs keep their previous contents", err=True)
        ctx.exit(143)


@click.group(cls=_Group, context_settings={"show_default": True})
@click.version_option(package_name="aligntune")
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
def main(verbose: int) -> None:
    """aligntune: rule-based rewards -> reward models -> PPO, GRPO or RLOO."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


main.add_command(plugins_cmd.plugins)
main.add_command(rewards_cmd.rewards)
main.add_command(train_cmd.train_reward_model)
main.add_command(ppo_cmd.ppo)
main.add_command(ppo_cmd.rl)
main.add_command(eval_cmd.eval_reward_model)
main.add_command(serve_cmd.serve_reward)


def _quiet_on_interrupt(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
    if not issubclass(exc_type, KeyboardInterrupt):  # the stop was already reported in one line
        sys.__excepthook__(exc_type, exc, tb)


def run() -> None:
    """The ``aligntune`` console command: :data:`main`, ending by SIGINT after a clean stop on Ctrl-C.

    Re-raising the interrupt at the top lets the interpreter finish normally (atexit
    handlers, thread joins, flushed streams) and then end the process by SIGINT.
    """
    try:
        main()
    except SystemExit:
        if not _interrupted:
            raise
        sys.excepthook = _quiet_on_interrupt
        raise KeyboardInterrupt from None
