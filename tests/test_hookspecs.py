"""Every hook spec is documented and exercised by a test."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from aligntune.plugins import PluginManager

TESTS = Path(__file__).parent
PLUGIN_TESTS = TESTS.parent / "plugins"


def hook_callers():
    pm = PluginManager(load_entry_points=False)
    return [(name, getattr(pm.pluggy_manager.hook, name)) for name in pm.hook_names()]


@pytest.mark.parametrize(("name", "caller"), hook_callers(), ids=lambda x: x if isinstance(x, str) else "")
def test_hook_has_docs_and_typed_register(name, caller):
    spec = caller.spec
    doc = inspect.getdoc(spec.function) or ""
    assert "register(" in doc, f"{name} must say what register() accepts"
    assert len(doc.split()) > 20
    assert list(inspect.signature(spec.function).parameters) == ["register"]
    assert spec.function.__annotations__["register"], f"{name} must type its argument"


@pytest.mark.parametrize("name", [n for n, _ in hook_callers()])
def test_hook_is_used_by_a_test(name):
    sources = [p.read_text() for p in [*TESTS.rglob("test_*.py"), *PLUGIN_TESTS.rglob("test_*.py")]]
    users = [s for s in sources if f"def {name}(" in s and "test_hookspecs" not in s[:200]]
    assert users, f"No test implements the hook {name}"
