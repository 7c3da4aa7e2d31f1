"""Per-step metrics on disk: a JSON log, the reward curve and the RL report (PNGs), each written atomically."""

from __future__ import annotations

import json
import logging
import math
import statistics
from pathlib import Path
from typing import Any

from aligntune.plugin_api import atomic_file, run_id_of

logger = logging.getLogger(__name__)

METRICS_FILE = "metrics.json"
PLOT_FILE = "reward_curve.png"
REPORT_FILE = "rl_report.png"


def write_metrics(output_dir: str, summary: dict[str, Any], steps: list[dict[str, Any]],
                  *, evaluations: list[dict[str, Any]] | None = None) -> str:
    """Write ``{"run_id", "summary", "steps", "evaluations"}`` to ``output_dir/metrics.json`` (atomically).

    ``steps``: one record per step (proxy, gold, components, KL, length, truncation, samples);
    ``evaluations``: one row per held-out evaluation (keys prefixed ``eval/``).
    """
    path = Path(output_dir) / METRICS_FILE
    with atomic_file(path) as handle:  # the run id of the directory's marker: which run wrote these figures
        json.dump({"run_id": run_id_of(output_dir), "summary": summary, "steps": steps,
                   "evaluations": evaluations or []}, handle, indent=2, default=str)
    return str(path)


def _spread(steps: list[dict[str, Any]], key: str) -> float | None:
    """The standard deviation of one series over the training batches (1 when it does not vary);
    ``None`` when no step has it."""
    train = [float(s[key]) for s in steps if isinstance(s.get(key), (int, float)) and math.isfinite(s[key])]
    if not train:
        return None
    spread = statistics.pstdev(train) if len(train) > 1 else 0.0
    return spread if spread > 0 else 1.0


def _changes(values: list[Any], spread: float) -> list[float]:
    """Each value minus the series' first value, in units of ``spread``: every series starts at 0."""
    numbers = [float(v) if isinstance(v, (int, float)) else math.nan for v in values]
    start = next((v for v in numbers if math.isfinite(v)), math.nan)
    return [(v - start) / spread for v in numbers]


def _legend_below(ax: Any, handles: list[Any] | None = None, ncol: int = 2) -> int:
    """A legend under the panel, so that it never covers a line or a label; returns its number of rows."""
    handles = handles if handles is not None else ax.get_legend_handles_labels()[0]
    if not handles:
        return 0
    ax.legend(handles, [h.get_label() for h in handles], fontsize=7, ncol=ncol, loc="upper center",
              bbox_to_anchor=(0.5, -0.2), frameon=False)
    return math.ceil(len(handles) / ncol)


def _fit_margins(fig: Any, top_rows: int, bottom_rows: int) -> None:
    """Room for two rows of panels with legends of ``top_rows`` and ``bottom_rows`` rows under them,
    computed once in inches instead of by a layout engine (which draws the whole figure once more
    just to measure it: about a third of the report's cost)."""
    width, height = fig.get_size_inches()
    axis_below, legend_row, title = 0.62, 0.16, 0.45  # tick labels and x label; one legend row; a title
    bottom = axis_below + legend_row * bottom_rows + 0.1
    gap = axis_below + legend_row * top_rows + title
    fig.subplots_adjust(left=0.9 / width, right=1 - 0.9 / width, top=1 - 0.35 / height, bottom=bottom / height,
                        wspace=0.3, hspace=gap / ((height - bottom - 0.35 - gap) / 2))


def rl_report_figure(steps: list[dict[str, Any]], evaluations: list[dict[str, Any]], *, kl_key: str,
                     beta: float | None = None) -> Any:
    """The figure of ``rl_report.png`` (a matplotlib ``Figure``; needs matplotlib).

    Top left: proxy and gold per step on one axis, each series as its change since its first value in
    standard deviations of its own training-batch values (a reward model's scale is not the rules', so
    raw values on one axis, or on twin axes, would cross for no reason); thin for the training batches,
    with markers for the held-out evaluations. Top right: the same against the KL to the reference
    (``"no KL: beta=0"`` when the run had no KL term). Bottom: each gold component, and response
    length with the share of responses cut at the length limit.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(11, 8.5))
    axes = fig.subplots(2, 2)
    xs = [s["step"] for s in steps]
    ex = [e["step"] for e in evaluations]
    unit = "change since its first value\n(standard deviations over the training batches)"
    # (training key, held-out key, colour, held-out marker, name, training label); a series no step has is left out
    series = [(key, held, colour, marker, name, label, spread) for key, held, colour, marker, name, label in (
        ("reward_mean", "eval/proxy", "tab:blue", "o-", "proxy", "proxy (optimised), training batch"),
        ("gold", "eval/gold", "tab:orange", "s-", "gold", "gold (rules), training batch"),
    ) if (spread := _spread(steps, key)) is not None]

    ax = axes[0][0]
    for key, held, colour, marker, name, label, spread in series:
        ax.plot(xs, _changes([s.get(key) for s in steps], spread), color=colour, alpha=0.4, label=label)
        if any(held in e for e in evaluations):
            ax.plot(ex, _changes([e.get(held) for e in evaluations], spread), marker, color=colour,
                    label=f"{name}, held-out")
    ax.axhline(0.0, color="grey", linewidth=0.6)
    ax.set_xlabel("step"), ax.set_ylabel(unit, fontsize=8), ax.set_title("Proxy and gold")
    top_rows = _legend_below(ax)

    ax = axes[0][1]
    kl = [s.get(kl_key) for s in steps]
    ax.set_title("Reward against KL")
    if any(isinstance(k, (int, float)) for k in kl):
        for key, _, colour, _, name, _, spread in series:
            ax.plot(kl, _changes([s.get(key) for s in steps], spread), ".", color=colour, label=name)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.set_xlabel("KL to the reference"), ax.set_ylabel(unit, fontsize=8)
        top_rows = max(top_rows, _legend_below(ax))
    else:
        why = "no KL: beta=0" if beta == 0 else "no KL logged"
        ax.text(0.5, 0.5, why, ha="center", va="center", fontsize=12, transform=ax.transAxes)
        ax.set_xticks([]), ax.set_yticks([])

    ax = axes[1][0]
    for name in sorted({k for s in steps for k in s if k.startswith("gold/")}):
        ax.plot(xs, [s.get(name, math.nan) for s in steps], label=name[5:])
    ax.set_xlabel("step"), ax.set_ylabel("score"), ax.set_title("Gold components (training batch)")
    bottom_rows = _legend_below(ax, ncol=3)

    ax = axes[1][1]
    lines = ax.plot(xs, [s.get("length_mean", math.nan) for s in steps], color="tab:blue",
                    label="mean response length (tokens)")
    share = ax.twinx()
    lines += share.plot(xs, [s.get("hit_length_limit", math.nan) for s in steps], color="tab:red", alpha=0.6,
                        label="share at the length limit")
    share.set_ylim(-0.05, 1.05)
    ax.set_xlabel("step"), ax.set_ylabel("tokens"), share.set_ylabel("share at the length limit")
    ax.set_title("Response length")
    _fit_margins(fig, top_rows, max(bottom_rows, _legend_below(ax, lines)))
    return fig


def _write_png(figure_of: Any, path: Path, *, dpi: int) -> str | None:
    """Draw ``figure_of()`` (a matplotlib ``Figure``) to ``path`` as a PNG, atomically; ``None`` without matplotlib."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
    except ImportError:
        logger.warning("matplotlib is not installed, so %s is not drawn; pip install matplotlib", path.name)
        return None
    fig = figure_of()
    FigureCanvasAgg(fig)
    with atomic_file(path, mode="wb") as handle:
        fig.savefig(handle, format="png", dpi=dpi)
    return str(path)


def plot_rl_report(output_dir: str, steps: list[dict[str, Any]], evaluations: list[dict[str, Any]],
                   *, kl_key: str, beta: float | None = None) -> str | None:
    """Write :func:`rl_report_figure` to ``output_dir/rl_report.png`` (atomically); ``None`` without matplotlib."""
    return _write_png(lambda: rl_report_figure(steps, evaluations, kl_key=kl_key, beta=beta),
                      Path(output_dir) / REPORT_FILE, dpi=90)


def reward_curve_figure(steps: list[dict[str, Any]], *, title: str = "PPO reward", kl_key: str = "objective/kl",
                        step_label: str = "PPO step") -> Any:
    """The figure of ``reward_curve.png``: mean reward per step, its moving average, and the KL (the
    steps' ``kl_key``) when logged; ``step_label`` names the x axis."""
    from matplotlib.figure import Figure

    xs = [s["step"] for s in steps]
    ys = [s["reward_mean"] for s in steps]
    fig = Figure(figsize=(6, 3.5))
    fig.subplots_adjust(left=0.13, right=0.87, top=0.89, bottom=0.15)  # fixed: a layout engine would draw it twice
    ax = fig.subplots()
    lines = ax.plot(xs, ys, marker="o", markersize=3, alpha=0.5, label="mean reward")
    window = max(1, len(ys) // 8)
    if window > 1:
        smooth = [statistics.fmean(ys[max(0, i - window + 1) : i + 1]) for i in range(len(ys))]
        lines += ax.plot(xs, smooth, color="tab:blue", linewidth=2, label=f"mean reward ({window}-step average)")
    if any(kl_key in s for s in steps):
        ax2 = ax.twinx()
        lines += ax2.plot(xs, [s.get(kl_key, float("nan")) for s in steps], color="tab:orange", alpha=0.6,
                          label="KL to reference")
        ax2.set_ylabel("KL to reference")
    ax.legend(lines, [line.get_label() for line in lines], loc="best", fontsize=8)
    ax.set_xlabel(step_label)
    ax.set_ylabel("mean reward")
    ax.set_title(title)
    return fig


def plot_reward_curve(output_dir: str, steps: list[dict[str, Any]], *, title: str = "PPO reward",
                      kl_key: str = "objective/kl", step_label: str = "PPO step") -> str | None:
    """Plot :func:`reward_curve_figure` to ``output_dir/reward_curve.png``; ``None`` without matplotlib."""
    return _write_png(lambda: reward_curve_figure(steps, title=title, kl_key=kl_key, step_label=step_label),
                      Path(output_dir) / PLOT_FILE, dpi=100)
