"""How long one reward-function call may take: a stall report, and an optional time limit.

Every call aligntune makes to a reward function (one batch, through
:func:`aligntune.rewards.base.score_checked`) goes through :func:`run_limited`.
Two environment variables set the limits, read at each call:

``ALIGNTUNE_REWARD_STALL_WARNING``
    Seconds after which a call that has not returned is reported in one warning on the
    ``aligntune.rewards`` logger, naming the function and its plugin (default 60;
    ``0`` turns the report off). One watcher thread per process does this; the call
    itself runs where it was made, so the report costs no thread per call.
``ALIGNTUNE_REWARD_TIMEOUT``
    Seconds one call may take before it is stopped with a
    :class:`~aligntune.errors.RewardFunctionError` naming the function (unset, empty or
    ``0``: no limit, the default: rule functions are trusted code). With a limit, calls
    run in one reusable worker thread per calling thread, so the caller can stop waiting;
    Python cannot kill a thread, so a call that never returns keeps running in the
    background until the process ends, but it no longer holds the run.

A value that is not a non-negative number of seconds is a
:class:`~aligntune.errors.ConfigurationError` naming the variable, raised at the first
lookup of a plugin (before any model loads) or at the first call.

>>> run_limited(lambda: [1.0], who="Reward function 'one'", n_texts=1)
[1.0]
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from aligntune.errors import ConfigurationError, RewardFunctionError, show

logger = logging.getLogger("aligntune.rewards")

TIMEOUT_ENV = "ALIGNTUNE_REWARD_TIMEOUT"
STALL_ENV = "ALIGNTUNE_REWARD_STALL_WARNING"
#: Seconds before a call that has not returned is reported, unless STALL_ENV says otherwise.
DEFAULT_STALL_S = 60.0


@dataclass(frozen=True)
class CallLimits:
    """The limits of one call, in seconds; ``None`` means off."""

    timeout: float | None = None
    stall_after: float | None = DEFAULT_STALL_S


def env_seconds(name: str, default: float | None) -> float | None:
    """Seconds from the environment variable ``name``: ``default`` when unset or empty, ``None`` for 0."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise ConfigurationError(
            f"{name} must be a number of seconds (0 turns it off), got {show(raw)}; e.g. {name}=30, or unset it"
        )
    return value or None


_cached: tuple[tuple[str | None, str | None], CallLimits] | None = None


def call_limits() -> CallLimits:
    """The limits the environment sets now (parsed again only when the variables change)."""
    global _cached
    key = (os.environ.get(TIMEOUT_ENV), os.environ.get(STALL_ENV))
    if _cached is None or _cached[0] != key:
        _cached = key, CallLimits(timeout=env_seconds(TIMEOUT_ENV, None),
                                  stall_after=env_seconds(STALL_ENV, DEFAULT_STALL_S))
    return _cached[1]


@dataclass
class _Call:
    who: str
    n_texts: int
    started: float
    stall_after: float
    timeout: float | None
    reported: bool = False


class _Watcher:
    """One daemon thread per process that reports calls running longer than their stall limit."""

    def __init__(self) -> None:
        self.calls: dict[int, _Call] = {}
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def track(self, who: str, n_texts: int, limits: CallLimits) -> int:
        if self._thread is None:
            self._start()
        token = next(self._ids)
        self.calls[token] = _Call(who, n_texts, time.monotonic(), limits.stall_after or math.inf, limits.timeout)
        return token

    def done(self, token: int) -> None:
        self.calls.pop(token, None)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="aligntune-reward-watch", daemon=True)
                self._thread.start()

    def _watch(self) -> None:
        while True:
            calls = list(self.calls.items())
            time.sleep(min([1.0, *(c.stall_after / 4 for _, c in calls)]))
            now = time.monotonic()
            for token, call in calls:
                if not call.reported and now - call.started >= call.stall_after and self.calls.get(token) is call:
                    call.reported = True
                    advice = (f"it is stopped after {call.timeout:g} s ({TIMEOUT_ENV})" if call.timeout else
                              f"set {TIMEOUT_ENV}=SECONDS to stop calls that take longer")
                    logger.warning(
                        "%s has been scoring a batch of %d texts for %.1f s and has not returned; %s",
                        call.who, call.n_texts, now - call.started, advice,
                    )

    def after_fork(self) -> None:
        """A forked child has no watcher thread and none of the parent's calls."""
        self.calls = {}
        self._thread = None
        self._lock = threading.Lock()


_watcher = _Watcher()


class _Job:
    def __init__(self, call: Callable[[], Any]) -> None:
        self.call = call
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = threading.Event()

    def run(self) -> None:
        try:
            self.result = self.call()
        except BaseException as exc:  # handed to the caller's thread, which decides what it means
            self.error = exc
        finally:
            self.done.set()


class _Worker:
    """A daemon thread that runs the calls of one caller thread while that thread waits with a limit."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        threading.Thread(target=self._loop, name="aligntune-reward-call", daemon=True).start()

    def _loop(self) -> None:
        while True:
            self.jobs.get().run()


_workers = threading.local()


def _run_with_timeout(call: Callable[[], Any], timeout: float, who: str, n_texts: int) -> Any:
    worker = getattr(_workers, "worker", None)
    if worker is None:
        worker = _workers.worker = _Worker()
    job = _Job(call)
    worker.jobs.put(job)
    try:
        finished = job.done.wait(timeout)
    finally:
        if not job.done.is_set():  # timed out or interrupted: the worker is still busy with this call
            _workers.worker = None
    if not finished:
        raise RewardFunctionError(
            f"{who} did not return within {timeout:g} s ({TIMEOUT_ENV}={os.environ.get(TIMEOUT_ENV)}) "
            f"while scoring a batch of {n_texts} texts; fix or remove the function, or raise {TIMEOUT_ENV}"
        )
    if job.error is not None:
        raise job.error
    return job.result


def run_limited(call: Callable[[], Any], *, who: str, n_texts: int) -> Any:
    """``call()`` under the current :func:`call_limits`; ``who`` names the function in reports."""
    limits = call_limits()
    token = _watcher.track(who, n_texts, limits) if limits.stall_after else None
    try:
        if limits.timeout is None:
            return call()
        return _run_with_timeout(call, limits.timeout, who, n_texts)
    finally:
        if token is not None:
            _watcher.done(token)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_watcher.after_fork)
    os.register_at_fork(after_in_child=lambda: setattr(_workers, "worker", None))
