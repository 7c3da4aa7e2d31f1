"""RewardRegistry and the composite reward."""

from __future__ import annotations

import math

import pytest

from aligntune.errors import ConfigurationError, DataError, RewardFunctionError, UnknownRewardFunctionError
from aligntune.plugins import PluginManager
from aligntune.rewards.base import RewardFunction, reward_function, score_checked
from aligntune.rewards.composite import CompositeReward
from aligntune.rewards.registry import RewardRegistry


@pytest.fixture
def registry():
    reg = RewardRegistry(PluginManager(load_entry_points=False))

    @reg.register_reward_function
    def brevity(text):
        """Shorter texts score higher."""
        return 1.0 / (1 + len(text.split()))

    class Exclaim(RewardFunction):
        name = "exclaim"
        description = "Counts exclamation marks, capped at 1."

        def score(self, texts, *, prompts=None, references=None):
            return [min(1.0, t.count("!") / 3) for t in texts]

    reg.register_reward_function(Exclaim())
    return reg


def test_lists_and_gets_registered_functions(registry):
    assert registry.list_reward_functions() == ["brevity", "exclaim"]
    fn = registry.get_reward_function("brevity")
    assert fn.description == "Shorter texts score higher."
    assert fn.score(["one", "one two three"]) == [0.5, 0.25]


def test_unknown_name_lists_available_and_closest(registry):
    with pytest.raises(UnknownRewardFunctionError, match=r"'brevty'\. Did you mean 'brevity'\? Available: brevity, exclaim"):
        registry.get_reward_function("brevty")


def test_no_reward_plugins_says_how_to_install():
    empty = RewardRegistry(PluginManager(load_entry_points=False))
    with pytest.raises(UnknownRewardFunctionError, match=r"pip install 'aligntune\[rewards\]'"):
        empty.get_reward_function("length")


def test_unknown_error_is_a_value_error(registry):
    with pytest.raises(ValueError):
        registry.get_reward_function("missing")


def test_in_process_name_clash_is_refused_and_rolled_back(registry):
    with pytest.raises(Exception, match="brevity.*two plugins|already"):
        registry.register_reward_function(lambda t: 0.0, name="brevity")
    assert registry.get_reward_function("brevity").score(["a"]) == [0.5]


def test_batched_plain_function_receives_prompts(registry):
    seen = {}

    @reward_function(name="echo", batched=True)
    def echo(texts, prompts=None):
        seen["prompts"] = prompts
        return [float(p is not None) for p in (prompts or [None] * len(texts))]

    registry.register_reward_function(echo)
    assert registry.get_reward_function("echo").score(["a", "b"], prompts=["p", "q"]) == [1.0, 1.0]
    assert seen["prompts"] == ["p", "q"]


def test_composite_normalises_weights_and_keeps_components(registry):
    comp = CompositeReward(["brevity", "exclaim"], [3, 1], registry=registry)
    assert comp.weights == [0.75, 0.25]
    scores = comp.score_components(["hi!!!", "a b c!"])
    assert scores.components["brevity"] == [0.5, 0.25]
    assert scores.components["exclaim"] == [1.0, pytest.approx(1 / 3)]
    assert scores.total[0] == pytest.approx(0.75 * 0.5 + 0.25 * 1.0)
    assert comp.manifest()["weights"] == [3.0, 1.0]


def test_composite_mixes_names_objects_and_callables(registry):
    def polite(text):
        return float("please" in text)

    comp = CompositeReward(["brevity", polite], registry=registry)
    assert comp.names == ["brevity", "polite"]
    assert comp.score_components(["please go"]).components["polite"] == [1.0]


def test_anonymous_lambda_needs_a_name(registry):
    with pytest.raises(RewardFunctionError, match="no usable name; pass name="):
        CompositeReward([lambda text: 1.0], registry=registry)


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([0.5, 0], r"weights\[1\] must be a positive finite number, got 0"),
        ([0.5, -1], r"weights\[1\] must be a positive finite number, got -1"),
        ([math.nan, 1], r"weights\[0\] must be a positive finite number, got nan"),
        ([1.0], r"one weight per reward function: got 1 weights \[1.0\] for 2 functions"),
        (["a", 1], r"weights\[0\] must be a number, got str"),
        ("0.5,0.5", r"weights must be a list of numbers"),
    ],
)
def test_composite_weight_validation(registry, weights, match):
    with pytest.raises(ConfigurationError, match=match):
        CompositeReward(["brevity", "exclaim"], weights, registry=registry)


def test_composite_unknown_function(registry):
    with pytest.raises(UnknownRewardFunctionError, match="Did you mean 'exclaim'"):
        CompositeReward(["exclame"], registry=registry)


@pytest.mark.parametrize(
    ("texts", "match"),
    [
        ([], "texts is empty"),
        (["ok", 3], r"texts\[1\] must be a string, got int: 3"),
        ("just one", "got a single string"),
    ],
)
def test_bad_texts(registry, texts, match):
    comp = CompositeReward(["brevity"], registry=registry)
    with pytest.raises(DataError, match=match):
        comp.score_components(texts)


def test_references_must_match_texts(registry):
    comp = CompositeReward(["brevity"], registry=registry)
    with pytest.raises(DataError, match="one entry per text: got 1 references for 2 texts"):
        comp.score_components(["a", "b"], references=["r"])


@pytest.mark.parametrize(
    ("returns", "match"),
    [
        (lambda n: [0.5] * (n + 1), "returned 3 scores for 2 texts"),
        (lambda n: [math.nan] * n, "returned nan for text 0.*NaN and infinite"),
        (lambda n: [math.inf] * n, "returned inf"),
        (lambda n: ["high"] * n, "returned str 'high'"),
    ],
)
def test_misbehaving_function_is_named(returns, match):
    @reward_function(name="wonky", batched=True)
    def wonky(texts):
        return returns(len(texts))

    with pytest.raises(RewardFunctionError, match="'wonky' from plugin 'acme'.*" + match.split(".*")[0]):
        score_checked(wonky, ["a", "b"], plugin="acme")


def test_raising_function_is_named():
    @reward_function(name="fragile")
    def fragile(text):
        raise KeyError("vocab")

    with pytest.raises(RewardFunctionError, match="'fragile' raised KeyError"):
        score_checked(fragile, ["a"])
