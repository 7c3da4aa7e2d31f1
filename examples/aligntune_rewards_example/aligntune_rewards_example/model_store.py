"""The ``model_store`` reward-model source: a trained reward model picked by name.

Teams keep their trained reward models in one shared directory (the *store*), one
sub-directory per model, optionally one sub-directory per version::

    /shared/reward_models/
        helpful-polite/           <- model_name="helpful-polite" (newest version)
            v1/  v2/  v10/        <- model_name="helpful-polite@v2" (that version)
        concise/                  <- a model directory itself (config.json, weights, ...)

Usage::

    RewardModelSourceConfig(
        source_type="model_store",
        model_name="helpful-polite@v2",
        options={"store": "/shared/reward_models"},   # or ALIGNTUNE_MODEL_STORE=...
    )

Rules, all checked before anything loads:

* the store is ``options["store"]``, else the ``ALIGNTUNE_MODEL_STORE`` environment
  variable; neither is an error;
* without ``@version`` the newest version is used: versions sort naturally
  (``v2`` < ``v10``);
* every model must carry the aligntune manifest (``aligntune.json``, written by
  ``train_reward_model``), so its reward functions and fidelity are known;
* ``options["expect_functions"]`` (a list of names) must match the functions the model
  was trained from, which stops a model trained for something else from slipping in.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from aligntune.errors import ConfigurationError, show
from aligntune.reward_model.scoring import TextRewardModel
from aligntune.rl.sources import check_model_dir

logger = logging.getLogger(__name__)

STORE_ENV = "ALIGNTUNE_MODEL_STORE"
MANIFEST = "aligntune.json"
OPTIONS = ("store", "expect_functions")


def _natural_key(name: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


class ModelStoreSource:
    """Loads a reward model from a shared directory of trained models, by name and version."""

    description = "a trained reward model from a shared model store, by name[@version] (options: store, expect_functions)"

    # -- resolution (cheap, no model loads) -----------------------------------------

    def store_dir(self, config: Any) -> Path:
        """The store directory from ``options['store']`` or ``$ALIGNTUNE_MODEL_STORE``."""
        unknown = sorted(set(config.options) - set(OPTIONS))
        if unknown:
            raise ConfigurationError(
                f"source_type='model_store' does not understand options {unknown}; valid options: {list(OPTIONS)}"
            )
        raw = config.options.get("store") or os.environ.get(STORE_ENV)
        if not raw:
            raise ConfigurationError(
                "source_type='model_store' needs the store directory: pass options={'store': '/path/to/store'} "
                f"or set {STORE_ENV}"
            )
        store = Path(str(raw)).expanduser()
        if not store.is_dir():
            raise ConfigurationError(f"The model store {show(str(raw))} does not exist or is not a directory")
        return store

    def resolve(self, config: Any) -> Path:
        """The model directory ``config.model_name`` (``name`` or ``name@version``) names in the store."""
        if config.model_name is None:
            raise ConfigurationError(
                "source_type='model_store' needs model_name='name' or 'name@version' (a model in the store)"
            )
        store = self.store_dir(config)
        name, _, version = config.model_name.partition("@")
        entry = store / name
        if not name or "/" in name or name.startswith(".") or not entry.is_dir():
            available = sorted(p.name for p in store.iterdir() if p.is_dir() and not p.name.startswith("."))
            raise ConfigurationError(
                f"Model {show(name)} is not in the store {show(str(store))}; available: {', '.join(available) or 'none'}"
            )
        if (entry / "config.json").is_file():
            if version:
                raise ConfigurationError(f"Model {show(name)} in {show(str(store))} has no versions; drop '@{version}'")
            return entry
        versions = sorted(
            (p.name for p in entry.iterdir() if p.is_dir() and not p.name.startswith(".")), key=_natural_key
        )
        if not versions:
            raise ConfigurationError(f"Model {show(name)} in {show(str(store))} has no versions and no config.json")
        if version and version not in versions:
            raise ConfigurationError(
                f"Model {show(name)} has no version {show(version)}; available versions: {', '.join(versions)}"
            )
        return entry / (version or versions[-1])

    def check(self, config: Any) -> None:
        """Resolve the model and check its directory and manifest (nothing loads)."""
        self._checked_dir(config)

    def _checked_dir(self, config: Any) -> Path:
        path = self.resolve(config)
        check_model_dir(path, what=f"model_store entry {show(config.model_name)}")
        manifest = self.manifest(path)
        expected = config.options.get("expect_functions")
        if expected is not None:
            trained = list(manifest.get("reward_functions", {}).get("functions", []))
            if sorted(expected) != sorted(trained):
                raise ConfigurationError(
                    f"Model {show(config.model_name)} ({path}) was trained from reward functions {trained}, "
                    f"but options['expect_functions'] is {list(expected)}"
                )
        return path

    @staticmethod
    def manifest(path: Path) -> dict[str, Any]:
        """The aligntune manifest of a store entry (required)."""
        file = path / MANIFEST
        if not file.is_file():
            raise ConfigurationError(
                f"{show(str(path))} has no {MANIFEST}: the model store only serves reward models trained with "
                "aligntune (train_reward_model writes it), so that their reward functions are known"
            )
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"{show(str(file))} is corrupted ({exc}); retrain or restore the model") from exc
        if not isinstance(data, dict):
            raise ConfigurationError(f"{show(str(file))} must hold a JSON object")
        return data

    # -- loading -------------------------------------------------------------------------

    def load(self, config: Any) -> Any:
        """Load the resolved model as a :class:`aligntune.reward_model.scoring.TextRewardModel`."""
        path = self._checked_dir(config)
        logger.info("model_store: loading %r from %s", config.model_name, path)
        return TextRewardModel.from_pretrained(str(path))
