"""The reward-model training settings, defined once: :class:`RewardModelTrainingConfig`.

Every setting is one attrs field here, with its default, its validation rule and its
other spellings in the field's metadata:

``arg``
    the keyword of :class:`~aligntune.reward_model.api.RewardModelTrainer` (or of
    its ``generate_training_data``/``train_reward_model``) when it differs from the
    field name (``reward_weights`` is ``composite_weights`` there);
``stage``
    which call takes it: ``"trainer"`` (the constructor), ``"data"``
    (``generate_training_data``) or ``"train"`` (``train_reward_model``);
``rl``
    the keyword of :func:`aligntune.rl.factory.create_rl_trainer` (``reward_training_lr``);
``cli``
    the ``aligntune train-reward-model`` option (``--learning-rate``).

YAML keys are the field names. :func:`spellings` lists every setting with all its
names (docs/reward-model-training.md prints that table); the trainer's defaults,
``train_from_config``, the ``reward_training_*`` keywords and the CLI options are all
derived from these fields. Nothing here imports torch or loads a model.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import attrs
from attrs import define, field

from aligntune import _validation as v
from aligntune.rewards.registry import check_reward_functions

#: The smallest corpus a reward model may be trained from.
MIN_TRAINING_TEXTS = 10


def _to_list(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def _path_str(value: Any) -> Any:
    return os.fspath(value) if isinstance(value, os.PathLike) else value


def _spell(stage: str | None = None, *, arg: str | None = None, rl: str | None = None, cli: str | None = None,
           help: str = "") -> dict[str, Any]:
    return {"stage": stage, "arg": arg, "rl": rl, "cli": cli, "help": help}


def _reward_functions(inst: Any, attribute: Any, value: Any) -> None:
    check_reward_functions(v.field_name(inst, attribute.name), value)


def _weights(inst: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        v.check_weights(value, len(inst.reward_functions), field=v.field_name(inst, attribute.name))


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

    Objective
        ``objective``: ``"rules"`` (default): one regression head per reward function plus
        in-batch pairwise ranking, each text encoded once per epoch, the heads collapsed
        into one output at save time (``batch_size`` counts texts); ``"pairs"``: preference
        pairs sampled from the scores, on ``trl.RewardTrainer`` (``batch_size`` counts pairs).
        ``head_learning_rate``: the heads' own learning rate (``"rules"``).
        ``augment_copies``: rule-aware augmented copies per training text (default 1; 0 turns
        augmentation off): training texts edited one way each and scored by the rules, until
        texts and copies number 4,000 (a larger corpus gets none).

    Pairs (``objective="pairs"``; ``min_score_gap`` also sets the in-batch pairs of ``"rules"``)
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
    base_model_name: str = field(
        converter=_path_str, validator=v.non_empty_str,
        metadata=_spell("trainer", rl="reward_training_base_model", cli="--base-model",
                        help="Hub name or local directory (default: the bundled MiniLM)."),
    )
    training_texts: list[str] = field(
        converter=_to_list, validator=v.string_list(MIN_TRAINING_TEXTS, what="training texts"), repr=False,
        metadata=_spell("data", arg="texts", rl="reward_training_texts"),
    )
    reward_functions: list[Any] = field(
        converter=_to_list, validator=_reward_functions,
        metadata=_spell("trainer", rl="reward_functions", cli="--functions",
                        help="Reward functions, comma-separated, e.g. length,safety (required: here or in --config)."),
    )
    output_dir: str = field(
        converter=_path_str, validator=v.non_empty_str,
        metadata=_spell(rl="reward_training_output_dir", cli="--output-dir",
                        help="Where to write the model directory (required: here or in --config)."),
    )
    # Scoring
    reward_weights: list[float] | None = field(
        default=None, converter=_to_list, validator=_weights,
        metadata=_spell("trainer", arg="composite_weights", rl="reward_function_weights", cli="--weights",
                        help="One weight per function, comma-separated (default: equal weights)."),
    )
    reference_texts: list[str] | None = field(
        default=None, converter=_to_list, repr=False,
        metadata=_spell("data", rl="reward_training_reference_texts"),
    )
    training_prompts: list[str] | None = field(
        default=None, converter=_to_list, repr=False,
        metadata=_spell("data", arg="prompts", rl="reward_training_prompts"),
    )
    # Pairs
    pairs_per_text: int = field(
        default=4, validator=v.positive_int,
        metadata=_spell("trainer", rl="reward_training_pairs_per_text", cli="--pairs-per-text",
                        help="Preference pairs each text appears in (objective 'pairs')."),
    )
    min_score_gap: float = field(
        default=0.02, validator=v.non_negative,
        metadata=_spell("trainer", rl="reward_training_min_score_gap", cli="--min-score-gap",
                        help="Leave out pairs whose composite scores differ by less."),
    )
    eval_fraction: float = field(
        default=0.2, validator=v.fraction,
        metadata=_spell("trainer", rl="reward_training_eval_fraction", cli="--eval-fraction",
                        help="Share of the texts held out to measure fidelity."),
    )
    seed: int = field(default=42, validator=v.seed, metadata=_spell("trainer", rl="seed", cli="--seed",
                                                                   help="Seed of the held-out split, pairs and training."))
    # Training
    objective: str = field(
        default="rules", validator=v.one_of(("rules", "pairs")),
        metadata=_spell("train", rl="reward_training_objective", cli="--objective",
                        help="rules: one head per reward function, each text once; pairs: trl.RewardTrainer."),
    )
    num_epochs: float = field(
        default=1, validator=v.epochs,
        metadata=_spell("train", rl="reward_training_epochs", cli="--num-epochs", help="Passes over the training texts."),
    )
    learning_rate: float = field(
        default=1e-4, validator=v.learning_rate,
        metadata=_spell("train", rl="reward_training_lr", cli="--learning-rate", help="Learning rate of the encoder."),
    )
    head_learning_rate: float = field(
        default=1e-3, validator=v.learning_rate,
        metadata=_spell("train", rl="reward_training_head_lr", cli="--head-learning-rate",
                        help="Learning rate of the fresh score heads (objective 'rules')."),
    )
    augment_copies: float = field(
        default=1.0, validator=v.at_most(v.non_negative, 20, "each copy costs about as much training as a text; "
                                                            "1 is the measured default"),
        metadata=_spell("train", rl="reward_training_augment_copies", cli="--augment-copies",
                        help="Rule-aware augmented copies per training text, scored by the rules, up to 4,000 texts in all (0: off)."),
    )
    batch_size: int = field(
        default=8, validator=v.positive_int,
        metadata=_spell("train", rl="reward_training_batch_size", cli="--batch-size",
                        help="Texts a batch (objective 'rules'), pairs a batch (objective 'pairs')."),
    )
    gradient_accumulation_steps: int = field(
        default=1, validator=v.positive_int,
        metadata=_spell("train", rl="reward_training_gradient_accumulation_steps", cli="--gradient-accumulation-steps",
                        help="Batches per optimizer step."),
    )
    max_length: int = field(
        default=512, validator=v.positive_int,
        metadata=_spell("train", rl="reward_training_max_length", cli="--max-length",
                        help="Tokens kept of each text (longer ones are cut, and counted)."),
    )
    gradient_checkpointing: bool | None = field(
        default=None, validator=v.optional_boolean, metadata=_spell("train")
    )
    report_to: str | list[str] = field(
        default="none", validator=v.report_to,
        metadata=_spell("train", cli="--report-to", help="Tracking integration for trl, e.g. tensorboard or wandb."),
    )
    logging_steps: int = field(default=10, validator=v.positive_int, metadata=_spell("train"))
    # Checkpoints
    checkpoint_dir: str | None = field(
        default=None, converter=_path_str, validator=v.optional_str,
        metadata=_spell("train", rl="reward_training_checkpoint_dir", cli="--checkpoint-dir",
                        help="Keep TRL checkpoints here (every --save-steps steps) so a run can resume "
                             "(default: none, no checkpoints)."),
    )
    save_steps: int = field(
        default=100, validator=v.positive_int,
        metadata=_spell("train", rl="reward_training_save_steps", cli="--save-steps",
                        help="Checkpoint every N optimizer steps (needs --checkpoint-dir)."),
    )
    resume_from_checkpoint: bool | str = field(
        default=False, validator=v.resume_value,
        metadata=_spell("train", rl="reward_training_resume_from_checkpoint", cli="--resume",
                        help="Continue from the latest checkpoint in --checkpoint-dir."),
    )
    # Output
    overwrite: bool = field(
        default=False, validator=v.boolean,
        metadata=_spell("train", rl="reward_training_overwrite", cli="--overwrite",
                        help="Replace a non-empty output directory."),
    )

    def __attrs_post_init__(self) -> None:
        if _CALLER.get() is None:
            v.checkpoint_options(self.checkpoint_dir, self.output_dir, self.resume_from_checkpoint,
                                 owner="RewardModelTrainingConfig.")
        else:
            v.checkpoint_options(self.checkpoint_dir, self.output_dir, self.resume_from_checkpoint,
                                 spell=spelling, assign=assignment)
        for name in ("reference_texts", "training_prompts"):
            v.aligned(getattr(self, name), len(self.training_texts), v.field_name(self, name), unit="training text")
        for name in ("training_texts", "reference_texts", "training_prompts"):
            v.utf8_texts(v.field_name(self, name), getattr(self, name))

    def arguments(self, stage: str) -> dict[str, Any]:
        """The keyword arguments of one call (``"trainer"``, ``"data"`` or ``"train"``), by their names there."""
        return {
            f.metadata.get("arg") or f.name: getattr(self, f.name)
            for f in attrs.fields(type(self))
            if f.metadata.get("stage") == stage
        }


FIELDS: dict[str, attrs.Attribute] = attrs.fields_dict(RewardModelTrainingConfig)

#: Who is asking, so that messages name settings as the user wrote them: ``("rl", {})``
#: (``create_rl_trainer``'s keywords, also the ``rl``/``ppo`` YAML keys), ``("cli", given)``
#: (``train-reward-model``: ``given`` maps the fields set by options to those options; the
#: others came from the YAML), or ``None`` (the config's own names).
_CALLER: ContextVar[tuple[str, dict[str, str]] | None] = ContextVar("aligntune_reward_training_caller", default=None)
CALLERS = ("rl", "cli")


@contextlib.contextmanager
def spelled_as(caller: str, given: dict[str, str] | None = None) -> Iterator[None]:
    """Within the block, reward-model training names its settings as ``caller`` spells them.

    ``"rl"``: ``RewardModelTrainingConfig.training_texts`` is ``reward_training_texts`` and
    ``overwrite=True`` is ``reward_training_overwrite=True``. ``"cli"``: a setting given as an
    option is named by it (``given``: field -> option, ``{"learning_rate": "--learning-rate"}``),
    any other by its YAML key, and a fix names the option (``pass --overwrite``). Errors from
    building the config and from training alike.
    """
    v.one_of(CALLERS).check("spelled_as.caller", caller)
    token = _CALLER.set((caller, dict(given or {})))
    try:
        with v.naming(lambda cls, name: spelling(name) if cls is RewardModelTrainingConfig else None):
            yield
    finally:
        _CALLER.reset(token)


def cli_options_given(values: dict[str, Any]) -> dict[str, str]:
    """For :func:`spelled_as`: the fields among ``values`` (field -> value, ``None``: not given) set by their option."""
    return {name: FIELDS[name].metadata["cli"] for name, value in values.items()
            if value is not None and name in FIELDS and FIELDS[name].metadata.get("cli")}


def spelling(name: str, plain: str | None = None) -> str:
    """The current caller's name for setting ``name`` (a field): ``reward_training_lr``, ``--learning-rate``,
    ``learning_rate`` (a YAML key); with no caller, ``plain`` (the name in the call at hand) or
    ``RewardModelTrainingConfig.<name>``."""
    caller, given = _CALLER.get() or (None, {})
    if caller == "rl":
        return FIELDS[name].metadata.get("rl") or f"RewardModelTrainingConfig.{name}"
    if caller == "cli":
        return given.get(name) or name
    return plain or f"RewardModelTrainingConfig.{name}"


def assignment(name: str, value: Any, plain: str | None = None) -> str:
    """How the current caller sets ``name`` to ``value``: ``--overwrite``, ``--base-model /path``,
    ``reward_training_overwrite=True``, ``overwrite=True``."""
    caller, _ = _CALLER.get() or (None, {})
    option = FIELDS[name].metadata.get("cli")
    if caller == "cli" and option and _is_flag(name):
        if value is True:
            return option
        return f"{name}: {str(value).lower()} (YAML)"
    if caller == "cli" and option:
        return f"{option} {value}"
    if caller == "cli":
        return f"{name}: {value} (YAML)"
    return f"{spelling(name, plain)}={value!r}"


def checkpoint_names() -> dict[str, Any]:
    """``spell``/``assign`` for :func:`aligntune._validation.checkpoint_options`, in the caller's spelling."""
    return {"spell": lambda name: spelling(name, name), "assign": lambda name, value: assignment(name, value, name)}


def output_names() -> dict[str, str]:
    """``what``/``fix`` for :func:`aligntune.outputs.check_output_dir`, in the caller's spelling."""
    return {"what": spelling("output_dir", "output_dir"),
            "fix": f"pass {assignment('overwrite', True, 'overwrite')} to replace it"}


def base_model_example() -> str:
    """A local base model in the caller's spelling, for messages: ``reward_training_base_model='/path/to/model'``."""
    return assignment("base_model_name", "/path/to/model", "base_model_name")


def _is_flag(name: str) -> bool:
    return str(FIELDS[name].type).split("|")[0].strip() == "bool"


def default(name: str) -> Any:
    """The default of setting ``name`` (used as the trainer's keyword defaults)."""
    return FIELDS[name].default


def check_arguments(owner: str, **values: Any) -> None:
    """Validate plain keyword arguments with the rules of the config fields they set.

    ``owner`` names the call in messages (``train_reward_model.learning_rate must be > 0``).
    Keyword names are field names or their ``arg`` spellings.
    """
    by_arg = {f.metadata.get("arg") or f.name: f for f in FIELDS.values()}
    for name, value in values.items():
        rule = by_arg[name].validator
        if not isinstance(rule, v.Rule):  # pragma: no cover - every plain-argument field has a Rule
            raise TypeError(f"{name} has no plain-argument rule")
        rule.check(f"{owner}.{name}", value)


def rl_keywords() -> dict[str, str]:
    """``create_rl_trainer``'s ``reward_training_*`` keywords -> config field names."""
    return {
        f.metadata["rl"]: f.name
        for f in FIELDS.values()
        if (f.metadata.get("rl") or "").startswith("reward_training_")
    }


def spellings() -> list[dict[str, str | None]]:
    """Every setting with its names: config field/YAML key, trainer keyword, create_rl_trainer keyword, CLI option."""
    return [
        {
            "field": f.name,
            "trainer": (f.metadata.get("arg") or f.name) if f.metadata.get("stage") else None,
            "call": {"trainer": "RewardModelTrainer(...)", "data": "generate_training_data(...)",
                     "train": "train_reward_model(...)"}.get(f.metadata.get("stage") or ""),
            "rl": f.metadata.get("rl"),
            "cli": f.metadata.get("cli"),
            "default": None if f.default is attrs.NOTHING else repr(f.default),
        }
        for f in FIELDS.values()
    ]


def spellings_markdown() -> str:
    """:func:`spellings` as the markdown table docs/reward-model-training.md carries."""
    rows = ["| setting (config field, YAML key) | RewardModelTrainer | create_rl_trainer | CLI | default |",
            "|---|---|---|---|---|"]
    for s in spellings():
        trainer = f"`{s['trainer']}` in `{s['call']}`" if s["trainer"] else "positional `output_dir`" \
            if s["field"] == "output_dir" else "—"
        rows.append(
            f"| `{s['field']}` | {trainer} | {'`' + s['rl'] + '`' if s['rl'] else '—'} | "
            f"{'`' + s['cli'] + '`' if s['cli'] else '—'} | {s['default'] if s['default'] is not None else 'required'} |"
        )
    return "\n".join(rows)

