"""Turning a policy's generated tokens into PPO rewards.

:class:`~aligntune.reward_scoring.scorer.RewardScorer` scores decoded responses with a
reward model (its own tokenizer, or the policy's through a fast path), with rule-based
reward functions, or with a weighted mix of both.
:class:`~aligntune.reward_scoring.adapter.RewardAdapter` wraps a scorer as the
``nn.Module`` that TRL's PPO ``get_reward`` expects.

This package imports torch; ``import aligntune`` never imports it.
"""
