"""A tiny causal LM built locally: a byte-level BPE tokenizer trained offline, a small config.

No causal LM ships on PyPI and nothing may be downloaded, so the demo, the tests and
the benchmark build their policy here: :func:`build_tiny_policy` trains a tokenizer
on the given texts with the ``tokenizers`` library and saves a randomly initialised
GPT-2 (or Llama) model next to it; :func:`warm_up` fine-tunes it briefly on the same
texts so its samples are readable.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Sequence
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
    seed: int = 0,
) -> str:
    """Save a tokenizer + randomly initialised causal LM to ``output_dir``; returns the path.

    ``architecture`` is ``"gpt2"`` or ``"llama"``.
    """
    import torch
    from transformers import AutoModelForCausalLM, GPT2Config, LlamaConfig

    tokenizer = train_bpe_tokenizer(texts, vocab_size=vocab_size)
    ids = dict(vocab_size=len(tokenizer), bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
               pad_token_id=tokenizer.pad_token_id)
    if architecture == "gpt2":
        config = GPT2Config(n_layer=n_layer, n_embd=hidden, n_head=n_head, n_positions=max_positions, **ids)
    elif architecture == "llama":
        config = LlamaConfig(
            num_hidden_layers=n_layer, hidden_size=hidden, num_attention_heads=n_head, num_key_value_heads=n_head,
            intermediate_size=hidden * 4, max_position_embeddings=max_positions, **ids,
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


def warm_up(
    model_dir: str | Path,
    texts: Sequence[str],
    *,
    steps: int = 200,
    batch_size: int = 16,
    learning_rate: float = 3e-3,
    max_length: int = 96,
    seed: int = 0,
) -> float:
    """Fine-tune the causal LM in ``model_dir`` on ``texts`` (next-token loss), in place.

    Each example is ``text + EOS`` so the model learns to stop. Returns the final loss.
    """
    import torch
    from tqdm.auto import tqdm
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    model.train()
    optim = torch.optim.AdamW(model.parameters(), lr=learning_rate)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
    encoded = [ids[: max_length - 1] + [tokenizer.eos_token_id] for ids in tokenizer(list(texts))["input_ids"]]
    loss_value = float("nan")
    bar = tqdm(range(steps), desc="warm-up", unit="step")
    for _ in bar:
        batch = rng.sample(encoded, min(batch_size, len(encoded)))
        width = max(len(b) for b in batch)
        ids = torch.full((len(batch), width), tokenizer.pad_token_id, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for i, row in enumerate(batch):
            ids[i, : len(row)] = torch.tensor(row)
            mask[i, : len(row)] = 1
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
    logger.info("Warm-up done: loss %.3f after %d steps", loss_value, steps)
    return loss_value
