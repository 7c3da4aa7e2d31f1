"""Score texts with a reward model (a sequence classifier with one output).

>>> rm = TextRewardModel.from_pretrained("./reward_models/custom")   # doctest: +SKIP
>>> rm.score(["Thanks, here is how to do it step by step."])          # doctest: +SKIP
[0.83]

The model directory is checked before it loads (see
:func:`aligntune.model_dirs.inspect_model_dir`). A directory written by
aligntune carries ``aligntune.json``; its ``max_length`` and whether the model was
trained with prompts are used as defaults.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aligntune import _validation as v
from aligntune import model_dirs
from aligntune.errors import ModelLoadError, show
from aligntune.reward_model import loading
from aligntune.reward_model.chunks import length_chunks
from aligntune.reward_model.encoding import encode, pad_batch
from aligntune.rewards.base import check_finite, check_texts

logger = logging.getLogger(__name__)

#: Name of the machine-readable manifest aligntune writes beside a trained model.
MANIFEST_NAME = "aligntune.json"

#: The fixed cost of one scoring pass on a CPU, in padded tokens: a pass of MiniLM-L6 (fp32, 2 threads of
#: an AMD EPYC) took about 17 ms plus 0.17 ms a token; without a backward pass this is a larger share than
#: training's :data:`~aligntune.reward_model.chunks.CHUNK_OVERHEAD_TOKENS`.
SCORING_PASS_OVERHEAD_TOKENS = 128


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The aligntune manifest of a model directory, its values checked
    (:func:`~aligntune.reward_model.loading.check_manifest`), or ``None`` when there is none."""
    file = Path(path) / MANIFEST_NAME
    if not file.is_file():
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8, too deep
        raise ModelLoadError(f"{show(str(file))} is corrupted: {show(str(exc))}; delete it or retrain the model") from exc
    return loading.check_manifest(data, str(file))


class TextRewardModel:
    """A reward model that scores texts: ``score(texts) -> list[float]``, higher is better.

    Attributes: ``model`` (``AutoModelForSequenceClassification`` with
    ``num_labels=1``, in eval mode), ``tokenizer`` (with a pad token), ``max_length``,
    ``device``, ``manifest`` (the aligntune manifest, or ``None``) and ``path`` (the
    directory it was loaded from, or ``None`` for a model built in memory).
    """

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        max_length: int = 512,
        device: Any = None,
        manifest: dict[str, Any] | None = None,
    ) -> None:
        v.positive_int.check("TextRewardModel.max_length", max_length)  # 0 would give every text one score
        if getattr(model.config, "num_labels", None) != 1:
            raise ModelLoadError(
                f"A reward model must output one score (num_labels=1), got num_labels={model.config.num_labels}; "
                "train one with aligntune train-reward-model or load a reward-model checkpoint"
            )
        loading.ensure_pad_token(tokenizer, model)
        if device is not None:
            model = model.to(device)
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_length = model_dirs.cap_max_length(max_length, model.config)
        self.device = next(model.parameters()).device
        self.manifest = manifest
        self.path: str | None = None

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str | os.PathLike[str],
        *,
        device: Any = None,
        max_length: int | None = None,
        allow_pickle: bool = False,
        trust_remote_code: bool = False,
        local_files_only: bool | None = None,
        **model_kwargs: Any,
    ) -> TextRewardModel:
        """Load a reward model from a local directory or a hub name.

        ``max_length`` defaults to the value in the aligntune manifest, else 512.
        ``device`` is a torch device (default: where ``from_pretrained`` puts it, the CPU
        unless ``device_map`` is given). ``model_kwargs`` go to ``from_pretrained``
        (e.g. ``dtype``).
        """
        model_dirs.check_flags(allow_pickle=allow_pickle, trust_remote_code=trust_remote_code)
        path = model_dirs.resolve_model_path(name_or_path, local_files_only=local_files_only,
                                             instead="TextRewardModel.from_pretrained('/path/to/model')")
        info = model_dirs.inspect_model_dir(path, allow_pickle=allow_pickle, trust_remote_code=trust_remote_code)
        model_dirs.check_reward_model(info, name=show(str(name_or_path)))
        manifest = read_manifest(path)
        if max_length is None:
            max_length = (manifest or {}).get("training", {}).get("max_length") or 512
        tokenizer = loading.load_tokenizer(path, trust_remote_code=trust_remote_code)
        model = loading.load_sequence_classifier(
            path, allow_pickle=allow_pickle, trust_remote_code=trust_remote_code, **model_kwargs
        )
        loaded = cls(model, tokenizer, max_length=max_length, device=device, manifest=manifest)
        loaded.path = str(path)
        return loaded

    @property
    def uses_prompts(self) -> bool:
        """Whether the model was trained on (prompt, text) pairs."""
        return bool((self.manifest or {}).get("data", {}).get("uses_prompts", False))

    def score(
        self,
        texts: Sequence[str],
        *,
        prompts: Sequence[str | None] | None = None,
        batch_size: int = 32,
    ) -> list[float]:
        """Score ``texts`` (with aligned ``prompts`` when given) in batches, without gradients.

        Texts longer than ``max_length`` tokens are truncated (logged). Raises
        :class:`RewardFunctionError` if the model produces NaN or infinity.
        """
        import torch

        texts, prompts, _ = check_texts(texts, prompts=prompts)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be an integer >= 1, got {show(batch_size)}")
        encoded = encode(self.tokenizer, texts, prompts=prompts, max_length=self.max_length)
        if encoded.n_truncated:
            logger.info(
                "%d of %d texts are longer than max_length=%d tokens and were truncated",
                encoded.n_truncated,
                len(texts),
                self.max_length,
            )
        scores = [0.0] * len(texts)
        was_training = self.model.training
        self.model.eval()
        try:
            with torch.inference_mode():
                for rows in self.passes([len(ids) for ids in encoded.input_ids], batch_size):
                    batch = pad_batch(self.tokenizer, [encoded.input_ids[i] for i in rows])
                    batch = {k: v.to(self.device) for k, v in batch.items()}
                    logits = self.model(**batch).logits[:, 0].float().cpu().tolist()
                    for i, value in zip(rows, logits):
                        scores[i] = value
        finally:
            self.model.train(was_training)
        return check_finite(scores, who="The reward model", verb="produced", texts=texts,
                            hint=". The model weights may be corrupted")

    def passes(self, lengths: Sequence[int], batch_size: int) -> list[list[int]]:
        """The rows (indices into ``lengths``, token counts) of each forward pass, at most ``batch_size`` a pass.

        Rows are sorted by length so a pass pads little; the scores go back in the callers' order. On
        a CPU, where a pass costs about its padded tokens plus a fixed cost
        (:data:`SCORING_PASS_OVERHEAD_TOKENS`), the sorted rows are also cut
        where that saves padding (:func:`~aligntune.reward_model.chunks.length_chunks`): a few long
        texts among short ones get passes of their own instead of making every row as long as
        theirs. On other devices, where a pass of a small model costs about the same at any width,
        the passes are ``batch_size`` sorted rows each.
        """
        import torch

        if torch.device(self.device).type == "cpu":
            return length_chunks(lengths, SCORING_PASS_OVERHEAD_TOKENS, max_rows=batch_size)
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]

    def __call__(self, texts: Sequence[str], **kwargs: Any) -> list[float]:
        return self.score(texts, **kwargs)

    def __repr__(self) -> str:
        return f"<TextRewardModel {type(self.model).__name__} max_length={self.max_length} device={self.device}>"


def load_text_reward_model(path: str | os.PathLike[str], **kwargs: Any) -> TextRewardModel:
    """Load a trained reward model for scoring (see :meth:`TextRewardModel.from_pretrained`)."""
    return TextRewardModel.from_pretrained(path, **kwargs)
