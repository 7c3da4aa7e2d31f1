"""The trainer ``create_rl_trainer`` returns for the ``trl`` backend (and the Unsloth one)."""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from aligntune.errors import BackendError

from aligntune_backend_trl.models import PolicyBundle, complete_bundle, load_policy_bundle

logger = logging.getLogger("aligntune_backend_trl")

PolicyLoader = Callable[[Any], PolicyBundle]


@dataclass
class PPOResult:
    """What :meth:`AlignTunePPOTrainer.train` returns."""

    steps: int
    reward_start: float
    reward_end: float
    metrics_path: str
    plot_path: str | None
    reward_model_path: str | None
    seconds: float
    history: list[dict[str, Any]] = field(repr=False, default_factory=list)


class AlignTunePPOTrainer:
    """Runs PPO for a validated config: reward model (trained first when asked), policy, prompts.

    Models load in :meth:`train`, not at construction. ``policy_loader`` builds the
    :class:`PolicyBundle` (default: transformers from ``config.model_name``); a bundle
    given up front is used as is (missing reference/value models are filled in).
    """

    def __init__(
        self,
        config: Any,
        *,
        bundle: PolicyBundle | None = None,
        policy_loader: PolicyLoader | None = None,
    ) -> None:
        self.config = config
        self.bundle = bundle
        self.policy_loader = policy_loader or load_policy_bundle
        self.reward_model: Any = None
        self.reward_model_path: str | None = None
        self.adapter: Any = None
        self.trl_trainer: Any = None
        self.history: list[dict[str, Any]] = []
        self.result: PPOResult | None = None

    # -- steps -----------------------------------------------------------------------

    def load_reward(self) -> Any:
        """Load (training it first for ``custom_trained``) the reward model, if the config has one."""
        src = self.config.reward_source
        if src is None or self.reward_model is not None:
            return self.reward_model
        from aligntune.core.sources import get_source

        source = get_source(src.source_type)
        if src.source_type == "custom_trained":
            self.reward_model_path = source.train(src)
            self.reward_model = source.load(src, trained_path=self.reward_model_path)
        else:
            self.reward_model = source.load(src)
            self.reward_model_path = src.model_path or src.model_name
        logger.info("Reward model ready: %r", self.reward_model)
        return self.reward_model

    def load_models(self) -> PolicyBundle:
        """The policy bundle (loaded once)."""
        if self.bundle is None:
            self.bundle = self.policy_loader(self.config)
        self.bundle = complete_bundle(self.bundle, self.config)
        return self.bundle

    def build(self) -> Any:
        """Load everything and construct the underlying PPO trainer (without training)."""
        from aligntune.prompts import format_prompts, load_prompt_dataset
        from aligntune.reward_scoring.adapter import RewardAdapter
        from aligntune.reward_scoring.scorer import RewardScorer

        from aligntune_backend_trl import trl_ppo
        from aligntune_backend_trl.callbacks import RewardLogCallback
        from aligntune_backend_trl.data import tokenize_prompts

        cfg = self.config
        reward_model = self.load_reward()
        bundle = self.load_models()
        prompt_data = load_prompt_dataset(
            cfg.dataset_name, split=cfg.dataset_split, prompt_column=cfg.prompt_column, max_samples=cfg.max_samples
        )
        prompts = format_prompts(prompt_data, bundle.tokenizer)
        dataset, width = tokenize_prompts(
            bundle.tokenizer, prompts, max_width=cfg.max_prompt_length, add_special_tokens=not prompt_data.is_chat
        )
        scorer = RewardScorer(
            bundle.tokenizer,
            reward_model=reward_model,
            reward_functions=cfg.reward_functions,
            reward_function_weights=cfg.reward_function_weights,
            reward_model_weight=cfg.reward_model_weight,
            batch_size=cfg.reward_batch_size,
        )
        self.adapter = RewardAdapter(scorer, prompt_width=width)
        args = trl_ppo.ppo_args(cfg, len(dataset))
        callback = RewardLogCallback(self.adapter, total_steps=0)
        self.trl_trainer = trl_ppo.build_trl_trainer(args, bundle, self.adapter, dataset, [callback])
        callback._bar.total = trl_ppo.total_steps(args)
        self._callback = callback
        return self.trl_trainer

    # -- public API ------------------------------------------------------------------

    def train(self) -> PPOResult:
        """Train the reward model when asked, then run PPO; writes metrics and the reward curve."""
        from aligntune_backend_trl import reporting, trl_ppo

        start = time.perf_counter()
        trainer = self.trl_trainer or self.build()
        logger.info("PPO: %s; reward: %s", self.config.model_name, self.config.describe_reward())
        trainer.train()
        self.history = self._callback.steps
        if not self.history:
            raise BackendError("PPO ran no steps; check total_episodes/num_epochs against batch_size")
        seconds = time.perf_counter() - start
        summary = {
            "model_name": self.config.model_name,
            "reward": self.config.describe_reward(),
            "reward_model_path": self.reward_model_path,
            "steps": len(self.history),
            "reward_start": self.history[0]["reward_mean"],
            "reward_end": self.history[-1]["reward_mean"],
            "seconds": seconds,
            "fast_path": bool(self.adapter.scorer.fast_path),
        }
        metrics_path = plot_path = None
        if trl_ppo.is_main_process(trainer):
            metrics_path = reporting.write_metrics(self.config.output_dir, summary, self.history)
            plot_path = reporting.plot_reward_curve(self.config.output_dir, self.history)
        self.result = PPOResult(
            steps=len(self.history),
            reward_start=summary["reward_start"],
            reward_end=summary["reward_end"],
            metrics_path=metrics_path or "",
            plot_path=plot_path,
            reward_model_path=self.reward_model_path,
            seconds=seconds,
            history=self.history,
        )
        logger.info(
            "PPO done: %d steps, mean reward %.4f -> %.4f", self.result.steps, self.result.reward_start, self.result.reward_end
        )
        return self.result

    def save_model(self, output_dir: str | None = None) -> str:
        """Save the policy (unwrapped from DDP/DeepSpeed) and its tokenizer with ``save_pretrained``.

        Default directory: ``<config.output_dir>/policy``. Written to a temporary
        directory first, then renamed into place. Returns the path.
        """
        if self.bundle is None:
            raise BackendError("Nothing to save yet: call train() first (the policy loads there)")
        from aligntune_backend_trl import trl_ppo

        target = Path(output_dir or Path(self.config.output_dir) / "policy")
        policy = trl_ppo.unwrapped_policy(self.trl_trainer) if self.trl_trainer is not None else self.bundle.policy
        main = self.trl_trainer is None or trl_ppo.is_main_process(self.trl_trainer)
        if main:
            _atomic_save_dir(target, lambda tmp: (policy.save_pretrained(tmp), self.bundle.tokenizer.save_pretrained(tmp)))
            logger.info("Policy saved to %s", target)
        if self.trl_trainer is not None:
            trl_ppo.wait_for_everyone(self.trl_trainer)
        return str(target)


def _atomic_save_dir(target: Path, write: Callable[[str], Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        write(str(tmp))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    backup = None
    if target.exists():
        backup = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
        target.rename(backup)
    tmp.rename(target)
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
