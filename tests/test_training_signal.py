"""Low fidelity is said, and data without signal is refused (issue 25, item 7).

* A reward model whose held-out fidelity should not be trusted (fewer than 50 held-out texts,
  a figure below 0.8, an interval wider than 0.2) is trained and saved, with a WARNING in the
  log (printed by the CLI, and by RL before it starts) and in the model card and manifest.
* Texts that all get the same composite score, and preference pairs whose chosen side is the
  rejected one in every row, are refused with a DataError before any model loads.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aligntune.errors import DataError
from aligntune.reward_model.fidelity import FidelityReport
from aligntune.rewards.base import reward_function
from aligntune.rewards.training import RewardModelTrainer

FAST = {"num_epochs": 1, "learning_rate": 1e-3, "batch_size": 4, "max_length": 48}
GUIDE_TEXTS = [  # the guide's example texts, guide-sized
    "This is a helpful and informative response that addresses the question.",
    "I'm not entirely sure, but I think the answer might be related to this.",
    "That's a great question! Let me break it down step by step for you.",
    "I don't have enough information to provide a complete answer.",
    "Here's a comprehensive explanation of the topic you asked about.",
    "No.",
    "Maybe, maybe not; it depends on details you did not give.",
    "Thanks for asking! First, check the cable; then restart the router and wait a minute.",
    "Go away.",
    "The short answer is yes, and the long answer follows in three parts below.",
    "I hope this helps, and please ask again if anything is unclear.",
    "Whatever.",
]


@reward_function(name="signal_words")
def signal_words(text):
    """More words score higher, up to 20."""
    return min(1.0, len(text.split()) / 20)


# -- the figures that are not to be trusted --------------------------------------------------------

def test_a_trustworthy_report_has_no_concerns():
    good = FidelityReport(spearman=0.95, pairwise_accuracy=0.9, n_texts=240, n_pairs=20000,
                          spearman_interval=[0.93, 0.97], pairwise_interval=[0.88, 0.92])
    assert good.concerns() == [] and good.warning() is None
    assert good.as_dict()["warnings"] == []


def test_each_untrusted_figure_is_named():
    guide = FidelityReport(spearman=-1.0, pairwise_accuracy=0.0, n_texts=3, n_pairs=3)
    text = guide.warning()
    assert "only 3 held-out texts (fewer than 50)" in text and "Spearman -1.000 is below 0.8" in text
    doc = FidelityReport(spearman=0.346, pairwise_accuracy=0.62, n_texts=60, n_pairs=1500,
                         spearman_interval=[0.005, 0.631], pairwise_interval=[0.55, 0.7])
    assert doc.concerns() == ["Spearman 0.346 is below 0.8", "the Spearman interval [0.005, 0.631] is wider than 0.2",
                              "pairwise accuracy 0.620 is below 0.8"]
    flat = FidelityReport(spearman=None, pairwise_accuracy=None, n_texts=100, n_pairs=0)
    assert "Spearman could not be measured (n/a)" in flat.concerns()
    pairs = FidelityReport(spearman=None, pairwise_accuracy=0.9, n_texts=80, n_pairs=40, unit="pairs",
                           pairwise_interval=[0.85, 0.95])
    assert pairs.concerns() == ["only 40 held-out pairs (fewer than 50), too few to measure fidelity; train on more "
                                "texts (a few hundred or more) or raise eval_fraction"]


@pytest.mark.slow
def test_a_guide_sized_run_warns_in_the_log_the_card_and_the_manifest(tiny_bert_dir, tmp_path, caplog):
    trainer = RewardModelTrainer(str(tiny_bert_dir), [signal_words, "length"])
    data = trainer.generate_training_data(GUIDE_TEXTS)
    with caplog.at_level(logging.INFO):
        path = trainer.train_reward_model(data, tmp_path / "rm", **FAST)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "fidelity" in r.getMessage()]
    assert len(warnings) == 1
    assert "only 3 held-out texts (fewer than 50)" in warnings[0].getMessage()
    card = (Path(path) / "README.md").read_text(encoding="utf-8")
    assert "**Warning: low or uncertain fidelity.** only 3 held-out texts" in card
    manifest = json.loads((Path(path) / "aligntune.json").read_text(encoding="utf-8"))
    assert manifest["fidelity"]["warnings"] == path.fidelity.concerns() != []


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "aligntune.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.slow
def test_the_cli_prints_the_warning(tiny_bert_dir, tmp_path):
    texts = tmp_path / "texts.txt"
    texts.write_text("\n".join(GUIDE_TEXTS) + "\n", encoding="utf-8")
    proc = _cli("train-reward-model", "--base-model", str(tiny_bert_dir), "--functions", "length",
                "--texts", str(texts), "--output-dir", str(tmp_path / "rm"), "--num-epochs", "1", "--max-length", "48",
                cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" in proc.stderr and "Low or uncertain reward-model fidelity: only 3 held-out texts" in proc.stderr


@pytest.mark.slow
def test_rl_sees_the_warning_before_it_starts(tiny_bert_dir, tmp_path, caplog):
    """The custom_trained source (what create_rl_trainer's train_custom_reward_model runs) warns before it returns."""
    from aligntune.core.rl.config import RewardModelSourceConfig, RewardModelTrainingConfig
    from aligntune.rl.sources import load_reward_model

    config = RewardModelSourceConfig(source_type="custom_trained", training_config=RewardModelTrainingConfig(
        base_model_name=str(tiny_bert_dir), training_texts=GUIDE_TEXTS, reward_functions=["length"],
        output_dir=str(tmp_path / "rm"), num_epochs=1, max_length=48))
    with caplog.at_level(logging.WARNING):
        reward = load_reward_model(config)
    assert any("Low or uncertain reward-model fidelity" in r.getMessage() for r in caplog.records)
    assert reward.path.fidelity.concerns()


# -- data without signal -------------------------------------------------------------------------

def test_twenty_identical_texts_are_refused_before_loading(tiny_bert_dir, tmp_path):
    trainer = RewardModelTrainer(str(tiny_bert_dir), [signal_words, "length"])
    data = trainer.generate_training_data(["The same answer, again."] * 20)
    with pytest.raises(DataError, match=r"no signal: all 20 texts \('The same answer, again.' every time\) have the "
                                        r"same composite score"):
        trainer.train_reward_model(data, tmp_path / "rm", **FAST)
    assert not (tmp_path / "rm").exists()


def test_distinct_texts_with_one_score_are_refused(tiny_bert_dir, tmp_path):
    trainer = RewardModelTrainer(str(tiny_bert_dir), [signal_words])
    data = trainer.generate_training_data([f"word{i} " * 30 for i in range(12)])  # all capped at 1.0
    with pytest.raises(DataError, match=r"all 12 texts \(12 distinct texts\) have the same composite score 1"):
        trainer.train_reward_model(data, tmp_path / "rm", objective="rules")


def test_the_cli_refuses_identical_texts_in_one_line(tiny_bert_dir, tmp_path):
    from click.testing import CliRunner

    from aligntune.cli import main

    texts = tmp_path / "same.txt"
    texts.write_text("Exactly this text.\n" * 20, encoding="utf-8")
    result = CliRunner().invoke(main, ["train-reward-model", "--base-model", str(tiny_bert_dir), "--functions",
                                       "length", "--texts", str(texts), "--output-dir", str(tmp_path / "rm")])
    assert result.exit_code == 1
    assert "Error: training_data has no signal" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "rm").exists()


def test_pairs_that_are_all_tied_are_refused_before_loading(tiny_bert_dir, tmp_path):
    from datasets import Dataset

    rows = [{"chosen": f"Answer {i}, the same on both sides.", "rejected": f"Answer {i}, the same on both sides."}
            for i in range(20)]
    trainer = RewardModelTrainer(str(tiny_bert_dir), ["length"])
    with pytest.raises(DataError, match=r"no signal: chosen == rejected in all 20 pairs"):
        trainer.train_reward_model(Dataset.from_list(rows), tmp_path / "rm", **FAST)
    assert not (tmp_path / "rm").exists()
    messages = [{"role": "assistant", "content": "Same."}]
    chat = Dataset.from_list([{"chosen": messages, "rejected": messages}] * 12)
    with pytest.raises(DataError, match=r"chosen == rejected in all 12 pairs"):
        trainer.train_reward_model(chat, tmp_path / "rm", **FAST)
