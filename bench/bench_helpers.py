"""Pieces more than one bench uses: the real-response data, and held-out fidelity scored and printed.

Benches import this module by name (the bench folder is on ``sys.path`` when a bench runs as a script,
and the tests put it there).
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aligntune.reward_model.fidelity import FidelityReport

#: The basic-rewards plugin package, relative to the repository root.
PLUGIN_PACKAGE = "plugins/aligntune_rewards_basic/aligntune_rewards_basic"

#: ``/work/shared/data`` beside the checkout: real answers (``real_responses.jsonl``) and HH pairs.
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def shuffled_instructions(rows: Sequence[dict], seed: int) -> list[str]:
    """The distinct ``prompt`` values of ``rows``, sorted, then shuffled with ``seed`` (a split by instruction
    takes a slice of this list, so no instruction lands on both sides)."""
    prompts = sorted({r["prompt"] for r in rows})
    random.Random(seed).shuffle(prompts)
    return prompts


def held_out_fidelity(model_dir: str, functions: Sequence[str], weights: Sequence[float], texts: Sequence[str],
                      prompts: Sequence[str]) -> FidelityReport:
    """Fidelity of the saved reward model at ``model_dir`` to the composite on texts it never saw
    (pairs with a composite gap >= 0.02, the trainer's default, as in training's own report)."""
    from aligntune.reward_model.fidelity import measure_fidelity
    from aligntune.reward_model.scoring import TextRewardModel
    from aligntune.rewards.composite import CompositeReward

    scores = CompositeReward(list(functions), list(weights)).score_components(list(texts), prompts=list(prompts))
    model = TextRewardModel.from_pretrained(str(model_dir)).score(list(texts), prompts=list(prompts))
    return measure_fidelity(model, scores.total, scores.components, min_score_gap=0.02)


def print_fidelity(name: str, report: FidelityReport, *, max_gap: float | None = None) -> None:
    """The summary line, then each rule: the model's Spearman, the composite's own, the gap."""
    gap = report.max_component_gap()
    print(f"[{name}] {report.summary()}; largest rule gap {'n/a' if gap is None else f'{gap:.3f}'}")
    for rule, comp in report.components.items():
        if comp.model_spearman is None or comp.composite_spearman is None:
            print(f"    {rule:<12} model {comp.model_spearman}   composite itself {comp.composite_spearman}")
            continue
        rule_gap = abs(comp.composite_spearman - comp.model_spearman)
        verdict = "" if max_gap is None else ("  ok" if rule_gap <= max_gap else f"  > {max_gap}")
        print(f"    {rule:<12} model {comp.model_spearman:.3f}   composite itself {comp.composite_spearman:.3f}"
              f"   gap {rule_gap:.3f}{verdict}")


def plugin_at_ref(ref: str, workdir: str) -> ModuleType:
    """The basic-rewards plugin package as it was at git revision ``ref``, importable beside today's.

    The package is extracted with ``git archive`` into ``workdir`` under another name (its
    absolute self-imports rewritten) and imported; its factories (``safety_reward``, ...)
    build the rules as they were at ``ref``. Raises ``subprocess.CalledProcessError`` when
    ``ref`` is not a revision of this checkout.
    """
    root = Path(__file__).resolve().parent.parent
    blob = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", ref, PLUGIN_PACKAGE],
                          check=True, capture_output=True).stdout
    alias = "aligntune_rewards_basic_at_" + "".join(c if c.isalnum() else "_" for c in ref)
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            target = Path(workdir, alias, Path(member.name).relative_to(PLUGIN_PACKAGE))
            target.parent.mkdir(parents=True, exist_ok=True)
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.endswith(".py"):
                data = data.decode("utf-8").replace("aligntune_rewards_basic", alias).encode("utf-8")
            target.write_bytes(data)
    if workdir not in sys.path:
        sys.path.insert(0, workdir)
    return __import__(alias)
