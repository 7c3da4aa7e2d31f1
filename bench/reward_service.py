"""Throughput of a served reward against the same reward in process (issue 24, item 4).

The reward is a trained MiniLM reward model (``--reward-model-path``: a directory saved by
``aligntune train-reward-model``, e.g. the demo's ``outputs/demo/reward_model``). The texts are
real answers (default ``../shared/data/real_responses.jsonl``), ``--texts`` of them picked with
``--seed`` and cut to their first ``--chars`` characters (RL completions are short), each with its
prompt. Every request carries ``--request-texts`` completions (a GRPO group, say).

Measured, in texts per second (median of ``--repeats`` runs, with their min-max):

* in process: ``LocalReward.score`` on each request's texts in turn (the same unit of work as
  one request), and on all texts in one call (the most a single caller can get);
* served on loopback: ``aligntune serve-reward --reward-model-path DIR`` in a child process, and
  1, 8 and 64 concurrent clients (asyncio tasks sharing one pooled ``RemoteReward``) sending the
  requests, with the server's dynamic batching on and off.

The served scores are checked against the in-process ones (largest absolute difference printed).
Server, clients and the in-process runs share this machine's cores: on a 2-core box the server's
model and the clients' HTTP work compete, which a real deployment (reward on its own GPU box) does
not have. Target: served with batching at 64 clients >= 0.8x in process.

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
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs)}


def in_process(reward, prompts: list[str], completions: list[str], request: int, repeats: int) -> dict:
    per_request, whole = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        for i in range(0, len(completions), request):
            reward.score(prompts[i:i + request], completions[i:i + request])
        per_request.append(len(completions) / (time.perf_counter() - start))
        start = time.perf_counter()
        reward.score(prompts, completions)
        whole.append(len(completions) / (time.perf_counter() - start))
    return {"per_request": summary(per_request), "one_call": summary(whole)}


def served(url: str, prompts: list[str], completions: list[str], request: int, clients: int,
           repeats: int) -> tuple[dict, list[float]]:
    from aligntune.serve import RemoteReward

    parts = [(prompts[i:i + request], completions[i:i + request]) for i in range(0, len(completions), request)]
    remote = RemoteReward(url, timeout_s=300, retries=0, max_connections=max(clients, 1))
    remote.check()
    runs: list[float] = []
    scores: list[float] = []

    async def run_once() -> list[float]:
        queue: asyncio.Queue = asyncio.Queue()
        for index, part in enumerate(parts):
            queue.put_nowait((index, part))
        out: list[list[float]] = [[] for _ in parts]

        async def client() -> None:
            while not queue.empty():
                index, (p, c) = queue.get_nowait()
                out[index] = (await remote.score_async(p, c)).rewards

        await asyncio.gather(*(client() for _ in range(clients)))
        return [s for part in out for s in part]

    async def all_runs() -> None:
        nonlocal scores
        await run_once()  # warm: connections opened
        for _ in range(repeats):
            start = time.perf_counter()
            scores = await run_once()
            runs.append(len(completions) / (time.perf_counter() - start))

    asyncio.run(all_runs())
    return summary(runs), scores


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from aligntune.serve import build_served_reward
    from aligntune.serve.process import ServerProcess

    prompts, completions = load_texts(args.data, args.texts, args.chars, args.seed)
    reward = build_served_reward(reward_model_path=args.reward_model_path)
    reward.score(prompts[:4], completions[:4])  # warm up
    local = in_process(reward, prompts, completions, args.request_texts, args.repeats)
    expected = reward.score(prompts, completions).rewards
    print(f"{len(completions)} texts of <= {args.chars} chars, {args.request_texts} per request, "
          f"median of {args.repeats} (min-max); {os.cpu_count()} cores shared by server and clients")
    print(f"in process, one request's texts per call: {local['per_request']['median']:8.1f} texts/s "
          f"({local['per_request']['min']:.1f}-{local['per_request']['max']:.1f})")
    print(f"in process, all texts in one call:        {local['one_call']['median']:8.1f} texts/s "
          f"({local['one_call']['min']:.1f}-{local['one_call']['max']:.1f})")
    results: dict = {"in_process": local, "served": {}, "settings": vars(args)}
    for batching in (True, False):
        flag = "--batching" if batching else "--no-batching"
        server = ServerProcess.start(["--reward-model-path", args.reward_model_path, "--port", "0", flag,
                                      "--max-batch-size", str(args.max_batch_size),
                                      "--max-wait-ms", str(args.max_wait_ms)])
        try:
            for clients in args.clients:
                figure, scores = served(server.url, prompts, completions, args.request_texts, clients, args.repeats)
                diff = max(abs(a - b) for a, b in zip(scores, expected))
                key = f"{'on' if batching else 'off'}/{clients}"
                results["served"][key] = {**figure, "max_abs_diff": diff}
                ratio = figure["median"] / local["one_call"]["median"]
                print(f"served, batching {'on ' if batching else 'off'}, {clients:3d} clients: "
                      f"{figure['median']:8.1f} texts/s ({figure['min']:.1f}-{figure['max']:.1f}); "
                      f"x{ratio:.2f} of one call in process, "
                      f"x{figure['median'] / local['per_request']['median']:.2f} of per request; "
                      f"max |served - in process| = {diff:.1e}")
        finally:
            server.stop()
    top = max(args.clients)
    on, off = results["served"][f"on/{top}"]["median"], results["served"][f"off/{top}"]["median"]
    ratio = on / local["one_call"]["median"]
    results["batching_gain"] = on / off
    results["target_met"] = ratio >= TARGET
    print(f"batching gain at {top} clients: x{on / off:.2f}; served/in-process (one call) = {ratio:.2f} "
          f"(target >= {TARGET}): {'met' if ratio >= TARGET else 'NOT met'}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
