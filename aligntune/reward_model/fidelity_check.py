"""Fidelity of a trained reward model on texts of the user's own that it never saw.

Training reports fidelity on a held-out share of the training texts; those texts answer the
same prompts as the training texts and come from the same source. Before RL, check the model on
texts it will meet there: answers to other prompts, from another model or another day.

>>> report = fidelity_on_texts("reward_models/custom", texts, prompts=prompts)   # doctest: +SKIP
>>> report.summary(), report.concerns()                                           # doctest: +SKIP

The rules and weights are read from the model's ``aligntune.json`` (or given), the texts are
scored by the rules (with their prompts and references, as in training) and by the model (with
the prompts when it was trained on them), and the two are compared as training compares them:
Spearman, pairwise accuracy over pairs whose composite scores differ by at least the model's own
``min_score_gap``, each rule beside the composite's own correlation, bootstrap 95% intervals, and
the same warnings (:meth:`FidelityReport.concerns`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from aligntune.errors import ConfigurationError, show
from aligntune.reward_model.fidelity import FidelityReport, measure_fidelity
from aligntune.reward_model.scoring import TextRewardModel, read_manifest
from aligntune.rewards.composite import CompositeReward

#: The pair gap used when neither the call nor the manifest gives one (the training default).
DEFAULT_MIN_SCORE_GAP = 0.02


def fidelity_on_texts(
    model_dir: str | os.PathLike[str],
    texts: Sequence[str],
    *,
    prompts: Sequence[str] | None = None,
    references: Sequence[str] | None = None,
    reward_functions: Sequence[Any] | None = None,
    weights: Sequence[float] | None = None,
    min_score_gap: float | None = None,
    batch_size: int = 32,
) -> FidelityReport:
    """How faithfully the reward model at ``model_dir`` reproduces its rules on ``texts``.

    ``reward_functions`` and ``weights`` default to those recorded in the model's ``aligntune.json``
    (a model without one needs them given); ``min_score_gap`` to the one it was trained with.
    ``prompts``/``references``: one per text, as in training. Raises :class:`ConfigurationError`
    before anything loads when the rules are neither recorded nor given.
    """
    manifest = read_manifest(model_dir) or {}
    recorded = manifest.get("reward_functions") or {}
    functions = list(reward_functions) if reward_functions is not None else recorded.get("functions")
    if not functions:
        raise ConfigurationError(
            f"{show(os.fspath(model_dir))} has no aligntune.json naming its reward functions; pass "
            "reward_functions=[...] (and weights=[...]) to fidelity_on_texts"
        )
    if weights is None and reward_functions is None:
        weights = recorded.get("weights")
    gap = min_score_gap if min_score_gap is not None else (manifest.get("data") or {}).get(
        "min_score_gap", DEFAULT_MIN_SCORE_GAP)
    composite = CompositeReward(functions, list(weights) if weights is not None else None)
    rules = composite.score_components(list(texts), prompts=None if prompts is None else list(prompts),
                                       references=None if references is None else list(references))
    model = TextRewardModel.from_pretrained(model_dir)
    model_prompts = list(prompts) if prompts is not None and model.uses_prompts else None
    scores = model.score(list(texts), prompts=model_prompts, batch_size=batch_size)
    return measure_fidelity(scores, rules.total, rules.components, min_score_gap=float(gap))
