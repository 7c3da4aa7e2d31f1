"""Validated configs. Validation runs at construction and names the field at fault.

Nothing here imports torch or loads a model: a config that constructs is one that
can be handed to a trainer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import define, field

from aligntune import _validation as v
from aligntune.errors import ConfigurationError

#: The smallest corpus a reward model may be trained from.
MIN_TRAINING_TEXTS = 10


def _to_list(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def _check_reward_functions(inst: Any, attribute: Any, value: Any) -> None:
    where = f"{type(inst).__name__}.{attribute.name}"
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ConfigurationError(f"{where} must be a list of reward function names or objects, got {value!r}")
    if len(value) == 0:
        raise ConfigurationError(f"{where} is required and must not be empty; e.g. ['length', 'safety']")
    from aligntune.rewards.registry import RewardRegistry

    try:
        RewardRegistry().resolve(value)
    except ConfigurationError as exc:
        raise ConfigurationError(f"{where}: {exc}") from exc


def _where(inst: Any, attribute: Any) -> str:
    return f"{type(inst).__name__}.{attribute.name}"


def _boolean(inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise ConfigurationError(
            f"{_where(inst, attribute)} must be True or False, got {type(value).__name__}: {value!r}"
        )


def _optional_boolean(inst: Any, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise ConfigurationError(
            f"{_where(inst, attribute)} must be True, False or None (None: on with CUDA, off on CPU), "
            f"got {type(value).__name__}: {value!r}"
        )


def _integer(inst: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(f"{_where(inst, attribute)} must be an integer, got {type(value).__name__}: {value!r}")


def _check_weights(inst: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    functions = inst.reward_functions
    v.check_weights(value, len(functions), field=f"{type(inst).__name__}.{attribute.name}")


def _resume_value(inst: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or (isinstance(value, str) and value.strip()):
        return
    raise ConfigurationError(
        f"{_where(inst, attribute)} must be True, False or a checkpoint directory, got {type(value).__name__}: {value!r}"
    )


@define(frozen=True, kw_only=True)
class RewardModelTrainingConfig:
    """Everything needed to train a reward model from rule-based reward functions.

    Required
        ``base_model_name``: hub name or local directory of the base model.
        ``training_texts``: at least 10 texts to score and learn from.
        ``reward_functions``: registry names and/or reward-function objects.
        ``output_dir``: where the trained model directory is written.

    Scoring
        ``reward_weights``: one positive weight per function (normalised to sum to 1;
        default: equal). ``reference_texts`` and ``training_prompts``: optional, one per
        training text (prompts let ``safety``/``helpfulness`` judge the answer in context).

    Pairs
        ``pairs_per_text``: how many preference pairs each text appears in.
        ``min_score_gap``: pairs whose composite scores differ by less are left out.
        ``eval_fraction``: share of texts held out to measure fidelity. ``seed``.

    Training (passed to ``trl.RewardConfig``)
        ``num_epochs``, ``learning_rate``, ``batch_size``, ``gradient_accumulation_steps``,
        ``max_length``, ``gradient_checkpointing`` (``None``: on with CUDA, off on CPU),
        ``report_to``, ``logging_steps``.

    Checkpoints
        ``checkpoint_dir``: keep TRL checkpoints there, every ``save_steps`` optimizer
        steps, so an interrupted run can continue. ``resume_from_checkpoint``: ``True``
        continues from the latest checkpoint in ``checkpoint_dir``; a path continues
        from that checkpoint.

    Output
        ``overwrite``: replace a non-empty ``output_dir``.
    """

    # Required
    base_model_name: str = field(validator=v.non_empty_str)
    training_texts: list[str] = field(
        converter=_to_list, validator=v.string_list(MIN_TRAINING_TEXTS, what="training texts"), repr=False
    )
    reward_functions: list[Any] = field(converter=_to_list, validator=_check_reward_functions)
    output_dir: str = field(converter=lambda p: str(p) if p is not None else p, validator=v.non_empty_str)
    # Scoring
    reward_weights: list[float] | None = field(default=None, converter=_to_list, validator=_check_weights)
    reference_texts: list[str] | None = field(default=None, converter=_to_list, repr=False)
    training_prompts: list[str] | None = field(default=None, converter=_to_list, repr=False)
    # Pairs
    pairs_per_text: int = field(default=4, validator=v.positive_int)
    min_score_gap: float = field(default=0.02, validator=v.non_negative)
    eval_fraction: float = field(default=0.1, validator=v.fraction)
    seed: int = field(default=42, validator=_integer)
    # Training
    num_epochs: int = field(default=3, validator=v.positive)
    learning_rate: float = field(default=1e-5, validator=v.positive)
    batch_size: int = field(default=8, validator=v.positive_int)
    gradient_accumulation_steps: int = field(default=1, validator=v.positive_int)
    max_length: int = field(default=512, validator=v.positive_int)
    gradient_checkpointing: bool | None = field(default=None, validator=_optional_boolean)
    report_to: str | list[str] = field(default="none", validator=v.report_to)
    logging_steps: int = field(default=10, validator=v.positive_int)
    # Checkpoints
    checkpoint_dir: str | None = field(
        default=None, converter=lambda p: str(p) if p is not None else p, validator=v.optional_str
    )
    save_steps: int = field(default=100, validator=v.positive_int)
    resume_from_checkpoint: bool | str = field(default=False, validator=_resume_value)
    # Output
    overwrite: bool = field(default=False, validator=_boolean)

    def __attrs_post_init__(self) -> None:
        v.checkpoint_options(
            self.checkpoint_dir, self.output_dir, self.resume_from_checkpoint, owner="RewardModelTrainingConfig."
        )
        for name in ("reference_texts", "training_prompts"):
            values = getattr(self, name)
            if values is None:
                continue
            if not isinstance(values, list) or len(values) != len(self.training_texts):
                n = len(values) if isinstance(values, list) else repr(values)
                raise ConfigurationError(
                    f"RewardModelTrainingConfig.{name} must be a list with one entry per training text: "
                    f"got {n} for {len(self.training_texts)} texts"
                )
            for i, value in enumerate(values):
                if value is not None and not isinstance(value, str):
                    raise ConfigurationError(
                        f"RewardModelTrainingConfig.{name}[{i}] must be a string, got {type(value).__name__}: {value!r}"
                    )


SOURCE_FIELDS: dict[str, str] = {
    "custom_trained": "training_config",
    "pretrained_hf": "model_name",
    "pretrained_local": "model_path",
}


@define(frozen=True, kw_only=True)
class RewardModelSourceConfig:
    """Where the PPO reward model comes from: exactly one source.

    ``source_type`` is ``custom_trained`` (with ``training_config``), ``pretrained_hf``
    (with ``model_name``), ``pretrained_local`` (with ``model_path``), or a type
    registered by a plugin (with whichever of the three fields it documents, and
    ``options`` for anything else).
    """

    source_type: str = field(validator=v.non_empty_str)
    training_config: RewardModelTrainingConfig | None = field(default=None)
    model_name: str | None = field(default=None, validator=v.optional_str)
    model_path: str | None = field(
        default=None, converter=lambda p: str(p) if p is not None else p, validator=v.optional_str
    )
    options: dict[str, Any] = field(factory=dict)

    def __attrs_post_init__(self) -> None:
        given = [name for name in ("training_config", "model_name", "model_path") if getattr(self, name) is not None]
        if len(given) != 1:
            what = "none" if not given else " and ".join(given)
            raise ConfigurationError(
                f"RewardModelSourceConfig needs exactly one source, got {what}. "
                "Pass training_config= (custom_trained), model_name= (pretrained_hf) "
                "or model_path= (pretrained_local)"
            )
        expected = SOURCE_FIELDS.get(self.source_type)
        if expected is not None and given[0] != expected:
            raise ConfigurationError(
                f"RewardModelSourceConfig(source_type={self.source_type!r}) takes {expected}=, got {given[0]}="
            )
        if self.training_config is not None and not isinstance(self.training_config, RewardModelTrainingConfig):
            raise ConfigurationError(
                "RewardModelSourceConfig.training_config must be a RewardModelTrainingConfig, "
                f"got {type(self.training_config).__name__}"
            )
        if expected is None:
            from aligntune.plugins import get_plugin_manager

            from aligntune.core.sources import failed_plugins_note

            pm = get_plugin_manager()
            known = pm.registrations("reward_model_sources")
            if self.source_type not in known:
                raise ConfigurationError(
                    f"RewardModelSourceConfig.source_type {self.source_type!r} is not a known source."
                    f"{v.did_you_mean(self.source_type, known)} Available: {', '.join(sorted(known))}."
                    f"{failed_plugins_note(pm)}"
                )

from aligntune.core.rl.ppo_config import PPOTrainingConfig  # noqa: E402  (re-export; defined in its own module)
