"""The end-to-end demo.

1. Build a small GPT-2 policy locally (a byte-level BPE tokenizer trained on the bundled
   corpus, so its tokenizer differs from MiniLM's) and warm it up on the corpus's well-formed
   answers (coherent, longer than a fragment; rude, unsafe, refusing and off-topic ones
   included) so it writes English sentences that RL can then make polite, safe and helpful.
2. ``create_rl_trainer(train_custom_reward_model=True, backend="trl", ...)``: train a
   reward model from the five basic reward functions on the bundled corpus, starting
   from the bundled MiniLM, then run PPO (``algorithm="grpo"`` or ``"rloo"``: GRPO or
   RLOO) against it. The reward crosses tokenizers: policy ids (GRPO/RLOO: completion
   texts) are decoded and re-encoded by MiniLM's tokenizer.
3. Print the reward model's fidelity, the reward at the start and end of RL (the per-step
   mean) and a fixed evaluation on held-out prompts before and after RL (every rule, the
   answers' length and marker density, three answers), save both models, the plots
   and ``demo_summary.json``, and a ``ppo_config.yaml`` that reruns the same flow with
   ``aligntune ppo --config`` (GRPO/RLOO: ``aligntune rl --config``; the file names the
   algorithm).

Defaults finish in well under 15 minutes on 2 CPU cores. The summary's keys are named
after the algorithm (``ppo_steps``, or ``grpo_steps`` with ``"algorithm": "grpo"``).
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aligntune.data.corpus import load_bundled_corpus
from aligntune.data.heldout import load_heldout_prompts, load_validation_prompts
from aligntune.demo.evaluate import PolicyEval, compare, evaluate_policy
from aligntune.demo.report import print_summary, say
from aligntune.demo.settings import POLICY, REWARD_TRAINING, RL_SETTINGS
from aligntune.demo.tiny_policy import build_tiny_policy, warm_up
from aligntune.atomic import fresh_run_directory
from aligntune.errors import ConfigurationError, show
from aligntune.outputs import check_output_dir
from aligntune.rewards.composite import CompositeReward
from aligntune.rl.factory import create_rl_trainer

logger = logging.getLogger(__name__)

#: Where one sentence of a corpus answer ends and the next begins.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
FUNCTIONS = ["length", "sentiment", "safety", "coherence", "helpfulness"]
#: RL evaluates the policy on the validation prompts every so many steps and saves the best by gold.
VALIDATION_EVERY = 16
VALIDATION_SAMPLES = 1
WEIGHTS = [0.15, 0.15, 0.35, 0.20, 0.15]


@contextmanager
def _torch_threads(n: int) -> Iterator[None]:
    """Run tiny-model work on ``n`` intra-op threads (more threads only add sync overhead there)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def run_demo(
    output_dir: str | os.PathLike[str] = "./aligntune_demo",
    *,
    corpus_size: int = int(REWARD_TRAINING["corpus_size"]),
    warmup_steps: int = int(POLICY["warmup_steps"]),
    reward_epochs: float = REWARD_TRAINING["num_epochs"],
    reward_max_length: int = int(REWARD_TRAINING["max_length"]),
    ppo_episodes: int | None = None,
    ppo_batch_size: int | None = None,
    response_length: int = 40,
    learning_rate: float | None = None,
    kl_coef: float | None = None,
    seed: int = 0,
    overwrite: bool = False,
    reward_base_model: str | None = None,
    eval_prompts: int | None = None,
    eval_samples: int = 4,
    algorithm: str = "ppo",
    num_generations: int | None = None,
) -> dict[str, Any]:
    """Run the demo into ``output_dir``; returns (and saves) the summary dict.

    ``algorithm``: ``"ppo"``, ``"grpo"`` or ``"rloo"``. ``ppo_episodes``, ``ppo_batch_size``,
    ``learning_rate``, ``num_generations`` (GRPO/RLOO) and ``kl_coef`` (PPO's) default to
    :data:`aligntune.demo.settings.RL_SETTINGS` for the algorithm.
    ``reward_base_model`` defaults to the bundled MiniLM; the other arguments size the
    run (the defaults take a few minutes on 2 CPU cores). The start and the saved policy answer
    the first ``eval_prompts`` (default: all 64) test prompts of
    :mod:`aligntune.data.heldout`, ``eval_samples`` times each, and the summary compares their
    rule composite (the gold), the composite without ``length``, and the reward model (the proxy).
    """
    if algorithm not in RL_SETTINGS:
        raise ConfigurationError(f"The demo runs algorithm 'ppo', 'grpo' or 'rloo', got {show(algorithm)}")
    rl = RL_SETTINGS[algorithm]
    ppo_episodes = int(rl["episodes"]) if ppo_episodes is None else ppo_episodes
    ppo_batch_size = int(rl["batch_size"]) if ppo_batch_size is None else ppo_batch_size
    learning_rate = float(rl["learning_rate"]) if learning_rate is None else learning_rate
    kl_coef = float(RL_SETTINGS["ppo"]["kl_coef"]) if kl_coef is None else kl_coef
    if algorithm != "ppo" and num_generations is None:
        num_generations = int(rl["num_generations"])

    # the ownership rule of every output: an earlier demo (aligntune's marker) is replaced on overwrite, whole
    # and atomically; a folder aligntune did not write, the home directory or the current one never is
    out = check_output_dir(output_dir, overwrite=overwrite,
                           fix="pass overwrite=True (python -m aligntune.demo --overwrite) to replace an earlier demo")
    fresh_run_directory(out, kind="demo")
    started = time.perf_counter()
    timings: dict[str, float] = {}

    corpus = load_bundled_corpus(corpus_size, seed=seed)
    prompts = sorted(set(corpus.prompts))
    _write_inputs(out, corpus, prompts)

    say(f"[1/3] Building a GPT-2 policy ({POLICY['n_layer']} layers, width {POLICY['hidden']}) with its own BPE "
        f"tokenizer, warmed up on the corpus's well-formed answers")
    t = time.perf_counter()
    policy_dir = out / "policy_init"
    build_tiny_policy(policy_dir, corpus.texts + corpus.prompts, vocab_size=int(POLICY["vocab_size"]),
                      n_layer=int(POLICY["n_layer"]), hidden=int(POLICY["hidden"]), n_head=int(POLICY["n_head"]),
                      seed=seed)
    examples = well_formed_examples(corpus, _tokenizer(policy_dir), answer_tokens=response_length - 4)
    with _torch_threads(1):
        done = warm_up(policy_dir, examples, steps=warmup_steps, batch_size=int(POLICY["batch_size"]),
                       learning_rate=float(POLICY["learning_rate"]), max_length=int(POLICY["max_length"]), seed=seed)
    timings["policy"] = time.perf_counter() - t
    say(f"      warm-up: {len(examples)} answers, {done.steps} steps, {done.tokens:,} tokens, loss {done.loss:.3f} "
        f"({timings['policy']:.0f}s)")
    config = _ppo_arguments(out, policy_dir, reward_epochs, reward_max_length, ppo_episodes, ppo_batch_size,
                            response_length, learning_rate, kl_coef, seed)
    if algorithm != "ppo":
        config = _group_arguments(config, algorithm, num_generations, out)
    if reward_base_model is not None:
        config["reward_training_base_model"] = str(reward_base_model)
    _write_yaml(out / "ppo_config.yaml", config)
    config["reward_training_texts"] = corpus.texts
    config["reward_training_prompts"] = corpus.prompts  # safety and helpfulness judge an answer against its prompt
    trainer = create_rl_trainer(**config)

    say("[2/3] Training the reward model from the five rules (MiniLM base)")
    t = time.perf_counter()
    trainer.load_reward()
    timings["reward_model"] = time.perf_counter() - t
    fidelity = getattr(trainer.reward_model_path, "fidelity", None)
    say(f"      fidelity on held-out texts: {fidelity.summary() if fidelity else 'n/a'} ({timings['reward_model']:.0f}s)")


    rules = CompositeReward(FUNCTIONS, WEIGHTS)
    held_out = load_heldout_prompts()[:eval_prompts]
    count_markers = _marker_counter(rules)
    with _torch_threads(1):
        def evaluate(model_dir: str) -> PolicyEval:
            return evaluate_policy(model_dir, held_out, reward_model=trainer.reward_model, rules=rules,
                                   max_new_tokens=response_length, temperature=0.7, seed=seed,
                                   samples_per_prompt=eval_samples, count_markers=count_markers)

        before = evaluate(str(policy_dir))

        if algorithm == "ppo":
            say(f"[3/3] PPO with backend='trl' ({ppo_episodes} episodes, cross-tokenizer reward)")
        else:
            say(f"[3/3] {algorithm.upper()} with backend='trl' ({ppo_episodes} completions, {num_generations} per "
                 f"prompt, cross-tokenizer reward)")
        t = time.perf_counter()
        result = trainer.train()
        policy_path = trainer.save_model()
        timings[algorithm] = time.perf_counter() - t
        after = evaluate(policy_path)
    held_out_gain = compare(before, after, seed=seed)
    monitor = json.loads(Path(result.metrics_path).read_text(encoding="utf-8"))["summary"].get("monitor", {})

    quarter = max(1, result.steps // 4)
    summary = {
        **({} if algorithm == "ppo" else {"algorithm": algorithm}),  # the PPO summary keeps its keys
        "reward_model": str(trainer.reward_model_path),
        "fidelity": fidelity.as_dict() if fidelity else None,
        "policy": policy_path,
        f"{algorithm}_steps": result.steps,
        f"{algorithm}_reward_first_step": result.reward_start,
        f"{algorithm}_reward_last_step": result.reward_end,
        f"{algorithm}_reward_first_quarter": _mean(s["reward_mean"] for s in result.history[:quarter]),
        f"{algorithm}_reward_last_quarter": _mean(s["reward_mean"] for s in result.history[-quarter:]),
        "held_out": held_out_gain,
        "kept_step": result.kept_step,
        "kept": result.kept,
        "kept_validation_gold": monitor.get("kept_gold"),
        "length_target_words": _length_range(rules),
        "rules": FUNCTIONS,
        "weights": WEIGHTS,
        "samples_before": before.samples,
        "samples_after": after.samples,
        "reward_curve": result.plot_path,
        "metrics": result.metrics_path,
        # GRPO/RLOO score completion texts, always re-encoded for the reward model
        "fast_path": trainer.adapter.token_reward.fast_path if algorithm == "ppo" else False,
        "eval_prompts": len(held_out),
        "eval_samples_per_prompt": eval_samples,
        "timings_s": {**timings, "total": time.perf_counter() - started},
    }
    (out / "demo_summary.json").write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
    print_summary(summary, algorithm)
    return summary


def _ppo_arguments(out: Path, policy_dir: Path, reward_epochs: float, reward_max_length: int, episodes: int,
                   batch_size: int, response_length: int, learning_rate: float, kl_coef: float,
                   seed: int) -> dict[str, Any]:
    return {
        "model_name": str(policy_dir),
        "dataset_name": str(out / "prompts.jsonl"),
        "algorithm": "ppo",
        "backend": "trl",
        "train_custom_reward_model": True,
        "reward_training_texts": str(out / "corpus.jsonl"),
        "reward_functions": FUNCTIONS,
        "reward_function_weights": WEIGHTS,
        "reward_training_output_dir": str(out / "reward_model"),
        "reward_training_epochs": reward_epochs,
        "reward_training_min_score_gap": REWARD_TRAINING["min_score_gap"],
        "reward_training_lr": REWARD_TRAINING["learning_rate"],
        "reward_training_batch_size": REWARD_TRAINING["batch_size"],
        "reward_training_augment_copies": REWARD_TRAINING["augment_copies"],
        "reward_training_max_length": reward_max_length,
        "output_dir": str(out / "ppo"),
        "total_episodes": episodes,
        "batch_size": batch_size,
        "learning_rate": learning_rate,
        "response_length": response_length,
        "kl_coef": kl_coef,
        "num_ppo_epochs": int(RL_SETTINGS["ppo"]["num_ppo_epochs"]),
        "num_mini_batches": int(RL_SETTINGS["ppo"]["num_mini_batches"]),
        "temperature": 0.7,
        "seed": seed,
        # choose the policy to save by the gold on validation prompts (never the test prompts)
        "eval_steps": VALIDATION_EVERY,
        "eval_dataset_name": str(out / "validation_prompts.jsonl"),
        "eval_prompts": VALIDATION_SAMPLES * len(load_validation_prompts()),
        "keep_best": "gold",
    }


def _group_arguments(config: dict[str, Any], algorithm: str, num_generations: int | None,
                     out: Path) -> dict[str, Any]:
    """The PPO arguments made GRPO's or RLOO's: PPO-only knobs out, the group's in."""
    ppo_only = ("kl_coef", "num_ppo_epochs", "num_mini_batches", "response_length")
    group = {k: v for k, v in config.items() if k not in ppo_only}
    group.update(algorithm=algorithm, output_dir=str(out / algorithm), num_generations=num_generations,
                 max_completion_length=config["response_length"])
    return group


def _write_inputs(out: Path, corpus: Any, prompts: list[str]) -> None:
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as handle:
        for text, prompt in zip(corpus.texts, corpus.prompts):
            handle.write(json.dumps({"text": text, "prompt": prompt}) + "\n")
    with open(out / "prompts.jsonl", "w", encoding="utf-8") as handle:
        for prompt in prompts:
            handle.write(json.dumps({"prompt": prompt}) + "\n")
    with open(out / "validation_prompts.jsonl", "w", encoding="utf-8") as handle:
        for prompt in load_validation_prompts():
            for _ in range(VALIDATION_SAMPLES):  # each evaluation averages this many samples per prompt
                handle.write(json.dumps({"prompt": prompt}) + "\n")


def _write_yaml(path: Path, config: dict[str, Any]) -> None:
    import yaml

    algorithm = config["algorithm"]
    rerun = dict(config, reward_training_output_dir=str(Path(config["reward_training_output_dir"]).with_name("reward_model_rerun")),
                 output_dir=str(Path(config["output_dir"]).with_name(f"{algorithm}_rerun")))
    command = "aligntune ppo --config " if algorithm == "ppo" else "aligntune rl --config "
    path.write_text(
        f"# Rerun the demo's {algorithm.upper()} flow: " + command + str(path) + "\n"
        + yaml.safe_dump(rerun, sort_keys=False),
        encoding="utf-8",
    )


def _mean(values: Any) -> float:
    values = list(values)
    return sum(values) / len(values)


def _length_range(rules: CompositeReward) -> list[int]:
    """The ``length`` rule's target word range (the plugin's function, found through the registry)."""
    length = rules.functions[rules.names.index("length")]
    return [int(length.min_words), int(length.max_words)]


def well_formed_examples(corpus: Any, tokenizer: Any, answer_tokens: int) -> list[str]:
    """``prompt + " " + answer`` for the corpus answers that read as English, each cut to fit RL's budget.

    Kept: coherent answers longer than a fragment. The corpus also holds shuffled words, word salad
    and few-word fragments for the reward model to rank low; a policy warmed up on them would write
    them too. Rude, unsafe, refusing and off-topic answers stay: they are sentences, and what RL is
    there to change. Each answer keeps its whole sentences that fit in ``answer_tokens`` tokens of
    ``tokenizer`` (at least its first), so the policy learns to finish within the tokens RL samples
    instead of being cut off mid-sentence.
    """
    examples = []
    for prompt, text, levels in zip(corpus.prompts, corpus.texts, corpus.labels):
        if levels["coherence"] != "coherent" or levels["length"] == "tiny":
            continue
        sentences = _SENTENCE_END.split(text)
        kept = sentences[0]
        for sentence in sentences[1:]:
            longer = f"{kept} {sentence}"
            if len(tokenizer(" " + longer)["input_ids"]) > answer_tokens:
                break
            kept = longer
        examples.append(f"{prompt} {kept}")
    if not examples:
        raise ConfigurationError(f"The demo's corpus of {len(corpus)} texts holds no coherent answer longer than a "
                                 "fragment to warm the policy up on; pass a larger corpus_size")
    return examples


def _tokenizer(model_dir: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(model_dir)


def _marker_counter(rules: CompositeReward) -> Any:
    """Counts the markers the ``helpfulness`` rule reads in one answer (for the marker density)."""
    helpfulness = rules.functions[rules.names.index("helpfulness")]
    return lambda text: helpfulness.read_markers(text).markers
