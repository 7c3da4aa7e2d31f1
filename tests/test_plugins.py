"""The plugin manager: discovery through real entry points, failures, duplicates,
in-process registration and the blocking environment variable."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from aligntune import hookimpl
from aligntune.errors import DuplicateRegistrationError, PluginError, UnknownRewardFunctionError
from aligntune.plugins import DISABLE_ENV, PluginManager
from aligntune.rewards.base import reward_function
from aligntune.rewards.registry import RewardRegistry


def make_distribution(root: Path, dist: str, entry_points: dict[str, str], modules: dict[str, str]) -> None:
    """Write a real installed distribution (dist-info + modules) on a path entry."""
    info = root / f"{dist.replace('-', '_')}-0.3.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.3.1\n")
    lines = "\n".join(f"{name} = {target}" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[aligntune]\n{lines}\n")
    for module, source in modules.items():
        (root / f"{module}.py").write_text(textwrap.dedent(source))


GOOD_PLUGIN = """
    from aligntune import hookimpl
    from aligntune.rewards.base import reward_function

    @reward_function(name="shouting", description="Share of upper-case letters.")
    def shouting(text):
        letters = [c for c in text if c.isalpha()]
        return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0

    @hookimpl
    def register_reward_functions(register):
        register(shouting)
"""

BROKEN_PLUGIN = """
    raise ImportError("needs the frobnicate library, which is not installed")
"""

CLASHING_PLUGIN = """
    from aligntune import hookimpl
    from aligntune.rewards.base import reward_function

    @hookimpl
    def register_reward_functions(register):
        register(reward_function(lambda text: 0.5, name="shouting"))
"""


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_entry_point_plugin_is_discovered_with_its_distribution(site):
    make_distribution(site, "aligntune-shouting", {"shouting": "at_shouting"}, {"at_shouting": GOOD_PLUGIN})
    pm = PluginManager()
    registry = RewardRegistry(pm)
    assert "shouting" in registry.list_reward_functions()
    assert registry.get_reward_function("shouting").score(["HEY there"]) == [pytest.approx(3 / 8)]
    info = {i.name: i for i in pm.plugins()}["shouting"]
    assert info.distribution == "aligntune-shouting"
    assert info.version == "0.3.1"
    assert info.registers["reward_functions"] == ["shouting"]
    assert info.error is None


def test_plugin_that_fails_to_import_is_reported_and_others_still_load(site):
    make_distribution(site, "aligntune-shouting", {"shouting": "at_shouting"}, {"at_shouting": GOOD_PLUGIN})
    make_distribution(site, "aligntune-broken", {"broken": "at_broken"}, {"at_broken": BROKEN_PLUGIN})
    pm = PluginManager()
    registry = RewardRegistry(pm)
    assert "shouting" in registry.list_reward_functions()
    failures = {f.name: f for f in pm.failures()}
    assert failures["broken"].distribution == "aligntune-broken"
    assert "frobnicate" in failures["broken"].error
    with pytest.raises(UnknownRewardFunctionError, match="broken.*frobnicate"):
        registry.get_reward_function("nope")


def test_same_name_from_two_plugins_names_both(site):
    make_distribution(site, "aligntune-shouting", {"shouting": "at_shouting"}, {"at_shouting": GOOD_PLUGIN})
    make_distribution(site, "aligntune-clash", {"clash": "at_clash"}, {"at_clash": CLASHING_PLUGIN})
    pm = PluginManager()
    with pytest.raises(DuplicateRegistrationError, match=r"'shouting'.*'(clash|shouting)' and '(clash|shouting)'"):
        RewardRegistry(pm).list_reward_functions()


def test_environment_variable_blocks_a_plugin(site, monkeypatch):
    make_distribution(site, "aligntune-shouting", {"shouting": "at_shouting"}, {"at_shouting": GOOD_PLUGIN})
    make_distribution(site, "aligntune-clash", {"clash": "at_clash"}, {"at_clash": CLASHING_PLUGIN})
    monkeypatch.setenv(DISABLE_ENV, "clash")
    pm = PluginManager()
    assert RewardRegistry(pm).get_reward_function("shouting").score(["ABC"]) == [1.0]
    assert "clash" not in {i.name for i in pm.plugins()}


class InlineRewards:
    __name__ = "inline-rewards"

    @hookimpl
    def register_reward_functions(self, register):
        register(reward_function(lambda text: float(len(text) > 3), name="longish"))


def test_in_process_plugin_registration_and_unregistration():
    pm = PluginManager(load_entry_points=False)
    name = pm.register(InlineRewards())
    try:
        registry = RewardRegistry(pm)
        assert registry.get_reward_function("longish").score(["ab", "abcd"]) == [0.0, 1.0]
        assert registry.plugin_of("longish") == "inline-rewards"
    finally:
        pm.unregister(name)
    assert "longish" not in RewardRegistry(pm).list_reward_functions()


def test_registering_same_plugin_name_twice_is_an_error():
    pm = PluginManager(load_entry_points=False)
    pm.register(InlineRewards())
    with pytest.raises(PluginError, match="already registered"):
        pm.register(InlineRewards())


class MalformedRewards:
    __name__ = "malformed"

    @hookimpl
    def register_reward_functions(self, register):
        register(object())


def test_malformed_registration_names_the_plugin():
    pm = PluginManager(load_entry_points=False)
    pm.register(MalformedRewards())
    with pytest.raises(PluginError, match="malformed"):
        RewardRegistry(pm).list_reward_functions()


class RaisingHook:
    __name__ = "raising"

    @hookimpl
    def register_rl_backends(self, register):
        raise RuntimeError("boom")


def test_hook_that_raises_names_the_plugin_and_listing_still_works():
    pm = PluginManager(load_entry_points=False)
    pm.register(RaisingHook())
    with pytest.raises(PluginError, match="'raising' raised in register_rl_backends: RuntimeError: boom"):
        pm.registrations("rl_backends")
    assert "raising" in {i.name for i in pm.plugins()}


def test_entry_points_load_only_once(site):
    make_distribution(site, "aligntune-shouting", {"shouting": "at_shouting"}, {"at_shouting": GOOD_PLUGIN})
    pm = PluginManager()
    pm.load()
    before = pm.pluggy_manager.get_plugins()
    pm.load()
    RewardRegistry(pm).list_reward_functions()
    assert pm.pluggy_manager.get_plugins() == before


def test_builtin_sources_plugin_is_always_present():
    pm = PluginManager(load_entry_points=False)
    info = {i.name: i for i in pm.plugins()}
    assert info["aligntune.rl.builtin_sources"].origin == "builtin"


def test_trace_hooks_logs_every_hook_call_with_its_plugin():
    """ALIGNTUNE_TRACE_HOOKS=1 logs each hook call (pluggy's monitoring) when rewards are listed."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "ALIGNTUNE_TRACE_HOOKS": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "aligntune.cli", "-vv", "rewards", "list"],
        capture_output=True, text=True, env=env, check=True,
    )
    assert "length" in out.stdout
    for hook in ("register_reward_functions", "register_reward_model_sources", "register_rl_backends"):
        assert f"{hook} [hook]" in out.stderr and f"finish {hook}" in out.stderr, out.stderr[-2000:]
    assert "calling register_reward_functions on plugin 'rewards_basic'" in out.stderr
    quiet = subprocess.run([sys.executable, "-m", "aligntune.cli", "-vv", "rewards", "list"],
                           capture_output=True, text=True, env={k: v for k, v in env.items() if k != "ALIGNTUNE_TRACE_HOOKS"})
    assert "[hook]" not in quiet.stderr
