"""A small causal LM built locally: a byte-level BPE tokenizer trained offline, a GPT-2 (or Llama) config.

No causal LM ships on PyPI and nothing may be downloaded, so the demo, the tests and
the benchmarks build their policy here: :func:`build_tiny_policy` trains a tokenizer
on the given texts with the ``tokenizers`` library and saves a randomly initialised
model next to it; :func:`warm_up` trains it on texts (next-token loss) until it writes
like them. The tests use tens of thousands of parameters; the demo's size and warm-up are in
:data:`aligntune.demo.settings.POLICY`.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aligntune.atomic import staged_output
from aligntune.errors import show

logger = logging.getLogger(__name__)

BOS_EOS = "<|endoftext|>"
PAD = "<pad>"


def train_bpe_tokenizer(texts: Sequence[str], *, vocab_size: int = 1024) -> Any:
    """A byte-level BPE ``PreTrainedTokenizerFast`` with ``<|endoftext|>`` (BOS/EOS) and ``<pad>``."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[BOS_EOS, PAD],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(texts), trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=BOS_EOS, eos_token=BOS_EOS, pad_token=PAD, model_max_length=512
    )


def build_tiny_policy(
    output_dir: str | Path,
    texts: Sequence[str],
    *,
    vocab_size: int = 1024,
    n_layer: int = 2,
    hidden: int = 64,
    n_head: int = 2,
    max_positions: int = 256,
    architecture: str = "gpt2",
    dropout: float = 0.0,
    seed: int = 0,
) -> str:
    """Save a tokenizer + randomly initialised causal LM to ``output_dir``; returns the path.

    ``architecture`` is ``"gpt2"`` or ``"llama"``. ``dropout`` (every dropout of the model) is 0 by
    default: the warm-up should learn the corpus's sentences as fast as it can, and PPO turns
    dropout off anyway.
    """
    import torch
    from transformers import AutoModelForCausalLM, GPT2Config, LlamaConfig

    tokenizer = train_bpe_tokenizer(texts, vocab_size=vocab_size)
    ids = dict(vocab_size=len(tokenizer), bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
               pad_token_id=tokenizer.pad_token_id)
    if architecture == "gpt2":
        config = GPT2Config(n_layer=n_layer, n_embd=hidden, n_head=n_head, n_positions=max_positions,
                            resid_pdrop=dropout, embd_pdrop=dropout, attn_pdrop=dropout, **ids)
    elif architecture == "llama":
        config = LlamaConfig(
            num_hidden_layers=n_layer, hidden_size=hidden, num_attention_heads=n_head, num_key_value_heads=n_head,
            intermediate_size=hidden * 4, max_position_embeddings=max_positions, attention_dropout=dropout, **ids,
        )
    else:
        raise ValueError(f"architecture must be 'gpt2' or 'llama', got {show(architecture)}")
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(config)
    _save(Path(output_dir), model, tokenizer)
    return str(output_dir)


def _save(target: Path, model: Any, tokenizer: Any) -> None:
    """Write the model and tokenizer into ``target`` atomically (replacing what is there)."""
    with staged_output(target, overwrite=True, kind="policy") as staging:
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)


@dataclass(frozen=True)
class WarmUp:
    """What :func:`warm_up` did: the final loss, the optimiser steps and the tokens it trained on."""

    loss: float
    steps: int
    tokens: int


def warm_up(
    model_dir: str | Path,
    texts: Sequence[str],
    *,
    steps: int = 200,
    batch_size: int = 16,
    learning_rate: float = 3e-3,
    max_length: int = 96,
    seed: int = 0,
) -> WarmUp:
    """Fine-tune the causal LM in ``model_dir`` on ``texts`` (next-token loss), in place.

    Each example is ``text + EOS`` so the model learns to stop; a text longer than ``max_length``
    tokens is cut there without the EOS (an EOS after a cut would teach the model to stop
    mid-sentence). The learning rate rises linearly over the first 5% of the steps, then follows a
    cosine down to 0.
    """
    import torch
    from tqdm.auto import tqdm
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not texts:
        raise ValueError("warm_up needs at least one text, got none")
    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    model.loss_type = "ForCausalLM"  # transformers finds no loss in the name GPT2LMHeadModel and warns before using this one
    model.train()
    optim = torch.optim.AdamW(model.parameters(), lr=learning_rate)
    rise = max(1, steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min(1.0, (s + 1) / rise) * 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
    encoded = [ids + [tokenizer.eos_token_id] if len(ids) < max_length else ids[:max_length]
               for ids in tokenizer(list(texts))["input_ids"]]
    loss_value = float("nan")
    tokens = 0
    bar = tqdm(range(steps), desc="warm-up", unit="step")
    for _ in bar:
        batch = rng.sample(encoded, min(batch_size, len(encoded)))
        width = max(len(b) for b in batch)
        ids = torch.full((len(batch), width), tokenizer.pad_token_id, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for i, row in enumerate(batch):
            ids[i, : len(row)] = torch.tensor(row)
            mask[i, : len(row)] = 1
        tokens += int(mask.sum())
        labels = ids.masked_fill(mask == 0, -100)
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optim.step()
        sched.step()
        optim.zero_grad()
        loss_value = loss.item()
        bar.set_postfix(loss=f"{loss_value:.3f}")
    model.eval()
    _save(Path(model_dir), model, tokenizer)
    logger.info("Warm-up done: loss %.3f after %d steps (%d tokens)", loss_value, steps, tokens)
    return WarmUp(loss=loss_value, steps=steps, tokens=tokens)
