"""Gold against proxy during a run of this backend: per-step figures, held-out evaluation, the alarm,
the best policy by gold, and the completions log (see :mod:`aligntune.rl.overoptimisation`).

One :class:`GoldTracker` serves PPO and GRPO/RLOO. Every number it logs comes from the
run's reward object: the trainer hands it each step's scored batch, and the held-out
evaluations (:class:`EvaluationCallback`) score their responses with the same object.
"""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path
from typing import Any, Callable

from transformers import TrainerCallback

from aligntune.plugin_api import (
    BatchFigures,
    ConfigurationError,
    OverOptimisationAlarm,
    Reward,
    RewardBatch,
    check_prompt_count,
    completion_length,
    run_id_of,
)
from aligntune_backend_trl.data import fit_prompts, load_prompts, response_ends
from aligntune_backend_trl.peft_policy import snapshot

logger = logging.getLogger("aligntune_backend_trl")

COMPLETIONS_FILE = "completions.jsonl"


class StopForOverOptimisation(Exception):
    """Raised from a callback to end a PPO loop (TRL's PPO loop does not read should_training_stop)."""


class GoldTracker:
    """Everything a run measures against its gold (the rules), on training batches and held-out prompts.

    ``reward``: the run's reward object (its ``describe()["gold"]`` says whether a gold is known);
    ``policy_of``: returns the policy to generate held-out responses with (up to ``completion_length(config)``
    new tokens, as in training).
    """

    def __init__(self, config: Any, reward: Reward, *, policy_of: Callable[[], Any]) -> None:
        self.config = config
        self.reward = reward
        gold = reward.describe().get("gold")
        self.gold: dict[str, Any] | None = gold
        self.figures = BatchFigures(max_new_tokens=completion_length(config))
        self.alarm = OverOptimisationAlarm(patience=config.overoptimization_patience)
        self.evaluations: list[dict[str, Any]] = []
        if config.keep_best == "gold" and gold is None:  # checked before loading where the rules can be known
            raise ConfigurationError(
                "keep_best='gold' keeps the policy with the best held-out gold, but this run has no gold: the reward "
                "model carries no aligntune manifest naming its rules. Pass gold_reward_functions=[...], or "
                "keep_best='last'"
            )
        self.keep_best = config.keep_best or ("gold" if gold is not None and config.eval_steps else "last")
        self.best: dict[str, Any] | None = None  # {"step", "gold", "state"}
        self.eval_prompts: list[str] = []
        self.tokenizer: Any = None
        self.policy_of = policy_of
        self.add_special_tokens = True
        if gold is not None:
            logger.info("Gold: %s from %s%s", gold["functions"], gold["origin"],
                        " (proxy = gold)" if gold.get("proxy_is_gold") else "")

    def hold_out(self, prompts: list[str], tokenizer: Any, *, is_chat: bool, origin: str) -> list[str]:
        """Set the held-out prompts (``eval_dataset_name``, or ``eval_prompts`` split off ``prompts`` by
        ``Dataset.train_test_split``, seeded); return the prompts left for training, at least one batch on every
        process (:func:`~aligntune.plugin_api.check_prompt_count`). Without ``eval_steps`` nothing is held out."""
        cfg = self.config
        self.tokenizer, self.add_special_tokens = tokenizer, not is_chat
        split = bool(cfg.eval_steps) and cfg.eval_dataset_name is None
        check_prompt_count(cfg, len(prompts), origin=origin)
        if cfg.eval_steps and not split:
            self._set_eval_prompts(load_prompts(cfg, cfg.eval_dataset_name, max_samples=cfg.eval_prompts,
                                                tokenizer=tokenizer)[0])
        if not split:
            return prompts
        from datasets import Dataset

        parts = Dataset.from_dict({"prompt": prompts}).train_test_split(test_size=cfg.eval_prompts, seed=cfg.seed)
        self._set_eval_prompts(list(parts["test"]["prompt"]))
        logger.info("Held out %d of %d prompts for evaluation every %d steps", len(self.eval_prompts), len(prompts),
                    cfg.eval_steps)
        return list(parts["train"]["prompt"])

    def _set_eval_prompts(self, prompts: list[str]) -> None:
        """The held-out prompts, cut like the training prompts to ``max_prompt_length`` tokens (as generated)."""
        self.eval_prompts = fit_prompts(self.tokenizer, prompts, max_tokens=self.config.max_prompt_length,
                                        add_special_tokens=self.add_special_tokens, what="held-out prompts")

    def kept(self) -> dict[str, Any]:
        """Which policy ``save_model`` saves and why: ``{"step", "gold", "why", "state"}`` (``keep_best``'s rule;
        ``state`` is ``None`` for the last step's policy, the one in memory)."""
        last = self.evaluations[-1] if self.evaluations else None
        last_step = last["step"] if last is not None else None
        if self.keep_best != "gold" or self.best is None:
            reason = "keep_best='last'" if self.keep_best == "last" else "keep_best='gold', but no held-out gold"
            return {"step": last_step, "gold": None, "state": None, "why": f"the last step's policy ({reason})"}
        step, gold = self.best["step"], self.best["gold"]
        if step == last_step:
            tied = [e["step"] for e in self.evaluations[:-1] if e.get("eval/gold") == gold]
            tie = f"; tied with step {', '.join(map(str, tied))}, and a tie goes to the later step" if tied else ""
            return {"step": step, "gold": gold, "state": None,
                    "why": f"the last step's policy (step {step}), which has the best held-out gold ({gold:.4f}){tie}"}
        last_gold = last.get("eval/gold") if last is not None else None
        shown = f"{last_gold:.4f}" if isinstance(last_gold, float) else "n/a"
        why = (f"the policy of step {step}, the best held-out gold ({gold:.4f}), not the last step's ({shown}) "
               "(keep_best='gold')")
        if step == 0:
            why += (": the start policy, unchanged by training, since no later evaluation reached its gold; pass "
                    "keep_best='last' to save the trained policy")
        return {"step": step, "gold": gold, "state": self.best["state"], "why": why}

    # -- every step ------------------------------------------------------------------------------

    def on_batch(self, record: dict[str, Any], prompts: list[str], responses: list[str], batch: RewardBatch,
                 *, lengths: list[int], ended: list[bool]) -> None:
        """Add proxy, gold, gold components, length and truncation of the step's scored batch to its record;
        log samples."""
        record.update(self.figures.stats(batch, lengths=lengths, ended=ended))
        every = self.config.log_completions_steps
        if every and record["step"] % every == 0:
            self._log_completions(record["step"], "train", prompts, responses, batch)

    def _log_completions(self, step: int, split: str, prompts: list[str], responses: list[str],
                         batch: RewardBatch, n: int = 4) -> None:
        gold = self.figures.per_response(batch)
        path = Path(self.config.output_dir) / COMPLETIONS_FILE
        run_id = run_id_of(self.config.output_dir)  # the marker's: each row says which run wrote it
        with path.open("a", encoding="utf-8") as handle:
            for p, r, s, g in list(zip(prompts, responses, batch.rewards, gold))[:n]:
                handle.write(json.dumps({"run_id": run_id, "step": step, "split": split, "prompt": p, "response": r,
                                         "proxy": s, **g}) + "\n")

    # -- held-out evaluation -------------------------------------------------------------------------

    def evaluate(self, step: int) -> dict[str, Any] | None:
        """Generate on the held-out prompts (fixed sampling and seed), score proxy and gold; track the best."""
        if not self.eval_prompts:
            return None
        if self.evaluations and self.evaluations[-1]["step"] == step:
            return self.evaluations[-1]
        policy = self.policy_of()
        responses, lengths, ended = generate(policy, self.tokenizer, self.eval_prompts, seed=self.config.seed,
                                             max_new_tokens=self.figures.max_new_tokens,
                                             temperature=self.config.temperature,
                                             add_special_tokens=self.add_special_tokens)
        batch = self.reward.score(self.eval_prompts, responses)
        row = {"step": step, **self.figures.stats(batch, lengths=lengths, ended=ended, prefix="eval/")}
        self.evaluations.append(row)
        if self.config.log_completions_steps:
            self._log_completions(step, "eval", self.eval_prompts, responses, batch)
        gold = row.get("eval/gold")
        shown = f", gold {gold:.4f}" if gold is not None else ""
        logger.info("Held-out evaluation at step %d: proxy %.4f%s", step, row["eval/proxy"], shown)
        if gold is not None and not math.isnan(gold):
            self.alarm.update(step, row["eval/proxy"], gold)
            # a tie goes to the later step: equal gold never keeps an earlier (less trained) policy
            if self.keep_best == "gold" and (self.best is None or gold >= self.best["gold"]):
                state = snapshot(policy)  # the trainable weights: a LoRA policy's adapter only
                self.best = {"step": step, "gold": gold, "state": state}
        return row

    def summary(self) -> dict[str, Any]:
        """What metrics.json and the model card say about gold and proxy."""
        first, last = (self.evaluations[0], self.evaluations[-1]) if self.evaluations else (None, None)
        return {
            "gold": None if self.gold is None else {"functions": self.gold["functions"], "origin": self.gold["origin"],
                                                   "proxy_is_gold": self.gold.get("proxy_is_gold", False)},
            "eval_prompts": len(self.eval_prompts),
            "eval_start": first,
            "eval_end": last,
            "overoptimization_alarm_step": self.alarm.fired_at,
            "keep_best": self.keep_best,
            "kept_step": self.best["step"] if self.best is not None else None,
            "kept_gold": self.best["gold"] if self.best is not None else None,
            "kept": self.kept()["why"],
        }


def generate(policy: Any, tokenizer: Any, prompts: list[str], *, seed: int, max_new_tokens: int, temperature: float,
             add_special_tokens: bool = True, batch_size: int = 16) -> tuple[list[str], list[int], list[bool]]:
    """Sample one response per prompt with a fixed seed (the training RNG is restored afterwards)."""
    import torch

    was_training = policy.training
    policy.eval()
    device = next(policy.parameters()).device
    rows: list[list[int]] = []  # each response's new token ids
    try:
        with torch.random.fork_rng(devices=[]), torch.no_grad():  # the CPU RNG state comes back afterwards
            torch.manual_seed(seed)
            for start in range(0, len(prompts), batch_size):
                enc = tokenizer(prompts[start:start + batch_size], return_tensors="pt", padding=True,
                                add_special_tokens=add_special_tokens).to(device)
                out = policy.generate(**enc, max_new_tokens=max_new_tokens, do_sample=True, temperature=temperature,
                                      top_k=0, top_p=1.0, pad_token_id=tokenizer.pad_token_id)
                rows += out[:, enc["input_ids"].shape[1]:].tolist()
    finally:
        policy.train(was_training)
    lengths, ended = response_ends(rows, tokenizer.eos_token_id)
    return tokenizer.batch_decode([row[:n] for row, n in zip(rows, lengths)], skip_special_tokens=True), lengths, ended


class EvaluationCallback(TrainerCallback):
    """Held-out evaluations at the start, every ``eval_steps`` and at the end; stops on the alarm when asked."""

    def __init__(self, run: GoldTracker, *, raise_to_stop: bool = False) -> None:
        self.run = run
        self.raise_to_stop = raise_to_stop

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.global_step == 0:  # a resumed run has its earlier evaluations already
            self.run.evaluate(0)

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
        every = self.run.config.eval_steps
        if every and state.global_step % every == 0:
            self.run.evaluate(state.global_step)
            if self.run.config.stop_on_overoptimization and self.run.alarm.fired_at is not None:
                logger.warning("Stopping at step %d: stop_on_overoptimization=True", state.global_step)
                if self.raise_to_stop:
                    raise StopForOverOptimisation(state.global_step)
                control.should_training_stop = True
        return control

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.run.evaluate(state.global_step)
