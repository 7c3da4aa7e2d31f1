"""Fidelity: how well a trained reward model reproduces the rule-based composite.

Measured on texts held out from training:

* ``spearman``: rank correlation between model scores and composite scores;
* ``pairwise_accuracy``: over every pair of held-out texts whose composite scores
  differ by at least ``min_score_gap``, the share the model orders the same way
  (a tie in model scores counts as wrong);
* per component, the Spearman correlation of the model with that reward function,
  beside the composite's own correlation with it. The composite itself is the
  ceiling for the first figure: a model that matched the composite exactly would
  show the same per-component numbers.

Spearman and pairwise accuracy come with a bootstrap 95% interval (held-out texts
resampled with replacement, :data:`BOOTSTRAP_SAMPLES` times, seeded; see :mod:`aligntune.stats`).

Figures that should not be trusted are said, never left for the reader to spot: fewer than
:data:`MIN_TRUSTED_HELD_OUT` held-out texts, a figure below :data:`MIN_TRUSTED_FIGURE`, an
interval wider than :data:`MAX_TRUSTED_INTERVAL`, or a rule whose correlation with the model is
more than :data:`MAX_TRUSTED_RULE_GAP` from the composite's own (:meth:`FidelityReport.concerns`). Training
logs them as a warning (which the CLI and the demo print, before RL starts), and writes them
into the model card and the manifest.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aligntune.stats import bootstrap_interval

logger = logging.getLogger(__name__)

#: Fewest held-out texts (or pairs) whose fidelity figures are trusted without a warning.
MIN_TRUSTED_HELD_OUT = 50
#: Lowest Spearman or pairwise accuracy trusted without a warning.
MIN_TRUSTED_FIGURE = 0.8
#: Widest bootstrap interval trusted without a warning.
MAX_TRUSTED_INTERVAL = 0.2
#: Largest gap between the composite's and the model's correlation with one rule trusted without a warning.
MAX_TRUSTED_RULE_GAP = 0.1


@dataclass(frozen=True)
class ComponentFidelity:
    """Spearman of the model (and of the composite) with one reward function."""

    model_spearman: float | None
    composite_spearman: float | None


@dataclass(frozen=True)
class FidelityReport:
    """Fidelity on the held-out texts (see the module docstring)."""

    spearman: float | None
    pairwise_accuracy: float | None
    n_texts: int
    n_pairs: int
    components: dict[str, ComponentFidelity] = field(default_factory=dict)
    #: Bootstrap 95% intervals ``[low, high]`` (``None`` when too few texts).
    spearman_interval: list[float] | None = None
    pairwise_interval: list[float] | None = None
    #: What was held out: ``"texts"`` (rule-scored texts) or ``"pairs"`` (preference pairs).
    unit: str = "texts"

    def as_dict(self) -> dict[str, Any]:
        """The figures, and the :meth:`concerns` under ``"warnings"`` (the manifest's ``fidelity``)."""
        return {**asdict(self), "warnings": self.concerns()}

    def concerns(self) -> list[str]:
        """Why these figures should not be trusted, one sentence each (empty when they can be).

        Too few held-out texts (pairs), a figure below 0.8 or not measurable, an interval wider than 0.2,
        a rule the model follows more than 0.1 less (or more) closely than the composite does.
        """
        held_out = self.n_pairs if self.unit == "pairs" else self.n_texts
        out = []
        if held_out < MIN_TRUSTED_HELD_OUT:
            out.append(f"only {held_out} held-out {self.unit} (fewer than {MIN_TRUSTED_HELD_OUT}), too few to "
                       "measure fidelity; train on more texts (a few hundred or more) or raise eval_fraction")
        figures = [("pairwise accuracy", self.pairwise_accuracy, self.pairwise_interval)]
        if self.unit == "texts":
            figures.insert(0, ("Spearman", self.spearman, self.spearman_interval))
        for label, value, interval in figures:
            if value is None:
                out.append(f"{label} could not be measured (n/a)")
            elif value < MIN_TRUSTED_FIGURE:
                out.append(f"{label} {value:.3f} is below {MIN_TRUSTED_FIGURE}")
            if interval is not None and interval[1] - interval[0] > MAX_TRUSTED_INTERVAL:
                out.append(f"the {label} interval [{interval[0]:.3f}, {interval[1]:.3f}] is wider than "
                           f"{MAX_TRUSTED_INTERVAL}")
        for name, c in self.components.items():
            if c.model_spearman is None or c.composite_spearman is None:
                continue
            gap = abs(c.composite_spearman - c.model_spearman)
            if gap > MAX_TRUSTED_RULE_GAP:
                out.append(f"rule {name!r} is followed at Spearman {c.model_spearman:.3f} against the composite's "
                           f"{c.composite_spearman:.3f} (gap {gap:.3f} > {MAX_TRUSTED_RULE_GAP}); add texts of your "
                           f"own kind on which {name!r} scores both high and low")
        return out

    def warning(self) -> str | None:
        """One line for the log, the CLI and the model card, or ``None`` when nothing is of concern."""
        concerns = self.concerns()
        if not concerns:
            return None
        return (f"Low or uncertain reward-model fidelity: {'; '.join(concerns)}. The reward model may not "
                "reproduce the rules, and RL against it optimises its errors too; train on more (and more varied) "
                "texts, or for more epochs, before relying on it")

    def summary(self) -> str:
        """One line: ``Spearman 0.95 [0.94, 0.96], pairwise accuracy 0.92 [...] on 240 held-out texts``."""
        return (
            f"Spearman {_fmt(self.spearman)}{_interval(self.spearman_interval)}, pairwise accuracy "
            f"{_fmt(self.pairwise_accuracy)}{_interval(self.pairwise_interval)} "
            f"on {self.n_texts} held-out texts ({self.n_pairs} pairs)"
        )

    def max_component_gap(self) -> float | None:
        """The largest gap between the composite's and the model's correlation with a component."""
        gaps = [abs(c.composite_spearman - c.model_spearman) for c in self.components.values()
                if c.model_spearman is not None and c.composite_spearman is not None]
        return max(gaps) if gaps else None


#: Resamples of the bootstrap intervals.
BOOTSTRAP_SAMPLES = 200


def _interval(value: list[float] | None) -> str:
    return "" if value is None else f" [{value[0]:.3f}, {value[1]:.3f}]"


def bootstrap_intervals(model: Sequence[float], target: Sequence[float], *, min_gap: float,
                        samples: int = BOOTSTRAP_SAMPLES, seed: int = 0) -> tuple[list[float] | None, list[float] | None]:
    """95% percentile intervals of Spearman and pairwise accuracy over resampled texts (both on the same resamples)."""
    if len(model) < 10:
        return None, None

    def rho(m: Any, t: Any) -> float:
        value = _spearman(m.tolist(), t.tolist())
        return math.nan if value is None else value

    def accuracy(m: Any, t: Any) -> float:
        value, _ = pairwise_accuracy(m, t, min_gap=min_gap)
        return math.nan if value is None else value

    data = (model, target)
    return (bootstrap_interval(data, rho, resamples=samples, seed=seed),
            bootstrap_interval(data, accuracy, resamples=samples, seed=seed))


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _spearman(a: Sequence[float], b: Sequence[float]) -> float | None:
    from scipy.stats import spearmanr

    if len(a) < 3 or len(set(a)) < 2 or len(set(b)) < 2:
        return None
    value = float(spearmanr(a, b).statistic)
    return value if math.isfinite(value) else None


def pairwise_accuracy(model: Sequence[float], target: Sequence[float], *, min_gap: float = 0.0) -> tuple[float | None, int]:
    """Share of pairs (target gap >= ``min_gap``) the model orders like the target; and the pair count."""
    import numpy as np

    m = np.asarray(model, dtype=np.float64)
    t = np.asarray(target, dtype=np.float64)
    i, j = np.triu_indices(len(t), k=1)
    dt = t[i] - t[j]
    keep = np.abs(dt) >= max(min_gap, 1e-12)
    if not keep.any():
        return None, 0
    agree = np.sign(m[i][keep] - m[j][keep]) == np.sign(dt[keep])
    return float(agree.mean()), int(keep.sum())


def measure_fidelity(
    model_scores: Sequence[float],
    composite: Sequence[float],
    components: Mapping[str, Sequence[float]],
    *,
    min_score_gap: float = 0.0,
) -> FidelityReport:
    """Compare model scores with the composite and each component on the same texts."""
    accuracy, n_pairs = pairwise_accuracy(model_scores, composite, min_gap=min_score_gap)
    rho_interval, acc_interval = bootstrap_intervals(model_scores, composite, min_gap=min_score_gap)
    report = FidelityReport(
        spearman_interval=rho_interval,
        pairwise_interval=acc_interval,
        spearman=_spearman(model_scores, composite),
        pairwise_accuracy=accuracy,
        n_texts=len(model_scores),
        n_pairs=n_pairs,
        components={
            name: ComponentFidelity(_spearman(model_scores, values), _spearman(composite, values))
            for name, values in components.items()
        },
    )
    logger.info("Fidelity: %s", report.summary())
    for name, comp in report.components.items():
        logger.info(
            "  %s: model %s (composite %s)", name, _fmt(comp.model_spearman), _fmt(comp.composite_spearman)
        )
    return report


def warn_if_untrusted(report: FidelityReport) -> None:
    """Log :meth:`FidelityReport.warning` at WARNING level (printed by the CLI and the demo)."""
    message = report.warning()
    if message:
        logger.warning("%s (%s)", message, report.summary())


def scatter_figure(model_scores: Sequence[float], composite: Sequence[float], report: FidelityReport) -> Any:
    """The figure of ``fidelity.png`` (a matplotlib ``Figure``; needs matplotlib): model score against
    composite score on the held-out texts, with the line y = x where a perfect copy would lie."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 5), dpi=110, layout="constrained")
    ax = fig.add_subplot(1, 1, 1)
    ax.scatter(composite, model_scores, s=10, alpha=0.6, label="held-out text")
    low = max(min(composite, default=0.0), min(model_scores, default=0.0))
    high = min(max(composite, default=0.0), max(model_scores, default=0.0))
    if low < high:  # the diagonal where both ranges meet, so the scatter keeps its scale
        ax.plot([low, high], [low, high], color="grey", linestyle="--", linewidth=1, label="y = x",
                scalex=False, scaley=False)
        ax.legend(fontsize=8, loc="upper left")
    else:
        ax.text(0.02, 0.98, "y = x lies outside: the model's scale differs from the composite's",
                transform=ax.transAxes, fontsize=7, va="top", wrap=True)
    ax.set_xlabel("rule-based composite score")
    ax.set_ylabel("reward-model score")
    lines = report.summary().replace(", pairwise", ",\npairwise").replace(" on ", "\non ", 1)
    ax.set_title(f"Held-out fidelity: {lines}", fontsize=9)
    ax.grid(True, alpha=0.3)
    return fig


def save_scatter_plot(
    path: str | Path, model_scores: Sequence[float], composite: Sequence[float], report: FidelityReport
) -> bool:
    """Write :func:`scatter_figure` as a PNG. Returns ``False`` (and says why)
    when matplotlib, an optional extra, is not installed."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
    except ImportError:
        logger.warning(
            "matplotlib is not installed, so the fidelity scatter plot (fidelity.png) was not written. "
            "Install it with: pip install 'aligntune[plots]'"
        )
        return False
    fig = scatter_figure(model_scores, composite, report)
    FigureCanvasAgg(fig)
    fig.savefig(str(path), format="png")
    return True
