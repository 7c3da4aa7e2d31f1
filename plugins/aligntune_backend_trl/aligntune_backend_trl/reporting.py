"""Per-step metrics on disk: a JSON log and a reward-curve PNG (both written atomically)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from aligntune.atomic import atomic_file

logger = logging.getLogger(__name__)

METRICS_FILE = "metrics.json"
PLOT_FILE = "reward_curve.png"


def write_metrics(output_dir: str, summary: dict[str, Any], steps: list[dict[str, Any]]) -> str:
    """Write ``{"summary": ..., "steps": [...]}`` to ``output_dir/metrics.json`` (atomically)."""
    path = Path(output_dir) / METRICS_FILE
    with atomic_file(path) as handle:
        json.dump({"summary": summary, "steps": steps}, handle, indent=2, default=str)
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
    lines = ax.plot(xs, ys, marker="o", markersize=3, alpha=0.5, label="mean reward")
    window = max(1, len(ys) // 8)
    if window > 1:
        smooth = [sum(ys[max(0, i - window + 1) : i + 1]) / len(ys[max(0, i - window + 1) : i + 1]) for i in range(len(ys))]
        lines += ax.plot(xs, smooth, color="tab:blue", linewidth=2, label=f"mean reward ({window}-step average)")
    if any("objective/kl" in s for s in steps):
        ax2 = ax.twinx()
        lines += ax2.plot(xs, [s.get("objective/kl", float("nan")) for s in steps], color="tab:orange", alpha=0.6,
                          label="KL to reference")
        ax2.set_ylabel("KL to reference")
    ax.legend(lines, [line.get_label() for line in lines], loc="best", fontsize=8)
    ax.set_xlabel("PPO step")
    ax.set_ylabel("mean reward")
    ax.set_title(title)
    fig.tight_layout()

    try:
        with atomic_file(path, mode="wb") as handle:
            fig.savefig(handle, format="png", dpi=100)
    finally:
        plt.close(fig)
    return str(path)
