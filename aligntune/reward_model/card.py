"""The model card (``README.md``) and the aligntune manifest (``aligntune.json``).

The manifest is the machine-readable record: base model, reward functions and
weights (with the plugin that provided each), data sizes, training arguments,
fidelity and library versions, enough to trace the model and rebuild it.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

from aligntune.reward_model.fidelity import FidelityReport
from aligntune.reward_model.scoring import MANIFEST_NAME
from aligntune.versions import installed_versions

MANIFEST_FORMAT = 1
_LIBRARIES = ("aligntune", "torch", "transformers", "trl", "datasets", "accelerate")


def library_versions() -> dict[str, str | None]:
    return installed_versions(_LIBRARIES)


def build_manifest(
    *,
    base_model: str,
    reward_functions: dict[str, Any],
    data: dict[str, Any],
    training: dict[str, Any],
    fidelity: FidelityReport,
) -> dict[str, Any]:
    return {
        "format": "aligntune-reward-model",
        "format_version": MANIFEST_FORMAT,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "base_model": base_model,
        "reward_functions": reward_functions,
        "data": data,
        "training": training,
        "fidelity": fidelity.as_dict(),
        "versions": library_versions(),
    }


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    (directory / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render_card(manifest: dict[str, Any], *, has_plot: bool) -> str:
    """The ``README.md`` model card for a trained reward model."""
    fn = manifest["reward_functions"]
    fid = manifest["fidelity"]
    data = manifest["data"]
    training = manifest["training"]
    versions = manifest["versions"]
    base = manifest["base_model"]
    front = ["---", "library_name: transformers", "pipeline_tag: text-classification", "tags:", "- reward-model",
             "- aligntune", "- trl"]
    if base.count("/") == 1 and not base.startswith((".", "/", "~")):
        front.append(f"base_model: {base}")
    front.append("---")
    weights = "\n".join(
        f"| `{name}` | {raw:g} | {norm:.3f} | {fn['plugins'].get(name) or 'object'} |"
        for name, raw, norm in zip(fn["functions"], fn["weights"], fn["normalized_weights"])
    )
    components = "\n".join(
        f"| `{name}` | {_f(c['model_spearman'])} | {_f(c['composite_spearman'])} |"
        for name, c in fid["components"].items()
    )
    plot = "\n![Model score against composite score on held-out texts](fidelity.png)\n" if has_plot else ""
    version_lines = "\n".join(f"- {name} {version or 'not installed'}" for name, version in versions.items())
    return f"""{chr(10).join(front)}

# Reward model trained with aligntune

A sequence classifier with one output (`num_labels=1`) that scores a text; higher is
better. {_how(manifest)}

- **Base model:** `{base}`
- **Training data:** {_data_line(data)}
- **Prompts used as input:** {'yes, encoded as (prompt, text) pairs' if data['uses_prompts'] else 'no'}
- **Texts truncated to max_length={training['max_length']}:** {data['n_truncated']}
- **Augmented copies (rule-aware, scored by the rules):** {_augmentation_line(data)}

## Reward functions

| function | weight | normalised | plugin |
|---|---|---|---|
{weights}

## Fidelity on held-out texts
{_warning(fid)}
| metric | value | bootstrap 95% interval |
|---|---|---|
| Spearman correlation with the composite | {_f(fid['spearman'])} | {_ci(fid.get('spearman_interval'))} |
| Pairwise accuracy | {_f(fid['pairwise_accuracy'])} ({fid['n_pairs']} pairs of {fid['n_texts']} texts) | {_ci(fid.get('pairwise_interval'))} |

| component | Spearman (model) | Spearman (composite) |
|---|---|---|
{components}
{plot}
## Training

`num_epochs={training['num_epochs']}`, `learning_rate={training['learning_rate']:g}`,
`batch_size={training['batch_size']}`, `gradient_accumulation_steps={training['gradient_accumulation_steps']}`,
`max_length={training['max_length']}`, `gradient_checkpointing={training['gradient_checkpointing']}`,
`use_margin={training['use_margin']}`, training time {training['train_seconds']:.0f} s.

## Use

```python
from aligntune.reward_model.scoring import TextRewardModel

rm = TextRewardModel.from_pretrained("path/to/this/directory")
rm.score(["Thanks for asking! First, ..."])
```

or with plain transformers: `AutoModelForSequenceClassification.from_pretrained(dir)`,
then the single logit is the reward.

## Versions

{version_lines}

`aligntune.json` in this directory records all of the above in machine-readable form.
"""


def write_card(directory: Path, manifest: dict[str, Any], *, has_plot: bool) -> None:
    write_manifest(directory, manifest)
    (directory / "README.md").write_text(render_card(manifest, has_plot=has_plot), encoding="utf-8")


def _warning(fid: dict[str, Any]) -> str:
    """The fidelity warnings of the manifest as a quoted paragraph (empty when there are none)."""
    concerns = fid.get("warnings") or []
    if not concerns:
        return ""
    return ("\n> **Warning: low or uncertain fidelity.** " + "; ".join(concerns) + ". The model may not reproduce "
            "the rules, and RL against it optimises its errors too.\n")


def _augmentation_line(data: dict[str, Any]) -> str:
    record = data.get("augmentation")
    if not record:
        return "none (not recorded)"
    if not record.get("n_copies"):
        return f"none: {record.get('skipped') or 'no text could be edited'}"
    kinds = ", ".join(f"{kind} {n:,}" for kind, n in record["kinds"].items() if n)
    return (f"{record['n_copies']:,} ({record['copies_per_text']:g} per training text asked, up to "
            f"{record.get('up_to_texts', 0):,} texts with the originals; {kinds}); turn off with `augment_copies=0`")


def _ci(value: list[float] | None) -> str:
    return "n/a" if not value else f"[{value[0]:.3f}, {value[1]:.3f}]"


def _how(manifest: dict[str, Any]) -> str:
    training, data = manifest["training"], manifest["data"]
    if data.get("source") == "preference pairs":
        return "It was trained with `trl.RewardTrainer` on given preference pairs (chosen over rejected)."
    if training.get("objective", "pairs") == "rules":
        return ("It was trained to reproduce a weighted composite of rule-based reward functions: one head per "
                "function on the rule scores plus in-batch pairwise ranking, collapsed into this one output.")
    return ("It was trained with `trl.RewardTrainer` on preference pairs ranked by a weighted composite of "
            "rule-based reward functions, to reproduce that composite.")


def _data_line(data: dict[str, Any]) -> str:
    if data.get("source") == "preference pairs":
        return f"{data['n_train_pairs']} pairs (plus {data['n_eval_pairs']} held out), seed {data['seed']}"
    line = f"{data['n_train_texts']} texts (plus {data['n_eval_texts']} held out), seed {data['seed']}"
    if data.get("n_pairs") is not None:
        line += (f", {data['n_pairs']} preference pairs, {data['pairs_per_text']} pairs per text, minimum score gap "
                 f"{data['min_score_gap']:g}")
    return line
