"""The one bootstrap helper (aligntune.stats.bootstrap_interval) and the figures built on it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aligntune.stats import bootstrap_interval


def _normal_sample(seed: int, n: int = 400, mean: float = 3.0) -> np.ndarray:
    return np.random.default_rng(seed).normal(mean, 1.0, n)


def test_the_interval_of_a_mean_covers_the_true_mean_and_is_as_wide_as_theory_says():
    # the 95% interval of a mean of 400 draws with sd 1 is about 2 * 1.96 / sqrt(400) = 0.196 wide
    interval = bootstrap_interval([_normal_sample(1)], np.mean, resamples=2000, seed=0)
    assert interval is not None
    low, high = interval
    assert low < 3.0 < high
    assert 0.15 < high - low < 0.25


def test_the_interval_covers_the_true_mean_about_95_times_in_100():
    covered = 0
    for seed in range(100):
        low, high = bootstrap_interval([_normal_sample(100 + seed, n=60)], np.mean, resamples=400, seed=seed)
        covered += low < 3.0 < high
    assert 88 <= covered <= 99  # binomial(100, 0.95) lies here with probability > 0.99


def test_the_same_seed_gives_the_same_interval_and_another_seed_another():
    sample = [_normal_sample(2)]
    first = bootstrap_interval(sample, np.mean, resamples=500, seed=7)
    assert bootstrap_interval(sample, np.mean, resamples=500, seed=7) == first
    assert bootstrap_interval(sample, np.mean, resamples=500, seed=8) != first


def test_paired_samples_are_resampled_row_by_row():
    # y follows x exactly: resampled together every resample keeps the perfect correlation
    x = np.arange(40, dtype=float)
    interval = bootstrap_interval([x, 2 * x + 1], lambda a, b: float(np.corrcoef(a, b)[0, 1]), resamples=200)
    assert interval == pytest.approx([1.0, 1.0])


def test_two_statistics_on_the_same_data_and_seed_see_the_same_resamples():
    sample = [_normal_sample(3)]
    mean = bootstrap_interval(sample, np.mean, resamples=300, seed=4)
    shifted = bootstrap_interval(sample, lambda a: float(np.mean(a) + 10.0), resamples=300, seed=4)
    assert shifted == pytest.approx([mean[0] + 10.0, mean[1] + 10.0])


def test_undefined_resamples_are_left_out_and_all_undefined_gives_no_interval():
    values = np.arange(20, dtype=float)

    def mean_unless_first_small(a: np.ndarray) -> float:
        return math.nan if a[0] < 2 else float(a.mean())

    interval = bootstrap_interval([values], mean_unless_first_small, resamples=300, seed=0)
    assert interval is not None and all(math.isfinite(v) for v in interval)
    assert bootstrap_interval([values], lambda a: math.nan, resamples=50) is None


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        ([[1.0, 2.0, 3.0], [1.0, 2.0]], {}, "equal length"),
        ([[1.0]], {}, "at least 2 rows"),
        ([[1.0, 2.0]], {"level": 95}, "level must be between 0 and 1"),
        ([[1.0, 2.0]], {"resamples": 0}, "resamples must be a positive integer"),
    ],
)
def test_bad_input_is_refused_with_what_and_the_fix(data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        bootstrap_interval(data, np.mean, **{"resamples": 10, **kwargs})


def test_fidelity_intervals_cover_the_figures_on_all_held_out_texts():
    from aligntune.reward_model.fidelity import measure_fidelity

    rng = np.random.default_rng(5)
    composite = rng.random(120)
    model = composite + rng.normal(0.0, 0.15, 120)
    report = measure_fidelity(model.tolist(), composite.tolist(), {})
    assert report.spearman_interval[0] <= report.spearman <= report.spearman_interval[1]
    assert report.pairwise_interval[0] <= report.pairwise_accuracy <= report.pairwise_interval[1]
    again = measure_fidelity(model.tolist(), composite.tolist(), {})
    assert again.spearman_interval == report.spearman_interval  # seeded


def test_fidelity_of_a_constant_model_has_no_interval():
    from aligntune.reward_model.fidelity import bootstrap_intervals

    rho, accuracy = bootstrap_intervals([0.5] * 30, list(np.linspace(0, 1, 30)), min_gap=0.0)
    assert rho is None  # Spearman is undefined on every resample
    assert accuracy == [0.0, 0.0]  # a constant model orders no pair right
