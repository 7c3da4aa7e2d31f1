"""An RL run's output directory: owned by aligntune, replaced only on request, never a user's folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ppo_helpers import fast_ppo_kwargs

from aligntune.core.backend_factory import create_rl_trainer
from aligntune.errors import ConfigurationError


@pytest.mark.slow
def test_a_previous_run_is_replaced_only_with_overwrite_and_user_folders_never(policy_dir, prompts_file, tmp_path):
    kwargs = dict(model_name=str(policy_dir), dataset_name=str(prompts_file), reward_functions=["length"],
                  **fast_ppo_kwargs(tmp_path, total_episodes=4))
    out = Path(kwargs["output_dir"])
    first = create_rl_trainer(**kwargs)
    first.train()
    first.save_model()
    assert sorted(p.name for p in out.iterdir()) == ["aligntune-output.json", "metrics.json", "policy", "reward_curve.png", "rl_report.png"]
    first_metrics = json.loads((out / "metrics.json").read_text())

    with pytest.raises(ConfigurationError, match=r"already exists and is not empty.*overwrite=True"):
        create_rl_trainer(**kwargs)

    user = tmp_path / "my_folder"
    user.mkdir()
    (user / "notes.txt").write_text("mine")
    with pytest.raises(ConfigurationError, match="was not written by aligntune"):
        create_rl_trainer(**{**kwargs, "output_dir": str(user), "overwrite": True})
    with pytest.raises(ConfigurationError, match="was not written by aligntune"):
        first.save_model(str(user), overwrite=True)
    assert [p.name for p in user.iterdir()] == ["notes.txt"]

    second = create_rl_trainer(**{**kwargs, "overwrite": True, "seed": 1})
    second.train()
    path = second.save_model()
    assert path == str(out / "policy") and (out / "policy" / "config.json").is_file()
    second_metrics = json.loads((out / "metrics.json").read_text())
    assert second_metrics["steps"] != first_metrics["steps"]  # the new run's log, written whole


def test_the_file_names_the_docs_promise_are_the_ones_written():
    from aligntune_backend_trl import reporting

    root = Path(__file__).resolve().parents[2]
    assert reporting.METRICS_FILE == "metrics.json" and reporting.PLOT_FILE == "reward_curve.png"
    for doc in ("README.md", "docs/ppo.md"):
        text = (root / doc).read_text(encoding="utf-8")
        assert "metrics.json" in text and "ppo_metrics.json" not in text, doc
