"""The model card (``README.md``) of a saved policy: where it came from and what RL did to it."""

from __future__ import annotations

from typing import Any

from aligntune.plugin_api import (
    GROUP_ALGORITHMS, ONLY_FOR, PPO_SETTINGS, completion_length, generations, installed_version, policy_name,
)

#: The settings a card lists: those every algorithm has, then the algorithm's own (never another one's).
COMMON_SETTINGS = ("algorithm", "backend", "learning_rate", "batch_size", "gradient_accumulation_steps", "num_epochs",
                   "total_episodes", "max_prompt_length", "temperature", "seed")
SETTINGS: dict[str, tuple[str, ...]] = {
    "ppo": PPO_SETTINGS, **{a: tuple(n for n, only in ONLY_FOR.items() if a in only) for a in GROUP_ALGORITHMS},
}


def settings_of(config: Any) -> dict[str, Any]:
    """The settings of the run's algorithm, with the values it ran with (defaults filled in)."""
    names = COMMON_SETTINGS + SETTINGS.get(config.algorithm, ())
    values = {name: getattr(config, name, None) for name in names}
    if config.algorithm in GROUP_ALGORITHMS:
        values["num_generations"] = generations(config)
        values["max_completion_length"] = completion_length(config)
    return {name: value for name, value in values.items() if value is not None}


def _figure(row: dict[str, Any] | None, key: str) -> str:
    value = (row or {}).get(key)
    return "n/a" if value is None else f"{value:.4f}"


def policy_card(config: Any, monitor: Any, result: Any, kept: str) -> str:
    """Markdown: base policy, reward source, algorithm and settings, gold and proxy before and after, versions."""
    summary = monitor.summary() if monitor is not None else {}
    start, end = summary.get("eval_start"), summary.get("eval_end")
    gold = summary.get("gold")
    settings = ", ".join(f"`{k}={value!r}`" for k, value in settings_of(config).items())
    kept_step = getattr(result, "kept_step", None)
    lines = [
        "---",
        "library_name: transformers",
        "tags: [aligntune, reinforcement-learning, " + config.algorithm + "]",
        "---",
        "",
        f"# {config.algorithm.upper()} policy trained with aligntune",
        "",
        f"- Base policy: `{policy_name(config)}`",
        f"- Reward (the proxy that was optimised): {config.describe_reward()}",
        "- Gold (the rules the reward stands for): "
        + (f"{', '.join(gold['functions'])}, from {gold['origin']}" + (" (proxy = gold)" if gold["proxy_is_gold"] else "")
           if gold else "none known"),
        f"- Settings: {settings}",
        f"- Steps: {getattr(result, 'steps', 'n/a')}",
        f"- Kept: {kept if kept_step is None else f'step {kept_step}, {kept}'}",
        "",
        "## Held-out evaluation",
        "",
    ]
    if start is None:
        lines.append("No held-out evaluation was run (pass `eval_steps=` to create_rl_trainer).")
    else:
        lines += [
            f"{summary['eval_prompts']} held-out prompts, sampled with a fixed seed at temperature {config.temperature}.",
            "",
            "| | step | proxy | gold | mean length |",
            "|---|---|---|---|---|",
            f"| start | {start['step']} | {_figure(start, 'eval/proxy')} | {_figure(start, 'eval/gold')} | "
            f"{_figure(start, 'eval/length_mean')} |",
            f"| end | {end['step']} | {_figure(end, 'eval/proxy')} | {_figure(end, 'eval/gold')} | "
            f"{_figure(end, 'eval/length_mean')} |",
        ]
        if summary.get("kept_step") is not None:
            lines.append(f"| kept | {summary['kept_step']} | | {summary['kept_gold']:.4f} | |")
        if summary.get("overoptimization_alarm_step") is not None:
            lines += ["", f"The over-optimisation alarm fired at step {summary['overoptimization_alarm_step']}: the "
                          "held-out proxy rose while the gold fell."]
    history = getattr(result, "history", None) or []
    kl = [h.get("objective/kl", h.get("kl")) for h in history if h.get("objective/kl", h.get("kl")) is not None]
    if kl:
        lines += ["", f"KL to the reference at the last step: {kl[-1]:.4f}."]
    versions = (f"{n} {installed_version(n) or 'not installed'}" for n in ("aligntune", "trl", "transformers", "torch"))
    lines += ["", "## Versions", "", ", ".join(versions), ""]
    return "\n".join(lines)
