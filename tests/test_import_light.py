"""Importing aligntune, listing plugins and listing rewards stay free of torch."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("torch", "transformers", "datasets", "trl", "accelerate")

PROBE = """
import json, sys
import aligntune
from aligntune.plugins import get_plugin_manager
from aligntune.rewards.registry import RewardRegistry
from aligntune.core.rl import config
from aligntune.core import backend_factory
from aligntune.cli import main
get_plugin_manager().plugins()
RewardRegistry().list_reward_functions()
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in %r)))
""" % (HEAVY,)


def test_import_and_listing_do_not_import_heavy_libraries():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_cli_listing_commands_do_not_import_torch():
    probe = (
        "import sys; from click.testing import CliRunner; from aligntune.cli import main\n"
        "r = CliRunner()\n"
        "assert r.invoke(main, ['plugins', '--json']).exit_code == 0\n"
        "assert r.invoke(main, ['rewards', 'list']).exit_code == 0\n"
        "print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_public_names_load_lazily_without_torch_and_are_the_deep_paths_objects():
    probe = (
        "import sys, aligntune\n"
        "names = [n for n in aligntune.__all__ if n not in ('__version__',)]\n"
        "loaded = {n: getattr(aligntune, n) for n in names}\n"
        "from aligntune.core.backend_factory import create_rl_trainer\n"
        "from aligntune.rewards.training import RewardModelTrainer\n"
        "from aligntune.core.rl.config import RewardModelTrainingConfig, RewardModelSourceConfig, PPOTrainingConfig\n"
        "assert loaded['create_rl_trainer'] is create_rl_trainer\n"
        "assert loaded['RewardModelTrainer'] is RewardModelTrainer\n"
        "assert loaded['RewardModelTrainingConfig'] is RewardModelTrainingConfig\n"
        "assert loaded['RewardModelSourceConfig'] is RewardModelSourceConfig\n"
        "assert loaded['RLTrainingConfig'] is PPOTrainingConfig\n"
        "print(len(loaded), 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "13 False"


def test_an_unknown_name_is_an_attribute_error():
    import aligntune
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'create_trainer'"):
        aligntune.create_trainer  # noqa: B018
