"""A rule the reward model follows much less closely than the composite does is named in the fidelity warning."""

from __future__ import annotations

from aligntune.reward_model.fidelity import ComponentFidelity, FidelityReport


def _report(**components: tuple[float | None, float | None]) -> FidelityReport:
    return FidelityReport(
        spearman=0.95, pairwise_accuracy=0.92, n_texts=700, n_pairs=200000,
        spearman_interval=[0.94, 0.96], pairwise_interval=[0.91, 0.93],
        components={name: ComponentFidelity(model, composite) for name, (model, composite) in components.items()},
    )


def test_a_rule_learned_at_half_strength_is_named_with_its_figures_and_what_to_add():
    report = _report(safety=(0.30, 0.58), length=(0.58, 0.49), sentiment=(0.55, 0.60))
    concerns = report.concerns()
    assert concerns == [
        "rule 'safety' is followed at Spearman 0.300 against the composite's 0.580 (gap 0.280 > 0.1); "
        "add texts of your own kind on which 'safety' scores both high and low"
    ]
    assert "'safety'" in report.warning() and "'sentiment'" not in report.warning()
    assert report.as_dict()["warnings"] == concerns


def test_rules_within_the_gap_or_unmeasured_give_no_warning():
    report = _report(safety=(0.55, 0.60), coherence=(None, 0.06), length=(0.50, 0.42))
    assert report.concerns() == [] and report.warning() is None
