"""The public entry of reward-model training, :class:`RewardModelTrainer`: rules in, a trained model out.

(Not a ``transformers.Trainer``: it validates, scores texts and hands the steps to
:mod:`aligntune.reward_model.pipeline`.)

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
from aligntune import model_dirs
from aligntune.checkpoints import check_resume
from aligntune.errors import ConfigurationError, show
from aligntune.outputs import check_output_dir
from aligntune.reward_model import scored_data
from aligntune.reward_model.config import (
    RewardModelTrainingConfig,
    base_model_example,
    check_arguments,
    checkpoint_names,
    default,
    output_names,
    spelling,
)
from aligntune.reward_model.fidelity import FidelityReport
from aligntune.reward_model.pairs import build_pairs
from aligntune.reward_model.pipeline import train
from aligntune.reward_model.result import TrainedRewardModel
from aligntune.reward_model.training_args import FitSettings, check_training_args
from aligntune.rewards.base import RewardFunction
from aligntune.rewards.composite import CompositeReward

if TYPE_CHECKING:
    from datasets import Dataset, IterableDataset

logger = logging.getLogger(__name__)

__all__ = ["RewardModelTrainer", "TrainedRewardModel", "check_base_model_name", "train_from_config"]


def check_base_model_name(value: Any, *, owner: str = "RewardModelTrainer") -> str:
    """Cheap checks on a base model: a non-empty name; a local path must exist and hold a model."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(
            f"{owner}.base_model_name is required: a Hugging Face Hub name or a local model directory, "
            f"got {show(value)}"
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
    :mod:`aligntune.reward_model.pairs`). ``eval_fraction`` of the texts are held
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
        pairs_per_text: int = default("pairs_per_text"),
        min_score_gap: float = default("min_score_gap"),
        eval_fraction: float = default("eval_fraction"),
        seed: int = default("seed"),
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
                f"or objects, e.g. ['length', 'safety'], got {show(reward_functions)}"
            )
        if composite_weights is not None:
            v.check_weights(composite_weights, len(reward_functions), field="RewardModelTrainer.composite_weights")
        self.composite = CompositeReward(reward_functions, composite_weights, registry=registry)
        scored_data.check_component_names(self.composite.names)
        check_arguments(
            "RewardModelTrainer",
            pairs_per_text=pairs_per_text,
            min_score_gap=min_score_gap,
            eval_fraction=eval_fraction,
        )
        if isinstance(seed, bool) or not isinstance(seed, int):  # the message the bad-input table pins
            raise ConfigurationError(f"RewardModelTrainer.seed must be an integer, got {show(seed)}")
        v.optional(v.positive_int).check("RewardModelTrainer.num_proc", num_proc)
        v.boolean.check("RewardModelTrainer.allow_pickle", allow_pickle)
        v.boolean.check("RewardModelTrainer.trust_remote_code", trust_remote_code)
        if use_prompts is not None:
            v.boolean.check("RewardModelTrainer.use_prompts", use_prompts)
        self.pairs_per_text = pairs_per_text
        self.min_score_gap = float(min_score_gap)
        self.eval_fraction = float(eval_fraction)
        self.seed = seed
        self.use_prompts = use_prompts
        self.num_proc = num_proc
        self.allow_pickle = allow_pickle
        self.trust_remote_code = trust_remote_code
        self.last_fidelity: FidelityReport | None = None
        #: Files and saved-dataset directories this trainer read texts from (inputs no output may hold).
        self.input_paths: list[str] = []
        if os.path.isdir(os.path.expanduser(self.base_model_name)):
            model_dirs.inspect_model_dir(
                os.path.expanduser(self.base_model_name),
                allow_pickle=allow_pickle,
                trust_remote_code=trust_remote_code,
            )
        elif model_dirs.can_only_be_path(self.base_model_name):
            model_dirs.resolve_model_path(self.base_model_name)  # raises: the directory does not exist

    @classmethod
    def from_config(cls, config: RewardModelTrainingConfig, **kwargs: Any) -> RewardModelTrainer:
        """A trainer with the functions, weights and pair settings of a validated config."""
        if not isinstance(config, RewardModelTrainingConfig):
            raise ConfigurationError(
                f"from_config needs a RewardModelTrainingConfig, got {type(config).__name__}"
            )
        return cls(**config.arguments("trainer"), **kwargs)

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
        :mod:`aligntune.reward_model.inputs`). ``reference_texts`` and
        ``prompts`` must have one entry per text. Returns a ``datasets.Dataset`` with
        ``text``, ``score``, one column per reward function, and ``prompt`` /
        ``reference`` when given. Scoring runs through a batched ``map`` (with
        ``num_proc`` workers when given) and shows a progress bar.

        Raises before scoring anything: fewer than 10 texts, non-string texts, or
        references/prompts that are not one per text.
        """
        v.positive_int.check("generate_training_data.batch_size", batch_size)
        num_proc = self.num_proc if num_proc is None else num_proc
        v.optional(v.positive_int).check("generate_training_data.num_proc", num_proc)
        if isinstance(texts, (str, os.PathLike)) and os.path.exists(os.path.expanduser(os.fspath(texts))):
            self.input_paths.append(os.fspath(texts))  # read into Arrow: the output check must still see the file
        dataset = scored_data.as_text_dataset(texts, prompts=prompts, references=reference_texts)
        return scored_data.score_dataset(dataset, self.composite, batch_size=batch_size, num_proc=num_proc)

    def build_pairs(self, training_data: Dataset) -> Dataset:
        """The ``chosen``/``rejected``/``margin`` pairs this trainer would train on (all rows)."""
        return build_pairs(
            training_data, pairs_per_text=self.pairs_per_text, min_score_gap=self.min_score_gap, seed=self.seed
        )

    def train_reward_model(
        self,
        training_data: Dataset,
        output_dir: str | os.PathLike[str],
        num_epochs: float = default("num_epochs"),
        learning_rate: float = default("learning_rate"),
        batch_size: int = default("batch_size"),
        gradient_accumulation_steps: int = default("gradient_accumulation_steps"),
        max_length: int = default("max_length"),
        *,
        overwrite: bool = default("overwrite"),
        gradient_checkpointing: bool | None = default("gradient_checkpointing"),
        use_margin: bool = True,
        report_to: str | list[str] = default("report_to"),
        logging_steps: int = default("logging_steps"),
        objective: str = default("objective"),
        head_learning_rate: float = default("head_learning_rate"),
        augment_copies: float = default("augment_copies"),
        checkpoint_dir: str | os.PathLike[str] | None = default("checkpoint_dir"),
        save_steps: int = default("save_steps"),
        resume_from_checkpoint: str | bool | None = default("resume_from_checkpoint"),
        training_args: dict[str, Any] | None = None,
        callbacks: list[Any] | None = None,
    ) -> TrainedRewardModel:
        """Train a reward model on ``training_data``; return the saved path.

        ``training_data`` comes from :meth:`generate_training_data` (or any
        ``datasets.Dataset`` with ``text`` and a numeric ``score``). A share
        (``eval_fraction``, at least 200 texts in a corpus of 1,000 or more) is held out.
        ``objective="rules"`` (the default) trains one head per reward function on the
        rule scores plus in-batch pairwise ranking, each text encoded once per epoch, and
        collapses the heads into one output (``batch_size`` = texts per batch; the heads
        learn at ``head_learning_rate``). ``objective="pairs"`` samples preference pairs
        from the scores and trains with ``trl.RewardTrainer`` (``batch_size`` = pairs).
        ``augment_copies`` (default 1) adds that many rule-aware copies per training text:
        each is a training text edited once (cut short, a sentence dropped, repeated or shuffled,
        a hedge, a negation, a rude or harmful sentence added, made a list, put under another
        prompt) and scored by the reward functions, so every rule is seen moving in the user's own
        texts (:mod:`aligntune.reward_model.augment`), until training texts and copies number 4,000 (a
        larger corpus gets none); held-out texts are never copied. ``0`` turns it off. The copies of
        each kind are in the card and the manifest.
        After training, fidelity on the held-out texts is logged, written into the
        model card and returned as ``result.fidelity``.

        The model directory (safetensors, config with ``num_labels=1`` and a pad
        token, tokenizer, ``README.md``, ``aligntune.json``, ``fidelity.png``) is
        written to a temporary sibling and renamed to ``output_dir`` when complete.
        An existing non-empty ``output_dir`` is an error unless ``overwrite=True``.

        ``gradient_checkpointing=None`` means on with CUDA, off on CPU. ``report_to``,
        ``logging_steps`` and any ``trl.RewardConfig`` field in ``training_args`` pass
        through, and ``callbacks`` (``transformers.TrainerCallback`` objects) go to the
        trainer. ``checkpoint_dir`` keeps TRL checkpoints (every ``save_steps`` optimizer
        steps; ``training_args`` may set it too) so that ``resume_from_checkpoint`` can
        continue a run. Every setting is checked with the rule of its
        :class:`RewardModelTrainingConfig` field.
        """
        values = {
            "num_epochs": num_epochs,
            "learning_rate": learning_rate,
            "batch_size": batch_size,
            "gradient_accumulation_steps": gradient_accumulation_steps,
            "max_length": max_length,
            "logging_steps": logging_steps,
        }
        check_arguments(
            "train_reward_model",
            **values,
            objective=objective,
            head_learning_rate=head_learning_rate,
            augment_copies=augment_copies,
            overwrite=overwrite,
            gradient_checkpointing=gradient_checkpointing,
            report_to=report_to,
        )
        v.boolean.check("train_reward_model.use_margin", use_margin)
        v.optional(v.positive_int).check("train_reward_model.save_steps", save_steps)  # None: TRL's default
        check_training_args(training_args or {})
        training_args = dict(training_args or {})
        if save_steps is not None and checkpoint_dir is not None:
            training_args = {"save_steps": save_steps, **training_args}
        settings = FitSettings(
            **values,
            gradient_checkpointing=gradient_checkpointing,
            report_to=report_to,
            seed=self.seed,
            use_margin=use_margin,
            objective=objective,
            head_learning_rate=head_learning_rate,
            augment_copies=float(augment_copies),
            checkpoint_dir=os.fspath(checkpoint_dir) if checkpoint_dir is not None else None,
            training_args=training_args,
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


def check_outputs_first(config: RewardModelTrainingConfig, *, overwrite: bool) -> None:
    """The output directory, the checkpoint directory and the checkpoint to resume from, checked before any
    text is scored (training checks them again, with the texts' own files, before the model loads)."""
    base = os.path.expanduser(config.base_model_name)
    if not os.path.isdir(base):  # offline, a hub name must be cached: said before the texts are scored
        model_dirs.check_hub_reachable(config.base_model_name, field=spelling("base_model_name", "base_model_name"),
                                       instead=base_model_example())
    base_config = model_dirs.inspect_model_dir(base, need_tokenizer=False, need_weights=False).config \
        if os.path.isdir(base) else None
    resume = config.resume_from_checkpoint if isinstance(config.resume_from_checkpoint, str) else None
    v.checkpoint_options(config.checkpoint_dir, config.output_dir, config.resume_from_checkpoint, **checkpoint_names())
    check_output_dir(config.output_dir, overwrite=overwrite, inputs=[base, config.checkpoint_dir, resume],
                     **output_names())
    check_resume(config.resume_from_checkpoint, config.checkpoint_dir, base_config)


def train_from_config(config: RewardModelTrainingConfig, **kwargs: Any) -> TrainedRewardModel:
    """Score the config's texts, train, save; return the saved model path (a ``str``).

    This is what the ``custom_trained`` reward-model source and
    ``aligntune train-reward-model`` run. ``config`` is a validated
    :class:`RewardModelTrainingConfig`; each of its fields goes to the call that takes
    it (the field metadata says which: the trainer, ``generate_training_data`` or
    ``train_reward_model``), and the model is written to ``config.output_dir``
    (replaced only when ``config.overwrite``). Extra ``kwargs`` go to
    :meth:`RewardModelTrainer.train_reward_model` (e.g. ``training_args``) and win over
    the config. The result carries ``.fidelity`` and ``.manifest``.
    """
    trainer = RewardModelTrainer.from_config(config)
    check_outputs_first(config, overwrite=kwargs.get("overwrite", config.overwrite))  # before scoring anything
    data = trainer.generate_training_data(**config.arguments("data"))
    return trainer.train_reward_model(data, config.output_dir, **{**config.arguments("train"), **kwargs})
