"""A reward scored by a reward server: :class:`RemoteReward`, the ``remote`` reward source.

It has the Reward interface (``score``, ``describe``, ``check``, ``close``) plus
``score_async`` for trainers that call rewards concurrently (TRL's GRPO and RLOO), so a
run cannot tell it from the local reward except by its speed and its failure modes:

* one pooled HTTP connection set (``max_connections``), reused by every call;
* every request has ``timeout_s``; a failed one (connection refused or reset, timeout,
  5xx or 429, an unreadable answer) is retried ``retries`` times with doubling waits;
* after the last retry, or at once on a refusal that retrying cannot fix (401 wrong token,
  413 too large, 422 bad texts), ONE :class:`~aligntune.errors.RemoteRewardError` says
  what happened, and the run stops. A reward is never replaced by zero or ``None``;
* ``check()`` asks ``GET /health`` and ``GET /info`` (token and limits), and is what the
  run's validation calls before any model loads;
* the answer carries the gold and every component, so the run's monitor reports them as
  it does for a local reward.

>>> reward = RemoteReward("http://127.0.0.1:8477")              # doctest: +SKIP
>>> reward.check(); reward.score(["Hi?"], ["Hello!"]).rewards   # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aligntune.errors import RemoteRewardError, RewardSourceError, show
from aligntune.rl.reward.base import RewardBatch
from aligntune.serve.deps import need
from aligntune.serve.settings import RemoteSettings, read_token

logger = logging.getLogger(__name__)

#: Statuses worth another try: the server is overloaded, restarting, or failed this once.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

_HINTS = {
    401: "set token_env to the name of the variable holding the server's token (the server's --token-env)",
    404: "the URL should be the server's base URL, e.g. http://127.0.0.1:8477 (what serve-reward prints)",
    413: "lower max_request_texts, or raise the server's --max-request-texts / --max-request-bytes",
}


class _Retry(Exception):
    """One failed attempt that another may fix."""


class RemoteReward:
    """The Reward interface over HTTP (see the module docstring).

    Args:
        settings: a :class:`RemoteSettings`, or the server's URL (then ``**options`` are its other fields).
    """

    def __init__(self, settings: RemoteSettings | str, **options: Any) -> None:
        httpx = need("httpx", "A remote reward (reward_model_url=)")

        self.settings = settings if isinstance(settings, RemoteSettings) else RemoteSettings(url=settings, **options)
        token = read_token(self.settings.token_env, who=f"The remote reward at {self.settings.url}")
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._limits = httpx.Limits(max_connections=self.settings.max_connections,
                                    max_keepalive_connections=self.settings.max_connections)
        self._timeout = httpx.Timeout(self.settings.timeout_s)
        self._client = httpx.Client(base_url=self.settings.url, headers=self._headers, limits=self._limits,
                                    timeout=self._timeout)
        self._async: tuple[Any, Any] | None = None  # (loop, httpx.AsyncClient)
        self.info: dict[str, Any] | None = None
        self._per_request = self.settings.max_request_texts

    # -- the Reward interface ---------------------------------------------------------------------

    def check(self) -> None:
        """Contact the server: ``GET /health`` (with the retries) and ``GET /info`` (token, limits, description)."""
        self._sync("GET", "/health", None, "its health check")
        info = self._sync("GET", "/info", None, "its description")
        if not isinstance(info, dict) or not isinstance(info.get("limits"), dict):
            raise RemoteRewardError(f"{self.settings.url}/info answered {show(info, 120)}, which is not an aligntune "
                                    "reward server's description; is the URL an aligntune serve-reward server?")
        self.info = info
        server_limit = info["limits"].get("max_request_texts")
        if isinstance(server_limit, int) and server_limit > 0:
            self._per_request = min(self._per_request or server_limit, server_limit)
        logger.info("Remote reward at %s is up: %s", self.settings.url, info.get("reward", {}).get("reward"))

    def score(self, prompts: Sequence[str], completions: Sequence[str]) -> RewardBatch:
        """Score on the server (blocking); raises :class:`RemoteRewardError` when it gives no usable answer.

        A batch over the server's ``max_request_texts`` goes as several requests at once (the
        server's batcher merges them again), each with its own retries.
        """
        prompts, completions = self._checked(prompts, completions)
        if not completions:
            return self._empty()
        parts = self._parts(prompts, completions)

        def send(part: dict[str, list[str]]) -> RewardBatch:
            return self._sync("POST", "/score", part, "scoring", len(part["completions"]))

        if len(parts) == 1:
            return send(parts[0])
        with ThreadPoolExecutor(max_workers=min(len(parts), self.settings.max_connections)) as pool:
            return RewardBatch.concat(list(pool.map(send, parts)))

    async def score_async(self, prompts: Sequence[str], completions: Sequence[str]) -> RewardBatch:
        """:meth:`score` without blocking the event loop: the parts of a large batch are sent concurrently."""
        prompts, completions = self._checked(prompts, completions)
        if not completions:
            return self._empty()
        parts = self._parts(prompts, completions)
        return RewardBatch.concat(list(await asyncio.gather(
            *(self._async_call("POST", "/score", p, "scoring", len(p["completions"])) for p in parts))))

    def describe(self) -> dict[str, Any]:
        """The server's description of its reward (after :meth:`check`), with the URL and client settings."""
        served = (self.info or {}).get("reward")
        return {"kind": "remote", "url": self.settings.url, "served": served,
                "reward": (served or {}).get("reward"), "components": (served or {}).get("components"),
                "weights": (served or {}).get("weights"), "gold": (served or {}).get("gold"),
                "client": {"timeout_s": self.settings.timeout_s, "retries": self.settings.retries,
                           "worst_case_s": self.settings.worst_case_s()}}

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()
        if self._async is not None:
            loop, client = self._async
            self._async = None
            if not loop.is_closed():
                if loop.is_running():
                    asyncio.run_coroutine_threadsafe(client.aclose(), loop).result(timeout=5)
                else:
                    loop.run_until_complete(client.aclose())

    def __repr__(self) -> str:
        return f"RemoteReward({self.settings.url}, timeout_s={self.settings.timeout_s}, retries={self.settings.retries})"

    # -- requests -------------------------------------------------------------------------------

    @staticmethod
    def _checked(prompts: Sequence[str], completions: Sequence[str]) -> tuple[list[str], list[str]]:
        prompts, completions = list(prompts), list(completions)
        if len(prompts) != len(completions):
            raise RewardSourceError(f"Got {len(prompts)} prompts for {len(completions)} completions; pass one each")
        return prompts, completions

    def _parts(self, prompts: list[str], completions: list[str]) -> list[dict[str, list[str]]]:
        if self.info is None:
            self.check()  # the server's limits, once
        step = self._per_request or len(completions)
        return [{"prompts": prompts[i:i + step], "completions": completions[i:i + step]}
                for i in range(0, len(completions), step)]

    def _empty(self) -> RewardBatch:
        return RewardBatch([], {}, {})

    def _sync(self, method: str, path: str, payload: Any, what: str, expected: int | None = None) -> Any:
        start, failures = time.monotonic(), []
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(self.settings.wait_before(attempt))
            try:
                return self._read(self._send_sync(method, path, payload), path, expected)
            except _Retry as exc:
                failures.append(str(exc))
                logger.warning("Reward server %s, %s (attempt %d of %d): %s", self.settings.url, what, attempt + 1,
                               self.settings.retries + 1, exc)
        raise self._gave_up(what, failures, time.monotonic() - start)

    async def _async_call(self, method: str, path: str, payload: Any, what: str, expected: int | None = None) -> Any:
        start, failures = time.monotonic(), []
        client = self._async_client()
        for attempt in range(self.settings.retries + 1):
            if attempt:
                await asyncio.sleep(self.settings.wait_before(attempt))
            try:
                return self._read(await self._send_async(client, method, path, payload), path, expected)
            except _Retry as exc:
                failures.append(str(exc))
                logger.warning("Reward server %s, %s (attempt %d of %d): %s", self.settings.url, what, attempt + 1,
                               self.settings.retries + 1, exc)
        raise self._gave_up(what, failures, time.monotonic() - start)

    def _send_sync(self, method: str, path: str, payload: Any) -> Any:
        import httpx

        try:
            return self._client.request(method, path, json=payload)
        except httpx.TimeoutException:
            raise _Retry(f"no answer within timeout_s={self.settings.timeout_s:g} s") from None
        except httpx.TransportError as exc:
            raise _Retry(f"connection failed ({type(exc).__name__}: {exc})") from None

    async def _send_async(self, client: Any, method: str, path: str, payload: Any) -> Any:
        import httpx

        try:
            return await client.request(method, path, json=payload)
        except httpx.TimeoutException:
            raise _Retry(f"no answer within timeout_s={self.settings.timeout_s:g} s") from None
        except httpx.TransportError as exc:
            raise _Retry(f"connection failed ({type(exc).__name__}: {exc})") from None

    def _async_client(self) -> Any:
        import httpx

        loop = asyncio.get_running_loop()
        if self._async is None or self._async[0] is not loop:
            self._async = (loop, httpx.AsyncClient(base_url=self.settings.url, headers=self._headers,
                                                   limits=self._limits, timeout=self._timeout))
        return self._async[1]

    def _read(self, response: Any, path: str, expected: int | None) -> Any:
        """The answer's JSON (a :class:`RewardBatch` for ``/score``); raises ``_Retry`` or a final error."""
        try:
            data = response.json()
        except ValueError:
            data = None
        message = data.get("error") if isinstance(data, dict) else None
        if response.status_code in RETRY_STATUSES:
            raise _Retry(f"HTTP {response.status_code}: {message or show(response.text, 200)}")
        if response.status_code >= 400:
            hint = _HINTS.get(response.status_code, "fix the request as the message says")
            raise RemoteRewardError(
                f"The reward server at {self.settings.url} refused {path} with HTTP {response.status_code}: "
                f"{message or show(response.text, 200)}; {hint}. Retrying cannot fix this, so the run stops")
        if data is None:
            raise _Retry(f"HTTP {response.status_code} with a body that is not JSON: {show(response.text, 120)}")
        if path != "/score":
            return data
        try:
            return RewardBatch.from_json(data, expected=expected)
        except RewardSourceError as exc:
            raise _Retry(f"an unusable answer ({exc})") from None

    def _gave_up(self, what: str, failures: list[str], elapsed: float) -> RemoteRewardError:
        s = self.settings
        return RemoteRewardError(
            f"The reward server at {s.url} gave no usable answer for {what} after {len(failures)} attempts over "
            f"{elapsed:.1f} s (timeout_s={s.timeout_s:g}, retries={s.retries}); last: {failures[-1]}. No reward was "
            "made up, so the run stops: check that `aligntune serve-reward` is running and reachable there, or raise "
            "retries/timeout_s to ride out a longer restart"
        )
