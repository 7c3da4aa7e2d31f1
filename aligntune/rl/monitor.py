"""Deprecated alias (one release) of the module split into :mod:`aligntune.rl.reward.gold` (the gold)
and :mod:`aligntune.rl.overoptimisation` (batch figures, the alarm); see CHANGELOG.md.
``StepMonitor`` became :class:`aligntune.rl.overoptimisation.BatchFigures`, which reads a scored batch."""

from aligntune.rl.overoptimisation import OverOptimisationAlarm
from aligntune.reward_model.loading import manifest_rules as gold_from_manifest
from aligntune.rl.reward.gold import Gold, resolve_gold

__all__ = ["Gold", "OverOptimisationAlarm", "gold_from_manifest", "resolve_gold"]
