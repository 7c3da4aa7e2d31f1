"""The files of one RL run: never mixed with an earlier run's, each carrying the run id (issue 25, item 5).

``completions.jsonl`` was appended across ``--overwrite`` runs (steps 1, 2, 1, 2, no run id), and
after a ``kill -9`` of an overwrite run the old run's ``metrics.json`` and policy sat beside the new
run's completions. A run now starts in a directory of its own: the earlier run is swapped out
atomically before anything is written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from ppo_helpers import fast_ppo_kwargs

from aligntune.cli import main
from aligntune.core.backend_factory import create_rl_trainer
from aligntune.errors import ConfigurationError
from aligntune.outputs import RUN_MARKER, read_marker, write_marker

GONE = 2**22 + 12345  # the pid of a process that no longer exists


def _earlier_run(out: Path) -> str:
    """What a finished earlier run left in ``out``: marker, metrics, completions, reports, a policy, a reward model."""
    out.mkdir(parents=True)
    run_id = write_marker(out, "rl_run", finished=True)
    (out / "metrics.json").write_text(json.dumps({"run_id": run_id, "steps": [{"step": 1}, {"step": 2}]}))
    (out / "completions.jsonl").write_text("".join(json.dumps({"run_id": run_id, "step": s}) + "\n" for s in (1, 2)))
    (out / "rl_report.png").write_bytes(b"old report")
    for sub in ("policy", "reward_model"):
        (out / sub).mkdir()
        write_marker(out / sub, sub, run_id=run_id, finished=True)
        (out / sub / "model.safetensors").write_bytes(b"old weights")
    return run_id


def test_an_overwrite_run_clears_the_earlier_run_before_writing_anything(policy_dir, prompts_file, tmp_path):
    kwargs = dict(model_name=str(policy_dir), dataset_name=str(prompts_file), reward_functions=["length"],
                  **fast_ppo_kwargs(tmp_path, total_episodes=4))
    out = Path(kwargs["output_dir"])
    old_id = _earlier_run(out)
    trainer = create_rl_trainer(**kwargs, overwrite=True)
    assert (out / "metrics.json").is_file()  # validation alone changes nothing
    trainer.run_dir.mark()  # the run starts: what a kill -9 from here on leaves behind
    assert sorted(p.name for p in out.iterdir()) == [RUN_MARKER]
    marker = read_marker(out)
    assert marker["run_id"] != old_id and marker["run_id"] == trainer.run_dir.run_id and marker["finished"] is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ppo"]  # no staging or old copy left beside it


def test_a_run_that_failed_after_marking_does_not_block_its_rerun(policy_dir, prompts_file, tmp_path):
    out = tmp_path / "run"
    config = tmp_path / "ppo.yaml"
    config.write_text(yaml.safe_dump({"model_name": str(policy_dir), "dataset_name": str(prompts_file),
                                      "reward_functions": ["length"], "output_dir": str(out), "batch_size": 4}))
    out.mkdir()
    write_marker(out, "rl_run")  # a run that died (report_to crashed after loading) before writing anything
    marker = read_marker(out)
    (out / RUN_MARKER).write_text(json.dumps({**marker, "pid": GONE}))
    result = CliRunner().invoke(main, ["ppo", "--config", str(config), "--dry-run"])
    assert result.exit_code == 0 and "Configuration is valid" in result.output, result.output

    # one that left more than its marker is refused with what happened and what to do
    (out / "reward_model").mkdir()
    result = CliRunner().invoke(main, ["ppo", "--config", str(config), "--dry-run"])
    assert result.exit_code == 1, result.output
    assert "never finished" in result.output and "--overwrite" in result.output, result.output
    result = CliRunner().invoke(main, ["ppo", "--config", str(config), "--dry-run", "--overwrite"])
    assert result.exit_code == 0, result.output


def test_a_directory_filled_after_validation_is_not_swapped_away(policy_dir, prompts_file, tmp_path):
    kwargs = dict(model_name=str(policy_dir), dataset_name=str(prompts_file), reward_functions=["length"],
                  **fast_ppo_kwargs(tmp_path, total_episodes=4))
    out = Path(kwargs["output_dir"])
    trainer = create_rl_trainer(**kwargs)
    out.mkdir()
    (out / "notes.txt").write_text("written meanwhile by someone else")
    with pytest.raises(ConfigurationError, match="already exists and is not empty"):
        trainer.run_dir.mark()
    assert (out / "notes.txt").read_text() == "written meanwhile by someone else"


@pytest.mark.slow
def test_every_file_of_a_run_carries_its_run_id_and_an_overwrite_run_keeps_only_its_own(policy_dir, prompts_file,
                                                                                        tmp_path):
    kwargs = dict(model_name=str(policy_dir), dataset_name=str(prompts_file), reward_functions=["length"],
                  log_completions_steps=1, **fast_ppo_kwargs(tmp_path, total_episodes=8))
    out = Path(kwargs["output_dir"])
    first = create_rl_trainer(**kwargs)
    first.train()
    first.save_model()
    first_id = read_marker(out)["run_id"]

    second = create_rl_trainer(**{**kwargs, "overwrite": True, "seed": 1})
    second.train()
    second.save_model()
    marker = read_marker(out)
    run_id = marker["run_id"]
    assert run_id != first_id and marker["finished"] is True
    rows = [json.loads(line) for line in (out / "completions.jsonl").read_text().splitlines()]
    assert rows and {row["run_id"] for row in rows} == {run_id}
    steps = [row["step"] for row in rows if row["split"] == "train"]
    assert steps == sorted(steps)  # one run's steps, not 1, 2, 1, 2
    assert json.loads((out / "metrics.json").read_text())["run_id"] == run_id
    assert read_marker(out / "policy")["run_id"] == run_id


def test_an_overwrite_run_refuses_to_clear_files_no_run_writes(policy_dir, prompts_file, tmp_path):
    kwargs = dict(model_name=str(policy_dir), dataset_name=str(prompts_file), reward_functions=["length"],
                  **fast_ppo_kwargs(tmp_path, total_episodes=4))
    out = Path(kwargs["output_dir"])
    _earlier_run(out)
    (out / "my_notes.txt").write_text("what I tried")
    trainer = create_rl_trainer(**kwargs, overwrite=True)
    with pytest.raises(ConfigurationError, match="holds 'my_notes.txt', which no aligntune run writes"):
        trainer.run_dir.mark()
    assert (out / "my_notes.txt").read_text() == "what I tried" and (out / "metrics.json").is_file()


@pytest.mark.slow
def test_kill_9_of_an_overwrite_run_leaves_no_file_of_the_earlier_run(policy_dir, prompts_file, tmp_path, start_process):
    import signal
    import sys
    import time

    out = tmp_path / "run"
    old_id = _earlier_run(out)
    config = tmp_path / "ppo.yaml"
    config.write_text(yaml.safe_dump({"model_name": str(policy_dir), "dataset_name": str(prompts_file),
                                      "reward_functions": ["length"], "output_dir": str(out), "batch_size": 4,
                                      "response_length": 12, "total_episodes": 4000, "log_completions_steps": 1}))
    proc = start_process([sys.executable, "-m", "aligntune.cli", "ppo", "--config", str(config), "--overwrite"],
                         tmp_path)
    deadline = time.monotonic() + 300
    try:
        while not (out / "completions.jsonl").is_file() or read_marker(out).get("run_id") == old_id:
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "the run never wrote its completions"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    run_id = read_marker(out)["run_id"]
    assert run_id != old_id and read_marker(out)["finished"] is False
    left = {p.name for p in out.iterdir()}
    assert left <= {RUN_MARKER, "completions.jsonl"}, left  # no metrics.json, plots or policy of the earlier run
    rows = [json.loads(line) for line in (out / "completions.jsonl").read_text().splitlines() if line.endswith("}")]
    assert rows and {row["run_id"] for row in rows} == {run_id}


def test_the_demo_never_deletes_a_folder_aligntune_did_not_write(tmp_path, monkeypatch):
    from aligntune.demo import run_demo

    mine = tmp_path / "my_project"
    mine.mkdir()
    (mine / "thesis.tex").write_text("two years of work")
    with pytest.raises(ConfigurationError, match="was not written by aligntune"):
        run_demo(mine, overwrite=True)
    assert (mine / "thesis.tex").read_text() == "two years of work"
    monkeypatch.chdir(mine)
    with pytest.raises(ConfigurationError, match="is the current working directory"):
        run_demo(".", overwrite=True)
    assert (mine / "thesis.tex").is_file()
