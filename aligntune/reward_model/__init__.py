"""The reward model: a sequence classifier with one output that reproduces the rules.

One concern per module, in the order of the flow:

* ``config``: :class:`RewardModelTrainingConfig`, the one definition of every training
  setting and its spellings (trainer keywords, ``reward_training_*``, CLI options).
* ``inputs`` and ``scored_data``: texts from lists, datasets or files, scored by the rules.
* ``pairs``: preference pairs, deterministic for a seed.
* ``training_args``: the ``trl.RewardConfig`` both objectives train with, and its defaults.
* ``rules_objective`` (with ``distillation_trainer``, its ``transformers.Trainer``): the
  default objective, one head per rule; ``pairs_objective``: pairs on ``trl.RewardTrainer``;
  ``preferences``: chosen/rejected data on the pairs objective.
* ``pipeline``: the training steps in order; ``api``: :class:`RewardModelTrainer`, the
  public class; ``result``: what it returns.
* ``fidelity``, ``card``: held-out fidelity, the model card and the manifest.
* ``loading``, ``encoding``, ``scoring``: loading a trained model, turning texts into
  token ids (shared by training and scoring), and :class:`TextRewardModel`.

Saving goes through :mod:`aligntune.atomic`; model directories are found and checked
by :mod:`aligntune.model_dirs`. Importing this package is light: torch and
transformers load inside the functions that train or score.
"""

from aligntune.model_dirs import ModelDirInfo, inspect_model_dir, resolve_model_path
from aligntune.reward_model.scoring import TextRewardModel, load_text_reward_model

__all__ = [
    "ModelDirInfo",
    "TextRewardModel",
    "inspect_model_dir",
    "load_text_reward_model",
    "resolve_model_path",
]
