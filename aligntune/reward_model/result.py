"""What reward-model training returns: the saved path, carrying its fidelity and manifest."""

from __future__ import annotations

from typing import Any

from aligntune.reward_model.fidelity import FidelityReport


class TrainedRewardModel(str):
    """The path of a trained reward model (a ``str``), carrying its ``fidelity`` and ``manifest``."""

    fidelity: FidelityReport
    manifest: dict[str, Any]

    def __new__(
        cls, path: str, *, fidelity: FidelityReport | None = None, manifest: dict[str, Any] | None = None
    ) -> TrainedRewardModel:
        obj = super().__new__(cls, path)
        obj.fidelity = fidelity  # type: ignore[assignment]
        obj.manifest = manifest or {}
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle keep the attributes
        return (self.__class__, (str(self),), dict(self.__dict__))
