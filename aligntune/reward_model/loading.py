"""Load reward-model tokenizers and sequence classifiers from checked local directories.

Directories are found and checked first (:mod:`aligntune.model_dirs`); these loaders
turn every failure into a :class:`~aligntune.errors.ModelLoadError` that says what is
wrong. transformers is imported inside each loader, on purpose: importing this
module stays light.
"""

from __future__ import annotations

import logging
from typing import Any

from aligntune.errors import ModelLoadError, show
from aligntune.model_dirs import check_flags

logger = logging.getLogger(__name__)


def load_tokenizer(path: str, *, trust_remote_code: bool = False) -> Any:
    """Load the tokenizer of a checked local directory; errors become :class:`ModelLoadError`."""
    check_flags(trust_remote_code=trust_remote_code)
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=trust_remote_code)
    except Exception as exc:
        raise ModelLoadError(f"Could not load the tokenizer from {show(path)}: {type(exc).__name__}: {exc}") from exc


def load_sequence_classifier(
    path: str,
    *,
    num_labels: int = 1,
    allow_pickle: bool = False,
    trust_remote_code: bool = False,
    fresh_head: bool = False,
    **kwargs: Any,
) -> Any:
    """Load ``AutoModelForSequenceClassification`` with ``num_labels`` outputs from a local directory.

    A base model without a classification head gets a freshly initialised one (the
    usual start of reward-model training); with ``fresh_head=True`` that is expected, and
    transformers' "newly initialized weights" report is replaced by one log line. Extra
    ``kwargs`` go to ``from_pretrained``.
    """
    check_flags(allow_pickle=allow_pickle, trust_remote_code=trust_remote_code)
    from transformers import AutoModelForSequenceClassification
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    if fresh_head:
        hf_logging.set_verbosity_error()
    try:
        model = AutoModelForSequenceClassification.from_pretrained(
            path,
            num_labels=num_labels,
            local_files_only=True,
            use_safetensors=None if allow_pickle else True,
            trust_remote_code=trust_remote_code,
            **kwargs,
        )
    except Exception as exc:
        raise ModelLoadError(
            f"Could not load {show(path)} as a sequence classifier with num_labels={num_labels}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    finally:
        hf_logging.set_verbosity(verbosity)
    if fresh_head:
        logger.info("Loaded %s with a new %d-output score head", path, num_labels)
    return model


def ensure_pad_token(tokenizer: Any, model: Any | None = None) -> str:
    """Give a tokenizer without a pad token one, without adding tokens to the vocabulary.

    Uses the end-of-sequence token (GPT-2 style), else the unknown token. Sets
    ``model.config.pad_token_id`` to match so the classifier finds the last real
    token. Returns the pad token. Raises :class:`ModelLoadError` when the tokenizer
    has none of them.
    """
    if tokenizer.pad_token is None:
        for candidate in (tokenizer.eos_token, tokenizer.unk_token):
            if candidate is not None:
                tokenizer.pad_token = candidate
                logger.info("Tokenizer has no pad token; using %r for padding", candidate)
                break
        else:
            raise ModelLoadError(
                f"Tokenizer {type(tokenizer).__name__} has no pad, end-of-sequence or unknown token to pad with; "
                "add one with tokenizer.add_special_tokens({'pad_token': '[PAD]'}) and save it with the model"
            )
    if model is not None:
        model.config.pad_token_id = tokenizer.pad_token_id
    return tokenizer.pad_token
