"""The plots a user reads: ``rl_report.png`` after RL and ``fidelity.png`` beside a reward model.

The RL figures come from two real ``metrics.json`` files (``tests/data``, per-step ``samples``
dropped): a GRPO run with TRL's default ``beta=0`` (no KL term, so no KL is logged) and a PPO
run, each with a random tiny reward model as the proxy and the ``length`` and ``sentiment`` rules
as the gold, held-out evaluations every 2 steps. The fidelity figure plots real rule scores.
Each figure is drawn, then its text and legends are measured: what a reader sees, not how it
was built.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

DATA = Path(__file__).parent / "data"


def _metrics(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _grpo_figure():
    from aligntune_backend_trl.reporting import rl_report_figure

    log = _metrics("rl_metrics_grpo_beta0.json")
    return rl_report_figure(log["steps"], log["evaluations"], kl_key="kl", beta=0.0)


def _ppo_figure():
    from aligntune_backend_trl.reporting import rl_report_figure

    log = _metrics("rl_metrics_ppo.json")
    return rl_report_figure(log["steps"], log["evaluations"], kl_key="objective/kl")


def _many_rules_figure():
    """Nine gold components: a legend of three rows under the bottom panels."""
    from aligntune_backend_trl.reporting import rl_report_figure

    log = _metrics("rl_metrics_ppo.json")
    steps = [dict(s, **{f"gold/rule_{i}": 0.1 * i for i in range(9)}) for s in log["steps"]]
    return rl_report_figure(steps, log["evaluations"], kl_key="objective/kl")


def _drawn(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _panel(ax) -> tuple[float, ...]:
    """Axes that share a position (a panel and its twin) are one panel."""
    return tuple(round(x, 3) for x in ax.get_position().bounds)


def _texts(fig, renderer):
    """(panel, what, bbox) of every visible title, axis label, tick label, text and legend;
    ``what`` of a tick label names its axis (``xtick 3`` for the x axis of the fourth Axes)."""
    out = []
    for i, ax in enumerate(fig.axes):
        artists = [("title", ax.title), ("xlabel", ax.xaxis.label), ("ylabel", ax.yaxis.label)]
        (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())  # ticks outside the limits are not drawn
        artists += [(f"xtick {i}", t) for t in ax.get_xticklabels() if x0 <= t.get_position()[0] <= x1]
        artists += [(f"ytick {i}", t) for t in ax.get_yticklabels() if y0 <= t.get_position()[1] <= y1]
        artists += [("text", t) for t in ax.texts]
        if ax.get_legend() is not None:
            artists.append(("legend", ax.get_legend()))
        for what, artist in artists:
            if artist.get_visible() and (what == "legend" or artist.get_text()):
                out.append((_panel(ax), what, artist.get_window_extent(renderer)))
    return out


def test_rl_report_says_there_is_no_kl_when_beta_is_0():
    fig = _grpo_figure()
    kl_panel = next(ax for ax in fig.axes if ax.get_title() == "Reward against KL")
    assert [t.get_text() for t in kl_panel.texts] == ["no KL: beta=0"]
    assert not kl_panel.lines  # nothing plotted against a KL that does not exist


def test_rl_report_without_kl_for_another_reason_does_not_blame_beta():
    from aligntune_backend_trl.reporting import rl_report_figure

    log = _metrics("rl_metrics_grpo_beta0.json")
    fig = rl_report_figure(log["steps"], log["evaluations"], kl_key="kl", beta=0.04)
    kl_panel = next(ax for ax in fig.axes if ax.get_title() == "Reward against KL")
    assert [t.get_text() for t in kl_panel.texts] == ["no KL logged"]


@pytest.mark.parametrize("make", [_grpo_figure, _ppo_figure], ids=["grpo", "ppo"])
def test_proxy_and_gold_share_one_axis_each_from_its_own_start(make):
    fig = make()
    for title in ("Proxy and gold", "Reward against KL"):
        panel = [ax for ax in fig.axes if _panel(ax) == _panel(next(a for a in fig.axes if a.get_title() == title))]
        plotted = [line for ax in panel for line in ax.lines if line.get_label()[:5] in ("proxy", "gold ", "gold,")
                   or line.get_label() == "gold"]
        if title == "Reward against KL" and make is _grpo_figure:
            assert not plotted
            continue
        assert len(panel) == 1, f"{title}: proxy and gold on twin axes"
        assert {line.get_label().split(",")[0].split(" ")[0] for line in plotted} == {"proxy", "gold"}
        assert "standard deviations" in panel[0].get_ylabel()
    top_left = next(ax for ax in fig.axes if ax.get_title() == "Proxy and gold")
    for line in top_left.lines:
        if line.get_label().startswith(("proxy", "gold")):
            assert list(line.get_ydata())[0] == pytest.approx(0.0), line.get_label()  # every series starts at 0


@pytest.mark.parametrize("make", [_grpo_figure, _ppo_figure, _many_rules_figure], ids=["grpo", "ppo", "many-rules"])
def test_rl_report_labels_neither_overlap_nor_leave_the_figure(make):
    fig = make()
    renderer = _drawn(fig)
    page = fig.bbox
    texts = _texts(fig, renderer)
    assert len({panel for panel, _, _ in texts}) == 4
    for panel, what, box in texts:
        assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1 and page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1, \
            f"{what} of panel {panel} is cut off"
    for (p1, w1, b1), (p2, w2, b2) in itertools.combinations(texts, 2):
        if p1 != p2 or (w1 == w2 and "tick" in w1):  # across panels, and the tick labels of one axis
            assert not b1.overlaps(b2), f"{w1} of panel {p1} overlaps {w2} of panel {p2}"
    data_areas = [ax.get_window_extent(renderer) for ax in fig.axes]
    for panel, what, box in texts:
        if what == "legend":
            assert not any(box.overlaps(area) for area in data_areas), "a legend covers a plot"


def test_plot_rl_report_writes_the_png(tmp_path):
    from aligntune_backend_trl.reporting import plot_rl_report

    log = _metrics("rl_metrics_grpo_beta0.json")
    path = plot_rl_report(str(tmp_path), log["steps"], log["evaluations"], kl_key="kl", beta=0.0)
    assert path == str(tmp_path / "rl_report.png")
    assert Path(path).read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rl_report.png"]  # no temporary file left


def _fidelity_inputs():
    from aligntune.data.corpus import load_bundled_corpus
    from aligntune.reward_model.fidelity import measure_fidelity
    from aligntune.rewards.composite import CompositeReward

    texts = load_bundled_corpus(300, seed=5).texts[:120]
    rows = CompositeReward(["length", "sentiment", "safety"]).score_components(texts).rows()
    composite = [r["score"] for r in rows]
    model = [r["score"] for r in CompositeReward(["length", "sentiment"]).score_components(texts).rows()]
    return model, composite, measure_fidelity(model, composite, {"length": [r["length"] for r in rows]})


def test_fidelity_plot_has_the_diagonal_and_its_whole_title(tmp_path):
    from aligntune.reward_model.fidelity import save_scatter_plot, scatter_figure

    model, composite, report = _fidelity_inputs()
    fig = scatter_figure(model, composite, report)
    renderer = _drawn(fig)
    (ax,) = fig.axes
    title = ax.title.get_window_extent(renderer)
    assert fig.bbox.x0 <= title.x0 and title.x1 <= fig.bbox.x1 and title.y1 <= fig.bbox.y1, "the title is cut off"
    assert "Spearman" in ax.get_title() and "pairwise accuracy" in ax.get_title()
    diagonal = [line for line in ax.lines if line.get_label() == "y = x"]
    assert len(diagonal) == 1
    xs, ys = diagonal[0].get_data()
    assert list(xs) == list(ys) and xs[0] < xs[-1]
    assert save_scatter_plot(tmp_path / "fidelity.png", model, composite, report)
    assert (tmp_path / "fidelity.png").read_bytes()[:4] == b"\x89PNG"


def test_reward_curve_names_the_algorithms_steps_and_plots_its_own_kl():
    from aligntune_backend_trl.reporting import reward_curve_figure

    steps = [dict(s, kl=0.01 * s["step"]) for s in _metrics("rl_metrics_grpo_beta0.json")["steps"]]  # GRPO's key: "kl"
    fig = reward_curve_figure(steps, title="GRPO reward", kl_key="kl", step_label="GRPO step")
    assert fig.axes[0].get_xlabel() == "GRPO step"
    kl_lines = [line for ax in fig.axes for line in ax.lines if line.get_label() == "KL to reference"]
    assert len(kl_lines) == 1 and list(kl_lines[0].get_ydata()) == pytest.approx([s["kl"] for s in steps])
    ppo_keyed = reward_curve_figure(steps)  # looking for PPO's "objective/kl", which these steps do not have
    assert not [line for ax in ppo_keyed.axes for line in ax.lines if line.get_label() == "KL to reference"]


def test_reward_curve_labels_stay_inside_the_figure():
    from aligntune_backend_trl.reporting import reward_curve_figure

    steps = [dict(s, kl=0.01 * s["step"]) for s in _metrics("rl_metrics_grpo_beta0.json")["steps"]]
    fig = reward_curve_figure(steps, title="GRPO reward", kl_key="kl", step_label="GRPO step")
    renderer = _drawn(fig)
    page = fig.bbox
    for panel, what, box in _texts(fig, renderer):
        assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1 and page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1, \
            f"{what} of panel {panel} is cut off"
