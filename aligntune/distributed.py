"""Rank awareness for runs started by ``accelerate launch`` or ``torchrun``.

aligntune has no launcher of its own: the same script runs in every process, and
TRL's trainers (through ``accelerate``) split the training batches between them.
These helpers cover what aligntune does outside the trainers:

* :func:`is_main_process` / :func:`wait_for_everyone` / :func:`main_process_first`:
  only the main process writes output directories, model cards, manifests and plots;
  the others wait until it is done, then read what it wrote.
* :func:`shard_bounds` / :func:`gather_lists`: work that is split explicitly (scoring
  texts in ``generate_training_data``, scoring the held-out texts for fidelity): each
  process takes a contiguous slice, and the results are gathered, in order, on every
  process.

The launcher's environment (``WORLD_SIZE``, ``RANK``, ``MASTER_ADDR``...) is the
source of truth. In a single process (no launcher) every helper is a no-op and torch
is not imported. When the launcher started several processes but no process group
exists yet, one is created through ``accelerate.PartialState`` (``gloo`` without a
GPU or with ``ACCELERATE_USE_CPU=1``, ``nccl`` with one), the group the trainers then
reuse. Ranks are read from
``torch.distributed`` rather than from ``PartialState``: ``transformers`` resets and
rebuilds that state for each trainer, and on CPU without ``use_cpu=True`` (or
``ACCELERATE_USE_CPU=1``) it reports a single process even though several run.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

from aligntune.errors import ConfigurationError

logger = logging.getLogger(__name__)

_WORLD_SIZE_VARS = ("WORLD_SIZE", "PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "MV2_COMM_WORLD_SIZE")


def launched_world_size() -> int:
    """How many processes the launcher says it started (1 without a launcher)."""
    for name in _WORLD_SIZE_VARS:
        value = os.environ.get(name)
        if value:
            try:
                return max(1, int(value))
            except ValueError:
                continue
    return 1


def _process_group() -> Any:
    """``torch.distributed`` with an initialised default group, or ``None`` in a single process."""
    if launched_world_size() <= 1:
        import sys

        dist = sys.modules.get("torch.distributed")  # already imported by the caller's own code, if at all
        return dist if dist is not None and dist.is_available() and dist.is_initialized() else None
    import torch
    import torch.distributed as dist

    if not dist.is_initialized():
        from accelerate import PartialState
        from accelerate.utils import parse_flag_from_env

        PartialState(cpu=parse_flag_from_env("ACCELERATE_USE_CPU") or not torch.cuda.is_available())
    return dist if dist.is_initialized() else None


def world_size() -> int:
    """Number of processes taking part in this run."""
    dist = _process_group()
    return dist.get_world_size() if dist is not None else 1


def rank() -> int:
    """This process's global rank (0 on the main process)."""
    dist = _process_group()
    return dist.get_rank() if dist is not None else 0


def is_main_process() -> bool:
    """``True`` on the process that writes files (global rank 0)."""
    return rank() == 0


def wait_for_everyone() -> None:
    """Block until every process reaches this point (no-op in a single process)."""
    dist = _process_group()
    if dist is not None:
        dist.barrier()


@contextlib.contextmanager
def main_process_first() -> Iterator[None]:
    """Run the block on the main process first, then on the others (e.g. to fill a cache)."""
    main = is_main_process()
    if not main:
        wait_for_everyone()
    try:
        yield
    finally:
        if main:
            wait_for_everyone()


def shard_bounds(n: int) -> tuple[int, int]:
    """This process's contiguous slice ``[start, stop)`` of ``n`` items (all of them in a single process)."""
    size, index = world_size(), rank()
    base, extra = divmod(n, size)
    start = index * base + min(index, extra)
    return start, start + base + (1 if index < extra else 0)


def gather_lists(values: Any) -> Any:
    """Concatenate, in rank order, each process's list (or each column of a dict of lists).

    Every process must call this; every process gets the full result. With
    :func:`shard_bounds` this reassembles a sharded computation in the original order.
    """
    dist = _process_group()
    if dist is None:
        return values
    parts: list[Any] = [None] * dist.get_world_size()
    dist.all_gather_object(parts, values)
    if isinstance(values, dict):
        return {key: [x for part in parts for x in part[key]] for key in values}
    return [x for part in parts for x in part]


def check_parameters_replicated(accelerator: Any, what: str) -> None:
    """Refuse FSDP and DeepSpeed ZeRO-3 for ``what``, before it trains.

    Both shard the parameters between processes, while aligntune saves the full model
    from the main process (and scores the held-out texts with it). Reward models and
    the policies PPO on TRL handles fit on one device: DDP or ZeRO-1/2 is the way to
    scale them.
    """
    state = accelerator.state
    deepspeed = getattr(state, "deepspeed_plugin", None)
    if getattr(state, "fsdp_plugin", None) is not None:
        mode = "FSDP"
    elif deepspeed is not None and getattr(deepspeed, "zero_stage", None) == 3:
        mode = "DeepSpeed ZeRO stage 3"
    else:
        return
    raise ConfigurationError(
        f"{what} does not support {mode}: it shards the parameters across processes, and aligntune saves the "
        "whole model from the main process. Launch with a DDP config or DeepSpeed ZeRO stage 1 or 2 "
        "(see docs/scaling.md)"
    )
