"""``RewardModelTrainer``: rule-based reward functions in, a trained reward model out.

>>> trainer = RewardModelTrainer(
...     base_model_name=default_reward_base(),          # or a hub name / local directory
...     reward_functions=["length", "sentiment", "safety"],
...     composite_weights=[0.3, 0.4, 0.3],
... )                                                    # doctest: +SKIP
>>> data = trainer.generate_training_data(texts=my_texts, batch_size=32)   # doctest: +SKIP
>>> path = trainer.train_reward_model(data, output_dir="./reward_models/custom")  # doctest: +SKIP
>>> path.fidelity.spearman                                                  # doctest: +SKIP
0.96

Every argument is validated when it is given, before any model or tokenizer
loads; the checks are the ones :class:`RewardModelTrainingConfig` runs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Callable

from aligntune import _validation as v
from aligntune.core.rl.config import RewardModelTrainingConfig, _boolean, _optional_boolean
from aligntune.errors import ConfigurationError
from aligntune.reward_model import loading
from aligntune.rewards.base import RewardFunction
from aligntune.rewards.composite import CompositeReward
from aligntune.rewards.training import data as _data
from aligntune.rewards.training.fidelity import FidelityReport

if TYPE_CHECKING:
    from datasets import Dataset, IterableDataset

logger = logging.getLogger(__name__)


class TrainedRewardModel(str):
    """The path of a trained reward model (a ``str``), carrying its ``fidelity`` and ``manifest``."""

    fidelity: FidelityReport
    manifest: dict[str, Any]

    def __new__(
        cls, path: str, *, fidelity: FidelityReport | None = None, manifest: dict[str, Any] | None = None
    ) -> TrainedRewardModel:
        obj = super().__new__(cls, path)
        obj.fidelity = fidelity  # type: ignore[assignment]
        obj.manifest = manifest or {}
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle keep the attributes
        return (self.__class__, (str(self),), dict(self.__dict__))


def validate(owner: str, values: dict[str, Any], rules: dict[str, Callable[..., None]]) -> None:
    """Run the config validators on plain arguments; messages read ``owner.field must be ...``."""
    inst = type(owner, (), {})()
    for name, rule in rules.items():
        rule(inst, _Field(name), values[name])


class _Field:
    def __init__(self, name: str) -> None:
        self.name = name


_OPTION_RULES: dict[str, Callable[..., None]] = {
    "pairs_per_text": v.positive_int,
    "min_score_gap": v.non_negative,
    "eval_fraction": v.fraction,
}
_TRAIN_RULES: dict[str, Callable[..., None]] = {
    "num_epochs": v.positive,
    "learning_rate": v.positive,
    "batch_size": v.positive_int,
    "gradient_accumulation_steps": v.positive_int,
    "max_length": v.positive_int,
    "logging_steps": v.positive_int,
}


def check_base_model_name(value: Any, *, owner: str = "RewardModelTrainer") -> str:
    """Cheap checks on a base model: a non-empty name; a local path must exist and hold a model."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(
            f"{owner}.base_model_name is required: a Hugging Face Hub name or a local model directory, got {value!r}"
        )
    return value


class RewardModelTrainer:
    """Train a reward model that reproduces a weighted composite of reward functions.

    ``base_model_name``: a hub name or a local directory (see
    :func:`aligntune.defaults.default_reward_base` for the bundled MiniLM).
    ``reward_functions``: registry names and/or reward-function objects, mixed.
    ``composite_weights``: one positive weight per function (normalised to sum to 1;
    default: equal).

    Pair sampling: ``pairs_per_text``, ``min_score_gap`` and ``seed`` (see
    :mod:`aligntune.rewards.training.pairs`). ``eval_fraction`` of the texts are held
    out to measure fidelity. ``use_prompts`` (default: when the data has a ``prompt``
    column) encodes each text after its prompt. ``allow_pickle`` and
    ``trust_remote_code`` are passed to the loader and are never turned on implicitly.
    """

    def __init__(
        self,
        base_model_name: str | os.PathLike[str],
        reward_functions: Sequence[str | RewardFunction | Callable[..., Any]],
        composite_weights: Sequence[float] | None = None,
        *,
        pairs_per_text: int = 4,
        min_score_gap: float = 0.02,
        eval_fraction: float = 0.1,
        seed: int = 42,
        use_prompts: bool | None = None,
        num_proc: int | None = None,
        allow_pickle: bool = False,
        trust_remote_code: bool = False,
        registry: Any = None,
    ) -> None:
        self.base_model_name = check_base_model_name(base_model_name)
        if isinstance(reward_functions, (str, bytes)) or not isinstance(reward_functions, Sequence) or not reward_functions:
            raise ConfigurationError(
                "RewardModelTrainer.reward_functions is required: a non-empty list of reward function names "
                f"or objects, e.g. ['length', 'safety'], got {reward_functions!r}"
            )
        if composite_weights is not None:
            v.check_weights(composite_weights, len(reward_functions), field="RewardModelTrainer.composite_weights")
        self.composite = CompositeReward(reward_functions, composite_weights, registry=registry)
        _data.check_component_names(self.composite.names)
        options = {"pairs_per_text": pairs_per_text, "min_score_gap": min_score_gap, "eval_fraction": eval_fraction}
        validate("RewardModelTrainer", options, _OPTION_RULES)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ConfigurationError(f"RewardModelTrainer.seed must be an integer, got {seed!r}")
        if num_proc is not None:
            validate("RewardModelTrainer", {"num_proc": num_proc}, {"num_proc": v.positive_int})
        flags = {"allow_pickle": allow_pickle, "trust_remote_code": trust_remote_code}
        validate("RewardModelTrainer", flags, {name: _boolean for name in flags})
        if use_prompts is not None:
            validate("RewardModelTrainer", {"use_prompts": use_prompts}, {"use_prompts": _boolean})
        self.pairs_per_text = pairs_per_text
        self.min_score_gap = float(min_score_gap)
        self.eval_fraction = float(eval_fraction)
        self.seed = seed
        self.use_prompts = use_prompts
        self.num_proc = num_proc
        self.allow_pickle = allow_pickle
        self.trust_remote_code = trust_remote_code
        self.last_fidelity: FidelityReport | None = None
        if os.path.isdir(os.path.expanduser(self.base_model_name)):
            loading.check_model_dir(
                os.path.expanduser(self.base_model_name),
                allow_pickle=allow_pickle,
                trust_remote_code=trust_remote_code,
            )
        elif loading._looks_local(self.base_model_name):
            loading.resolve_model_path(self.base_model_name)  # raises: the directory does not exist

    @classmethod
    def from_config(cls, config: RewardModelTrainingConfig, **kwargs: Any) -> RewardModelTrainer:
        """A trainer with the functions, weights and pair settings of a validated config."""
        if not isinstance(config, RewardModelTrainingConfig):
            raise ConfigurationError(
                f"from_config needs a RewardModelTrainingConfig, got {type(config).__name__}"
            )
        return cls(
            config.base_model_name,
            config.reward_functions,
            config.reward_weights,
            pairs_per_text=config.pairs_per_text,
            min_score_gap=config.min_score_gap,
            eval_fraction=config.eval_fraction,
            seed=config.seed,
            **kwargs,
        )

    @property
    def reward_function_names(self) -> list[str]:
        return self.composite.names

    def generate_training_data(
        self,
        texts: Sequence[str] | Dataset | IterableDataset | str | os.PathLike[str],
        reference_texts: Sequence[str] | None = None,
        batch_size: int = 32,
        *,
        prompts: Sequence[str] | None = None,
        num_proc: int | None = None,
    ) -> Dataset:
        """Score ``texts`` with every reward function and the weighted composite.

        ``texts`` is a list of strings, or a ``datasets.Dataset``, an ``IterableDataset``
        or the path of a JSONL/CSV/Parquet file or ``save_to_disk`` directory with a ``text``
        column (and optionally ``prompt``/``reference``); files and streams are read row by
        row into an Arrow file, never whole into memory (see
        :mod:`aligntune.rewards.training.inputs`). ``reference_texts`` and
        ``prompts`` must have one entry per text. Returns a ``datasets.Dataset`` with
        ``text``, ``score``, one column per reward function, and ``prompt`` /
        ``reference`` when given. Scoring runs through a batched ``map`` (with
        ``num_proc`` workers when given) and shows a progress bar.

        Raises before scoring anything: fewer than 10 texts, non-string texts, or
        references/prompts that are not one per text.
        """
        validate("generate_training_data", {"batch_size": batch_size}, {"batch_size": v.positive_int})
        num_proc = self.num_proc if num_proc is None else num_proc
        if num_proc is not None:
            validate("generate_training_data", {"num_proc": num_proc}, {"num_proc": v.positive_int})
        dataset = _data.as_text_dataset(texts, prompts=prompts, references=reference_texts)
        return _data.score_dataset(dataset, self.composite, batch_size=batch_size, num_proc=num_proc)

    def build_pairs(self, training_data: Dataset) -> Dataset:
        """The ``chosen``/``rejected``/``margin`` pairs this trainer would train on (all rows)."""
        from aligntune.rewards.training.pairs import build_pairs

        return build_pairs(
            training_data, pairs_per_text=self.pairs_per_text, min_score_gap=self.min_score_gap, seed=self.seed
        )

    def train_reward_model(
        self,
        training_data: Dataset,
        output_dir: str | os.PathLike[str],
        num_epochs: float = 3,
        learning_rate: float = 1e-5,
        batch_size: int = 8,
        gradient_accumulation_steps: int = 1,
        max_length: int = 512,
        *,
        overwrite: bool = False,
        gradient_checkpointing: bool | None = None,
        use_margin: bool = True,
        report_to: str | list[str] = "none",
        logging_steps: int = 10,
        checkpoint_dir: str | os.PathLike[str] | None = None,
        resume_from_checkpoint: str | bool | None = None,
        training_args: dict[str, Any] | None = None,
        callbacks: list[Any] | None = None,
    ) -> TrainedRewardModel:
        """Train on pairs from ``training_data`` with ``trl.RewardTrainer``; return the saved path.

        ``training_data`` comes from :meth:`generate_training_data` (or any
        ``datasets.Dataset`` with ``text`` and a numeric ``score``). A share
        (``eval_fraction``) of the texts is held out; pairs are built from the rest.
        After training, fidelity on the held-out texts is logged, written into the
        model card and returned as ``result.fidelity``.

        The model directory (safetensors, config with ``num_labels=1`` and a pad
        token, tokenizer, ``README.md``, ``aligntune.json``, ``fidelity.png``) is
        written to a temporary sibling and renamed to ``output_dir`` when complete.
        An existing non-empty ``output_dir`` is an error unless ``overwrite=True``.

        ``gradient_checkpointing=None`` means on with CUDA, off on CPU. ``report_to``,
        ``logging_steps`` and any ``trl.RewardConfig`` field in ``training_args`` pass
        through, and ``callbacks`` (``transformers.TrainerCallback`` objects) go to the
        trainer. ``checkpoint_dir`` keeps TRL checkpoints (``save_steps`` via
        ``training_args``) so that ``resume_from_checkpoint`` can continue a run.
        """
        from aligntune.rewards.training.fit import FitSettings, check_training_args
        from aligntune.rewards.training.runner import train

        values = {
            "num_epochs": num_epochs,
            "learning_rate": learning_rate,
            "batch_size": batch_size,
            "gradient_accumulation_steps": gradient_accumulation_steps,
            "max_length": max_length,
            "logging_steps": logging_steps,
        }
        validate("train_reward_model", values, _TRAIN_RULES)
        flags = {"overwrite": overwrite, "use_margin": use_margin}
        validate("train_reward_model", flags, {name: _boolean for name in flags})
        validate(
            "train_reward_model",
            {"gradient_checkpointing": gradient_checkpointing, "report_to": report_to},
            {"gradient_checkpointing": _optional_boolean, "report_to": v.report_to},
        )
        check_training_args(training_args or {})
        settings = FitSettings(
            **values,
            gradient_checkpointing=gradient_checkpointing,
            report_to=report_to,
            seed=self.seed,
            use_margin=use_margin,
            checkpoint_dir=os.fspath(checkpoint_dir) if checkpoint_dir is not None else None,
            training_args=dict(training_args or {}),
            callbacks=list(callbacks or []),
        )
        result = train(
            self,
            training_data,
            output_dir,
            settings,
            overwrite=overwrite,
            resume_from_checkpoint=resume_from_checkpoint,
        )
        self.last_fidelity = result.fidelity
        return result


def train_from_config(config: RewardModelTrainingConfig, **kwargs: Any) -> TrainedRewardModel:
    """Score the config's texts, train, save; return the saved model path (a ``str``).

    This is what the ``custom_trained`` reward-model source and
    ``aligntune train-reward-model`` run. ``config`` is a validated
    :class:`RewardModelTrainingConfig`; its ``training_texts`` (with
    ``training_prompts`` and ``reference_texts`` when set) are scored with its
    ``reward_functions`` and ``reward_weights``, and the model is trained with its
    training fields and written to ``config.output_dir`` (replacing it only when
    ``config.overwrite``). Extra ``kwargs`` go to :meth:`RewardModelTrainer.train_reward_model`
    (e.g. ``training_args``). The result carries ``.fidelity`` and ``.manifest``.
    """
    trainer = RewardModelTrainer.from_config(config)
    data = trainer.generate_training_data(
        config.training_texts,
        reference_texts=config.reference_texts,
        prompts=config.training_prompts,
    )
    return trainer.train_reward_model(
        data,
        config.output_dir,
        num_epochs=config.num_epochs,
        learning_rate=config.learning_rate,
        batch_size=config.batch_size,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        max_length=config.max_length,
        overwrite=config.overwrite,
        gradient_checkpointing=config.gradient_checkpointing,
        report_to=config.report_to,
        logging_steps=config.logging_steps,
        **_checkpoint_arguments(config, kwargs),
    )


def _checkpoint_arguments(config: RewardModelTrainingConfig, kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` plus the config's checkpoint settings (``save_steps`` joins ``training_args``)."""
    if config.checkpoint_dir is None and not config.resume_from_checkpoint:
        return kwargs
    out = dict(kwargs)
    out.setdefault("checkpoint_dir", config.checkpoint_dir)
    out.setdefault("resume_from_checkpoint", config.resume_from_checkpoint or None)
    if config.checkpoint_dir is not None:
        out["training_args"] = {"save_steps": config.save_steps, **(kwargs.get("training_args") or {})}
    return out
