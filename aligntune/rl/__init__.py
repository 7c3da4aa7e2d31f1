"""RL on a policy with any reward source.

* ``config``: :class:`RewardModelSourceConfig` and :class:`PPOTrainingConfig`.
* ``sources``: the reward-model source contract (``load`` returns a ready reward
  model) and :func:`load_reward_model`, all a backend needs; ``builtin_sources``: the
  core's built-in plugin (``custom_trained``, ``pretrained_hf``, ``pretrained_local``).
* ``backends``: the RL backend contract and lookup.
* ``factory``: :func:`create_rl_trainer`, keywords to a validated config to a backend's trainer.
* ``prompts``: prompt datasets from the hub, files, directories or ``datasets.Dataset``.
* ``bridge``: the reward bridge every backend scores through.
"""
