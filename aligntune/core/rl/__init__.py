"""Guide import path ``aligntune.core.rl.config`` (see :mod:`aligntune.core`)."""
