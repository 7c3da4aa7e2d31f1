"""PPO lives in ``trl.experimental`` (trl 1.12): aligntune loads it without trl's notice, and without touching
the user's environment.

Before: importing the PPO backend set ``TRL_EXPERIMENTAL_SILENCE=1`` for the whole process, so a user's own
``trl.experimental`` imports went quiet too, whatever they had set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

NOTICE = "importing from 'trl.experimental'"

PROBE = """
import json, os, warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    if %(ours)r:
        import aligntune_backend_trl.ppo
        from aligntune.plugin_api import experimental_ppo, trl_config_class
        trainer = experimental_ppo().PPOTrainer.__name__
        config = trl_config_class("ppo").__name__
    else:
        from trl.experimental.ppo import PPOTrainer
        trainer, config = PPOTrainer.__name__, None
notices = [str(w.message) for w in caught if %(notice)r in str(w.message)]
print(json.dumps({"trainer": trainer, "config": config, "notices": len(notices),
                  "silence": os.environ.get("TRL_EXPERIMENTAL_SILENCE")}))
"""


def _probe(ours: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "TRL_EXPERIMENTAL_SILENCE"}
    out = subprocess.run([sys.executable, "-c", PROBE % {"ours": ours, "notice": NOTICE}], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_ppo_backend_loads_trl_experimental_quietly_and_leaves_the_environment_alone():
    # plain trl prints the notice here, so its absence below is aligntune's doing
    assert _probe(ours=False)["notices"] == 1
    ours = _probe(ours=True)
    assert ours == {"trainer": "PPOTrainer", "config": "PPOConfig", "notices": 0, "silence": None}
