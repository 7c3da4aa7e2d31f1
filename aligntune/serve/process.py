"""``aligntune serve-reward`` as a child process: start it, wait for its URL, stop it.

For a script that puts the reward on another device of the same machine (start the
server with ``CUDA_VISIBLE_DEVICES=1`` in ``env``), and for tests and benchmarks that
need a real server process.

>>> with ServerProcess.start(["--reward-functions", "length", "--port", "0"]) as server:  # doctest: +SKIP
...     RemoteReward(server.url).score(["Hi?"], ["Hello!"])
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from aligntune.errors import ConfigurationError

_READY = re.compile(r"aligntune serve-reward: listening on (http://\S+)")


class ServerProcess:
    """A running ``aligntune serve-reward`` child process; ``output`` collects what it prints."""

    def __init__(self, proc: subprocess.Popen[str], url: str, lines: list[str]) -> None:
        self.proc = proc
        self.url = url
        self._lines = lines

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    @property
    def output(self) -> str:
        """Everything the server printed so far (stdout and stderr together)."""
        return "".join(self._lines)

    @classmethod
    def start(cls, args: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 120.0,
              python: str = sys.executable) -> ServerProcess:
        """Run ``aligntune serve-reward ARGS`` and return once it listens (or raise with its output)."""
        argv = [python, "-m", "aligntune.cli", "serve-reward", *args]
        proc = subprocess.Popen(argv, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        lines: list[str] = []
        found: list[str] = []
        ready = threading.Event()

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.append(line)
                match = _READY.search(line)
                if match and not found:
                    found.append(match.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=read, name="serve-reward-output", daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.1):
            if time.monotonic() > deadline:
                proc.kill()
                raise ConfigurationError(f"aligntune serve-reward did not listen within {timeout:g} s:\n{''.join(lines)}")
        if not found:
            proc.wait(timeout=30)
            raise ConfigurationError(f"aligntune serve-reward stopped (exit {proc.returncode}) before it listened:\n"
                                     f"{''.join(lines)}")
        return cls(proc, found[0], lines)

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM (requests in flight finish), then SIGKILL after ``timeout``; the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait()

    def kill(self) -> None:
        """SIGKILL: the server dies at once, as on a crash or a lost machine."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
