"""The demo's reward-model training setting, shared with ``bench/reward_model_fidelity.py``.

Chosen on the bundled corpus with the bundled MiniLM on a 2-core CPU (see
docs/reward-model-training.md, "Fidelity on the bundled corpus"): texts are kept whole
(``max_length`` 512), and many pairs per text with one epoch beat more epochs over fewer
pairs.
"""

from __future__ import annotations

REWARD_TRAINING: dict[str, float | int] = {
    "corpus_size": 1200,
    "pairs_per_text": 12,
    "min_score_gap": 0.05,
    "num_epochs": 1,
    "learning_rate": 1e-4,
    "batch_size": 8,
    "max_length": 512,
}
