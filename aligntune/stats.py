"""Bootstrap confidence intervals, one way for every figure aligntune reports with an interval.

Reward-model fidelity (Spearman and pairwise accuracy on held-out texts), pairwise accuracy
on preference pairs and the demo's before/after gains all come with a 95% percentile
bootstrap interval from :func:`bootstrap_interval`, which resamples with
:func:`scipy.stats.bootstrap`. Seeded: the same data, statistic and seed give the same
interval; equal-length data resampled with the same seed and count see the same resamples,
so two figures on the same items (two rankers on the same pairs) are resampled alike.

Resamples on which a statistic is undefined (it returns NaN: a Spearman correlation of a
resample whose values are all equal) are left out of the percentiles; where every resample
is undefined there is no interval (``None``). Importing this module is light (numpy and
scipy load when an interval is computed).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["bootstrap_interval"]


def bootstrap_interval(
    data: Sequence[Sequence[float]],
    statistic: Callable[..., Any],
    *,
    resamples: int,
    seed: int = 0,
    level: float = 0.95,
) -> list[float] | None:
    """The percentile bootstrap interval ``[low, high]`` of ``statistic`` over ``data``, or ``None``.

    ``data`` is one or more equal-length samples (the rows of one table: model and target
    scores of the same texts), resampled together, row by row. ``statistic`` takes one
    array per sample and returns a number, or NaN where it is undefined; one with an
    ``axis`` keyword (``numpy.mean``) is evaluated on all resamples at once. ``resamples``
    resamples are drawn with ``numpy.random.default_rng(seed)``; ``level`` is the interval's
    coverage. Raises :class:`ValueError` for samples of unequal length, fewer than two rows,
    or ``level`` outside (0, 1).
    """
    import numpy as np
    from scipy.stats import DegenerateDataWarning, bootstrap

    arrays = [np.asarray(sample, dtype=np.float64) for sample in data]
    lengths = {len(a) for a in arrays}
    if not arrays or len(lengths) != 1:
        raise ValueError(f"bootstrap_interval needs one or more samples of equal length, got lengths "
                         f"{[len(a) for a in arrays]}")
    if lengths.pop() < 2:
        raise ValueError("bootstrap_interval needs at least 2 rows to resample")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level!r}")
    if not (isinstance(resamples, int) and resamples > 0):
        raise ValueError(f"resamples must be a positive integer, got {resamples!r}")
    with warnings.catch_warnings():
        # scipy warns when its own percentiles are NaN; undefined resamples are left out below instead
        warnings.simplefilter("ignore", DegenerateDataWarning)
        result = bootstrap(
            tuple(arrays),
            statistic,
            n_resamples=resamples,
            confidence_level=level,
            method="percentile",
            paired=True,
            random_state=np.random.default_rng(seed),
        )
    values = np.asarray(result.bootstrap_distribution, dtype=np.float64)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(values, [tail, 100.0 - tail])
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    return [float(low), float(high)]
