"""The trl backend: registration, availability, and what create_trainer returns."""

from __future__ import annotations

from aligntune_backend_trl.backend import TRLBackend, _version_tuple

from aligntune.rl.backends import get_backend


def test_registered_through_the_entry_point():
    backend = get_backend("trl")
    assert isinstance(backend, TRLBackend)
    assert backend.algorithms == ("ppo", "grpo", "rloo")


def test_available_with_the_pinned_trl():
    status = TRLBackend().availability()
    assert status.available, status.reason


def test_version_parsing():
    assert _version_tuple("1.12.0") == (1, 12)
    assert _version_tuple("1.13.0rc1") == (1, 13)
    assert not ((1, 12) <= _version_tuple("1.13.0") < (1, 13))


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


def test_ppo_on_a_trl_without_it_is_one_clear_error(monkeypatch):
    """trl deleted PPO after 1.12: with a newer trl, PPO is refused naming both versions; GRPO/RLOO run."""
    import importlib.metadata

    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "1.16.0" if name == "trl" else real(name))
    backend = TRLBackend()
    assert backend.availability().available
    ppo = backend.check_algorithm("ppo")
    assert not ppo.available
    assert "trl 1.16.0 is installed" in ppo.reason and "after 1.12.0" in ppo.reason and "'grpo'" in ppo.reason
    assert backend.check_algorithm("grpo").available and backend.check_algorithm("rloo").available


def test_create_trainer_picks_the_trainer_of_the_algorithm(config):
    import attrs
    from aligntune_backend_trl.grpo_rloo import AlignTuneGRPOTrainer

    trainer = TRLBackend().create_trainer(attrs.evolve(config, algorithm="grpo", num_ppo_epochs=4))
    assert isinstance(trainer, AlignTuneGRPOTrainer) and trainer.trl_trainer is None


def test_ppo_with_the_installed_trl_runs_or_is_refused_clearly(tmp_path):
    """On trl 1.12 PPO is available; on the newer-trl lane (trl >= 1.13) create_rl_trainer refuses it."""
    import importlib.metadata

    import pytest

    from aligntune.core.backend_factory import create_rl_trainer
    from aligntune.errors import BackendUnavailableError

    version = importlib.metadata.version("trl")
    kwargs = dict(model_name="some/policy", reward_functions=["length"], algorithm="ppo",
                  output_dir=str(tmp_path / "out"))
    if _version_tuple(version) < (1, 13):
        assert TRLBackend().check_algorithm("ppo").available
        return
    with pytest.raises(BackendUnavailableError, match=rf"trl {version} is installed, and trl removed PPO after 1\.12\.0"):
        create_rl_trainer(**kwargs)
