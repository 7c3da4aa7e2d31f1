"""The demo's held-out prompts: topics and phrasings that the bundled corpus never uses.

The bundled corpus (:mod:`aligntune.data.corpus`) asks about 24 topics in 48 phrasings; the
warm-up, the reward model and RL train only on those. Two banks of other topics, two phrasings
each, ship beside it:

* ``heldout_prompts.jsonl``: 64 prompts on 32 topics (juggling, tides, hash tables, credit scores,
  ...), the test set: a gain measured on them is not a gain on prompts the policy trained on. No
  setting of the demo was chosen on them: they replaced an earlier test bank once that bank had
  been used to compare PPO settings;
* ``validation_prompts.jsonl``: 84 prompts on 42 further topics (that earlier bank among them), for
  choosing: the held-out evaluations behind ``keep_best="gold"`` and any comparison of settings,
  so the test set is never used to choose.
"""

from __future__ import annotations

import json
from pathlib import Path

HELDOUT_PROMPTS = Path(__file__).parent / "heldout_prompts.jsonl"
VALIDATION_PROMPTS = Path(__file__).parent / "validation_prompts.jsonl"


def _read(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line)["prompt"] for line in handle if line.strip()]


def load_heldout_prompts() -> list[str]:
    """The 64 test prompts, in file order."""
    return _read(HELDOUT_PROMPTS)


def load_validation_prompts() -> list[str]:
    """The 84 validation prompts (topics disjoint from the test prompts' and the corpus's)."""
    return _read(VALIDATION_PROMPTS)
