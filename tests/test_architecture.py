"""The package layout holds: no import loop among aligntune's modules, imports at module level, small modules,
and plugins import only aligntune's public plugin API (``aligntune`` and ``aligntune.plugin_api``)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "aligntune"
PLUGINS = ROOT.parent / "plugins"

#: Modules allowed to import other aligntune modules inside a function, and why.
DEFERRED_ON_PURPOSE: dict[str, str] = {
    "aligntune.reward_model.rules_objective": "distillation_trainer subclasses transformers.Trainer (imports torch): loaded when a model trains",
}

MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(tree: ast.Module, module: str, is_package: bool) -> tuple[set[str], list[int]]:
    """(aligntune modules imported at module level, line numbers of aligntune imports inside functions)."""
    top: set[str] = set()
    deferred: list[int] = []

    def targets(node: ast.AST) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names]
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module if is_package else module.rsplit(".", 1)[0]
                for _ in range(node.level - 1):
                    package = package.rsplit(".", 1)[0]
                base = f"{package}.{base}" if base else package
            return [base] + [f"{base}.{a.name}" for a in node.names]
        return []

    def walk(nodes: list[ast.stmt], in_function: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                walk(node.orelse, in_function)
                continue
            for name in targets(node):
                if name == "aligntune" or name.startswith("aligntune."):
                    if in_function:
                        deferred.append(node.lineno)
                    else:
                        top.add(name)
            for child_field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, child_field, None)
                if isinstance(children, list) and children and isinstance(children[0], (ast.stmt, ast.excepthandler)):
                    inner = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                    walk([c for c in children if isinstance(c, ast.stmt)] if child_field != "handlers"
                         else [s for h in children for s in h.body], inner)

    walk(tree.body, False)
    return top, sorted(set(deferred))


def _graph() -> tuple[dict[str, set[str]], dict[str, list[int]]]:
    files = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    deferred: dict[str, list[int]] = {}
    for name, path in files.items():
        top, late = _imports(ast.parse(path.read_text(encoding="utf-8")), name, path.name == "__init__.py")
        edges = set()
        for target in top:
            while target not in files and "." in target:  # "from pkg import name" names an attribute
                target = target.rsplit(".", 1)[0]
            # importing a.b.c runs a/__init__ and a/b/__init__ first
            parts = target.split(".")
            edges.update(".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in files)
        edges.discard(name)
        # a package's own __init__ does not run "before" its submodules in a cycle sense
        graph[name] = {e for e in edges if not name.startswith(e + ".")}
        if late:
            deferred[name] = late
    return graph, deferred


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_loop_among_aligntune_modules():
    graph, _ = _graph()
    assert _find_cycle(graph) is None, f"import loop: {' -> '.join(_find_cycle(graph) or [])}"


def test_aligntune_modules_import_each_other_at_module_level():
    _, deferred = _graph()
    unexpected = {m: lines for m, lines in deferred.items() if m not in DEFERRED_ON_PURPOSE}
    assert not unexpected, f"aligntune imports inside functions (move them to the top): {unexpected}"


def test_no_library_module_is_over_400_lines():
    """The core, every plugin package and the example plugin (their tests excluded)."""
    repo = ROOT.parent
    packages = [ROOT, *[p.parent for p in (repo / "plugins").glob("*/aligntune_*/__init__.py")],
                *[p.parent for p in (repo / "examples").glob("*/aligntune_*/__init__.py")]]
    assert len(packages) == 5
    long = {str(p.relative_to(repo)): n for package in packages for p in package.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these modules (one concern each): {long}"


def test_the_checker_sees_a_loop():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


def _private_imports(source: str) -> list[str]:
    """The aligntune imports in a plugin's ``source`` that are not the public plugin API, as ``line: module.name``.

    Allowed: ``from aligntune import <name in aligntune.__all__>`` and
    ``from aligntune.plugin_api import <name in aligntune.plugin_api.__all__>``.
    """
    import aligntune
    import aligntune.plugin_api as plugin_api

    public = {"aligntune": set(aligntune.__all__), "aligntune.plugin_api": set(plugin_api.__all__)}
    bad = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            bad += [f"{node.lineno}: {a.name}" for a in node.names if a.name.startswith("aligntune.")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            module = node.module
            if module != "aligntune" and not module.startswith("aligntune."):
                continue
            allowed = public.get(module, set())
            bad += [f"{node.lineno}: {module}.{a.name}" for a in node.names if a.name not in allowed]
    return bad


def test_plugins_import_only_the_public_plugin_api():
    packages = [p.parent for p in PLUGINS.glob("*/aligntune_*/__init__.py")]
    assert len(packages) == 3
    found = {str(path.relative_to(PLUGINS)): bad for package in packages for path in sorted(package.rglob("*.py"))
             if (bad := _private_imports(path.read_text(encoding="utf-8")))}
    assert not found, f"plugins may import only aligntune.plugin_api (and aligntune's public names): {found}"


def test_the_plugin_import_checker_sees_private_imports():
    assert _private_imports("from aligntune import hookimpl\nfrom aligntune.plugin_api import Reward\n") == []
    assert _private_imports("from aligntune import distributed\n") == ["1: aligntune.distributed"]
    assert _private_imports("import os\nfrom aligntune.rl.sources import load_reward_model\n") == [
        "2: aligntune.rl.sources.load_reward_model"]
    assert _private_imports("def f():\n    import aligntune._validation\n") == ["2: aligntune._validation"]
    assert _private_imports("from aligntune.plugin_api import NoSuchName\n") == ["1: aligntune.plugin_api.NoSuchName"]


def test_plugin_modules_have_no_import_loop():
    """Within each plugin package too (a loop between plugin modules is as hard to follow as one in the core)."""
    for init in PLUGINS.glob("*/aligntune_*/__init__.py"):
        package = init.parent
        files = {".".join(p.relative_to(package.parent).with_suffix("").parts).removesuffix(".__init__"): p
                 for p in package.rglob("*.py")}
        graph = {}
        for name, path in files.items():
            graph[name] = {t for t in _top_level_targets(ast.parse(path.read_text(encoding="utf-8")))
                           if t in files and t != name and not name.startswith(t + ".")}
        assert _find_cycle(graph) is None, f"import loop: {' -> '.join(_find_cycle(graph) or [])}"


def _top_level_targets(tree: ast.Module) -> set[str]:
    """Modules imported at module level (``from a.b import c`` counts ``a.b`` and ``a.b.c``)."""
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out
