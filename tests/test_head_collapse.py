"""The rules objective's model: heads collapsed into one output, the word embeddings left as they were."""

from __future__ import annotations

import torch


def test_collapsed_model_outputs_the_weighted_heads(tiny_bert_dir):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from aligntune.reward_model.distillation_trainer import collapse_heads

    tokenizer = AutoTokenizer.from_pretrained(tiny_bert_dir)
    model = AutoModelForSequenceClassification.from_pretrained(tiny_bert_dir, num_labels=3).eval()
    batch = tokenizer(["A short answer.", "A longer answer, with a clause or two in it."], padding=True,
                      return_tensors="pt", return_token_type_ids=False)
    with torch.no_grad():
        heads = model(**batch).logits
        collapse_heads(model, [0.9, -0.2, 0.4])
        single = model(**batch).logits
    assert model.config.num_labels == 1 and single.shape == (2, 1)
    assert torch.allclose(single[:, 0], heads @ torch.tensor([0.9, -0.2, 0.4]), atol=1e-5)


def test_training_keeps_the_word_embeddings_and_moves_the_encoder(tiny_bert_dir, tmp_path):
    from safetensors.torch import load_file

    from aligntune.data import load_bundled_corpus
    from aligntune.rewards.training import RewardModelTrainer

    corpus = load_bundled_corpus(60, seed=7)
    trainer = RewardModelTrainer(str(tiny_bert_dir), ["length", "sentiment"], [0.6, 0.4])
    data = trainer.generate_training_data(corpus.texts)
    trainer.train_reward_model(data, tmp_path / "rm", num_epochs=1, batch_size=8, max_length=96,
                               training_args={"bf16": False})

    def tensor(directory, suffix):
        tensors = load_file(directory / "model.safetensors")
        return next(t for name, t in tensors.items() if name.endswith(suffix))

    words = "word_embeddings.weight"
    assert torch.equal(tensor(tiny_bert_dir, words), tensor(tmp_path / "rm", words))
    query = "layer.0.attention.self.query.weight"
    assert not torch.equal(tensor(tiny_bert_dir, query), tensor(tmp_path / "rm", query))
