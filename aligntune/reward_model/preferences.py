"""Training on preference pairs: data that *is* ``chosen``/``rejected`` pairs, on ``trl.RewardTrainer``.

``train_reward_model`` takes such data directly, in the shapes TRL's preference datasets use:

* plain text: ``chosen`` and ``rejected`` strings, with an optional ``prompt`` string;
* conversational: ``chosen`` and ``rejected`` as lists of ``{"role", "content"}`` messages
  (optionally after a ``prompt`` list of messages), rendered with the tokenizer's chat
  template; a tokenizer without one scores the last message's content after the prompt's text.

A share of the pairs (``eval_fraction``) is held out; fidelity is then the held-out preference
accuracy (the share of pairs scored chosen > rejected, a tie counting as wrong) with a
bootstrap interval. To combine such pairs with rule-scored texts in one run, turn the texts
into pairs with :meth:`RewardModelTrainer.build_pairs` and concatenate the two datasets
(``datasets.concatenate_datasets``) before training.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from aligntune import distributed, model_dirs
from aligntune._validation import checkpoint_options
from aligntune.atomic import staged_output
from aligntune.chat_templates import render_with
from aligntune.checkpoints import check_resume
from aligntune.errors import DataError, show
from aligntune.outputs import check_output_dir
from aligntune.reward_model import card, loading
from aligntune.reward_model.config import base_model_example, checkpoint_names, output_names
from aligntune.reward_model.encoding import encode
from aligntune.reward_model.fidelity import FidelityReport, warn_if_untrusted
from aligntune.reward_model.pairs_objective import run_reward_trainer
from aligntune.reward_model.result import TrainedRewardModel
from aligntune.reward_model.scored_data import data_files
from aligntune.reward_model.scoring import TextRewardModel
from aligntune.reward_model.training_args import FitSettings

logger = logging.getLogger(__name__)

PREFERENCE_COLUMNS = ("chosen", "rejected")


def is_preference_data(dataset: Any) -> bool:
    """Whether ``dataset`` holds ``chosen``/``rejected`` pairs (rather than scored texts)."""
    return set(PREFERENCE_COLUMNS) <= set(getattr(dataset, "column_names", ()) or ())


def _is_messages(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(m, dict) and "content" in m for m in value)


def _check_side(value: Any, prompt: Any, *, row: int, column: str) -> None:
    """One side of a pair has the shape ``evaluate-reward-model`` accepts too: plain text (with a text prompt, if
    any), or chat messages holding the assistant's reply."""
    if isinstance(value, str):
        if prompt is not None and not isinstance(prompt, str):
            raise DataError(
                f"prompt[{row}] must be a string next to a plain-text {column}, got {show(prompt, 120)}; give the "
                f"prompt as text, or {column} and the other side as chat messages"
            )
        return
    if not _is_messages(value):
        raise DataError(f"{column}[{row}] must be a string or a list of chat messages, got {show(value)}")
    if not any(m.get("role") == "assistant" for m in value):
        raise DataError(
            f"{column}[{row}] has no assistant message to score: {show(value, 120)}; each side of a conversational "
            "pair holds the assistant's reply (put the question in the prompt column or before the reply)"
        )


def check_pair_shapes(dataset: Any) -> None:
    """Every pair, before any model loads: both sides plain text or both chat messages with an assistant reply."""
    prompts_col = dataset["prompt"] if "prompt" in dataset.column_names else [None] * dataset.num_rows
    for i, (c, r, p) in enumerate(zip(dataset["chosen"], dataset["rejected"], prompts_col)):
        _check_side(c, p, row=i, column="chosen")
        _check_side(r, p, row=i, column="rejected")
        if isinstance(c, str) != isinstance(r, str):
            raise DataError(f"chosen[{i}] and rejected[{i}] must both be strings or both lists of chat messages, got "
                            f"{type(c).__name__} and {type(r).__name__}")


def _render(value: Any, prompt: Any, tokenizer: Any, *, row: int, column: str) -> tuple[str, str | None]:
    """``(text, prompt)`` for one side of a pair."""
    _check_side(value, prompt, row=row, column=column)
    if isinstance(value, str):
        return value, prompt
    before = prompt if _is_messages(prompt) else ([{"role": "user", "content": prompt}] if isinstance(prompt, str) else [])
    if getattr(tokenizer, "chat_template", None):
        return render_with(tokenizer, [before + value], origin=_template_origin(tokenizer))[0], None
    text = value[-1]["content"]
    prompt_text = " ".join(m["content"] for m in before + value[:-1]) or None
    return text, prompt_text


def _template_origin(tokenizer: Any) -> str:
    name = getattr(tokenizer, "name_or_path", None)
    return f"the base model's tokenizer {show(name)}" if name else "the base model's tokenizer"


def preference_texts(dataset: Any, tokenizer: Any) -> tuple[list[str], list[str], list[str | None] | None]:
    """Chosen texts, rejected texts and (when any) their prompts, in dataset order."""
    prompts_col = dataset["prompt"] if "prompt" in dataset.column_names else [None] * dataset.num_rows
    if not getattr(tokenizer, "chat_template", None) and dataset.num_rows and _is_messages(dataset[0]["chosen"]):
        logger.info("The tokenizer has no chat template: each side is scored as its last message after the prompt")
    chosen, rejected, prompts = [], [], []
    for i, (c, r, p) in enumerate(zip(dataset["chosen"], dataset["rejected"], prompts_col)):
        c_text, c_prompt = _render(c, p, tokenizer, row=i, column="chosen")
        r_text, _ = _render(r, p, tokenizer, row=i, column="rejected")
        chosen.append(c_text)
        rejected.append(r_text)
        prompts.append(c_prompt)
    if dataset.num_rows == 0:
        raise DataError("The preference data has no pairs; give at least 10 chosen/rejected pairs")
    return chosen, rejected, prompts if any(p is not None for p in prompts) else None


def check_pairs_differ(dataset: Any) -> None:
    """Refuse pairs whose chosen side equals the rejected one in every row (nothing to learn); warn for some."""
    ties = sum(c == r for c, r in zip(dataset["chosen"], dataset["rejected"]))
    if ties and ties == dataset.num_rows:
        raise DataError(
            f"training_data has no signal: chosen == rejected in all {ties} pairs, so a reward model learns nothing "
            "from them; give pairs whose chosen answer is better than (and different from) the rejected one"
        )
    if ties:
        logger.warning("%d of %d pairs have chosen == rejected: they teach nothing and count as wrong in the "
                       "held-out accuracy; drop them", ties, dataset.num_rows)


def preference_dataset(tokenizer: Any, chosen: list[str], rejected: list[str], prompts: list[str | None] | None,
                       *, max_length: int) -> tuple[Any, int]:
    """The ``chosen_ids``/``rejected_ids`` dataset ``trl.RewardTrainer`` trains on; and the truncated count."""
    from datasets import Dataset

    c = encode(tokenizer, chosen, prompts=prompts, max_length=max_length)
    r = encode(tokenizer, rejected, prompts=prompts, max_length=max_length)
    columns = {"chosen_ids": c.input_ids, "rejected_ids": r.input_ids,
               "length": [max(len(a), len(b)) for a, b in zip(c.input_ids, r.input_ids)]}
    return Dataset.from_dict(columns), c.n_truncated + r.n_truncated


def held_out_accuracy(chosen: list[float], rejected: list[float]) -> FidelityReport:
    """Preference accuracy on held-out pairs (a tie is wrong), with a bootstrap interval."""
    import numpy as np

    right = (np.asarray(chosen) > np.asarray(rejected)).astype(float)
    interval = None
    if len(right) >= 10:  # resample the pairs, as the scored-text fidelity resamples texts
        rng = np.random.default_rng(0)
        draws = [float(right[rng.integers(0, len(right), len(right))].mean()) for _ in range(200)]
        interval = [float(v) for v in np.percentile(draws, [2.5, 97.5])]
    return FidelityReport(spearman=None, pairwise_accuracy=float(right.mean()) if len(right) else None,
                          n_texts=2 * len(right), n_pairs=len(right), pairwise_interval=interval, unit="pairs")


def train_preferences(trainer: Any, data: Any, output_dir: str | os.PathLike[str], settings: FitSettings, *,
                      overwrite: bool, resume_from_checkpoint: str | bool | None, split: Any) -> TrainedRewardModel:
    """Train on preference pairs with ``trl.RewardTrainer``; save like the rule objectives do."""
    check_pair_shapes(data)
    check_pairs_differ(data)
    base_path = model_dirs.resolve_model_path(trainer.base_model_name, instead=base_model_example())
    inputs = [base_path, settings.checkpoint_dir, *data_files(data), *trainer.input_paths,
              resume_from_checkpoint if isinstance(resume_from_checkpoint, str) else None]
    checkpoint_options(settings.checkpoint_dir, output_dir, resume_from_checkpoint, **checkpoint_names())
    check_output_dir(output_dir, overwrite=overwrite, inputs=inputs, **output_names())
    base_info = model_dirs.inspect_model_dir(base_path, allow_pickle=trainer.allow_pickle,
                                           trust_remote_code=trainer.trust_remote_code)
    check_resume(resume_from_checkpoint, settings.checkpoint_dir, base_info.config)
    max_length = model_dirs.cap_max_length(settings.max_length, base_info.config)
    train_rows, eval_rows = split(data.num_rows, trainer.eval_fraction, trainer.seed)
    from transformers import set_seed

    set_seed(settings.seed)
    tokenizer = loading.load_tokenizer(base_path, trust_remote_code=trainer.trust_remote_code)
    model = loading.load_sequence_classifier(base_path, allow_pickle=trainer.allow_pickle,
                                             trust_remote_code=trainer.trust_remote_code, fresh_head=True)
    loading.ensure_pad_token(tokenizer, model)
    model.config.id2label, model.config.label2id = {0: "reward"}, {"reward": 0}
    chosen, rejected, prompts = preference_texts(data, tokenizer)
    pick = (lambda rows, values: None if values is None else [values[i] for i in rows])
    dataset, n_truncated = preference_dataset(tokenizer, pick(train_rows, chosen), pick(train_rows, rejected),
                                              pick(train_rows, prompts), max_length=max_length)
    main = distributed.is_main_process()
    staged = staged_output(output_dir, overwrite=overwrite, kind="reward_model", inputs=inputs) if main \
        else contextlib.nullcontext(None)
    with staged as staging, tempfile.TemporaryDirectory(prefix="aligntune-trl-") as scratch:
        started = time.perf_counter()
        hf_trainer = run_reward_trainer(model, tokenizer, dataset, settings, scratch_dir=Path(scratch),
                                        resume_from_checkpoint=resume_from_checkpoint)
        seconds = time.perf_counter() - started
        model = hf_trainer.model
        if main:
            model.save_pretrained(staging)
            tokenizer.save_pretrained(staging)
        scorer = TextRewardModel(model, tokenizer, max_length=max_length)
        held_prompts = pick(eval_rows, prompts)
        report = held_out_accuracy(scorer.score(pick(eval_rows, chosen), prompts=held_prompts),
                                   scorer.score(pick(eval_rows, rejected), prompts=held_prompts))
        if main:
            warn_if_untrusted(report)
        manifest = card.build_manifest(
            base_model=trainer.base_model_name,
            reward_functions={"functions": [], "weights": [], "normalized_weights": [], "plugins": {}},
            data={"source": "preference pairs", "n_pairs": data.num_rows, "n_train_pairs": len(train_rows),
                  "n_eval_pairs": len(eval_rows), "n_truncated": n_truncated, "uses_prompts": prompts is not None,
                  "seed": trainer.seed, "eval_fraction": trainer.eval_fraction},
            training={"objective": "pairs", "num_epochs": settings.num_epochs, "learning_rate": settings.learning_rate,
                      "batch_size": settings.batch_size, "max_length": max_length, "train_seconds": seconds,
                      "bf16": bool(hf_trainer.args.bf16), "global_steps": int(hf_trainer.state.global_step),
                      "gradient_accumulation_steps": settings.gradient_accumulation_steps,
                      "gradient_checkpointing": bool(hf_trainer.args.gradient_checkpointing),
                      "use_margin": False},
            fidelity=report,
        )
        if main:
            card.write_card(staging, manifest, has_plot=False)
    distributed.wait_for_everyone()
    final = str(Path(output_dir).expanduser().resolve())
    logger.info("Reward model saved to %s (held-out preference accuracy %s)", final, report.summary())
    return TrainedRewardModel(final, fidelity=report, manifest=manifest)
