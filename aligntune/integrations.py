"""Logging integrations (``report_to``): which are installed, checked before anything loads.

``report_to`` names transformers integrations (``"tensorboard"``, ``"wandb"``...). transformers
imports them only when the trainer starts, after every model has loaded; an integration that is
not installed then fails the run late. :func:`check_report_to` finds each one's package with
:func:`importlib.util.find_spec` (nothing is imported) and refuses a missing one at validation.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from aligntune.errors import ConfigurationError, show

#: Integration name -> the packages that provide it (any one is enough) and the pip name to install.
INTEGRATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "azure_ml": (("azureml",), "azureml-core"),
    "clearml": (("clearml",), "clearml"),
    "codecarbon": (("codecarbon",), "codecarbon"),
    "comet_ml": (("comet_ml",), "comet-ml"),
    "dagshub": (("dagshub",), "dagshub"),
    "dvclive": (("dvclive",), "dvclive"),
    "flyte": (("flytekit",), "flytekit"),
    "kubeflow": ((), ""),  # a server named by environment variables, no package
    "mlflow": (("mlflow",), "mlflow"),
    "neptune": (("neptune",), "neptune"),
    "swanlab": (("swanlab",), "swanlab"),
    "tensorboard": (("tensorboard", "tensorboardX"), "tensorboard"),
    "trackio": (("trackio",), "trackio"),
    "wandb": (("wandb",), "wandb"),
}
#: Values that name no single integration: none at all, or every installed one.
SPECIAL = ("none", "all")


def _installed(packages: tuple[str, ...]) -> bool:
    for package in packages:
        try:
            if importlib.util.find_spec(package) is not None:
                return True
        except (ImportError, ValueError):
            continue
    return False


def check_report_to(value: Any, *, field: str) -> None:
    """Every integration ``value`` names is known and installed; ``field`` is the caller's spelling."""
    names = [value] if isinstance(value, str) else list(value or [])
    for name in names:
        if name in SPECIAL:
            continue
        known = INTEGRATIONS.get(name)
        if known is None:
            raise ConfigurationError(
                f"{field}: {show(name)} is not a logging integration; use one of "
                f"{', '.join(sorted([*SPECIAL, *INTEGRATIONS]))}"
            )
        packages, pip_name = known
        if packages and not _installed(packages):
            raise ConfigurationError(
                f"{field}: the {name} integration is not installed (got {show(value)}), so the run would fail once "
                f"the models have loaded. Install it with: pip install {pip_name}, or pass report_to='none'"
            )
