"""The local RL reward: a reward model, rules, or a weighted mix, built once from the RL config.

:class:`LocalReward` normalises the weights once (the model's and every rule's, to sum to 1), sums the
components of a batch of texts into the proxy (:func:`weighted_sum`), and scores the gold from the same batch,
reusing the rule scores the proxy already computed. It never sees a policy tokenizer (see ``score``'s ``known=``).

>>> reward = build_reward(config, reward_model)          # doctest: +SKIP
>>> batch = reward.score(prompts, completions)           # doctest: +SKIP
>>> batch.rewards, batch.components, batch.gold          # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from aligntune.errors import ConfigurationError, RewardFunctionError, show
from aligntune.rewards.base import check_finite, score_checked
from aligntune.rewards.composite import CompositeReward, normalised
from aligntune.rl.reward.base import MODEL_COMPONENT, RewardBatch, weighted_sum
from aligntune.rl.reward.gold import Gold, resolve_gold

logger = logging.getLogger(__name__)

_HINT = " to RL (check the reward model's weights and the reward functions)"


class LocalReward:
    """Scores texts with a reward model, rules, or a weighted mix of both; also scores the gold.

    Args:
        reward_model: a loaded text reward model (``.score(texts, prompts=..., batch_size=...)``,
            ``uses_prompts``, ``manifest``, ``path``), or ``None``.
        rules: the rule composite (its functions and raw weights), or ``None``.
        reward_model_weight: the model's weight against the rules' (required when both are given).
        gold: the rules the proxy stands for (:func:`~aligntune.rl.reward.gold.resolve_gold`), or ``None``.
        batch_size: texts per reward-model forward pass.
    """

    def __init__(
        self,
        *,
        reward_model: Any = None,
        rules: CompositeReward | None = None,
        reward_model_weight: float | None = None,
        gold: Gold | None = None,
        batch_size: int = 32,
    ) -> None:
        if reward_model is None and rules is None:
            raise ConfigurationError("No reward: pass a reward model, reward functions, or both")
        if reward_model is not None and rules is not None and reward_model_weight is None:
            raise ConfigurationError(
                "The reward has a reward model and reward functions: pass reward_model_weight= to mix them"
            )
        if rules is not None and MODEL_COMPONENT in rules.names:
            raise ConfigurationError(
                f"A reward function may not be named {MODEL_COMPONENT!r} (the reward model's component); rename it"
            )
        self.reward_model = reward_model
        self.rules = rules
        self.gold = gold
        self.batch_size = batch_size
        self.uses_prompts = bool(getattr(reward_model, "uses_prompts", False))
        names: list[str] = []
        raw: list[float] = []
        if reward_model is not None:
            names.append(MODEL_COMPONENT)
            raw.append(1.0 if rules is None else float(reward_model_weight))  # type: ignore[arg-type]
        if rules is not None:
            names += rules.names
            raw += rules.raw_weights
        self.weights: dict[str, float] = dict(zip(names, normalised(raw)))
        self.gold_weights: dict[str, float] = {} if gold is None else dict(zip(gold.names, gold.composite.weights))

    @property
    def kind(self) -> str:
        """``"model"``, ``"rules"`` or ``"mixed"``."""
        if self.reward_model is not None and self.rules is not None:
            return "mixed"
        return "model" if self.reward_model is not None else "rules"

    @property
    def components(self) -> list[str]:
        """The proxy's component names, in order (``"reward_model"`` first when there is one)."""
        return list(self.weights)

    # -- scoring ------------------------------------------------------------------------------

    def score(
        self,
        prompts: Sequence[str],
        completions: Sequence[str],
        *,
        known: Mapping[str, Sequence[float]] | None = None,
    ) -> RewardBatch:
        """Score ``completions`` (each after its prompt): proxy, components and gold.

        ``known``: component scores the caller already computed for exactly these texts
        (PPO's adapter passes ``{"reward_model": ...}`` from its token-id fast path); the
        rest are scored here. NaN or infinite scores raise :class:`RewardFunctionError`.
        """
        prompts, completions = list(prompts), list(completions)
        if len(prompts) != len(completions):
            raise RewardFunctionError(f"Got {len(prompts)} prompts for {len(completions)} completions; pass one each")
        known = dict(known or {})
        unknown = sorted(set(known) - set(self.weights))
        if unknown:
            raise RewardFunctionError(f"known= names {unknown}, which are not components of this reward {self.components}")
        components: dict[str, list[float]] = {}
        if self.reward_model is not None:
            scores = known.get(MODEL_COMPONENT)
            if scores is None:  # scored as the model was trained: with prompts or not
                scores = self.reward_model.score(completions, prompts=prompts if self.uses_prompts else None,
                                                 batch_size=self.batch_size)
            scores = [float(s) for s in scores]
            components[MODEL_COMPONENT] = check_finite(scores, who="The reward model", verb="produced",
                                                       unit="completion", hint=_HINT)
        if self.rules is not None:
            components.update(self._rule_scores(self.rules, completions, prompts, known))
        for name, scores in components.items():
            if len(scores) != len(completions):
                raise RewardFunctionError(f"Component {name!r} gave {len(scores)} scores for {len(completions)} texts")
        rewards = check_finite(weighted_sum(components, self.weights), who="the combined reward", verb="produced",
                               unit="response", hint=_HINT)
        if self.gold is None:
            return RewardBatch(rewards, components, dict(self.weights))
        gold_components = self._rule_scores(self.gold.composite, completions, prompts, components)
        gold = weighted_sum(gold_components, self.gold_weights)
        return RewardBatch(rewards, components, dict(self.weights), gold, gold_components, dict(self.gold_weights))

    @staticmethod
    def _rule_scores(composite: CompositeReward, completions: list[str], prompts: list[str],
                     known: Mapping[str, Sequence[float]]) -> dict[str, list[float]]:
        """Each rule's scores; a rule whose scores are already ``known`` (by name) is not run again."""
        plugins = composite.manifest()["plugins"]
        return {
            fn.name: list(known[fn.name]) if fn.name in known
            else score_checked(fn, completions, prompts=prompts, plugin=plugins.get(fn.name))
            for fn in composite.functions
        }

    # -- the rest of the Reward interface ---------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        """JSON-safe: kind, components, weights, gold, and the reward model's path, manifest and fidelity."""
        out: dict[str, Any] = {
            "kind": "local",
            "reward": self.kind,
            "components": self.components,
            "weights": dict(self.weights),
            "gold": None if self.gold is None else self.gold.describe(),
        }
        if self.reward_model is not None:
            manifest = getattr(self.reward_model, "manifest", None)
            out["reward_model"] = {
                "path": getattr(self.reward_model, "path", None),
                "uses_prompts": self.uses_prompts,
                "manifest": manifest,
                "fidelity": (manifest or {}).get("fidelity"),
            }
        return out

    def check(self) -> None:
        """Nothing to contact: a local reward is ready once built."""

    def close(self) -> None:
        """Nothing to release: the reward model's memory goes with the last reference to it."""

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={w:.3g}" for n, w in self.weights.items())
        return f"LocalReward({self.kind}: {shown}; gold={None if self.gold is None else self.gold.names})"


def build_reward(config: Any, reward_model: Any = None) -> LocalReward:
    """The local reward of an RL config (``reward_functions``, weights, ``reward_model_weight``, the gold)
    with its loaded reward model, if the config has a reward source."""
    if config.reward_source is not None and reward_model is None:
        raise ConfigurationError(
            f"The config's reward source {show(config.reward_source.source_type)} needs its loaded reward model: "
            "pass reward_model= (load_reward_model(config.reward_source))"
        )
    rules = None
    if config.reward_functions is not None:
        rules = CompositeReward(list(config.reward_functions), config.reward_function_weights)
    reward = LocalReward(reward_model=reward_model, rules=rules, reward_model_weight=config.reward_model_weight,
                         gold=resolve_gold(config, reward_model), batch_size=config.reward_batch_size)
    logger.info("RL reward: %r", reward)
    return reward
