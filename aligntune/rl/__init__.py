"""RL on a policy with any reward source: the configs, the reward object (:mod:`aligntune.rl.reward`), reward-model
sources, backends and the trainer base they share, :func:`create_rl_trainer` (:mod:`aligntune.rl.factory`), prompt
datasets and gold-against-proxy figures. docs/architecture.md maps each module.
"""
