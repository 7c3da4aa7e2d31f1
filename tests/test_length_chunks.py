"""Length-sorted forward calls in the rules objective: less padding, the same outputs and gradients."""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip("torch")

from aligntune.reward_model.chunks import forward_in_chunks, length_chunks  # noqa: E402


def _padded(lengths, chunks):
    return sum(len(rows) * max(lengths[i] for i in rows) for rows in chunks)


def test_chunks_partition_the_batch_and_pad_less_than_one_call():
    rng = random.Random(0)
    for _ in range(200):
        lengths = [rng.randint(5, 400) for _ in range(rng.randint(1, 16))]
        chunks = length_chunks(lengths, overhead=48)
        assert sorted(i for rows in chunks for i in rows) == list(range(len(lengths)))
        one_call = len(lengths) * max(lengths) + 48
        assert _padded(lengths, chunks) + 48 * len(chunks) <= one_call


def test_a_batch_of_one_short_and_many_long_texts_splits_the_short_one_off():
    chunks = length_chunks([20, 300, 310, 305], overhead=48)
    assert [0] in chunks and len(chunks) == 2


def test_equal_lengths_stay_in_one_call():
    assert length_chunks([100] * 8, overhead=48) == [list(range(8))]


def test_chunked_forward_gives_the_logits_and_gradients_of_one_padded_call(tiny_bert_dir):
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(tiny_bert_dir, num_labels=3).eval()
    lengths = [7, 60, 12, 59, 3, 33]
    ids = torch.zeros((len(lengths), max(lengths)), dtype=torch.long)
    mask = torch.zeros_like(ids)
    gen = torch.Generator().manual_seed(0)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(1000, 5000, (n,), generator=gen)
        mask[i, :n] = 1

    def run(chunks):
        model.zero_grad()
        logits = forward_in_chunks(model, ids, mask, chunks)
        (logits * torch.arange(1, 4)).sum().backward()
        return logits.detach(), [p.grad.clone() for p in model.parameters() if p.grad is not None]

    whole, whole_grads = run([list(range(len(lengths)))])
    chunks = length_chunks(lengths, overhead=0)
    assert len(chunks) > 1
    split, split_grads = run(chunks)
    torch.testing.assert_close(split, whole, atol=1e-5, rtol=1e-4)
    for a, b in zip(split_grads, whole_grads):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-4)

