"""The end-to-end demo: rules -> reward model -> PPO on a tiny local policy (``python -m aligntune.demo``).

See :func:`aligntune.demo.run.run_demo`. torch loads when the demo runs, not on import.
"""

from aligntune.demo.run import run_demo

__all__ = ["run_demo"]
