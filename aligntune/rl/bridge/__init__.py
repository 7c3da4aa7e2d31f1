"""The reward bridge every RL backend uses: generated tokens in, one reward per response out.

:class:`~aligntune.rl.bridge.scorer.RewardScorer` decodes a policy's responses and
scores them with a reward model (re-encoded with its own tokenizer, or through a fast
path when the vocabularies match), with rule-based reward functions, or with a
weighted mix of both, and refuses NaN or infinite rewards. Backends wrap it in
whatever their trainer expects (the TRL backend's PPO adapter is an ``nn.Module``).

The scorer module imports torch; ``import aligntune`` never imports it.
"""
