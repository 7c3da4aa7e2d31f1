"""The rules objective (the default for rule-scored texts): set-up and run; the Trainer itself is in
:mod:`aligntune.reward_model.distillation_trainer`, imported only when a model trains.

Encodes each training text once, builds one regression target per reward function, warms
the heads up by least squares, trains with the distillation loss on ``transformers.Trainer``
(the same arguments as the pairs objective: checkpoints, ``report_to``, ``training_args``,
bf16 defaults, multi-process), and collapses the heads into one output.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aligntune import distributed
from aligntune.reward_model.encoding import encode
from aligntune.reward_model.training_args import FitSettings, reward_config

logger = logging.getLogger(__name__)

#: Training arguments of the objective (measured; see docs/reward-model-training.md). ``training_args`` wins.
OBJECTIVE_ARGS: dict[str, Any] = {
    "train_sampling_strategy": "random",  # length-grouped batches hid the length axis from the model
    "warmup_steps": 0.06,  # a float below 1: that share of the steps (transformers 5)
    "weight_decay": 0.0,
    "lr_scheduler_type": "linear",
}
#: Weight of the in-batch Bradley-Terry term next to the regression term, and its scale.
PAIRWISE_WEIGHT = 1.0
PAIRWISE_SCALE = 10.0
#: Texts whose frozen features fit the heads by least squares before training.
WARM_START_TEXTS = 512


@dataclasses.dataclass(frozen=True)
class RulesFit:
    """What :func:`run_rule_trainer` returns."""

    trainer: Any
    n_truncated: int
    step_times: dict[str, float]


def no_dropout(model_config: Any) -> dict[str, float]:
    """``from_pretrained`` keywords that turn the model's dropout off (the regression targets are exact)."""
    names = ("hidden_dropout_prob", "attention_probs_dropout_prob", "classifier_dropout", "dropout",
             "attention_dropout", "resid_pdrop", "embd_pdrop", "attn_pdrop", "summary_first_dropout")
    return {name: 0.0 for name in names if name in model_config}


def freeze_word_embeddings(model: Any) -> None:
    """Keep the input word embeddings fixed: a batch uses a few hundred of the vocabulary's rows,
    yet their dense gradient and optimizer update cost about 15% of a MiniLM step on CPU, and
    training them did not change held-out fidelity (docs/reward-model-training.md)."""
    model.get_input_embeddings().weight.requires_grad_(False)


def run_rule_trainer(
    model: Any,
    tokenizer: Any,
    texts: Sequence[str],
    prompts: Sequence[str | None] | None,
    components: dict[str, list[float]],
    weights: Sequence[float],
    settings: FitSettings,
    *,
    head_learning_rate: float,
    min_score_gap: float,
    scratch_dir: Path,
    resume_from_checkpoint: str | bool | None = None,
) -> RulesFit:
    """Train ``model`` (``num_labels == len(components)``) in place; the heads are collapsed afterwards.

    ``weights`` are the composite's normalised weights, in the order of ``components``.
    """
    # torch and transformers load here, when a model trains (importing this module stays light)
    from aligntune.reward_model import distillation_trainer, steps

    encoded = encode(tokenizer, texts, prompts=prompts, max_length=settings.max_length)
    if encoded.n_truncated:
        logger.warning(
            "%d of %d training texts are longer than max_length=%d tokens and were truncated to it; raise "
            "max_length to keep them whole", encoded.n_truncated, len(texts), settings.max_length,
        )
    dataset = distillation_trainer.build_dataset(encoded.input_ids, components)
    objective = distillation_trainer.DistillationObjective.from_scores(
        components, list(weights), regression_weight=1.0, pairwise_weight=PAIRWISE_WEIGHT,
        pairwise_scale=PAIRWISE_SCALE, min_score_gap=min_score_gap,
    )
    collator = distillation_trainer.RuleScoreCollator(tokenizer.pad_token_id, list(components))
    distillation_trainer.init_heads(model, objective)
    freeze_word_embeddings(model)
    distillation_trainer.warm_start_heads_least_squares(model, dataset, collator, max_rows=WARM_START_TEXTS)
    args = reward_config(
        dataclasses.replace(settings, training_args={**OBJECTIVE_ARGS, **settings.training_args}),
        settings.checkpoint_dir or scratch_dir,
    )
    timer = steps.StepTimer()
    trainer = distillation_trainer.RuleDistillationTrainer(
        model=model, args=args, train_dataset=dataset, data_collator=collator, objective=objective,
        head_learning_rate=head_learning_rate, step_timer=timer,
        callbacks=[timer, *(settings.callbacks or [])],
    )
    distributed.check_parameters_replicated(trainer.accelerator, "train_reward_model")
    trainer.train(resume_from_checkpoint=resume_from_checkpoint)
    distillation_trainer.collapse_heads(trainer.model, weights)
    return RulesFit(trainer=trainer, n_truncated=encoded.n_truncated, step_times=timer.summary())
