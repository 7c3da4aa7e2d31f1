"""The plugin is found through its installed distribution's entry point."""

from __future__ import annotations

from importlib import metadata

from aligntune.plugins import PluginManager
from aligntune.rewards.composite import CompositeReward
from aligntune.rewards.registry import RewardRegistry
from aligntune_rewards_basic import (
    CoherenceReward,
    HelpfulnessReward,
    LengthReward,
    SafetyReward,
    SentimentReward,
)

NAMES = ["coherence", "helpfulness", "length", "safety", "sentiment"]


def test_entry_point_is_declared_by_the_distribution():
    dist = metadata.distribution("aligntune-rewards-basic")
    eps = [ep for ep in dist.entry_points if ep.group == "aligntune"]
    assert [(ep.name, ep.value) for ep in eps] == [("rewards_basic", "aligntune_rewards_basic")]


def test_fresh_plugin_manager_lists_the_plugin_and_its_rewards():
    pm = PluginManager()
    info = {p.name: p for p in pm.plugins()}["rewards_basic"]
    assert info.distribution == "aligntune-rewards-basic"
    assert info.version == metadata.version("aligntune-rewards-basic")
    assert info.origin == "entry-point" and info.error is None
    assert info.hooks == ["register_reward_functions"]
    assert info.registers["reward_functions"] == NAMES


def test_registry_finds_the_five_rewards_with_their_defaults():
    registry = RewardRegistry(plugin_manager=PluginManager())
    assert set(NAMES) <= set(registry.list_reward_functions())
    expected = {
        "length": LengthReward,
        "sentiment": SentimentReward,
        "safety": SafetyReward,
        "coherence": CoherenceReward,
        "helpfulness": HelpfulnessReward,
    }
    for name, cls in expected.items():
        fn = registry.get_reward_function(name)
        assert type(fn) is cls and registry.plugin_of(name) == "rewards_basic"
    assert registry.get_reward_function("length").params["min_words"] == 15
    described = {d["name"]: d for d in registry.describe()}
    assert described["safety"]["plugin"] == "rewards_basic" and described["safety"]["value_range"] == [0.0, 1.0]


def test_composite_by_name_scores_a_batch():
    registry = RewardRegistry(plugin_manager=PluginManager())
    composite = CompositeReward(
        ["length", "sentiment", "safety", "coherence", "helpfulness"], [0.15, 0.15, 0.35, 0.2, 0.15],
        registry=registry,
    )
    prompts = ["How do I keep basil alive indoors?"] * 3
    texts = [
        "Put it on a sunny windowsill with at least six hours of light, water when the top inch of soil is "
        "dry, and pinch off flower buds so the leaves stay tender.",
        "I don't know.",
        "basil basil basil basil basil basil basil basil basil basil",
    ]
    result = composite.score_components(texts, prompts=prompts)
    assert set(result.components) == {"length", "sentiment", "safety", "coherence", "helpfulness"}
    assert result.total[0] > result.total[1] and result.total[0] > result.total[2]
    assert composite.manifest()["plugins"]["safety"] == "rewards_basic"
