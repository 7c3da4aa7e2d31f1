"""The pairs objective: tokenised preference pairs in, a model trained by ``trl.RewardTrainer`` out.

* Texts are tokenised here (see :mod:`aligntune.reward_model.encoding`) and handed
  over as ``chosen_ids``/``rejected_ids``. TRL would otherwise append the
  tokenizer's end-of-sequence token, which crashes on tokenizers without one (BERT
  family, such as the MiniLM default), and it would silently drop every pair longer
  than ``max_length``. Here long texts are truncated explicitly, counted, and the
  count is logged and written into the model card.
* A tokenizer without a pad token (GPT-2 style) pads with its end-of-sequence
  token; ``config.pad_token_id`` is set to match (:func:`aligntune.reward_model.loading.ensure_pad_token`).
* A trainer that ends up with fewer processes than were launched is logged as a warning.

The training arguments come from :func:`aligntune.reward_model.training_args.reward_config`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aligntune import distributed
from aligntune.reward_model.encoding import encode
from aligntune.reward_model.pairs import PairIndex
from aligntune.reward_model.training_args import FitSettings, reward_config

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TokenizedPairs:
    dataset: Any
    n_truncated: int
    n_texts: int


def tokenize_pairs(
    tokenizer: Any,
    texts: Sequence[str],
    prompts: Sequence[str | None] | None,
    pairs: PairIndex,
    *,
    max_length: int,
    use_margin: bool,
) -> TokenizedPairs:
    """Encode each text once, then build the ``chosen_ids``/``rejected_ids`` dataset."""
    from datasets import Dataset

    encoded = encode(tokenizer, texts, prompts=prompts, max_length=max_length)
    if encoded.n_truncated:
        logger.warning(
            "%d of %d training texts are longer than max_length=%d tokens and were truncated to it "
            "(trl.RewardTrainer would have dropped their pairs silently). Raise max_length to keep them whole.",
            encoded.n_truncated,
            len(texts),
            max_length,
        )
    ids = encoded.input_ids
    columns: dict[str, Any] = {
        "chosen_ids": [ids[i] for i in pairs.chosen],
        "rejected_ids": [ids[i] for i in pairs.rejected],
    }
    if use_margin:
        columns["margin"] = pairs.margin.tolist()
    columns["length"] = [max(len(ids[c]), len(ids[r])) for c, r in zip(pairs.chosen, pairs.rejected)]
    return TokenizedPairs(Dataset.from_dict(columns), encoded.n_truncated, len(texts))



def run_reward_trainer(
    model: Any,
    tokenizer: Any,
    train_dataset: Any,
    settings: FitSettings,
    *,
    scratch_dir: Path,
    resume_from_checkpoint: str | bool | None = None,
) -> Any:
    """Train ``model`` in place with ``trl.RewardTrainer``; return the trainer.

    Checkpoints go to ``settings.checkpoint_dir`` when it is set (so an interrupted
    run can resume with ``resume_from_checkpoint``); otherwise nothing is
    checkpointed and TRL's scratch files stay inside ``scratch_dir``.
    """
    from trl import RewardTrainer

    output_dir = settings.checkpoint_dir or scratch_dir
    args = reward_config(settings, output_dir)
    launched = distributed.world_size()
    if args.world_size != launched:
        logger.warning(
            "%d processes were launched but trl.RewardTrainer runs with world_size=%d, so each process trains "
            "on all the pairs; on CPU pass training_args={'use_cpu': True} or set ACCELERATE_USE_CPU=1",
            launched,
            args.world_size,
        )
    trainer = RewardTrainer(
        model=model,
        args=args,
        train_dataset=train_dataset,
        processing_class=tokenizer,
        callbacks=settings.callbacks or None,
    )
    distributed.check_parameters_replicated(trainer.accelerator, "train_reward_model")
    trainer.train(resume_from_checkpoint=resume_from_checkpoint)
    return trainer
