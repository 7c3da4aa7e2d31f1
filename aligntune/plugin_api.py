"""The one aligntune module a plugin imports (besides ``from aligntune import hookimpl``).

Everything here is kept stable for plugin authors; the modules it draws from may move.
``tests/test_architecture.py`` fails when a plugin under ``plugins/`` imports any other
aligntune module. Names load on first use (PEP 562), so importing this module, like
``import aligntune``, never imports torch.

Errors and validation
    :class:`AlignTuneError` and its subclasses; :func:`show` (a value, shortened, for a
    message); :func:`did_you_mean`; :func:`check_weights`; :func:`installed_version` (a distribution's
    version, read without importing it).
Reward functions (rule plugins)
    :class:`RewardFunction`, :func:`check_texts`, :class:`CompositeReward`.
The RL reward object (backends and reward services)
    :class:`Reward` (the protocol), :class:`RewardBatch`, :class:`LocalReward`,
    :func:`build_reward`, :data:`MODEL_COMPONENT`, :func:`weighted_sum`,
    :class:`RewardCallables` (TRL-style text callables), :class:`BatchFigures` and
    :class:`OverOptimisationAlarm` (gold against proxy), :func:`load_reward_model`,
    :func:`check_model_dir` (for reward-model source authors).
RL backends and the trainer base
    :class:`Availability`; :class:`RLTrainerBase` and :class:`RLResult` (what every RL
    trainer shares: config, reward object, records, summary, result); prompts
    (:func:`load_prompt_dataset`, :func:`format_prompts`), :func:`check_prompt_count`,
    :func:`completion_length`, :func:`generations`, :data:`GROUP_ALGORITHMS`, :data:`ONLY_FOR` and
    :data:`PPO_SETTINGS` (each algorithm's own settings),
    :func:`cap_max_length`; the processes of a launched run (:func:`launched_world_size`,
    :func:`is_main_process`, :func:`check_parameters_replicated`).
Output ownership
    :func:`check_output_dir`, :func:`fresh_run_directory`, :func:`staged_output`,
    :func:`mark_finished`, :func:`run_id_of`, :func:`atomic_file`; checkpoints a run resumes
    from (:data:`STATE_FILE`, :data:`BEST_FILE`, :func:`read_state`, :func:`find_checkpoint`,
    :func:`in_place`, :func:`continue_run`, :func:`trim_completions`).
What a TRL user brings
    :func:`trl_config_class` and :data:`SAME_NAME_AS_ALIGNTUNE` (the TRL config an algorithm builds, and
    the settings TRL names as aligntune does), :func:`to_peft_config` (``peft_config=``),
    :func:`is_loaded_model`, :func:`policy_name` and :func:`value_model_base` (``model_name=`` a loaded
    model), :func:`as_user_turns` (``chat_template=``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aligntune._lazy import lazy_attributes

#: Public name -> module that defines it.
_NAMES: dict[str, str] = {
    **dict.fromkeys(
        ["AlignTuneError", "BackendError", "BackendUnavailableError", "ConfigurationError", "DataError",
         "ModelLoadError", "PluginError", "RewardFunctionError", "RewardSourceError", "UnknownRewardFunctionError",
         "show"], "aligntune.errors"),
    **dict.fromkeys(["did_you_mean", "check_weights"], "aligntune._validation"),
    **dict.fromkeys(["RewardFunction", "check_texts", "check_finite"], "aligntune.rewards.base"),
    "CompositeReward": "aligntune.rewards.composite",
    **dict.fromkeys(["MODEL_COMPONENT", "Reward", "RewardBatch", "weighted_sum"], "aligntune.rl.reward.base"),
    **dict.fromkeys(["LocalReward", "build_reward"], "aligntune.rl.reward.local"),
    **dict.fromkeys(["RewardCallables", "ScoredBatch"], "aligntune.rl.reward.callables"),
    **dict.fromkeys(["BatchFigures", "OverOptimisationAlarm"], "aligntune.rl.overoptimisation"),
    **dict.fromkeys(["load_reward_model", "check_model_dir"], "aligntune.rl.sources"),
    "Availability": "aligntune.rl.backends",
    **dict.fromkeys(["RLTrainerBase", "RLResult"], "aligntune.rl.trainer_base"),
    **dict.fromkeys(["load_prompt_dataset", "format_prompts"], "aligntune.rl.prompts"),
    "check_prompt_count": "aligntune.rl.preflight",
    **dict.fromkeys(["completion_length", "generations", "GROUP_ALGORITHMS", "ONLY_FOR", "PPO_SETTINGS"],
                    "aligntune.rl.algorithms"),
    "cap_max_length": "aligntune.model_dirs",
    "installed_version": "aligntune.versions",
    **dict.fromkeys(["launched_world_size", "is_main_process", "check_parameters_replicated"],
                    "aligntune.distributed"),
    **dict.fromkeys(["check_output_dir", "mark_finished", "run_id_of"], "aligntune.outputs"),
    **dict.fromkeys(["fresh_run_directory", "staged_output", "atomic_file"], "aligntune.atomic"),
    **dict.fromkeys(["BEST_FILE", "STATE_FILE", "read_state", "find_checkpoint", "in_place", "trim_completions",
                     "continue_run"],
                    "aligntune.rl.resume"),
    "to_peft_config": "aligntune.rl.peft_config",
    **dict.fromkeys(["SAME_NAME_AS_ALIGNTUNE", "experimental_ppo", "trl_config_class"], "aligntune.rl.trl_args"),
    **dict.fromkeys(["as_user_turns", "is_loaded_model", "policy_name", "value_model_base"],
                    "aligntune.rl.scale_settings"),
}

__all__ = sorted(_NAMES)

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from aligntune._validation import check_weights, did_you_mean
    from aligntune.atomic import atomic_file, fresh_run_directory, staged_output
    from aligntune.distributed import check_parameters_replicated, is_main_process, launched_world_size
    from aligntune.errors import (
        AlignTuneError,
        BackendError,
        BackendUnavailableError,
        ConfigurationError,
        DataError,
        ModelLoadError,
        PluginError,
        RewardFunctionError,
        RewardSourceError,
        UnknownRewardFunctionError,
        show,
    )
    from aligntune.model_dirs import cap_max_length
    from aligntune.outputs import check_output_dir, mark_finished, run_id_of
    from aligntune.rewards.base import RewardFunction, check_finite, check_texts
    from aligntune.rewards.composite import CompositeReward
    from aligntune.rl.algorithms import GROUP_ALGORITHMS, ONLY_FOR, PPO_SETTINGS, completion_length, generations
    from aligntune.rl.backends import Availability
    from aligntune.rl.overoptimisation import BatchFigures, OverOptimisationAlarm
    from aligntune.rl.preflight import check_prompt_count
    from aligntune.rl.prompts import format_prompts, load_prompt_dataset
    from aligntune.rl.peft_config import to_peft_config
    from aligntune.rl.trl_args import SAME_NAME_AS_ALIGNTUNE, experimental_ppo, trl_config_class
    from aligntune.rl.resume import (
        BEST_FILE,
        STATE_FILE,
        continue_run,
        find_checkpoint,
        in_place,
        read_state,
        trim_completions,
    )
    from aligntune.rl.scale_settings import as_user_turns, is_loaded_model, policy_name, value_model_base
    from aligntune.rl.reward.base import MODEL_COMPONENT, Reward, RewardBatch, weighted_sum
    from aligntune.rl.reward.callables import RewardCallables, ScoredBatch
    from aligntune.rl.reward.local import LocalReward, build_reward
    from aligntune.rl.sources import check_model_dir, load_reward_model
    from aligntune.rl.trainer_base import RLResult, RLTrainerBase
    from aligntune.versions import installed_version


__getattr__, __dir__ = lazy_attributes(__name__, _NAMES, globals())
