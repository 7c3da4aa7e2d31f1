"""``create_rl_trainer``: keyword arguments -> one validated RL config -> a backend's trainer, everything
checked before any model, tokenizer or weight loads (:func:`validate_rl_config`).

Reward arguments map to at most one reward-model source (``reward_functions`` and ``reward_model_weight`` are the
config's; :class:`~aligntune.rl.config.RLTrainingConfig` says how they combine with it):

* ``train_custom_reward_model=True`` with ``reward_training_texts`` and ``reward_functions`` (+
  ``reward_function_weights``, ``reward_training_*``): ``custom_trained``, a reward model trained from the
  functions first, which is then the RL reward;
* ``reward_model_name=``: ``pretrained_hf``; ``reward_model_path=``: ``pretrained_local`` (a loaded model, with
  ``reward_tokenizer=``: ``in_memory``); ``reward_model_url=`` (+ ``remote_reward_options``): ``remote``, the whole
  reward scored by ``aligntune serve-reward`` (:mod:`aligntune.serve.source`);
  ``reward_source=RewardModelSourceConfig(...)``: any source, including a plugin's.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import attrs

from aligntune import model_dirs
from aligntune._validation import did_you_mean
from aligntune.defaults import default_reward_base
from aligntune.errors import BackendError, BackendUnavailableError, ConfigurationError, DataError, show
from aligntune.outputs import check_nested_output, check_output_dir, resolve_path
from aligntune.reward_model import config as rm_config
from aligntune.rl import preflight, resume, scale_settings
from aligntune.rl.backends import get_backend, require_available
from aligntune.rl.config import RewardModelSourceConfig, RLTrainingConfig
from aligntune.rl.prompts import load_prompt_dataset
from aligntune.rl.sources import check_source

logger = logging.getLogger(__name__)

#: Reward-model training arguments -> RewardModelTrainingConfig fields (derived from the config's
#: field metadata, the one definition of each setting).
REWARD_TRAINING_ARGS: dict[str, str] = rm_config.rl_keywords()

#: Arguments that describe the reward and are not RLTrainingConfig fields.
REWARD_ARGS: tuple[str, ...] = (
    "train_custom_reward_model",
    "reward_model_name",
    "reward_model_path",
    "reward_model_url",
    "remote_reward_options",
    "reward_tokenizer",
    "reward_source",
    *REWARD_TRAINING_ARGS,
)


def valid_arguments() -> list[str]:
    """Every keyword :func:`create_rl_trainer` accepts."""
    return sorted({*(f.name for f in attrs.fields(RLTrainingConfig) if f.name != "reward_source"), *REWARD_ARGS})


def build_rl_config(**kwargs: Any) -> Any:
    """Validate ``create_rl_trainer`` keywords into a :class:`RLTrainingConfig` (loads nothing)."""
    valid = valid_arguments()
    for key in kwargs:
        if key not in valid:
            raise ConfigurationError(
                f"create_rl_trainer() got an unknown argument {show(key)}.{did_you_mean(key, valid)} "
                f"Valid arguments: {', '.join(valid)}"
            )
    if "model_name" not in kwargs:
        raise ConfigurationError("create_rl_trainer() needs model_name= (a hub name or a local policy directory)")
    reward = {k: kwargs.pop(k) for k in list(kwargs) if k in REWARD_ARGS}
    train = bool(reward.pop("train_custom_reward_model", False))
    kwargs["reward_source"] = _reward_source(train, reward, kwargs)
    return RLTrainingConfig(**kwargs)


def _reward_source(train: bool, reward: dict[str, Any], kwargs: dict[str, Any]) -> Any:
    training = {k: reward.pop(k) for k in list(reward) if k in REWARD_TRAINING_ARGS}
    given = [k for k in ("reward_model_name", "reward_model_path", "reward_model_url", "reward_source")
             if reward.get(k) is not None]
    remote_options = reward.pop("remote_reward_options", None)
    reward_tokenizer = reward.pop("reward_tokenizer", None)
    if reward_tokenizer is not None and isinstance(reward.get("reward_model_path"), (str, os.PathLike, type(None))):
        raise ConfigurationError("reward_tokenizer= goes with reward_model_path= a loaded reward model (a sequence "
                                 "classifier with one output); a reward model directory carries its own tokenizer")
    if remote_options is not None and reward.get("reward_model_url") is None:
        raise ConfigurationError("remote_reward_options only apply with reward_model_url=; pass the server's URL too")
    if train:
        if given:
            raise ConfigurationError(
                f"Exactly one reward source is allowed: train_custom_reward_model=True trains one, but "
                f"{' and '.join(given)} was also given. Drop one of them"
            )
        if kwargs.get("reward_model_weight") is not None:
            raise ConfigurationError(
                "reward_model_weight mixes a pretrained reward model with reward_functions; with "
                "train_custom_reward_model=True the reward_functions train the reward model instead"
            )
        return RewardModelSourceConfig(source_type="custom_trained", training_config=_training_config(training, kwargs))
    if training:
        raise ConfigurationError(
            f"{', '.join(sorted(training))} only apply with train_custom_reward_model=True; "
            "pass train_custom_reward_model=True to train a reward model, or drop them"
        )
    if len(given) > 1:
        raise ConfigurationError(
            f"Exactly one reward source is allowed, got {' and '.join(given)}; drop all but one"
        )
    if not given:
        return None
    key = given[0]
    if key == "reward_source":  # RLTrainingConfig checks that it is a RewardModelSourceConfig
        return reward[key]
    if key == "reward_model_name":
        return RewardModelSourceConfig(source_type="pretrained_hf", model_name=reward[key])
    if key == "reward_model_url":  # the whole reward scored by aligntune serve-reward (aligntune.serve.source)
        if remote_options is not None and not isinstance(remote_options, dict):
            raise ConfigurationError(f"remote_reward_options must be a mapping of RemoteSettings fields "
                                     f"(timeout_s, retries, token_env, ...), got {show(remote_options)}")
        return RewardModelSourceConfig(source_type="remote", url=reward[key], options=dict(remote_options or {}))
    if not isinstance(reward[key], (str, os.PathLike)):  # a loaded reward model (aligntune.rl.builtin_sources)
        return RewardModelSourceConfig(source_type="in_memory", model=reward[key], options={"tokenizer": reward_tokenizer})
    return RewardModelSourceConfig(source_type="pretrained_local", model_path=reward[key])


def _training_config(training: dict[str, Any], kwargs: dict[str, Any]) -> Any:
    if "reward_training_texts" not in training:
        raise ConfigurationError(
            "train_custom_reward_model=True needs reward_training_texts= (at least 10 texts to score and learn from)"
        )
    functions = kwargs.pop("reward_functions", None)
    weights = kwargs.pop("reward_function_weights", None)
    if functions is None:
        raise ConfigurationError(
            "train_custom_reward_model=True needs reward_functions= (e.g. ['length', 'safety']) to score "
            "the training texts"
        )
    fields = {REWARD_TRAINING_ARGS[k]: val for k, val in training.items()}
    if "base_model_name" not in fields:
        fields["base_model_name"] = str(default_reward_base())
    if "output_dir" not in fields:
        # inside the run's output directory: replaced with the run when overwrite=True replaces it
        fields["output_dir"] = os.path.join(str(kwargs.get("output_dir", "./aligntune_ppo")), "reward_model")
        fields.setdefault("overwrite", kwargs.get("overwrite", False))
    if "seed" in kwargs:
        fields["seed"] = kwargs["seed"]
    with rm_config.spelled_as("rl"):  # errors name reward_training_texts, not RewardModelTrainingConfig.training_texts
        return rm_config.RewardModelTrainingConfig(reward_functions=functions, reward_weights=weights, **fields)


def resolve_backend(config: Any) -> Any:
    """The backend for ``config``: installed, supporting the algorithm, able to run here."""
    backend = get_backend(config.backend)
    if config.algorithm not in backend.algorithms:
        raise BackendError(
            f"RL backend {show(backend.name)} does not support algorithm {show(config.algorithm)}; "
            f"it supports: {', '.join(backend.algorithms)}"
        )
    require_available(backend)
    check = getattr(backend, "check_algorithm", None)  # optional: an algorithm may need more than the backend
    if callable(check):
        status = check(config.algorithm)
        if not status.available:
            raise BackendUnavailableError(
                f"RL backend {show(backend.name)} cannot run {config.algorithm!r} here: {status.reason}"
            )
    return backend


def validate_rl_config(config: Any) -> None:
    """The checks that touch the file system (no model loads): outputs, sources, policy, prompts, eval prompts,
    then the pre-flight checks of :mod:`aligntune.rl.preflight`."""
    point = scale_settings.validate(config)  # peft installed and its keys; the checkpoint to resume from
    if resume.in_place(point, config.output_dir):  # continue the run in its own directory
        resume.check_resume_output(config.output_dir, config.input_paths())
    else:
        check_output_dir(
            config.output_dir, overwrite=config.overwrite, inputs=[*config.input_paths(), point],
            fix="pass overwrite=True (aligntune ppo --overwrite) to replace a previous run",
        )
    check_run_files(config)
    if config.reward_source is not None:
        check_source(config.reward_source)
    # a local policy directory holds a valid config, safetensors weights and a tokenizer; a hub name is reachable
    if isinstance(config.model_name, str):  # a loaded model object was checked by scale_settings
        model_dirs.check_reference(config.model_name, field="model_name")
    if config.value_model_name is not None:
        model_dirs.check_reference(config.value_model_name, field="value_model_name")
    prompts = load_prompt_dataset(
        config.dataset_name,
        split=config.dataset_split,
        prompt_column=config.prompt_column,
        max_samples=config.max_samples,
    )
    preflight.check_prompt_count(config, len(prompts), origin=prompts.origin)
    preflight.check_policy(config)
    preflight.check_chat_template(config, prompts)
    scale_settings.check_given_template(config, prompts.dataset[0][prompts.column])
    if config.eval_steps and config.eval_dataset_name is not None:
        try:
            eval_prompts = load_prompt_dataset(config.eval_dataset_name, split=config.dataset_split,
                                               prompt_column=config.prompt_column, max_samples=config.eval_prompts)
        except DataError as exc:  # the same reader as dataset_name's: say which argument named the file
            raise DataError(f"eval_dataset_name={show(config.eval_dataset_name)}: {exc}") from None
        preflight.check_chat_template(config, eval_prompts, field="eval_dataset_name")
    preflight.check_gold(config)


def check_run_files(config: Any) -> None:
    """How the run's files relate: a reward model trained for the run has a directory of its own (inside
    ``output_dir`` is the run's own; the directory itself, one above it or the policy's is refused), and
    the held-out prompts are not the training prompts."""
    tc = config.reward_source.training_config if config.reward_source is not None else None
    if tc is not None:
        check_nested_output(tc.output_dir, config.output_dir, child_what="reward_training_output_dir",
                            parent_what="output_dir", reserved={"policy": os.path.join(config.output_dir, "policy")})
        check_output_dir(tc.output_dir, overwrite=tc.overwrite, what="reward_training_output_dir",
                         inputs=[*config.input_paths(), tc.checkpoint_dir if tc.resume_from_checkpoint else None],
                         fix="pass reward_training_overwrite=True to replace it")
    held, train = config.eval_dataset_name, config.dataset_name
    if config.eval_steps and isinstance(held, str) and isinstance(train, str):
        same = held == train
        if not same and os.path.exists(os.path.expanduser(held)) and os.path.exists(os.path.expanduser(train)):
            same = resolve_path(held, what="eval_dataset_name") == resolve_path(train, what="dataset_name")
        if same:
            raise ConfigurationError(
                f"eval_dataset_name={show(held)} is also dataset_name: the held-out prompts would be trained on, "
                "so the evaluation would not be held-out. Give a separate file, or leave eval_dataset_name unset "
                "to hold out eval_prompts of dataset_name"
            )


def create_rl_trainer(**kwargs: Any) -> Any:
    """Build an RL trainer from the guide's keyword arguments.

    Returns the backend's trainer: ``.train()`` (trains the reward model first when
    ``train_custom_reward_model=True``, then runs the algorithm) and ``.save_model(output_dir=None)``
    (returns the path of a ``save_pretrained`` policy directory with its tokenizer).
    All validation happens here, before any model loads. See :func:`valid_arguments`
    for the accepted keywords and
    :class:`aligntune.rl.config.RLTrainingConfig` for their meaning.
    """
    config = build_rl_config(**kwargs)
    backend = resolve_backend(config)
    validate_rl_config(config)
    logger.info("%s with backend %r; reward: %s", config.algorithm.upper(), backend.name, config.describe_reward())
    return backend.create_trainer(config)
