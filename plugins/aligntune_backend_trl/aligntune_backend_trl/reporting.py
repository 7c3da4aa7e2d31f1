"""Per-step metrics on disk: a JSON log and a reward-curve PNG (both written atomically)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

METRICS_FILE = "ppo_metrics.json"
PLOT_FILE = "reward_curve.png"


def _atomic_write(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_metrics(output_dir: str, summary: dict[str, Any], steps: list[dict[str, Any]]) -> str:
    """Write ``{"summary": ..., "steps": [...]}`` to ``output_dir/ppo_metrics.json``."""
    path = Path(output_dir) / METRICS_FILE

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump({"summary": summary, "steps": steps}, handle, indent=2, default=str)

    _atomic_write(path, write)
    return str(path)


def plot_reward_curve(output_dir: str, steps: list[dict[str, Any]], *, title: str = "PPO reward") -> str | None:
    """Plot mean reward per step to ``output_dir/reward_curve.png``; ``None`` without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:
        logger.warning("matplotlib is not installed, so no reward curve is drawn; pip install matplotlib")
        return None
    xs = [s["step"] for s in steps]
    ys = [s["reward_mean"] for s in steps]
    path = Path(output_dir) / PLOT_FILE
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(xs, ys, marker="o", markersize=3, label="mean reward")
    if any("objective/kl" in s for s in steps):
        ax2 = ax.twinx()
        ax2.plot(xs, [s.get("objective/kl", float("nan")) for s in steps], color="tab:orange", alpha=0.6, label="KL")
        ax2.set_ylabel("KL to reference")
    ax.set_xlabel("PPO step")
    ax.set_ylabel("mean reward")
    ax.set_title(title)
    fig.tight_layout()

    def write(tmp: str) -> None:
        fig.savefig(tmp, format="png", dpi=100)

    try:
        _atomic_write(path, write)
    finally:
        plt.close(fig)
    return str(path)
