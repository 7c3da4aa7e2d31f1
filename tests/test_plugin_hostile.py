"""Plugins and reward functions that misbehave on purpose (issue 25, items 2 and 3 and the plugin classes).

A plugin that calls ``sys.exit`` while importing, a reward function that edits the list
it is given, returns a number too large for a float or outside its range, never returns;
``ALIGNTUNE_DISABLE_PLUGINS`` and ``ALIGNTUNE_TRACE_HOOKS`` with values a user mistypes;
a ``rewards score`` option given twice. Plugins are real distributions on a temporary
path entry, or in-process registrations on a fresh manager.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligntune import hookimpl
from aligntune.cli import Terminated, main
from aligntune.errors import ConfigurationError, PluginError, RewardFunctionError
from aligntune.plugins import DISABLE_ENV, TRACE_ENV, PluginManager, set_plugin_manager
from aligntune.plugins.lookup import lookup
from aligntune.rewards.base import RewardFunction, reward_function
from aligntune.rewards.composite import CompositeReward
from aligntune.rewards.limits import STALL_ENV, TIMEOUT_ENV
from aligntune.rewards.registry import RewardRegistry
from test_plugins import GOOD_PLUGIN, make_distribution

EXITING_PLUGIN = """
    import sys
    sys.exit(0)
"""

INTERRUPTING_PLUGIN = """
    raise KeyboardInterrupt
"""

BASE_EXCEPTION_PLUGIN = """
    class Gone(BaseException):
        pass

    raise Gone("not today")
"""


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


@pytest.fixture
def shared_manager():
    """A fresh process-wide manager (what the CLI and ``RewardRegistry()`` use), restored afterwards."""
    previous = set_plugin_manager(None)
    try:
        yield
    finally:
        set_plugin_manager(previous)


def _registry(*functions) -> RewardRegistry:
    """A registry on a fresh manager (no entry points) holding ``functions`` in-process."""
    registry = RewardRegistry(PluginManager(load_entry_points=False))
    for fn in functions:
        registry.register_reward_function(fn)
    return registry


# -- a plugin that calls sys.exit ------------------------------------------------------------------


def test_plugin_calling_sys_exit_on_import_is_a_failed_plugin_and_the_others_load(site):
    make_distribution(site, "aligntune-shouting", {"shouting": "at_shouting"}, {"at_shouting": GOOD_PLUGIN})
    make_distribution(site, "aligntune-exiter", {"exiter": "at_exiter"}, {"at_exiter": EXITING_PLUGIN})
    pm = PluginManager()
    registry = RewardRegistry(pm)
    assert {"shouting", "length"} <= set(registry.list_reward_functions())
    failure = {f.name: f for f in pm.failures()}["exiter"]
    assert failure.distribution == "aligntune-exiter"
    assert failure.error == "SystemExit: it called sys.exit(0) while importing"
    with pytest.raises(RewardFunctionError, match=r"Plugin 'exiter' \(aligntune-exiter\) failed to load: SystemExit"):
        registry.get_reward_function("nope")


def test_cli_lists_and_scores_with_a_plugin_that_calls_sys_exit_installed(site, shared_manager, caplog):
    make_distribution(site, "aligntune-exiter", {"exiter": "at_exiter"}, {"at_exiter": EXITING_PLUGIN})
    listed = CliRunner().invoke(main, ["rewards", "list"])
    assert listed.exit_code == 0 and "length" in listed.output, listed.output
    assert "'exiter' (distribution aligntune-exiter) failed to load: SystemExit" in caplog.text
    scored = CliRunner().invoke(main, ["rewards", "score", "--function", "length", "--text", "a b c"])
    assert scored.exit_code == 0 and json.loads(scored.output.splitlines()[0])["text"] == "a b c", scored.output
    shown = CliRunner().invoke(main, ["plugins"])
    assert "FAILED TO LOAD: SystemExit: it called sys.exit(0) while importing" in shown.output


def test_script_goes_on_after_looking_up_a_reward_with_an_exiting_plugin_installed(site):
    make_distribution(site, "aligntune-exiter", {"exiter": "at_exiter"}, {"at_exiter": EXITING_PLUGIN})
    script = ("from aligntune.rewards.registry import RewardRegistry\n"
              "print(RewardRegistry().get_reward_function('length').name)\nprint('still running')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert (out.returncode, out.stdout) == (0, "length\nstill running\n"), out.stderr[-2000:]
    assert "failed to load: SystemExit" in out.stderr


def test_a_plugins_own_base_exception_while_importing_is_a_failed_plugin(site):
    make_distribution(site, "aligntune-gone", {"gone": "at_gone"}, {"at_gone": BASE_EXCEPTION_PLUGIN})
    pm = PluginManager()
    assert "length" in RewardRegistry(pm).list_reward_functions()
    assert {f.name: f.error for f in pm.failures()}["gone"] == "Gone: not today"


def test_keyboard_interrupt_while_a_plugin_imports_still_interrupts(site):
    make_distribution(site, "aligntune-interrupt", {"interrupt": "at_interrupt"}, {"at_interrupt": INTERRUPTING_PLUGIN})
    with pytest.raises(KeyboardInterrupt):
        PluginManager().load()


class ExitingHook:
    __name__ = "exiting-hook"

    @hookimpl
    def register_reward_functions(self, register):
        sys.exit(3)


def test_hook_that_calls_sys_exit_is_an_error_naming_the_plugin():
    pm = PluginManager(load_entry_points=False)
    pm.register(ExitingHook())
    with pytest.raises(PluginError, match=r"'exiting-hook' raised in register_reward_functions: SystemExit: "
                                          r"it called sys.exit\(3\) in the hook"):
        RewardRegistry(pm).list_reward_functions()


def test_reward_function_that_calls_sys_exit_is_a_reward_function_error():
    @reward_function(name="quitter")
    def quitter(text):
        sys.exit(0)

    with pytest.raises(RewardFunctionError, match="'quitter' from plugin 'in-process' raised SystemExit"):
        CompositeReward(["quitter"], registry=_registry(quitter)).score(["a"])


def test_a_stop_of_the_process_while_a_reward_function_runs_is_not_reported_as_its_failure():
    @reward_function(name="stopped")
    def stopped(text):
        raise Terminated()

    with pytest.raises(Terminated):
        CompositeReward(["stopped"], registry=_registry(stopped)).score(["a"])


# -- reward functions that edit their inputs or return bad numbers --------------------------------


class Popper(RewardFunction):
    """Scores the texts, shortening the list it was given first."""

    name = "popper"

    def score(self, texts, *, prompts=None, references=None):
        texts.pop()
        return [0.5] * len(texts)


class ShyPopper(RewardFunction):
    """Scores every text first, then edits the list."""

    name = "shy_popper"

    def score(self, texts, *, prompts=None, references=None):
        scores = [0.5] * len(texts)
        texts.pop()
        return scores


class Reverser(RewardFunction):
    """Scores correctly, then reverses the texts and prompts in place."""

    name = "reverser"

    def score(self, texts, *, prompts=None, references=None):
        scores = [min(1.0, len(t) / 10) for t in texts]
        texts.reverse()
        if prompts is not None:
            prompts.reverse()
        return scores


@reward_function(name="has_x")
def has_x(text, prompt=None):
    return float("x" in text)


def test_a_function_that_pops_the_texts_cannot_drop_a_row(shared_manager):
    RewardRegistry().register_reward_function(Popper())
    RewardRegistry().register_reward_function(ShyPopper())
    refused = CliRunner().invoke(main, ["rewards", "score", "--function", "popper,length",
                                        "--text", "a", "--text", "b", "--text", "c"])
    assert refused.exit_code == 1, refused.output
    assert "'popper' from plugin 'in-process' returned 2 scores for 3 texts" in refused.output
    kept = CliRunner().invoke(main, ["rewards", "score", "--function", "shy_popper,length",
                                     "--text", "a", "--text", "b", "--text", "c"])
    assert kept.exit_code == 0, kept.output
    assert [json.loads(line)["text"] for line in kept.output.splitlines()] == ["a", "b", "c"]


def test_a_function_that_reverses_its_inputs_does_not_move_the_next_functions_scores():
    texts = ["x one", "two", "three x", "four"]
    prompts = ["p1", "p2", "p3", "p4"]
    scores = CompositeReward(["reverser", "has_x"], registry=_registry(Reverser(), has_x)).score_components(
        texts, prompts=prompts)
    assert scores.components["has_x"] == [1.0, 0.0, 1.0, 0.0]
    assert texts == ["x one", "two", "three x", "four"] and prompts == ["p1", "p2", "p3", "p4"]


def test_a_score_too_large_for_a_float_names_the_function_and_the_value():
    @reward_function(name="huge", batched=True)
    def huge(texts):
        return [10**400 for _ in texts]

    with pytest.raises(RewardFunctionError, match=r"'huge' from plugin 'in-process' returned 1000000.*for text 0, "
                                                  r"a number too large for a float; .*value_range \[0, 1\]"):
        CompositeReward(["huge"], registry=_registry(huge)).score(["a"])


def test_a_score_outside_the_declared_range_is_refused():
    @reward_function(name="overshoot", value_range=(0.0, 1.0))
    def overshoot(text):
        return 1.5 if "!" in text else 0.5

    composite = CompositeReward(["overshoot"], registry=_registry(overshoot))
    assert composite.score(["calm"]) == [0.5]
    with pytest.raises(RewardFunctionError, match=r"'overshoot' from plugin 'in-process' returned 1.5 for text 1 "
                                                  r"\('loud!'\), outside its value_range \[0, 1\]; fix the function, "
                                                  r"or declare the range"):
        composite.score(["calm", "loud!"])


def test_float_rounding_at_the_edge_of_the_range_is_accepted():
    @reward_function(name="edge")
    def edge(text):
        return 0.1 + 0.2 + 0.7  # 1.0000000000000002

    assert CompositeReward(["edge"], registry=_registry(edge)).score(["a"]) == [pytest.approx(1.0)]


# -- time limits ------------------------------------------------------------------------------


@pytest.fixture
def release():
    """An event a stuck reward function waits on; set at teardown so its thread ends."""
    event = threading.Event()
    yield event
    event.set()


def test_a_function_that_never_returns_is_stopped_by_the_time_limit(monkeypatch, release):
    @reward_function(name="stuck")
    def stuck(text):
        release.wait(20)
        return 0.5

    monkeypatch.setenv(TIMEOUT_ENV, "0.5")
    composite = CompositeReward(["stuck"], registry=_registry(stuck))
    started = time.monotonic()
    with pytest.raises(RewardFunctionError, match=r"'stuck' from plugin 'in-process' did not return within 0.5 s "
                                                  r"\(ALIGNTUNE_REWARD_TIMEOUT=0.5\) while scoring a batch of 2 texts"):
        composite.score(["a", "b"])
    assert time.monotonic() - started < 10


def test_rewards_score_with_a_stuck_function_ends_with_one_error_line(monkeypatch, release, shared_manager, tmp_path):
    @reward_function(name="stuck")
    def stuck(text):
        release.wait(20)
        return 0.5

    RewardRegistry().register_reward_function(stuck)
    output = tmp_path / "scores.jsonl"
    output.write_text("previous\n")
    monkeypatch.setenv(TIMEOUT_ENV, "0.5")
    result = CliRunner().invoke(main, ["rewards", "score", "--function", "stuck", "--text", "a",
                                       "--output", str(output)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: Reward function 'stuck' from plugin 'in-process' did not return within 0.5 s")
    assert output.read_text() == "previous\n"


def test_under_a_limit_a_quick_function_still_scores_and_its_errors_keep_their_names(monkeypatch):
    @reward_function(name="fails")
    def fails(text):
        raise ValueError("bad text")

    monkeypatch.setenv(TIMEOUT_ENV, "30")
    registry = _registry(fails, has_x)
    assert CompositeReward(["has_x"], registry=registry).score(["x", "y"]) == [1.0, 0.0]
    with pytest.raises(RewardFunctionError, match="'fails' from plugin 'in-process' raised ValueError: bad text"):
        CompositeReward(["fails"], registry=registry).score(["x"])


def test_a_slow_call_is_reported_while_it_runs_without_a_limit(monkeypatch, caplog):
    @reward_function(name="slow")
    def slow(text):
        time.sleep(1.5)
        return 0.5

    monkeypatch.setenv(STALL_ENV, "0.2")
    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    with caplog.at_level(logging.WARNING, logger="aligntune.rewards"):
        assert CompositeReward(["slow"], registry=_registry(slow)).score(["a"]) == [0.5]
    assert "Reward function 'slow' from plugin 'in-process' has been scoring a batch of 1 texts for" in caplog.text
    assert f"set {TIMEOUT_ENV}=SECONDS to stop calls that take longer" in caplog.text


def test_without_a_limit_functions_run_in_the_callers_thread_and_start_no_thread_per_call(monkeypatch):
    seen = set()

    @reward_function(name="where")
    def where(text):
        seen.add(threading.get_ident())
        return 0.5

    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    composite = CompositeReward(["where"], registry=_registry(where))
    composite.score(["a"])
    threads = threading.active_count()
    for _ in range(50):
        composite.score(["a", "b"])
    assert seen == {threading.get_ident()} and threading.active_count() == threads


@pytest.mark.parametrize("env, value", [(TIMEOUT_ENV, "soon"), (TIMEOUT_ENV, "-1"), (STALL_ENV, "nan")])
def test_a_bad_time_limit_setting_is_refused_before_any_plugin_loads(monkeypatch, env, value):
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigurationError, match=rf"{env} must be a number of seconds \(0 turns it off\), "
                                                  rf"got '{value}'"):
        PluginManager()


# -- ALIGNTUNE_DISABLE_PLUGINS and ALIGNTUNE_TRACE_HOOKS ---------------------------------------


def test_a_misspelt_plugin_to_block_is_an_error_listing_the_plugins(monkeypatch):
    monkeypatch.setenv(DISABLE_ENV, "rewards_basc")
    with pytest.raises(ConfigurationError, match=r"ALIGNTUNE_DISABLE_PLUGINS='rewards_basc' names 'rewards_basc', "
                                                 r"which is not an installed or built-in plugin, so nothing would be "
                                                 r"blocked. Did you mean 'rewards_basic'\? Plugins that can be "
                                                 r"blocked: .*rewards_basic"):
        RewardRegistry(PluginManager()).list_reward_functions()


@pytest.mark.parametrize("value", ["ALL", "all", "*", " All , "])
def test_all_blocks_every_external_plugin_and_lookups_say_so(monkeypatch, value):
    monkeypatch.setenv(DISABLE_ENV, value)
    pm = PluginManager()
    assert RewardRegistry(pm).list_reward_functions() == []
    assert "rewards_basic" in pm.blocked()
    assert "aligntune.rl.builtin_sources" in {i.name for i in pm.plugins()}
    with pytest.raises(RewardFunctionError, match=r"Unknown reward function 'length'\. Available: none loaded\. "
                                                  r"Not loaded: blocked by ALIGNTUNE_DISABLE_PLUGINS=.*rewards_basic"):
        RewardRegistry(pm).get_reward_function("length")


def test_blocking_the_builtin_sources_is_named_when_a_source_is_missing(monkeypatch):
    monkeypatch.setenv(DISABLE_ENV, "aligntune.rl.builtin_sources")
    pm = PluginManager(load_entry_points=False)
    with pytest.raises(ConfigurationError, match=r"Unknown reward-model source 'custom_trained'.*Available: none "
                                                 r"loaded\. Not loaded: blocked by ALIGNTUNE_DISABLE_PLUGINS="
                                                 r"'aligntune.rl.builtin_sources': aligntune.rl.builtin_sources"):
        lookup("reward_model_sources", "custom_trained", plugin_manager=pm)


def test_rewards_list_with_every_plugin_blocked_says_they_were_blocked(monkeypatch, shared_manager):
    monkeypatch.setenv(DISABLE_ENV, "all")
    result = CliRunner().invoke(main, ["rewards", "list"])
    assert result.exit_code == 0
    assert "No reward functions loaded. Not loaded: blocked by ALIGNTUNE_DISABLE_PLUGINS='all'" in result.output


def test_a_blocked_name_cannot_be_registered_in_process(monkeypatch):
    monkeypatch.setenv(DISABLE_ENV, "aligntune.rl.builtin_sources")
    pm = PluginManager(load_entry_points=False)

    class Plugin:
        @hookimpl
        def register_reward_functions(self, register):
            register(has_x)

    with pytest.raises(PluginError, match=r"'aligntune.rl.builtin_sources' is blocked by ALIGNTUNE_DISABLE_PLUGINS"):
        pm.register(Plugin(), name="aligntune.rl.builtin_sources")


@pytest.mark.parametrize("value, on", [("0", False), ("false", False), ("No", False), ("off", False), ("", False),
                                       ("1", True), ("TRUE", True), ("yes", True), ("on", True)])
def test_trace_hooks_reads_booleans(monkeypatch, caplog, value, on):
    monkeypatch.setenv(TRACE_ENV, value)
    pm = PluginManager(load_entry_points=False)
    with caplog.at_level(logging.DEBUG, logger="aligntune.plugins"):
        pm.registrations("reward_model_sources")
    assert ("register_reward_model_sources [hook]" in caplog.text) is on


def test_trace_hooks_with_an_unknown_value_is_an_error(monkeypatch):
    monkeypatch.setenv(TRACE_ENV, "maybe")
    with pytest.raises(ConfigurationError, match=r"ALIGNTUNE_TRACE_HOOKS must be 1, true, yes or on .* or 0, false, "
                                                 r"no or off, got 'maybe'"):
        PluginManager()


def test_a_clash_between_in_process_plugins_does_not_suggest_a_block_that_is_refused():
    """Only installed plugins can be blocked by the variable, so a clash of two in-process ones says to rename."""
    class Inline:
        @hookimpl
        def register_reward_functions(self, register):
            register(has_x)

    pm = PluginManager(load_entry_points=False)
    pm.register(Inline(), name="inline")
    with pytest.raises(PluginError, match=r"'has_x' is registered by two plugins: '(in-process|inline)' and "
                                          r"'(in-process|inline)'\. Register it under another name, or unregister "
                                          r"one of them first$"):
        RewardRegistry(pm).register_reward_function(has_x)


def test_a_clash_with_an_installed_plugin_suggests_blocking_the_installed_one():
    with pytest.raises(PluginError, match=r"'length' is registered by two plugins: '(in-process|rewards_basic)' and "
                                          r"'(in-process|rewards_basic)'\. Uninstall one of them, or block one with "
                                          r"ALIGNTUNE_DISABLE_PLUGINS=rewards_basic$"):
        RewardRegistry(PluginManager()).register_reward_function(reward_function(lambda text: 0.5, name="length"))


# -- an option given twice --------------------------------------------------------------------


def test_repeated_function_flags_add_up():
    result = CliRunner().invoke(main, ["rewards", "score", "--function", "length", "--function", "safety,coherence",
                                       "--text", "Thanks, here is how."])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert {"length", "safety", "coherence"} <= set(row)


def test_a_function_flag_without_a_name_says_so_in_the_commands_spelling():
    result = CliRunner().invoke(main, ["rewards", "score", "--function", " , ", "--text", "hi"])
    assert result.exit_code == 1
    assert "Error: --function needs at least one reward function name, got ' , '; e.g. --function length" in result.output


def test_repeated_weights_follow_the_functions_in_order():
    result = CliRunner().invoke(main, ["rewards", "score", "--function", "length", "--weights", "1",
                                       "--function", "safety", "--weights", "3", "--text", "Thanks, here is how."])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert row["score"] == pytest.approx(0.25 * row["length"] + 0.75 * row["safety"])


@pytest.mark.parametrize("option, values", [("--model", ["a", "b"]), ("--batch-size", ["2", "3"]),
                                            ("--text-column", ["text", "body"]), ("--prompt", ["p", "q"])])
def test_any_other_option_given_twice_is_refused(option, values, tmp_path):
    args = ["rewards", "score", "--text", "hi"]
    for value in values:
        args += [option, value]
    if option != "--model":
        args += ["--function", "length"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': given 2 times ('{values[0]}', '{values[1]}'); give it once" in result.output


def test_eval_reward_model_reads_every_function_flag_before_loading_the_model(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"chosen": "Glad to help: first, check the cable.", "rejected": "No."}) + "\n")
    args = ["eval-reward-model", "--model", str(tmp_path / "no-model"), "--pairs", str(pairs)]
    result = CliRunner().invoke(main, [*args, "--function", "nope", "--function", "length"])
    assert result.exit_code == 1 and "Unknown reward function 'nope'" in result.output, result.output
    twice = CliRunner().invoke(main, [*args, "--seed", "1", "--seed", "2"])
    assert twice.exit_code == 2 and "Invalid value for '--seed': given 2 times ('1', '2')" in twice.output


def test_output_given_twice_writes_neither(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    result = CliRunner().invoke(main, ["rewards", "score", "--function", "length", "--text", "hi",
                                       "--output", str(first), "--output", str(second)])
    assert result.exit_code == 2 and "given 2 times" in result.output
    assert not first.exists() and not second.exists()


def test_help_of_rewards_score_says_what_repeats():
    text = " ".join(CliRunner().invoke(main, ["rewards", "score", "--help"]).output.split())
    assert "--function TEXT Reward function name(s), comma-separated or repeated" in text
    assert "--weights TEXT One weight per function, comma-separated or repeated, in the order" in text
    assert "--batch-size INTEGER RANGE Texts scored per call of each function." in text
    assert "any other option given twice is refused" in text


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(pytest.main([str(Path(__file__))]))
