"""The ownership rule covers every file a run reads, however it was given, and every output it writes.

Issue 25: ``--overwrite`` deleted the run's own training texts (the CLI read them into memory,
so the output check never saw their path); a ``checkpoint_dir`` inside ``output_dir`` trained in
full and then lost the model; symlink loops gave tracebacks; a resume from a missing checkpoint
failed only after scoring and loading; a failed run's marker blocked its own rerun.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from aligntune.cli import main
from aligntune.errors import AlignTuneError, ConfigurationError
from aligntune.outputs import RUN_MARKER, check_output_dir, write_marker


@pytest.fixture
def no_model_loads(monkeypatch):
    """Any transformers model or tokenizer load fails the test (proves the check came first)."""
    from transformers import AutoTokenizer, PreTrainedModel

    def tripwire(*args, **kwargs):
        raise AssertionError(f"a model/tokenizer was loaded before the output check: {args[:1]}")

    monkeypatch.setattr(PreTrainedModel, "from_pretrained", classmethod(lambda cls, *a, **k: tripwire(*a)))
    monkeypatch.setattr(AutoTokenizer, "from_pretrained", classmethod(lambda cls, *a, **k: tripwire(*a)))


def _previous_model(path: Path) -> Path:
    """A directory an earlier aligntune run wrote (so --overwrite may replace it)."""
    path.mkdir(parents=True)
    write_marker(path, "reward_model")
    (path / "model.safetensors").write_bytes(b"old weights")
    return path


def _texts(corpus) -> str:
    return "\n".join(t.replace("\n", " ") for t in corpus.texts) + "\n"


def _train(*args: str):
    return CliRunner().invoke(main, ["train-reward-model", *args])


# -- item 1: the texts a CLI read into memory ----------------------------------------------------

def test_overwrite_refuses_an_output_dir_holding_the_cli_texts_file(text_rewards, tiny_bert_dir, corpus_40, tmp_path,
                                                                     no_model_loads):
    rm = _previous_model(tmp_path / "rm")
    texts = rm / "my_texts.txt"
    texts.write_text(_texts(corpus_40))
    result = _train("--base-model", str(tiny_bert_dir), "--functions", text_rewards[0], "--texts", str(texts),
                    "--output-dir", str(rm), "--overwrite", "--num-epochs", "1", "--max-length", "32")
    assert result.exit_code == 1, result.output
    assert "contains an input of this run" in result.output and "my_texts.txt" in result.output
    assert "Traceback" not in result.output
    assert texts.read_text() == _texts(corpus_40)  # the user's file is still there, whole


def test_overwrite_refuses_an_output_dir_holding_a_saved_dataset_given_as_texts(text_rewards, tiny_bert_dir, corpus_40,
                                                                                tmp_path, no_model_loads):
    from datasets import Dataset

    rm = _previous_model(tmp_path / "rm")
    Dataset.from_dict({"text": corpus_40.texts}).save_to_disk(str(rm / "texts_ds"))
    result = _train("--base-model", str(tiny_bert_dir), "--functions", text_rewards[0], "--texts", str(rm / "texts_ds"),
                    "--output-dir", str(rm), "--overwrite")
    assert result.exit_code == 1 and "contains an input of this run" in result.output, result.output
    assert (rm / "texts_ds" / "dataset_info.json").is_file()


def test_overwrite_refuses_an_output_dir_holding_the_yaml_config_or_its_texts_file(text_rewards, tiny_bert_dir,
                                                                                   corpus_40, tmp_path, no_model_loads):
    rm = _previous_model(tmp_path / "rm")
    (rm / "texts.txt").write_text(_texts(corpus_40))
    config = rm / "rm.yaml"
    config.write_text(yaml.safe_dump({"base_model_name": str(tiny_bert_dir), "reward_functions": text_rewards[:1],
                                      "training_texts_file": "texts.txt", "output_dir": str(rm), "overwrite": True}))
    result = _train("--config", str(config))
    assert result.exit_code == 1 and "contains an input of this run" in result.output, result.output
    assert config.is_file() and (rm / "texts.txt").is_file()

    # the YAML alone, with the texts given elsewhere, is protected too
    (tmp_path / "elsewhere.txt").write_text(_texts(corpus_40))
    config.write_text(yaml.safe_dump({"base_model_name": str(tiny_bert_dir), "reward_functions": text_rewards[:1],
                                      "output_dir": str(rm), "overwrite": True}))
    result = _train("--config", str(config), "--texts", str(tmp_path / "elsewhere.txt"))
    assert result.exit_code == 1 and "rm.yaml" in result.output, result.output
    assert config.is_file()


def test_a_texts_path_given_to_the_trainer_is_an_input_of_its_training(text_rewards, tiny_bert_dir, corpus_40, tmp_path):
    from aligntune.rewards.training import RewardModelTrainer

    rm = _previous_model(tmp_path / "rm")
    texts = rm / "texts.jsonl"
    texts.write_text("".join(json.dumps({"text": t}) + "\n" for t in corpus_40.texts))
    trainer = RewardModelTrainer(str(tiny_bert_dir), text_rewards[:1])
    data = trainer.generate_training_data(str(texts))
    with pytest.raises(ConfigurationError, match="contains an input of this run"):
        trainer.train_reward_model(data, rm, overwrite=True, num_epochs=1, max_length=32)
    assert texts.is_file()


def test_rl_refuses_an_output_dir_holding_its_eval_prompts_or_reward_texts(tmp_path, tiny_gpt2_dir):
    from aligntune.core.backend_factory import create_rl_trainer

    run = tmp_path / "run"
    run.mkdir()
    write_marker(run, "rl_run")
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": f"Question {i}?"}) + "\n" for i in range(8)))
    held = run / "held_out.jsonl"
    held.write_text("".join(json.dumps({"prompt": f"Held {i}?"}) + "\n" for i in range(4)))
    with pytest.raises(ConfigurationError, match="contains an input of this run.*held_out.jsonl"):
        create_rl_trainer(model_name=str(tiny_gpt2_dir), dataset_name=str(prompts), reward_functions=["length"],
                          output_dir=str(run), overwrite=True, eval_dataset_name=str(held), eval_steps=1,
                          eval_prompts=4, batch_size=4)
    assert held.is_file()


def test_rl_cli_refuses_an_output_dir_holding_its_config_or_reward_texts(tmp_path, tiny_gpt2_dir, tiny_bert_dir,
                                                                          corpus_40):
    run = tmp_path / "run"
    run.mkdir()
    write_marker(run, "rl_run")
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": f"Question {i}?"}) + "\n" for i in range(8)))
    texts = run / "rm_texts.txt"
    texts.write_text(_texts(corpus_40))
    config = tmp_path / "ppo.yaml"
    base = {"model_name": str(tiny_gpt2_dir), "dataset_name": str(prompts), "output_dir": str(run),
            "train_custom_reward_model": True, "reward_training_base_model": str(tiny_bert_dir),
            "reward_functions": ["length"], "reward_training_texts": str(texts), "batch_size": 4}
    config.write_text(yaml.safe_dump(base))
    for extra in ([], ["--dry-run"]):
        result = CliRunner().invoke(main, ["ppo", "--config", str(config), "--overwrite", *extra])
        assert result.exit_code == 1 and "contains an input of this run" in result.output, result.output
        assert "rm_texts.txt" in result.output and texts.is_file()

    inside = run / "ppo.yaml"
    inside.write_text(yaml.safe_dump({**base, "reward_training_texts": corpus_40.texts}))
    result = CliRunner().invoke(main, ["ppo", "--config", str(inside), "--overwrite", "--dry-run"])
    assert result.exit_code == 1 and "ppo.yaml" in result.output, result.output
    assert inside.is_file()


# -- item 4 (part): nested outputs ----------------------------------------------------------------

def test_a_checkpoint_dir_inside_output_dir_is_refused_before_any_work(text_rewards, tiny_bert_dir, corpus_40,
                                                                       tmp_path, no_model_loads):
    from aligntune.core.rl.config import RewardModelTrainingConfig
    from aligntune.rewards.training import RewardModelTrainer

    out = tmp_path / "rm"
    with pytest.raises(ConfigurationError, match=r"checkpoint_dir .* is inside output_dir"):
        RewardModelTrainingConfig(base_model_name=str(tiny_bert_dir), reward_functions=text_rewards[:1],
                                  training_texts=corpus_40.texts, output_dir=str(out),
                                  checkpoint_dir=str(out / "ckpt"))
    trainer = RewardModelTrainer(str(tiny_bert_dir), text_rewards[:1])
    data = trainer.generate_training_data(corpus_40.texts)
    with pytest.raises(ConfigurationError, match=r"checkpoint_dir .* is inside output_dir"):
        trainer.train_reward_model(data, out, checkpoint_dir=out / "ckpt", num_epochs=1)
    assert not out.exists()


def test_the_reward_model_of_an_rl_run_may_not_be_the_run_directory_or_hold_it(tmp_path, tiny_gpt2_dir, tiny_bert_dir,
                                                                               corpus_40):
    from aligntune.core.backend_factory import create_rl_trainer

    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": f"Question {i}?"}) + "\n" for i in range(8)))
    common = dict(model_name=str(tiny_gpt2_dir), dataset_name=str(prompts), batch_size=4,
                  train_custom_reward_model=True, reward_training_base_model=str(tiny_bert_dir),
                  reward_functions=["length"], reward_training_texts=corpus_40.texts)
    run = tmp_path / "run"
    with pytest.raises(ConfigurationError, match="reward_training_output_dir.*is output_dir"):
        create_rl_trainer(**common, output_dir=str(run), reward_training_output_dir=str(run))
    with pytest.raises(ConfigurationError, match="reward_training_output_dir.*contains output_dir"):
        create_rl_trainer(**common, output_dir=str(run / "rl"), reward_training_output_dir=str(run))
    with pytest.raises(ConfigurationError, match="reward_training_output_dir.*is where the policy is saved"):
        create_rl_trainer(**common, output_dir=str(run), reward_training_output_dir=str(run / "policy"))
    assert not run.exists()


# -- item 4 (classes): symlink loops, the training file as eval set, resume, a failed run's marker --

@pytest.fixture
def loops(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "self").symlink_to(tmp_path / "self")
    return tmp_path


def test_symlink_loops_are_clean_errors(loops, text_rewards, corpus_40, tiny_bert_dir):
    from aligntune.model_dirs import resolve_model_path
    from aligntune.textio import read_text_file, read_yaml_file

    with pytest.raises(AlignTuneError, match="is a loop of symbolic links"):
        resolve_model_path(str(loops / "a"))
    with pytest.raises(AlignTuneError, match="output_dir=.*is a loop of symbolic links"):
        check_output_dir(loops / "self")
    with pytest.raises(AlignTuneError, match="is a loop of symbolic links"):
        read_yaml_file(loops / "self")
    with pytest.raises(AlignTuneError, match="is a loop of symbolic links"):
        read_text_file(loops / "a", field="--texts")
    for args in (["--base-model", str(loops / "a"), "--functions", text_rewards[0], "--bundled-corpus",
                  "--output-dir", str(loops / "out")],
                 ["--base-model", str(tiny_bert_dir), "--functions", text_rewards[0], "--bundled-corpus",
                  "--output-dir", str(loops / "self")],
                 ["--config", str(loops / "self")],
                 ["--base-model", str(tiny_bert_dir), "--functions", text_rewards[0], "--texts", str(loops / "a"),
                  "--output-dir", str(loops / "out")]):
        result = _train(*args)
        assert result.exit_code == 1, (args, result.output)
        assert "loop" in result.output and "Traceback" not in result.output, (args, result.output)


def test_a_symlink_loop_as_rl_model_or_prompts_is_a_clean_error(loops, tiny_gpt2_dir, tmp_path):
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": f"Question {i}?"}) + "\n" for i in range(8)))
    for overrides in ({"model_name": str(loops / "a")}, {"dataset_name": str(loops / "self")},
                      {"output_dir": str(loops / "self")}):
        config = tmp_path / "ppo.yaml"
        config.write_text(yaml.safe_dump({"model_name": str(tiny_gpt2_dir), "dataset_name": str(prompts),
                                          "reward_functions": ["length"], "output_dir": str(tmp_path / "run"),
                                          "batch_size": 4, **overrides}))
        result = CliRunner().invoke(main, ["ppo", "--config", str(config), "--dry-run"])
        assert result.exit_code == 1, (overrides, result.output)
        assert "loop" in result.output and "Traceback" not in result.output, (overrides, result.output)
    for command in ("ppo", "rl"):
        result = CliRunner().invoke(main, [command, "--config", str(loops / "self"), "--dry-run"])
        assert result.exit_code == 1 and "--config " in result.output, result.output
        assert "is a loop of symbolic links" in result.output and "Traceback" not in result.output, result.output


def test_the_training_prompts_as_the_held_out_set_are_refused(tmp_path, tiny_gpt2_dir):
    from aligntune.core.backend_factory import create_rl_trainer

    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": f"Question {i}?"}) + "\n" for i in range(8)))
    (tmp_path / "link.jsonl").symlink_to(prompts)
    for held in (prompts, tmp_path / "link.jsonl"):
        with pytest.raises(ConfigurationError, match="eval_dataset_name.*is also dataset_name.*held-out"):
            create_rl_trainer(model_name=str(tiny_gpt2_dir), dataset_name=str(prompts), reward_functions=["length"],
                              output_dir=str(tmp_path / "run"), eval_dataset_name=str(held), eval_steps=1,
                              eval_prompts=4, batch_size=4)


@pytest.mark.parametrize("case", ["missing-path", "not-a-checkpoint", "no-checkpoint-in-dir", "mismatched"])
def test_resume_from_a_missing_or_mismatched_checkpoint_fails_before_scoring(case, text_rewards, tiny_bert_dir,
                                                                             tiny_gpt2_dir, corpus_40, tmp_path,
                                                                             no_model_loads):
    from aligntune.core.rl.config import RewardModelTrainingConfig
    from aligntune.rewards.training import train_from_config

    calls = []

    def counting(text: str) -> float:
        calls.append(text)
        return 0.5

    from aligntune.rewards.base import reward_function

    ckpt = tmp_path / "ckpt"
    extra: dict = {"checkpoint_dir": str(ckpt), "resume_from_checkpoint": True}
    if case == "missing-path":
        extra = {"resume_from_checkpoint": str(tmp_path / "nowhere" / "checkpoint-4")}
    elif case == "not-a-checkpoint":
        (tmp_path / "junk").mkdir()
        extra = {"resume_from_checkpoint": str(tmp_path / "junk")}
    elif case == "no-checkpoint-in-dir":
        ckpt.mkdir()
    else:  # a checkpoint of another base model
        point = ckpt / "checkpoint-3"
        point.mkdir(parents=True)
        (point / "trainer_state.json").write_text(json.dumps({"global_step": 3}))
        (point / "config.json").write_text((tiny_gpt2_dir / "config.json").read_text())
    config = RewardModelTrainingConfig(base_model_name=str(tiny_bert_dir), reward_functions=[reward_function(
        counting, name="counting")], training_texts=corpus_40.texts, output_dir=str(tmp_path / "rm"), **extra)
    message = {"missing-path": "resume_from_checkpoint=.*does not exist",
               "not-a-checkpoint": "resume_from_checkpoint=.*is not a training checkpoint",
               "no-checkpoint-in-dir": "resume_from_checkpoint=True.*no checkpoint-",
               "mismatched": "checkpoint-3 .*gpt2.*base model .*bert"}[case]
    with pytest.raises(ConfigurationError, match=message):
        train_from_config(config)
    assert calls == []  # nothing was scored
    assert not (tmp_path / "rm").exists()


def test_a_directory_holding_only_the_marker_of_a_dead_run_is_reused_without_overwrite(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    write_marker(run, "rl_run")
    marker = json.loads((run / RUN_MARKER).read_text())
    marker["pid"] = 2**22 + 12345  # a process that is gone
    (run / RUN_MARKER).write_text(json.dumps(marker))
    assert check_output_dir(run) == run.resolve()

    # the marker of a live process (another run starting there now) is not reused
    (run / RUN_MARKER).write_text(json.dumps({**marker, "pid": os.getppid()}))
    with pytest.raises(ConfigurationError, match="already exists and is not empty"):
        check_output_dir(run)
    with pytest.raises(ConfigurationError, match=r"is still running; overwrite=True does not replace a running run"):
        check_output_dir(run, overwrite=True)

    # a failed run that left more than its marker: the refusal says it never finished and how to go on
    marker["pid"] = 2**22 + 12345
    (run / RUN_MARKER).write_text(json.dumps(marker))
    (run / "reward_model").mkdir()
    with pytest.raises(ConfigurationError, match=r"run .* that never finished.*overwrite"):
        check_output_dir(run)


def test_the_marker_records_a_run_id_and_the_process(tmp_path):
    run_id = write_marker(tmp_path, "rl_run")
    marker = json.loads((tmp_path / RUN_MARKER).read_text())
    assert marker["run_id"] == run_id and marker["pid"] == os.getpid() and marker["finished"] is False
    assert write_marker(tmp_path, "rl_run") != run_id


def test_the_reward_model_of_an_rl_run_may_not_hold_the_runs_prompts(tmp_path, tiny_gpt2_dir, tiny_bert_dir, corpus_40):
    from aligntune.core.backend_factory import create_rl_trainer

    rm = _previous_model(tmp_path / "rm")
    prompts = rm / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": f"Question {i}?"}) + "\n" for i in range(8)))
    with pytest.raises(ConfigurationError, match="reward_training_output_dir=.*contains an input of this run"):
        create_rl_trainer(model_name=str(tiny_gpt2_dir), dataset_name=str(prompts), batch_size=4,
                          output_dir=str(tmp_path / "run"), train_custom_reward_model=True,
                          reward_training_base_model=str(tiny_bert_dir), reward_functions=["length"],
                          reward_training_texts=corpus_40.texts, reward_training_output_dir=str(rm),
                          reward_training_overwrite=True)
    assert prompts.is_file()


def test_a_failed_run_of_this_process_is_named_in_the_refusal(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    run_id = write_marker(run, "rl_run")  # a run started earlier in this notebook, which raised
    with pytest.raises(ConfigurationError, match=rf"already exists and is not empty: it holds run {run_id}, started "
                                                 r"earlier in this process and not finished .*if it failed, pass "
                                                 r"overwrite=True"):
        check_output_dir(run)
    assert check_output_dir(run, overwrite=True) == run.resolve()
