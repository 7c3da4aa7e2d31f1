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

#: The demo's RL run for each algorithm, sized for a few minutes on 2 CPU cores. ``episodes``
#: counts responses: one per prompt for PPO, ``num_generations`` per prompt for GRPO and RLOO
#: (so a GRPO step of ``batch_size`` 4 prompts scores 16 completions). GRPO and RLOO keep TRL's
#: KL coefficient ``beta`` (GRPO 0: no reference model; RLOO 0.05).
RL_SETTINGS: dict[str, dict[str, float | int]] = {
    "ppo": {"episodes": 384, "batch_size": 8, "learning_rate": 3e-5},
    "grpo": {"episodes": 768, "batch_size": 4, "num_generations": 4, "learning_rate": 3e-5},
    "rloo": {"episodes": 768, "batch_size": 4, "num_generations": 4, "learning_rate": 3e-5},
}
