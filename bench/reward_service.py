"""Throughput of a served reward against the same reward in process (issue 24, item 4).

The reward is a trained MiniLM reward model (``--reward-model-path``: a directory saved by
``aligntune train-reward-model``, e.g. the demo's ``outputs/demo/reward_model``). The texts are
real answers (default ``../shared/data/real_responses.jsonl``), ``--texts`` of them picked with
``--seed`` and cut to their first ``--chars`` characters (RL completions are short), each with its
prompt. Every request carries ``--request-texts`` completions (a GRPO group, say).

Measured, in texts per second (median of ``--repeats`` runs, with their min-max; the runs of
every figure are interleaved, so a shared machine's drifting load hits them alike):

* in process: ``LocalReward.score`` on each request's texts in turn (the same unit of work as
  one request), and on all texts in one call (the most a single caller can get);
* served on loopback: ``aligntune serve-reward --reward-model-path DIR`` in a child process, and
  1, 8 and 64 concurrent clients (asyncio tasks sharing one pooled ``RemoteReward``) sending the
  requests, with the server's dynamic batching on and off.

The served scores are checked against the in-process ones (largest absolute difference printed).
Server, clients and the in-process runs share this machine's cores: on a 2-core box the server's
model and the clients' HTTP work compete, which a real deployment (reward on its own GPU box) does
not have. Target: served with batching at 64 clients >= 0.8x in process (one call).

``--reward-batch-size`` is the most texts per forward pass, in process and served alike. On a CPU a
pass costs about its padded tokens, so the reward model sorts a call's texts by length and cuts
passes where that saves padding (``TextRewardModel.passes``); before it did, a merged call of 64
real texts with prompts (14 to 501 tokens) padded to 2.2 tokens per real one against 1.2 for one
in-process call of 512, which made served scoring look slow. Time it alone: torch's threads fill
the cores, and any other process beside them slows a pass several-fold, unevenly.

    python bench/reward_service.py --reward-model-path outputs/demo/reward_model
    python bench/reward_service.py --reward-model-path DIR --texts 256 --repeats 3 --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_helpers import DATA, read_jsonl  # noqa: E402

TARGET = 0.8


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reward-model-path", required=True, help="A trained reward model directory.")
    parser.add_argument("--data", default=str(DATA / "real_responses.jsonl"), help="JSONL with prompt, response.")
    parser.add_argument("--texts", type=int, default=512, help="Texts scored per run (default: 512).")
    parser.add_argument("--chars", type=int, default=300, help="Characters kept of each answer (default: 300).")
    parser.add_argument("--request-texts", type=int, default=4, help="Completions per request (default: 4).")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 64], help="Concurrent clients.")
    parser.add_argument("--repeats", type=int, default=3, help="Runs per figure (default: 3).")
    parser.add_argument("--max-batch-size", type=int, default=64, help="The server's --max-batch-size.")
    parser.add_argument("--reward-batch-size", type=int, default=32,
                        help="Texts per forward pass, in process and served alike (default: 32, as for RL).")
    parser.add_argument("--max-wait-ms", type=float, default=5.0, help="The server's --max-wait-ms.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="Write every figure to this file.")
    return parser.parse_args(argv)


def load_texts(path: str, n: int, chars: int, seed: int) -> tuple[list[str], list[str]]:
    rows = read_jsonl(Path(path))
    random.Random(seed).shuffle(rows)
    rows = rows[:n]
    return [r["prompt"] for r in rows], [r["response"][:chars] for r in rows]


def summary(runs: list[float]) -> dict[str, float]:
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "runs": runs}


def in_process_rate(reward, prompts: list[str], completions: list[str], request: int | None) -> float:
    """Texts/s of ``reward.score`` on ``request`` texts per call (``None``: all in one call)."""
    step = request or len(completions)
    start = time.perf_counter()
    for i in range(0, len(completions), step):
        reward.score(prompts[i:i + step], completions[i:i + step])
    return len(completions) / (time.perf_counter() - start)


def served_rate(remote, prompts: list[str], completions: list[str], request: int, clients: int) -> tuple[float, list[float]]:
    """Texts/s of ``clients`` concurrent clients sending ``request`` texts per request; and the scores."""
    parts = [(prompts[i:i + request], completions[i:i + request]) for i in range(0, len(completions), request)]

    async def run() -> list[list[float]]:
        queue: asyncio.Queue = asyncio.Queue()
        for index, part in enumerate(parts):
            queue.put_nowait((index, part))
        out: list[list[float]] = [[] for _ in parts]

        async def client() -> None:
            while not queue.empty():
                index, (p, c) = queue.get_nowait()
                out[index] = (await remote.score_async(p, c)).rewards

        await asyncio.gather(*(client() for _ in range(clients)))
        return out

    start = time.perf_counter()
    out = asyncio.run(run())
    rate = len(completions) / (time.perf_counter() - start)
    return rate, [s for part in out for s in part]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import torch

    from aligntune.serve import RemoteReward, build_served_reward
    from aligntune.serve.process import ServerProcess

    prompts, completions = load_texts(args.data, args.texts, args.chars, args.seed)
    threads = torch.get_num_threads()
    reward = build_served_reward(reward_model_path=args.reward_model_path, reward_batch_size=args.reward_batch_size)
    reward.score(prompts[:4], completions[:4])  # warm up
    expected = reward.score(prompts, completions).rewards
    servers, remotes = {}, {}
    env = {"OMP_NUM_THREADS": str(threads)}  # the server's torch gets the threads this process's has
    try:
        for batching in (True, False):
            servers[batching] = ServerProcess.start(
                ["--reward-model-path", args.reward_model_path, "--port", "0", "--device", "cpu",
                 "--reward-batch-size", str(args.reward_batch_size),
                 "--batching" if batching else "--no-batching", "--max-batch-size", str(args.max_batch_size),
                 "--max-wait-ms", str(args.max_wait_ms)], env=env)
            remotes[batching] = RemoteReward(servers[batching].url, timeout_s=600, retries=0,
                                             max_connections=max(args.clients))
            remotes[batching].check()
            served_rate(remotes[batching], prompts[:16], completions[:16], args.request_texts, 4)  # warm up
        runs: dict[str, list[float]] = {"per_request": [], "one_call": []}
        diffs: dict[str, float] = {}
        for _ in range(args.repeats):  # interleaved, so drifting load on a shared machine hits every figure alike
            runs["per_request"].append(in_process_rate(reward, prompts, completions, args.request_texts))
            runs["one_call"].append(in_process_rate(reward, prompts, completions, None))
            for batching in (True, False):
                for clients in args.clients:
                    key = f"{'on' if batching else 'off'}/{clients}"
                    rate, scores = served_rate(remotes[batching], prompts, completions, args.request_texts, clients)
                    runs.setdefault(key, []).append(rate)
                    diffs[key] = max(diffs.get(key, 0.0), max(abs(a - b) for a, b in zip(scores, expected)))
    finally:
        for remote in remotes.values():
            remote.close()
        for server in servers.values():
            server.stop()
    figures = {key: summary(values) for key, values in runs.items()}
    one, per = figures["one_call"]["median"], figures["per_request"]["median"]
    from aligntune.reward_model.training_args import native_bf16_flags

    print(f"CPU native bf16 flags: {','.join(native_bf16_flags()) or 'none'}")
    print(f"{len(completions)} texts of <= {args.chars} chars, {args.request_texts} per request, median of "
          f"{args.repeats} interleaved runs (min-max); {os.cpu_count()} cores shared by server, clients and the "
          f"in-process runs; torch threads {threads} in each process; {args.reward_batch_size} texts per forward pass")
    for key, label in (("per_request", "one request's texts per call"), ("one_call", "all texts in one call")):
        f = figures[key]
        print(f"in process, {label:29s}: {f['median']:8.1f} texts/s ({f['min']:.1f}-{f['max']:.1f})")
    for batching in ("on", "off"):
        for clients in args.clients:
            key = f"{batching}/{clients}"
            f = figures[key]
            print(f"served, batching {batching:3s}, {clients:3d} clients: {f['median']:8.1f} texts/s "
                  f"({f['min']:.1f}-{f['max']:.1f}); x{f['median'] / one:.2f} of one call in process, "
                  f"x{f['median'] / per:.2f} of per request; max |served - in process| = {diffs[key]:.1e}")
    top = max(args.clients)
    on, off = figures[f"on/{top}"]["median"], figures[f"off/{top}"]["median"]
    ratio = on / one
    print(f"batching gain at {top} clients: x{on / off:.2f}; served (batching on, {top} clients) / in process "
          f"(one call) = {ratio:.2f} (target >= {TARGET}): {'met' if ratio >= TARGET else 'NOT met'}")
    if args.json:
        results = {"figures": figures, "max_abs_diff": diffs, "batching_gain": on / off, "ratio": ratio,
                   "target_met": ratio >= TARGET, "torch_threads": threads, "settings": vars(args)}
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
