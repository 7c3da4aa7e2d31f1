"""The bad-input catalogue: one table of invalid calls, each refused cleanly and cheaply.

Every row is a call a user could make, the aligntune exception it must raise (or, for the
command line, the exit status), and a fragment of the message. For every row the test
also checks that:

* nothing was written: the working directory (a fresh temporary one, which holds every
  output path the rows use) and the input model directories are unchanged;
* no model, tokenizer or config was loaded: transformers' ``from_pretrained`` entry
  points are wrapped with counters (the library's, never aligntune's own code);
* on the command line, the error is a one-line message, not a traceback.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import pytest

from aligntune.errors import (
    BackendError,
    BackendUnavailableError,
    ConfigurationError,
    DataError,
    DuplicateRegistrationError,
    ModelLoadError,
    PluginError,
    RewardFunctionError,
    UnknownRewardFunctionError,
)

# -- the inputs the rows use ------------------------------------------------------------------

TEXTS = [
    "Thanks for asking, here is a clear answer.",
    "No.",
    "I am glad to help: first open the settings, then choose the account tab.",
    "That is a stupid question.",
    "Sure, the capital of France is Paris.",
    "Please restart the router and wait a minute before trying again.",
    "words words words words",
    "It depends on the version you run; check the release notes first.",
    "I hope this helps, good luck with the exam!",
    "Go away.",
    "Water boils at 100 degrees Celsius at sea level.",
    "You can use a list comprehension to filter the values.",
]


def _config(c: Any, **overrides: Any) -> Any:
    from aligntune.core.rl.config import RewardModelTrainingConfig

    fields = dict(base_model_name=str(c.rm), training_texts=TEXTS, reward_functions=["length"], output_dir="out")
    fields.update(overrides)
    return RewardModelTrainingConfig(**fields)


def _source(**fields: Any) -> Any:
    from aligntune.core.rl.config import RewardModelSourceConfig

    return RewardModelSourceConfig(**fields)


def _trainer(c: Any, base: Any = None, functions: Any = ("length",), *args: Any, **kwargs: Any) -> Any:
    from aligntune.rewards.training import RewardModelTrainer

    return RewardModelTrainer(str(c.rm) if base is None else base, list(functions), *args, **kwargs)


def _train(c: Any, data: Any = None, output_dir: Any = "out", trainer: Any = None, **kwargs: Any) -> Any:
    trainer = trainer or _trainer(c)
    return trainer.train_reward_model(c.data if data is None else data, output_dir, **kwargs)


def _rl(c: Any, **overrides: Any) -> Any:
    from aligntune.core.backend_factory import create_rl_trainer

    kwargs = dict(model_name=str(c.policy), dataset_name=str(c.prompts), output_dir="ppo_out",
                  reward_functions=["length"], backend="trl", algorithm="ppo")
    kwargs.update(overrides)
    return create_rl_trainer(**{k: v for k, v in kwargs.items() if v is not _DROP})


_DROP = object()


def _registry() -> Any:
    from aligntune.rewards.registry import RewardRegistry

    return RewardRegistry()


def _register(fn: Any, **kwargs: Any) -> Any:
    return _registry().register_reward_function(fn, **kwargs)


def _named(name: str, **kwargs: Any) -> Any:
    from aligntune.rewards.base import reward_function

    return reward_function(lambda text: 0.5, name=name, **kwargs)


def _scored_by(fn: Any) -> Any:
    """A composite of one unregistered function (nothing stays registered), scoring two texts."""
    from aligntune.rewards.base import reward_function
    from aligntune.rewards.composite import CompositeReward

    return CompositeReward([reward_function(fn, name="hostile")]).score(["calm", "loud!"])


def _exit(text: str) -> float:
    raise SystemExit(0)


def _dataset(**columns: list[Any]) -> Any:
    from datasets import Dataset

    return Dataset.from_dict(columns)


def _cli(*args: str) -> Callable[[Any], list[str]]:
    """A CLI row: arguments, with ``{rm}``, ``{policy}`` and ``{prompts}`` filled in."""
    return lambda c: [a.format(rm=c.rm, policy=c.policy, prompts=c.prompts) for a in args]


Row = tuple  # (id, call, exception type or CLI exit status, message fragment[, pytest marks])

#: Rows that show a bug found by this table and not fixed yet (strict: they fail once fixed).
KNOWN_BUG = pytest.mark.xfail(strict=True, reason="found by this table; see the row's comment")

ROWS: list[Row] = [
    # -- RewardRegistry ------------------------------------------------------------------------
    ("registry-typo", lambda c: _registry().get_reward_function("lenght"),
     UnknownRewardFunctionError, r"Unknown reward function 'lenght'\. Did you mean 'length'\? Available: .*safety"),
    ("registry-non-string", lambda c: _registry().get_reward_function(3),
     UnknownRewardFunctionError, r"names must be strings, got int: 3"),
    ("registry-lambda-without-name", lambda c: _register(lambda text: 1.0),
     RewardFunctionError, r"has no usable name; pass name='my_reward'"),
    ("registry-not-callable", lambda c: _register("length"),
     RewardFunctionError, r"must be callable, got 'length'"),
    ("registry-duplicate-name", lambda c: _register(_named("length")),
     DuplicateRegistrationError, r"'length' is registered by two plugins: ('in-process' and 'rewards_basic'|'rewards_basic' and 'in-process')"),
    ("registry-reversed-range", lambda c: _register(_named("upside_down", value_range=(1.0, 0.0))),
     PluginError, r"'upside_down' \(registered by plugin 'in-process'\) has value_range \(1.0, 0.0\)"),
    ("registry-resolve-number", lambda c: _registry().resolve(["length", 42]),
     RewardFunctionError, r"Expected a reward function .*got int: 42"),
    # A rule's scores are checked for size and range, and its sys.exit is its failure (issue 25).
    ("registry-score-too-large-for-a-float", lambda c: _scored_by(lambda text: 10**400),
     RewardFunctionError, r"'hostile' returned 1000.*for text 0, a number too large for a float"),
    ("registry-score-outside-value-range", lambda c: _scored_by(lambda text: 1.5 if "!" in text else 0.5),
     RewardFunctionError, r"'hostile' returned 1.5 for text 1 \('loud!'\), outside its value_range \[0, 1\]"),
    ("registry-score-calls-sys-exit", lambda c: _scored_by(_exit),
     RewardFunctionError, r"'hostile' raised SystemExit: 0 while scoring a batch of 2 texts"),
    # -- RewardModelTrainingConfig -----------------------------------------------------------------
    ("config-3-texts", lambda c: _config(c, training_texts=TEXTS[:3]),
     ConfigurationError, r"training_texts needs at least 10 training texts, got 3"),
    ("config-no-texts", lambda c: _config(c, training_texts=[]),
     ConfigurationError, r"training_texts is required and must not be empty"),
    ("config-texts-one-string", lambda c: _config(c, training_texts="one long text " * 20),
     ConfigurationError, r"training_texts must be a list of strings, got str"),
    ("config-text-not-string", lambda c: _config(c, training_texts=TEXTS[:10] + [None]),
     ConfigurationError, r"training_texts\[10\] must be a string, got NoneType"),
    ("config-no-functions", lambda c: _config(c, reward_functions=[]),
     ConfigurationError, r"reward_functions is required and must not be empty"),
    ("config-unknown-function", lambda c: _config(c, reward_functions=["length", "politeness"]),
     ConfigurationError, r"reward_functions: Unknown reward function 'politeness'.*Available: .*length"),
    ("config-weights-count", lambda c: _config(c, reward_weights=[1.0, 2.0]),
     ConfigurationError, r"one weight per reward function: got 2 weights \[1.0, 2.0\] for 1 functions"),
    ("config-zero-weight", lambda c: _config(c, reward_weights=[0]),
     ConfigurationError, r"reward_weights\[0\] must be a positive finite number, got 0"),
    ("config-nan-weight", lambda c: _config(c, reward_weights=[math.nan]),
     ConfigurationError, r"reward_weights\[0\] must be a positive finite number, got nan"),
    ("config-zero-epochs", lambda c: _config(c, num_epochs=0),
     ConfigurationError, r"RewardModelTrainingConfig.num_epochs must be > 0, got 0"),
    ("config-negative-lr", lambda c: _config(c, learning_rate=-1),
     ConfigurationError, r"RewardModelTrainingConfig.learning_rate must be > 0, got -1"),
    ("config-zero-batch", lambda c: _config(c, batch_size=0),
     ConfigurationError, r"RewardModelTrainingConfig.batch_size must be >= 1, got 0"),
    ("config-empty-base", lambda c: _config(c, base_model_name=" "),
     ConfigurationError, r"base_model_name is required and must be a non-empty string"),
    ("config-no-output-dir", lambda c: _config(c, output_dir=""),
     ConfigurationError, r"output_dir is required and must be a non-empty string"),
    ("config-references-length", lambda c: _config(c, reference_texts=["a", "b"]),
     ConfigurationError, r"reference_texts must be a list with one entry per training text: got 2 for 12 texts"),
    ("config-eval-fraction", lambda c: _config(c, eval_fraction=1.5),
     ConfigurationError, r"eval_fraction must be between 0 and 1 \(exclusive\), got 1.5"),
    # These fields once had no validator, so a wrong type passed construction (and a string such as
    # "no" is truthy: overwrite="no" would have replaced an existing model).
    ("config-seed-string", lambda c: _config(c, seed="42"),
     ConfigurationError, r"RewardModelTrainingConfig.seed must be an integer, got str: '42'"),
    ("config-overwrite-string", lambda c: _config(c, overwrite="no"),
     ConfigurationError, r"RewardModelTrainingConfig.overwrite must be True or False, got str: 'no'"),
    ("config-gradient-checkpointing-string", lambda c: _config(c, gradient_checkpointing="maybe"),
     ConfigurationError, r"RewardModelTrainingConfig.gradient_checkpointing must be True, False or None"),
    ("config-report-to-number", lambda c: _config(c, report_to=5),
     ConfigurationError, r"RewardModelTrainingConfig.report_to must be a string .* or a list of them, got 5"),
    # -- RewardModelTrainer ------------------------------------------------------------------------
    ("trainer-missing-local-path", lambda c: _trainer(c, base="./models/no-such-model"),
     ModelLoadError, r"Model directory './models/no-such-model' does not exist"),
    ("trainer-dir-without-config", lambda c: _trainer(c, base=str(c.empty_dir)),
     ModelLoadError, r"has no config.json, so it is not a Hugging Face model directory"),
    ("trainer-model-without-tokenizer", lambda c: _trainer(c, base=str(c.no_tokenizer)),
     ModelLoadError, r"has no tokenizer files .*tokenizer.save_pretrained"),
    ("trainer-no-functions", lambda c: _trainer(c, functions=[]),
     ConfigurationError, r"RewardModelTrainer.reward_functions is required"),
    ("trainer-weights-count", lambda c: _trainer(c, None, ["length"], [1.0, 2.0]),
     ConfigurationError, r"RewardModelTrainer.composite_weights must have one weight per reward function"),
    ("trainer-repeated-function", lambda c: _trainer(c, functions=["length", "length"]),
     ConfigurationError, r"Each reward function may appear once; repeated: \['length'\]"),
    ("trainer-zero-pairs", lambda c: _trainer(c, pairs_per_text=0),
     ConfigurationError, r"RewardModelTrainer.pairs_per_text must be >= 1, got 0"),
    ("trainer-seed-string", lambda c: _trainer(c, seed="42"),
     ConfigurationError, r"RewardModelTrainer.seed must be an integer, got '42'"),
    # The safety flags once accepted any truthy value (trust_remote_code="false" ran custom code).
    ("trainer-allow-pickle-string", lambda c: _trainer(c, allow_pickle="no"),
     ConfigurationError, r"allow_pickle must be True or False, got str: 'no'"),
    ("trainer-trust-remote-code-string", lambda c: _trainer(c, trust_remote_code="false"),
     ConfigurationError, r"trust_remote_code must be True or False, got str: 'false'"),
    ("trainer-from-dict", lambda c: __import__("aligntune.rewards.training", fromlist=["x"]).RewardModelTrainer
     .from_config({"base_model_name": "x"}), ConfigurationError, r"from_config needs a RewardModelTrainingConfig, got dict"),
    ("data-5-texts", lambda c: _trainer(c).generate_training_data(TEXTS[:5]),
     ConfigurationError, r"needs at least 10 training texts, got 5"),
    ("data-references-length", lambda c: _trainer(c).generate_training_data(TEXTS, reference_texts=["a", "b"]),
     DataError, r"reference_texts must have one entry per text: got 2 reference_texts for 12 texts"),
    ("data-zero-batch", lambda c: _trainer(c).generate_training_data(TEXTS, batch_size=0),
     ConfigurationError, r"generate_training_data.batch_size must be >= 1, got 0"),
    ("data-dataset-without-text", lambda c: _trainer(c).generate_training_data(_dataset(body=TEXTS)),
     DataError, r"needs a 'text' column; it has \['body'\]"),
    ("train-data-without-score", lambda c: _train(c, data=_dataset(text=TEXTS)),
     DataError, r"training_data lacks the required column\(s\) \['score'\]"),
    ("train-data-is-a-list", lambda c: _train(c, data=TEXTS),
     DataError, r"training_data must be a datasets.Dataset \(from generate_training_data\), got list"),
    ("train-non-empty-output", lambda c: _train(c, output_dir="existing_out"),
     ConfigurationError, r"output_dir 'existing_out' already exists and is not empty.*overwrite=True"),
    ("train-output-is-a-file", lambda c: _train(c, output_dir="notes.txt"),
     ConfigurationError, r"output_dir 'notes.txt' exists and is a file"),
    # overwrite="no" is truthy; it once replaced the existing model.
    ("train-overwrite-string", lambda c: _train(c, output_dir="existing_out", overwrite="no"),
     ConfigurationError, r"overwrite must be True or False, got str: 'no'"),
    ("train-zero-lr", lambda c: _train(c, learning_rate=0),
     ConfigurationError, r"train_reward_model.learning_rate must be > 0, got 0"),
    ("train-resume-without-checkpoints", lambda c: _train(c, resume_from_checkpoint=True),
     ConfigurationError, r"resume_from_checkpoint=True needs checkpoint_dir="),
    ("train-checkpoints-in-output", lambda c: _train(c, checkpoint_dir="out"),
     ConfigurationError, r"checkpoint_dir must differ from output_dir"),
    ("train-unknown-training-arg", lambda c: _train(c, training_args={"warmup_ratioo": 0.1}),
     ConfigurationError, r"training_args has keys that trl.RewardConfig does not know: \['warmup_ratioo'\]"),
    ("train-hub-name-offline", lambda c: _train(c, trainer=_trainer(c, base="acme/not-in-cache")),
     ModelLoadError, r"'acme/not-in-cache' is not a local directory, and it is not in the Hugging Face cache "
                     r"while offline.*pass a local directory instead"),
    # -- RewardModelSourceConfig -----------------------------------------------------------------
    ("source-none", lambda c: _source(source_type="pretrained_local"),
     ConfigurationError, r"needs exactly one source, got none"),
    ("source-two", lambda c: _source(source_type="pretrained_local", model_name="a/b", model_path=str(c.rm)),
     ConfigurationError, r"needs exactly one source, got model_name and model_path"),
    ("source-field-mismatch", lambda c: _source(source_type="pretrained_hf", model_path=str(c.rm)),
     ConfigurationError, r"source_type='pretrained_hf'\) takes model_name=, got model_path="),
    ("source-unknown-type", lambda c: _source(source_type="pretrianed_local", model_path=str(c.rm)),
     ConfigurationError, r"'pretrianed_local' is not a known source. Did you mean 'pretrained_local'\?"),
    ("source-training-config-dict", lambda c: _source(source_type="custom_trained", training_config={"a": 1}),
     ConfigurationError, r"training_config must be a RewardModelTrainingConfig, got dict"),
    ("source-empty-type", lambda c: _source(source_type="", model_path=str(c.rm)),
     ConfigurationError, r"source_type is required and must be a non-empty string"),
    ("source-missing-path", lambda c: __import__("aligntune.rl.sources", fromlist=["x"]).check_source(
        _source(source_type="pretrained_local", model_path="./models/gone")),
     ConfigurationError, r"reward_model_path='./models/gone' does not exist"),
    # -- create_rl_trainer ------------------------------------------------------------------------
    ("rl-unknown-keyword", lambda c: _rl(c, learning_rat=1e-5),
     ConfigurationError, r"unknown argument 'learning_rat'. Did you mean 'learning_rate'\?"),
    ("rl-no-model-name", lambda c: _rl(c, model_name=_DROP),
     ConfigurationError, r"create_rl_trainer\(\) needs model_name="),
    ("rl-unknown-backend", lambda c: _rl(c, backend="trll"),
     BackendError, r"Unknown RL backend 'trll'. Did you mean 'trl'\?"),
    ("rl-unknown-algorithm", lambda c: _rl(c, algorithm="dpo"),
     ConfigurationError, r"algorithm must be one of \['ppo', 'grpo', 'rloo'\], got 'dpo'"),
    ("rl-unsloth-without-gpu", lambda c: _rl(c, backend="unsloth"),
     BackendUnavailableError, r"RL backend 'unsloth' cannot run on this machine: .*backend=\"?'?trl"),
    ("rl-two-sources", lambda c: _rl(c, reward_functions=None, reward_model_path=str(c.rm), reward_model_name="a/b"),
     ConfigurationError, r"Exactly one reward source is allowed, got reward_model_name and reward_model_path"),
    ("rl-no-source", lambda c: _rl(c, reward_functions=_DROP),
     ConfigurationError, r"needs exactly one reward source, got none"),
    ("rl-empty-training-texts", lambda c: _rl(c, train_custom_reward_model=True, reward_training_texts=[]),
     ConfigurationError, r"training_texts is required and must not be empty"),
    ("rl-3-training-texts", lambda c: _rl(c, train_custom_reward_model=True, reward_training_texts=TEXTS[:3]),
     ConfigurationError, r"needs at least 10 training texts, got 3"),
    ("rl-weights-count", lambda c: _rl(c, reward_function_weights=[0.5, 0.5]),
     ConfigurationError, r"reward_function_weights must have one weight per reward function: got 2"),
    ("rl-negative-weight", lambda c: _rl(c, reward_function_weights=[-1.0]),
     ConfigurationError, r"reward_function_weights\[0\] must be a positive finite number, got -1.0"),
    ("rl-zero-batch", lambda c: _rl(c, batch_size=0),
     ConfigurationError, r"RLTrainingConfig.batch_size must be >= 1, got 0"),
    ("rl-missing-dataset-file", lambda c: _rl(c, dataset_name="./data/prompts.jsonl"),
     DataError, r"prompts.jsonl"),
    ("rl-no-prompt-column", lambda c: _rl(c, dataset_name=str(c.no_prompt_column)),
     DataError, r"prompt column"),
    ("rl-reward-path-not-a-model", lambda c: _rl(c, reward_functions=None, reward_model_path=str(c.empty_dir)),
     ConfigurationError, r"reward_model_path=.* is not a usable model directory: .*has no config.json"),
    ("rl-missing-policy", lambda c: _rl(c, model_name="./models/policy"),
     ConfigurationError, r"model_name='./models/policy' does not exist or is not a directory"),
    ("rl-reward-hub-name-offline", lambda c: _rl(c, reward_functions=None, reward_model_name="acme/rm-not-cached"),
     ConfigurationError, r"reward_model_name='acme/rm-not-cached': .*not in the Hugging Face cache while offline"),
    # A corrupted policy config.json fails validation, before anything loads.
    ("rl-corrupted-policy-config", lambda c: _rl(c, model_name=str(c.corrupted_policy)),
     ConfigurationError, r"config.json' is corrupted: it is not valid JSON"),
    ("rl-mini-batches", lambda c: _rl(c, num_mini_batches=3),
     ConfigurationError, r"num_mini_batches must divide batch_size \* gradient_accumulation_steps"),
    ("rl-training-args-without-training", lambda c: _rl(c, reward_training_epochs=2),
     ConfigurationError, r"reward_training_epochs only apply with train_custom_reward_model=True"),
    # -- outputs: never destroy what aligntune did not write (issue 10) -------------------------------
    # The working directory holds user files (see _write_cwd_files); the harness checks they are unchanged.
    ("train-output-is-cwd", lambda c: _train(c, output_dir=".", overwrite=True),
     ConfigurationError, r"output_dir='\.' is the current working directory"),
    ("rl-output-is-cwd", lambda c: _rl(c, output_dir=".", overwrite=True),
     ConfigurationError, r"output_dir='\.' is the current working directory"),
    ("train-output-is-the-base-model", lambda c: _train(c, output_dir=str(c.rm), overwrite=True),
     ConfigurationError, r"output_dir=.* is an input of this run"),
    ("train-output-contains-the-base-model", lambda c: _train(c, output_dir=str(c.root), overwrite=True),
     ConfigurationError, r"output_dir=.* contains an input of this run"),
    ("train-output-symlink-to-an-input", lambda c: _train(c, output_dir="link_to_rm", overwrite=True),
     ConfigurationError, r"output_dir='link_to_rm' is an input of this run"),
    ("train-overwrite-a-user-directory", lambda c: _train(c, output_dir="existing_out", overwrite=True),
     ConfigurationError, r"output_dir='existing_out' is not empty and was not written by aligntune"),
    ("train-output-root", lambda c: _train(c, output_dir="/", overwrite=True),
     ConfigurationError, r"output_dir='/' (is|contains) (the filesystem root|the current working directory)"),
    ("train-output-under-a-file", lambda c: _train(c, output_dir="notes.txt/model"),
     ConfigurationError, r"notes.txt is a file, so the directory cannot be created"),
    ("rl-output-a-previous-run", lambda c: _rl(c, output_dir="prev_run", stop_at_eos=False),
     ConfigurationError, r"output_dir 'prev_run' already exists and is not empty.*overwrite=True"),
    ("rl-overwrite-a-user-directory", lambda c: _rl(c, output_dir="existing_out", overwrite=True),
     ConfigurationError, r"output_dir='existing_out' is not empty and was not written by aligntune"),
    ("rl-output-contains-the-prompts", lambda c: _rl(c, output_dir=str(c.root), overwrite=True),
     ConfigurationError, r"output_dir=.* contains an input of this run"),
    ("rl-output-home", lambda c: _rl(c, output_dir="~", overwrite=True),
     ConfigurationError, r"output_dir='~' is your home directory"),
    ("rl-overwrite-not-a-bool", lambda c: _rl(c, overwrite="yes"),
     ConfigurationError, r"RLTrainingConfig.overwrite must be True or False, got str: 'yes'"),
    # -- unusual models: wrong head, wrong label count, missing tokens, too short a context ------------
    ("rl-causal-lm-as-reward-model", lambda c: _rl(c, reward_functions=None, reward_model_path=str(c.causal)),
     ConfigurationError, r"is a BertLMHeadModel .* not a reward model.*randomly initialised score head"),
    ("rl-base-encoder-as-reward-model", lambda c: _rl(c, reward_functions=None, reward_model_path=str(c.policy)),
     ConfigurationError, r"sets neither num_labels nor id2label, so it is not a reward model"),
    ("rl-three-labels-reward-model", lambda c: _rl(c, reward_functions=None, reward_model_path=str(c.three_labels)),
     ConfigurationError, r"is a classifier with num_labels=3, not a reward model"),
    ("scoring-causal-lm", lambda c: __import__("aligntune.reward_model.scoring", fromlist=["x"]).TextRewardModel
     .from_pretrained(str(c.causal)),
     ModelLoadError, r"is a BertLMHeadModel .* not a reward model"),
    ("rl-policy-without-eos", lambda c: _rl(c),
     ConfigurationError, r"the policy's tokenizer declares no end-of-sequence token.*stop_at_eos=False"),
    ("rl-policy-without-pad-or-eos", lambda c: _rl(c, model_name=str(c.no_special), stop_at_eos=False),
     ConfigurationError, r"has neither a pad nor an end-of-sequence token"),
    ("rl-prompt-and-response-past-positions", lambda c: _rl(c, max_prompt_length=200, response_length=100,
                                                            stop_at_eos=False),
     ConfigurationError, r"model_name=.* has 256 positions, fewer than max_prompt_length \+ response_length = "
                         r"200 \+ 100 = 300"),
    ("rl-batch-larger-than-the-prompts", lambda c: _rl(c, batch_size=16, stop_at_eos=False),
     ConfigurationError, r"has 12 prompts, fewer than one batch of .* = 16 \* 1 = 16"),
    ("rl-accumulated-batch-larger-than-the-prompts", lambda c: _rl(c, batch_size=4, gradient_accumulation_steps=4,
                                                                   stop_at_eos=False),
     ConfigurationError, r"has 12 prompts, fewer than one batch of .* = 4 \* 4 = 16"),
    # -- GRPO and RLOO: their own knobs, groups of completions, the backends that run them -------------
    ("rl-grpo-one-generation", lambda c: _rl(c, algorithm="grpo", num_generations=1),
     ConfigurationError, r"num_generations must be at least 2 for grpo, got 1"),
    ("rl-rloo-loss-type", lambda c: _rl(c, algorithm="rloo", loss_type="dapo"),
     ConfigurationError, r"loss_type applies to algorithm 'grpo' only, not 'rloo'"),
    ("rl-grpo-normalize-advantages", lambda c: _rl(c, algorithm="grpo", normalize_advantages=True),
     ConfigurationError, r"normalize_advantages applies to algorithm 'rloo' only, not 'grpo'"),
    ("rl-ppo-beta", lambda c: _rl(c, beta=0.1),
     ConfigurationError, r"beta applies to algorithm 'grpo' or 'rloo' only, not 'ppo' \(PPO's KL coefficient is kl_coef\)"),
    ("rl-grpo-loss-type-typo", lambda c: _rl(c, algorithm="grpo", loss_type="dapoo"),
     ConfigurationError, r"loss_type must be one of \['grpo', 'dr_grpo', 'dapo'"),
    ("rl-grpo-scale-rewards", lambda c: _rl(c, algorithm="grpo", scale_rewards="per-group"),
     ConfigurationError, r"scale_rewards must be one of \['group', 'batch', 'none', True, False\]"),
    ("rl-grpo-keyword-typo", lambda c: _rl(c, algorithm="grpo", num_generation=4),
     ConfigurationError, r"unknown argument 'num_generation'. Did you mean 'num_generations'\?"),
    ("rl-rloo-on-unsloth", lambda c: _rl(c, algorithm="rloo", backend="unsloth"),
     BackendError, r"RL backend 'unsloth' does not support algorithm 'rloo'; it supports: grpo, ppo"),
    ("rl-grpo-batch-larger-than-the-prompts", lambda c: _rl(c, algorithm="grpo", batch_size=13, stop_at_eos=False),
     ConfigurationError, r"has 12 prompts, fewer than one batch of .* = 13 \* 1 = 13"),
    # -- issue 25: what failed after loading, refused before (pre-flight, --dry-run, best-by-gold) -------------
    ("rl-grpo-completion-past-positions", lambda c: _rl(c, algorithm="grpo", max_prompt_length=200,
                                                        max_completion_length=100, stop_at_eos=False),
     ConfigurationError, r"has 256 positions, fewer than max_prompt_length \+ max_completion_length = 200 \+ 100 = 300"),
    ("rl-eval-prompts-hold-out-every-prompt", lambda c: _rl(c, eval_steps=1, eval_prompts=12, stop_at_eos=False),
     ConfigurationError, r"eval_prompts=12 holds out every prompt: the prompts dataset .* has only 12.*at most 8"),
    ("rl-eval-prompts-leave-less-than-a-batch", lambda c: _rl(c, eval_steps=1, eval_prompts=10, stop_at_eos=False),
     ConfigurationError, r"has 12 prompts, and eval_prompts=10 of them are held out for evaluation, leaving 2, fewer "
                         r"than one batch"),
    ("rl-missing-eval-file", lambda c: _rl(c, eval_steps=1, eval_dataset_name="./data/eval.jsonl", stop_at_eos=False),
     DataError, r"eval_dataset_name='./data/eval.jsonl': Dataset file './data/eval.jsonl' does not exist"),
    ("rl-report-to-not-installed", lambda c: _rl(c, report_to="tensorboard", stop_at_eos=False),
     ConfigurationError, r"report_to: the tensorboard integration is not installed.*pip install tensorboard",
     pytest.mark.skipif(__import__("importlib.util").util.find_spec("tensorboard") is not None,
                        reason="tensorboard is installed")),
    ("config-report-to-not-installed", lambda c: _config(c, report_to=["wandb"]),
     ConfigurationError, r"report_to: the wandb integration is not installed .*pip install wandb",
     pytest.mark.skipif(__import__("importlib.util").util.find_spec("wandb") is not None, reason="wandb is installed")),
    ("train-report-to-not-installed", lambda c: _train(c, report_to="wandb"),
     ConfigurationError, r"report_to: the wandb integration is not installed .*pip install wandb",
     pytest.mark.skipif(__import__("importlib.util").util.find_spec("wandb") is not None, reason="wandb is installed")),
    ("rl-report-to-unknown", lambda c: _rl(c, report_to="tensorbord", stop_at_eos=False),
     ConfigurationError, r"'tensorbord' is not a logging integration; use one of .*tensorboard"),
    ("rl-keep-best-gold-without-gold", lambda c: _rl(c, reward_functions=_DROP, reward_model_path=str(c.rm),
                                                     eval_steps=1, eval_prompts=2, keep_best="gold",
                                                     stop_at_eos=False),
     ConfigurationError, r"keep_best='gold' keeps the policy with the best held-out gold, but this run has no gold"),
    ("rl-policy-chat-template-raises", lambda c: _rl(c, model_name=str(c.raising_template),
                                                     dataset_name=str(c.chat_prompts), stop_at_eos=False),
     DataError, r"The chat template of model_name=.* could not render conversation 0 .*the template raised an error: "
                r"'no system role'"),
    ("cli-rl-dry-run-chat-template-raises", _cli("rl", "--config", "chat_rl.yaml", "--dry-run"),
     1, r"could not render conversation 0 .*the template raised an error: 'no system role'"),
    ("train-pairs-without-assistant", lambda c: _train(c, data=_dataset(
        chosen=[[{"role": "user", "content": f"question {i}"}] for i in range(12)],
        rejected=[[{"role": "user", "content": f"other {i}"}] for i in range(12)])),
     DataError, r"chosen\[0\] has no assistant message to score"),
    ("train-chat-prompt-beside-text-pairs", lambda c: _train(c, data=_dataset(
        prompt=[[{"role": "user", "content": f"question {i}"}] for i in range(12)],
        chosen=[f"a good answer {i}" for i in range(12)], rejected=[f"no {i}" for i in range(12)])),
     DataError, r"prompt\[0\] must be a string next to a plain-text chosen"),
    ("eval-chat-prompt-beside-text-pairs", lambda c: __import__("aligntune.reward_model.evaluate", fromlist=["x"])
     .read_pairs([{"prompt": [{"role": "user", "content": "q"}], "chosen": "a", "rejected": "b"}]),
     DataError, r"pair 0: 'prompt' must be a string next to plain-text 'chosen' and 'rejected'"),
    # -- issue 25: reward-model data without signal, aligntune.json values, lone surrogates, the caller's names --
    ("train-identical-texts", lambda c: _train(c, data=_trainer(c).generate_training_data(["The same answer."] * 12)),
     DataError, r"no signal: all 12 texts \('The same answer.' every time\) have the same composite score"),
    ("train-pairs-all-tied", lambda c: _train(c, data=_dataset(chosen=[f"answer {i}" for i in range(12)],
                                                               rejected=[f"answer {i}" for i in range(12)])),
     DataError, r"no signal: chosen == rejected in all 12 pairs"),
    ("data-lone-surrogate", lambda c: _trainer(c).generate_training_data(TEXTS[:11] + ["half \ud800 a pair"]),
     DataError, r"^texts\[11\] holds a lone surrogate \(U\+D800 at character 5\)"),
    ("rl-lone-surrogate-in-training-texts", lambda c: _rl(c, train_custom_reward_model=True,
                                                          reward_training_texts=TEXTS[:11] + ["half \ud800"]),
     DataError, r"^reward_training_texts\[11\] holds a lone surrogate"),
    ("rl-training-texts-named-as-given", lambda c: _rl(c, train_custom_reward_model=True,
                                                       reward_training_texts=TEXTS[:3]),
     ConfigurationError, r"^reward_training_texts needs at least 10 training texts, got 3"),
    ("rl-reward-training-lr-named-as-given", lambda c: _rl(c, train_custom_reward_model=True,
                                                           reward_training_texts=TEXTS, reward_training_lr=-1),
     ConfigurationError, r"^reward_training_lr must be > 0, got -1"),
    ("rl-reward-hub-name-offline-suggests-reward-model-path",
     lambda c: _rl(c, reward_functions=None, reward_model_name="acme/rm-not-cached"),
     ConfigurationError, r"pass a local directory instead, e\.g\. reward_model_path='/path/to/model'"),
    ("cli-train-non-empty-output-names-the-flag", _cli("train-reward-model", "--base-model", "{rm}", "--functions",
                                                       "length", "--bundled-corpus", "--corpus-size", "20",
                                                       "--output-dir", "existing_out"),
     1, r"--output-dir 'existing_out' already exists and is not empty; choose another directory, or pass --overwrite"),
    ("cli-train-learning-rate-named-as-given", _cli("train-reward-model", "--base-model", "{rm}", "--functions",
                                                    "length", "--bundled-corpus", "--corpus-size", "20",
                                                    "--output-dir", "out", "--learning-rate=-1"),
     1, r"Error: --learning-rate must be > 0, got -1"),
    ("scoring-manifest-max-length-0", lambda c: __import__("aligntune.reward_model.scoring", fromlist=["x"])
     .TextRewardModel.from_pretrained(c.max_length_0),
     ModelLoadError, r"rm-max-length-0/aligntune.json: training.max_length must be an integer >= 1 .*got int: 0"),
    ("rl-reward-path-manifest-max-length-0",
     lambda c: _rl(c, reward_functions=None, reward_model_path=str(c.max_length_0)),
     ModelLoadError, r"rm-max-length-0/aligntune.json: training.max_length must be an integer >= 1"),
    ("rl-manifest-gold-rule-not-installed",
     lambda c: _rl(c, reward_functions=None, reward_model_path=str(c.unknown_rule), stop_at_eos=False),
     UnknownRewardFunctionError, r"rm-unknown-rule/aligntune.json names the rules the reward model was trained from "
                                 r"\(reward_functions.functions = \['length', 'no_such_rule'\]\).*gold_reward_functions"),
    ("cli-score-manifest-max-length-0", lambda c: ["rewards", "score", "--model", str(c.max_length_0), "--text", "a"],
     1, r"rm-max-length-0/aligntune.json: training.max_length must be an integer >= 1"),
    # -- unusual numbers: the edges of float and integer range --------------------------------------
    ("config-learning-rate-1e308", lambda c: _config(c, learning_rate=1e308),
     ConfigurationError, r"learning_rate must be at most 1, got 1e\+308"),
    ("rl-learning-rate-1e308", lambda c: _rl(c, learning_rate=1e308),
     ConfigurationError, r"RLTrainingConfig.learning_rate must be at most 1, got 1e\+308"),
    ("train-learning-rate-inf", lambda c: _train(c, learning_rate=math.inf),
     ConfigurationError, r"train_reward_model.learning_rate must be > 0, got inf"),
    ("config-epochs-1e308", lambda c: _config(c, num_epochs=1e308),
     ConfigurationError, r"num_epochs must be at most 1000, got 1e\+308"),
    ("rl-total-episodes-10e30", lambda c: _rl(c, total_episodes=10**30),
     ConfigurationError, r"total_episodes must be at most 1000000000, got 10{30}"),
    ("config-seed-2-to-the-64", lambda c: _config(c, seed=2**64),
     ConfigurationError, r"RewardModelTrainingConfig.seed must be between 0 and 4294967295 .*got 18446744073709551616"),
    ("rl-seed-negative", lambda c: _rl(c, seed=-1),
     ConfigurationError, r"RLTrainingConfig.seed must be between 0 and 4294967295 .*got -1"),
    ("config-weight-inf", lambda c: _config(c, reward_weights=[math.inf]),
     ConfigurationError, r"reward_weights\[0\] must be a positive finite number, got inf"),
    # -- hostile text and files (issue 10) --
    # Invalid UTF-8 is a DataError naming the file and line, in every reader.
    ("cli-score-invalid-utf8-jsonl", _cli("rewards", "score", "--function", "length", "--input", "hostile_utf8.jsonl"),
     1, r"hostile_utf8.jsonl:2 is not UTF-8 text: byte 14 of the line is 0xe9, which is not valid UTF-8"),
    ("cli-score-invalid-utf8-csv", _cli("rewards", "score", "--function", "length", "--input", "hostile_utf8.csv"),
     1, r"hostile_utf8.csv:3 is not a readable CSV file: byte 4 of the line is 0xe9"),
    ("cli-score-utf16-jsonl", _cli("rewards", "score", "--function", "length", "--input", "hostile_utf16.jsonl"),
     1, r"hostile_utf16.jsonl:1 is not UTF-8 text: it is UTF-16 .*re-save the file as UTF-8"),
    ("cli-train-invalid-utf8-txt", _cli("train-reward-model", "--base-model", "{rm}", "--functions", "length",
                                        "--texts", "hostile_utf8.txt", "--output-dir", "out"),
     1, r"--texts: .*hostile_utf8.txt:2 is not UTF-8 text: byte 4 of the line is 0xe9"),
    ("data-invalid-utf8-jsonl", lambda c: _trainer(c).generate_training_data("hostile_utf8.jsonl"),
     DataError, r"hostile_utf8.jsonl:2 is not UTF-8 text"),
    ("rl-prompts-invalid-utf8", lambda c: _rl(c, dataset_name="hostile_prompts_utf8.jsonl"),
     DataError, r"hostile_prompts_utf8.jsonl:2 is not UTF-8 text"),
    # Empty files: no training texts, no prompts, no config.
    ("cli-train-empty-texts-file", _cli("train-reward-model", "--base-model", "{rm}", "--functions", "length",
                                        "--texts", "hostile_empty.jsonl", "--output-dir", "out"),
     1, r"--texts: 'hostile_empty.jsonl' holds no texts .*at least 10 training texts"),
    ("cli-train-blank-txt", _cli("train-reward-model", "--base-model", "{rm}", "--functions", "length",
                                 "--texts", "hostile_blank.txt", "--output-dir", "out"),
     1, r"holds no texts \(it is empty, or every line is blank\)"),
    ("data-empty-texts-file", lambda c: _trainer(c).generate_training_data("hostile_empty.jsonl"),
     DataError, r"'hostile_empty.jsonl' has no rows .*at least 10 training texts"),
    ("rl-empty-prompts-file", lambda c: _rl(c, dataset_name="hostile_empty.jsonl"),
     DataError, r"'hostile_empty.jsonl' is empty: it has no prompts"),
    ("rl-header-only-prompts-csv", lambda c: _rl(c, dataset_name="hostile_header_only.csv"),
     DataError, r"'hostile_header_only.csv' has no prompts \(no rows\)"),
    ("rl-null-prompt", lambda c: _rl(c, dataset_name="hostile_null_prompt.jsonl"),
     DataError, r"Row 1 of column 'prompt' in file .*hostile_null_prompt.jsonl' is not a non-empty string: None"),
    ("cli-ppo-empty-config", _cli("ppo", "--config", "hostile_empty.yaml"),
     1, r"Config file 'hostile_empty.yaml' is empty; it must hold a mapping of create_rl_trainer arguments"),
    ("cli-train-empty-config", _cli("train-reward-model", "--config", "hostile_empty.yaml", "--base-model", "{rm}"),
     1, r"Missing required field\(s\) .*\(the config file 'hostile_empty.yaml' is empty\)"),
    # Lines and fields of the wrong shape; the message stays short whatever the value's size.
    ("cli-score-jsonl-array-line", _cli("rewards", "score", "--function", "length", "--input", "hostile_array.jsonl"),
     1, r"hostile_array.jsonl:1 must be a JSON object .*got list: \[1, 2\]"),
    ("cli-score-jsonl-string-line", _cli("rewards", "score", "--function", "length", "--input", "hostile_string.jsonl"),
     1, r"hostile_string.jsonl:2 must be a JSON object .*got str: 'x'"),
    ("cli-score-number-text", _cli("rewards", "score", "--function", "length", "--input", "hostile_number.jsonl"),
     1, r"hostile_number.jsonl:1: 'text' must be a string, got int: 5"),
    ("cli-score-list-text", _cli("rewards", "score", "--function", "length", "--input", "hostile_list.jsonl"),
     1, r"hostile_list.jsonl:1: 'text' must be a string, got list: \['a', 'b'\]"),
    ("cli-score-csv-duplicate-header", _cli("rewards", "score", "--function", "length", "--input", "hostile_dup.csv"),
     1, r"hostile_dup.csv:1: the header names the column\(s\) \['text'\] more than once"),
    ("cli-score-csv-ragged-row", _cli("rewards", "score", "--function", "length", "--input", "hostile_ragged.csv"),
     1, r"hostile_ragged.csv:3 has 3 field\(s\) but the header names 2 column\(s\)"),
    ("cli-score-jsonl-too-deep", _cli("rewards", "score", "--function", "length", "--input", "hostile_deep.jsonl"),
     1, r"hostile_deep.jsonl:1 is nested too deeply to read as JSON"),
    ("cli-score-jsonl-huge-integer", _cli("rewards", "score", "--function", "length", "--input", "hostile_int.jsonl"),
     1, r"hostile_int.jsonl:1 is not readable JSON: .*4300"),
    ("cli-score-lone-surrogate", _cli("rewards", "score", "--function", "length", "--input", "hostile_surrogate.jsonl"),
     1, r"hostile_surrogate.jsonl:1: 'text' holds a lone surrogate \(U\+D800 at character 5\)"),
    ("cli-score-raw-nul-in-json", _cli("rewards", "score", "--function", "length", "--input", "hostile_nul.jsonl"),
     1, r"hostile_nul.jsonl:1 is not valid JSON: Invalid control character at column 12 \(control characters inside"),
    ("cli-score-10mb-list-text", lambda c: ["rewards", "score", "--function", "length", "--input",
                                            str(c.root.parent / "hostile-text" / "hostile_10mb.jsonl")],
     1, r"hostile_10mb.jsonl:1: 'text' must be a string, got list: \[1, 1, [^\n]{0,300}$"),
    # The YAML readers of train-reward-model and ppo: one line, before anything else runs.
    ("cli-train-config-not-utf8", _cli("train-reward-model", "--config", "hostile_latin1.yaml"),
     1, r"hostile_latin1.yaml:2 is not UTF-8 text: byte 16 of the line is 0xe9"),
    ("cli-ppo-config-not-utf8", _cli("ppo", "--config", "hostile_latin1.yaml", "--dry-run"),
     1, r"hostile_latin1.yaml:2 is not UTF-8 text"),
    ("cli-train-config-tab", _cli("train-reward-model", "--config", "hostile_tab.yaml"),
     1, r"'hostile_tab.yaml' is not valid YAML at line 3, column 1: .*'\\t'.*indent YAML with spaces, not tabs$"),
    ("cli-ppo-config-tab", _cli("ppo", "--config", "hostile_tab.yaml"),
     1, r"'hostile_tab.yaml' is not valid YAML at line 3, column 1: .*indent YAML with spaces, not tabs$"),
    ("cli-train-config-directory", _cli("train-reward-model", "--config", "existing_out"),
     1, r"Config file 'existing_out' is a directory; give a YAML file"),
    ("cli-ppo-config-directory", _cli("ppo", "--config", "existing_out", "--dry-run"),
     1, r"Config file 'existing_out' is a directory; give a YAML file"),
    ("cli-train-config-billion-laughs", _cli("train-reward-model", "--config", "hostile_laughs.yaml"),
     1, r"'hostile_laughs.yaml': its YAML aliases \(\*name\) expand it to more than 1,000,000 values"),
    ("cli-ppo-config-billion-laughs", _cli("ppo", "--config", "hostile_laughs.yaml", "--dry-run"),
     1, r"'hostile_laughs.yaml': its YAML aliases \(\*name\) expand it to more than 1,000,000 values"),
    ("cli-ppo-config-self-alias", _cli("ppo", "--config", "hostile_self.yaml", "--dry-run"),
     1, r"'hostile_self.yaml' has an alias inside the value it names"),
    ("cli-ppo-config-number-key", _cli("ppo", "--config", "hostile_int_key.yaml", "--dry-run"),
     1, r"every key must be a create_rl_trainer argument name, got int key 1"),
    ("cli-train-bundled-corpus-string", _cli("train-reward-model", "--config", "hostile_bundled.yaml"),
     1, r"bundled_corpus must be true or false, got str: 'no'"),
    # --output may not be the input (nor a link to it), nor a directory.
    ("cli-score-output-is-input", _cli("rewards", "score", "--function", "length", "--input", "t.jsonl",
                                       "--output", "t.jsonl"),
     1, r"--output 't.jsonl' is also the input; writing it would destroy the input"),
    ("cli-score-output-links-to-input", _cli("rewards", "score", "--function", "length", "--input", "t.jsonl",
                                             "--output", "hostile_link.jsonl"),
     1, r"--output 'hostile_link.jsonl' is also the input"),
    ("cli-score-output-is-a-directory", _cli("rewards", "score", "--function", "length", "--text", "a",
                                             "--output", "existing_out"),
     2, r"'existing_out' is a directory"),
    # -- end hostile text --
    # -- the command line (exit status, fragment) ------------------------------------------------
    ("cli-score-typo", _cli("rewards", "score", "--function", "lenght", "--text", "hi"),
     1, r"Did you mean 'length'\?"),
    ("cli-score-text-and-input", _cli("rewards", "score", "--function", "length", "--text", "a", "--input", "t.jsonl"),
     1, r"--text, or a file with --input \(not both\)"),
    ("cli-score-no-scorer", _cli("rewards", "score", "--text", "a"),
     1, r"--function NAME\[,NAME...\] or --model DIR \(exactly one\)"),
    ("cli-score-bad-weights", _cli("rewards", "score", "--function", "length", "--weights", "1,x", "--text", "a"),
     1, r"--weights must be comma-separated numbers, got '1,x'"),
    ("cli-score-model-twice", _cli("rewards", "score", "--model", "a", "--model", "b", "--text", "a"),
     2, r"Invalid value for '--model': given 2 times \('a', 'b'\); give it once"),
    ("cli-score-function-without-a-name", _cli("rewards", "score", "--function", " , ", "--text", "a"),
     1, r"--function needs at least one reward function name, got ' , '"),
    ("cli-score-missing-input", _cli("rewards", "score", "--function", "length", "--input", "missing.jsonl"),
     1, r"'missing.jsonl' does not exist"),
    ("cli-score-bad-jsonl", _cli("rewards", "score", "--function", "length", "--input", "broken.jsonl"),
     1, r"broken.jsonl:2 is not valid JSON"),
    ("cli-score-missing-model", _cli("rewards", "score", "--model", "./models/none", "--text", "a"),
     1, r"'./models/none' does not exist"),
    ("cli-score-error-creates-no-output", _cli("rewards", "score", "--function", "nope", "--text", "a",
                                               "--output", "scores.jsonl"),
     1, r"Unknown reward function 'nope'"),
    ("cli-score-zero-batch", _cli("rewards", "score", "--function", "length", "--text", "a", "--batch-size", "0"),
     2, r"0 is not in the range x>=1"),
    ("cli-train-missing-config", _cli("train-reward-model", "--config", "missing.yaml"),
     1, r"Cannot read config file 'missing.yaml'"),
    ("cli-train-unknown-field", _cli("train-reward-model", "--config", "unknown_field.yaml"),
     1, r"Unknown field\(s\) \['learning_rat'\]"),
    ("cli-train-3-texts", _cli("train-reward-model", "--base-model", "{rm}", "--functions", "length", "--texts",
                               "three.jsonl", "--output-dir", "out"),
     1, r"needs at least 10 training texts, got 3"),
    ("cli-train-bad-weights", _cli("train-reward-model", "--base-model", "{rm}", "--functions", "length",
                                   "--weights", "heavy", "--bundled-corpus", "--output-dir", "out"),
     1, r"--weights must be comma-separated numbers, got 'heavy'"),
    ("cli-train-non-empty-output", _cli("train-reward-model", "--base-model", "{rm}", "--functions", "length",
                                        "--bundled-corpus", "--corpus-size", "20", "--output-dir", "existing_out"),
     1, r"'existing_out' already exists and is not empty"),
    ("cli-ppo-missing-config", _cli("ppo", "--config", "missing.yaml"),
     2, r"'missing.yaml' does not exist"),
    ("cli-ppo-typo", _cli("ppo", "--config", "ppo.yaml", "--set", "learning_rat=1e-5"),
     1, r"unknown argument 'learning_rat'. Did you mean 'learning_rate'\?"),
    ("cli-ppo-bad-set", _cli("ppo", "--config", "ppo.yaml", "--set", "learning_rate"),
     1, r"--set expects KEY=VALUE, got 'learning_rate'"),
    ("cli-ppo-list-config", _cli("ppo", "--config", "list.yaml"),
     1, r"must hold a mapping of create_rl_trainer arguments"),
    ("cli-ppo-dry-run-bad-backend", _cli("ppo", "--config", "ppo.yaml", "--set", "backend=unsloth", "--dry-run"),
     1, r"RL backend 'unsloth' cannot run on this machine"),
]


# -- the harness --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, tiny_bert_dir):
    """Model directories and data the rows point at (built once; they must stay unchanged)."""
    import shutil

    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from aligntune.rewards.training import RewardModelTrainer

    root = tmp_path_factory.mktemp("bad-inputs")
    rm = root / "rm"
    tokenizer = AutoTokenizer.from_pretrained(tiny_bert_dir)
    model = AutoModelForSequenceClassification.from_pretrained(tiny_bert_dir, num_labels=1)
    model.config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(rm)
    tokenizer.save_pretrained(rm)
    policy = root / "policy"
    shutil.copytree(tiny_bert_dir, policy)  # only checked by the rows, never loaded
    no_tokenizer = root / "no-tokenizer"
    no_tokenizer.mkdir()
    for name in ("config.json", "model.safetensors"):
        shutil.copy(rm / name, no_tokenizer / name)
    corrupted_policy = root / "corrupted-policy"
    shutil.copytree(policy, corrupted_policy)
    (corrupted_policy / "config.json").write_text('{"model_type": "gpt2", "n_embd": ')
    empty_dir = root / "empty"
    empty_dir.mkdir()
    causal = root / "causal-lm"  # a decoder with an LM head: no score head, no labels
    shutil.copytree(policy, causal)
    causal_config = json.loads((causal / "config.json").read_text())
    causal_config.update(architectures=["BertLMHeadModel"], is_decoder=True)
    (causal / "config.json").write_text(json.dumps(causal_config))
    three_labels = root / "three-labels"
    shutil.copytree(rm, three_labels)
    labels_config = json.loads((three_labels / "config.json").read_text())
    labels_config.update(id2label={str(i): f"l{i}" for i in range(3)}, label2id={f"l{i}": i for i in range(3)})
    (three_labels / "config.json").write_text(json.dumps(labels_config))
    no_special = root / "no-special-tokens"  # a policy whose tokenizer declares neither pad nor eos
    shutil.copytree(policy, no_special)
    (no_special / "special_tokens_map.json").unlink(missing_ok=True)
    tok_config = json.loads((no_special / "tokenizer_config.json").read_text())
    tok_config.pop("pad_token", None)
    tok_config.pop("eos_token", None)
    (no_special / "tokenizer_config.json").write_text(json.dumps(tok_config))
    prompts = root / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": t}) + "\n" for t in TEXTS), encoding="utf-8")
    no_prompt_column = root / "no_prompt.jsonl"
    no_prompt_column.write_text("".join(json.dumps({"id": i, "score": 1}) + "\n" for i in range(4)), encoding="utf-8")
    raising_template = root / "raising-template"  # a policy whose chat template raises on every conversation
    shutil.copytree(policy, raising_template)
    tok_config = json.loads((raising_template / "tokenizer_config.json").read_text())
    tok_config["chat_template"] = "{{ raise_exception('no system role') }}"
    (raising_template / "tokenizer_config.json").write_text(json.dumps(tok_config))
    chat_prompts = root / "chat_prompts.jsonl"
    chat_prompts.write_text("".join(json.dumps({"messages": [{"role": "user", "content": t}]}) + "\n" for t in TEXTS),
                            encoding="utf-8")
    max_length_0 = root / "rm-max-length-0"  # a reward model whose aligntune.json says max_length: 0
    shutil.copytree(rm, max_length_0)
    (max_length_0 / "aligntune.json").write_text(json.dumps({"training": {"max_length": 0}}), encoding="utf-8")
    unknown_rule = root / "rm-unknown-rule"  # its aligntune.json names a rule that is not installed
    shutil.copytree(rm, unknown_rule)
    (unknown_rule / "aligntune.json").write_text(
        json.dumps({"reward_functions": {"functions": ["length", "no_such_rule"], "weights": [1, 1]}}), encoding="utf-8")
    data = RewardModelTrainer(str(rm), ["length"]).generate_training_data(TEXTS)
    return SimpleNamespace(rm=rm, policy=policy, no_tokenizer=no_tokenizer, empty_dir=empty_dir, prompts=prompts,
                           corrupted_policy=corrupted_policy, causal=causal, three_labels=three_labels,
                           no_special=no_special, raising_template=raising_template, chat_prompts=chat_prompts,
                           no_prompt_column=no_prompt_column, data=data, root=root, max_length_0=max_length_0,
                           unknown_rule=unknown_rule)


def _write_cwd_files(c: Any) -> None:
    """Files some rows refer to by relative path (written before the snapshot)."""
    Path("existing_out").mkdir()
    Path("existing_out/keep.txt").write_text("keep me")
    Path("prev_run/policy").mkdir(parents=True)  # a previous PPO run, with a user's file inside
    Path("prev_run/aligntune-output.json").write_text('{"written_by": "aligntune", "kind": "rl_run"}')
    Path("prev_run/policy/my_notes.txt").write_text("mine")
    Path("link_to_rm").symlink_to(c.rm, target_is_directory=True)
    Path("notes.txt").write_text("a file, not a directory")
    Path("t.jsonl").write_text(json.dumps({"text": "hello"}) + "\n")
    Path("broken.jsonl").write_text(json.dumps({"text": "ok"}) + "\n{not json\n")
    Path("three.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in TEXTS[:3]))
    Path("unknown_field.yaml").write_text("learning_rat: 0.1\n")
    Path("list.yaml").write_text("- model_name: x\n")
    Path("ppo.yaml").write_text(
        f"model_name: {c.policy}\ndataset_name: {c.prompts}\nreward_functions: [length]\noutput_dir: ppo_out\n"
    )
    Path("chat_rl.yaml").write_text(
        f"model_name: {c.raising_template}\ndataset_name: {c.chat_prompts}\nalgorithm: grpo\n"
        "reward_functions: [length]\noutput_dir: rl_out\nstop_at_eos: false\n"
    )
    # -- hostile text and files (issue 10) --
    hostile = {
        "hostile_utf8.jsonl": b'{"text": "ok"}\n{"text": "caf\xe9"}\n',
        "hostile_utf8.csv": b"text\nok\ncaf\xe9\n",
        "hostile_utf8.txt": b"ok\ncaf\xe9\n",
        "hostile_utf16.jsonl": '{"text": "ok"}\n'.encode("utf-16"),
        "hostile_prompts_utf8.jsonl": b'{"prompt": "ok"}\n{"prompt": "caf\xe9"}\n',
        "hostile_empty.jsonl": b"",
        "hostile_blank.txt": b"\n  \n\t\n",
        "hostile_header_only.csv": b"prompt,id\n",
        "hostile_null_prompt.jsonl": b'{"prompt": "ok"}\n{"prompt": null}\n',
        "hostile_empty.yaml": b"",
        "hostile_array.jsonl": b"[1, 2]\n",
        "hostile_string.jsonl": b'{"text": "ok"}\n"x"\n',
        "hostile_number.jsonl": b'{"text": 5}\n',
        "hostile_list.jsonl": b'{"text": ["a", "b"]}\n',
        "hostile_dup.csv": b"text,id,text\na,1,b\n",
        "hostile_ragged.csv": b"text,id\na,1\nb,2,extra\n",
        "hostile_deep.jsonl": b"[" * 100_000 + b"\n",
        "hostile_int.jsonl": b'{"text": "a", "id": ' + b"9" * 5000 + b"}\n",
        "hostile_surrogate.jsonl": b'{"text": "half \\ud800 a pair"}\n',
        "hostile_nul.jsonl": b'{"text": "a\x00b"}\n',
        "hostile_latin1.yaml": "output_dir: out\nbase_model: caf\xe9\n".encode("latin-1"),
        "hostile_tab.yaml": b"output_dir: out\nbackend_options:\n\tx: 1\n",
        "hostile_self.yaml": b"model_name: x\nreward_functions: &r [length, *r]\n",
        "hostile_int_key.yaml": b"model_name: x\n1: 2\n",
        "hostile_bundled.yaml": b"bundled_corpus: 'no'\n",
    }
    laughs = "&a [" + ", ".join(["x"] * 9) + "]"
    for prev, name in zip("abcdefgh", "bcdefghi"):
        laughs = f"&{name} [{laughs}, " + ", ".join(f"*{prev}" for _ in range(8)) + "]"
    hostile["hostile_laughs.yaml"] = f"model_name: x\nreward_functions: {laughs}\n".encode()
    for name, content in hostile.items():
        Path(name).write_bytes(content)
    Path("hostile_link.jsonl").symlink_to("t.jsonl")
    big = c.root.parent / "hostile-text" / "hostile_10mb.jsonl"  # written once, outside the hashed snapshot
    if not big.exists():
        big.parent.mkdir(exist_ok=True)
        big.write_text('{"text": [' + "1, " * (10 * 1024 * 1024 // 3) + "1]}\n", encoding="utf-8")
    # -- end hostile text --


def _snapshot(*roots: Path) -> dict[str, tuple[int, int, str]]:
    """Every path under ``roots`` with its size, modification time and content hash."""
    import hashlib

    out = {}
    for root in roots:
        for path in [root, *root.rglob("*")]:
            st = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
            out[str(path)] = (st.st_size if path.is_file() else -1, st.st_mtime_ns, digest)
    return out


@pytest.fixture
def load_counter(monkeypatch):
    """Count every transformers from_pretrained call (models, tokenizers, configs)."""
    import transformers.models.auto.modeling_auto as auto
    from transformers import AutoConfig, AutoTokenizer, PretrainedConfig, PreTrainedModel
    from transformers.tokenization_utils_base import PreTrainedTokenizerBase

    calls: list[str] = []
    owners = [PreTrainedModel, PreTrainedTokenizerBase, PretrainedConfig, AutoTokenizer, AutoConfig,
              auto.AutoModelForSequenceClassification, auto.AutoModelForCausalLM, auto.AutoModel]
    for owner in owners:
        original = owner.__dict__.get("from_pretrained") or getattr(owner, "from_pretrained")
        func = getattr(original, "__func__", original)

        def counting(cls, *args, _func=func, **kwargs):
            calls.append(f"{cls.__name__}.from_pretrained{args[:1]!r}")
            return _func(cls, *args, **kwargs)

        monkeypatch.setattr(owner, "from_pretrained", classmethod(counting))
    return calls


@pytest.mark.parametrize(
    ("call", "expected", "fragment"),
    [pytest.param(*row[1:4], marks=row[4:], id=row[0]) for row in ROWS],
)
def test_bad_input(call, expected, fragment, inputs, load_counter, tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    _write_cwd_files(inputs)
    before = _snapshot(cwd, inputs.root)
    registered = set(_registry().list_reward_functions())

    if isinstance(expected, int):
        from click.testing import CliRunner

        from aligntune.cli import main

        result = CliRunner().invoke(main, call(inputs))
        assert result.exit_code == expected, result.output
        assert isinstance(result.exception, SystemExit), f"a traceback instead of a message: {result.exception!r}"
        assert "Traceback" not in result.output
        assert __import__("re").search(fragment, result.output), result.output
    else:
        with pytest.raises(expected, match=fragment) as info:
            call(inputs)
        assert isinstance(info.value, expected)

    assert load_counter == [], f"loaded before refusing: {load_counter}"
    assert _snapshot(cwd, inputs.root) == before, "something was written to disk"
    assert set(_registry().list_reward_functions()) == registered, "a refused registration stayed registered"


def test_the_table_is_large_and_covers_every_entry_point():
    assert len(ROWS) >= 40
    assert len({row[0] for row in ROWS}) == len(ROWS)
    prefixes = {row[0].split("-")[0] for row in ROWS}
    assert {"registry", "config", "trainer", "data", "train", "source", "rl", "cli"} <= prefixes
    assert os.environ.get("HF_HUB_OFFLINE") == "1"


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(["x"] * 1_000_000, id="a million-item list"),
        pytest.param("w" * 10_000_000, id="a 10 MB string"),
        pytest.param(__import__("functools").reduce(lambda inner, _: [inner] * 9, range(9), ["x"] * 9),
                     id="nine levels of shared lists (YAML aliases)"),
        pytest.param({f"k{i}": i for i in range(100_000)}, id="a 100,000-key dict"),
    ],
)
def test_error_messages_stay_short_whatever_the_value(value, inputs):
    """Every message shows a bounded view of the bad value (type, size, a cut repr), quickly."""
    import time

    from aligntune.core.rl.config import RewardModelSourceConfig, RewardModelTrainingConfig

    calls = [
        lambda: RewardModelTrainingConfig(base_model_name=str(inputs.rm), training_texts=TEXTS, reward_functions=value,
                                          output_dir="out"),
        lambda: RewardModelTrainingConfig(base_model_name=str(inputs.rm), training_texts=TEXTS,
                                          reward_functions=["length"], output_dir="out", learning_rate=value),
        lambda: _rl(inputs, learning_rate=value),
        lambda: _rl(inputs, reward_function_weights=value),
        lambda: RewardModelSourceConfig(source_type="pretrained_local", model_path=str(inputs.rm), options=value)
        and _rl(inputs, reward_source=value),
        lambda: _trainer(inputs, functions=["length"], seed=value),
    ]
    for call in calls:
        started = time.perf_counter()
        with pytest.raises(ConfigurationError) as info:
            call()
        assert len(str(info.value)) < 1_000, str(info.value)[:2_000]
        assert time.perf_counter() - started < 5
