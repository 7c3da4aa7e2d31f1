"""The RL backend contract (:class:`RLBackend`, registered by a plugin through the ``register_rl_backends`` hook)
and backend lookup. Nothing here imports torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from aligntune.errors import BackendUnavailableError, show
from aligntune.plugins.lookup import lookup

if TYPE_CHECKING:
    from aligntune.plugins import PluginManager


@dataclass(frozen=True)
class Availability:
    """Whether a backend can run here; ``reason`` says why not."""

    available: bool
    reason: str | None = None


@runtime_checkable
class RLTrainer(Protocol):
    """What :func:`aligntune.core.backend_factory.create_rl_trainer` returns."""

    def train(self) -> Any:
        """Run training (reward model first when one is to be trained, then RL)."""

    def save_model(self, output_dir: str | None = None) -> str:
        """Save the policy as a ``save_pretrained`` directory; return its path."""


@runtime_checkable
class RLBackend(Protocol):
    """An RL training engine provided by a plugin."""

    name: str
    algorithms: tuple[str, ...]
    description: str

    def availability(self) -> Availability:
        """Cheap check (no model loading) of whether this backend can run here."""

    def create_trainer(self, config: Any) -> RLTrainer:
        """Build a trainer from a validated RL config."""

    # Optional: ``check_algorithm(algorithm) -> Availability`` for an algorithm that needs more than
    # the backend does (PPO needs a trl that still has it); ``create_rl_trainer`` calls it when present.


def get_backend(name: str, *, plugin_manager: PluginManager | None = None) -> Any:
    """The registered backend called ``name``.

    Raises :class:`~aligntune.errors.BackendError` for an unknown name (listing the
    available ones) and names the pip command for a known backend whose plugin is not
    installed (see :mod:`aligntune.plugins.lookup`).
    """
    return lookup("rl_backends", name, plugin_manager=plugin_manager).obj


def require_available(backend: Any) -> None:
    """Raise :class:`BackendUnavailableError` if ``backend`` cannot run here."""
    status = backend.availability()
    if not status.available:
        raise BackendUnavailableError(f"RL backend {show(backend.name)} cannot run on this machine: {status.reason}")
