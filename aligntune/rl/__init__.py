"""RL on a policy with any reward source.

* ``config``: :class:`RewardModelSourceConfig` and :class:`RLTrainingConfig`.
* ``reward``: the reward object (text in; proxy, components and gold out) every backend scores through.
* ``sources``: the reward-model source contract (``load`` returns a ready reward
  model, or a whole reward) and :func:`load_reward_model`, all a backend needs; ``builtin_sources``:
  the core's built-in plugin (``custom_trained``, ``pretrained_hf``, ``pretrained_local``,
  ``in_memory``, ``remote``).
* ``backends``: the RL backend contract and lookup; ``trainer_base``: what every backend's
  trainer shares (reward loading, records, summary, :class:`RLResult`).
* ``factory``: :func:`create_rl_trainer`, keywords to a validated config to a backend's trainer.
* ``prompts``: prompt datasets from the hub, files, directories or ``datasets.Dataset``.
* ``overoptimisation``: gold against proxy per batch, and the over-optimisation alarm.
"""
