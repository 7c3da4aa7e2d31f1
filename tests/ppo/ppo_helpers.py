"""Shared settings for the PPO tests."""

from __future__ import annotations

from pathlib import Path


def fast_ppo_kwargs(tmp_path: Path, **overrides):
    """PPO settings small enough for a few seconds on 2 CPU cores."""
    base = dict(
        algorithm="ppo",
        backend="trl",
        output_dir=str(tmp_path / "ppo"),
        batch_size=4,
        num_epochs=1,
        learning_rate=1e-4,
        max_samples=8,
        response_length=12,
        num_ppo_epochs=1,
        seed=0,
    )
    base.update(overrides)
    return base
