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
REPORT_FILE = "rl_report.png"


def write_metrics(output_dir: str, summary: dict[str, Any], steps: list[dict[str, Any]],
                  *, evaluations: list[dict[str, Any]] | None = None) -> str:
    """Write ``{"summary", "steps", "evaluations"}`` to ``output_dir/metrics.json`` (atomically).

    ``steps``: one record per step (proxy, gold, components, KL, length, truncation, samples);
    ``evaluations``: one row per held-out evaluation (keys prefixed ``eval/``).
    """
    path = Path(output_dir) / METRICS_FILE
    with atomic_file(path) as handle:
        json.dump({"summary": summary, "steps": steps, "evaluations": evaluations or []}, handle, indent=2,
                  default=str)
    return str(path)


def plot_rl_report(output_dir: str, steps: list[dict[str, Any]], evaluations: list[dict[str, Any]],
                   *, kl_key: str) -> str | None:
    """``rl_report.png``: proxy and gold against step and against KL, the gold components, response length."""
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    xs = [s["step"] for s in steps]
    fig, axes = plt.subplots(2, 2, figsize=(11, 7))
    ax = axes[0][0]  # gold on the left axis, proxy on the right: a reward model's scale is not the rules'
    twin = ax.twinx()
    lines = twin.plot(xs, [s.get("reward_mean") for s in steps], color="tab:blue", alpha=0.4,
                      label="proxy (optimised), training batch")
    if any("gold" in s for s in steps):
        lines += ax.plot(xs, [s.get("gold", float("nan")) for s in steps], color="tab:orange", alpha=0.4,
                         label="gold (rules), training batch")
    if evaluations:
        ex = [e["step"] for e in evaluations]
        lines += twin.plot(ex, [e.get("eval/proxy") for e in evaluations], "o-", color="tab:blue",
                           label="proxy, held-out")
        if any("eval/gold" in e for e in evaluations):
            lines += ax.plot(ex, [e.get("eval/gold", float("nan")) for e in evaluations], "s-", color="tab:orange",
                             label="gold, held-out")
    ax.set_xlabel("step"), ax.set_ylabel("gold"), twin.set_ylabel("proxy"), ax.set_title("Proxy and gold")
    ax.legend(lines, [line.get_label() for line in lines], fontsize=7)
    ax = axes[0][1]
    kl = [s.get(kl_key) for s in steps]
    if any(k is not None for k in kl):
        twin = ax.twinx()
        lines = twin.plot(kl, [s.get("reward_mean") for s in steps], ".", color="tab:blue", label="proxy")
        if any("gold" in s for s in steps):
            lines += ax.plot(kl, [s.get("gold", float("nan")) for s in steps], ".", color="tab:orange", label="gold")
        twin.set_ylabel("proxy")
        ax.legend(lines, [line.get_label() for line in lines], fontsize=7)
    ax.set_xlabel("KL to the reference"), ax.set_ylabel("gold"), ax.set_title("Reward against KL")
    ax = axes[1][0]
    for name in sorted({k for s in steps for k in s if k.startswith("gold/")}):
        ax.plot(xs, [s.get(name, float("nan")) for s in steps], label=name[5:])
    ax.set_xlabel("step"), ax.set_ylabel("score"), ax.set_title("Gold components (training batch)")
    if ax.lines:
        ax.legend(fontsize=7)
    ax = axes[1][1]
    ax.plot(xs, [s.get("length_mean", float("nan")) for s in steps], label="mean response length (tokens)")
    ax2 = ax.twinx()
    ax2.plot(xs, [s.get("hit_length_limit", float("nan")) for s in steps], color="tab:red", alpha=0.6,
             label="share at the length limit")
    ax.set_xlabel("step"), ax.set_title("Response length")
    ax.legend(fontsize=7, loc="upper left"), ax2.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    path = Path(output_dir) / REPORT_FILE
    try:
        with atomic_file(path, mode="wb") as handle:
            fig.savefig(handle, format="png", dpi=90)
    finally:
        plt.close(fig)
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
