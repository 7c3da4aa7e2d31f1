"""The steps of ``train_reward_model``, in order; every check comes before any load.

1. check the data (refusing data without signal: every composite score the same), the
   output directory and the base model directory (cheap);
2. split texts into train and held-out, add rule-scored augmented copies of the train texts
   (:mod:`aligntune.reward_model.augment`; ``augment_copies``), sample pairs from the train texts;
3. load the tokenizer and the model, tokenise the pairs;
4. in a staging directory: train with ``trl.RewardTrainer``, save, measure fidelity,
   write the plot, the card and the manifest; rename to ``output_dir``. Fidelity that should
   not be trusted is logged as a warning and written into the card.

Under ``accelerate launch``/``torchrun`` every process runs these steps: the split and
the pairs are the same everywhere (seeded), TRL shards the pairs between processes,
every process scores its slice of the held-out texts for fidelity, and only the main
process creates the staging directory and writes into it; the others wait for the
rename and return the same path (see :mod:`aligntune.distributed`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aligntune import _validation as v
from aligntune import distributed, model_dirs
from aligntune.atomic import staged_output
from aligntune.errors import DataError
from aligntune.checkpoints import check_resume
from aligntune.outputs import check_output_dir
from aligntune.reward_model import card, loading
from aligntune.reward_model.augment import augment_training_part
from aligntune.reward_model.config import base_model_example, checkpoint_names, output_names
from aligntune.reward_model.fidelity import measure_fidelity, save_scatter_plot, warn_if_untrusted
from aligntune.reward_model.pairs import log_pairs, sample_pairs
from aligntune.reward_model.pairs_objective import run_reward_trainer, tokenize_pairs
from aligntune.reward_model.preferences import is_preference_data, train_preferences
from aligntune.reward_model.result import TrainedRewardModel
from aligntune.reward_model.rules_objective import no_dropout, run_rule_trainer
from aligntune.reward_model.scored_data import check_signal, check_training_data, data_files
from aligntune.reward_model.scoring import TextRewardModel
from aligntune.reward_model.training_args import FitSettings, resolve_gradient_checkpointing
from aligntune.rewards.composite import normalised

if TYPE_CHECKING:
    from aligntune.reward_model.api import RewardModelTrainer

logger = logging.getLogger(__name__)

#: Fewest held-out texts fidelity is measured on.
MIN_EVAL_TEXTS = 3
#: Held-out texts fidelity is measured on at the least, in a corpus of five times as many.
MIN_FIDELITY_TEXTS = 200


def split_indices(n: int, eval_fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """Deterministic (train, held-out) row indices."""
    import numpy as np

    n_eval = max(MIN_EVAL_TEXTS, math.ceil(eval_fraction * n))
    if n_eval < MIN_FIDELITY_TEXTS and n >= 5 * MIN_FIDELITY_TEXTS:
        n_eval = MIN_FIDELITY_TEXTS  # fewer give too wide an interval, where the corpus allows more
    if n - n_eval < 2:
        raise DataError(f"{n} texts are too few to hold out {n_eval} for fidelity and still train; add more texts")
    perm = np.random.default_rng(seed).permutation(n)
    return sorted(perm[n_eval:].tolist()), sorted(perm[:n_eval].tolist())


def train(
    trainer: RewardModelTrainer,
    training_data: Any,
    output_dir: str | os.PathLike[str],
    settings: FitSettings,
    *,
    overwrite: bool,
    resume_from_checkpoint: str | bool | None,
) -> TrainedRewardModel:
    if is_preference_data(training_data):  # chosen/rejected pairs: the pairs objective, on trl.RewardTrainer
        return train_preferences(trainer, training_data, output_dir, settings, overwrite=overwrite,
                                 resume_from_checkpoint=resume_from_checkpoint, split=split_indices)
    # 1. cheap checks
    check_training_data(training_data)
    check_signal(training_data)
    base_path = model_dirs.resolve_model_path(trainer.base_model_name, instead=base_model_example())
    inputs = [base_path, settings.checkpoint_dir, *data_files(training_data), *trainer.input_paths,
              resume_from_checkpoint if isinstance(resume_from_checkpoint, str) else None]
    v.checkpoint_options(settings.checkpoint_dir, output_dir, resume_from_checkpoint, **checkpoint_names())
    check_output_dir(output_dir, overwrite=overwrite, inputs=inputs, **output_names())
    base_info = model_dirs.inspect_model_dir(
        base_path, allow_pickle=trainer.allow_pickle, trust_remote_code=trainer.trust_remote_code
    )
    check_resume(resume_from_checkpoint, settings.checkpoint_dir, base_info.config)
    settings = dataclasses.replace(settings, max_length=model_dirs.cap_max_length(settings.max_length, base_info.config))
    use_prompts = trainer.use_prompts
    has_prompts = "prompt" in training_data.column_names
    if use_prompts and not has_prompts:
        raise DataError("use_prompts=True but training_data has no 'prompt' column")
    use_prompts = has_prompts if use_prompts is None else use_prompts
    distributed.wait_for_everyone()  # every process has checked output_dir before the main one writes it

    # 2. split (and, for the pairs objective, pairs)
    train_rows, eval_rows = split_indices(training_data.num_rows, trainer.eval_fraction, trainer.seed)
    train_part = training_data.select(train_rows)
    eval_part = training_data.select(eval_rows)
    n_train_texts = train_part.num_rows
    # counterfactual copies of the training texts only, scored by the rules (held-out texts stay as given)
    train_part, augmentation = augment_training_part(
        train_part, trainer.composite, copies_per_text=settings.augment_copies, seed=trainer.seed,
        use_prompts=bool(use_prompts),
    )
    names = [n for n in trainer.composite.names if n in train_part.column_names] or ["score"]
    rules = settings.objective == "rules"
    pairs = None
    if not rules:
        pairs = sample_pairs(
            train_part["score"],
            pairs_per_text=trainer.pairs_per_text,
            min_score_gap=trainer.min_score_gap,
            seed=trainer.seed,
        )
        log_pairs(pairs, train_part.num_rows, trainer.min_score_gap)

    # 3. load and tokenise
    from transformers import set_seed

    set_seed(settings.seed)
    tokenizer = loading.load_tokenizer(base_path, trust_remote_code=trainer.trust_remote_code)
    model = loading.load_sequence_classifier(
        base_path, num_labels=len(names) if rules else 1, allow_pickle=trainer.allow_pickle,
        trust_remote_code=trainer.trust_remote_code, fresh_head=True,
        **(no_dropout(base_info.config) if rules else {}),
    )
    loading.ensure_pad_token(tokenizer, model)
    train_prompts = train_part["prompt"] if use_prompts else None
    tokenized = None
    if not rules:
        model.config.id2label = {0: "reward"}
        model.config.label2id = {"reward": 0}
        tokenized = tokenize_pairs(
            tokenizer, train_part["text"], train_prompts, pairs,
            max_length=settings.max_length, use_margin=settings.use_margin,
        )

    # 4. train and save atomically (only the main process writes)
    main = distributed.is_main_process()
    staged = (
        staged_output(output_dir, overwrite=overwrite, kind="reward_model", inputs=inputs)
        if main
        else contextlib.nullcontext(None)
    )
    with staged as staging, tempfile.TemporaryDirectory(prefix="aligntune-trl-") as scratch:
        started = time.perf_counter()
        step_times: dict[str, float] = {}
        if rules:
            weights = normalised([trainer.composite.raw_weights[trainer.composite.names.index(n)] for n in names]) \
                if names != ["score"] else [1.0]
            fit = run_rule_trainer(
                model, tokenizer, train_part["text"], train_prompts, {n: train_part[n] for n in names}, weights,
                settings, head_learning_rate=settings.head_learning_rate, min_score_gap=trainer.min_score_gap,
                scratch_dir=Path(scratch), resume_from_checkpoint=resume_from_checkpoint,
            )
            hf_trainer, n_truncated, step_times = fit.trainer, fit.n_truncated, fit.step_times
            model = hf_trainer.model
            model.config.id2label = {0: "reward"}
            model.config.label2id = {"reward": 0}
        else:
            hf_trainer = run_reward_trainer(
                model, tokenizer, tokenized.dataset, settings,
                scratch_dir=Path(scratch), resume_from_checkpoint=resume_from_checkpoint,
            )
            n_truncated = tokenized.n_truncated
        train_seconds = time.perf_counter() - started
        model = hf_trainer.model  # unwrapped: the trainer keeps the DDP wrapper in model_wrapped
        if main:
            model.save_pretrained(staging)
            tokenizer.save_pretrained(staging)

        scorer = TextRewardModel(model, tokenizer, max_length=settings.max_length)
        start, stop = distributed.shard_bounds(eval_part.num_rows)
        shard = eval_part.select(range(start, stop))
        model_scores = distributed.gather_lists(
            scorer.score(
                shard["text"],
                prompts=shard["prompt"] if use_prompts else None,
                batch_size=max(settings.batch_size, 32),
            )
            if stop > start
            else []
        )
        components = {
            name: eval_part[name] for name in trainer.composite.names if name in eval_part.column_names
        }
        report = measure_fidelity(
            model_scores, eval_part["score"], components, min_score_gap=trainer.min_score_gap
        )
        if main:
            warn_if_untrusted(report)  # before the caller goes on to RL with this model
        has_plot = main and save_scatter_plot(staging / "fidelity.png", model_scores, eval_part["score"], report)
        manifest = card.build_manifest(
            base_model=trainer.base_model_name,
            reward_functions=trainer.composite.manifest(),
            data={
                "n_texts": training_data.num_rows,
                "n_train_texts": n_train_texts,
                "n_eval_texts": eval_part.num_rows,
                "n_pairs": len(pairs) if pairs is not None else None,
                "pairs_per_text": trainer.pairs_per_text if pairs is not None else None,
                "min_score_gap": trainer.min_score_gap,
                "n_pairs_too_close": pairs.n_too_close if pairs is not None else None,
                "n_truncated": n_truncated,
                "augmentation": augmentation,
                "uses_prompts": bool(use_prompts),
                "has_references": "reference" in training_data.column_names,
                "seed": trainer.seed,
                "eval_fraction": trainer.eval_fraction,
            },
            training={
                "objective": settings.objective,
                "head_learning_rate": settings.head_learning_rate if rules else None,
                "heads": names if rules else None,
                "step_times": step_times,
                "num_epochs": settings.num_epochs,
                "learning_rate": settings.learning_rate,
                "batch_size": settings.batch_size,
                "gradient_accumulation_steps": settings.gradient_accumulation_steps,
                "max_length": settings.max_length,
                "gradient_checkpointing": resolve_gradient_checkpointing(settings.gradient_checkpointing),
                "bf16": bool(hf_trainer.args.bf16),
                "use_margin": settings.use_margin,
                "train_seconds": train_seconds,
                "global_steps": int(hf_trainer.state.global_step),
                "final_train_loss": _last_loss(hf_trainer),
                "training_args": {k: _jsonable(val) for k, val in settings.training_args.items()},
            },
            fidelity=report,
        )
        if main:
            card.write_card(staging, manifest, has_plot=has_plot)
    distributed.wait_for_everyone()  # the other processes return once the model is in place
    final = str(Path(output_dir).expanduser().resolve())
    logger.info("Reward model saved to %s (%s)", final, report.summary())
    return TrainedRewardModel(final, fidelity=report, manifest=manifest)


def _last_loss(hf_trainer: Any) -> float | None:
    for entry in reversed(hf_trainer.state.log_history):
        for key in ("train_loss", "loss"):
            if key in entry:
                return float(entry[key])
    return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(x) for x in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(x) for k, x in value.items()}
    return repr(value)
