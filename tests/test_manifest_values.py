"""The values of ``aligntune.json`` (a reward model's manifest) are checked when the model loads.

Before: ``max_length: 0`` gave every text the same score, wrong types ended in tracebacks or
were taken silently (a string ``"no"`` for ``uses_prompts`` switched prompts on), a manifest that
is not an object was ignored, and a gold rule named there that is not installed failed without
saying where the name came from.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from aligntune.errors import ModelLoadError, UnknownRewardFunctionError
from aligntune.reward_model.scoring import TextRewardModel

GOOD = {"format": "aligntune-reward-model", "training": {"max_length": 64}, "data": {"uses_prompts": False},
        "reward_functions": {"functions": ["length", "safety"], "weights": [0.5, 0.5]}}


def _with_manifest(src: Path, dst: Path, manifest) -> Path:
    shutil.copytree(src, dst)
    (dst / "aligntune.json").write_text(json.dumps(manifest), encoding="utf-8")
    return dst


def _edit(section: str, key: str, value):
    manifest = json.loads(json.dumps(GOOD))
    manifest[section][key] = value
    return manifest


@pytest.mark.parametrize(
    "manifest, key, shown",
    [
        (_edit("training", "max_length", 0), "training.max_length", "int: 0"),
        (_edit("training", "max_length", -5), "training.max_length", "int: -5"),
        (_edit("training", "max_length", "512"), "training.max_length", "str: '512'"),
        (_edit("training", "max_length", [512]), "training.max_length", "list: [512]"),
        (_edit("training", "max_length", True), "training.max_length", "bool: True"),
        (_edit("data", "uses_prompts", "no"), "data.uses_prompts", "str: 'no'"),
        (_edit("reward_functions", "functions", "length"), "reward_functions.functions", "str: 'length'"),
        (_edit("reward_functions", "functions", ["length", 3]), "reward_functions.functions", "list: ['length', 3]"),
        (_edit("reward_functions", "weights", [1.0]), "reward_functions.weights", "list: [1.0]"),
        (_edit("reward_functions", "weights", [1.0, -1.0]), "reward_functions.weights", "list: [1.0, -1.0]"),
        ({**GOOD, "training": [64]}, "training", "list: [64]"),
    ],
    ids=["max_length-0", "max_length-negative", "max_length-string", "max_length-list", "max_length-bool",
         "uses_prompts-string", "functions-string", "functions-non-string", "weights-count", "weights-negative",
         "training-not-object"],
)
def test_a_bad_value_names_the_file_the_key_the_value_and_the_fix(tiny_bert_rm_dir, tmp_path, manifest, key, shown):
    model_dir = _with_manifest(tiny_bert_rm_dir, tmp_path / "rm", manifest)
    with pytest.raises(ModelLoadError) as info:
        TextRewardModel.from_pretrained(model_dir)
    message = str(info.value)
    assert message.startswith(f"{model_dir / 'aligntune.json'}: {key} must be ")
    assert shown in message and f"fix it in {model_dir / 'aligntune.json'}" in message


def test_a_manifest_that_is_not_an_object_is_refused(tiny_bert_rm_dir, tmp_path):
    model_dir = _with_manifest(tiny_bert_rm_dir, tmp_path / "rm", [GOOD])
    with pytest.raises(ModelLoadError, match=r"aligntune.json must hold a JSON object \(the aligntune manifest\), got list"):
        TextRewardModel.from_pretrained(model_dir)


def test_a_good_manifest_sets_max_length_and_prompts(tiny_bert_rm_dir, tmp_path):
    model_dir = _with_manifest(tiny_bert_rm_dir, tmp_path / "rm", GOOD)
    rm = TextRewardModel.from_pretrained(model_dir)
    assert rm.max_length == 64 and rm.uses_prompts is False
    scores = rm.score(["short", "a much longer text with many more words in it than the first"])
    assert scores[0] != scores[1]


def test_max_length_zero_given_directly_is_refused(tiny_bert_rm_dir):
    with pytest.raises(Exception, match=r"TextRewardModel.max_length must be >= 1, got 0"):
        TextRewardModel.from_pretrained(tiny_bert_rm_dir, max_length=0)


def test_rl_checks_the_manifest_before_loading(tiny_bert_rm_dir, tmp_path):
    """create_rl_trainer (and --dry-run) runs the source's check: the manifest is read there, nothing loads."""
    from aligntune.core.rl.config import RewardModelSourceConfig
    from aligntune.rl.sources import check_source

    model_dir = _with_manifest(tiny_bert_rm_dir, tmp_path / "rm", _edit("training", "max_length", 0))
    for source in (RewardModelSourceConfig(source_type="pretrained_local", model_path=str(model_dir)),
                   RewardModelSourceConfig(source_type="pretrained_hf", model_name=str(model_dir))):
        with pytest.raises(ModelLoadError, match=r"training.max_length must be an integer >= 1"):
            check_source(source)


def test_a_gold_rule_that_is_not_installed_says_it_came_from_the_manifest(tiny_bert_rm_dir, tmp_path):
    from aligntune.rl.monitor import resolve_gold

    manifest = _edit("reward_functions", "functions", ["length", "no_such_rule_installed"])
    model_dir = _with_manifest(tiny_bert_rm_dir, tmp_path / "rm", manifest)
    rm = TextRewardModel.from_pretrained(model_dir)  # scoring does not need the rules
    config = SimpleNamespace(gold_reward_functions=None, gold_reward_weights=None, reward_functions=None,
                             reward_function_weights=None)
    with pytest.raises(UnknownRewardFunctionError) as info:
        resolve_gold(config, rm)
    message = str(info.value)
    assert message.startswith(f"{model_dir}/aligntune.json names the rules the reward model was trained from")
    assert "no_such_rule_installed" in message and "gold_reward_functions=[...]" in message
    # naming the gold yourself goes on without the manifest's rules
    config.gold_reward_functions = ["length"]
    assert resolve_gold(config, rm).names == ["length"]
