"""``python -m aligntune.cli``: the same as the ``aligntune`` command."""

from aligntune.cli import run

run()
