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
