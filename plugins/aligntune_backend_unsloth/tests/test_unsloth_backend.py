"""The Unsloth backend on a machine without a CUDA GPU, and (with one) a real PPO run."""

from __future__ import annotations

import subprocess
import sys

import pytest

from aligntune.core.backend_factory import create_rl_trainer
from aligntune.errors import BackendUnavailableError, ConfigurationError
from aligntune.plugins import PluginManager

torch = pytest.importorskip("torch")
HAS_CUDA = torch.cuda.is_available()


def test_backend_is_discovered_through_its_entry_point():
    pm = PluginManager()
    reg = pm.registrations("rl_backends")["unsloth"]
    assert reg.plugin == "backend_unsloth"
    info = {i.name: i for i in pm.plugins()}["backend_unsloth"]
    assert info.distribution == "aligntune-backend-unsloth"
    assert reg.obj.algorithms == ("grpo", "ppo")


@pytest.mark.skipif(HAS_CUDA, reason="checks the no-GPU path")
def test_reports_unavailable_with_the_reason():
    backend = PluginManager().registrations("rl_backends")["unsloth"].obj
    status = backend.availability()
    assert not status.available
    assert "CUDA GPU" in status.reason and "backend='trl'" in status.reason


@pytest.mark.skipif(HAS_CUDA, reason="checks the no-GPU path")
@pytest.mark.slow
def test_guide_call_fails_once_clearly_before_loading_anything(tmp_path):
    # A policy path that does not exist: had anything tried to load, the error would differ.
    probe = f"""
import sys
from aligntune.core.backend_factory import create_rl_trainer
from aligntune.errors import BackendUnavailableError
try:
    create_rl_trainer(
        model_name="unsloth/Llama-3.2-1B-Instruct-bnb-4bit",
        algorithm="ppo",
        backend="unsloth",
        reward_functions=["length"],
        output_dir={str(tmp_path / 'out')!r},
    )
except BackendUnavailableError as exc:
    print("ERROR:", exc)
print("unsloth imported:", "unsloth" in sys.modules)
print("transformers imported:", "transformers" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "ERROR: RL backend 'unsloth' cannot run on this machine: Unsloth needs a CUDA GPU" in out
    assert "use backend='trl'" in out
    assert "unsloth imported: False" in out
    assert "transformers imported: False" in out
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(HAS_CUDA, reason="checks the no-GPU path")
@pytest.mark.parametrize("algorithm", ["ppo", "grpo"])
def test_unavailable_error_type(algorithm):
    with pytest.raises(BackendUnavailableError, match="GPU"):
        create_rl_trainer(model_name="any/model", backend="unsloth", algorithm=algorithm, reward_functions=["length"])


def test_rloo_is_not_an_unsloth_algorithm():
    from aligntune.errors import BackendError

    with pytest.raises(BackendError, match=r"does not support algorithm 'rloo'; it supports: grpo, ppo"):
        create_rl_trainer(model_name="any/model", backend="unsloth", algorithm="rloo", reward_functions=["length"])


def test_unknown_backend_option_is_refused_before_loading():
    from aligntune_backend_unsloth.backend import check_options

    with pytest.raises(ConfigurationError, match=r"backend_options\['lora_rank'\] is not an Unsloth option"):
        check_options({"lora_rank": 8})
    with pytest.raises(ConfigurationError, match="load_in_4bit'] must be True or False"):
        check_options({"load_in_4bit": "yes"})


def test_bnb_checkpoints_load_in_4bit():
    from aligntune_backend_unsloth.loading import wants_4bit

    assert wants_4bit("unsloth/Llama-3.2-1B-Instruct-bnb-4bit")
    assert not wants_4bit("/models/tiny-llama")


@pytest.mark.gpu
@pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA GPU and unsloth")
def test_ppo_with_unsloth_on_a_tiny_llama(tmp_path):
    pytest.importorskip("unsloth")
    from transformers import AutoModelForCausalLM

    from aligntune.demo.tiny_policy import build_tiny_policy

    texts = [f"The answer to question {i} is to water the plants and rest well." for i in range(200)]
    # Unsloth's kernels need head_dim a multiple of 8 or more: hidden 128 / 2 heads.
    policy_dir = build_tiny_policy(tmp_path / "policy", texts, architecture="llama", hidden=128, n_head=2)
    trainer = create_rl_trainer(
        model_name=str(policy_dir),
        backend="unsloth",
        reward_functions=["length", "coherence"],
        max_samples=8,
        batch_size=4,
        response_length=16,
        output_dir=str(tmp_path / "ppo"),
        backend_options={"load_in_4bit": False, "lora": {"r": 8, "lora_alpha": 8}},
    )
    result = trainer.train()
    assert result.steps >= 1
    path = trainer.save_model()
    AutoModelForCausalLM.from_pretrained(path)


@pytest.mark.gpu
@pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA GPU and unsloth")
def test_grpo_with_unsloth_on_a_tiny_llama(tmp_path):
    """GRPO, Unsloth's supported RL path, on a tiny Llama built offline, with LoRA.

    Needs: a CUDA GPU, ``pip install 'aligntune[unsloth]'`` (unsloth 2026.10.x with its CUDA
    torch), and the basic rewards. Runs 2 GRPO steps and checks the saved adapters' directory.
    """
    pytest.importorskip("unsloth")
    from aligntune.demo.tiny_policy import build_tiny_policy

    texts = [f"The answer to question {i} is to water the plants and rest well." for i in range(200)]
    policy_dir = build_tiny_policy(tmp_path / "policy", texts, architecture="llama", hidden=128, n_head=2)
    trainer = create_rl_trainer(
        model_name=str(policy_dir), backend="unsloth", algorithm="grpo", reward_functions=["length", "coherence"],
        max_samples=8, batch_size=2, num_generations=2, total_episodes=8, response_length=16,
        output_dir=str(tmp_path / "grpo"), backend_options={"load_in_4bit": False, "lora": {"r": 8, "lora_alpha": 8}},
    )
    result = trainer.train()
    assert result.steps >= 1 and all("rewards/length" in step for step in result.history)
    saved = trainer.save_model()
    assert (tmp_path / "grpo" / "policy").is_dir() and saved.endswith("policy")


def _check_algorithm_with_trl(version: str, algorithm: str, tmp_path) -> str:
    """``UnslothBackend().check_algorithm`` in a fresh interpreter that finds trl ``version`` (a real
    dist-info, first on the path) instead of the installed one."""
    site = tmp_path / f"site-{version}-{algorithm}"
    info = site / f"trl-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: trl\nVersion: {version}\n")
    probe = f"""
import sys
sys.path.insert(0, {str(site)!r})
from aligntune_backend_unsloth.backend import UnslothBackend
status = UnslothBackend().check_algorithm({algorithm!r})
print(status.available, status.reason)
"""
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()


def test_trl_check_names_the_unsloth_extra_and_its_pin(tmp_path):
    """PPO on a trl without it is refused before anything loads, naming the extra whose pin has it."""
    import re
    import tomllib
    from pathlib import Path

    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

    pyproject = tomllib.loads((Path(__file__).resolve().parents[3] / "pyproject.toml").read_text())
    pin = next(Requirement(r) for r in pyproject["project"]["optional-dependencies"]["unsloth"] if r.startswith("trl"))
    assert _check_algorithm_with_trl("1.12.0", "ppo", tmp_path) == "True None"
    assert _check_algorithm_with_trl("1.15.0", "grpo", tmp_path) == "True None"
    refused = _check_algorithm_with_trl("1.15.0", "ppo", tmp_path)
    assert refused.startswith("False trl 1.15.0 is installed; trl removed PPO after 1.12.0")
    named = re.search(r"pip install 'aligntune\[unsloth\]'  \(trl([^)]+)\)", refused)
    assert named and SpecifierSet(named.group(1)) == pin.specifier, refused
    assert pin.specifier.contains("1.12.0") and refused.endswith("or use algorithm='grpo'")
