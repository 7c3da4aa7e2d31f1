"""The reward model: a sequence classifier with one output that reproduces the rules.

One concern per module, in the order of the flow:

* ``config``: :class:`RewardModelTrainingConfig`, the one definition of every training
  setting and its spellings (trainer keywords, ``reward_training_*``, CLI options).
* ``inputs`` and ``data``: texts from lists, datasets or files, scored by the rules.
* ``pairs``: preference pairs, deterministic for a seed.
* ``fit``: the ``trl.RewardTrainer`` set-up; ``runner``: the training steps in order;
  ``trainer``: :class:`RewardModelTrainer`, the public class; ``result``: what it returns.
* ``fidelity``, ``card``: held-out fidelity, the model card and the manifest.
* ``loading``, ``encoding``, ``scoring``: loading a trained model, turning texts into
  token ids (shared by training and scoring), and :class:`TextRewardModel`.

Saving goes through :mod:`aligntune.atomic`; model directories are found and checked
by :mod:`aligntune.model_dirs`. Importing this package is light: torch and
transformers load inside the functions that train or score.
"""

from aligntune.model_dirs import ModelDirInfo, check_model_dir, resolve_model_path
from aligntune.reward_model.scoring import TextRewardModel, load_text_reward_model

__all__ = [
    "ModelDirInfo",
    "TextRewardModel",
    "check_model_dir",
    "load_text_reward_model",
    "resolve_model_path",
]
