"""Fault tests: what a user sees when things break.

* ``train_reward_model`` killed with SIGKILL mid-training, and during the final save;
* plugins that fail to import, register malformed reward functions, or raise on a batch;
* NaN/inf rewards on their way into PPO;
* reward-model directories with pickle weights only, custom code, or a corrupted config.

Kills are real: the training runs in a child Python process that is sent SIGKILL. The
child only adds a ``transformers`` callback (or wraps ``save_pretrained``) to write a
marker file, so the parent knows when to kill, and to slow training down enough that the
kill lands mid-run.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from aligntune.errors import ConfigurationError, ModelLoadError, PluginError, RewardFunctionError
from aligntune.rewards.base import reward_function

ROOT = Path(__file__).resolve().parents[1]

# -- killing train_reward_model ---------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path

    from transformers import TrainerCallback

    from aligntune.data import load_bundled_corpus
    from aligntune.rewards.base import reward_function
    from aligntune.rewards.training import RewardModelTrainer

    args = json.loads(sys.argv[1])
    marker = Path(args["marker"])


    @reward_function(name="wordiness")
    def wordiness(text):
        return min(1.0, len(text.split()) / 60)


    class Slow(TrainerCallback):
        def on_step_end(self, a, state, control, **kw):
            time.sleep(args["sleep"])

        def on_save(self, a, state, control, **kw):
            marker.write_text(f"checkpoint-{state.global_step}")


    if args["stage"] == "save":
        import transformers

        original = transformers.PreTrainedModel.save_pretrained

        def save_then_hang(self, *a, **kw):
            original(self, *a, **kw)          # the new weights are on disk (in staging) ...
            marker.write_text("saving")       # ... tokenizer, card and rename still to come
            time.sleep(600)

        transformers.PreTrainedModel.save_pretrained = save_then_hang

    if args["stage"] == "replace":
        import os, shutil

        name = Path(args["out"]).name
        rename, rmtree = os.rename, shutil.rmtree

        def ours(*paths):
            return any(Path(str(p)).name == name or Path(str(p)).name.startswith(f".{name}.") for p in paths)

        def rename_then_hang(src, dst, *a, **kw):  # the old model has just been moved aside
            rename(src, dst, *a, **kw)
            if ours(src, dst):
                marker.write_text("replacing")
                time.sleep(600)

        def hang_then_rmtree(path, *a, **kw):  # the old copy is about to be deleted
            if ours(path):
                marker.write_text("replacing")
                time.sleep(600)
            rmtree(path, *a, **kw)

        os.rename, shutil.rmtree = rename_then_hang, hang_then_rmtree

    trainer = RewardModelTrainer(args["base"], [wordiness], seed=args["seed"])
    data = trainer.generate_training_data(load_bundled_corpus(40, seed=1).texts)
    trainer.train_reward_model(
        data, args["out"], num_epochs=1, learning_rate=1e-3, batch_size=4, max_length=48,
        overwrite=args["overwrite"], checkpoint_dir=args.get("ckpt"),
        training_args=args["training_args"], callbacks=[Slow()],
    )
    """
)


def _run_until(tmp_path: Path, marker_text: str, **args) -> tuple[subprocess.Popen, str]:
    """Start the child; SIGKILL it once the marker says ``marker_text``; return it and its output."""
    marker = tmp_path / "marker"
    marker.unlink(missing_ok=True)
    args = {"marker": str(marker), "sleep": 0.0, "seed": 42, "overwrite": False, "stage": "train", "training_args": {},
            **args}
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRL_EXPERIMENTAL_SILENCE": "1", "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(args)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    try:
        while not (marker.is_file() and marker.read_text() == marker_text):
            if proc.poll() is not None:
                pytest.fail(f"the child ended (rc {proc.returncode}) before {marker_text!r}:\n{proc.stdout.read()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the child never reached {marker_text!r}")
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    return proc, out


@reward_function(name="wordiness")
def wordiness(text: str) -> float:
    """The child's reward function, for the runs made in this process."""
    return min(1.0, len(text.split()) / 60)


def _tree(path: Path) -> dict[str, str]:
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*")) if p.is_file()
    }


@pytest.mark.slow
def test_sigkill_mid_training_leaves_no_output_and_resume_completes(tiny_bert_dir, tmp_path):
    from transformers import TrainerCallback

    from aligntune.data import load_bundled_corpus
    from aligntune.rewards.training import RewardModelTrainer

    out, ckpt = tmp_path / "models" / "rm", tmp_path / "ckpt"
    _run_until(tmp_path, "checkpoint-4", base=str(tiny_bert_dir), out=str(out), ckpt=str(ckpt), sleep=0.1,
               training_args={"max_steps": 16, "save_steps": 4})
    assert not out.exists(), "a killed run must not leave an output directory"
    assert (ckpt / "checkpoint-4" / "trainer_state.json").is_file()
    # The same run again, resuming from the checkpoint directory, completes.
    class FirstStep(TrainerCallback):
        first: int | None = None

        def on_step_end(self, args, state, control, **kwargs):
            self.first = state.global_step if self.first is None else self.first

    seen = FirstStep()
    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness], seed=42)
    data = trainer.generate_training_data(load_bundled_corpus(40, seed=1).texts)
    result = trainer.train_reward_model(
        data, out, num_epochs=1, learning_rate=1e-3, batch_size=4, max_length=48, checkpoint_dir=ckpt,
        resume_from_checkpoint=True, training_args={"max_steps": 16, "save_steps": 4}, callbacks=[seen],
    )
    assert seen.first is not None and seen.first > 4, "training restarted from scratch instead of resuming"
    assert result.manifest["training"]["global_steps"] == 16
    assert {"model.safetensors", "config.json", "aligntune.json", "README.md"} <= {p.name for p in out.iterdir()}
    assert [p.name for p in out.parent.iterdir() if not p.name.startswith(".")] == ["rm"]


@pytest.mark.slow
def test_sigkill_during_final_save_keeps_the_previous_model(tiny_bert_dir, tmp_path):
    from aligntune.data import load_bundled_corpus
    from aligntune.reward_model.scoring import TextRewardModel
    from aligntune.rewards.training import RewardModelTrainer

    out = tmp_path / "rm"
    # A previous model at the path, from a completed run.
    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness], seed=1)
    data = trainer.generate_training_data(load_bundled_corpus(40, seed=1).texts)
    trainer.train_reward_model(data, out, num_epochs=1, learning_rate=1e-3, batch_size=4, max_length=48,
                               training_args={"max_steps": 2})
    before = _tree(out)
    texts = ["Thanks, here is a careful answer.", "No."]
    scores_before = TextRewardModel.from_pretrained(out).score(texts)

    _run_until(tmp_path, "saving", base=str(tiny_bert_dir), out=str(out), stage="save", seed=7, overwrite=True,
               training_args={"max_steps": 3})
    assert _tree(out) == before, "the previous model was modified by a run killed while saving"
    assert TextRewardModel.from_pretrained(out).score(texts) == scores_before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("rm")] == ["rm"]


@pytest.mark.slow
def test_sigkill_while_replacing_keeps_a_complete_model_and_the_next_run_cleans_up(tiny_bert_dir, tmp_path):
    """Kill at the worst moment of an overwrite: right after the first rename, or before the old copy is deleted."""
    from aligntune.data import load_bundled_corpus
    from aligntune.reward_model.scoring import TextRewardModel
    from aligntune.rewards.training import RewardModelTrainer

    out = tmp_path / "rm"
    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness], seed=1)
    data = trainer.generate_training_data(load_bundled_corpus(40, seed=1).texts)
    fast = dict(num_epochs=1, learning_rate=1e-3, batch_size=4, max_length=48, training_args={"max_steps": 2})
    trainer.train_reward_model(data, out, **fast)
    files = set(_tree(out))

    _run_until(tmp_path, "replacing", base=str(tiny_bert_dir), out=str(out), stage="replace", seed=7, overwrite=True,
               training_args={"max_steps": 3})
    assert set(_tree(out)) == files, "output_dir does not hold a complete model after a kill while replacing it"
    assert len(TextRewardModel.from_pretrained(out).score(["Still loads."])) == 1
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".rm.")], "expected the killed run's leftovers"

    trainer.train_reward_model(data, out, overwrite=True, **fast)  # the next run removes them
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith((".rm.", "rm"))] == ["rm"]


# -- plugins that break ---------------------------------------------------------------------


def _fake_distribution(root: Path, dist: str, entry: str, module: str, source: str) -> None:
    """An installed distribution on ``root``: a module and a dist-info with an aligntune entry point."""
    (root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = root / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[aligntune]\n{entry} = {module}\n", encoding="utf-8")


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """Install fake distributions on sys.path; a fresh plugin manager finds them through entry points."""
    import importlib

    from aligntune.plugins import PluginManager, set_plugin_manager

    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    previous = set_plugin_manager(None)

    def install(dist: str, entry: str, module: str, source: str) -> PluginManager:
        _fake_distribution(root, dist, entry, module, source)
        importlib.invalidate_caches()
        manager = PluginManager()
        set_plugin_manager(manager)
        return manager

    try:
        yield install
    finally:
        set_plugin_manager(previous)
        for name in [m for m in sys.modules if m.startswith("acme_")]:
            del sys.modules[name]


def test_plugin_whose_import_raises_is_named_and_others_still_work(installed):
    from click.testing import CliRunner

    from aligntune.cli import main
    from aligntune.errors import UnknownRewardFunctionError
    from aligntune.rewards.registry import RewardRegistry

    manager = installed("acme-broken", "acme_broken", "acme_broken_mod", "raise RuntimeError('missing libacme.so')\n")
    failed = {f.name: f for f in manager.failures()}
    assert failed["acme_broken"].distribution == "acme-broken"
    assert "RuntimeError: missing libacme.so" in failed["acme_broken"].error
    registry = RewardRegistry()
    assert "length" in registry.list_reward_functions()  # the other plugins still load
    with pytest.raises(UnknownRewardFunctionError, match=r"Plugin 'acme_broken' \(acme-broken\) failed to load: "
                                                         r"RuntimeError: missing libacme.so"):
        registry.get_reward_function("acme_score")
    listed = CliRunner().invoke(main, ["plugins", "--json"])
    assert listed.exit_code == 0
    row = next(r for r in json.loads(listed.output) if r["name"] == "acme_broken")
    assert "missing libacme.so" in row["error"]


MALFORMED = """
from aligntune import hookimpl
from aligntune.rewards.base import RewardFunction


class Bad(RewardFunction):
    description = "misbehaves"

    def __init__(self, name, make):
        self.name, self.make = name, make

    def score(self, texts, *, prompts=None, references=None):
        return self.make(list(texts))


def _raise_on_long(texts):
    if any(len(t) > 40 for t in texts):
        raise ValueError("cannot parse a long text")
    return [0.5] * len(texts)


@hookimpl
def register_reward_functions(register):
    register(Bad("acme_short", lambda t: [0.5] * (len(t) - 1)))
    register(Bad("acme_nan", lambda t: [float("nan")] * len(t)))
    register(Bad("acme_inf", lambda t: [float("inf")] * len(t)))
    register(Bad("acme_text", lambda t: ["high"] * len(t)))
    register(Bad("acme_none", lambda t: None))
    register(Bad("acme_flaky", _raise_on_long))
"""


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("acme_short", r"'acme_short' from plugin 'acme_rewards' returned 11 scores for 12 texts"),
        ("acme_nan", r"'acme_nan' from plugin 'acme_rewards' returned nan for text 0 .*never passed on"),
        ("acme_inf", r"'acme_inf' from plugin 'acme_rewards' returned inf for text 0"),
        ("acme_text", r"'acme_text' from plugin 'acme_rewards' returned str 'high' for text 0; scores must be floats"),
        ("acme_none", r"'acme_none' from plugin 'acme_rewards' must return a list of floats, got NoneType"),
        ("acme_flaky", r"'acme_flaky' from plugin 'acme_rewards' raised ValueError: cannot parse a long text "
                       r"while scoring a batch of 4 texts"),
    ],
)
def test_malformed_plugin_reward_fails_training_data_naming_plugin_and_function(
    installed, name, match, corpus_40, tiny_bert_dir
):
    from aligntune.rewards.training import RewardModelTrainer

    installed("acme-rewards", "acme_rewards", "acme_rewards_mod", MALFORMED)
    trainer = RewardModelTrainer(str(tiny_bert_dir), ["length", name])
    texts = ["Short one."] * 8 + [t for t in corpus_40.texts if len(t) > 40][:4]  # the last batch holds the long texts
    with pytest.raises(RewardFunctionError, match=match):
        trainer.generate_training_data(texts, batch_size=4 if name == "acme_flaky" else 12)


def test_statically_malformed_registration_names_the_plugin(installed):
    from aligntune.rewards.registry import RewardRegistry

    installed("acme-range", "acme_range", "acme_range_mod", """
        from aligntune import hookimpl
        from aligntune.rewards.base import reward_function

        @hookimpl
        def register_reward_functions(register):
            register(reward_function(lambda text: 1.0, name="acme_upside_down", value_range=(1.0, 0.0)))
    """)
    with pytest.raises(PluginError, match=r"'acme_upside_down' \(registered by plugin 'acme_range'\) has value_range"):
        RewardRegistry().list_reward_functions()


def test_a_source_without_load_names_the_plugin(installed):
    from aligntune.rl.sources import get_source

    installed("acme-sources", "acme_sources", "acme_sources_mod", """
        from aligntune import hookimpl

        class Vault:
            description = "models from the vault"

        @hookimpl
        def register_reward_model_sources(register):
            register("acme_vault", Vault())
    """)
    with pytest.raises(PluginError, match=r"Plugin 'acme_sources' registered reward-model source 'acme_vault' "
                                          r"without a load\(config\) method"):
        get_source("acme_vault")


def test_cli_reports_a_misbehaving_plugin_function_without_a_traceback(installed):
    from click.testing import CliRunner

    from aligntune.cli import main

    installed("acme-rewards", "acme_rewards", "acme_rewards_mod", MALFORMED)
    result = CliRunner().invoke(main, ["rewards", "score", "--function", "length,acme_nan", "--text", "hello"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "Reward function 'acme_nan' from plugin 'acme_rewards' returned nan" in result.output


def test_an_unknown_source_names_plugins_that_failed_to_import(installed):
    from aligntune.core.rl.config import RewardModelSourceConfig
    from aligntune.rl.sources import get_source

    installed("acme-store", "acme_store", "acme_store_mod", "import acme_missing_dependency\n")
    failure = r"Plugin 'acme_store' \(acme-store\) failed to load: ModuleNotFoundError: No module named 'acme_missing_dependency'"
    with pytest.raises(ConfigurationError, match=rf"'acme_vault' is not a known source\..*{failure}"):
        RewardModelSourceConfig(source_type="acme_vault", model_name="vault-model")
    with pytest.raises(ConfigurationError, match=rf"Unknown reward-model source 'acme_vault'.*{failure}"):
        get_source("acme_vault")


@pytest.fixture
def policy_tokenizer(tiny_gpt2_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_gpt2_dir)


@pytest.mark.parametrize("name", ["acme_nan", "acme_inf", "acme_flaky"])
def test_bad_rule_rewards_never_reach_ppo(installed, policy_tokenizer, name):
    import torch

    from aligntune_backend_trl.token_reward import RewardAdapter, RewardScorer

    installed("acme-rewards", "acme_rewards", "acme_rewards_mod", MALFORMED)
    adapter = RewardAdapter(RewardScorer(policy_tokenizer, reward_functions=["length", name]), prompt_width=4)
    text = "a long response that goes on and on about many different things"
    ids = policy_tokenizer(["Why?", "How?"], add_special_tokens=False)["input_ids"]
    response = policy_tokenizer(text, add_special_tokens=False)["input_ids"]
    rows = [([0] * (4 - len(p)) + p + response) for p in ids]
    mask = [[0] * (4 - len(p)) + [1] * (len(p) + len(response)) for p in ids]
    with pytest.raises(RewardFunctionError, match=rf"'{name}' from plugin 'acme_rewards'"):
        adapter(torch.tensor(rows), attention_mask=torch.tensor(mask))
    assert adapter.records == []  # nothing was scored, so nothing goes into PPO's rewards


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_a_reward_model_producing_nan_or_inf_never_reaches_ppo(tiny_bert_dir, policy_tokenizer, tmp_path, bad):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from aligntune.reward_model.scoring import TextRewardModel
    from aligntune_backend_trl.token_reward import RewardAdapter, RewardScorer

    model = AutoModelForSequenceClassification.from_pretrained(tiny_bert_dir, num_labels=1)
    with torch.no_grad():
        model.classifier.bias.fill_(bad)
    rm = TextRewardModel(model, AutoTokenizer.from_pretrained(tiny_bert_dir))
    adapter = RewardAdapter(RewardScorer(policy_tokenizer, reward_model=rm), prompt_width=2)
    ids = policy_tokenizer(["Hi there, thanks a lot for asking!"], add_special_tokens=False)["input_ids"][0]
    with pytest.raises(RewardFunctionError, match=rf"produced {bad} for text 0 .*never passed on"):
        adapter(torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long))
    assert math.isnan(bad) or math.isinf(bad)


# -- unsafe or broken model directories --------------------------------------------------------


@pytest.fixture(scope="module")
def rm_dir(tiny_bert_dir, tmp_path_factory) -> Path:
    """A one-output reward model (tiny BERT, MiniLM tokenizer) saved with safetensors."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    out = tmp_path_factory.mktemp("faults-rm") / "rm"
    tokenizer = AutoTokenizer.from_pretrained(tiny_bert_dir)
    model = AutoModelForSequenceClassification.from_pretrained(tiny_bert_dir, num_labels=1)
    model.config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


@pytest.fixture
def pickle_only_dir(tiny_bert_dir, tmp_path) -> Path:
    """A real reward model saved with pickle weights (pytorch_model.bin) only."""
    import shutil

    import torch
    from transformers import AutoModelForSequenceClassification

    out = tmp_path / "pickled"
    out.mkdir()
    model = AutoModelForSequenceClassification.from_pretrained(tiny_bert_dir, num_labels=1)
    model.config.save_pretrained(out)
    torch.save(model.state_dict(), out / "pytorch_model.bin")
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json"):
        if (tiny_bert_dir / name).is_file():
            shutil.copy(tiny_bert_dir / name, out / name)
    return out


@pytest.fixture
def load_calls(monkeypatch):
    """Record every transformers from_pretrained call (and its keyword arguments), then let it run."""
    from transformers import AutoConfig, AutoTokenizer, PreTrainedModel

    calls: list[tuple[str, dict]] = []

    def spy(owner, attr):
        original = getattr(owner, attr).__func__

        def wrapper(cls, *args, **kwargs):
            calls.append((f"{cls.__name__}.{attr}", dict(kwargs)))
            return original(cls, *args, **kwargs)

        monkeypatch.setattr(owner, attr, classmethod(wrapper))

    import transformers.models.auto.modeling_auto as auto

    for owner in (PreTrainedModel, AutoTokenizer, AutoConfig, auto.AutoModelForSequenceClassification):
        spy(owner, "from_pretrained")
    return calls


def test_pickle_weights_are_refused_unless_allowed(pickle_only_dir, load_calls, tmp_path):
    from aligntune.core.backend_factory import create_rl_trainer
    from aligntune.reward_model.scoring import TextRewardModel
    from aligntune.rewards.training import RewardModelTrainer

    refused = r"only pickle weights \(pytorch_model.bin\).*allow_pickle=True"
    with pytest.raises(ModelLoadError, match=refused):
        TextRewardModel.from_pretrained(pickle_only_dir)
    with pytest.raises(ModelLoadError, match=refused):
        RewardModelTrainer(str(pickle_only_dir), ["length"])
    with pytest.raises(ConfigurationError, match=refused):
        create_rl_trainer(model_name=str(pickle_only_dir), reward_model_path=str(pickle_only_dir),
                          output_dir=str(tmp_path / "ppo"))
    assert load_calls == []
    rm = TextRewardModel.from_pretrained(pickle_only_dir, allow_pickle=True)
    assert len(rm.score(["It works when asked for."])) == 1
    assert all(kwargs.get("trust_remote_code") in (None, False) for _, kwargs in load_calls)


def test_trust_remote_code_is_never_implicit(rm_dir, tmp_path, load_calls):
    import shutil

    from aligntune.reward_model.scoring import TextRewardModel
    from aligntune.rewards.training import RewardModelTrainer

    custom = tmp_path / "custom"
    shutil.copytree(rm_dir, custom)
    config = json.loads((custom / "config.json").read_text())
    config["auto_map"] = {"AutoModelForSequenceClassification": "modeling_acme.AcmeForReward"}
    (custom / "config.json").write_text(json.dumps(config))
    (custom / "modeling_acme.py").write_text("raise SystemExit('remote code ran')\n")
    with pytest.raises(ModelLoadError, match=r"needs custom model code.*pass trust_remote_code=True"):
        TextRewardModel.from_pretrained(custom)
    with pytest.raises(ModelLoadError, match=r"trust_remote_code=True"):
        RewardModelTrainer(str(custom), ["length"])
    assert load_calls == []
    TextRewardModel.from_pretrained(rm_dir)  # an ordinary load: the flag goes down as False
    assert load_calls and all(kwargs.get("trust_remote_code") is False for _, kwargs in load_calls
                              if "trust_remote_code" in kwargs)
    assert any("trust_remote_code" in kwargs for _, kwargs in load_calls)


@pytest.mark.parametrize("flag", ["false", "no", 1])
def test_a_truthy_non_bool_trust_remote_code_is_refused(rm_dir, tmp_path, flag):
    import shutil

    from aligntune.reward_model.scoring import TextRewardModel

    custom = tmp_path / "custom"
    shutil.copytree(rm_dir, custom)
    config = json.loads((custom / "config.json").read_text())
    config["auto_map"] = {"AutoConfig": "configuration_acme.AcmeConfig",
                          "AutoModelForSequenceClassification": "modeling_acme.AcmeForReward"}
    (custom / "config.json").write_text(json.dumps(config))
    for name in ("configuration_acme.py", "modeling_acme.py"):
        (custom / name).write_text(f"open({str(tmp_path / 'ran')!r}, 'w').write('yes')\nraise SystemExit(9)\n")
    try:
        with pytest.raises(ConfigurationError, match=rf"trust_remote_code must be True or False, got .*{flag!r}"):
            TextRewardModel.from_pretrained(custom, trust_remote_code=flag)
    finally:
        assert not (tmp_path / "ran").exists(), "the model's custom code ran"


@pytest.mark.parametrize("content", ['{"model_type": "bert", "hidden_size": 3', "\x00\x01garbage", "[1, 2, 3]", "{}"])
def test_corrupted_config_json_is_a_clear_error(rm_dir, tmp_path, load_calls, content):
    import shutil

    from aligntune.core.backend_factory import create_rl_trainer
    from aligntune.reward_model.scoring import TextRewardModel
    from aligntune.rewards.training import RewardModelTrainer

    broken = tmp_path / "broken"
    shutil.copytree(rm_dir, broken)
    (broken / "config.json").write_text(content)
    message = r"config.json' is (corrupted: it is not valid JSON|not a transformers config)"
    with pytest.raises(ModelLoadError, match=message):
        TextRewardModel.from_pretrained(broken)
    with pytest.raises(ModelLoadError, match=message):
        RewardModelTrainer(str(broken), ["length"])
    with pytest.raises(ConfigurationError, match=rf"reward_model_path=.*{message}"):
        create_rl_trainer(model_name=str(rm_dir), reward_model_path=str(broken), output_dir=str(tmp_path / "p"))
    assert load_calls == []


# -- interruption of the long commands (SIGINT, SIGTERM) ---------------------------------------

CLI = [sys.executable, "-m", "aligntune.cli"]


def _many_rows(path: Path) -> None:
    """40,000 texts: scoring them takes long enough to be interrupted midway."""
    path.write_text("".join(json.dumps({"text": f"Answer number {i}: " + "thanks, here is how it works. " * 8}) + "\n"
                            for i in range(40_000)))


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code", "word"), [(signal.SIGINT, -signal.SIGINT, "Interrupted"), (signal.SIGTERM, 143, "Terminated")])
def test_a_signal_mid_training_leaves_no_output_and_no_staging(tiny_bert_dir, tmp_path, start_process, signal_when,
                                                             sig, code, word):
    (tmp_path / "user_file.txt").write_text("mine")
    proc = start_process([*CLI, "train-reward-model", "--base-model", str(tiny_bert_dir), "--functions", "length",
                          "--bundled-corpus", "--corpus-size", "60", "--num-epochs", "400", "--batch-size", "4",
                          "--max-length", "32", "--output-dir", "out"], tmp_path)
    out = signal_when(proc, lambda: any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir()), sig)
    assert proc.returncode == code, out
    assert f"{word} (" in out and "Traceback" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["user_file.txt"]  # no output, no staging left
    assert (tmp_path / "user_file.txt").read_text() == "mine"


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, -signal.SIGINT), (signal.SIGTERM, 143)])
def test_a_signal_while_scoring_keeps_the_previous_output(tmp_path, start_process, signal_when, sig, code):
    _many_rows(tmp_path / "big.jsonl")
    previous = '{"text": "an earlier run", "score": 0.5}\n'
    (tmp_path / "scores.jsonl").write_text(previous)
    proc = start_process([*CLI, "rewards", "score", "--function", "length,sentiment,safety,coherence,helpfulness",
                          "--input", "big.jsonl", "--output", "scores.jsonl"], tmp_path)
    out = signal_when(proc, lambda: any(p.name.startswith(".scores.jsonl.tmp-") for p in tmp_path.iterdir()), sig)
    assert proc.returncode == code, out
    assert (tmp_path / "scores.jsonl").read_text() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl", "scores.jsonl"]



@pytest.mark.slow
def test_ctrl_c_in_a_shell_loop_stops_the_loop(tmp_path, start_process, signal_when):
    """Ctrl-C ends the command by SIGINT, so a shell running it in a loop stops as well (bash shows 130)."""
    _many_rows(tmp_path / "big.jsonl")
    command = (f"for run in 1 2; do {Path(sys.executable).parent / 'aligntune'} rewards score "
               "--function length,sentiment,safety,coherence,helpfulness "
               "--input big.jsonl --output scores.jsonl; done; echo the loop went on")
    proc = start_process(["bash", "-c", command], tmp_path, start_new_session=True)
    out = signal_when(proc, lambda: any(p.name.startswith(".scores.jsonl.tmp-") for p in tmp_path.iterdir()),
                      signal.SIGINT, group=True)  # a terminal's Ctrl-C reaches the whole foreground group
    assert "Interrupted (SIGINT)" in out and "the loop went on" not in out, out
    assert not (tmp_path / "scores.jsonl").exists()


# -- concurrent runs writing to one place ------------------------------------------------------

@pytest.mark.slow
def test_a_run_that_finds_its_output_taken_by_another_refuses_and_keeps_the_other(tiny_bert_dir, tmp_path):
    from transformers import TrainerCallback

    from aligntune.data import load_bundled_corpus
    from aligntune.outputs import write_marker
    from aligntune.rewards.training import RewardModelTrainer

    out = tmp_path / "model"

    class OtherRunFinishesFirst(TrainerCallback):
        def on_train_end(self, args, state, control, **kwargs):
            out.mkdir()
            (out / "model.safetensors").write_bytes(b"the other run's weights")
            write_marker(out, "reward_model")

    trainer = RewardModelTrainer(str(tiny_bert_dir), [wordiness])
    data = trainer.generate_training_data(load_bundled_corpus(40, seed=1).texts)
    with pytest.raises(ConfigurationError, match="already exists and is not empty"):
        trainer.train_reward_model(data, out, num_epochs=1, batch_size=8, max_length=32,
                                   training_args={"max_steps": 2}, callbacks=[OtherRunFinishesFirst()])
    assert (out / "model.safetensors").read_bytes() == b"the other run's weights"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # our staging directory is gone


def test_two_writers_of_one_file_leave_one_complete_version(tmp_path):
    from aligntune.atomic import atomic_file

    target = tmp_path / "scores.jsonl"
    target.write_text("old\n")
    with atomic_file(target) as first:
        first.write("first, line 1\n")
        with atomic_file(target) as second:  # another command writing the same file meanwhile
            second.write("second, complete\n")
        assert target.read_text() == "second, complete\n"
        first.write("first, line 2\n")
    assert target.read_text() == "first, line 1\nfirst, line 2\n"  # the last to finish wins, whole
    assert [p.name for p in tmp_path.iterdir()] == ["scores.jsonl"]


def test_a_failed_writer_leaves_the_file_as_it_was(tmp_path):
    from aligntune.atomic import atomic_file

    target = tmp_path / "scores.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_file(target) as handle:
        handle.write("half")
        raise RuntimeError("scoring failed part-way")
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["scores.jsonl"]


def test_a_second_rl_run_into_a_running_runs_directory_is_refused(tmp_path, tiny_gpt2_dir):
    from aligntune.core.backend_factory import create_rl_trainer

    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": f"Question {i}?"}) + "\n" for i in range(8)))
    kwargs = dict(model_name=str(tiny_gpt2_dir), dataset_name=str(prompts), reward_functions=["length"],
                  output_dir=str(tmp_path / "run"), batch_size=2)
    first = create_rl_trainer(**kwargs)
    first.run_dir.mark()  # the first run has started writing
    with pytest.raises(ConfigurationError, match=r"output_dir .*run' already exists and is not empty"):
        create_rl_trainer(**kwargs)
