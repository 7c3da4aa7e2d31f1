"""The example third-party plugin (examples/aligntune_rewards_example), installed with pip.

The distribution is pip-installed (no dependencies) into a throw-away directory put
first on ``sys.path`` for this module only, then found through its entry point by a fresh
plugin manager, exactly as a user's installed plugin would be; nothing is left installed in
the environment. Its ``readability`` function is then used as a PPO
reward and to train a reward model, and its ``model_store`` source serves that trained
model to PPO. Nothing in the core knows the plugin by name.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from aligntune.errors import ConfigurationError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "aligntune_rewards_example"
DIST = "aligntune-rewards-example"
PPO = dict(algorithm="ppo", backend="trl", batch_size=4, num_epochs=1, learning_rate=1e-4, max_samples=8,
           response_length=12, num_ppo_epochs=1, seed=0)


def _installed_from_here() -> bool:
    try:
        dist = metadata.distribution(DIST)
    except metadata.PackageNotFoundError:
        return False
    direct = dist.read_text("direct_url.json")
    return bool(direct) and Path(json.loads(direct).get("url", "").removeprefix("file://")).resolve() == EXAMPLE


def _pip_install(target: Path) -> None:
    """``pip install --no-deps --target``: into a throw-away directory, never into this environment;
    offline with this environment's setuptools when it can build the wheel, otherwise (or if that
    fails) with pip's usual isolated build."""
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
           "--target", str(target), str(EXAMPLE)]
    attempts = [cmd]
    if _can_build_wheel_here():
        attempts.insert(0, cmd[:4] + ["--no-build-isolation"] + cmd[4:])
    for attempt in attempts:
        done = subprocess.run(attempt, capture_output=True, text=True, timeout=300)
        if done.returncode == 0:
            return
    pytest.fail(f"pip install of the example plugin failed:\n{done.stdout}\n{done.stderr}")


def _can_build_wheel_here() -> bool:
    """setuptools >= 70.1 builds wheels by itself; before that it needs the wheel package for bdist_wheel."""
    try:
        version = tuple(int(p) for p in metadata.version("setuptools").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    if version >= (70, 1):
        return True
    try:
        metadata.version("wheel")
    except metadata.PackageNotFoundError:
        return False
    return version >= (64, 0)


def _activate_new_install(target: Path) -> None:
    """Put the throw-away install first on sys.path, where importlib.metadata finds its entry point."""
    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    importlib.import_module("aligntune_rewards_example")


def _deactivate_install(target: Path) -> None:
    """Take the install off sys.path and forget its modules: nothing of it outlives this test module."""
    sys.path.remove(str(target))
    for name in [m for m in sys.modules if m.split(".")[0] == "aligntune_rewards_example"]:
        del sys.modules[name]
    importlib.invalidate_caches()


@pytest.fixture(scope="module")
def plugin_manager(tmp_path_factory):
    """Install the example into a throw-away directory and load it through a fresh manager's entry points.

    Nothing is installed into this environment: afterwards ``aligntune plugins`` lists only what the
    set-up installed."""
    from aligntune.plugins import PluginManager, set_plugin_manager

    target = tmp_path_factory.mktemp("example-plugin-install")
    _pip_install(target)
    _activate_new_install(target)
    try:
        assert _installed_from_here(), "the aligntune-rewards-example found is not the one just installed"
        manager = PluginManager()
        previous = set_plugin_manager(manager)
        try:
            yield manager
        finally:
            set_plugin_manager(previous)
    finally:
        _deactivate_install(target)


@pytest.fixture(scope="module")
def policy_dir(tmp_path_factory):
    from aligntune.data import load_bundled_corpus
    from aligntune.demo.tiny_policy import build_tiny_policy

    corpus = load_bundled_corpus(300, seed=5)
    out = tmp_path_factory.mktemp("example-ppo") / "policy"
    build_tiny_policy(out, corpus.texts + corpus.prompts, vocab_size=512, hidden=32, seed=1)
    return out


@pytest.fixture(scope="module")
def prompts_file(tmp_path_factory):
    from aligntune.data import load_bundled_corpus

    prompts = sorted(set(load_bundled_corpus(300, seed=5).prompts))[:8]
    path = tmp_path_factory.mktemp("example-prompts") / "prompts.jsonl"
    path.write_text("".join(json.dumps({"prompt": p}) + "\n" for p in prompts), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store(plugin_manager, tiny_bert_dir, tmp_path_factory):
    """A model store holding one reward model trained from readability and length (versions v2, v10)."""
    from aligntune.data import load_bundled_corpus
    from aligntune.rewards.training import RewardModelTrainer

    root = tmp_path_factory.mktemp("store")
    trainer = RewardModelTrainer(str(tiny_bert_dir), ["readability", "length"], [0.7, 0.3],
                                 eval_fraction=0.2, pairs_per_text=2)
    texts = load_bundled_corpus(60, seed=2).texts
    data = trainer.generate_training_data(texts)
    path = trainer.train_reward_model(data, root / "readable" / "v10", num_epochs=1, learning_rate=3e-3,
                                      batch_size=8, max_length=64)
    (root / "readable" / "v2").mkdir()  # an older, empty version: "newest" must sort v10 after v2
    return {"root": root, "path": Path(path), "data": data, "texts": texts, "trainer": trainer}


def test_found_through_its_entry_point(plugin_manager):
    from aligntune.rewards.registry import RewardRegistry

    infos = {info.name: info for info in plugin_manager.plugins()}
    info = infos["rewards_example"]
    assert (info.origin, info.distribution, info.error) == ("entry-point", DIST, None)
    assert info.registers["reward_functions"] == ["readability"]
    assert info.registers["reward_model_sources"] == ["model_store"]
    registry = RewardRegistry()
    assert registry.plugin_of("readability") == "rewards_example"
    easy, hard = registry.get_reward_function("readability").score(
        ["The cat sat on the mat. It was warm.",
         "Notwithstanding considerable institutional heterogeneity, organizational interdependencies "
         "necessitate comprehensive multidimensional evaluation."]
    )
    assert easy > 0.9 and hard < 0.1


def test_listed_by_the_cli(plugin_manager):
    from click.testing import CliRunner

    from aligntune.cli import main

    result = CliRunner().invoke(main, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["rewards_example"]["distribution"] == DIST
    scored = CliRunner().invoke(main, ["rewards", "score", "--function", "readability", "--text", "Go home now."])
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.output)["readability"] > 0.9


@pytest.mark.slow
def test_readability_as_a_ppo_reward(plugin_manager, policy_dir, prompts_file, tmp_path):
    from aligntune.core.backend_factory import create_rl_trainer
    from aligntune.rewards.composite import CompositeReward

    trainer = create_rl_trainer(
        model_name=str(policy_dir), dataset_name=str(prompts_file), output_dir=str(tmp_path / "ppo"),
        reward_functions=["readability", "length"], reward_function_weights=[0.8, 0.2], **PPO,
    )
    result = trainer.train()
    samples = [s for step in result.history for s in step["samples"]]
    assert result.steps >= 1 and samples
    expected = CompositeReward(["readability", "length"], [0.8, 0.2]).score(
        [s["response"] for s in samples], prompts=[s["prompt"] for s in samples]
    )
    assert [s["reward"] for s in samples] == pytest.approx(expected, abs=1e-5)


@pytest.mark.slow
def test_readability_trains_a_reward_model(store):
    from aligntune_rewards_example import ReadabilityReward

    data, path = store["data"], store["path"]
    assert data["readability"] == pytest.approx(ReadabilityReward().score(store["texts"]))
    manifest = json.loads((path / "aligntune.json").read_text())
    assert manifest["reward_functions"]["functions"] == ["readability", "length"]
    assert manifest["reward_functions"]["plugins"]["readability"] == "rewards_example"
    assert "readability" in (path / "README.md").read_text()
    assert path.name == "v10" and (path / "model.safetensors").is_file()


@pytest.mark.slow
def test_model_store_source_serves_the_newest_version(store):
    from aligntune.core.rl.config import RewardModelSourceConfig
    from aligntune.rl.sources import check_source, get_source
    from aligntune.reward_model.scoring import TextRewardModel

    config = RewardModelSourceConfig(source_type="model_store", model_name="readable",
                                     options={"store": str(store["root"]), "expect_functions": ["length", "readability"]})
    check_source(config)
    loaded = get_source("model_store").load(config)
    texts = store["texts"][:6]
    assert loaded.score(texts) == pytest.approx(TextRewardModel.from_pretrained(store["path"]).score(texts), abs=1e-6)


@pytest.mark.slow
def test_model_store_source_in_ppo(store, policy_dir, prompts_file, tmp_path):
    from aligntune.core.backend_factory import create_rl_trainer
    from aligntune.core.rl.config import RewardModelSourceConfig
    from aligntune.reward_model.scoring import TextRewardModel
    from aligntune_rewards_example import ReadabilityReward

    source = RewardModelSourceConfig(source_type="model_store", model_name="readable@v10",
                                     options={"store": str(store["root"])})
    trainer = create_rl_trainer(
        model_name=str(policy_dir), dataset_name=str(prompts_file), output_dir=str(tmp_path / "ppo"),
        reward_source=source, reward_functions=["readability"], reward_model_weight=1.0, **PPO,
    )
    result = trainer.train()
    samples = [s for step in result.history for s in step["samples"]]
    responses = [s["response"] for s in samples]
    rm = TextRewardModel.from_pretrained(store["path"])
    expected = [0.5 * m + 0.5 * r for m, r in zip(rm.score(responses), ReadabilityReward().score(responses))]
    assert [s["reward"] for s in samples] == pytest.approx(expected, abs=1e-4)
    assert result.reward_model_path == "readable@v10"


@pytest.mark.parametrize(
    ("model_name", "options", "match"),
    [
        ("missing", {}, r"'missing' is not in the store .* available: readable"),
        ("readable@v3", {}, r"no version 'v3'; available versions: v2, v10"),
        ("readable@v2", {}, r"has no config.json"),
        ("readable", {"expect_functions": ["safety"]}, r"trained from reward functions \['readability', 'length'\]"),
        ("readable", {"stor": "x"}, r"does not understand options \['stor'\]"),
    ],
)
@pytest.mark.slow
def test_model_store_refuses_bad_requests_before_loading(store, model_name, options, match):
    from aligntune.core.rl.config import RewardModelSourceConfig
    from aligntune.rl.sources import check_source

    config = RewardModelSourceConfig(source_type="model_store", model_name=model_name,
                                     options={"store": str(store["root"]), **options})
    with pytest.raises(ConfigurationError, match=match):
        check_source(config)


def test_model_store_needs_a_store(plugin_manager, monkeypatch):
    from aligntune.core.rl.config import RewardModelSourceConfig
    from aligntune.rl.sources import check_source

    monkeypatch.delenv("ALIGNTUNE_MODEL_STORE", raising=False)
    with pytest.raises(ConfigurationError, match=r"needs the store directory.*ALIGNTUNE_MODEL_STORE"):
        check_source(RewardModelSourceConfig(source_type="model_store", model_name="readable"))
