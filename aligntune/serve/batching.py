"""Dynamic batching: concurrent requests merged into one call of the reward.

Requests queue up; one worker takes the first, then keeps taking queued ones until
``max_batch_size`` texts are gathered or ``max_wait_ms`` has passed since the first,
scores them all in one call of ``Reward.score`` (on one worker thread, so a model is
never run by two threads at once) and hands each request its own slice. A reward model
sorts the merged texts by length and runs them in passes of at most its batch size, as
it does in process (see :meth:`~aligntune.reward_model.scoring.TextRewardModel.passes`),
so texts of different requests share a pass only where that pads little. While the
reward runs, new requests queue, so under load the next batch forms without waiting.

A merged call that fails is retried one request at a time, so only the request whose
texts caused the failure gets the error. With batching off, every request is one call.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from aligntune.serve.wire import split_batch

logger = logging.getLogger(__name__)

#: ``score(prompts, completions) -> RewardBatch`` (the served reward's method).
ScoreFn = Callable[[Sequence[str], Sequence[str]], Any]


@dataclass
class _Job:
    prompts: list[str]
    completions: list[str]
    future: asyncio.Future[dict[str, Any]] = field(repr=False)

    def __len__(self) -> int:
        return len(self.completions)


class Batcher:
    """Queues requests and scores them in merged batches (see the module docstring).

    Start it inside the server's event loop (:meth:`start`), submit with
    :meth:`score`, stop with :meth:`stop`. ``stats`` counts calls and texts.
    """

    def __init__(self, score: ScoreFn, *, batching: bool, max_batch_size: int, max_wait_ms: float) -> None:
        self._score = score
        self.batching = batching
        self.max_batch_size = max_batch_size
        self.max_wait_s = max_wait_ms / 1000.0
        self._pending: deque[_Job] = deque()
        self._arrived: asyncio.Event | None = None
        self._worker: asyncio.Task[None] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aligntune-reward")
        self.stats = {"calls": 0, "texts": 0, "requests": 0}

    def start(self) -> None:
        self._arrived = asyncio.Event()
        self._worker = asyncio.get_running_loop().create_task(self._run(), name="aligntune-batcher")

    async def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
        self._executor.shutdown(wait=True, cancel_futures=True)

    async def score(self, prompts: list[str], completions: list[str]) -> dict[str, Any]:
        """The JSON of these texts' :class:`RewardBatch` (raises what the reward raised)."""
        assert self._arrived is not None, "Batcher.start() was not called"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending.append(_Job(prompts, completions, future))
        self._arrived.set()
        return await future

    async def _wait(self, timeout: float | None) -> bool:
        """Wait for a new request (at most ``timeout`` seconds); whether one came.

        An event, not ``wait_for(queue.get())``: cancelling that on a timeout can drop a
        request it had just taken (Python < 3.12), and that client would never be answered.
        """
        assert self._arrived is not None
        self._arrived.clear()
        try:
            await asyncio.wait_for(self._arrived.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    async def _gather(self) -> list[_Job]:
        """The oldest request and the queued ones that fit with it (waiting up to ``max_wait_s`` for more)."""
        while not self._pending:
            await self._wait(None)
        first = self._pending.popleft()
        jobs, size = [first], len(first)
        if not self.batching:
            return jobs
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_wait_s
        while size < self.max_batch_size:
            if not self._pending:
                left = deadline - loop.time()
                if left <= 0 or not await self._wait(left):
                    break
                continue
            if size + len(self._pending[0]) > self.max_batch_size:
                break  # it leads the next batch
            job = self._pending.popleft()
            jobs.append(job)
            size += len(job)
        return jobs

    async def _run(self) -> None:
        while True:
            jobs = [j for j in await self._gather() if not j.future.done()]
            if jobs:
                await self._score_jobs(jobs)

    async def _call(self, prompts: list[str], completions: list[str]) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        batch = await loop.run_in_executor(self._executor, self._score, prompts, completions)
        self.stats["calls"] += 1
        self.stats["texts"] += len(completions)
        return batch.to_json()

    async def _score_jobs(self, jobs: list[_Job]) -> None:
        self.stats["requests"] += len(jobs)
        prompts = [p for j in jobs for p in j.prompts]
        completions = [c for j in jobs for c in j.completions]
        try:
            merged = await self._call(prompts, completions)
        except Exception as exc:  # noqa: BLE001 - handed to the requests, which report it
            if len(jobs) == 1:
                _settle(jobs[0], error=exc)
                return
            logger.info("A merged batch of %d requests failed (%s); scoring them one by one", len(jobs), exc)
            for job in jobs:
                try:
                    _settle(job, result=await self._call(job.prompts, job.completions))
                except Exception as one:  # noqa: BLE001
                    _settle(job, error=one)
            return
        if len(jobs) == 1:
            _settle(jobs[0], result=merged)
            return
        for job, part in zip(jobs, split_batch(merged, [len(j) for j in jobs])):
            _settle(job, result=part)


def _settle(job: _Job, *, result: dict[str, Any] | None = None, error: BaseException | None = None) -> None:
    if job.future.done():  # the client went away
        return
    if error is not None:
        job.future.set_exception(error)
    else:
        job.future.set_result(result)  # type: ignore[arg-type]
