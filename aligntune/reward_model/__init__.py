"""Loading and using reward models: sequence classifiers with one output (``num_labels=1``).

* :mod:`aligntune.reward_model.loading` resolves a hub name or a local directory,
  checks a directory cheaply before anything loads, and loads tokenizers and models
  with errors that say what is wrong and how to fix it.
* :mod:`aligntune.reward_model.encoding` is the one place texts (and optional prompts)
  become token ids, shared by training and scoring so both see the same inputs.
* :mod:`aligntune.reward_model.scoring` holds :class:`TextRewardModel`, which scores
  texts with a trained reward model.

Importing this package is light; torch and transformers load inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aligntune.reward_model.loading import ModelDirInfo, check_model_dir, resolve_model_path
    from aligntune.reward_model.scoring import TextRewardModel, load_text_reward_model

__all__ = [
    "ModelDirInfo",
    "TextRewardModel",
    "check_model_dir",
    "load_text_reward_model",
    "resolve_model_path",
]


def __getattr__(name: str) -> Any:
    if name in ("ModelDirInfo", "check_model_dir", "resolve_model_path"):
        from aligntune.reward_model import loading

        return getattr(loading, name)
    if name in ("TextRewardModel", "load_text_reward_model"):
        from aligntune.reward_model import scoring

        return getattr(scoring, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
