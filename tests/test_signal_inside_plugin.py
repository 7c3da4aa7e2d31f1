"""A stop signal that third-party code turns into its own error still stops the command as the signal asks.

An extension module interrupted while it initialises raises ``ImportError: initialization failed``
instead of ``KeyboardInterrupt``; a reward function importing one lazily then fails with that error.
Ctrl-C must still end ``aligntune`` by SIGINT (so a shell loop around it stops), not as a plugin failure.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from test_plugins import make_distribution

SWALLOWING_PLUGIN = """
    import os
    import signal

    from aligntune import hookimpl
    from aligntune.rewards.base import reward_function

    @reward_function(name="swallower", description="Turns Ctrl-C into the ImportError an interrupted extension raises.")
    def swallower(text):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            signal.sigtimedwait([], 0.5) if hasattr(signal, "sigtimedwait") else None
        except KeyboardInterrupt:
            raise ImportError("initialization failed") from None
        return 0.5

    @hookimpl
    def register_reward_functions(register):
        register(swallower)
"""


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_ctrl_c_that_a_plugin_turns_into_an_import_error_still_interrupts(tmp_path):
    make_distribution(tmp_path, "aligntune-swallower", {"swallower": "at_swallower"}, {"at_swallower": SWALLOWING_PLUGIN})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    cli = Path(sys.executable).parent / "aligntune"
    out = subprocess.run([str(cli), "rewards", "score", "--function", "swallower", "--text", "a b c"],
                         capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert out.returncode == -signal.SIGINT, (out.returncode, out.stderr[-2000:])
    assert "Interrupted (SIGINT)" in out.stderr and "raised ImportError" not in out.stderr, out.stderr[-2000:]
