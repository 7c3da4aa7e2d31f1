"""The docs a newcomer reads say what the code does: the defaults the prose states, and the
plugin ``pyproject.toml`` of docs/writing-a-plugin.md, which must build and install as shown."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _sentences(markdown: str) -> list[str]:
    """The prose sentences of a markdown page (table rows and code blocks left out)."""
    prose = re.sub(r"```.*?```", "", markdown, flags=re.S)
    prose = "\n".join(line for line in prose.splitlines() if not line.lstrip().startswith("|"))
    return [s.replace("\n", " ") for s in re.split(r"(?<=\.)\s+", prose)]


def _stated_defaults(markdown: str, fields: set[str]) -> list[tuple[str, str, str]]:
    """(field, value, sentence) for each ``field=value`` in the clause after the word "default(s)" (up to
    a semicolon or the end of the sentence), and each "`field`, default value" / "`field` (default value)"."""
    found = []
    for sentence in _sentences(markdown):
        match = re.search(r"\bdefaults?\b", sentence, flags=re.I)
        if match:
            for code in re.findall(r"`([^`]+)`", sentence[match.end():].split(";")[0]):
                for part in code.split(","):
                    name, sep, value = part.partition("=")
                    if sep and name.strip() in fields:
                        found.append((name.strip(), value.strip(), sentence))
        for name, value in re.findall(r"`(\w+)`,? \(?default:? ([\w.\-'\"]+)", sentence):
            if name in fields:
                found.append((name, value.rstrip(".)"), sentence))
    return found


def test_reward_model_doc_states_the_defaults_the_config_has():
    from aligntune.reward_model.config import FIELDS

    doc = (DOCS / "reward-model-training.md").read_text(encoding="utf-8")
    stated = _stated_defaults(doc, set(FIELDS))
    assert {name for name, _, _ in stated} >= {"objective", "num_epochs", "learning_rate", "batch_size",
                                                "save_steps"}  # the check reads the sentences that matter
    wrong = [f"{name}={value} (the config's default is {FIELDS[name].default!r}): {sentence[:160]}"
             for name, value, sentence in stated if ast.literal_eval(value) != FIELDS[name].default]
    assert not wrong, "\n".join(wrong)


def _plugin_pyproject() -> str:
    doc = (DOCS / "writing-a-plugin.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", doc, flags=re.S)
    assert len(blocks) == 1, "writing-a-plugin.md shows one pyproject.toml"
    return blocks[0]


def test_plugin_pyproject_in_the_docs_names_what_a_package_needs():
    project = tomllib.loads(_plugin_pyproject())
    meta = project["project"]
    assert {"name", "version", "dependencies"} <= set(meta)
    assert any(dep.split(">")[0].split("=")[0].strip() == "aligntune" for dep in meta["dependencies"])
    assert meta["entry-points"]["aligntune"] == {"rewards_example": "aligntune_rewards_example"}
    assert project["build-system"]["build-backend"] == "setuptools.build_meta"


def test_plugin_pyproject_in_the_docs_installs_the_example_plugin(tmp_path):
    """The doc's pyproject.toml beside the example's package, pip-installed (no dependencies, no
    build isolation) into a throw-away target: the plugin's metadata carries the version and the
    ``aligntune`` entry point."""
    import shutil

    src = tmp_path / "src"
    shutil.copytree(ROOT / "examples" / "aligntune_rewards_example" / "aligntune_rewards_example",
                    src / "aligntune_rewards_example", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "pyproject.toml").write_text(_plugin_pyproject(), encoding="utf-8")
    target = tmp_path / "target"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--no-build-isolation", "--no-index", "--target", str(target), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (dist,) = metadata.distributions(path=[str(target)])
    assert dist.metadata["Name"] == "aligntune-rewards-example" and dist.version == "0.1.0"
    (entry,) = dist.entry_points.select(group="aligntune")
    assert (entry.name, entry.value) == ("rewards_example", "aligntune_rewards_example")


def _outputs_paragraph() -> str:
    doc = (DOCS / "ppo.md").read_text(encoding="utf-8")
    return doc.split("## Outputs", 1)[1].split("\n\n", 2)[1]


@pytest.mark.slow
def test_ppo_doc_says_what_train_writes_and_what_grpo_shows(tmp_path, capfd):
    """docs/ppo.md, "Outputs": the files ``train()`` writes (and that it saves no policy, which
    ``save_model()`` does), and which progress bar shows the gold: a real, tiny GRPO run with a gold."""
    import json

    from aligntune.core.backend_factory import create_rl_trainer
    from aligntune.data.corpus import load_bundled_corpus
    from aligntune.demo.tiny_policy import build_tiny_policy

    corpus = load_bundled_corpus(200, seed=5)
    policy = build_tiny_policy(tmp_path / "policy", corpus.texts + corpus.prompts, vocab_size=512, hidden=32, seed=1)
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": p}) + "\n" for p in sorted(set(corpus.prompts))[:8]))
    out = tmp_path / "run"
    trainer = create_rl_trainer(
        model_name=str(policy), dataset_name=str(prompts), algorithm="grpo", backend="trl",
        reward_functions=["length"], gold_reward_functions=["length", "sentiment"], output_dir=str(out),
        batch_size=2, num_generations=2, total_episodes=8, response_length=8, seed=0,
    )
    result = trainer.train()
    written = sorted(p.name for p in out.iterdir() if p.name != "aligntune-output.json")
    named = sorted(set(re.findall(r"`([\w.]+\.(?:json|png))`", _outputs_paragraph())))
    assert written == named, f"train() wrote {written}; docs/ppo.md says {named}"
    assert "gold" in result.history[0]  # a gold is known ...
    bar = capfd.readouterr().err
    assert "GRPO" in bar and "reward=" in bar and "gold=" not in bar  # ... and GRPO's bar does not show it
    paragraph = " ".join(_outputs_paragraph().split())
    assert "GRPO's and RLOO's show the mean reward only" in paragraph
    assert "does not save the policy" in paragraph and "`output_dir/policy`" in paragraph
    assert "the progress bar shows the gold" not in (DOCS / "ppo.md").read_text(encoding="utf-8")
    assert trainer.save_model() == str(out / "policy") and (out / "policy" / "config.json").is_file()
