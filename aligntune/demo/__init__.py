"""The end-to-end demo: rules -> reward model -> PPO on a tiny local policy (``python -m aligntune.demo``).

See :func:`aligntune.demo.run.run_demo`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["run_demo"]


def run_demo(output_dir: str = "./aligntune_demo", **kwargs: Any) -> Any:
    """Run the demo into ``output_dir`` (see :func:`aligntune.demo.run.run_demo`)."""
    from aligntune.demo.run import run_demo as _run

    return _run(output_dir, **kwargs)
