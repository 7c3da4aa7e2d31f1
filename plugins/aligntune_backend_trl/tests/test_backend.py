"""The trl backend: registration, availability, and what create_trainer returns."""

from __future__ import annotations

from aligntune_backend_trl.backend import TRLBackend, _version_tuple

from aligntune.rl.backends import get_backend


def test_registered_through_the_entry_point():
    backend = get_backend("trl")
    assert isinstance(backend, TRLBackend)
    assert backend.algorithms == ("ppo",)


def test_available_with_the_pinned_trl():
    status = TRLBackend().availability()
    assert status.available, status.reason


def test_version_parsing():
    assert _version_tuple("1.12.0") == (1, 12)
    assert _version_tuple("1.13.0rc1") == (1, 13)
    assert not ((1, 0) <= _version_tuple("1.13.0") < (1, 13))


def test_create_trainer_loads_nothing(config):
    trainer = TRLBackend().create_trainer(config)
    assert trainer.bundle is None and trainer.trl_trainer is None


def test_backend_options_are_refused(config):
    import attrs
    import pytest

    from aligntune.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match=r"takes no backend_options, got \['lora'\]"):
        TRLBackend().create_trainer(attrs.evolve(config, backend_options={"lora": {}}))


def test_no_module_of_the_backend_names_a_source_type():
    """The backend reaches every reward source through the source contract alone."""
    from pathlib import Path

    import aligntune_backend_trl

    from aligntune.plugins import get_plugin_manager

    names = set(get_plugin_manager().registrations("reward_model_sources")) | {"source_type"}
    package = Path(aligntune_backend_trl.__file__).parent
    found = {
        (path.name, name)
        for path in package.rglob("*.py")
        for name in names
        if name in path.read_text(encoding="utf-8")
    }
    assert not found
