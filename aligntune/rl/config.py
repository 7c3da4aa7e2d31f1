"""The RL configs: where the reward model comes from (:class:`RewardModelSourceConfig`: exactly one source) and
the RL run (:class:`RLTrainingConfig`: PPO, GRPO or RLOO; ``PPOTrainingConfig`` is its former name, kept as an alias
for one release). Validation runs at construction and never loads a model.
"""

from __future__ import annotations

import os
from typing import Any

from attrs import define, field

from aligntune import _validation as v
from aligntune.errors import ConfigurationError, show
from aligntune.plugins.lookup import lookup
from aligntune.reward_model.config import RewardModelTrainingConfig
from aligntune.rewards.registry import check_reward_functions
from aligntune.rl import scale_settings
from aligntune.rl.algorithms import ALGORITHMS, LOSS_TYPES, check_algorithm_options


def _to_list(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


def _path_or_str(value: Any) -> Any:
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


def _check_dataset(inst: Any, attribute: Any, value: Any) -> None:
    if value is None or isinstance(value, str) and value.strip():
        return
    if hasattr(value, "column_names") and hasattr(value, "__len__"):
        return  # a datasets.Dataset (checked without importing datasets)
    raise ConfigurationError(
        f"RLTrainingConfig.dataset_name must be a hub name, a path (file or saved dataset directory) "
        f"or a datasets.Dataset, got {type(value).__name__}: {show(value)}"
    )


def _check_rule_functions(inst: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        check_reward_functions(f"{type(inst).__name__}.{attribute.name}", value)


def _weights_of(functions: str) -> Any:
    """A validator of the weights of the reward functions in field ``functions``: one number each."""

    def check(inst: Any, attribute: Any, value: Any) -> None:
        where = f"RLTrainingConfig.{attribute.name}"
        if value is None:
            return
        if getattr(inst, functions) is None:
            raise ConfigurationError(f"{where} was given without {functions}; pass the functions they weigh")
        v.check_weights(value, len(getattr(inst, functions)), field=where)

    return check


def _check_model(inst: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, str) or value is None:
        v.non_empty_str(inst, attribute, value)  # a loaded model object is checked by scale_settings


def _check_options(inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ConfigurationError(
            f"RLTrainingConfig.{attribute.name} must be a dict with string keys, got {type(value).__name__}: {show(value)}"
        )

SOURCE_FIELDS: dict[str, str] = {
    "custom_trained": "training_config",
    "pretrained_hf": "model_name",
    "pretrained_local": "model_path",
    "remote": "url",
    "in_memory": "model",
}


@define(frozen=True, kw_only=True)
class RewardModelSourceConfig:
    """Where the RL reward model comes from: exactly one source.

    ``source_type`` is ``custom_trained`` (with ``training_config``), ``pretrained_hf``
    (with ``model_name``), ``pretrained_local`` (with ``model_path``), ``remote`` (with
    ``url``: the whole reward scored by ``aligntune serve-reward``, see
    :mod:`aligntune.serve.source`), or a type registered by a plugin (with whichever of
    these fields it documents, and ``options`` for anything else).
    """

    source_type: str = field(validator=v.non_empty_str)
    training_config: RewardModelTrainingConfig | None = field(default=None)
    model_name: str | None = field(default=None, validator=v.optional_str)
    model_path: str | None = field(default=None, converter=_path_or_str, validator=v.optional_str)
    url: str | None = field(default=None, validator=v.optional_str)
    model: Any = field(default=None)  # a loaded reward model (source_type="in_memory")
    options: dict[str, Any] = field(factory=dict)

    def __attrs_post_init__(self) -> None:
        given = [name for name in SOURCE_FIELDS.values() if getattr(self, name) is not None]
        if len(given) != 1:
            what = "none" if not given else " and ".join(given)
            ways = ", ".join(f"{name}= ({source})" for source, name in SOURCE_FIELDS.items())
            raise ConfigurationError(f"RewardModelSourceConfig needs exactly one source, got {what}. Pass one of {ways}")
        expected = SOURCE_FIELDS.get(self.source_type)
        if expected is not None and given[0] != expected:
            raise ConfigurationError(
                f"RewardModelSourceConfig(source_type={show(self.source_type)}) takes {expected}=, got {given[0]}="
            )
        if self.training_config is not None and not isinstance(self.training_config, RewardModelTrainingConfig):
            raise ConfigurationError(
                "RewardModelSourceConfig.training_config must be a RewardModelTrainingConfig, "
                f"got {type(self.training_config).__name__}"
            )
        if expected is None:
            lead = f"RewardModelSourceConfig.source_type {show(self.source_type)} is not a known source."
            lookup("reward_model_sources", self.source_type, lead=lead)


@define(frozen=True, kw_only=True)
class RLTrainingConfig:
    """Everything a backend needs to run PPO, GRPO or RLOO. Validated at construction.

    Models
        ``model_name``: hub name or local directory of the policy (a causal LM).
        ``value_model_name``: the value model's base (default: the policy, with a fresh
        value head). ``algorithm`` (``"ppo"``, ``"grpo"`` or ``"rloo"``) and ``backend`` (``"trl"``, ``"unsloth"``
        or a plugin's backend).

    Prompts
        ``dataset_name``: hub name, ``datasets`` directory, JSON/JSONL/CSV/Parquet file or
        a ``datasets.Dataset`` (default: the prompts bundled with aligntune).
        ``dataset_split`` (``"train"``), ``prompt_column`` (default: detected),
        ``max_samples``, ``max_prompt_length``: every prompt (the held-out ones too) longer than
        this many tokens is cut from the left; PPO also left-pads them to one width.

    Reward (exactly one source)
        ``reward_source`` (a reward model: a :class:`RewardModelSourceConfig`) or ``reward_functions`` (rules, with
        optional ``reward_function_weights``, scored on the decoded responses); ``reward_batch_size`` for scoring.
        Giving both is refused as ambiguous unless ``reward_model_weight`` is given too: that opts into one mixed
        reward, ``reward_model_weight * model + sum(w_i * rule_i)``, all weights normalised to sum to 1.

    PPO
        ``num_epochs`` (passes over the prompts), ``total_episodes`` (overrides it), ``batch_size`` (prompts per
        device per rollout), ``gradient_accumulation_steps``, ``learning_rate``, ``temperature``, ``stop_at_eos``,
        ``seed``, ``logging_steps``, ``report_to``, ``bf16``; ``response_length`` (new tokens per response) and the
        other settings of TRL's ``PPOConfig`` under their names there (:data:`~aligntune.rl.algorithms.PPO_SETTINGS`);
        ``backend_options``: settings only one backend understands (e.g. Unsloth's LoRA rank), checked by it.

    GRPO and RLOO (see :mod:`aligntune.rl.algorithms`; refused with PPO)
        ``num_generations`` (completions per prompt, default 4; ``batch_size`` counts
        prompts), ``beta`` (KL coefficient), ``max_completion_length`` (default:
        ``response_length``); GRPO's ``loss_type`` and ``scale_rewards``; RLOO's
        ``normalize_advantages``. ``temperature`` and ``learning_rate`` as for PPO.

    Gold against proxy (:mod:`aligntune.rl.overoptimisation`)
        ``gold_reward_functions`` / ``gold_reward_weights``: the rules the RL reward
        stands for (default: a trained reward model's manifest, or the rule reward itself).
        ``eval_steps``: every so many steps, generate on ``eval_prompts`` held-out prompts
        (``eval_dataset_name``, or that many prompts split off the prompt set) with fixed
        sampling and score gold and proxy. ``keep_best`` (``"gold"``, the default when a
        gold and evaluations exist, or ``"last"``): which policy ``save_model`` saves; under
        ``"gold"`` a tie goes to the later step, and ``"gold"`` without a gold is refused.
        ``stop_on_overoptimization``: end training when the held-out proxy rises while the
        gold falls ``overoptimization_patience`` evaluations in a row.
        ``log_completions_steps``: every so many steps, append sampled prompts and responses
        with their proxy, gold and component scores to ``completions.jsonl``.

    Output
        ``output_dir`` (``metrics.json``, the reward curve and, by default, the saved
        policy and a reward model trained for the run). ``overwrite``: replace a previous
        run's outputs there; only a directory aligntune wrote can be replaced (see
        :mod:`aligntune.outputs`).

    TRL, LoRA, checkpoints, loaded objects (:mod:`aligntune.rl.scale_settings`)
        ``trl_args``: any other field of the installed trl's config (``max_steps``,
        ``save_steps``, ``use_vllm``, ...), or ``args``: a TRL config built beforehand.
        ``peft_config``: a ``peft.LoraConfig`` or a dict of its arguments. ``resume_from_checkpoint``:
        ``True`` or a ``checkpoint-N`` path (GRPO and RLOO). ``model_name`` may be a loaded
        model, given with its ``tokenizer``; ``chat_template``: a Jinja template that renders
        plain-text prompts as a user turn.
    """

    # Models
    model_name: Any = field(converter=_path_or_str, validator=_check_model)  # a loaded model too (scale_settings)
    value_model_name: str | None = field(default=None, converter=_path_or_str, validator=v.optional_str)
    algorithm: str = field(default="ppo", validator=v.one_of(ALGORITHMS))
    backend: str = field(default="trl", validator=v.non_empty_str)
    # Prompts
    dataset_name: Any = field(default=None, converter=_path_or_str, validator=_check_dataset)
    dataset_split: str = field(default="train", validator=v.non_empty_str)
    prompt_column: str | None = field(default=None, validator=v.optional_str)
    max_samples: int | None = field(default=None, validator=v.optional(v.positive_int))
    max_prompt_length: int = field(default=64, validator=v.positive_int)
    # Reward
    reward_source: RewardModelSourceConfig | None = field(default=None)
    reward_functions: list[Any] | None = field(default=None, converter=_to_list, validator=_check_rule_functions)
    reward_function_weights: list[float] | None = field(
        default=None, converter=_to_list, validator=_weights_of("reward_functions")
    )
    reward_model_weight: float | None = field(default=None, validator=v.optional(v.positive))
    reward_batch_size: int = field(default=32, validator=v.positive_int)
    # GRPO and RLOO (None: not given; refused with other algorithms)
    num_generations: int | None = field(default=None, validator=v.optional(v.positive_int))
    beta: float | None = field(default=None, validator=v.optional(v.non_negative))
    max_completion_length: int | None = field(default=None, validator=v.optional(v.positive_int))
    loss_type: str | None = field(default=None, validator=v.optional(v.one_of(LOSS_TYPES)))
    scale_rewards: str | bool | None = field(default=None)
    normalize_advantages: bool | None = field(default=None, validator=v.optional(v.boolean))
    # PPO
    num_epochs: float = field(default=1, validator=v.epochs)
    total_episodes: int | None = field(
        default=None,
        validator=v.optional(v.at_most(v.positive_int, 10**9, "a run of more episodes would not end")),
    )
    batch_size: int = field(default=4, validator=v.positive_int)
    gradient_accumulation_steps: int = field(default=1, validator=v.positive_int)
    num_mini_batches: int = field(default=1, validator=v.positive_int)
    num_ppo_epochs: int = field(default=4, validator=v.positive_int)
    learning_rate: float = field(default=3e-6, validator=v.learning_rate)
    response_length: int = field(default=48, validator=v.positive_int)
    temperature: float = field(default=0.7, validator=v.positive)
    kl_coef: float = field(default=0.05, validator=v.non_negative)
    kl_estimator: str = field(default="k1", validator=v.one_of(("k1", "k3")))
    cliprange: float = field(default=0.2, validator=v.positive)
    vf_coef: float = field(default=0.1, validator=v.positive)
    cliprange_value: float = field(default=0.2, validator=v.positive)
    gamma: float = field(default=1.0, validator=v.positive)
    lam: float = field(default=0.95, validator=v.positive)
    whiten_rewards: bool = field(default=False, validator=v.boolean)
    missing_eos_penalty: float | None = field(default=None, validator=v.optional(v.non_negative))
    stop_at_eos: bool = field(default=True, validator=v.boolean)
    seed: int = field(default=42, validator=v.seed)
    logging_steps: int = field(default=1, validator=v.positive_int)
    report_to: str | list[str] = field(default="none", converter=_to_list, validator=v.report_to)
    bf16: bool = field(default=False, validator=v.boolean)
    backend_options: dict[str, Any] = field(factory=dict, validator=_check_options)
    # Gold against proxy (see aligntune.rl.overoptimisation)
    gold_reward_functions: list[Any] | None = field(default=None, converter=_to_list, validator=_check_rule_functions)
    gold_reward_weights: list[float] | None = field(default=None, converter=_to_list,
                                                    validator=_weights_of("gold_reward_functions"))
    eval_steps: int | None = field(default=None, validator=v.optional(v.positive_int))
    eval_dataset_name: Any = field(default=None, converter=_path_or_str, validator=_check_dataset)
    eval_prompts: int = field(default=16, validator=v.positive_int)
    keep_best: str | None = field(default=None, validator=v.optional(v.one_of(("gold", "last"))))
    stop_on_overoptimization: bool = field(default=False, validator=v.boolean)
    overoptimization_patience: int = field(default=2, validator=v.positive_int)
    log_completions_steps: int | None = field(default=None, validator=v.optional(v.positive_int))
    # Output
    output_dir: str = field(default="./aligntune_ppo", converter=_path_or_str, validator=v.non_empty_str)
    overwrite: bool = field(default=False, validator=v.boolean)
    # What a TRL user brings (see aligntune.rl.scale_settings)
    trl_args: dict[str, Any] = field(factory=dict)
    args: Any = field(default=None)
    peft_config: Any = field(default=None)
    resume_from_checkpoint: Any = field(default=None, converter=_path_or_str)
    tokenizer: Any = field(default=None)
    chat_template: str | None = field(default=None, validator=v.optional_str)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "trl_args", scale_settings.check_config(self))  # checked, values typed
        self._check_reward_source()
        check_algorithm_options(self)
        if self.eval_steps is None:
            for name, needs in (("stop_on_overoptimization", self.stop_on_overoptimization),
                                ("keep_best='gold'", self.keep_best == "gold"),
                                ("eval_dataset_name", self.eval_dataset_name is not None)):
                if needs:
                    raise ConfigurationError(
                        f"RLTrainingConfig.{name} works on held-out evaluations; pass eval_steps= (evaluate every "
                        "so many steps) as well"
                    )
        local = self.batch_size * self.gradient_accumulation_steps
        if local % self.num_mini_batches:
            raise ConfigurationError(
                f"RLTrainingConfig.num_mini_batches must divide batch_size * gradient_accumulation_steps "
                f"({self.batch_size} * {self.gradient_accumulation_steps} = {local}), got {self.num_mini_batches}"
            )
        if self.whiten_rewards and local // self.num_mini_batches < 8:
            raise ConfigurationError(
                "RLTrainingConfig.whiten_rewards needs at least 8 responses per mini-batch, got "
                f"{local // self.num_mini_batches}; raise batch_size or turn whiten_rewards off"
            )

    def _check_reward_source(self) -> None:
        has_model = self.reward_source is not None
        has_rules = self.reward_functions is not None
        if has_model and not isinstance(self.reward_source, RewardModelSourceConfig):
            raise ConfigurationError(
                "RLTrainingConfig.reward_source must be a RewardModelSourceConfig, "
                f"got {type(self.reward_source).__name__}: {show(self.reward_source)}"
            )
        if not has_model and not has_rules:
            raise ConfigurationError(
                "RLTrainingConfig needs exactly one reward source, got none. Pass reward_source="
                "RewardModelSourceConfig(...) (a trained, hub or local reward model) or "
                "reward_functions=[...] (rule-based rewards)"
            )
        remote = has_model and self.reward_source.source_type == "remote"
        for name, given in (("reward_functions", has_rules and self._rule_names()),
                            ("gold_reward_functions", self.gold_reward_functions)):
            if remote and given:
                raise ConfigurationError(
                    f"A remote reward ({self.reward_source.url}) is the whole reward, its gold included, so {name} "
                    f"{given} would not be used; serve them with it (aligntune serve-reward --{name.replace('_', '-')}"
                    " NAME ...) and drop them here"
                )
        if has_model and has_rules and self.reward_model_weight is None:
            raise ConfigurationError(
                "RLTrainingConfig needs exactly one reward source, got two: reward_source "
                f"({self.reward_source.source_type}) and reward_functions {self._rule_names()}. "
                "Drop one, or pass reward_model_weight= to mix them on purpose"
            )
        if self.reward_model_weight is not None and not (has_model and has_rules):
            raise ConfigurationError(
                f"RLTrainingConfig.reward_model_weight={show(self.reward_model_weight)} weighs a reward model "
                "against reward_functions; it needs both reward_source and reward_functions"
            )

    def _rule_names(self) -> list[str]:
        return [f if isinstance(f, str) else getattr(f, "name", repr(f)) for f in self.reward_functions or []]

    @property
    def reward_kind(self) -> str:
        """``"model"``, ``"rules"`` or ``"mixed"``."""
        if self.reward_source is not None and self.reward_functions is not None:
            return "mixed"
        return "model" if self.reward_source is not None else "rules"

    def input_paths(self) -> list[str]:
        """The local files and directories this run reads (an output may neither be nor contain one)."""
        candidates: list[Any] = [self.model_name, self.value_model_name, self.dataset_name, self.eval_dataset_name]
        src = self.reward_source
        if src is not None:
            candidates += [src.model_path, src.model_name]
            tc = src.training_config
            if tc is not None:
                candidates.append(tc.base_model_name)
                if tc.resume_from_checkpoint:  # the checkpoints the reward model resumes from
                    candidates.append(tc.checkpoint_dir if tc.resume_from_checkpoint is True else tc.resume_from_checkpoint)
        return [os.path.expanduser(c) for c in candidates if isinstance(c, str) and os.path.exists(os.path.expanduser(c))]

    def describe_reward(self) -> str:
        """A one-line description of the reward source (for logs and reports)."""
        parts = []
        if self.reward_source is not None:
            src = self.reward_source
            where = src.model_name or src.model_path or src.url or (src.training_config and src.training_config.output_dir) \
                or (src.model is not None and f"a loaded {type(src.model).__name__}")
            parts.append(f"reward model ({src.source_type}: {where})")
        if self.reward_functions is not None:
            parts.append(f"reward functions {self._rule_names()}")
        return " + ".join(parts)


#: Former name (one release; see CHANGELOG.md): the config runs GRPO and RLOO too.
PPOTrainingConfig = RLTrainingConfig
