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
