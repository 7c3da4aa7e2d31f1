"""The reward service on loopback: a real ``aligntune serve-reward`` process (or a server thread where a
test needs a reward that misbehaves on purpose), and the RemoteReward client.

Scores equal in-process scoring; concurrent requests are batched; limits, bad JSON and tokens get
clear 4xx answers; every fault (slow, 500s, unreadable answers, a server restarted or gone) ends in
an answer or ONE RemoteRewardError within timeout x retries, never a made-up reward.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from click.testing import CliRunner

from aligntune.cli import main
from aligntune.errors import ConfigurationError, RemoteRewardError
from aligntune.rewards.composite import CompositeReward
from aligntune.rl.factory import build_rl_config
from aligntune.rl.preflight import check_gold
from aligntune.rl.reward import LocalReward
from aligntune.serve import RemoteReward, ServeSettings, build_served_reward, start_reward_server
from aligntune.serve.process import ServerProcess

RULES = ["length", "safety"]
PROMPTS = ["How do I bake bread?", "Tell me about the sea.", "What is two plus two?", "Say hi.", ""]
COMPLETIONS = ["Mix flour, water and yeast, let it rise, then bake it for forty minutes. Thanks for asking!",
               "The sea is vast and salty.", "Four.", "You idiot, figure it out yourself.", "Hello there, friend."]


@pytest.fixture(scope="module")
def rules_server():
    server = ServerProcess.start(["--reward-functions", "length", "--reward-functions", "safety", "--port", "0",
                                  "--max-request-texts", "16", "--max-request-bytes", "20000", "--openrlhf-strip", "</s>"])
    try:
        yield server
    finally:
        server.stop()


def _client(url: str, **options) -> RemoteReward:
    return RemoteReward(url, **{"timeout_s": 5.0, "retries": 2, "backoff_s": 0.05, **options})


def test_served_rules_score_as_in_process_with_gold_and_components(rules_server):
    local = build_served_reward(reward_functions=RULES)
    remote = _client(rules_server.url)
    try:
        served = remote.score(PROMPTS, COMPLETIONS)
    finally:
        remote.close()
    assert served.to_json() == local.score(PROMPTS, COMPLETIONS).to_json()
    assert set(served.components) == set(RULES) and served.gold == served.rewards  # the rules are their own gold
    assert remote.describe()["served"]["components"] == RULES


def test_a_batch_over_the_servers_limit_is_sent_in_parts(rules_server):
    remote = _client(rules_server.url)
    texts = [f"answer number {i} " * (i % 5 + 1) for i in range(40)]  # the server takes 16 per request
    try:
        served = remote.score(["q"] * 40, texts)
    finally:
        remote.close()
    assert served.rewards == build_served_reward(reward_functions=RULES).score(["q"] * 40, texts).rewards


def test_openrlhf_request_shape_is_answered_on_its_path(rules_server):
    queries = [p + c + "</s>" for p, c in zip(PROMPTS, COMPLETIONS)]
    answer = httpx.post(f"{rules_server.url}/get_reward",
                        json={"query": queries, "prompts": PROMPTS, "labels": [None] * len(PROMPTS)}).json()
    refused = httpx.post(f"{rules_server.url}/get_reward", json={"query": ["other text"], "prompts": ["Hi?"]})
    expected = build_served_reward(reward_functions=RULES).score(PROMPTS, COMPLETIONS)
    assert answer["rewards"] == expected.rewards == answer["scores"]
    assert answer["extra_logs"]["gold"] == expected.gold
    assert answer["extra_logs"]["safety"] == expected.components["safety"]
    assert refused.status_code == 422 and "does not start with prompts[0]" in refused.json()["error"]


def test_bad_requests_get_clear_4xx_answers(rules_server):
    url = rules_server.url
    bad_json = httpx.post(f"{url}/score", content=b'{"prompts": ["a"], "completions": [')
    too_many = httpx.post(f"{url}/score", json={"prompts": ["p"] * 17, "completions": ["c"] * 17})
    too_big = httpx.post(f"{url}/score", json={"prompts": ["p"], "completions": ["x" * 30000]})
    no_prompts = httpx.post(f"{url}/score", json={"completions": ["c"]})
    not_text = httpx.post(f"{url}/score", json={"prompts": ["p"], "completions": [3]})
    assert bad_json.status_code == 400 and "not valid JSON" in bad_json.json()["error"]
    assert too_many.status_code == 413 and "at most 16 per request" in too_many.json()["error"]
    assert too_big.status_code == 413 and "max_request_bytes" in too_big.json()["error"]
    assert no_prompts.status_code == 422 and "no 'prompts'" in no_prompts.json()["error"]
    assert not_text.status_code == 422 and "completions[0] must be a string" in not_text.json()["error"]
    remote = _client(url, max_request_texts=16)
    try:  # the client refuses at once, naming the server's answer (a 4xx is never retried)
        with pytest.raises(RemoteRewardError, match=r"HTTP 422.*completions\[0\] must be a string"):
            remote._sync("POST", "/score", {"prompts": ["p"], "completions": [3]}, "scoring", 1)
    finally:
        remote.close()


def test_a_token_guards_every_route_but_health_and_is_never_printed(monkeypatch):
    secret = "s3cret-token-for-the-test"
    monkeypatch.setenv("TEST_REWARD_TOKEN", secret)
    with ServerProcess.start(["--reward-functions", "length", "--port", "0", "--token-env", "TEST_REWARD_TOKEN",
                              "--access-log"], env={"TEST_REWARD_TOKEN": secret}) as server:
        assert httpx.get(f"{server.url}/health").status_code == 200
        assert httpx.get(f"{server.url}/info").status_code == 401
        monkeypatch.setenv("WRONG_TOKEN", "guess")
        for env in (None, "WRONG_TOKEN"):
            remote = _client(server.url, token_env=env, retries=5, backoff_s=1.0)
            start = time.monotonic()
            with pytest.raises(RemoteRewardError, match="HTTP 401.*token_env"):
                remote.check()
            assert time.monotonic() - start < 3  # refused at once: retrying cannot fix a token
            remote.close()
        good = _client(server.url, token_env="TEST_REWARD_TOKEN")
        assert len(good.score(["p"], ["Hello there."]).rewards) == 1
        good.close()
        output = server.output
    assert "POST /score" in output and secret not in output


def test_a_port_in_use_is_refused_before_anything_loads(rules_server):
    result = CliRunner().invoke(main, ["serve-reward", "--reward-functions", "length",
                                       "--port", str(rules_server.port)])
    assert result.exit_code == 1
    assert f"Port {rules_server.port} on 127.0.0.1 is already in use" in result.output
    assert "--port" in result.output


def test_64_concurrent_clients_are_all_answered_right_within_a_fixed_time(rules_server):
    """Load: 64 concurrent clients x 4 requests each, all answered right, within a fixed time."""
    remote = _client(rules_server.url, max_connections=64)
    before = httpx.get(f"{rules_server.url}/info").json()["stats"]
    texts = [f"reply {i}: " + "words " * (i % 7) for i in range(256)]

    async def clients():
        return await asyncio.gather(*(remote.score_async(["q"], [t]) for t in texts))

    start = time.monotonic()
    try:
        batches = asyncio.run(clients())
    finally:
        remote.close()
    elapsed = time.monotonic() - start
    after = httpx.get(f"{rules_server.url}/info").json()["stats"]
    expected = build_served_reward(reward_functions=RULES).score(["q"] * 256, texts).rewards
    assert [b.rewards[0] for b in batches] == expected
    assert after["requests"] - before["requests"] == 256
    assert elapsed < 60


def test_requests_arriving_while_the_reward_runs_are_merged_into_one_call():
    with _serve_faulty(delay=0.1) as server:  # a reward that takes 100 ms a call, as a model does
        remote = _client(server.url, max_connections=64)

        async def clients():
            return await asyncio.gather(*(remote.score_async(["q"], [f"text {i}"]) for i in range(64)))

        batches = asyncio.run(clients())
        remote.close()
        stats = server.batcher_stats
    assert len(batches) == 64 and stats["requests"] == 64
    assert stats["calls"] <= 64 / 4, stats  # merged: many requests per call of the reward


def test_without_batching_every_request_is_its_own_call():
    reward = build_served_reward(reward_functions=RULES)
    with start_reward_server(reward, settings=ServeSettings(port=0, batching=False)) as server:
        remote = _client(server.url, max_connections=16)

        async def clients():
            return await asyncio.gather(*(remote.score_async(["q"], [f"text {i}"]) for i in range(32)))

        asyncio.run(clients())
        remote.close()
        assert server.batcher_stats["calls"] == server.batcher_stats["requests"] == 32


class _Faulty:
    """The rules reward, made (once ``armed``, after the server's warm-up call) to fail its first ``failures``
    calls or to answer after ``delay`` seconds."""

    def __init__(self, *, failures: int = 0, delay: float = 0.0) -> None:
        self.inner = build_served_reward(reward_functions=RULES)
        self.failures, self.delay, self.calls, self.armed = failures, delay, 0, False

    def score(self, prompts, completions):
        if not self.armed:
            return self.inner.score(prompts, completions)
        self.calls += 1
        time.sleep(self.delay)
        if self.calls <= self.failures:
            raise RuntimeError(f"GPU fell off the bus (call {self.calls})")
        return self.inner.score(prompts, completions)

    def describe(self):
        return self.inner.describe()

    def check(self):
        pass

    def close(self):
        pass


def _serve_faulty(**faults):
    faulty = _Faulty(**faults)
    server = start_reward_server(faulty, settings=ServeSettings(port=0))
    faulty.armed = True
    return server


def test_500s_are_retried_and_then_one_clear_error():
    with _serve_faulty(failures=2) as server:
        remote = _client(server.url, retries=3)
        assert remote.score(PROMPTS, COMPLETIONS).rewards == _Faulty().inner.score(PROMPTS, COMPLETIONS).rewards
        remote.close()
    with _serve_faulty(failures=100) as server:
        remote = _client(server.url, retries=2)
        with pytest.raises(RemoteRewardError, match=r"after 3 attempts.*HTTP 500.*GPU fell off the bus"):
            remote.score(PROMPTS, COMPLETIONS)
        remote.close()


def test_a_slow_server_times_out_within_timeout_times_retries():
    with _serve_faulty(delay=1.5) as server:
        remote = _client(server.url, timeout_s=0.3, retries=1, backoff_s=0.05)
        remote.check()
        start = time.monotonic()
        with pytest.raises(RemoteRewardError, match=r"after 2 attempts.*no answer within timeout_s=0.3 s"):
            remote.score(["p"], ["slow"])
        assert time.monotonic() - start < remote.settings.worst_case_s() + 1.0
        remote.close()


class _Garbage(BaseHTTPRequestHandler):
    """A server that answers /health and /info, and /score with the body the test sets."""

    body = b"{}"

    def do_GET(self):
        self._send(json.dumps({"status": "ok", "limits": {"max_request_texts": 100}, "reward": {}}).encode())

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self._send(type(self).body)

    def _send(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("body,message", [
    (b"<html>502 bad gateway</html>", "body that is not JSON"),
    (b'{"rewards": [null], "components": {}, "weights": {}}', r"rewards\[0\] must be a finite number"),
    (b'{"rewards": [1.0], "components": {}, "weights": {}}', "must be a list of 2 numbers"),
])
def test_an_unusable_answer_is_never_passed_on_as_a_reward(body, message):
    handler = type("Handler", (_Garbage,), {"body": body})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        remote = _client(f"http://127.0.0.1:{httpd.server_address[1]}", retries=1)
        with pytest.raises(RemoteRewardError, match=message):
            remote.score(["p", "q"], ["a", "b"])
        remote.close()
    finally:
        httpd.shutdown()


def test_a_server_restarted_within_the_retries_is_ridden_out():
    first = ServerProcess.start(["--reward-functions", "length", "--port", "0"])
    port = first.port
    remote = _client(first.url, retries=10, backoff_s=0.5, max_backoff_s=1.0)
    before = remote.score(["p"], ["Hello there."]).rewards
    first.kill()
    restarted: list[ServerProcess] = []

    def restart():
        time.sleep(1.0)
        restarted.append(ServerProcess.start(["--reward-functions", "length", "--port", str(port)]))

    thread = threading.Thread(target=restart)
    thread.start()
    try:
        assert remote.score(["p"], ["Hello there."]).rewards == before  # waited for the new server
    finally:
        thread.join()
        remote.close()
        for server in restarted:
            server.stop()


def test_a_server_gone_for_good_is_one_clear_error_after_the_retries():
    server = ServerProcess.start(["--reward-functions", "length", "--port", "0"])
    remote = _client(server.url, retries=2, backoff_s=0.1)
    remote.check()
    server.kill()
    start = time.monotonic()
    with pytest.raises(RemoteRewardError, match=r"after 3 attempts.*connection failed.*No reward was made up"):
        remote.score(["p"], ["Hello there."])
    assert time.monotonic() - start < remote.settings.worst_case_s()
    remote.close()


def test_the_rl_config_takes_a_remote_reward_whole(rules_server):
    url = rules_server.url
    config = build_rl_config(model_name="policy", reward_model_url=url, remote_reward_options={"retries": 1},
                             eval_steps=1, keep_best="gold")
    assert (config.reward_source.source_type, config.reward_source.url) == ("remote", url)
    check_gold(config)  # the server reports a gold (its rules), so keep_best='gold' has one to keep by
    for extra, what in (({"reward_functions": ["length"]}, "reward_functions"),
                        ({"gold_reward_functions": ["length"]}, "gold_reward_functions")):
        with pytest.raises(ConfigurationError, match=f"remote reward .* {what} .* serve-reward"):
            build_rl_config(model_name="policy", reward_model_url=url, **extra)
    with pytest.raises(ConfigurationError, match="remote_reward_options only apply with reward_model_url"):
        build_rl_config(model_name="policy", reward_functions=["length"], remote_reward_options={"retries": 1})
    no_gold = LocalReward(rules=CompositeReward(["length"]), gold=None)
    with start_reward_server(no_gold, settings=ServeSettings(port=0)) as server:
        config = build_rl_config(model_name="policy", reward_model_url=server.url, eval_steps=1, keep_best="gold")
        with pytest.raises(ConfigurationError, match="serves a reward with no gold"):
            check_gold(config)


def test_a_served_mix_of_model_and_rules_scores_as_in_process(tiny_bert_rm_dir):
    keywords = dict(reward_model_path=str(tiny_bert_rm_dir), reward_functions=RULES, reward_model_weight=2.0)
    local = build_served_reward(**keywords).score(PROMPTS, COMPLETIONS)
    with start_reward_server(settings=ServeSettings(port=0, device="cpu"), **keywords) as server:
        remote = _client(server.url)
        served = remote.score(PROMPTS, COMPLETIONS)
        info = remote.info
        remote.close()
    assert served.rewards == pytest.approx(local.rewards, abs=1e-6)
    assert served.components["reward_model"] == pytest.approx(local.components["reward_model"], abs=1e-6)
    assert served.weights == local.weights and served.weights["reward_model"] == pytest.approx(0.5)
    assert info["device"] == "cpu" and info["reward"]["reward_model"]["path"] == str(tiny_bert_rm_dir)


def test_merged_requests_of_different_lengths_each_get_their_in_process_scores_in_order(tiny_bert_rm_dir):
    keywords = dict(reward_model_path=str(tiny_bert_rm_dir), reward_functions=RULES, reward_model_weight=1.0,
                    reward_batch_size=4)
    local = build_served_reward(**keywords)
    requests = [([PROMPTS[(i + j) % 5] for j in range(i % 4 + 1)],
                 [f"answer {i}.{j} " + "and more words " * (7 * i * (j + 1) % 60) for j in range(i % 4 + 1)])
                for i in range(16)]  # 1-4 texts each, from a few tokens to hundreds
    expected = [local.score(p, c) for p, c in requests]
    settings = ServeSettings(port=0, device="cpu", max_wait_ms=300, max_batch_size=64)
    with start_reward_server(settings=settings, **keywords) as server:
        remote = _client(server.url, max_connections=16)

        async def clients():
            return await asyncio.gather(*(remote.score_async(p, c) for p, c in requests))

        served = asyncio.run(clients())
        remote.close()
        stats = server.batcher_stats
    assert stats["requests"] == 16 and stats["calls"] < 16, stats  # merged into fewer calls of the reward
    for got, want in zip(served, expected):
        assert got.rewards == pytest.approx(want.rewards, abs=1e-5)
        assert got.components["reward_model"] == pytest.approx(want.components["reward_model"], abs=1e-5)
        assert got.gold == (None if want.gold is None else pytest.approx(want.gold, abs=1e-9))


def test_the_doc_lists_every_option_with_the_default_the_code_has():
    import re
    from pathlib import Path

    import attrs

    from aligntune.serve import RemoteSettings

    doc = (Path(__file__).resolve().parents[1] / "docs" / "reward-service.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([^`]+)` \| ([^|]+) \|", doc, flags=re.M))
    for f in attrs.fields(ServeSettings):
        flag = "--" + f.name.replace("_", "-")
        row = rows.get(flag) or rows.get(f"{flag} / --no-{flag[2:]}")
        assert row is not None, f"docs/reward-service.md has no row for {flag}"
        if isinstance(f.default, (int, float, str)) and not isinstance(f.default, bool):
            assert row.strip() == f"`{f.default}`", (flag, row)
    for f in attrs.fields(RemoteSettings):
        if f.name != "url":
            assert f.name in rows, f"docs/reward-service.md has no row for remote_reward_options {f.name}"
            if isinstance(f.default, (int, float)) and not isinstance(f.default, bool):
                assert rows[f.name].strip() == f"`{f.default}`", (f.name, rows[f.name])
