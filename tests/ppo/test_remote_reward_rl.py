"""RL through a served reward: ``create_rl_trainer(reward_model_url=...)`` against a real
``aligntune serve-reward`` process on loopback, with tiny models.

GRPO through served rules gives the same per-step rewards (and gold) as the same rules in
process for the same seed; PPO scores through a served reward model as the model scores
those texts in process; a server killed mid-run and restarted within the retries is ridden
out; a server killed for good stops the run with ONE clear error, before any result is written.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner
from ppo_helpers import fast_ppo_kwargs

from aligntune.cli import main

from aligntune.errors import RemoteRewardError
from aligntune.reward_model.scoring import TextRewardModel
from aligntune.rl.factory import create_rl_trainer
from aligntune.serve.process import ServerProcess

RULES = ["--reward-functions", "length", "--reward-functions", "sentiment",
         "--reward-function-weights", "1", "--reward-function-weights", "3"]


def _grpo(policy_dir, prompts_file, out: Path, **overrides):
    return dict(dict(model_name=str(policy_dir), dataset_name=str(prompts_file), algorithm="grpo", backend="trl",
                     output_dir=str(out), batch_size=2, num_generations=2, total_episodes=8, response_length=10,
                     learning_rate=1e-4, seed=0), **overrides)


def _remote(url, **options):
    return dict(reward_model_url=url, remote_reward_options={"timeout_s": 30.0, "retries": 2, "backoff_s": 0.1,
                                                             **options})


def _rewards(result):
    return [[s["reward"] for s in step["samples"]] for step in result.history]


@pytest.fixture(scope="module")
def rules_server():
    server = ServerProcess.start([*RULES, "--port", "0"])
    try:
        yield server
    finally:
        server.stop()


def test_aligntune_rl_takes_the_server_from_yaml_and_checks_it_before_loading(policy_dir, prompts_file, tmp_path,
                                                                             rules_server):
    config = tmp_path / "rl.yaml"
    config.write_text(yaml.safe_dump(_grpo(policy_dir, prompts_file, tmp_path / "run", reward_model_url=rules_server.url,
                                           remote_reward_options={"retries": 0})), encoding="utf-8")
    result = CliRunner().invoke(main, ["rl", "--config", str(config), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"reward model (remote: {rules_server.url})" in result.output
    dead = CliRunner().invoke(main, ["rl", "--config", str(config), "--dry-run",
                                     "--set", "reward_model_url=http://127.0.0.1:9"])
    assert dead.exit_code == 1 and "gave no usable answer for its health check" in dead.output


@pytest.mark.slow
def test_grpo_through_served_rules_gives_the_in_process_rewards_and_gold(policy_dir, prompts_file, tmp_path,
                                                                         rules_server):
    local = create_rl_trainer(**_grpo(policy_dir, prompts_file, tmp_path / "local",
                                      reward_functions=["length", "sentiment"], reward_function_weights=[1, 3]))
    remote = create_rl_trainer(**_grpo(policy_dir, prompts_file, tmp_path / "remote", **_remote(rules_server.url)))
    served_before = httpx.get(f"{rules_server.url}/info").json()["stats"]["texts"]
    a, b = local.train(), remote.train()
    assert b.steps == a.steps == 2
    assert _rewards(b) == _rewards(a)  # the same completions, scored the same (floats survive JSON exactly)
    for step_a, step_b in zip(a.history, b.history):
        assert step_b["reward_mean"] == step_a["reward_mean"]
        gold_a, gold_b = ({k: v for k, v in step.items() if k.startswith("gold")} for step in (step_a, step_b))
        assert gold_b == gold_a and gold_a  # the gold (and its components) the server reported
        assert {"rewards/length", "rewards/sentiment"} <= set(step_b)  # the server's components, logged
    assert httpx.get(f"{rules_server.url}/info").json()["stats"]["texts"] - served_before >= 8
    assert Path(remote.save_model()).is_dir()


@pytest.mark.slow
def test_ppo_through_a_served_reward_model(policy_dir, prompts_file, cross_tok_rm_dir, tmp_path):
    with ServerProcess.start(["--reward-model-path", str(cross_tok_rm_dir), "--port", "0"]) as server:
        trainer = create_rl_trainer(model_name=str(policy_dir), dataset_name=str(prompts_file),
                                    **fast_ppo_kwargs(tmp_path), **_remote(server.url))
        result = trainer.train()
    samples = [s for step in result.history for s in step["samples"]]
    assert result.steps >= 1 and samples
    rm = TextRewardModel.from_pretrained(cross_tok_rm_dir)
    assert [s["reward"] for s in samples] == pytest.approx(rm.score([s["response"] for s in samples]), abs=1e-4)


def _kill_after_first_request(server: ServerProcess, then=None) -> threading.Thread:
    """Kill the server (SIGKILL) once it has answered one scoring request; then call ``then()``."""

    def watch():
        while httpx.get(f"{server.url}/info").json()["stats"]["requests"] < 1:
            time.sleep(0.02)
        server.kill()
        if then is not None:
            then()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


@pytest.mark.slow
def test_a_server_killed_mid_run_and_restarted_within_the_retries_is_ridden_out(policy_dir, prompts_file, tmp_path,
                                                                               caplog):
    server = ServerProcess.start([*RULES, "--port", "0"])
    restarted: list[ServerProcess] = []

    def restart():
        time.sleep(1.0)
        restarted.append(ServerProcess.start([*RULES, "--port", str(server.port)]))

    watcher = _kill_after_first_request(server, then=restart)
    trainer = create_rl_trainer(**_grpo(policy_dir, prompts_file, tmp_path / "run", total_episodes=16,
                                        **_remote(server.url, retries=12, backoff_s=0.5, max_backoff_s=1.0)))
    try:
        with caplog.at_level(logging.WARNING, logger="aligntune.serve.client"):
            result = trainer.train()
    finally:
        watcher.join(60)
        for s in restarted:
            s.stop()
    assert result.steps == 4 and len(restarted) == 1
    assert "connection failed" in caplog.text  # it did lose the server, and waited for the new one
    assert (Path(tmp_path / "run") / "metrics.json").is_file()


@pytest.mark.slow
def test_a_server_killed_for_good_stops_the_run_with_one_clear_error(policy_dir, prompts_file, tmp_path):
    server = ServerProcess.start([*RULES, "--port", "0"])
    watcher = _kill_after_first_request(server)
    out = tmp_path / "run"
    trainer = create_rl_trainer(**_grpo(policy_dir, prompts_file, out, total_episodes=16, **_remote(server.url)))
    start = time.monotonic()
    with pytest.raises(RemoteRewardError, match=r"gave no usable answer for scoring after 3 attempts.*No reward was "
                                                r"made up, so the run stops"):
        trainer.train()
    watcher.join(60)
    assert time.monotonic() - start < 120
    assert not (out / "metrics.json").exists() and not (out / "policy").exists()
