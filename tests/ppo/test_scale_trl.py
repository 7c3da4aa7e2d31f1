"""TRL users' settings on the trl backend, on tiny local models (CPU, fp32): LoRA, trl_args, checkpoints and
resume, loaded model objects.

* LoRA (``peft_config``) for GRPO and PPO: the base weights stay as they were, the adapter trains, is saved
  with ``save_model()`` and reloads to the same outputs; ``save_model(merge=True)`` gives a model that
  ``AutoModelForCausalLM`` loads alone, with the same outputs.
* ``trl_args`` reach the TRL config of the built trainer; an unknown key and a key aligntune owns are refused
  before any model loads.
* A GRPO run killed (SIGKILL) after a checkpoint and resumed with ``resume_from_checkpoint=True`` ends with
  the steps it was asked for and one continuous history.
* A policy passed as a loaded ``PreTrainedModel`` (with its tokenizer) trains.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from aligntune.core.backend_factory import create_rl_trainer
from aligntune.errors import ConfigurationError
from ppo_helpers import fast_ppo_kwargs

LORA = {"r": 4, "lora_alpha": 8, "target_modules": ["c_attn"]}


def _grpo(policy_dir, prompts_file, tmp_path, **overrides):
    kwargs = dict(model_name=str(policy_dir), dataset_name=str(prompts_file), algorithm="grpo", backend="trl",
                  output_dir=str(tmp_path / "grpo"), batch_size=2, num_generations=2, total_episodes=8,
                  response_length=8, learning_rate=1e-3, seed=0, reward_functions=["length"])
    kwargs.update(overrides)
    return kwargs


def _logits(model, tokenizer) -> torch.Tensor:
    enc = tokenizer(["a short prompt about the weather"], return_tensors="pt")
    with torch.no_grad():
        return model(**enc).logits


def _check_lora_run(trainer, policy_dir, tmp_path):
    from peft import PeftModel

    original = AutoModelForCausalLM.from_pretrained(policy_dir).state_dict()
    trainer.train()
    policy = trainer.unwrapped_policy()
    assert isinstance(policy, PeftModel)
    base = policy.get_base_model().state_dict()
    for name, tensor in original.items():  # the base weights, under the LoRA wrappers' names
        key = name if name in base else name.replace(".weight", ".base_layer.weight").replace(".bias", ".base_layer.bias")
        assert torch.equal(base[key], tensor), name
    trained = [t for n, t in policy.named_parameters() if "lora_B" in n]
    assert trained and any(t.abs().sum() > 0 for t in trained)  # lora_B starts at zero: the adapter trained
    tokenizer = AutoTokenizer.from_pretrained(policy_dir)
    expected = _logits(policy.eval(), tokenizer)

    saved = Path(trainer.save_model())
    assert (saved / "adapter_config.json").is_file() and (saved / "adapter_model.safetensors").is_file()
    assert not (saved / "model.safetensors").exists()  # the adapter, not a second copy of the base
    reloaded = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(policy_dir), saved)
    torch.testing.assert_close(_logits(reloaded.eval(), tokenizer), expected)

    merged_dir = trainer.save_model(str(tmp_path / "merged"), merge=True)
    assert not (Path(merged_dir) / "adapter_config.json").exists()
    merged = AutoModelForCausalLM.from_pretrained(merged_dir)
    torch.testing.assert_close(_logits(merged.eval(), tokenizer), expected, atol=1e-4, rtol=1e-4)
    assert isinstance(trainer.unwrapped_policy(), PeftModel)  # merging worked on a copy


@pytest.mark.slow
def test_grpo_with_lora_trains_only_the_adapter(policy_dir, prompts_file, tmp_path):
    trainer = create_rl_trainer(**_grpo(policy_dir, prompts_file, tmp_path, peft_config=LORA))
    _check_lora_run(trainer, policy_dir, tmp_path)


@pytest.mark.slow
def test_ppo_with_lora_trains_only_the_adapter(policy_dir, prompts_file, tmp_path):
    import peft

    trainer = create_rl_trainer(model_name=str(policy_dir), dataset_name=str(prompts_file),
                                reward_functions=["length"], peft_config=peft.LoraConfig(**LORA),
                                **fast_ppo_kwargs(tmp_path))
    _check_lora_run(trainer, policy_dir, tmp_path)
    assert trainer.bundle.ref_policy is None  # the reference is the base with the adapter off, not a copy


@pytest.mark.slow
def test_trl_args_reach_the_trl_config_of_the_built_trainer(policy_dir, prompts_file, tmp_path):
    given = {"max_steps": 2, "save_steps": 1, "gradient_checkpointing": False, "lr_scheduler_type": "cosine"}
    trainer = create_rl_trainer(**_grpo(policy_dir, prompts_file, tmp_path, total_episodes=None, trl_args=given))
    args = trainer.build().args
    assert (args.max_steps, args.save_steps, args.gradient_checkpointing) == (2, 1, False)
    assert str(getattr(args.lr_scheduler_type, "value", args.lr_scheduler_type)) == "cosine"
    assert args.save_strategy == "steps" and args.output_dir == str(tmp_path / "grpo")
    result = trainer.train()
    assert result.steps == 2
    out = tmp_path / "grpo"
    assert sorted(p.name for p in out.glob("checkpoint-*")) == ["checkpoint-1", "checkpoint-2"]
    assert (out / "checkpoint-2" / "aligntune_state.json").is_file()

    del given["max_steps"]  # TRL's PPO counts total_episodes (max_steps is refused for it)
    ppo = create_rl_trainer(model_name=str(policy_dir), dataset_name=str(prompts_file), reward_functions=["length"],
                            trl_args=given, **fast_ppo_kwargs(tmp_path))
    args = ppo.build().args
    assert (args.save_steps, args.gradient_checkpointing, args.save_strategy) == (1, False, "steps")
    assert str(getattr(args.lr_scheduler_type, "value", args.lr_scheduler_type)) == "cosine"


@pytest.mark.parametrize("trl_args,match", [
    ({"max_step": 3}, r"'max_step'.*not a field of GRPOConfig in the installed trl .*Did you mean 'max_steps'"),
    ({"output_dir": "elsewhere"}, r"trl_args\['output_dir'\] is set by aligntune .*pass output_dir="),
    ({"learning_rate": 1e-3}, r"trl_args\['learning_rate'\] is set by aligntune .*pass learning_rate="),
])
def test_unknown_and_owned_trl_args_are_refused_before_loading(trl_args, match, policy_dir, prompts_file, tmp_path,
                                                               no_model_loads):
    with pytest.raises(ConfigurationError, match=match):
        create_rl_trainer(**_grpo(policy_dir, prompts_file, tmp_path, trl_args=trl_args))
    assert not (tmp_path / "grpo").exists()


def test_ppo_resume_is_refused_before_loading(policy_dir, prompts_file, tmp_path, no_model_loads):
    with pytest.raises(ConfigurationError, match=r"resume_from_checkpoint works with algorithm='grpo' and 'rloo'"):
        create_rl_trainer(model_name=str(policy_dir), dataset_name=str(prompts_file), reward_functions=["length"],
                          resume_from_checkpoint=True, **fast_ppo_kwargs(tmp_path))


KILLED_RUN = """
import json, os, signal, sys
from transformers import TrainerCallback
from aligntune.core.backend_factory import create_rl_trainer

class KillAt(TrainerCallback):
    def on_step_begin(self, args, state, control, **kwargs):
        if state.global_step == 3:  # step 3 logged (its completions written), after checkpoint-2, before checkpoint-4
            os.kill(os.getpid(), signal.SIGKILL)

trainer = create_rl_trainer(**json.loads(sys.argv[1]))
trainer.build().add_callback(KillAt())
trainer.train()
"""


@pytest.mark.slow
def test_a_grpo_run_killed_after_a_checkpoint_resumes_to_one_continuous_history(policy_dir, prompts_file, tmp_path):
    kwargs = _grpo(policy_dir, prompts_file, tmp_path, total_episodes=None, eval_steps=2, eval_prompts=2,
                   log_completions_steps=1, trl_args={"max_steps": 5, "save_steps": 2})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED_RUN), json.dumps(kwargs)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-3000:]
    out = tmp_path / "grpo"
    assert (out / "checkpoint-2" / "aligntune_state.json").is_file() and not (out / "metrics.json").exists()
    run_id = json.loads((out / "aligntune-output.json").read_text())["run_id"]

    trainer = create_rl_trainer(**kwargs, resume_from_checkpoint=True)
    result = trainer.train()
    assert result.steps == 5
    metrics = json.loads(Path(result.metrics_path).read_text())
    assert [row["step"] for row in metrics["steps"]] == [1, 2, 3, 4, 5]
    assert metrics["run_id"] == run_id
    assert [row["step"] for row in metrics["evaluations"]] == [0, 2, 4, 5]
    assert json.loads((out / "aligntune-output.json").read_text())["run_id"] == run_id  # the same run, continued
    rows = [json.loads(line) for line in (out / "completions.jsonl").read_text().splitlines()]
    train = [row["step"] for row in rows if row["split"] == "train"]
    assert train == sorted(train) and sorted(set(train)) == [1, 2, 3, 4, 5]
    assert train.count(3) == train.count(1)  # step 3, logged before the kill, is in the file once
    assert {row["run_id"] for row in rows} == {run_id}
    assert trainer.trl_trainer.state.global_step == 5


TEMPLATE = "{% for m in messages %}[user] {{ m['content'] }}{% endfor %}{% if add_generation_prompt %} [bot]{% endif %}"


@pytest.mark.slow
def test_a_loaded_policy_object_trains_on_prompts_rendered_by_chat_template(policy_dir, prompts_file, tmp_path):
    model = AutoModelForCausalLM.from_pretrained(policy_dir)
    tokenizer = AutoTokenizer.from_pretrained(policy_dir)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    trainer = create_rl_trainer(**_grpo(policy_dir, prompts_file, tmp_path, model_name=model, tokenizer=tokenizer,
                                        chat_template=TEMPLATE))
    result = trainer.train()
    assert result.steps == 2
    assert trainer.unwrapped_policy() is model
    assert any(not torch.equal(before[k], v) for k, v in model.state_dict().items())
    prompts = [s["prompt"] for step in result.history for s in step["samples"]]
    assert prompts and all(p.startswith("[user] ") and p.endswith(" [bot]") for p in prompts)
    saved = trainer.save_model()
    assert AutoModelForCausalLM.from_pretrained(saved).config.vocab_size == model.config.vocab_size
    assert AutoTokenizer.from_pretrained(saved).chat_template == TEMPLATE  # saved with the policy it trained
    assert "GPT2LMHeadModel object (from" in json.loads(Path(result.metrics_path).read_text())["summary"]["model_name"]


def test_a_loaded_policy_needs_its_tokenizer_and_a_broken_template_is_refused_before_loading(
        policy_dir, prompts_file, tmp_path):
    model = AutoModelForCausalLM.from_pretrained(policy_dir)
    with pytest.raises(ConfigurationError, match=r"model_name= is a loaded GPT2LMHeadModel; pass its tokenizer"):
        create_rl_trainer(**_grpo(policy_dir, prompts_file, tmp_path, model_name=model))
    from aligntune.errors import AlignTuneError

    with pytest.raises(AlignTuneError, match="chat_template="):
        create_rl_trainer(**_grpo(policy_dir, prompts_file, tmp_path, chat_template="{% for m in messages %}"))
    assert not (tmp_path / "grpo").exists()


def test_a_loaded_reward_model_with_its_tokenizer_is_the_runs_reward(policy_dir, prompts_file, same_tok_rm_dir,
                                                                     tmp_path):
    from transformers import AutoModelForSequenceClassification

    from aligntune.reward_model.scoring import TextRewardModel

    model = AutoModelForSequenceClassification.from_pretrained(same_tok_rm_dir)
    tokenizer = AutoTokenizer.from_pretrained(same_tok_rm_dir)
    kwargs = _grpo(policy_dir, prompts_file, tmp_path, reward_functions=None, reward_model_path=model)
    with pytest.raises(ConfigurationError, match="needs its tokenizer: pass reward_tokenizer="):
        create_rl_trainer(**kwargs)
    trainer = create_rl_trainer(**kwargs, reward_tokenizer=tokenizer)
    assert "a loaded GPT2ForSequenceClassification" in trainer.config.describe_reward()
    texts = ["A kind and clear answer.", "no", "Here are three steps: first, second, third."]
    batch = trainer.load_reward().score(["q"] * 3, texts)
    assert batch.rewards == pytest.approx(TextRewardModel.from_pretrained(same_tok_rm_dir).score(texts), abs=1e-5)
