"""Command-line options that never drop what the user typed.

click keeps only the last value of an option given twice (``--model a --model b``
scores with ``b`` and says nothing). :class:`Once` refuses the repeat instead, naming
both values; options whose repeats have an obvious meaning (a list of names, a list of
texts) are declared ``multiple=True`` and accumulate.

>>> import click
>>> @click.command()
... @click.option("--model", cls=Once)
... def cmd(model): ...
>>> cmd.main(["--model", "a", "--model", "b"], standalone_mode=False)
Traceback (most recent call last):
...
click.exceptions.BadParameter: given 2 times ('a', 'b'); give it once
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click
from click.core import ParameterSource


class Once(click.Option):
    """An option that may be given at most once: a second value is a usage error, not a silent override."""

    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        if self.multiple or self.count or self.is_flag:
            super().add_to_parser(parser, ctx)
            return
        # Collect every occurrence, so that consume_value sees a repeat.
        parser.add_option(obj=self, opts=self.opts, dest=self.name, action="append", nargs=self.nargs)

    def consume_value(self, ctx: click.Context, opts: Mapping[str, Any]) -> tuple[Any, ParameterSource]:
        value, source = super().consume_value(ctx, opts)
        if source == ParameterSource.COMMANDLINE and isinstance(value, list):
            if len(value) > 1:
                shown = ", ".join(repr(v) for v in value)
                raise click.BadParameter(f"given {len(value)} times ({shown}); give it once", ctx=ctx, param=self)
            value = value[0]
        return value, source
