"""train_reward_model: real trl.RewardTrainer runs on tiny local models."""

from __future__ import annotations

import json
import logging
import math

import pytest
import torch

from aligntune.errors import ConfigurationError, ModelLoadError
from aligntune.rewards.base import reward_function
from aligntune.rewards.training import RewardModelTrainer

FAST = {"num_epochs": 1, "learning_rate": 3e-3, "batch_size": 8, "max_length": 96}


@reward_function(name="wordiness")
def wordiness(text):
    """More words score higher, up to 60."""
    return min(1.0, len(text.split()) / 60)


@reward_function(name="courtesy")
def courtesy(text):
    """Polite words up, rude words down."""
    low = text.lower()
    good = sum(w in low for w in ("thank", "glad", "happy", "hope", "great"))
    bad = sum(w in low for w in ("stupid", "hate", "pathetic", "clueless", "hopeless"))
    return max(0.0, min(1.0, 0.5 + 0.25 * good - 0.3 * bad))


@pytest.fixture(scope="module")
def corpus_120():
    from aligntune.data import load_bundled_corpus

    return load_bundled_corpus(120, seed=5)


@pytest.fixture(scope="module")
def trained(tiny_bert_dir, corpus_120, tmp_path_factory):
    """One tiny model trained once for the read-only checks below."""
    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness, courtesy], [0.7, 0.3], eval_fraction=0.2, pairs_per_text=3)
    data = trainer.generate_training_data(corpus_120.texts)
    out = tmp_path_factory.mktemp("trained") / "model"
    # 3 epochs at 1e-3: in fp32 (a CPU without native bf16) 1 epoch at 3e-3 ended at Spearman 0.34
    path = trainer.train_reward_model(data, out, **{**FAST, "num_epochs": 3, "learning_rate": 1e-3})
    return trainer, data, path


@pytest.mark.slow
def test_saved_directory_is_a_standard_reward_model(trained):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    _, data, path = trained
    files = set(p.name for p in __import__("pathlib").Path(path).iterdir())
    assert {"model.safetensors", "config.json", "README.md", "aligntune.json", "fidelity.png"} <= files
    assert not any(f.endswith(".bin") for f in files)
    model = AutoModelForSequenceClassification.from_pretrained(path).eval()
    tokenizer = AutoTokenizer.from_pretrained(path)
    assert model.config.num_labels == 1 and model.config.pad_token_id == tokenizer.pad_token_id
    # Higher-composite texts score higher with plain transformers.
    order = sorted(range(data.num_rows), key=lambda i: data[i]["score"])
    low = [data[i]["text"] for i in order[:20]]
    high = [data[i]["text"] for i in order[-20:]]
    with torch.no_grad():
        enc = lambda texts: tokenizer(texts, padding=True, truncation=True, max_length=96, return_tensors="pt")
        low_scores = model(**enc(low)).logits[:, 0]
        high_scores = model(**enc(high)).logits[:, 0]
    assert high_scores.mean() > low_scores.mean()


@pytest.mark.slow
def test_fidelity_is_returned_logged_and_in_the_card(trained):
    trainer, _, path = trained
    fid = path.fidelity
    assert trainer.last_fidelity is fid
    assert fid.n_texts == 24 and fid.n_pairs > 100
    assert fid.spearman is not None and fid.spearman > 0.5
    assert set(fid.components) == {"wordiness", "courtesy"}
    card = (__import__("pathlib").Path(path) / "README.md").read_text()
    assert f"{fid.spearman:.3f}" in card and "wordiness" in card and "trl" in card
    manifest = json.loads((__import__("pathlib").Path(path) / "aligntune.json").read_text())
    assert manifest["reward_functions"]["functions"] == ["wordiness", "courtesy"]
    assert manifest["reward_functions"]["weights"] == [0.7, 0.3]
    assert manifest["fidelity"]["spearman"] == pytest.approx(fid.spearman)
    assert manifest["data"]["n_train_texts"] == 96 and manifest["data"]["n_eval_texts"] == 24
    assert manifest["versions"]["trl"] and manifest["versions"]["transformers"]
    assert manifest["training"]["gradient_checkpointing"] is False  # CPU default
    from aligntune.reward_model.training_args import cpu_has_native_bf16

    assert manifest["training"]["bf16"] is cpu_has_native_bf16()  # CPU default: on where bf16 is native


@pytest.mark.parametrize(
    "cpuinfo, native",
    [
        ("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512vl\n", True),
        ("processor\t: 0\nflags\t\t: fpu sse2 avx2 amx_tile amx_bf16\n", True),
        ("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512vl\n", False),
        ("processor\t: 0\nFeatures\t: fp asimd bf16 i8mm\n", True),
        ("processor\t: 0\nFeatures\t: fp asimd\n", False),
        ("", False),
    ],
)
def test_bf16_default_follows_the_cpu_flags(tmp_path, cpuinfo, native):
    from aligntune.reward_model.training_args import cpu_has_native_bf16

    info = tmp_path / "cpuinfo"
    info.write_text(cpuinfo)
    assert cpu_has_native_bf16(str(info)) is native
    assert cpu_has_native_bf16(str(tmp_path / "missing")) is False


@pytest.mark.slow
def test_bf16_can_be_turned_off_through_training_args(tiny_bert_dir, corpus_120, tmp_path):
    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness])
    data = trainer.generate_training_data(corpus_120.texts[:40])
    path = trainer.train_reward_model(data, tmp_path / "m", training_args={"max_steps": 1, "bf16": False}, **FAST)
    assert path.manifest["training"]["bf16"] is False


@pytest.mark.slow
def test_text_reward_model_and_cli_score_with_the_trained_model(trained):
    from click.testing import CliRunner

    from aligntune.cli import main
    from aligntune.reward_model.scoring import load_text_reward_model

    _, _, path = trained
    rm = load_text_reward_model(path)
    assert rm.max_length == 96  # from the manifest
    texts = ["Thanks! I hope this helps, great question, here is a long and careful answer " * 3, "stupid"]
    scores = rm.score(texts)
    assert scores[0] > scores[1]
    result = CliRunner().invoke(main, ["rewards", "score", "--model", str(path), "--text", texts[0], "--text", texts[1]])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [r["score"] for r in rows] == pytest.approx(scores, abs=1e-5)


@pytest.mark.slow
def test_non_empty_output_dir_is_an_error_unless_overwrite(trained):
    trainer, data, path = trained
    before = sorted(p.name for p in __import__("pathlib").Path(path).iterdir())
    with pytest.raises(ConfigurationError, match=r"already exists and is not empty.*overwrite=True"):
        trainer.train_reward_model(data, path, **FAST)
    assert sorted(p.name for p in __import__("pathlib").Path(path).iterdir()) == before


@pytest.mark.slow
def test_overwrite_replaces_and_interrupt_leaves_nothing(tiny_bert_dir, corpus_120, tmp_path):
    from transformers import TrainerCallback

    class Interrupt(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step == 2:
                raise KeyboardInterrupt

    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness])
    data = trainer.generate_training_data(corpus_120.texts[:40])
    out = tmp_path / "model"
    with pytest.raises(KeyboardInterrupt):
        trainer.train_reward_model(data, out, callbacks=[Interrupt()], **FAST)
    assert list(tmp_path.iterdir()) == []  # no output, no staging directory
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(ConfigurationError, match="was not written by aligntune"):  # a folder aligntune did not write
        trainer.train_reward_model(data, out, overwrite=True, training_args={"max_steps": 2}, **FAST)
    assert [p.name for p in out.iterdir()] == ["old.txt"]
    (out / "old.txt").unlink()
    trainer.train_reward_model(data, out, training_args={"max_steps": 2}, **FAST)  # an earlier model, then replaced
    (out / "old.txt").write_text("old")
    trainer.train_reward_model(data, out, overwrite=True, training_args={"max_steps": 2}, **FAST)
    assert not (out / "old.txt").exists() and (out / "model.safetensors").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


@pytest.mark.slow
def test_resume_from_checkpoint_passes_through(tiny_bert_dir, corpus_120, tmp_path):
    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness])
    data = trainer.generate_training_data(corpus_120.texts[:40])
    ckpt = tmp_path / "ckpt"
    first = trainer.train_reward_model(
        data, tmp_path / "a", checkpoint_dir=ckpt, training_args={"max_steps": 3, "save_steps": 3}, **FAST
    )
    assert (ckpt / "checkpoint-3").is_dir() and first.manifest["training"]["global_steps"] == 3
    second = trainer.train_reward_model(
        data,
        tmp_path / "b",
        checkpoint_dir=ckpt,
        resume_from_checkpoint=str(ckpt / "checkpoint-3"),
        training_args={"max_steps": 5, "save_steps": 100},
        **FAST,
    )
    assert second.manifest["training"]["global_steps"] == 5


@pytest.mark.slow
def test_gpt2_tokenizer_without_pad_token_trains(tiny_gpt2_dir, corpus_120, tmp_path):
    from aligntune.reward_model.scoring import TextRewardModel

    trainer = RewardModelTrainer(str(tiny_gpt2_dir), [wordiness, courtesy])
    data = trainer.generate_training_data(corpus_120.texts[:60], prompts=None)
    path = trainer.train_reward_model(data, tmp_path / "gpt2", **FAST)
    rm = TextRewardModel.from_pretrained(path)
    assert rm.tokenizer.pad_token == "<|endoftext|>"
    assert rm.model.config.pad_token_id == rm.tokenizer.eos_token_id
    assert all(math.isfinite(s) for s in rm.score(["a", "b c d"]))


@pytest.mark.slow
def test_long_texts_are_counted_and_truncated(tiny_bert_dir, corpus_120, tmp_path, caplog):
    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness])
    data = trainer.generate_training_data(corpus_120.texts[:40])
    with caplog.at_level(logging.WARNING, logger="aligntune"):
        path = trainer.train_reward_model(data, tmp_path / "m", training_args={"max_steps": 1}, **{**FAST, "max_length": 16})
    n = path.manifest["data"]["n_truncated"]
    assert n > 0
    assert f"{n} of " in caplog.text and "were truncated" in caplog.text
    assert f"Texts truncated to max_length=16:** {n}" in (tmp_path / "m" / "README.md").read_text()


@pytest.mark.slow
def test_max_length_past_the_position_limit_is_capped_not_a_crash(tiny_bert_dir, corpus_120, tmp_path, caplog):
    """The tiny BERT has 256 positions; texts of 300+ tokens at max_length=512 used to crash in the forward pass."""
    from aligntune.reward_model import TextRewardModel

    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness])
    long_texts = [" ".join(["word"] * (300 + 7 * i)) + " end" for i in range(5)]
    data = trainer.generate_training_data(long_texts + corpus_120.texts[:35])
    with caplog.at_level(logging.WARNING, logger="aligntune"):
        path = trainer.train_reward_model(data, tmp_path / "m", training_args={"max_steps": 2}, **{**FAST, "max_length": 512})
    assert "max_length=512 is longer than the model's 256 positions" in caplog.text
    assert path.manifest["training"]["max_length"] == 256
    assert path.manifest["data"]["n_truncated"] >= 5
    scorer = TextRewardModel.from_pretrained(path, max_length=1024)
    assert scorer.max_length == 256
    assert all(math.isfinite(x) for x in scorer.score(long_texts))


@pytest.mark.slow
def test_prompts_are_encoded_when_the_data_has_them(tiny_bert_dir, corpus_120, tmp_path):
    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness])
    data = trainer.generate_training_data(corpus_120.texts[:40], prompts=corpus_120.prompts[:40])
    path = trainer.train_reward_model(data, tmp_path / "m", training_args={"max_steps": 1}, **FAST)
    assert path.manifest["data"]["uses_prompts"] is True


def test_missing_base_model_path_fails_before_anything(tmp_path):
    with pytest.raises(ModelLoadError, match=r"does not exist"):
        RewardModelTrainer(str(tmp_path / "missing-model"), [wordiness])
    assert list(tmp_path.iterdir()) == []


def test_hub_name_offline_fails_before_loading_and_writes_nothing(corpus_120, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    trainer = RewardModelTrainer("microsoft/DialoGPT-medium", [wordiness])
    data = trainer.generate_training_data(corpus_120.texts[:20])
    with pytest.raises(ModelLoadError, match=r"pass a local directory instead"):
        trainer.train_reward_model(data, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_model_without_tokenizer_fails_before_anything(tiny_bert_dir, tmp_path):
    import shutil

    bare = tmp_path / "bare"
    bare.mkdir()
    for name in ("config.json", "model.safetensors"):
        shutil.copy(tiny_bert_dir / name, bare / name)
    with pytest.raises(ModelLoadError, match=r"no tokenizer files"):
        RewardModelTrainer(str(bare), [wordiness])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bare"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"learning_rate": -1}, r"train_reward_model.learning_rate must be > 0, got -1"),
        ({"num_epochs": 0}, r"train_reward_model.num_epochs must be > 0, got 0"),
        ({"batch_size": 0}, r"train_reward_model.batch_size must be >= 1, got 0"),
        ({"max_length": 2.5}, r"train_reward_model.max_length must be an integer"),
        ({"training_args": {"no_such_field": 1}}, r"trl.RewardConfig does not know: \['no_such_field'\]"),
    ],
)
def test_training_arguments_are_validated_before_loading(tiny_bert_dir, corpus_120, tmp_path, kwargs, message):
    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness])
    data = trainer.generate_training_data(corpus_120.texts[:20])
    with pytest.raises(ConfigurationError, match=message):
        trainer.train_reward_model(data, tmp_path / "out", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_trainer_arguments_are_validated(tiny_bert_dir):
    base = str(tiny_bert_dir)
    with pytest.raises(ConfigurationError, match=r"base_model_name is required"):
        RewardModelTrainer("", [wordiness])
    with pytest.raises(ConfigurationError, match=r"reward_functions is required"):
        RewardModelTrainer(base, [])
    with pytest.raises(ConfigurationError, match=r"composite_weights must have one weight per reward function"):
        RewardModelTrainer(base, [wordiness, courtesy], [1.0])
    with pytest.raises(ConfigurationError, match=r"composite_weights\[0\] must be a positive finite number, got -1"):
        RewardModelTrainer(base, [wordiness], [-1])
    with pytest.raises(ConfigurationError, match=r"RewardModelTrainer.pairs_per_text must be >= 1, got 0"):
        RewardModelTrainer(base, [wordiness], pairs_per_text=0)
    with pytest.raises(ConfigurationError, match=r"Unknown reward function 'no_such_reward'"):
        RewardModelTrainer(base, ["no_such_reward"])
