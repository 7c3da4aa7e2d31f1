"""Stable public import paths of the guide, kept as thin modules.

The code lives where its concept does (``aligntune.rl``, ``aligntune.reward_model``);
these modules only re-export the names the guide imports from here, so that
``from aligntune.core.backend_factory import create_rl_trainer`` and
``from aligntune.core.rl.config import RewardModelTrainingConfig`` keep working.
"""
