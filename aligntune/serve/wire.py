"""What travels over HTTP between a reward server and its clients, read and checked.

``POST /score`` takes ``{"prompts": [...], "completions": [...]}`` (one prompt per
completion) and answers the JSON form of those texts' scored batch
(``RewardBatch.to_json``, :mod:`aligntune.rl.reward.json_form`): ``rewards`` (the proxy),
``components`` and ``weights``, and ``gold`` with ``gold_components`` and ``gold_weights``
when the rules the reward stands for are known; a client reads it back with
``RewardBatch.from_json``.

OpenRLHF's remote reward request, ``{"query": [...], "prompts": [...], "labels": [...]}``
(each query is the prompt followed by the response), is answered on its own path with
``{"rewards": [...], "scores": [...], "extra_logs": {...}}``.

A refused request gets ``{"error": "<what was wrong, the value, the fix>"}`` with a 4xx
status: 400 unreadable JSON, 401 missing or wrong token, 413 too large, 422 wrong fields.
No server or HTTP library is imported here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from aligntune.errors import show


class WireError(Exception):
    """A request refused with an HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def read_json(body: bytes) -> Any:
    """The JSON value of a request body (400 when it is not JSON)."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(400, f"The request body is not valid JSON ({exc}); send a JSON object") from None


def _texts(value: Any, name: str) -> list[str]:
    if not isinstance(value, list):
        raise WireError(422, f"Field {name!r} must be a list of strings, got {type(value).__name__}: {show(value, 80)}")
    for i, text in enumerate(value):
        if not isinstance(text, str):
            raise WireError(422, f"{name}[{i}] must be a string, got {type(text).__name__}: {show(text, 80)}")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise WireError(422, f"{name}[{i}] holds a lone surrogate (not valid UTF-8 text): {show(text, 80)}") from None
    return value


def _count(n: int, limit: int) -> None:
    if n > limit:
        raise WireError(413, f"The request holds {n} texts; this server takes at most {limit} per request "
                             "(max_request_texts): send them in smaller requests")


def parse_score(body: bytes, *, max_texts: int) -> tuple[list[str], list[str]]:
    """``(prompts, completions)`` of a ``POST /score`` body."""
    data = read_json(body)
    if not isinstance(data, dict):
        raise WireError(422, f"The request must be a JSON object {{\"prompts\": [...], \"completions\": [...]}}, "
                             f"got {type(data).__name__}: {show(data, 80)}")
    unknown = sorted(set(data) - {"prompts", "completions"})
    if unknown:
        raise WireError(422, f"Unknown request fields {unknown}; send only 'prompts' and 'completions'")
    if "completions" not in data:
        raise WireError(422, "The request has no 'completions' (a list of the texts to score)")
    completions = _texts(data["completions"], "completions")
    _count(len(completions), max_texts)
    if data.get("prompts") is None:
        raise WireError(422, "The request has no 'prompts': send one prompt per completion ('' where there is none)")
    prompts = _texts(data["prompts"], "prompts")
    if len(prompts) != len(completions):
        raise WireError(422, f"Got {len(prompts)} prompts for {len(completions)} completions; send one prompt each")
    return prompts, completions


def parse_openrlhf(body: bytes, *, max_texts: int, strip: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """``(prompts, completions)`` of an OpenRLHF remote reward request.

    Each ``query`` must start with its prompt; the rest is the completion, with any of
    the ``strip`` end markers (and the whitespace around them) removed from its end.
    """
    data = read_json(body)
    if not isinstance(data, dict) or "query" not in data:
        raise WireError(422, "An OpenRLHF reward request is a JSON object with 'query' (prompt + response texts) and "
                             f"'prompts'; got {show(data, 80)}")
    queries = _texts(data["query"], "query")
    _count(len(queries), max_texts)
    if data.get("prompts") is None:
        raise WireError(422, "The OpenRLHF request has no 'prompts': the served reward scores each response after "
                             "its prompt, so it needs them (OpenRLHF sends them)")
    prompts = _texts(data["prompts"], "prompts")
    if len(prompts) != len(queries):
        raise WireError(422, f"Got {len(prompts)} prompts for {len(queries)} queries; send one prompt each")
    completions = []
    for i, (query, prompt) in enumerate(zip(queries, prompts)):
        if not query.startswith(prompt):
            raise WireError(422, f"query[{i}] does not start with prompts[{i}] ({show(prompt, 60)}), so its response "
                                 "cannot be told apart; send each query as the prompt followed by the response")
        completions.append(_strip_end(query[len(prompt):], strip))
    return prompts, completions


def _strip_end(text: str, markers: Sequence[str]) -> str:
    changed = True
    while changed:
        changed = False
        text = text.rstrip()
        for marker in markers:
            if text.endswith(marker):
                text = text[: -len(marker)]
                changed = True
    return text.strip()


def openrlhf_answer(batch: dict[str, Any]) -> dict[str, Any]:
    """OpenRLHF's answer shape from a batch's JSON: the proxy as ``rewards`` and ``scores``; the gold and
    every component (``gold/<rule>`` for the gold's) in ``extra_logs``, one value per query."""
    logs: dict[str, list[float]] = dict(batch["components"])
    if batch.get("gold") is not None:
        logs["gold"] = batch["gold"]
        logs.update({f"gold/{k}": v for k, v in batch["gold_components"].items()})
    return {"rewards": batch["rewards"], "scores": batch["rewards"], "extra_logs": logs}


def split_batch(batch: dict[str, Any], sizes: Sequence[int]) -> list[dict[str, Any]]:
    """Cut one batch's JSON (of ``sum(sizes)`` texts) into consecutive batches of ``sizes`` texts."""
    out = []
    start = 0
    for size in sizes:
        stop = start + size

        def cut(values: list[float]) -> list[float]:
            return values[start:stop]

        out.append({
            "rewards": cut(batch["rewards"]),
            "components": {k: cut(v) for k, v in batch["components"].items()},
            "weights": batch["weights"],
            "gold": None if batch.get("gold") is None else cut(batch["gold"]),
            "gold_components": {k: cut(v) for k, v in batch.get("gold_components", {}).items()},
            "gold_weights": batch.get("gold_weights", {}),
        })
        start = stop
    return out
