"""One meaning per name: a public function or class name is defined in one aligntune module only.

Two definitions of one name in two modules (``check_model_dir`` once meant "inspect a model
directory, return what it found" in ``model_dirs`` and "check a reward-model directory for a
source author, raise a configuration error" in ``rl.sources``) make a reader and an import
pick the wrong one. Allowed: the ``aligntune/cli`` command modules (parallel by design: each
has its command and its ``--help`` epilog), hook implementations (named by the hook spec),
``main`` entry points, and overloads within one module.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "aligntune"


def _hook_names() -> set[str]:
    tree = ast.parse((ROOT / "hookspecs.py").read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def _definitions() -> dict[str, set[str]]:
    where: dict[str, set[str]] = defaultdict(set)
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("cli/"):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                where[node.name].add(relative)
    return where


def test_a_public_name_is_defined_in_one_module():
    allowed = _hook_names() | {"main"}
    twice = {name: sorted(paths) for name, paths in _definitions().items() if len(paths) > 1 and name not in allowed}
    assert not twice, f"public names defined in more than one aligntune module (give each meaning its own name): {twice}"


def test_the_model_directory_helpers_have_one_meaning_each():
    from aligntune import model_dirs
    from aligntune.rl import sources

    # inspect: what a directory holds (raises ModelLoadError); check: a source author's argument check
    assert not hasattr(model_dirs, "check_model_dir") and callable(model_dirs.inspect_model_dir)
    assert callable(sources.check_model_dir)
    # spelling alone versus spelling or an existing path: two questions, two names
    assert model_dirs.can_only_be_path("a/b/c") and not model_dirs.means_local_dir("a/b/c")
    assert not model_dirs.can_only_be_path("org/model")
    assert not hasattr(model_dirs, "looks_local") and not hasattr(model_dirs, "_looks_local")
